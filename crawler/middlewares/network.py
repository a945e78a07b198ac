"""Every Scrapy request and redirect passes the network policy (:mod:`crawler.network`).

Literal addresses are read as the resolver reads them and names are resolved before the
download; every address must be allowed. A refusal is one log line ("network policy refused
<url> (<address>: <reason>)") and the stats ``dsi/network/private_refused`` (all refusals) and
``dsi/network/refused/<reason>``. The addresses Scrapy then connects to are checked again at
connection time by :class:`crawler.resolver.GuardedResolver`.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from crawler.network import NetworkPolicy, Refusal, Resolver, check_url, policy_for, system_resolve

logger = logging.getLogger(__name__)
#: Host lookups the middleware remembers before starting afresh.
_MAX_REMEMBERED = 10_000


def crawl_policy(crawler: Crawler, spider: Spider | None) -> NetworkPolicy:
    """The policy of a crawl: the spider's source and the ``DSI_ALLOW_PRIVATE_NETWORK`` and
    ``DSI_NETWORK_ALLOW`` settings."""
    settings = crawler.settings
    allow = settings.getbool("DSI_ALLOW_PRIVATE_NETWORK")
    source = getattr(spider, "dsi_source", None)
    if source is not None and source.allow_private_network:
        allow = True
    return policy_for(allow, settings.getlist("DSI_NETWORK_ALLOW"))


def record_refusal(crawler: Crawler, refusal: Refusal, where: str) -> None:
    """One log line and the stats of a refused request."""
    logger.warning("%s: %s", where, refusal)
    if crawler.stats is not None:
        crawler.stats.inc_value("dsi/network/private_refused")
        crawler.stats.inc_value(f"dsi/network/refused/{refusal.reason}")


class PrivateNetworkMiddleware:
    """Downloader middleware: refuse what the network policy refuses (see the module doc)."""

    def __init__(self, crawler: Crawler, resolve: Resolver | None = system_resolve) -> None:
        self.crawler = crawler
        self.resolve = resolve
        #: answers already checked, per (host, port): one lookup per host, not per request (the
        #: authoritative check is the resolver's, at connection time)
        self._answers: dict[tuple[str, int], list[str]] = {}

    async def _resolve(self, host: str, port: int) -> list[str]:
        key = (host, port)
        if key not in self._answers:
            assert self.resolve is not None
            if len(self._answers) >= _MAX_REMEMBERED:
                self._answers.clear()
            self._answers[key] = await self.resolve(host, port)
        return self._answers[key]

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateNetworkMiddleware:
        return cls(crawler)

    async def process_request(self, request: Request, spider: Spider | None = None) -> Any:
        spider = spider or self.crawler.spider
        policy = crawl_policy(self.crawler, spider)
        refusal = await check_url(
            request.url, policy, None if policy.allow_private else self.resolve
        )
        if refusal is not None:
            record_refusal(self.crawler, refusal, "request")
            raise IgnoreRequest(str(refusal))
        return None
