"""The durable, shared crawl frontier in Redis (``dsi crawl NAME --distributed``), on scrapy-redis.

Keys live under ``dsi:frontier:<source>:`` (``DSI_FRONTIER_PREFIX``):

``requests``  the queue (scrapy-redis' priority queue: a sorted set of encoded requests);
``seen``      request fingerprints already queued (scrapy-redis' duplicate filter);
``leases``    requests a worker has taken and not yet finished, scored by their expiry;
``seeded``    set by the worker that queued the start URLs (others do not queue them again);
``fetched``   URL -> times fetched (kept 7 days after the crawl, to count re-fetches).

A worker takes a request and its lease in one atomic step (a Lua script), so a request is
always either queued or leased. It gives the lease back once the page is done: its callback
output has been queued and its items stored (or it failed for good, or it was dropped); a retry
goes back to the queue. Leases whose worker died (``kill -9``, a lost machine) expire after
``DSI_FRONTIER_LEASE_SECONDS`` and are queued again by any worker, so only what was in flight
is fetched again. A fetch that failed for good is forgotten by the duplicate filter, so a later
link to it is tried again rather than marked seen forever. A link is marked seen and queued in
one atomic step too, so a kill between the two cannot lose a page. A worker with nothing to
fetch looks at the queue every ``DSI_FRONTIER_POLL_SECONDS`` (0.5 s), not only on Scrapy's
5-second heartbeat, so it joins in as soon as another worker's pages fill the queue.

Workers stop when the queue and the leases are both empty (nothing queued, nothing in flight
anywhere); the last one clears the frontier, and 5 minutes later (``SEEDED_AFTER_END``: a worker
arriving late ends at once instead of crawling again) the next run starts from the start URLs.

Spiders that keep state per unit of work in memory (the website spider: everything it learns
about a site until it writes the site's profile) are shared by unit instead
(:class:`UnitFrontier`, ``frontier = "units"`` on the spider): the first worker queues the units
(``units``, a list: one start URL per site), and each worker owns the units it takes, with a
lease in ``leases`` that it renews while it crawls them (every third of
``DSI_FRONTIER_LEASE_SECONDS``), at most ``DSI_FRONTIER_UNITS_PER_WORKER`` at a time. A unit is
given back once its result is stored, so each site is crawled whole by one worker and each of
its pages fetched once; a dead worker's units are taken over when their leases expire and
crawled again from their start. The end and the clearing are the same as above.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider, NotConfigured
from scrapy_redis.scheduler import Scheduler

from crawler.frontier.leases import CRAWLER_ATTR, LEASE_META

logger = logging.getLogger(__name__)

_TAKE = """
local r = redis.call('ZRANGE', KEYS[1], 0, 0)
if #r == 0 then return false end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, 0)
redis.call('ZADD', KEYS[2], ARGV[1], r[1])
return r[1]
"""
#: lease release, seen-check and queueing in one step. ARGV[1]: "1" queue only if the
#: fingerprint is new, "0" queue without looking (dont_filter), "2" mark seen and queue (a start)
_ENQUEUE = """
if ARGV[5] ~= '' then redis.call('ZREM', KEYS[3], ARGV[5]) end
if ARGV[1] ~= '0' and redis.call('SADD', KEYS[1], ARGV[2]) == 0 and ARGV[1] == '1' then
  return 0
end
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[4])
return 1
"""
_REQUEUE = """
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
for _, member in ipairs(expired) do
  redis.call('ZREM', KEYS[1], member)
  redis.call('ZADD', KEYS[2], ARGV[2], member)
end
return #expired
"""
#: marks a request :meth:`LeasedScheduler.poll` took from the shared queue on its way back in
_READY_META = "dsi_frontier_ready"
FETCHED_TTL = 7 * 24 * 3600
#: seconds the start URLs stay marked queued after a crawl ended (late workers end at once)
SEEDED_AFTER_END = 300


_CLAIM = """
local u = redis.call('LPOP', KEYS[1])
if not u then return false end
redis.call('ZADD', KEYS[2], ARGV[1], u)
return u
"""
_REQUEUE_UNITS = """
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
for _, member in ipairs(expired) do
  redis.call('ZREM', KEYS[1], member)
  redis.call('RPUSH', KEYS[2], member)
