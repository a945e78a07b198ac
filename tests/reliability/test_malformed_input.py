"""Malformed URLs and wrong shapes never raise and never lose the good items beside them
(issue #24, finding 5); what could not be read is counted as ``dsi/lost/<reason>``."""

from __future__ import annotations

import json

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse, XmlResponse

from crawler.items import JobAdvert
from crawler.urls import canonical_url, readable_url, web_url
from spiders.jobs import JobsSpider
from spiders.parsers.dcat import catalog_records, parse_catalog
from spiders.parsers.jobposting import normalise_job, raw_job_from_node
from tests.spiders.harness import drain, make_spider

BAD = "http://[::1"
BASE = "http://127.0.0.1:8765"


@pytest.mark.parametrize(
    "url",
    [BAD, "http://a.org:99999/x", "http://a.org:abc/", "http://a.org/\ud800x",
     "http://\udfff.org/", "http://[::1]:99999/", "http://a.org/\x00"],
)  # fmt: skip
def test_canonical_url_is_total(url: str) -> None:
    assert isinstance(canonical_url(url), str)
    assert web_url(url) is None or readable_url(web_url(url) or "")
    assert "\ud800" not in canonical_url(url)


def stats(spider: JobsSpider) -> dict[str, int]:
    return {k: v for k, v in spider.crawler.stats.get_stats().items() if k.startswith("dsi/")}


def jobs_spider() -> JobsSpider:
    spider: JobsSpider = make_spider(JobsSpider, urls=[f"{BASE}/"])
    spider.crawler.stats.open_spider(spider)
    return spider


def test_a_sitemap_with_a_malformed_entry_keeps_the_others() -> None:
    spider = jobs_spider()
    body = f"""<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
    <url><loc>{BASE}/jobs/data-steward</loc></url><url><loc>{BAD}</loc></url>
    <url><loc>{BASE}/jobs/civic-developer</loc></url></urlset>"""
    response = XmlResponse(f"{BASE}/sitemap.xml", body=body.encode(), request=Request(BASE))
    out = drain(spider.parse_sitemap(response))
    urls = [r.url for r in out if isinstance(r, Request)]
    assert urls == [f"{BASE}/jobs/data-steward", f"{BASE}/jobs/civic-developer"]
    assert stats(spider)["dsi/lost/bad_url"] == 1


def test_robots_sitemap_lines_with_a_malformed_url_keep_the_others() -> None:
    spider = jobs_spider()
    body = f"User-agent: *\nSitemap: {BAD}\nSitemap: {BASE}/sitemap.xml\n".encode()
    response = TextResponse(f"{BASE}/robots.txt", body=body, request=Request(BASE))
    out = drain(spider.parse_sitemap(response))
    assert [r.url for r in out if isinstance(r, Request)] == [f"{BASE}/sitemap.xml"]
    assert stats(spider)["dsi/lost/bad_url"] == 1


def test_a_malformed_link_does_not_lose_the_page() -> None:
    spider = jobs_spider()
    posting = {"@context": "https://schema.org", "@type": "JobPosting", "title": "Data steward",
               "description": "Keep the city's open data tidy and useful for residents.",
               "hiringOrganization": {"@type": "Organization", "name": "Open City",
                                      "sameAs": BAD}}  # fmt: skip
    html = f"""<html><body><script type="application/ld+json">{json.dumps(posting)}</script>
    <a href="{BAD}">broken</a><a href="http://a.org:99999/jobs/x">bad port</a>
    <a href="/jobs/civic-developer">Civic developer</a></body></html>"""
    response = HtmlResponse(f"{BASE}/jobs/", body=html.encode(), request=Request(BASE))
    out = drain(spider.parse(response))
    items = [i for i in out if isinstance(i, JobAdvert)]
    assert [i.title for i in items] == ["Data steward"]
    assert items[0].hiring_organization == "Open City"
    assert items[0].hiring_organization_url is None  # the employer URL was unreadable
    followed = [r.url for r in out if isinstance(r, Request)]
    assert f"{BASE}/jobs/civic-developer" in followed
    assert stats(spider)["dsi/parse/jobs/bad_link"] >= 1


