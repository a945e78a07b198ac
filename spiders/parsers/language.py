"""Moved to :mod:`crawler.text`; kept for the open-data parsers until they import from there."""

from crawler.text import detect_language, normalise_language_code

__all__ = ["detect_language", "normalise_language_code"]
