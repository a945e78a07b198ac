"""Drop items that cannot be stored (no URL or no title); count why.

A website profile is named by its title, its name, or else its site when at least one page of
it was read; a site none of whose pages could be read (unreachable, every page an error) has
nothing to store and is dropped as ``no_title``."""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import BaseItem, WebsiteProfile


class ValidatePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def _drop(self, reason: str) -> DropItem:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"dsi/validate/dropped/{reason}")
        return DropItem(reason)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, BaseItem):
            raise self._drop("not_a_dsi_item")
        if not item.url or not item.url.startswith(("http://", "https://")):
            raise self._drop("no_url")
        title = getattr(item, "title", None) or getattr(item, "name", None)
        if not title and isinstance(item, WebsiteProfile) and item.pages:
            title = item.site
        if not title:
            raise self._drop("no_title")
        return item
