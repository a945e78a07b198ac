"""The baseline: a bare Scrapy spider that only follows the benchmark web's links.

On the job board it follows every link under ``/jobs/`` (listings and adverts: what the jobs
spider follows there); on an organisation website every link of the same origin (its pages).
No parsing beyond Scrapy's own selectors, no items, no pipelines. On the open-data portal's
API it asks for the pages the opendata spider asks for: the rest of ``package_search`` once the
first page gives the count, and ``organization_list`` pages until one is empty (only those
pages' JSON is decoded, for the count and the number of organisations).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

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
        here = urlsplit(response.url)
        if here.path.startswith("/api/3/action/"):
            yield from self.parse_api(response)
            return
        if not isinstance(response, TextResponse):
            return
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

    def parse_api(self, response: Response) -> Iterator[scrapy.Request]:
        """The next pages of a CKAN API listing, as the opendata spider pages it."""
        parts = urlsplit(response.url)
        action = parts.path.rsplit("/", 1)[-1]
        query = parse_qs(parts.query)
        if action == "package_search" and query.get("start") == ["0"]:
            rows = int(query["rows"][0])
            count = int(json.loads(response.body)["result"]["count"])
            for start in range(rows, count, rows):
                yield self._request(re.sub(r"start=0\b", f"start={start}", response.url))
        elif action == "organization_list":
            got = len(json.loads(response.body)["result"])
            if got:
                offset = int(query["offset"][0]) + got
                yield self._request(re.sub(r"offset=\d+", f"offset={offset}", response.url))
