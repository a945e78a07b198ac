"""The durable crawl frontier of a plain ``dsi crawl NAME`` in the crawler's own database
(SQLite or PostgreSQL: ``frontier_requests``, :mod:`storage.frontier`).

One process crawls a source at a time (the source's run lock), so the frontier lives in memory
while the crawl runs (a priority queue, the set of fingerprints seen, the leases) and every
change is written behind, in batches: at most every ``DSI_FRONTIER_FLUSH_SECONDS`` (0.5 s), one
transaction each, in the order it happened. A page's lease is given back only once its
follow-up requests are queued and its items stored (:mod:`crawler.frontier.leases`), and the
follow-ups are written no later than that, so after ``kill -9`` a request is either done with
its items stored, or still queued or leased: the next run of the source queues the leased ones
again (they were in flight) and goes on. Only what was in flight, or done in the last
half-second, is fetched again; nothing acknowledged is lost.

The frontier is cleared when a crawl ends on its own (finished, page budget, an error); a crawl
stopped with SIGINT/SIGTERM or killed keeps it, and the next run resumes from it unless started
with ``--fresh``. When the database is unreachable the changes are kept and written later.
"""

from __future__ import annotations

import heapq
import logging
import pickle
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from scrapy.utils.reactor import CallLaterOnce
from scrapy.utils.request import request_from_dict
from twisted.internet import task
from twisted.internet.defer import Deferred, DeferredLock
from twisted.internet.threads import deferToThread

from crawler.extensions.signals import items_stored
from crawler.frontier.leases import CRAWLER_ATTR, LEASE_META
from storage.frontier import (
    DONE,
    LEASED,
    FrontierChanges,
    QueuedRequest,
    clear_frontier,
    load_frontier,
    write_changes,
)
from storage.session import StorageUnavailable, session_scope

logger = logging.getLogger(__name__)

#: close reasons after which the frontier is kept for the next run (the crawl was stopped)
KEEP_ON = frozenset({"shutdown"})


