"""The addresses Scrapy connects to pass the network policy at connection time.

``TWISTED_DNS_RESOLVER = "crawler.resolver.GuardedResolver"``: Scrapy's caching resolver answers,
and every address it gives is checked against the policy before Twisted may connect to it, so a
name cannot resolve to a public address for :mod:`crawler.middlewares.network` and to a private
one for the download (DNS rebinding). Refused addresses are dropped with one log line and the
stat ``dsi/network/refused_at_connect``; a name left with no address fails as a DNS error.

Twisted has one resolver per process, but the check is per crawl: the project's download
handlers (:mod:`crawler.download`) say which crawl a connection is for (:func:`connecting_for`,
a context variable set around the handler's call, in which Twisted asks the resolver), and its
answers are checked against that crawl's policy (its source's ``allow_private_network``,
``DSI_ALLOW_PRIVATE_NETWORK``, ``DSI_NETWORK_ALLOW``) and refusals counted in that crawl's stats.
So a crawl of the sandbox allowing loopback never opens loopback to another crawl of the same
process. A connection made outside a crawl's handler gets the settings' policy alone (private
addresses refused unless the settings allow them) and its refusals are counted in every crawl.
"""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from scrapy.resolver import CachingHostnameResolver
from twisted.internet.interfaces import IAddress, IHostResolution, IResolutionReceiver
from zope.interface import provider

from crawler.middlewares.network import crawl_policy
from crawler.network import NetworkPolicy, policy_for

logger = logging.getLogger(__name__)

#: the crawl (a Scrapy crawler) the connection being opened is for
_CONNECTING_FOR: ContextVar[Any] = ContextVar("dsi_connecting_for", default=None)


@contextmanager
def connecting_for(crawler: Any) -> Iterator[None]:
    """Connections opened inside this block are checked against ``crawler``'s policy."""
    token = _CONNECTING_FOR.set(crawler)
    try:
        yield
    finally:
        _CONNECTING_FOR.reset(token)


def settings_policy(owner: Any) -> NetworkPolicy:
    """The policy of a connection no crawl claimed: the settings' alone (``owner`` is Scrapy's
    crawler process or a crawler)."""
    settings = owner.settings
    return policy_for(
        settings.getbool("DSI_ALLOW_PRIVATE_NETWORK"), settings.getlist("DSI_NETWORK_ALLOW")
    )


@provider(IResolutionReceiver)
class _CheckingReceiver:
    """Passes on the addresses the policy allows, drops the others."""

    def __init__(
        self, receiver: Any, policy: NetworkPolicy, crawlers: list[Any], host: str, port: int
    ) -> None:
        self.receiver, self.policy, self.crawlers = receiver, policy, crawlers
        self.host, self.port = host, port

    def resolutionBegan(self, resolution: IHostResolution) -> None:
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: IAddress) -> None:
        text = str(getattr(address, "host", ""))
        try:
            addr = ipaddress.ip_address(text.split("%", 1)[0])
        except ValueError:
            reason: str | None = "bad_address"
        else:
            reason = self.policy.address_refusal(addr, self.port)
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
        for crawler in self.crawlers:
            stats = getattr(crawler, "stats", None)
            if stats is not None:
                stats.inc_value("dsi/network/refused_at_connect")
                stats.inc_value(f"dsi/network/refused/{reason}")

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

    def policy_and_crawlers(self) -> tuple[NetworkPolicy, list[Any]]:
        """The policy of the connection being opened, and the crawls its refusals count in."""
        crawler = _CONNECTING_FOR.get()
        if crawler is not None:
            return crawl_policy(crawler, crawler.spider), [crawler]
        if self.owner is None:
            return NetworkPolicy(), []
        return settings_policy(self.owner), list(
            getattr(self.owner, "crawlers", ()) or [self.owner]
        )

    def resolveHostName(
        self,
        resolutionReceiver: IResolutionReceiver,
        hostName: str,
        portNumber: int = 0,
        addressTypes: Sequence[type[IAddress]] | None = None,
        transportSemantics: str = "TCP",
    ) -> IHostResolution:
        policy, crawlers = self.policy_and_crawlers()
        receiver: Any = _CheckingReceiver(
            resolutionReceiver, policy, crawlers, hostName, portNumber
        )
        result: IHostResolution = super().resolveHostName(
            receiver, hostName, portNumber, addressTypes, transportSemantics
        )
        return result
