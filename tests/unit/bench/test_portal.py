"""The benchmark's open-data portal: CKAN-shaped pages, the URLs both crawlers ask for."""

from __future__ import annotations

import json
import statistics
from urllib.parse import urlsplit

from scrapy.http import Request, TextResponse

from crawler.bench.bare import BareSpider
from crawler.bench.portal import (
    PORTAL_ROWS,
    organizations_path,
    portal_key,
    render_portal,
    search_path,
)
from spiders.parsers import ckan

BASE = "http://127.0.0.1:9/"
PAGES = render_portal(BASE, 95, 2026)


def _path(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


def test_search_pages_hold_every_dataset_once_in_ckan_shape() -> None:
    search = [json.loads(v) for k, v in PAGES.items() if k.startswith("package_search/")]
    assert len(search) == 5  # 95 datasets, 20 a page
    results = [pkg for page in search for pkg in page["result"]["results"]]
    assert len({pkg["id"] for pkg in results}) == 95
    assert {page["result"]["count"] for page in search} == {95}
    record = ckan.dataset_record(results[0], source="bench", portal_url=BASE)
    assert record.title and record.publisher and record.resources_count >= 1 and record.formats


def test_pages_are_the_size_of_real_search_pages() -> None:
    sizes = [len(v) / 1024 for k, v in PAGES.items() if k.startswith("package_search/")][:-1]
    assert 60 <= statistics.median(sizes) <= 130


def test_the_spiders_urls_are_served_whatever_the_order_of_their_query() -> None:
    spider_url = ckan.action_url(
        ckan.api_base(BASE),
        "package_search",
        {"q": "*:*", "sort": "metadata_modified asc,id asc", "rows": PORTAL_ROWS, "start": 40},
    )
    assert portal_key(_path(spider_url)) == portal_key(search_path(40)) in PAGES
    other_size = search_path(40, rows=100)
    assert portal_key(other_size) not in PAGES
    orgs = ckan.action_url(
        ckan.api_base(BASE), "organization_list", {"all_fields": "true", "limit": 25, "offset": 0}
    )
    assert len(json.loads(PAGES[portal_key(_path(orgs))])["result"]) == 10
    assert json.loads(PAGES[portal_key(organizations_path(10))])["result"] == []


def _response(path: str) -> TextResponse:
    url = BASE.rstrip("/") + path
    return TextResponse(url, body=PAGES[portal_key(path)], request=Request(url))


def test_the_bare_spider_asks_for_the_same_pages() -> None:
    spider = BareSpider(urls=[])
    first = list(spider.parse(_response(search_path(0))))
    assert [portal_key(_path(r.url)) for r in first] == [
        portal_key(search_path(start)) for start in (20, 40, 60, 80)
    ]
    assert list(spider.parse(_response(search_path(20)))) == []  # later pages: nothing more
    (more,) = spider.parse(_response(organizations_path(0)))
    assert portal_key(_path(more.url)) == portal_key(organizations_path(10))
    assert list(spider.parse(_response(organizations_path(10)))) == []
