"""ATS list -> posting flows, feed paging, payload detection, JS state listings and link
discovery of the jobs spider."""

from __future__ import annotations

import json

import pytest

from spiders.boards import detect_feed, detect_payload, get_adapter
from spiders.jobs import JobsSpider
from spiders.parsers.job_links import page_links
from spiders.parsers.jobs_html import parse_document
from spiders.parsers.js_state import js_literal_to_json
from tests.spiders.harness import (
    FIXTURES,
    drain,
    fixture_response,
    follow,
    item_dicts,
    make_spider,
    requests_of,
)

CRAWL = FIXTURES / "jobs_crawl"
JOBS = FIXTURES / "jobs"


def test_smartrecruiters_list_fetches_each_posting_next_to_the_list_and_pages() -> None:
    base = "http://127.0.0.1:8801/v1/companies/CivicMakersGmbH/postings"
    spider = make_spider(JobsSpider, urls=[base])
    results = drain(spider.parse(fixture_response(CRAWL / "smartrecruiters_list.json", base)))
    assert item_dicts(results) == []  # list records have no text: no half items
    urls = [r.url for r in requests_of(results)]
    assert f"{base}/744000012345678" in urls  # same origin, not the api.smartrecruiters.com ref
    assert f"{base}?offset=1&limit=1" in urls
    items = item_dicts(
        follow(results, {f"{base}/744000012345678": JOBS / "smartrecruiters_posting.json"})
    )
    assert [i["title"] for i in items] == ["Civic Data Engineer"]
    assert "participatory budgeting" in items[0]["description"]


def test_workday_list_is_a_post_then_posting_gets_and_pages_by_offset() -> None:
    site = "https://goodthings.wd3.myworkdayjobs.com/en-US/GoodThingsCareers"
    spider = make_spider(JobsSpider, urls=[site], api="workday")
    (start,) = spider.start_requests_for_source()
    cxs = "https://goodthings.wd3.myworkdayjobs.com/wday/cxs/goodthings/GoodThingsCareers/jobs"
    assert (start.url, start.method) == (cxs, "POST")
    assert json.loads(start.body) == {
        "appliedFacets": {},
        "limit": 20,
        "offset": 0,
        "searchText": "",
    }
    # a full page (limit 2) asks for the next one
    from scrapy import Request

    sent = Request(cxs, method="POST", body=json.dumps({"limit": 2, "offset": 0}))
    reqs = requests_of(
        spider.parse_feed(
            fixture_response(CRAWL / "workday_list.json", cxs, request=sent), api="workday"
        )
    )
    detail = (
        cxs.removesuffix("/jobs") + "/job/Manchester/Digital-Inclusion-Programme-Officer_R-004512"
    )
    assert [r.url for r in reqs][:2] == [
        detail,
        cxs.removesuffix("/jobs") + "/job/Leeds/Data-Protection-Lead_R-004530",
    ]
    assert reqs[0].method == "GET"
    assert reqs[2].method == "POST" and json.loads(reqs[2].body)["offset"] == 2
    items = item_dicts(follow(reqs[:1], {detail: JOBS / "workday_posting.json"}))
    assert items[0]["hiring_organization"] == "Good Things Foundation"


def test_bamboohr_list_fetches_details() -> None:
    url = "http://127.0.0.1:8805/careers/list"
    spider = make_spider(JobsSpider, urls=[url])
    results = drain(spider.parse(fixture_response(CRAWL / "bamboohr_list.json", url)))
    assert [r.url for r in requests_of(results)] == ["http://127.0.0.1:8805/careers/57/detail"]
    items = item_dicts(
        follow(results, {"http://127.0.0.1:8805/careers/57/detail": JOBS / "bamboohr_detail.json"})
    )
    assert items[0]["employment_type"] == "FULL_TIME"


def test_breezy_list_follows_advert_pages_on_the_feed_host() -> None:
    url = "http://127.0.0.1:8812/json"
    spider = make_spider(JobsSpider, urls=[url])
    results = drain(spider.parse(fixture_response(CRAWL / "breezy_list.json", url)))
    reqs = requests_of(results)
    assert [r.url for r in reqs] == ["http://127.0.0.1:8812/p/5c1d7e0a9f2b-gis-analyst"]
    assert reqs[0].callback == spider.parse and reqs[0].cb_kwargs == {"job_hint": True}
    assert spider.crawler.stats.get_value("dsi/jobs/feed_detected/breezy") == 1


def test_breezy_records_are_items_when_pages_are_off() -> None:
    url = "http://127.0.0.1:8812/json"
    spider = make_spider(JobsSpider, urls=[url], api="breezy", breezy_pages=False)
    items = item_dicts(
        spider.parse_feed(fixture_response(CRAWL / "breezy_list.json", url), "breezy")
    )
    assert items[0]["salary_min"] == 38000 and items[0]["salary_currency"] == "EUR"
    assert items[0]["employment_type"] == "FULL_TIME"
    assert items[0]["location_country"] == "ES"


