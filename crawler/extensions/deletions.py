"""Mark open-data datasets deleted when a complete listing no longer has them.

The ``opendata`` spider decides which stored datasets vanished and sends
:data:`crawler.extensions.signals.datasets_vanished`; this extension writes the marks
(:func:`storage.opendata.mark_deleted`) in a worker thread with the store pipeline's retries
(0.5 s, 2 s, 5 s), logs and counts ``dsi/opendata/deleted``. A database that stays away is
logged and counted (``dsi/opendata/deletions_failed``); the next complete run marks them.

Off (``NotConfigured``) without ``DSI_DATABASE_URL``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.extensions.signals import datasets_vanished
from crawler.pipelines.retry import RETRY_DELAYS, with_retry
from storage.opendata import mark_deleted
from storage.session import StorageUnavailable

logger = logging.getLogger(__name__)


class DeletionMarker:
    retry_delays: Sequence[float] = RETRY_DELAYS

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.url: str = crawler.settings.get("DSI_DATABASE_URL")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DeletionMarker:
        if not crawler.settings.get("DSI_DATABASE_URL"):
            raise NotConfigured("DSI_DATABASE_URL is not set")
        ext = cls(crawler)
        crawler.signals.connect(ext.datasets_vanished, signal=datasets_vanished)
        return ext

    def _inc(self, event: str, n: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"dsi/opendata/{event}", n)

    def mark(self, source: str, urls: Sequence[str]) -> int:
        """Mark ``urls`` of ``source`` deleted (blocking; retried); returns how many changed."""

        def retrying(exc: StorageUnavailable) -> None:
            logger.warning("database unavailable, will retry the deletion marks: %s", exc)
            self._inc("deletion_retries")

        return with_retry(
            self.url,
            lambda session: mark_deleted(session, source, urls),
            delays=self.retry_delays,
            on_retry=retrying,
        )

    async def datasets_vanished(
        self, spider: Any, portal_url: str, urls: Sequence[str], **_: Any
    ) -> None:
        source = str(getattr(spider, "source_name", "") or spider.name)
        try:
            changed = await maybe_deferred_to_future(deferToThread(self.mark, source, list(urls)))
        except StorageUnavailable as exc:
            logger.error("%s: cannot mark deletions: %s", portal_url, exc)
            self._inc("deletions_failed")
            return
        logger.info("%s: %d datasets no longer listed, marked deleted", portal_url, changed)
        self._inc("deleted", changed)
