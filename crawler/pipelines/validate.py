"""Drop items that cannot be stored (no URL or no title); count why."""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from crawler.items import BaseItem


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
        title = (
            getattr(item, "title", None)
            or getattr(item, "name", None)
            or getattr(item, "site", None)
        )
        if not title:
            raise self._drop("no_title")
        return item