def test_lever_pages_with_skip_and_limit() -> None:
    adapter = get_adapter("lever")
    url = "http://127.0.0.1:8813/v0/postings/acme?mode=json&skip=0&limit=2"
    assert adapter.next_url(b"[]", url, [{}, {}]) == (
        "http://127.0.0.1:8813/v0/postings/acme?mode=json&skip=2&limit=2"
    )
    assert adapter.next_url(b"[]", url, [{}]) is None


@pytest.mark.parametrize(
    ("url", "api"),
    [
        ("http://127.0.0.1:9/v1/companies/acme/postings?offset=0", "smartrecruiters"),
        ("http://127.0.0.1:9/posting-api/job-board/acme?includeCompensation=true", "ashby"),
        ("http://127.0.0.1:9/wday/cxs/acme/External/jobs", "workday"),
        ("http://127.0.0.1:9/careers/list", "bamboohr"),
        ("https://acme.breezy.hr/", "breezy"),
        ("http://127.0.0.1:9/jobs.rss", "rss"),
        ("http://127.0.0.1:9/about", None),
    ],
)
def test_feeds_detected_from_url_paths(url: str, api: str | None) -> None:
    assert detect_feed(url) == api


@pytest.mark.parametrize(
    ("payload", "api"),
    [
        ({"total": 1, "jobPostings": []}, "workday"),
        ({"offset": 0, "limit": 10, "totalFound": 0, "content": []}, "smartrecruiters"),
        ({"apiVersion": "1", "jobs": []}, "ashby"),
        ({"data": [{"type": "jobs", "id": "1", "attributes": {}}]}, "teamtailor"),
        ({"result": [{"id": "1", "jobOpeningName": "x"}]}, "bamboohr"),
        ([{"friendly_id": "x", "published_date": "2024-01-01"}], "breezy"),
        ([{"text": "x", "hostedUrl": "https://x"}], "lever"),
        ({"jobs": [{"absolute_url": "https://x"}]}, "greenhouse"),
        ({"results": [{"title": "x"}]}, None),
    ],
)
def test_feeds_detected_from_payload_shapes(payload: object, api: str | None) -> None:
    assert detect_payload(payload) == api


def test_js_literal_to_json_reads_nuxt_style_objects_without_running_them() -> None:
    text = "{a:1,'b':'it\\'s',c:!0,d:void 0,e:x,f:[.5,],g:fn}"
    assert json.loads(js_literal_to_json(text, {"x": '"X"'})) == {
        "a": 1,
        "b": "it's",
        "c": True,
        "d": None,
        "e": "X",
        "f": [0.5],
        "g": None,
    }
    with pytest.raises(ValueError):
        js_literal_to_json("{a: 1 + 2}")


def test_js_state_listing_follows_adverts_instead_of_half_items() -> None:
    url = "http://127.0.0.1:8814/jobs"
    spider = make_spider(JobsSpider, urls=[url])
    results = drain(spider.parse(fixture_response(CRAWL / "state_listing.html", url)))
    followed = [r.url for r in requests_of(results) if r.cb_kwargs == {"job_hint": True}]
    assert "http://127.0.0.1:8814/jobs/open-data-engineer" in followed
    assert "http://127.0.0.1:8814/jobs/service-designer" in followed
    titles = [i["title"] for i in item_dicts(results)]
    assert "Open Data Engineer" not in titles and "Service Designer" not in titles
    assert spider.crawler.stats.get_value("dsi/jobs/followed/state_advert") == 2


def test_listing_links_data_href_cards_load_more_and_no_apply_login_share() -> None:
    url = "http://127.0.0.1:8815/jobs"
    html = (CRAWL / "links_listing.html").read_text(encoding="utf-8")
    doc = parse_document(html)
    assert doc is not None
    links = page_links(doc, url)
    assert sorted(links.adverts) == [
        "http://127.0.0.1:8815/jobs/community-manager",
        "http://127.0.0.1:8815/jobs/data-steward",
    ]
    assert sorted(links.next_pages) == [
        "http://127.0.0.1:8815/jobs?offset=20",
        "http://127.0.0.1:8815/jobs?page=2",
    ]
    spider = make_spider(JobsSpider, urls=[url])
    urls = [
        r.url
        for r in requests_of(
            drain(spider.parse(fixture_response(CRAWL / "links_listing.html", url)))
        )
    ]
    assert "https://api.ashbyhq.com/posting-api/job-board/civiclab?includeCompensation=true" in urls
    assert not any("other.example.com" in u or "twitter" in u or "login" in u for u in urls)