def test_an_employer_url_that_cannot_be_read_keeps_the_advert() -> None:
    employer = {"name": "Tenants Union", "url": "http://a.org:99999/"}
    node = {"@type": "JobPosting", "title": "Organiser", "url": f"{BASE}/jobs/organiser",
            "hiringOrganization": employer}  # fmt: skip
    raw = raw_job_from_node(node, page_url=f"{BASE}/jobs/organiser", syntax="json-ld")
    item = normalise_job(raw, source="s")
    assert item is not None and item.title == "Organiser"
    assert item.hiring_organization_url is None


def test_a_teamtailor_payload_of_the_wrong_shape_keeps_the_good_record() -> None:
    spider: JobsSpider = make_spider(JobsSpider, urls=["https://api.teamtailor.com/v1/jobs"])
    spider.crawler.stats.open_spider(spider)
    payload = {
        "data": [
            {"id": "1", "type": "jobs", "attributes": {"title": "Community organiser"},
             "links": {"careersite-job-url": "https://jobs.example.org/1"},
             "relationships": {"locations": {"data": ["not an object", 5]}}},
            "not a record",
            {"id": "2", "type": "jobs", "attributes": ["wrong"], "links": 7},
        ],
        "included": 5,
    }  # fmt: skip
    response = TextResponse(
        "https://api.teamtailor.com/v1/jobs", body=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"}, request=Request("https://x.org/"),
    )  # fmt: skip
    out = drain(spider.parse_feed(response, api="teamtailor"))
    titles = [i.title for i in out if isinstance(i, JobAdvert)]
    assert titles == ["Community organiser"]
    assert stats(spider).get("dsi/lost/feed_unreadable") is None
    assert stats(spider)["dsi/lost/feed_bad_record"] == 1  # "not a record"


def test_a_feed_that_cannot_be_read_is_counted_as_lost() -> None:
    spider: JobsSpider = make_spider(JobsSpider, urls=["https://api.teamtailor.com/v1/jobs"])
    spider.crawler.stats.open_spider(spider)
    response = TextResponse(
        "https://api.teamtailor.com/v1/jobs", body=b'{"data": 5, "included": {"x": 1}}',
        headers={"Content-Type": "application/json"}, request=Request("https://x.org/"),
    )  # fmt: skip
    drain(spider.parse_feed(response, api="teamtailor"))
    assert stats(spider)["dsi/lost/feed_bad_record"] == 1  # "data": 5


CATALOGUE = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://data.example.org/catalog> a dcat:Catalog ;
  dcat:dataset <https://data.example.org/d/1>, <https://data.example.org/d/2> .
<https://data.example.org/d/1> a dcat:Dataset ; dct:title "Street trees" ;
  dcat:landingPage <http://[::1> .
<https://data.example.org/d/2> a dcat:Dataset ; dct:title "Bike counters" ;
  dcat:landingPage <https://data.example.org/bikes> .
"""


def test_a_malformed_dcat_landing_page_keeps_the_datasets() -> None:
    page = parse_catalog(
        CATALOGUE.encode(), url="https://data.example.org/catalog.ttl", content_type="text/turtle"
    )
    records = catalog_records(page, source="s", portal_url="https://data.example.org/")
    datasets = {r.title: r for r in records if r.kind == "dataset"}
    assert set(datasets) == {"Street trees", "Bike counters"}
    assert datasets["Street trees"].raw.get("landing_page") is None
    assert datasets["Bike counters"].raw.get("landing_page") == "https://data.example.org/bikes"


def test_a_dcat_next_page_that_cannot_be_read_keeps_the_page_and_says_so() -> None:
    from spiders.opendata import OpendataSpider

    spider = make_spider(OpendataSpider, urls=["https://data.example.org/catalog.ttl"], api="dcat")
    spider.crawler.stats.open_spider(spider)
    body = CATALOGUE + (
        "@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n"
        "<https://data.example.org/catalog.ttl> hydra:next <http://[::1> .\n"
    )
    request = spider.start_requests_for_source()[0]
    response = TextResponse(
        request.url, body=body.encode(), headers={"Content-Type": "text/turtle"}, request=request
    )
    out = drain(spider.parse_dcat(response))
    titles = sorted(getattr(i, "title", "") for i in out if not isinstance(i, Request))
    assert titles == ["Bike counters", "Street trees"]
    assert not [r for r in out if isinstance(r, Request)]  # paging cannot go on
    portal = next(iter(spider.portals.values()))
    assert portal.problems == ["bad_next_url"]  # the run ends incomplete, not finished
    assert spider.crawler.stats.get_value("dsi/lost/bad_next_url") == 1