class SqlScheduler:
    """Scrapy scheduler over the source's durable frontier in the crawler's database."""

    def __init__(self, crawler: Crawler, *, source: str, fresh: bool, flush_seconds: float) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.url: str = crawler.settings.get("DSI_DATABASE_URL")
        self.source = source
        self.fresh = fresh
        self.flush_seconds = flush_seconds
        self.spider: Spider | None = None
        #: (-priority, seq, key, Request or its pickled dict)
        self.heap: list[tuple[int, int, str, Any]] = []
        self.seen: set[str] = set()
        self.in_flight: set[str] = set()
        self.seq = 0
        self.resumed = False
        self.changes = FrontierChanges()
        self.lock = DeferredLock()  # one write at a time, in order
        self.loop: task.LoopingCall | None = None
        #: write again as soon as the running write ends (pages were completed meanwhile)
        self.again = False
        self.soon = CallLaterOnce(self.flush)
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SqlScheduler:
        settings = crawler.settings
        source = settings.get("DSI_FRONTIER_SOURCE")
        if not source or settings.get("DSI_FRONTIER") != "sql":
            raise NotConfigured("no SQL frontier for this crawl")
        instance = cls(
            crawler,
            source=source,
            fresh=settings.getbool("DSI_FRONTIER_FRESH"),
            flush_seconds=settings.getfloat("DSI_FRONTIER_FLUSH_SECONDS", 0.5),
        )
        setattr(crawler, CRAWLER_ATTR, instance)  # found by the lease middlewares
        crawler.signals.connect(instance.request_dropped, signal=signals.request_dropped)
        # after the lease middleware's handler: the pages those items completed are done now
        crawler.signals.connect(instance.items_stored, signal=items_stored)
        return instance

    def _inc(self, key: str, n: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"dsi/frontier/{key}", n)

    def _fingerprint(self, request: Request) -> str:
        assert self.crawler.request_fingerprinter is not None
        return self.crawler.request_fingerprinter.fingerprint(request).hex()

    # --- open and close -----------------------------------------------------------------------
    def open(self, spider: Spider) -> Deferred[None]:
        self.spider = spider
        return deferred_from_coro(self._open())

    async def _open(self) -> None:
        def load() -> tuple[int, Any]:
            with session_scope(self.url) as session:
                state = load_frontier(session, self.source)
                if self.fresh or not state.pending:
                    return clear_frontier(session, self.source), None
                return 0, state

        cleared, state = await maybe_deferred_to_future(deferToThread(load))
        if state is None:
            if self.fresh and cleared:
                logger.info("frontier of %s: started afresh (%d requests dropped)", self.source,
                            cleared)  # fmt: skip
            self.loop = task.LoopingCall(self.flush)
            self.loop.start(self.flush_seconds, now=False)
            return
        self.resumed = True
        self.seen = state.seen
        self.seq = state.next_seq
        for r in state.pending:
            self.heap.append((-r.priority, r.seq, r.key, r.request))
        heapq.heapify(self.heap)
        self._inc("resumed")
        self._inc("requeued", state.leased)
        self._inc("pending_at_start", len(state.pending))
        logger.warning(
            "resuming the crawl of %s from its frontier: %d requests queued, %d of them in "
            "flight when the last run stopped (fetched again); `dsi crawl --fresh` starts over",
            self.source,
            len(state.pending),
            state.leased,
        )
        self.loop = task.LoopingCall(self.flush)
        self.loop.start(self.flush_seconds, now=False)

    def close(self, reason: str) -> Deferred[None]:
        return deferred_from_coro(self._close(reason))

    async def _close(self, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        keep = reason in KEEP_ON
        await maybe_deferred_to_future(self.lock.acquire())
        try:
            changes, self.changes = self.changes, FrontierChanges()

            def finish() -> None:
                with session_scope(self.url) as session:
                    if keep:
                        write_changes(session, self.source, changes)
                    else:
                        clear_frontier(session, self.source)

            try:
                await maybe_deferred_to_future(deferToThread(finish))
            except StorageUnavailable as exc:
                logger.error("frontier of %s not written at the end: %s", self.source, exc)
                return
        finally:
            self.lock.release()
        if keep:
            logger.info("frontier of %s kept for the next run: %d queued, %d in flight",
                        self.source, len(self.heap), len(self.in_flight))  # fmt: skip

    # --- writing behind -----------------------------------------------------------------------
    def flush(self) -> Deferred[None] | None:
        """Write the changes so far (skipped while a write is running: the next tick takes
        them)."""
        if not self.changes or self.lock.locked:
            return None
        return self.lock.run(self._write)

    def items_stored(self, items: list[Any], **kwargs: Any) -> None:
        """Items were stored: write the pages they completed at once, not at the next tick
        (the shorter that gap, the fewer stored pages a kill makes fetch again)."""
        if self.lock.locked:
            self.again = True
        elif self.loop is not None and self.loop.running:
            self.flush()

    def _write(self) -> Deferred[None]:
        changes, self.changes = self.changes, FrontierChanges()

        def work() -> None:
            with session_scope(self.url) as session:
                write_changes(session, self.source, changes)

        def failed(failure: Any) -> None:
            if failure.check(StorageUnavailable):
                self.changes = changes.merge_before(self.changes)  # written later
                self._inc("write_deferred")
                logger.warning("frontier of %s not written yet: %s", self.source, failure.value)
                return
            self._inc("write_errors")
            logger.error(
                "frontier changes of %s lost (%s): those pages are fetched again on a resume",
                self.source,
                failure.getErrorMessage(),
            )

        def written(_: Any) -> None:
            self._inc("writes")
            if self.again:
                self.again = False
                self.soon.schedule()

        d: Deferred[None] = deferToThread(work)
        d.addCallbacks(written, failed)
        return d

    # --- the queue ----------------------------------------------------------------------------
    def _run_id(self) -> int | None:
        if self.run_id is None and self.stats is not None:
            value = self.stats.get_value("dsi/run_id")
            self.run_id = int(value) if value is not None else None
        return self.run_id

    def enqueue_request(self, request: Request) -> bool:
        lease = request.meta.pop(LEASE_META, None)
        if lease is not None:  # a retry or a redirect: the old lease is done
            self.release(lease)
        if request.meta.get("is_start_request") and self.resumed:
            return False  # the run that began this crawl queued them
        fingerprint = self._fingerprint(request)
        key = fingerprint
        if fingerprint in self.seen:
            if not request.dont_filter:
                self._inc("filtered")
                return False
            key = f"{fingerprint}-{self.seq}"
        self.seen.add(fingerprint)
        assert self.spider is not None
        seq, self.seq = self.seq, self.seq + 1
        try:
            blob = pickle.dumps(request.to_dict(spider=self.spider), protocol=4)
        except Exception as exc:  # e.g. an object in meta that cannot be saved
            logger.warning("request kept in memory only (%s): %s", exc, request.url)
            self._inc("not_durable")
        else:
            self.changes.added.append(
                QueuedRequest(key, fingerprint, request.priority, seq, blob, self._run_id())
            )
        heapq.heappush(self.heap, (-request.priority, seq, key, request))
        self._inc("queued")
        return True

    def next_request(self) -> Request | None:
        if not self.heap:
            return None
        _, _, key, entry = heapq.heappop(self.heap)
        if isinstance(entry, Request):
            request = entry
        else:
            assert self.spider is not None
            # rows this crawler wrote itself (like scrapy-redis' pickled queue)
            request = request_from_dict(pickle.loads(entry), spider=self.spider)
        request.meta[LEASE_META] = key
        self.changes.states[key] = LEASED
        self.in_flight.add(key)
        self._inc("leased")
        return request

    def has_pending_requests(self) -> bool:
        return bool(self.heap)

    def __len__(self) -> int:
        return len(self.heap)

    # --- leases (crawler.frontier.leases.Frontier) --------------------------------------------
    def release(self, lease: Any) -> None:
        key = str(lease)
        self.changes.states[key] = DONE
        self.in_flight.discard(key)

    def forget(self, request: Request) -> None:
        fingerprint = self._fingerprint(request)
        self.seen.discard(fingerprint)
        self.changes.forgotten.add(fingerprint)
        self._inc("forgotten")

    def request_dropped(self, request: Request, spider: Spider) -> None:
        lease = request.meta.pop(LEASE_META, None)
        if lease is not None:
            self.release(lease)
