"""The project's download handlers: Scrapy's (and scrapy-playwright's) with every connection
they open checked against their own crawl's network policy at connection time.

The check itself is :class:`crawler.resolver.GuardedResolver`'s; these handlers only say which
crawl a connection is for (:func:`crawler.resolver.connecting_for`), around the call in which
Twisted resolves the host and connects. Browser requests are fetched by
:class:`crawler.browser_guard.BrowserGuard` under the same policy.
"""

from __future__ import annotations

from typing import Any

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.http import Response
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from crawler.resolver import connecting_for


class _ConnectsForItsCrawl:
    """Mixin over an HTTP download handler that keeps ``_crawler`` (Scrapy's does)."""

    _crawler: Any

    async def download_request(self, request: Request) -> Response:
        with connecting_for(self._crawler):
            response: Response = await super().download_request(request)  # type: ignore[misc]
        return response


class GuardedHTTPDownloadHandler(_ConnectsForItsCrawl, HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, connections checked for its crawl."""


class GuardedPlaywrightDownloadHandler(_ConnectsForItsCrawl, ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright's handler; its plain (not rendered) requests are checked for its
    crawl, its rendered ones go through the browser guard."""
