"""Fixture cases for the ``website`` spider: a whole site per case, crawled from files.

A case is ``fixtures/website/<case>.html`` (the home page) with ``<case>.meta.json``::

    {"url": "http://127.0.0.1:8001/",          # where the home page lives
     "pages": {"<url>": "<case>--about.html"},  # further pages of the site
     "rendered": {"<url>": "<file>"},           # what chromium returns for a page (optional)
     "status": {"<url>": 500},                  # pages that answer with an error (optional)
     "headers": {"<url>": {"Content-Type": ...}},
     "seed": "<url>",                           # a seed other than the home page (optional)
     "now": "2025-06-01T12:00:00", "source_options": {...}}

and ``<case>.expected.json``. The spider's callbacks are async (extraction runs in a thread),
so the harness's ``follow`` is replaced by :func:`crawl_case`, which answers every request
from the map, turns unmapped URLs into 404 responses through the errback (as Scrapy's
``HttpErrorMiddleware`` does) and records what was requested.
"""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler.items import WebsiteProfile
from spiders.website import WebsiteSpider
from tests.spiders.harness import (
    FIXTURES,
    compare_with_expected,
    fixture_response,
    item_dicts,
    make_spider,
)

CASES_DIR = FIXTURES / "website"
CASES = sorted(p.stem for p in CASES_DIR.glob("*.html") if "--" not in p.stem)
DEFAULT_NOW = "2025-06-01T12:00:00"


def _failure(request: Request, exc: Exception) -> Failure:
    try:
        raise exc
    except Exception:
        failure = Failure()
    failure.request = request  # type: ignore[attr-defined]
    return failure


async def _run(
    spider: WebsiteSpider, requests: list[Request], meta: dict[str, Any], log: list[Request]
) -> list[Any]:
    pages: dict[str, str] = meta.get("pages", {})
    rendered: dict[str, str] = meta.get("rendered", {})
    status: dict[str, int] = meta.get("status", {})
    headers: dict[str, dict[str, str]] = meta.get("headers", {})
    home = meta["url"]
    files = {home: f"{meta['case']}.html", **pages}
    out: list[Any] = []
    queue = list(requests)
    while queue:
        request = queue.pop(0)
        log.append(request)
        url = request.url
        browser = bool(request.meta.get("playwright"))
        name = rendered.get(url) if browser else files.get(url)
        code = status.get(url)
        if name is None or code is not None:
            error = HtmlResponse(
                url=url, status=code or 404, body=b"<html></html>", request=request
            )
            errback: Any = request.errback
            results: Any = errback(_failure(request, HttpError(error)))
            produced = list(results or [])
        else:
            response = fixture_response(
                CASES_DIR / name, url, request=request, headers=headers.get(url)
            )
            callback: Any = request.callback
            produced = [r async for r in callback(response, **request.cb_kwargs)]
        for result in produced:
            if isinstance(result, Request):
                queue.append(result)
            else:
                out.append(result)
    return out


def crawl_case(case: str) -> tuple[list[Any], list[Request], WebsiteSpider]:
    meta = json.loads((CASES_DIR / f"{case}.meta.json").read_text(encoding="utf-8"))
    meta["case"] = case
    spider = make_spider(
        WebsiteSpider, urls=[meta.get("seed", meta["url"])], **meta.get("source_options", {})
    )
    spider.now = datetime.fromisoformat(meta.get("now", DEFAULT_NOW))
    log: list[Request] = []
    requests = spider.seed_requests(spider.start_urls)
    items = asyncio.run(_run(spider, requests, meta, log))
    return items, log, spider


@pytest.mark.parametrize("case", CASES)
def test_website_case(case: str) -> None:
    items, _, spider = crawl_case(case)
    assert all(isinstance(i, WebsiteProfile) for i in items)
    assert len(items) == 1, "one profile per site"
    assert all(s.pending == 0 and s.done for s in spider.sites.values())
    compare_with_expected(item_dicts(items), CASES_DIR / f"{case}.expected.json")


def test_cases_cover_many_languages() -> None:
    languages: set[str] = set()
    for case in CASES:
        expected = json.loads((CASES_DIR / f"{case}.expected.json").read_text("utf-8"))
        languages.update(item["language"] for item in expected if item["language"])
    assert {"en", "de", "fr", "es", "it", "nl", "pl", "sv"} <= languages
    assert len(CASES) >= 12