end
return #expired
"""
#: seconds between two looks at the shared units while a worker waits for one
UNIT_POLL_SECONDS = 0.2
_NAMES = ("requests", "seen", "leases", "seeded", "fetched", "units")


def frontier_keys(prefix: str) -> dict[str, str]:
    return {name: f"{prefix}:{name}" for name in _NAMES}


def count_fetch(server: Any, keys: dict[str, str], url: str) -> None:
    """One more fetch of ``url`` in the frontier's ``fetched`` hash (kept ``FETCHED_TTL``)."""
    pipe = server.pipeline()
    pipe.hincrby(keys["fetched"], url, 1)
    pipe.expire(keys["fetched"], FETCHED_TTL)
    pipe.execute()


def clear_if_complete(server: Any, keys: dict[str, str], reason: str) -> None:
    """At a worker's end: the last one (nothing queued, nothing leased) clears the frontier and
    keeps ``seeded`` a while, so that late workers end at once instead of crawling again."""
    queued = int(server.zcard(keys["requests"])) + int(server.llen(keys["units"]))
    leased = int(server.zcard(keys["leases"]))
    if reason == "finished" and not queued and not leased:
        server.delete(keys["requests"], keys["seen"], keys["units"])
        server.expire(keys["seeded"], SEEDED_AFTER_END)
        logger.info("frontier %s complete: cleared", keys["seeded"].rsplit(":", 1)[0])
    else:
        logger.info(
            "frontier kept for a restart (%s): %d queued, %d in flight", reason, queued, leased
        )


class LeasedScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis' scheduler with leases, single seeding and a global end."""

    def __init__(self, *args: Any, lease_seconds: float = 180.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lease_seconds = lease_seconds
        self.keys: dict[str, str] = {}
        self.seeding = False
        self.crawler: Crawler | None = None
        #: seconds between two looks at the shared queue while this worker has nothing to fetch
        self.poll_seconds = 0.5
        #: requests taken from the shared queue by :meth:`poll`, for the engine's next ask
        self.ready: list[Request] = []
        self._poller: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LeasedScheduler:
        settings = crawler.settings
        prefix = settings.get("DSI_FRONTIER_PREFIX")
        if not prefix:
            raise NotConfigured("DSI_FRONTIER_PREFIX is not set")
        keys = frontier_keys(prefix)
        settings_copy = settings.copy()
        settings_copy.frozen = False
        settings_copy.set("SCHEDULER_QUEUE_KEY", keys["requests"])
        settings_copy.set("SCHEDULER_DUPEFILTER_KEY", keys["seen"])
        instance: LeasedScheduler = super().from_settings(settings_copy)
        instance.lease_seconds = settings.getfloat("DSI_FRONTIER_LEASE_SECONDS", 180.0)
        instance.poll_seconds = settings.getfloat("DSI_FRONTIER_POLL_SECONDS", 0.5)
        instance.keys = keys
        instance.stats = crawler.stats
        instance.crawler = crawler
        setattr(crawler, CRAWLER_ATTR, instance)  # found by the lease middlewares
        crawler.signals.connect(instance.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(instance.response_received, signal=signals.response_received)
        crawler.signals.connect(instance.request_dropped, signal=signals.request_dropped)
        return instance

    def _inc(self, key: str, n: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(f"dsi/frontier/{key}", n)

    # --- queue --------------------------------------------------------------------------------
    def open(self, spider: Spider) -> None:
        super().open(spider)
        self.df.key = self.keys["seen"]
        self.seeding = bool(self.server.set(self.keys["seeded"], str(time.time()), nx=True))
        requeued = self.requeue_expired()
        queued = len(self.queue)
        if self.poll_seconds > 0:
            from twisted.internet import task

            self._poller = task.LoopingCall(self.poll)
            self._poller.start(self.poll_seconds, now=False)
        if not self.seeding:
            self._inc("joined")
            logger.info(
                "joining the frontier of %s: %d queued, %d leases requeued",
                self.keys["requests"],
                queued,
                requeued,
            )

    def enqueue_request(self, request: Request) -> bool:
        """Queue ``request`` unless its fingerprint is already seen, in one atomic step (a
        worker killed in between must not leave a request marked seen but never queued: no
        later link would queue it again). A request that carries a lease (a retry, a
        redirect) gives it back in the same step."""
        if request.meta.pop(_READY_META, False):  # taken by :meth:`poll`, leased already
            self.ready.append(request)
            return True
        start = bool(request.meta.get("is_start_request"))
        if start and not self.seeding:
            return False  # another worker queued the start URLs
        lease = request.meta.pop(LEASE_META, None)
        # a start URL is marked seen (a later link to it is not fetched again) but queued anyway
        check = "2" if start else "0" if request.dont_filter else "1"
        added = bool(
            self.server.eval(
                _ENQUEUE,
                3,
                self.keys["seen"],
                self.keys["requests"],
                self.keys["leases"],
                check,
                self.df.request_fingerprint(request),
                -request.priority,
                self.queue._encode_request(request),
                lease if lease is not None else "",
            )
        )
        if added:
            if self.stats is not None:
                self.stats.inc_value("scheduler/enqueued/redis")
        else:
            self.df.log(request, self.spider)
        return added

    def next_request(self) -> Request | None:
        if self.ready:
            return self.ready.pop(0)
        expiry = time.time() + self.lease_seconds
        member = self.server.eval(_TAKE, 2, self.keys["requests"], self.keys["leases"], expiry)
        if not member:
            return None
        request: Request = self.queue._decode_request(member)
        request.meta[LEASE_META] = member
        self._inc("leased")
        if self.stats is not None:
            self.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        return bool(self.ready) or len(self) > 0

    def poll(self) -> None:
        """Wake an idle worker when the shared queue has work: Scrapy's engine asks an idle
        scheduler again only on its 5-second heartbeat, so a worker that found the queue
        empty (another one was still reading the pages that fill it) would sit out up to 5 s
        at a time. A request is taken here, with its lease, and handed to the engine, which
        then fills its free slots from the queue as usual."""
        crawler = self.crawler
        engine = crawler.engine if crawler is not None else None
        if engine is None or not engine.running or engine.spider is None:
            return
        if self.ready or engine.downloader.active:  # busy: the engine asks by itself
            return
        import redis

        # Expired leases are not queued again here but when the worker idles (spider_idle):
        # while it works, an expired lease may be one of its own pages still waiting for its
        # items to be written, and would be fetched twice.
        try:
            request = self.next_request()
        except redis.RedisError as exc:  # a Redis that does not answer: the heartbeat asks too
            logger.warning("the shared queue could not be read: %s", exc)
            return
        if request is not None:
            self._inc("polled")
            request.meta[_READY_META] = True
            engine.crawl(request)

    # --- leases -------------------------------------------------------------------------------
    def release(self, member: bytes) -> None:
        self.server.zrem(self.keys["leases"], member)

    def requeue_expired(self) -> int:
        """Queue again the requests of workers that died holding them."""
        n = int(
            self.server.eval(
                _REQUEUE, 2, self.keys["leases"], self.keys["requests"], time.time(), 0
            )
        )
        if n:
            logger.warning("%d request(s) of a dead worker queued again", n)
            self._inc("requeued", n)
        return n

    def forget(self, request: Request) -> None:
        """A fetch that failed for good: not seen, so a later link to it is tried again."""
        self.server.srem(self.keys["seen"], self.df.request_fingerprint(request))
        self._inc("forgotten")

    def response_received(self, response: Any, request: Request, spider: Spider) -> None:
        if request.meta.get(LEASE_META) is not None:
            count_fetch(self.server, self.keys, request.url)

    def request_dropped(self, request: Request, spider: Spider) -> None:
        lease = request.meta.pop(LEASE_META, None)
        if lease is not None:
            self.release(lease)

    # --- the end ------------------------------------------------------------------------------
    def spider_idle(self, spider: Spider) -> None:
        """Keep the worker while anything is queued or in flight anywhere."""
        self.requeue_expired()
        queued = len(self.queue)
        leased = int(self.server.zcard(self.keys["leases"]))
        if queued or leased:
            raise DontCloseSpider(f"frontier: {queued} queued, {leased} in flight elsewhere")
        self._stop_polling()  # the crawl is over everywhere: this worker closes

    def _stop_polling(self) -> None:
        if self._poller is not None and self._poller.running:
            self._poller.stop()

    def close(self, reason: str) -> None:
        self._stop_polling()
        # a request taken but never handed out keeps its lease: queued again when it expires
        clear_if_complete(self.server, self.keys, reason)


class UnitFrontier:
    """Extension of a distributed crawl shared by units (see the module doc): the spider asks
    :meth:`claimed` for the requests of the units it owns and says :meth:`finished` when a unit's
    result is out; leases are renewed while the crawl runs and given back once that result has
    been stored."""

    def __init__(self, crawler: Crawler, server: Any, keys: dict[str, str]) -> None:
        settings = crawler.settings
        self.crawler, self.server, self.keys = crawler, server, keys
        self.lease_seconds = settings.getfloat("DSI_FRONTIER_LEASE_SECONDS", 180.0)
        self.capacity = max(1, settings.getint("DSI_FRONTIER_UNITS_PER_WORKER", 8))
        #: units this worker owns, and the results (by id) whose storing gives one back
        self.held: set[str] = set()
        self.results: dict[int, str] = {}
        self._renewal: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> UnitFrontier:
        settings = crawler.settings
        prefix = settings.get("DSI_FRONTIER_PREFIX")
        if not prefix or settings.get("DSI_FRONTIER_MODE") != "units":
            raise NotConfigured("not a distributed crawl by units")
        import redis

        frontier = cls(
            crawler, redis.Redis.from_url(settings.get("REDIS_URL")), frontier_keys(prefix)
        )
        setattr(crawler, "dsi_units", frontier)  # noqa: B010 - found by the spider
        connect = crawler.signals.connect
        connect(frontier.spider_opened, signal=signals.spider_opened)
        connect(frontier.spider_closed, signal=signals.spider_closed)
        connect(frontier.response_received, signal=signals.response_received)
        for signal in (signals.item_scraped, signals.item_dropped, signals.item_error):
            connect(frontier.item_done, signal=signal)
        return frontier

    def _inc(self, key: str, n: int = 1) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"dsi/frontier/{key}", n)

    # --- the spider's side --------------------------------------------------------------------
    async def claimed(
        self, units: list[str], requests_for: Callable[[str], list[Request]]
    ) -> AsyncIterator[Request]:
        """The requests of each unit this worker takes, as long as any unit is queued or owned
        anywhere (a dead worker's units are taken over when their leases expire)."""
        if self.server.set(self.keys["seeded"], str(time.time()), nx=True):
            if units:
                self.server.rpush(self.keys["units"], *units)
            logger.info("queued %d unit(s) in %s", len(units), self.keys["units"])
        else:
            self._inc("joined")
        while True:
            self.requeue_expired()
            unit = self.claim() if len(self.held) < self.capacity else None
            if unit is not None:
                for request in requests_for(unit):
                    yield request
                continue
            if not self.server.llen(self.keys["units"]) and not self.server.zcard(
                self.keys["leases"]
            ):
                return
            await asyncio.sleep(UNIT_POLL_SECONDS)

    def finished(self, unit: str, result: Any = None) -> None:
        """``unit`` is done: given back once ``result`` is stored (at once without one)."""
        if result is None:
            self.release(unit)
        else:
            self.results[id(result)] = unit

    # --- leases -------------------------------------------------------------------------------
    def claim(self) -> str | None:
        expiry = time.time() + self.lease_seconds
        member = self.server.eval(_CLAIM, 2, self.keys["units"], self.keys["leases"], expiry)
        if not member:
            return None
        unit = member.decode() if isinstance(member, bytes) else str(member)
        self.held.add(unit)
        self._inc("units_claimed")
        return unit

    def release(self, unit: str) -> None:
        self.server.zrem(self.keys["leases"], unit)
        self.held.discard(unit)
        self._inc("units_done")

    def renew(self) -> None:
        """Extend the leases of the units this worker owns (a Redis that does not answer is
        logged; the renewal is tried again next time, before the leases expire)."""
        if not self.held:
            return
        import redis

        expiry = time.time() + self.lease_seconds
        try:
            self.server.zadd(self.keys["leases"], dict.fromkeys(self.held, expiry), xx=True)
        except redis.RedisError as exc:
            logger.warning("leases of %d unit(s) not renewed: %s", len(self.held), exc)
            self._inc("renewal_failed")

    def requeue_expired(self) -> int:
        n = int(
            self.server.eval(
                _REQUEUE_UNITS, 2, self.keys["leases"], self.keys["units"], time.time()
            )
        )
        if n:
            logger.warning("%d unit(s) of a dead worker queued again", n)
            self._inc("requeued", n)
        return n

    # --- signals ------------------------------------------------------------------------------
    def spider_opened(self, spider: Spider) -> None:
        from twisted.internet import task

        self._renewal = task.LoopingCall(self.renew)
        self._renewal.start(max(0.5, self.lease_seconds / 3), now=False)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._renewal is not None and self._renewal.running:
            self._renewal.stop()
        clear_if_complete(self.server, self.keys, reason)

    def response_received(self, response: Any, request: Request, spider: Spider) -> None:
        if request.meta.get("dont_obey_robotstxt"):  # robots.txt: not a page of the crawl
            return
        browser = " (browser)" if request.meta.get("playwright") else ""
        count_fetch(self.server, self.keys, request.url + browser)

    def item_done(self, item: Any, spider: Spider, **kwargs: Any) -> None:
        unit = self.results.pop(id(item), None)
        if unit is not None:
            self.release(unit)


def units_of(crawler: Crawler | None) -> UnitFrontier | None:
    """The crawl's :class:`UnitFrontier` when it is a distributed crawl by units."""
    frontier = getattr(crawler, "dsi_units", None)
    return frontier if isinstance(frontier, UnitFrontier) else None
