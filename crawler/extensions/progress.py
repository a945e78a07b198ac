"""A crawl's progress on stderr (``DSI_PROGRESS``, set by ``dsi crawl`` and ``dsi demo``): pages
of the page budget, items, errors and pages/s, live on a terminal, a plain line every 10 s off
one (:class:`crawler.progress.Progress`)."""

from __future__ import annotations

from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.outcome import errors_by_kind, items, pages
from crawler.progress import Progress


class CrawlProgress:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.progress: Progress | None = None
        self.loop: task.LoopingCall | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        if not crawler.settings.getbool("DSI_PROGRESS"):
            raise NotConfigured("DSI_PROGRESS is off")
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def _stats(self) -> dict[str, Any]:
        return self.crawler.stats.get_stats() if self.crawler.stats else {}

    def spider_opened(self, spider: Spider) -> None:
        source = getattr(spider, "dsi_source", None)
        label = getattr(source, "name", spider.name)
        total = getattr(source, "max_pages", None)
        self.progress = Progress(f"crawl {label}", total=total, unit="pages").__enter__()
        self.loop = task.LoopingCall(self.show)
        self.loop.start(1.0, now=False)

    def show(self) -> None:
        if self.progress is None:
            return
        stats = self._stats()
        self.progress.update(
            pages(stats), items=items(stats), errors=sum(errors_by_kind(stats).values())
        )

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.progress is not None:
            self.show()
            self.progress.step_text = reason
            self.progress.__exit__(None, None, None)
            self.progress = None
