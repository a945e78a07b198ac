"""Fixture cases for the ``opendata`` spider (CKAN, DCAT, Socrata answers in their real formats).

A case is ``fixtures/opendata/<case>.<ext>`` + ``<case>.meta.json`` + ``<case>.expected.json``.
The meta file gives the URL, the callback, request meta, the source, a URL -> file map for
follow-up requests and the stats the case must count.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request

from spiders.opendata import OpendataSpider
from tests.spiders.harness import (
    FIXTURES,
    compare_with_expected,
    fixture_response,
    item_dicts,
    make_spider,
)

CASES_DIR = FIXTURES / "opendata"
CASES = sorted(p.name.removesuffix(".meta.json") for p in CASES_DIR.glob("*.meta.json"))


def drain(output: Any) -> list[Any]:
    """The results of a callback: a sync iterable or an async generator (DCAT, Socrata)."""
    if output is None:
        return []
    if inspect.isasyncgen(output):

        async def collect() -> list[Any]:
            return [x async for x in output]

        return asyncio.run(collect())
    return list(output)


def follow_any(
    results: Iterable[Any], responses: dict[str, Path], max_depth: int = 10
) -> list[Any]:
    """Like ``harness.follow``, for sync and async callbacks (requests not in the map dropped)."""
    out: list[Any] = []
    stack: list[tuple[Any, int]] = [(r, 0) for r in results]
    while stack:
        result, depth = stack.pop(0)
        if isinstance(result, Request):
            path = responses.get(result.url)
            if path is None or depth >= max_depth:
                continue
            resp = fixture_response(path, result.url, request=result)
            assert result.callback is not None
            stack.extend((r, depth + 1) for r in drain(result.callback(resp, **result.cb_kwargs)))
        else:
            out.append(result)
    return out


def case_file(case: str) -> Path:
    found = [
        p
        for p in CASES_DIR.glob(f"{case}.*")
        if not p.name.endswith((".meta.json", ".expected.json"))
    ]
    assert len(found) == 1, found
    return found[0]


def spider_for(meta: dict[str, Any]) -> OpendataSpider:
    spider: OpendataSpider = make_spider(
        OpendataSpider, urls=meta["source_urls"], **meta.get("source_options", {})
    )
    return spider


@pytest.mark.parametrize("case", CASES)
def test_fixture_case(case: str) -> None:
    meta = json.loads((CASES_DIR / f"{case}.meta.json").read_text(encoding="utf-8"))
    spider = spider_for(meta)
    request = Request(meta["url"], meta=meta.get("request_meta", {}))
    response = fixture_response(
        case_file(case), meta["url"], request=request, status=meta.get("status", 200)
    )
    responses = {url: CASES_DIR / name for url, name in meta.get("responses", {}).items()}
    first = drain(getattr(spider, meta["callback"])(response))
    items = item_dicts(follow_any(first, responses))
    compare_with_expected(items, CASES_DIR / f"{case}.expected.json")
    stats = spider.crawler.stats.get_stats()
    for key, value in meta.get("stats", {}).items():
        assert stats.get(key) == value, (key, stats)
    # every item is one dataset/showcase/publisher: no URL twice
    urls = [i["url"] for i in items]
    assert len(urls) == len(set(urls))


def test_fixture_cases_exist_for_each_api() -> None:
    prefixes = {c.split("_", 1)[0] for c in CASES}
    assert {"ckan29", "ckan22", "ckan", "dcat", "socrata"} <= prefixes


# --- routing ---------------------------------------------------------------------------------
def test_ckan_start_requests_sorted_paged_and_capped() -> None:
    spider = make_spider(
        OpendataSpider, urls=["https://h.example/data/dataset"], api="ckan", rows=5000
    )
    reqs = spider.start_requests_for_source()
    search = reqs[0]
    assert search.url.startswith("https://h.example/data/api/3/action/package_search?")
    assert "rows=1000" in search.url and "start=0" in search.url
    assert "sort=metadata_modified+asc%2Cid+asc" in search.url
    assert "fq=" not in search.url
    assert [r.url.split("?")[0].rsplit("/", 1)[1] for r in reqs[1:]] == [
        "organization_list",
        "ckanext_showcase_list",
    ]


def test_incremental_run_asks_for_changes_and_lists_ids() -> None:
    from datetime import UTC, datetime

    spider = make_spider(OpendataSpider, urls=["https://h.example/"], api="ckan")
    portal = spider.portals["https://h.example/"]
    portal.since = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    portal.stored = {"https://h.example/dataset/old": "id-1"}
    reqs = spider.start_requests_for_source()
    assert "fq=metadata_modified%3A%5B2024-05-01T10%3A00%3A00Z+TO+%2A%5D" in reqs[0].url
    listing = [r for r in reqs if r.meta["dsi_role"] == "listing"]
    assert len(listing) == 1 and "fl=id%2Cname" in listing[0].url


def test_first_page_schedules_the_rest_and_adapts_to_a_server_cap() -> None:
    spider = make_spider(OpendataSpider, urls=["https://h.example/"], api="ckan", rows=100)
    body = {
        "success": True,
        "result": {
            "count": 95,
            "results": [
                {"id": f"id-{i}", "name": f"n-{i}", "title": f"T {i}", "resources": []}
                for i in range(40)
            ],
        },
    }
    url = "https://h.example/api/3/action/package_search?start=0"
    resp = _json_response(url, body, meta={"start": 0, "rows": 100})
    out = list(spider.parse_search(resp))
    starts = [r.meta["start"] for r in out if isinstance(r, Request)]
    assert starts == [40, 80]
    assert all(r.meta["rows"] == 40 for r in out if isinstance(r, Request))
    assert spider.crawler.stats.get_value("dsi/parse/opendata/rows_capped") == 1


def test_changed_total_is_counted_and_the_listing_read_again() -> None:
    from scrapy.exceptions import DontCloseSpider

    spider = make_spider(OpendataSpider, urls=["https://h.example/"], api="ckan", rows=2)
    scheduled: list[Request] = []
    spider.crawler.engine = type("E", (), {"crawl": lambda self, r: scheduled.append(r)})()
    base = "https://h.example/api/3/action/package_search"
    page = {
        "success": True,
        "result": {
            "count": 4,
            "results": [
                {"id": "a", "name": "a", "title": "A", "metadata_modified": "2024-01-01T00:00:00"},
                {"id": "b", "name": "b", "title": "B", "metadata_modified": "2024-01-02T00:00:00"},
            ],
        },
    }
    out = list(
        spider.parse_search(_json_response(base + "?start=0", page, meta={"start": 0, "rows": 2}))
    )
    assert len([o for o in out if isinstance(o, Request)]) == 1
    page2 = {
        "success": True,
        "result": {
            "count": 5,
            "results": [
                {"id": "b", "name": "b", "title": "B", "metadata_modified": "2024-01-02T00:00:00"},
                {"id": "c", "name": "c", "title": "C", "metadata_modified": "2024-01-03T00:00:00"},
            ],
        },
    }
    out2 = list(
        spider.parse_search(_json_response(base + "?start=2", page2, meta={"start": 2, "rows": 2}))
    )
    assert [o.dataset_id for o in out2] == ["c"]  # b is not emitted twice
    assert spider.crawler.stats.get_value("dsi/parse/opendata/count_changed") == 1
    with pytest.raises(DontCloseSpider):
        spider.on_idle(spider)
    assert len(scheduled) == 1 and scheduled[0].meta["search_pass"] == 1
    # the second pass is stable: the run ends complete
    page3 = {
        "success": True,
        "result": {
            "count": 3,
            "results": [
                {"id": "a", "name": "a", "title": "A", "metadata_modified": "2024-01-01T00:00:00"},
                {"id": "c", "name": "c", "title": "C", "metadata_modified": "2024-01-03T00:00:00"},
                {"id": "d", "name": "d", "title": "D", "metadata_modified": "2024-01-04T00:00:00"},
            ],
        },
    }
    out3 = list(
        spider.parse_search(
            _json_response(base + "?start=0&p=2", page3, meta={"start": 0, "rows": 2})
        )
    )
    assert [o.dataset_id for o in out3 if not isinstance(o, Request)] == ["d"]
    spider.on_idle(spider)  # no CloseSpider: complete
    assert spider.crawler.stats.get_value("dsi/opendata/complete") == 1
    assert spider.crawler.stats.get_value("dsi/opendata/watermarks") == {
        "https://h.example/": "2024-01-04T00:00:00+00:00"
    }


def test_failed_page_is_asked_again_then_the_run_ends_incomplete() -> None:
    from scrapy.exceptions import CloseSpider, DontCloseSpider

    spider = make_spider(OpendataSpider, urls=["https://h.example/"], api="ckan")
    scheduled: list[Request] = []
    spider.crawler.engine = type("E", (), {"crawl": lambda self, r: scheduled.append(r)})()
    url = "https://h.example/api/3/action/package_search?start=0"
    resp = fixture_response(
        CASES_DIR / "ckan_html.html",
        url,
        request=Request(url, meta={"start": 0, "rows": 100}),
        status=503,
    )
    assert list(spider.parse_search(resp)) == []
    with pytest.raises(DontCloseSpider):
        spider.on_idle(spider)  # second chance for the failed page
    assert [(r.meta["start"], r.meta.get("split")) for r in scheduled] == [(0, None)]
    assert list(spider.parse_search(resp)) == []  # fails again
    with pytest.raises(CloseSpider) as exc:
        spider.on_idle(spider)
    assert exc.value.reason == "incomplete"
    assert spider.crawler.stats.get_value("dsi/parse/opendata/not_json") == 2
    assert spider.crawler.stats.get_value("dsi/opendata/complete") is None


def test_too_large_page_is_split() -> None:
    from twisted.python.failure import Failure

    spider = make_spider(OpendataSpider, urls=["https://h.example/"], api="ckan", rows=100)
    portal = spider.portals["https://h.example/"]
    req = spider._search_request(portal, 200, 100)
    try:
        raise RuntimeError("Received 11000000 bytes which is larger than download max size")
    except RuntimeError:
        failure = Failure()
    failure.request = req  # type: ignore[attr-defined]
    out = list(spider.on_error(failure))
    assert [(r.meta["start"], r.meta["rows"]) for r in out] == [(200, 50), (250, 50)]
    assert spider.crawler.stats.get_value("dsi/parse/opendata/too_large_split") == 1


def test_timeout_is_recorded() -> None:
    from twisted.internet.error import TimeoutError as TxTimeout
    from twisted.python.failure import Failure

    spider = make_spider(OpendataSpider, urls=["https://h.example/"], api="dcat")
    req = spider.start_requests_for_source()[0]
    failure = Failure(TxTimeout("User timeout caused connection failure."))
    failure.request = req  # type: ignore[attr-defined]
    assert list(spider.on_error(failure)) == []
    assert spider.crawler.stats.get_value("dsi/parse/opendata/timeout") == 1
    assert spider.portals["https://h.example/"].problems == ["timeout"]


def test_detection_probes_ckan_then_the_page() -> None:
    spider = make_spider(OpendataSpider, urls=["https://portal.example/open/"])
    probe = spider.start_requests_for_source()[0]
    assert probe.url == "https://portal.example/open/api/3/action/status_show"
    ok = {"help": "h", "success": True, "result": {"ckan_version": "2.9.9"}}
    out = list(spider.parse_probe_ckan(_json_response(probe.url, ok, meta=probe.meta)))
    assert out[0].url.startswith("https://portal.example/open/api/3/action/package_search")
    assert spider.portals["https://portal.example/open/"].api == "ckan"

    spider = make_spider(OpendataSpider, urls=["https://portal.example/open/"])
    probe = spider.start_requests_for_source()[0]
    html = fixture_response(CASES_DIR / "ckan_html.html", probe.url, request=probe, status=404)
    page_req = next(iter(spider.parse_probe_ckan(html)))
    assert page_req.url == "https://portal.example/open/"
    landing = (
        b'<html><head><link rel="alternate" type="text/turtle" href="catalog.ttl">'
        b"</head><body>Open data</body></html>"
    )
    from scrapy.http import HtmlResponse

    resp = HtmlResponse(page_req.url, body=landing, request=page_req)
    out = drain(spider.parse_probe_page(resp))
    assert out[0].url == "https://portal.example/open/catalog.ttl"
    assert out[0].callback == spider.parse_dcat


def test_detection_gives_up_clearly() -> None:
    spider = make_spider(OpendataSpider, urls=["https://portal.example/"])
    req = Request(
        "https://portal.example/api/catalog/v1?limit=1&offset=0",
        meta={"dsi_portal": "https://portal.example/"},
    )
    resp = fixture_response(CASES_DIR / "ckan_html.html", req.url, request=req, status=404)
    assert list(spider.parse_probe_socrata(resp)) == []
    assert spider.crawler.stats.get_value("dsi/parse/opendata/api_undetected") == 1


def test_unknown_api_option_is_refused() -> None:
    with pytest.raises(ValueError, match="api must be one of"):
        make_spider(OpendataSpider, urls=["https://h.example/"], api="arcgis")


def _json_response(url: str, data: Any, meta: dict[str, Any] | None = None) -> Any:
    from scrapy.http import TextResponse

    req = Request(url, meta=meta or {})
    return TextResponse(
        url,
        body=json.dumps(data).encode(),
        request=req,
        headers={"Content-Type": "application/json"},
    )
