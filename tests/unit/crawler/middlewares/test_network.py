from __future__ import annotations

import asyncio
import logging

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler

from crawler.middlewares.network import PrivateNetworkMiddleware
from crawler.sources import source_from_mapping


def spider_for(allow: bool) -> Spider:
    spider = Spider(name="jobs")
    spider.dsi_source = source_from_mapping(  # type: ignore[attr-defined]
        {"name": "s", "spider": "jobs", "urls": ["http://a.org/"], "allow_private_network": allow}
    )
    return spider


async def fake_resolve(host: str, port: int) -> list[str]:
    return {"rebind.test": ["93.184.216.34", "169.254.169.254"]}.get(host, ["93.184.216.34"])


def middleware(**settings: object) -> PrivateNetworkMiddleware:
    crawler = get_crawler(Spider, settings_dict=settings)
    crawler.stats.open_spider(None)
    return PrivateNetworkMiddleware(crawler, resolve=fake_resolve)


def process(mw: PrivateNetworkMiddleware, url: str, spider: Spider) -> object:
    return asyncio.run(mw.process_request(Request(url), spider))  # type: ignore[func-returns-value]


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080/", "http://2130706433/", "http://0x7f000001/", "http://127.1/",
     "http://0177.0.0.1/", "http://localhost./", "http://100.64.1.1/", "http://[::ffff:10.0.0.1]/",
     "http://rebind.test/"],
)  # fmt: skip
def test_refuses_every_spelling_unless_allowed(url: str, caplog: pytest.LogCaptureFixture) -> None:
    mw = middleware()
    with caplog.at_level(logging.WARNING), pytest.raises(IgnoreRequest, match="network policy"):
        process(mw, url, spider_for(False))
    lines = [r.getMessage() for r in caplog.records if "network policy refused" in r.getMessage()]
    assert len(lines) == 1 and url in lines[0]
    assert mw.crawler.stats.get_value("dsi/network/private_refused") == 1
    assert process(mw, url, spider_for(True)) is None


def test_public_names_and_allow_listed_addresses_pass() -> None:
    mw = middleware(DSI_NETWORK_ALLOW=["127.0.0.1:8080"])
    assert process(mw, "https://example.org/", spider_for(False)) is None
    assert process(mw, "http://127.0.0.1:8080/x", spider_for(False)) is None
    with pytest.raises(IgnoreRequest):
        process(mw, "http://127.0.0.1:8081/x", spider_for(False))
    stats = mw.crawler.stats
    assert stats.get_value("dsi/network/refused/loopback") == 1
