"""Store the links between websites as edges (``site_links``) for the connectedness analysis.

Takes :class:`~crawler.items.WebsiteProfile` items (others pass through untouched): one edge
from the profile's site to each of its ``outlinks``, keyed by site key (see
:mod:`storage.links`). Edges are written in batches in a thread. When the database is
unreachable the batch is dropped with a count and a log line: the profiles keep their
``outlinks``, so the edges can be rebuilt from stored items.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.items import WebsiteProfile
from storage.links import edge_key, upsert_site_links
from storage.session import StorageUnavailable, session_scope

logger = logging.getLogger(__name__)


class SiteLinksPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.url: str = crawler.settings.get("DSI_DATABASE_URL")
        self.batch_size = max(1, crawler.settings.getint("DSI_LINKS_BATCH_SIZE", 500))
        self.buffer: list[tuple[str, str, str]] = []
        self.lock = threading.Lock()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteLinksPipeline:
        if not crawler.settings.get("DSI_DATABASE_URL"):
            raise NotConfigured("no DSI_DATABASE_URL")
        return cls(crawler)

    def _inc(self, key: str, n: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key, n)

    def _flush(self) -> None:
        with self.lock:
            rows, self.buffer = self.buffer, []
        if not rows:
            return
        by_source: dict[str, list[tuple[str, str]]] = {}
        for source, a, b in rows:
            by_source.setdefault(source, []).append((a, b))
        try:
            with session_scope(self.url) as session:
                written = sum(
                    upsert_site_links(session, source, edges) for source, edges in by_source.items()
                )
        except StorageUnavailable as exc:
            logger.error("site links not stored (%d edges): %s", len(rows), exc)
            self._inc("dsi/links/lost", len(rows))
            return
        self._inc("dsi/links/written", written)

    async def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, WebsiteProfile):
            return item
        origin_key = edge_key(item.site)
        if origin_key is None:
            return item
        for out in item.outlinks:
            target = edge_key(out)
            if target and target != origin_key:
                self.buffer.append((item.source, origin_key, target))
        if len(self.buffer) >= self.batch_size:
            await maybe_deferred_to_future(deferToThread(self._flush))
        return item

    async def close_spider(self, spider: Spider | None = None) -> None:
        await maybe_deferred_to_future(deferToThread(self._flush))