def test_trap_site_is_bounded() -> None:
    _, log, spider = crawl_case("trap_site")
    urls = [r.url for r in log]
    assert len(urls) == len(set(urls)) or all(r.meta.get("playwright") for r in log[1:])
    assert not any("kalender" in u or "calendar" in u or u.endswith(".pdf") for u in urls)
    assert len(urls) <= spider.pages_per_site
    stats = spider.crawler.stats.get_stats()
    assert stats.get("dsi/parse/website/trap_file", 0) >= 1  # the PDF
    assert stats.get("dsi/parse/website/trap_query", 0) >= 1  # ?print=1 and the 3rd ?page=
    assert stats.get("dsi/parse/website/http_500", 0) == 1


def test_js_page_is_rendered_only_when_needed() -> None:
    _, log, _ = crawl_case("js_app_rendered")
    browser = [r.url for r in log if r.meta.get("playwright")]
    plain = [r.url for r in log if not r.meta.get("playwright")]
    assert browser and browser[0] == plain[0]  # the home page, once plainly, once rendered
    assert plain == [plain[0]], "later pages of a JS site go straight to the browser"
    _, log, _ = crawl_case("de_verein")
    assert not any(r.meta.get("playwright") for r in log)


def test_js_page_without_browser_keeps_state_text() -> None:
    items, log, spider = crawl_case("js_app_norender")
    assert not any(r.meta.get("playwright") for r in log)
    assert spider.crawler.stats.get_value("dsi/website/render_skipped") == 1
    assert items[0].rendered_with_browser is False
    assert "Mobilität" in items[0].main_text


def test_page_budget_is_respected() -> None:
    meta_budget = 3
    spider = make_spider(WebsiteSpider, urls=["http://127.0.0.1:8001/"], pages_per_site=meta_budget)
    assert spider.pages_per_site == meta_budget
    items, log, _ = crawl_case("en_civictech")
    assert len(items[0].pages) <= 8
    assert len({r.url for r in log}) <= 8


def test_duplicate_seeds_make_one_site() -> None:
    spider = make_spider(WebsiteSpider, urls=["http://127.0.0.1:8001/"])
    requests = spider.seed_requests(
        [
            "http://127.0.0.1:8001/",
            "http://127.0.0.1:8001/about",
            "not a url",
            "http://www.example.org/x",
            "https://example.org/",
        ]
    )
    assert [r.url for r in requests] == ["http://127.0.0.1:8001/", "http://www.example.org/"]
    assert spider.crawler.stats.get_value("dsi/parse/website/bad_seed") == 1


def test_failure_reasons() -> None:
    from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
    from twisted.internet.error import ConnectionRefusedError, DNSLookupError

    request = Request("http://127.0.0.1:9/")
    reason = WebsiteSpider._failure_reason
    assert reason(_failure(request, IgnoreRequest("max redirections reached"))) == "redirect_loop"
    assert reason(_failure(request, IgnoreRequest("Forbidden by robots.txt"))) == "robots_forbidden"
    assert reason(_failure(request, DownloadCancelledError("too big"))) == "too_large"
    assert reason(_failure(request, ConnectionRefusedError())) == "unreachable"
    assert reason(_failure(request, DNSLookupError())) == "unreachable"


def test_non_html_is_stopped_at_headers() -> None:
    from scrapy.exceptions import StopDownload
    from scrapy.http import Headers

    spider = make_spider(WebsiteSpider)
    request = spider.seed_requests(["http://127.0.0.1:8001/"])[0]
    with pytest.raises(StopDownload):
        spider._on_headers(Headers({"Content-Type": "application/pdf"}), 0, request, spider)
    spider._on_headers(Headers({"Content-Type": "text/html; charset=utf-8"}), 0, request, spider)
    spider._on_headers(Headers({}), 0, request, spider)


def test_wrong_charset_is_repaired() -> None:
    items, _, spider = crawl_case("cp1252_site")
    assert spider.crawler.stats.get_value("dsi/parse/website/bad_charset") == 1
    assert "Genossenschaft für" in items[0].main_text
    assert "\ufffd" not in items[0].main_text


def test_fixture_paths_exist() -> None:
    for case in CASES:
        meta = json.loads((CASES_DIR / f"{case}.meta.json").read_text("utf-8"))
        for name in [*meta.get("pages", {}).values(), *meta.get("rendered", {}).values()]:
            assert (CASES_DIR / name).exists(), name
        assert Path(CASES_DIR / f"{case}.expected.json").exists()
