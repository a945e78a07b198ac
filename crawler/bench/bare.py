"""The baseline: a bare Scrapy spider that only follows the benchmark web's links.

On the job board it follows every link under ``/jobs/`` (listings and adverts: what the jobs
spider follows there); on an organisation website every link of the same origin (its pages).
No parsing beyond Scrapy's own selectors, no items, no pipelines.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response, TextResponse


class BareSpider(scrapy.Spider):
    name = "bench-bare"

    def __init__(self, *args: Any, urls: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.start_urls = urls

    async def start(self) -> Any:
        for url in self.start_urls:
            yield self._request(url)

    def _request(self, url: str) -> scrapy.Request:
        slot = urlsplit(url).netloc
        return scrapy.Request(url, callback=self.parse, meta={"download_slot": slot})

    def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request]:
        if not isinstance(response, TextResponse):
            return
        here = urlsplit(response.url)
        board = here.path.startswith("/jobs/")
        seen = {response.url}
        for href in response.css("a::attr(href), link[rel=next]::attr(href)").getall():
            url = urljoin(response.url, href).split("#", 1)[0]
            parts = urlsplit(url)
            if parts.netloc != here.netloc:
                continue
            if (board and not parts.path.startswith("/jobs/")) or url in seen:
                continue
            seen.add(url)
            yield self._request(url)
