"""Spiders: one per source type (``jobs``, ``opendata``, ``website``)."""
