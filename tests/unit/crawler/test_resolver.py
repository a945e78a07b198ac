"""Connection-time address checks: a name that answers a private address when Scrapy
connects is refused even if it answered a public one before (DNS rebinding)."""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.utils.test import get_crawler
from twisted.internet.address import IPv4Address, IPv6Address

from crawler.resolver import GuardedResolver


class RebindingResolver:
    """Answers a public address first, then loopback and metadata addresses."""

    def __init__(self) -> None:
        self.calls = 0

    def resolveHostName(self, receiver: Any, host: str, port: int = 0, *args: Any) -> Any:
        self.calls += 1
        receiver.resolutionBegan(object())
        if self.calls == 1:
            receiver.addressResolved(IPv4Address("TCP", "93.184.216.34", port))
        else:
            receiver.addressResolved(IPv4Address("TCP", "127.0.0.1", port))
            receiver.addressResolved(IPv6Address("TCP", "::ffff:169.254.169.254", port))
            receiver.addressResolved(IPv4Address("TCP", "93.184.216.35", port))
        receiver.resolutionComplete()
        return object()


class Receiver:
    def __init__(self) -> None:
        self.addresses: list[str] = []
        self.complete = False

    def resolutionBegan(self, resolution: Any) -> None:
        pass

    def addressResolved(self, address: Any) -> None:
        self.addresses.append(address.host)

    def resolutionComplete(self) -> None:
        self.complete = True


class FakeReactor:
    def __init__(self) -> None:
        self.nameResolver = RebindingResolver()


def resolve(resolver: GuardedResolver, host: str) -> list[str]:
    receiver = Receiver()
    resolver.resolveHostName(receiver, host, 80)
    assert receiver.complete
    return receiver.addresses


def test_private_answers_are_dropped_at_connection_time() -> None:
    crawler = get_crawler(Spider, settings_dict={"DNSCACHE_ENABLED": False})
    crawler.stats.open_spider(None)
    resolver = GuardedResolver.from_crawler(crawler, FakeReactor())
    assert resolve(resolver, "rebind.test") == ["93.184.216.34"]
    assert resolve(resolver, "rebind.test") == ["93.184.216.35"]
    assert crawler.stats.get_value("dsi/network/refused_at_connect") == 2
    assert crawler.stats.get_value("dsi/network/refused/loopback") == 1
    assert crawler.stats.get_value("dsi/network/refused/metadata") == 1


def test_allowed_addresses_pass_at_connection_time() -> None:
    settings = {"DNSCACHE_ENABLED": False, "DSI_NETWORK_ALLOW": ["127.0.0.1:80"]}
    crawler = get_crawler(Spider, settings_dict=settings)
    crawler.stats.open_spider(None)
    resolver = GuardedResolver.from_crawler(crawler, FakeReactor())
    resolve(resolver, "rebind.test")
    assert resolve(resolver, "rebind.test") == ["127.0.0.1", "93.184.216.35"]


def test_the_project_installs_the_guarded_resolver() -> None:
    from crawler import settings

    assert settings.TWISTED_DNS_RESOLVER == "crawler.resolver.GuardedResolver"


class Source:
    def __init__(self, allow: bool) -> None:
        self.allow_private_network = allow


def crawler_of(allow: bool) -> Any:
    crawler = get_crawler(Spider, settings_dict={"DNSCACHE_ENABLED": False})
    crawler.stats.open_spider(None)
    crawler.spider = Spider("probe")
    crawler.spider.dsi_source = Source(allow)  # type: ignore[attr-defined]
    return crawler


def test_each_connection_is_checked_against_its_own_crawls_policy() -> None:
    from crawler.resolver import connecting_for

    trusting, guarded = crawler_of(True), crawler_of(False)
    resolver = GuardedResolver.from_crawler(guarded, FakeReactor())
    resolve(resolver, "rebind.test")  # the first answer is public
    with connecting_for(trusting):
        answers = resolve(resolver, "rebind.test")
    assert answers == ["127.0.0.1", "::ffff:169.254.169.254", "93.184.216.35"]
    with connecting_for(guarded):
        assert resolve(resolver, "rebind.test") == ["93.184.216.35"]
    # no crawl named: the settings' policy alone, private addresses refused
    assert resolve(resolver, "rebind.test") == ["93.184.216.35"]
    assert trusting.stats.get_value("dsi/network/refused_at_connect") is None
    assert guarded.stats.get_value("dsi/network/refused_at_connect") == 4


def test_the_project_checks_connections_per_crawl() -> None:
    from crawler import settings

    assert set(settings.DOWNLOAD_HANDLERS.values()) == {
        "crawler.download.GuardedHTTPDownloadHandler"
    }
    assert set(settings.DSI_PLAYWRIGHT_DOWNLOAD_HANDLERS.values()) == {
        "crawler.download.GuardedPlaywrightDownloadHandler"
    }
