"""Refuse requests to loopback, private and link-local addresses unless the source allows them.

A crawler fed URLs from the web must not be steered into the operator's own network. Hostnames
are checked as written (``localhost``, literal IPs, ``*.localhost``); DNS-level checks belong to
the hardening work and are listed in the README.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest


def is_private_host(host: str | None) -> bool:
    if not host:
        return True
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return False
    return bool(
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_reserved
        or addr.is_multicast
        or addr.is_unspecified
    )


class PrivateNetworkMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.default_allow = crawler.settings.getbool("DSI_ALLOW_PRIVATE_NETWORK")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> PrivateNetworkMiddleware:
        return cls(crawler)

    def _allowed(self, spider: Spider) -> bool:
        source = getattr(spider, "dsi_source", None)
        if source is not None:
            return bool(source.allow_private_network) or self.default_allow
        return self.default_allow

    def process_request(self, request: Request, spider: Spider | None = None) -> Any:
        spider = spider or self.crawler.spider
        if spider is None or self._allowed(spider):
            return None
        if is_private_host(urlsplit(request.url).hostname):
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("dsi/network/private_refused")
            raise IgnoreRequest(f"private network address refused: {request.url}")
        return None
