"""dsi-crawler: the Scrapy project (settings, items, sources, middlewares, pipelines, CLI)."""

__version__ = "0.1.0"
