"""Moved to :mod:`crawler.text`; kept for the open-data parsers until they import from there."""

from crawler.text import clean_text, html_to_text, tree_to_text, truncate

__all__ = ["clean_text", "html_to_text", "tree_to_text", "truncate"]
