"""Two crawls in one process (one reactor, one Twisted resolver): ``trusting`` allows private
addresses (as the sandbox's sources do), ``guarded`` does not and runs without the request
middleware, so only the connection-time check stands between it and loopback.

``python -m tests.reliability.two_crawls PORT`` crawls ``http://localhost:PORT/<name>`` with
each and prints, as JSON, each crawl's status codes received and its network stats."""

from __future__ import annotations

import json
import sys
from types import SimpleNamespace
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess

from crawler.runner import project_settings


class Probe(scrapy.Spider):
    name = "probe"

    def __init__(self, *args: Any, url: str, allow: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dsi_source = SimpleNamespace(allow_private_network=allow)
        self.start_urls = [url]
        self.received: list[int] = []

    def parse(self, response: Any) -> Any:
        self.received.append(response.status)
        return []


def main(port: int) -> None:
    settings = project_settings(
        None, ROBOTSTXT_OBEY=False, RETRY_ENABLED=False, LOG_LEVEL="WARNING", EXTENSIONS={}
    )
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawlers = {}
    for name, allow in (("trusting", True), ("guarded", False)):
        crawler = process.create_crawler(Probe)
        if not allow:
            crawler.settings.set("DOWNLOADER_MIDDLEWARES", {}, priority="cmdline")
        process.crawl(crawler, url=f"http://localhost:{port}/{name}", allow=allow)
        crawlers[name] = crawler
    process.start()
    report = {}
    for name, crawler in crawlers.items():
        stats = crawler.stats.get_stats() if crawler.stats else {}
        report[name] = {
            "received": crawler.spider.received if crawler.spider else [],
            "network": {k: v for k, v in stats.items() if k.startswith("dsi/network/")},
        }
    print(json.dumps(report))


if __name__ == "__main__":
    main(int(sys.argv[1]))
