"""The addresses Scrapy connects to pass the network policy at connection time.

``TWISTED_DNS_RESOLVER = "crawler.resolver.GuardedResolver"``: Scrapy's caching resolver answers,
and every address it gives is checked against the policy before Twisted may connect to it, so a
name cannot resolve to a public address for :mod:`crawler.middlewares.network` and to a private
one for the download (DNS rebinding). Refused addresses are dropped with one log line and the
stat ``dsi/network/refused_at_connect``; a name left with no address fails as a DNS error.

The resolver serves the whole process (Twisted has one): private addresses are allowed at
connection time only when ``DSI_ALLOW_PRIVATE_NETWORK`` is set or a crawl of the process allows
them (a source's ``allow_private_network``), and ``DSI_NETWORK_ALLOW`` entries always; a refusal
is counted in every crawl of the process.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Sequence
from typing import Any

from scrapy.resolver import CachingHostnameResolver
from twisted.internet.interfaces import IAddress, IHostResolution, IResolutionReceiver
from zope.interface import provider

from crawler.network import NetworkPolicy, policy_for

logger = logging.getLogger(__name__)


def process_policy(owner: Any) -> NetworkPolicy:
    """The process-wide policy: settings, plus any running crawl whose source allows private
    addresses (``owner`` is Scrapy's crawler process or a crawler)."""
    settings = owner.settings
    allow = settings.getbool("DSI_ALLOW_PRIVATE_NETWORK")
    crawlers = list(getattr(owner, "crawlers", ()) or [owner])
    for crawler in crawlers:
        source = getattr(getattr(crawler, "spider", None), "dsi_source", None)
        if source is not None and source.allow_private_network:
            allow = True
    return policy_for(allow, settings.getlist("DSI_NETWORK_ALLOW"))


@provider(IResolutionReceiver)
class _CheckingReceiver:
    """Passes on the addresses the policy allows, drops the others."""

    def __init__(self, receiver: Any, resolver: GuardedResolver, host: str, port: int) -> None:
        self.receiver, self.resolver, self.host, self.port = receiver, resolver, host, port

    def resolutionBegan(self, resolution: IHostResolution) -> None:
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: IAddress) -> None:
        text = str(getattr(address, "host", ""))
        try:
            addr = ipaddress.ip_address(text.split("%", 1)[0])
        except ValueError:
            reason: str | None = "bad_address"
        else:
            reason = self.resolver.policy().address_refusal(addr, self.port)
        if reason is None:
            self.receiver.addressResolved(address)
            return
        logger.warning(
            "connection refused by the network policy: %s:%s resolved to %s (%s)",
            self.host,
            self.port,
            text,
            reason,
        )
        self.resolver.count(reason)

    def resolutionComplete(self) -> None:
        self.receiver.resolutionComplete()


class GuardedResolver(CachingHostnameResolver):
    """Scrapy's caching hostname resolver with every answer checked (see the module doc)."""

    owner: Any = None

    @classmethod
    def from_crawler(cls, crawler: Any, reactor: Any) -> GuardedResolver:
        resolver = super().from_crawler(crawler, reactor)
        resolver.owner = crawler
        return resolver

    def policy(self) -> NetworkPolicy:
        return process_policy(self.owner) if self.owner is not None else NetworkPolicy()

    def count(self, reason: str) -> None:
        for crawler in list(getattr(self.owner, "crawlers", ()) or [self.owner]):
            stats = getattr(crawler, "stats", None)
            if stats is not None:
                stats.inc_value("dsi/network/refused_at_connect")
                stats.inc_value(f"dsi/network/refused/{reason}")

    def resolveHostName(
        self,
        resolutionReceiver: IResolutionReceiver,
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type[IAddress]] | None = None,
        transportSemantics: str = "TCP",
    ) -> IHostResolution:
        receiver: Any = _CheckingReceiver(resolutionReceiver, self, hostName, portNumber)
        result: IHostResolution = super().resolveHostName(
            receiver, hostName, portNumber, addressTypes, transportSemantics
        )
        return result
