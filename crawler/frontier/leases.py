"""What every durable frontier shares: leases, and the two middlewares that give them back.

A frontier (Redis or SQL) hands out each request with a lease (``request.meta[LEASE_META]``).
The lease is given back (:meth:`Frontier.release`) once the page is done: its callback output
has been queued and its items are stored (the store pipeline's ``items_stored`` signal, or
dropped); a fetch that failed for good gives it back and is forgotten by the duplicate filter
(:meth:`Frontier.forget`), so a later link to it is tried again. A lease never given back (the
process died) means the page was in flight: the frontier queues it again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any, Protocol, runtime_checkable

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.extensions.signals import items_stored

LEASE_META = "dsi_lease"
#: the attribute of the crawler that holds its frontier (set by the frontier's scheduler)
CRAWLER_ATTR = "dsi_frontier"


@runtime_checkable
class Frontier(Protocol):
    """A durable frontier, as the lease middlewares see it."""

    def release(self, lease: Any) -> None:
        """The page of this lease is done: its follow-ups are queued, its items stored."""

    def forget(self, request: Request) -> None:
        """The request failed for good: not seen any more (a later link is tried again)."""


def frontier_of(crawler: Crawler) -> Frontier | None:
    frontier = getattr(crawler, CRAWLER_ATTR, None)
    return frontier if isinstance(frontier, Frontier) else None


def _configured(crawler: Crawler) -> None:
    if not crawler.settings.get("DSI_FRONTIER"):
        raise NotConfigured("no durable frontier")


class LeaseMiddleware:
    """Spider middleware (outermost): gives a page's lease back once its callback output is
    queued and its items are stored; a page that failed gives it back.

    A request a leased page yields is handed to the engine here (what Scrapy's scraper would
    do with it next), not passed on: the scraper takes a callback's output through a queue
    that its parallel tasks empty later, so the output could end, and the lease go back,
    while follow-ups still waited in that queue, and a kill then lost them."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        #: lease -> [items not yet stored or dropped, callback output done]
        self.pending: dict[Any, list[int | bool]] = {}
        self.item_lease: dict[int, Any] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LeaseMiddleware:
        _configured(crawler)
        mw = cls(crawler)
        for signal in (signals.item_dropped, signals.item_error):
            crawler.signals.connect(mw.item_done, signal=signal)
        crawler.signals.connect(mw.items_done, signal=items_stored)
        return mw

    def _release(self, lease: Any) -> None:
        frontier = frontier_of(self.crawler)
        if frontier is not None:
            frontier.release(lease)

    def _maybe_release(self, lease: Any) -> None:
        state = self.pending.get(lease)
        if state is not None and state[1] and state[0] == 0:
            del self.pending[lease]
            self._release(lease)

    def _begin(self, response: Any) -> list[int | bool] | None:
        lease = getattr(response, "meta", {}).get(LEASE_META)
        if lease is None:
            return None
        state: list[int | bool] = [0, False]
        self.pending[lease] = state
        return state

    def _seen(self, response: Any, state: list[int | bool], out: Any) -> None:
        if not isinstance(out, Request):
            state[0] = int(state[0]) + 1
            self.item_lease[id(out)] = response.meta[LEASE_META]

    def _queued(self, out: Any) -> bool:
        """Schedule a request now (True), as the scraper would once it dequeued it."""
        engine = self.crawler.engine
        if not isinstance(out, Request) or engine is None:
            return False
        engine.crawl(out)
        return True

    def _end(self, response: Any, state: list[int | bool]) -> None:
        state[1] = True
        self._maybe_release(response.meta[LEASE_META])

    async def process_spider_output_async(
        self, response: Any, result: AsyncIterator[Any], spider: Spider | None = None
    ) -> AsyncIterator[Any]:
        state = self._begin(response)
        async for out in result:
            if state is not None:
                if self._queued(out):
                    continue
                self._seen(response, state, out)
            yield out
        if state is not None:
            self._end(response, state)

    def process_spider_output(
        self, response: Any, result: Iterable[Any], spider: Spider | None = None
    ) -> Iterable[Any]:
        state = self._begin(response)
        for out in result:
            if state is not None:
                if self._queued(out):
                    continue
                self._seen(response, state, out)
            yield out
        if state is not None:
            self._end(response, state)

    def item_done(self, item: Any, **kwargs: Any) -> None:
        lease = self.item_lease.pop(id(item), None)
        if lease is None:
            return
        state = self.pending.get(lease)
        if state is not None:
            state[0] = int(state[0]) - 1
            self._maybe_release(lease)

    def items_done(self, items: list[Any], **kwargs: Any) -> None:
        for item in items:
            self.item_done(item)

    def process_spider_exception(
        self, response: Any, exception: Exception, spider: Spider | None = None
    ) -> None:
        lease = response.meta.get(LEASE_META) if hasattr(response, "meta") else None
        if lease is not None and lease not in self.pending:
            self._release(lease)


class FailedFetchMiddleware:
    """Downloader middleware (outermost): a fetch that failed after its retries gives its lease
    back and is forgotten by the duplicate filter."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> FailedFetchMiddleware:
        _configured(crawler)
        return cls(crawler)

    def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> None:
        lease = request.meta.pop(LEASE_META, None)
        frontier = frontier_of(self.crawler)
        if frontier is not None:
            # forgotten first: a worker killed in between leaves the lease, so the page is
            # queued again, rather than a page neither leased nor fetchable by a later link
            frontier.forget(request)
            if lease is not None:
                frontier.release(lease)
