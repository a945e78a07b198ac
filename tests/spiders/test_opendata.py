"""Fixture cases for the ``opendata`` spider (CKAN, DCAT, Socrata answers in their real formats).

A case is ``fixtures/opendata/<case>.<ext>`` + ``<case>.meta.json`` + ``<case>.expected.json``.
The meta file gives the URL, the callback, request meta, the source, a URL -> file map for
follow-up requests and the stats the case must count. Follow-ups are answered by the shared
harness; those not in the map fail as unreachable and go through the spider's errback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request

from spiders.opendata import OpendataSpider
from spiders.portals.detect import api_from_url
from tests.spiders.harness import (
    FIXTURES,
    compare_with_expected,
    drain,
    fixture_response,
    item_dicts,
    make_spider,
    run_callback,
)

CASES_DIR = FIXTURES / "opendata"
CASES = sorted(p.name.removesuffix(".meta.json") for p in CASES_DIR.glob("*.meta.json"))


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
        case_file(case),
        meta["url"],
        request=request,
        status=meta.get("status", 200),
        headers=meta.get("headers"),
    )
    responses = {url: CASES_DIR / name for url, name in meta.get("responses", {}).items()}
    answered: list[Request] = []
    output = getattr(spider, meta["callback"])(response)
    items = item_dicts(run_callback(output, responses, missing="dns", log=answered))
    compare_with_expected(items, CASES_DIR / f"{case}.expected.json")
    stats = spider.crawler.stats.get_stats()
    for key, value in meta.get("stats", {}).items():
        assert stats.get(key) == value, (key, stats)
    # every follow-up was answered: from the map, or through the errback as unreachable
    unreachable = [r for r in answered if r.url not in responses]
    assert stats.get("dsi/parse/opendata/request_failed", 0) == len(unreachable)
    assert all(r.errback == spider.on_error for r in answered)
    # every item is one dataset/showcase/publisher: no URL twice
    urls = [i["url"] for i in items]
    assert len(urls) == len(set(urls))


def test_fixture_cases_exist_for_each_api() -> None:
    prefixes = {c.split("_", 1)[0] for c in CASES}
    assert {"ckan29", "ckan22", "ckan", "dcat", "socrata", "ods", "udata", "arcgis"} <= prefixes


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
    page = _search_page(4, "a", "b")
    out = list(
        spider.parse_search(_json_response(base + "?start=0", page, meta={"start": 0, "rows": 2}))
    )
    assert len([o for o in out if isinstance(o, Request)]) == 1
    page2 = _search_page(5, "b", "c")
    out2 = list(
        spider.parse_search(_json_response(base + "?start=2", page2, meta={"start": 2, "rows": 2}))
    )
    assert [o.dataset_id for o in out2] == ["c"]  # b is not emitted twice
    assert spider.crawler.stats.get_value("dsi/parse/opendata/count_changed") == 1
    with pytest.raises(DontCloseSpider):
        spider.on_idle(spider)
    assert len(scheduled) == 1 and scheduled[0].meta["search_pass"] == 1
    # the second pass is stable: the run ends complete
    page3 = _search_page(3, "a", "c", "d")
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
    req = spider.ckan.search_request(portal, 200, 100)
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
    page_req = _past_version_probes(spider, next(iter(spider.parse_probe_ckan(html))))
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
        make_spider(OpendataSpider, urls=["https://h.example/"], api="geonode")


def _past_version_probes(spider: OpendataSpider, request: Request) -> Request:
    """Answer uData's, OpenDataSoft's and ArcGIS Hub's version probes with a 404 page; the
    request that follows them (the page probe)."""
    from spiders.portals.detect import VERSION_PROBES

    for _api, path, _check in VERSION_PROBES:
        assert request.url.endswith(path), (request.url, path)
        assert request.callback == spider.parse_probe_version
        answer = _text_response(
            request.url, b"<html><title>404</title></html>", "text/html", request.meta
        )
        request = next(iter(spider.parse_probe_version(answer)))
    assert request.callback == spider.parse_probe_page
    return request


TURTLE_PREFIXES = (
    b"@prefix dcat: <http://www.w3.org/ns/dcat#> .\n"
    b"@prefix dct: <http://purl.org/dc/terms/> .\n"
    b"@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n"
)


def _search_page(count: int, *ids: str) -> dict[str, Any]:
    """A CKAN ``package_search`` answer: ``count`` datasets in all, these ones on the page
    (dataset ``"a"`` modified on 2024-01-01, ``"b"`` on 2024-01-02, ...)."""
    results = [
        {
            "id": i,
            "name": i,
            "title": i.upper(),
            "metadata_modified": f"2024-01-{ord(i) - 96:02d}T00:00:00",
        }
        for i in ids
    ]
    return {"success": True, "result": {"count": count, "results": results}}


def _json_response(url: str, data: Any, meta: dict[str, Any] | None = None) -> Any:
    from scrapy.http import TextResponse

    req = Request(url, meta=meta or {})
    return TextResponse(
        url,
        body=json.dumps(data).encode(),
        request=req,
        headers={"Content-Type": "application/json"},
    )


# --- hardening: real-portal variants ------------------------------------------------------------
def _socrata_body(ids: list[str], size: int | None = None, updated: str = "2024-05-01") -> bytes:
    results = [
        {
            "resource": {
                "id": ident,
                "name": f"Dataset {ident}",
                "type": "dataset",
                "updatedAt": f"{updated}T00:00:00.000Z",
            },
            "classification": {},
            "metadata": {"domain": "data.example.gov"},
            "permalink": f"https://data.example.gov/d/{ident}",
        }
        for ident in ids
    ]
    return json.dumps(
        {"results": results, "resultSetSize": len(ids) if size is None else size}
    ).encode()


def _text_response(url: str, body: bytes, ctype: str, meta: dict[str, Any] | None = None) -> Any:
    from scrapy.http import TextResponse

    return TextResponse(
        url, body=body, request=Request(url, meta=meta or {}), headers={"Content-Type": ctype}
    )


def test_socrata_home_url_retries_without_the_domain_filter() -> None:
    spider = make_spider(OpendataSpider, urls=["http://127.0.0.1:8305/data/"], api="socrata")
    first = spider.start_requests_for_source()[0]
    assert first.url == (
        "http://127.0.0.1:8305/data/api/catalog/v1?domains=127.0.0.1&limit=100&offset=0"
    )
    empty = _text_response(first.url, _socrata_body([]), "application/json", first.meta)
    out = drain(spider.parse_socrata(empty))
    assert [r.url for r in out] == ["http://127.0.0.1:8305/data/api/catalog/v1?limit=100&offset=0"]
    assert spider.crawler.stats.get_value("dsi/opendata/socrata_domain_retry") == 1
    # an empty answer without the filter is just an empty portal: no endless retries
    again = _text_response(out[0].url, _socrata_body([]), "application/json", out[0].meta)
    assert drain(spider.parse_socrata(again)) == []
    assert spider.portals["http://127.0.0.1:8305/data/"].problems == []


def test_socrata_source_with_other_domains_is_not_widened() -> None:
    url = "http://127.0.0.1:8305/api/catalog/v1?domains=data.example.gov"
    spider = make_spider(OpendataSpider, urls=[url], api="socrata")
    first = spider.start_requests_for_source()[0]
    assert "domains=data.example.gov" in first.url
    empty = _text_response(first.url, _socrata_body([]), "application/json", first.meta)
    assert drain(spider.parse_socrata(empty)) == []


def test_socrata_incremental_emits_changes_but_lists_everything() -> None:
    from datetime import UTC, datetime

    spider = make_spider(OpendataSpider, urls=["http://127.0.0.1:8305/"], api="socrata")
    portal = spider.portals["http://127.0.0.1:8305/"]
    portal.since = datetime(2024, 4, 1, tzinfo=UTC)
    url = "http://127.0.0.1:8305/api/catalog/v1?limit=100&offset=0"
    old = json.loads(_socrata_body(["aaaa-0001"], updated="2023-01-01"))
    new = json.loads(_socrata_body(["bbbb-0002"], updated="2024-05-01"))
    body = json.dumps({"results": old["results"] + new["results"], "resultSetSize": 2}).encode()
    out = drain(spider.parse_socrata(_text_response(url, body, "application/json", {"offset": 0})))
    assert [o.dataset_id for o in out] == ["bbbb-0002"]
    assert portal.listed_urls == {
        "https://data.example.gov/d/aaaa-0001",
        "https://data.example.gov/d/bbbb-0002",
    }
    assert spider.crawler.stats.get_value("dsi/opendata/unchanged_skipped") == 1
    assert portal.watermark == datetime(2024, 5, 1, tzinfo=UTC)


def test_socrata_views_metadata_api_is_read() -> None:
    from spiders.parsers import socrata

    body = json.dumps(
        [
            {
                "id": "vw12-ab34",
                "name": "Street lights",
                "description": "<p>All street lights.</p>",
                "attribution": "Public Works",
                "category": "Infrastructure",
                "tags": ["lighting"],
                "domain": "data.example.gov",
                "license": "Public Domain",
                "createdAt": "2020-01-02T03:04:05.000Z",
                "dataUpdatedAt": "2024-02-03T04:05:06.000Z",
                "webUri": "https://data.example.gov/d/vw12-ab34",
            }
        ]
    ).encode()
    size, results = socrata.read_page(body, content_type="application/json")
    assert size is None
    item = socrata.dataset_record(results[0], source="s", portal_url="http://127.0.0.1:1/")
    assert item is not None
    assert (item.url, item.title, item.description, item.publisher) == (
        "https://data.example.gov/d/vw12-ab34",
        "Street lights",
        "All street lights.",
        "Public Works",
    )
    assert (item.themes, item.tags, item.license) == (
        ["Infrastructure"],
        ["lighting"],
        "Public Domain",
    )
    assert (item.issued, item.modified) == ("2020-01-02", "2024-02-03T04:05:06+00:00")
    url = "http://127.0.0.1:1/api/views/metadata/v1"
    assert socrata.catalog_url(url, limit=100, offset=0) == url
    assert api_from_url(url) == "socrata"


@pytest.mark.parametrize(
    ("status", "body", "ctype"),
    [
        (
            400,
            b'{"success": false, "error": {"__type": "Bad request", "message": '
            b'"Bad request - Action name not known: ckanext_showcase_list"}}',
            "application/json",
        ),
        (404, b"<html><head><title>Not Found</title></head></html>", "text/html"),
    ],
)
def test_missing_showcase_extension_keeps_the_run_complete(
    status: int, body: bytes, ctype: str
) -> None:
    from scrapy.http import TextResponse

    spider = make_spider(OpendataSpider, urls=["http://127.0.0.1:8308/data/"], api="ckan")
    req = next(r for r in spider.start_requests_for_source() if r.meta["dsi_role"] == "showcases")
    resp = TextResponse(
        req.url, body=body, status=status, request=req, headers={"Content-Type": ctype}
    )
    assert drain(spider.parse_showcases(resp)) == []
    spider.on_idle(spider)  # no CloseSpider("incomplete")
    assert spider.crawler.stats.get_value("dsi/opendata/complete") == 1
    assert spider.crawler.stats.get_value("dsi/opendata/no_showcases") == 1


@pytest.mark.parametrize(
    ("name", "ctype"),
    [
        ("dcat_compact.jsonld", "application/json"),
        ("dcat_blank.ttl", "text/plain; charset=utf-8"),
        ("dcat_ap_national.rdf", "application/octet-stream"),
    ],
)
def test_dcat_is_detected_from_the_content(name: str, ctype: str) -> None:
    url = "http://127.0.0.1:8310/opendata/catalogue"
    spider = make_spider(OpendataSpider, urls=[url])
    probe = spider.start_requests_for_source()[0]
    assert probe.url == url + "/api/3/action/status_show"
    first = next(iter(spider.parse_probe_ckan(_text_response(probe.url, b"", "text/html"))))
    page_req = _past_version_probes(spider, first)
    assert page_req.url == url
    resp = _text_response(url, (CASES_DIR / name).read_bytes(), ctype, page_req.meta)
    out = drain(spider.parse_probe_page(resp))
    datasets = [o for o in out if not isinstance(o, Request) and o.kind == "dataset"]
    assert len(datasets) == 2
    assert spider.portals["http://127.0.0.1:8310/opendata/catalogue/"].api == "dcat"
    assert spider.crawler.stats.get_value("dsi/opendata/detected/dcat") == 1


def test_dcat_remote_context_is_never_fetched() -> None:
    from spiders.parsers import dcat

    doc = {
        "@context": "https://127.0.0.1:9/unreachable/context.jsonld",
        "@graph": [
            {
                "@id": "http://127.0.0.1:8311/d/1",
                "@type": "dcat:Dataset",
                "dct:title": {"@value": "Wasserqualität", "@language": "de"},
                "dcat:keyword": ["Wasser"],
            }
        ],
    }
    page = dcat.parse_catalog(
        json.dumps(doc).encode(), url="http://127.0.0.1:8311/catalog", content_type="text/plain"
    )
    assert any("not fetched" in w for w in page.warnings)
    items = dcat.catalog_records(page, source="s", portal_url="http://127.0.0.1:8311/")
    assert [(i.title, i.tags, i.language) for i in items] == [("Wasserqualität", ["Wasser"], "de")]


def test_ckan_jsonp_and_text_plain_answers_are_read() -> None:
    from spiders.parsers import ckan

    body = b'cb123({"success": true, "result": {"ckan_version": "2.3"}});'
    assert ckan.read_result(body, content_type="application/javascript") == {"ckan_version": "2.3"}
    assert (
        ckan.read_result(b'\xef\xbb\xbf{"success": true, "result": []}', content_type="text/plain")
        == []
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0", "CC-BY-4.0"),
        ("http://publications.europa.eu/resource/authority/licence/CC_BYSA_4_0", "CC-BY-SA-4.0"),
        ("http://publications.europa.eu/resource/authority/licence/CC0", "CC0-1.0"),
        ("https://creativecommons.org/licenses/by-nc/3.0/de/", "CC-BY-NC-3.0"),
        ("http://dcat-ap.de/def/licenses/dl-zero-de/2.0", "DL-DE-ZERO-2.0"),
        ("http://opendatacommons.org/licenses/odbl/1-0/", "ODbL-1.0"),
        (
            "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            "OGL-UK-3.0",
        ),
        ("https://portal.example/licence/custom", "https://portal.example/licence/custom"),
        ("Datenlizenz Deutschland", "Datenlizenz Deutschland"),
    ],
)
def test_license_labels(value: str, expected: str) -> None:
    from spiders.parsers.opendata_fields import license_label

    assert license_label(value) == expected


def test_field_normalisers() -> None:
    from spiders.parsers.opendata_fields import (
        country_of,
        format_from_url,
        language_code,
        normalise_format,
        plain_text,
    )

    assert language_code("http://publications.europa.eu/resource/authority/language/DEU") == "de"
    assert language_code("http://publications.europa.eu/resource/authority/language/SPA") == "es"
    assert language_code("http://id.loc.gov/vocabulary/iso639-1/fr") == "fr"
    assert language_code("Deutsch") == language_code("ger") == "de"
    assert language_code("https://portal.example/vocab/something") is None
    assert country_of("http://publications.europa.eu/resource/authority/country/NLD") == "NL"
    assert country_of("Deutschland") == "DE"
    assert (
        normalise_format("http://publications.europa.eu/resource/authority/file-type/CSV") == "CSV"
    )
    assert normalise_format("https://www.iana.org/assignments/media-types/text/csv") == "CSV"
    assert format_from_url("http://127.0.0.1/f/stops.GEOJSON?x=1") == "GeoJSON"
    assert format_from_url("http://127.0.0.1/download?id=3") is None
    assert plain_text("# Title\n\nA [link](http://x) and **bold** and `code`.") == (
        "Title\nA link and bold and code."
    )
    assert plain_text("snake_case and 2*3*4 stay") == "snake_case and 2*3*4 stay"


def test_dcat_home_page_leads_to_its_catalogue() -> None:
    home = "http://127.0.0.1:8312/open/"
    spider = make_spider(OpendataSpider, urls=[home], api="dcat")
    first = spider.start_requests_for_source()[0]
    html = (
        b"<html><body><h1>Open data</h1><a href='/open/about'>About</a>"
        b"<a href='export/catalog.rdf?page=1'>Catalogue (RDF)</a></body></html>"
    )
    from scrapy.http import HtmlResponse

    resp = HtmlResponse(home, body=html, request=first)
    out = drain(spider.parse_dcat(resp))
    assert [r.url for r in out] == ["http://127.0.0.1:8312/open/export/catalog.rdf?page=1"]
    assert spider.crawler.stats.get_value("dsi/opendata/catalogue_link_followed") == 1
    assert spider.portals[home].problems == []
    # a page without catalogue links is a problem, counted once
    spider = make_spider(OpendataSpider, urls=[home], api="dcat")
    resp = HtmlResponse(home, body=b"<html><body>Nothing</body></html>", request=first)
    assert drain(spider.parse_dcat(resp)) == []
    assert spider.crawler.stats.get_value("dsi/parse/opendata/not_rdf") == 1


def test_socrata_dataset_link_means_the_portal_home() -> None:
    url = "http://127.0.0.1:8305/Transportation/Bike-lanes-map/ef56-gh78"
    spider = make_spider(OpendataSpider, urls=[url], api="socrata")
    assert list(spider.portals) == ["http://127.0.0.1:8305/"]
    first = spider.start_requests_for_source()[0]
    assert first.url == "http://127.0.0.1:8305/api/catalog/v1?domains=127.0.0.1&limit=100&offset=0"


def test_socrata_home_is_detected_without_the_api_option() -> None:
    home = "http://127.0.0.1:8313/"
    spider = make_spider(OpendataSpider, urls=[home])
    probe = spider.start_requests_for_source()[0]
    not_ckan = _text_response(probe.url, b"<html><title>404</title></html>", "text/html")
    page_req = _past_version_probes(spider, next(iter(spider.parse_probe_ckan(not_ckan))))
    home_page = _text_response(home, b"<html><body>Open Data Portal</body></html>", "text/html")
    socrata_probe = drain(spider.parse_probe_page(home_page))[0]
    assert socrata_probe.url == f"{home}api/catalog/v1?domains=127.0.0.1&limit=1&offset=0"
    empty = _text_response(socrata_probe.url, _socrata_body([]), "application/json")
    first = next(iter(spider.parse_probe_socrata(empty)))
    assert spider.portals[home].api == "socrata"
    again = drain(
        spider.parse_socrata(
            _text_response(first.url, _socrata_body([]), "application/json", first.meta)
        )
    )
    assert [r.url for r in again] == [f"{home}api/catalog/v1?limit=100&offset=0"]
    listing = _text_response(
        again[0].url, _socrata_body(["aaaa-0001", "bbbb-0002"]), "application/json", again[0].meta
    )
    assert [i.dataset_id for i in drain(spider.parse_socrata(listing))] == [
        "aaaa-0001",
        "bbbb-0002",
    ]
    assert page_req.url == home


def test_dcat_next_page_on_another_host_is_asked_from_the_answering_server() -> None:
    url = "http://127.0.0.1:8314/catalog.ttl"
    spider = make_spider(OpendataSpider, urls=[url], api="dcat")
    body = TURTLE_PREFIXES + (
        b"<http://ckan.example.org/catalog.ttl?page=1> a hydra:PagedCollection ;\n"
        b'  hydra:nextPage "http://ckan.example.org/catalog.ttl?page=2" .\n'
        b'<http://ckan.example.org/dataset/a> a dcat:Dataset ; dct:title "A" .\n'
    )
    req = spider.start_requests_for_source()[0]
    out = drain(spider.parse_dcat(_text_response(url, body, "text/turtle", req.meta)))
    assert [o.url for o in out if isinstance(o, Request)] == [
        "http://127.0.0.1:8314/catalog.ttl?page=2"
    ]
    assert spider.crawler.stats.get_value("dsi/opendata/next_link_rebased") == 1


def test_dcat_dataset_repeated_without_its_identifier_is_emitted_once() -> None:
    base = "http://127.0.0.1:8316/catalog.ttl"
    spider = make_spider(OpendataSpider, urls=[base], api="dcat")
    page1 = TURTLE_PREFIXES + (
        b'<http://127.0.0.1:8316/catalog.ttl> hydra:next "catalog.ttl?page=2" .\n'
        b'<http://127.0.0.1:8316/d/x> a dcat:Dataset ; dct:identifier "x-1" ; dct:title "X" .\n'
    )
    page2 = TURTLE_PREFIXES + (
        b'<http://127.0.0.1:8316/d/x> a dcat:Dataset ; dct:title "X" .\n'
        b'<http://127.0.0.1:8316/d/y> a dcat:Dataset ; dct:title "Y" .\n'
    )
    req = spider.start_requests_for_source()[0]
    out = drain(spider.parse_dcat(_text_response(base, page1, "text/turtle", req.meta)))
    nxt = [o for o in out if isinstance(o, Request)]
    assert [o.url for o in nxt] == [base + "?page=2"]
    out2 = drain(spider.parse_dcat(_text_response(nxt[0].url, page2, "text/turtle", nxt[0].meta)))
    titles = [o.title for o in out + out2 if not isinstance(o, Request)]
    assert titles == ["X", "Y"]
    assert spider.crawler.stats.get_value("dsi/opendata/duplicates_skipped") == 1
