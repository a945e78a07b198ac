"""De-duplicate job adverts: within a crawl in memory, across runs and sources in the database.

* The same canonical URL twice in one crawl (``?utm_*`` variants, canonical links): the repeat
  is dropped (``dsi/dedupe/dropped_same_url``): storage would only overwrite the same row.
* Exact and near duplicates (same content; same employer + near-identical text) are kept (each
  row is a sighting on its board) and counted (``dsi/dedupe/exact``, ``dsi/dedupe/near``).
* The signatures compared (canonical URL, content key, MinHash) are computed with the page in
  the parsing worker when the spider read it there (``dedupe_ahead``), else here. The advert's
  signature stays in the spider's book for the store pipeline, which keeps it with the advert
  (``job_signatures``), so regrouping does not make it again.
* After the crawl (``spider_closed``, once the store pipeline has flushed), every stored job
  advert is regrouped in a thread (:func:`storage.jobs.regroup_jobs`) and
  ``items.dedupe_group`` is written, so trends count each job once.

Settings: ``DSI_DEDUPE_ENABLED`` (default true), ``DSI_DEDUPE_THRESHOLD`` (Jaccard, 0.8),
``DSI_DEDUPE_REGROUP`` (default true).
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem, NotConfigured
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.dedupe import AheadBook, DedupeIndex
from crawler.items import JobAdvert
from crawler.urls import canonical_url

logger = logging.getLogger(__name__)


class DedupePipeline:
    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.threshold = settings.getfloat("DSI_DEDUPE_THRESHOLD", 0.8)
        self.regroup = settings.getbool("DSI_DEDUPE_REGROUP", True)
        self.database_url: str = settings.get("DSI_DATABASE_URL")
        #: the crawl's adverts, by canonical URL (fragment kept): also the set of URLs seen
        self.index = DedupeIndex(threshold=self.threshold)
        self.jobs_seen = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        if not crawler.settings.getbool("DSI_DEDUPE_ENABLED", True):
            raise NotConfigured("DSI_DEDUPE_ENABLED is off")
        pipe = cls(crawler)
        crawler.signals.connect(pipe.spider_closed, signal=signals.spider_closed)
        # an advert dropped before this pipeline (validation) or failing in one must not
        # leave its signature waiting in the spider's book
        crawler.signals.connect(pipe.forget, signal=signals.item_dropped)
        crawler.signals.connect(pipe.forget, signal=signals.item_error)
        return pipe

    def _book(self, spider: Spider | None) -> AheadBook | None:
        book = getattr(spider or self.crawler.spider, "dedupe_ahead", None)
        return book if isinstance(book, AheadBook) else None

    def forget(self, item: Any, spider: Spider | None = None, **kwargs: Any) -> None:
        """The advert's signature, if still waiting in the spider's book, is dropped with it."""
        book = self._book(spider)
        if book is not None:
            book.take(item)

    def _inc(self, key: str, n: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"dsi/dedupe/{key}", n)

    def process_item(self, item: Any, spider: Spider | None = None) -> Any:
        if not isinstance(item, JobAdvert):
            return item
        self.jobs_seen += 1
        book = self._book(spider)
        ahead = book.take(item) if book is not None else None  # taken even if dropped below
        key = canonical_url(item.url, keep_fragment=True)
        if key in self.index:
            self._inc("dropped_same_url")
            raise DropItem(f"same advert URL already seen in this crawl: {item.url}")
        ahead = self.index.signature(
            url=key,
            employer=item.hiring_organization,
            title=item.title,
            description=item.description,
            ahead=ahead,
        )
        how = self.index.add(key, url=key, employer=None, title=None, description=None, ahead=ahead)
        if book is not None:  # for the store pipeline (forgotten if the item is dropped)
            book.put(item, ahead)
        if how == "content" or how == "url":
            self._inc("exact")
        elif how == "near":
            self._inc("near")
        return item

    async def spider_closed(self, spider: Spider, reason: str = "") -> None:
        if not self.regroup or not self.jobs_seen:
            return
        if getattr(spider, "name", None) != "jobs":
            return
        url, threshold = self.database_url, self.threshold

        def work() -> None:
            from storage.jobs import regroup_jobs
            from storage.session import StorageUnavailable, session_scope

            try:
                with session_scope(url) as session:
                    result = regroup_jobs(session, DedupeIndex(threshold=threshold))
            except StorageUnavailable as exc:
                logger.error("could not regroup job adverts (database unavailable): %s", exc)
                self._inc("regroup_failed")
                return
            self._inc("regrouped_items", result.items)
            self._inc("groups", result.groups)
            self._inc("group_changes", result.changed)
            self._inc("regroup_signed", result.signed)
            logger.info(
                "regrouped %d job adverts into %d groups (%d changed, %d signatures made)",
                result.items,
                result.groups,
                result.changed,
                result.signed,
            )

        await maybe_deferred_to_future(deferToThread(work))
