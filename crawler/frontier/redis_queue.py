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
link to it is tried again rather than marked seen forever.

Workers stop when the queue and the leases are both empty (nothing queued, nothing in flight
anywhere); the last one clears the frontier, and 5 minutes later (``SEEDED_AFTER_END``: a worker
arriving late ends at once instead of crawling again) the next run starts from the start URLs.
"""

from __future__ import annotations

import logging
import time
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
_REQUEUE = """
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
for _, member in ipairs(expired) do
  redis.call('ZREM', KEYS[1], member)
  redis.call('ZADD', KEYS[2], ARGV[2], member)
end
return #expired
"""
FETCHED_TTL = 7 * 24 * 3600
#: seconds the start URLs stay marked queued after a crawl ended (late workers end at once)
SEEDED_AFTER_END = 300


def frontier_keys(prefix: str) -> dict[str, str]:
    return {
        name: f"{prefix}:{name}" for name in ("requests", "seen", "leases", "seeded", "fetched")
    }


class LeasedScheduler(Scheduler):  # type: ignore[misc]
    """scrapy-redis' scheduler with leases, single seeding and a global end."""

    def __init__(self, *args: Any, lease_seconds: float = 180.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lease_seconds = lease_seconds
        self.keys: dict[str, str] = {}
        self.seeding = False
        self.crawler: Crawler | None = None

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
        if not self.seeding:
            self._inc("joined")
            logger.info(
                "joining the frontier of %s: %d queued, %d leases requeued",
                self.keys["requests"],
                queued,
                requeued,
            )

    def enqueue_request(self, request: Request) -> bool:
        if request.meta.get("is_start_request"):
            if not self.seeding:
                return False  # another worker queued the start URLs
            self.df.request_seen(request)  # a later link to a start URL is not fetched again
        lease = request.meta.pop(LEASE_META, None)
        added = bool(super().enqueue_request(request))
        if lease is not None:  # a retry: back in the queue, the old lease is done
            self.release(lease)
        return added

    def next_request(self) -> Request | None:
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
        return len(self) > 0

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
            pipe = self.server.pipeline()
            pipe.hincrby(self.keys["fetched"], request.url, 1)
            pipe.expire(self.keys["fetched"], FETCHED_TTL)
            pipe.execute()

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

    def close(self, reason: str) -> None:
        queued = len(self.queue)
        leased = int(self.server.zcard(self.keys["leases"]))
        if reason == "finished" and not queued and not leased:
            self.server.delete(self.keys["requests"], self.keys["seen"])
            # a worker arriving just after the end must not start the crawl again
            self.server.expire(self.keys["seeded"], SEEDED_AFTER_END)
            logger.info("frontier %s complete: cleared", self.keys["requests"])
        else:
            logger.info(
                "frontier kept for a restart (%s): %d queued, %d in flight",
                reason,
                queued,
                leased,
            )
