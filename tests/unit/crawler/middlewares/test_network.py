from __future__ import annotations

import pytest
from scrapy import Request, Spider
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler

from crawler.middlewares.network import PrivateNetworkMiddleware, is_private_host
from crawler.sources import source_from_mapping


@pytest.mark.parametrize(
    ("host", "private"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("app.localhost", True),
        ("10.1.2.3", True),
        ("192.168.0.1", True),
        ("169.254.169.254", True),
        ("[::1]", True),
        ("0.0.0.0", True),
        ("", True),
        (None, True),
        ("example.org", False),
        ("93.184.216.34", False),
    ],
)
def test_is_private_host(host: str | None, private: bool) -> None:
    assert is_private_host(host) is private


def spider_for(allow: bool) -> Spider:
    spider = Spider(name="jobs")
    spider.dsi_source = source_from_mapping(  # type: ignore[attr-defined]
        {"name": "s", "spider": "jobs", "urls": ["http://a.org/"], "allow_private_network": allow}
    )
    return spider


def test_refuses_private_unless_allowed() -> None:
    crawler = get_crawler(Spider)
    crawler.stats.open_spider(None)
    mw = PrivateNetworkMiddleware.from_crawler(crawler)
    with pytest.raises(IgnoreRequest):
        mw.process_request(Request("http://127.0.0.1:8080/"), spider_for(False))
    assert crawler.stats.get_value("dsi/network/private_refused") == 1
    assert mw.process_request(Request("http://127.0.0.1:8080/"), spider_for(True)) is None
    assert mw.process_request(Request("https://example.org/"), spider_for(False)) is None
