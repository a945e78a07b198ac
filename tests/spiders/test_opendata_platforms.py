"""OpenDataSoft, uData and ArcGIS Hub in the ``opendata`` spider: detection, paging,
incremental runs and deletion marks (the fixture cases are in ``test_opendata.py``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import TextResponse

from crawler.extensions.signals import datasets_vanished
from spiders.opendata import OpendataSpider
from spiders.portals.detect import VERSION_PROBES, api_from_url
from tests.spiders.harness import drain, make_spider


def answer(request: Request, data: Any, status: int = 200) -> TextResponse:
    body = data if isinstance(data, bytes) else json.dumps(data).encode()
    return TextResponse(
        request.url,
        body=body,
        status=status,
        request=request,
        headers={"Content-Type": "application/json"},
    )


def vanished(spider: OpendataSpider) -> list[list[str]]:
    """The URL lists announced with ``datasets_vanished`` (collected as they are sent)."""
    seen: list[list[str]] = []

    def record(spider: Any, portal_url: str, urls: list[str]) -> None:
        seen.append(list(urls))

    spider.crawler.signals.connect(record, signal=datasets_vanished, weak=False)
    return seen


@pytest.mark.parametrize(
    ("url", "api"),
    [
        ("https://data.example.org/api/explore/v2.1/catalog/datasets", "opendatasoft"),
        ("https://lumiere.opendatasoft.com/explore/", "opendatasoft"),
        ("https://www.data.gouv.fr/fr/", "udata"),
        ("https://portal.example/api/1/datasets/?page=1", "udata"),
        ("https://old-ckan.example/api/1/rest/dataset", None),
        ("https://city.hub.arcgis.com/", "arcgis"),
        ("https://hub.example/api/search/v1/collections/dataset/items", "arcgis"),
        ("https://hub.example/api/feed/dcat-ap/2.0.1.json", "arcgis"),
        ("https://catalog.example.gov/data.json", "dcat"),
        ("https://ckan.example/api/3/action/package_search", "ckan"),
    ],
)
def test_api_from_url_shapes_and_hosts(url: str, api: str | None) -> None:
    assert api_from_url(url) == api


SITE = {"id": "s1", "title": "Données ouvertes", "metrics": {"datasets": 3}}
ODS_ROOT = {"links": [{"href": "http://127.0.0.1:9/api/explore/v2.1/catalog", "rel": "catalog"}]}
HUB_ROOT = {"collections": [{"key": "dataset", "href": "/api/search/v1/collections/dataset"}]}


@pytest.mark.parametrize(
    ("api", "body", "first"),
    [
        ("udata", SITE, "api/1/datasets/?page=1"),
        ("opendatasoft", ODS_ROOT, "api/explore/v2.1/catalog/datasets?limit=100&offset=0"),
        ("arcgis", HUB_ROOT, "api/search/v1/collections/dataset/items?limit=100"),
    ],
)
def test_version_endpoints_tell_the_platform(api: str, body: Any, first: str) -> None:
    home = "http://127.0.0.1:9/fr/" if api == "udata" else "http://127.0.0.1:9/"
    spider = make_spider(OpendataSpider, urls=[home])
    probe = spider.start_requests_for_source()[0]
    request = next(iter(spider.parse_probe_ckan(answer(probe, b"<html>404</html>", 404))))
    apis = [a for a, _path, _check in VERSION_PROBES]
    for earlier in apis[: apis.index(api)]:
        assert request.meta["probe_index"] == apis.index(earlier)
        request = next(iter(spider.parse_probe_version(answer(request, {"nope": 1}))))
    if api == "udata":  # a language page: the API hangs off the host root
        assert request.url == "http://127.0.0.1:9/api/1/site/"
    started = list(spider.parse_probe_version(answer(request, body)))
    assert spider.portals[home].api == api
    assert started[0].url.startswith("http://127.0.0.1:9/" + first), started[0].url
    assert spider.crawler.stats.get_value(f"dsi/opendata/detected/{api}") == 1


def test_dcat_us_page_is_detected_as_dcat() -> None:
    url = "http://127.0.0.1:9/catalog/export"
    spider = make_spider(OpendataSpider, urls=[url])
    page = Request(url, meta={"dsi_portal": spider.portal_of(answer(Request(url), {})).portal_url})
    body = {
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "dataset": [
            {"identifier": "x", "title": "Bus stops", "landingPage": "http://127.0.0.1:9/d/x"}
        ],
    }
    out = drain(spider.parse_probe_page(answer(page, body)))
    assert [o.title for o in out] == ["Bus stops"]
    assert spider.crawler.stats.get_value("dsi/opendata/detected/dcat") == 1


def _udata_entry(ident: str, updated: str) -> dict[str, Any]:
    return {
        "id": ident,
        "slug": f"slug-{ident}",
        "title": f"Jeu {ident}",
        "last_update": updated,
        "page": f"http://127.0.0.1:9/fr/datasets/slug-{ident}/",
    }


def test_udata_incremental_run_stops_at_the_bound_and_marks_deletions() -> None:
    home = "http://127.0.0.1:9/fr/"
    spider = make_spider(OpendataSpider, urls=[home], api="udata", showcases=False)
    portal = spider.portals[home]
    portal.since = datetime(2025, 1, 1, tzinfo=UTC)
    portal.stored = {
        f"{home}datasets/slug-a/": "a",
        f"{home}datasets/slug-gone/": "gone",
        f"{home}datasets/slug-b/": "b",
    }
    announced = vanished(spider)
    reqs = spider.start_requests_for_source()
    roles = [r.meta["dsi_role"] for r in reqs]
    assert roles == ["datasets", "organizations", "listing"]
    assert "sort=-last_update" in reqs[0].url
    listing = reqs[2]
    assert listing.headers.get("X-Fields") == b"data{id,slug,page},next_page,total"
    page = {
        "data": [
            _udata_entry("a", "2025-02-01T00:00:00+00:00"),
            _udata_entry("b", "2024-06-01T00:00:00+00:00"),
        ],
        "next_page": "http://127.0.0.1:9/api/1/datasets/?page=2",
        "total": 40,
    }
    out = drain(spider.parse_udata(answer(reqs[0], page)))
    assert [o.dataset_id for o in out] == ["a"]  # b is older: no more pages
    assert spider.crawler.stats.get_value("dsi/opendata/udata_datasets_stopped_at_bound") == 1
    ids = {
        "data": [
            {"id": i, "slug": f"slug-{i}", "page": f"{home}datasets/slug-{i}/"} for i in "abc"
        ],
        "next_page": None,
        "total": 3,
    }
    assert drain(spider.parse_udata(answer(listing, ids))) == []
    assert announced == [[f"{home}datasets/slug-gone/"]]


def test_udata_listing_that_fails_marks_nothing() -> None:
    home = "http://127.0.0.1:9/"
    spider = make_spider(OpendataSpider, urls=[home], api="udata")
    portal = spider.portals[home]
    portal.since = datetime(2025, 1, 1, tzinfo=UTC)
    portal.stored = {f"{home}datasets/x/": "x"}
    announced = vanished(spider)
    listing = next(r for r in spider.start_requests_for_source() if r.meta["dsi_role"] == "listing")
    assert drain(spider.parse_udata(answer(listing, b"<html>oops</html>", 502))) == []
    assert announced == []
    assert spider.crawler.stats.get_value("dsi/opendata/deletions_skipped") == 1


def _ods_page(
    total: int, ids: list[str], modified: str = "2025-01-02T00:00:00+00:00"
) -> dict[str, Any]:
    return {
        "total_count": total,
        "results": [
            {
                "dataset_id": i,
                "has_records": True,
                "metas": {"default": {"title": i, "modified": modified}},
            }
            for i in ids
        ],
    }


def test_ods_catalogue_beyond_the_window_is_read_from_the_export() -> None:
    home = "http://127.0.0.1:9/"
    spider = make_spider(OpendataSpider, urls=[home], api="opendatasoft", showcases=False)
    first = spider.start_requests_for_source()[0]
    out = drain(spider.parse_ods(answer(first, _ods_page(12_000, ["a", "b"]))))
    requests = [o for o in out if isinstance(o, Request)]
    assert [r.url for r in requests] == [f"{home}api/explore/v2.1/catalog/exports/json"]
    export = [e for e in _ods_page(3, ["a", "b", "c"])["results"]]
    items = drain(spider.parse_ods(answer(requests[0], export)))
    assert [i.dataset_id for i in items] == ["c"]  # a and b were read on the first page
    assert spider.crawler.stats.get_value("dsi/opendata/duplicates_skipped") == 2


def test_ods_incremental_run_emits_changes_and_marks_deletions() -> None:
    home = "http://127.0.0.1:9/"
    spider = make_spider(OpendataSpider, urls=[home], api="opendatasoft")
    portal = spider.portals[home]
    portal.since = datetime(2025, 1, 1, tzinfo=UTC)
    portal.stored = {f"{home}explore/dataset/{i}/": i for i in ("old", "new", "gone")}
    announced = vanished(spider)
    first = spider.start_requests_for_source()[0]
    page = _ods_page(2, ["new"])
    page["results"] += _ods_page(2, ["old"], "2024-03-01T00:00:00+00:00")["results"]
    out = drain(spider.parse_ods(answer(first, page)))
    assert [o.dataset_id for o in out if not isinstance(o, Request)] == ["new"]
    # reuses are asked for every listed dataset: new reuses of unchanged datasets count
    reuse_requests = [o for o in out if isinstance(o, Request)]
    assert len(reuse_requests) == 2
    assert announced == [[f"{home}explore/dataset/gone/"]]
    reuses = {
        "reuses": [
            {
                "id": "r-old",
                "title": "Old app",
                "url": "http://a.example/",
                "created_at": "2023-01-01T00:00:00Z",
            },
            {
                "id": "r-new",
                "title": "New app",
                "url": "http://b.example/",
                "created_at": "2025-02-01T00:00:00Z",
            },
        ]
    }
    req = reuse_requests[1]
    showcases = drain(spider.parse_ods_reuses(answer(req, reuses), **req.cb_kwargs))
    assert [(s.kind, s.showcase_url) for s in showcases] == [("showcase", "http://b.example/")]
    missing = drain(
        spider.parse_ods_reuses(answer(req, {"error_code": "NotFound"}, 404), **req.cb_kwargs)
    )
    assert missing == [] and portal.problems == []


def test_dcat_incremental_run_emits_only_changed_datasets() -> None:
    url = "http://127.0.0.1:9/catalog.ttl"
    spider = make_spider(OpendataSpider, urls=[url], api="dcat")
    portal = spider.portals["http://127.0.0.1:9/"]
    portal.since = datetime(2025, 1, 1, tzinfo=UTC)
    body = (
        b"@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
        b"@prefix dct: <http://purl.org/dc/terms/> .\n"
        b"@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        b'<http://127.0.0.1:9/d/old> a dcat:Dataset ; dct:title "Old" ;\n'
        b'  dct:modified "2024-05-01T00:00:00Z"^^xsd:dateTime .\n'
        b'<http://127.0.0.1:9/d/new> a dcat:Dataset ; dct:title "New" ;\n'
        b'  dct:modified "2025-03-01T00:00:00Z"^^xsd:dateTime .\n'
    )
    req = spider.start_requests_for_source()[0]
    resp = TextResponse(url, body=body, request=req, headers={"Content-Type": "text/turtle"})
    out = drain(spider.parse_dcat(resp))
    assert [o.title for o in out] == ["New"]
    assert portal.listed_urls == {"http://127.0.0.1:9/d/old", "http://127.0.0.1:9/d/new"}
    assert portal.watermark == datetime(2025, 3, 1, tzinfo=UTC)


def test_arcgis_feed_url_is_read_by_the_dcat_adapter() -> None:
    url = "http://127.0.0.1:9/api/feed/dcat-ap/2.0.1.json"
    spider = make_spider(OpendataSpider, urls=[url])
    first = spider.start_requests_for_source()[0]
    assert first.url == url and first.callback == spider.parse_dcat
    assert spider.portals["http://127.0.0.1:9/"].api == "dcat"


def test_arcgis_search_failure_makes_the_run_incomplete() -> None:
    from scrapy.exceptions import CloseSpider

    spider = make_spider(OpendataSpider, urls=["http://127.0.0.1:9/"], api="arcgis")
    first = spider.start_requests_for_source()[0]
    assert (
        drain(spider.parse_arcgis(answer(first, {"error": {"code": 500, "message": "x"}}, 500)))
        == []
    )
    with pytest.raises(CloseSpider):
        spider.on_idle(spider)
