"""Scrapy commands of the project (``COMMANDS_MODULE``), replacing Scrapy's own by name."""
