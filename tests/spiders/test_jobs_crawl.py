"""Listing pages, pagination, sitemaps, robots.txt and careers pages of the jobs spider."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy import Request

from crawler.parse_pool import ParseCrashed, ParsePool, ParseTimeout
from spiders.jobs import JobsSpider
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
BOARD = "https://board.example.org"


def _advert_map() -> dict[str, object]:
    return {
        f"{BOARD}/jobs/?page=2": CRAWL / "listing_page2.html",
        f"{BOARD}/jobs/open-data-lead.html": CRAWL / "advert_open-data-lead.html",
        f"{BOARD}/jobs/civic-designer.html": CRAWL / "advert_civic-designer.html",
        f"{BOARD}/jobs/community-data-analyst.html": CRAWL / "advert_community-data-analyst.html",
    }


def test_listing_follows_pagination_and_adverts_on_the_same_site_only() -> None:
    spider = make_spider(JobsSpider, urls=[f"{BOARD}/jobs/"])
    response = fixture_response(CRAWL / "listing_page1.html", f"{BOARD}/jobs/")
    results = drain(spider.parse(response))
    urls = [r.url for r in requests_of(results)]
    assert f"{BOARD}/jobs/?page=2" in urls
    # tracking parameters dropped before requesting
    assert f"{BOARD}/jobs/open-data-lead.html" in urls
    assert f"{BOARD}/jobs/civic-designer.html" in urls
    assert not any("elsewhere.example.com" in u for u in urls)
    assert not any("/apply" in u for u in urls)
    # the ATS board linked from the listing is read through its adapter
    assert "https://boards-api.greenhouse.io/v1/boards/civicsignal/jobs?content=true" in urls
    assert item_dicts(results) == []  # a listing is not an advert


def test_listing_crawl_collects_every_advert_once() -> None:
    spider = make_spider(JobsSpider, urls=[f"{BOARD}/jobs/"])
    response = fixture_response(CRAWL / "listing_page1.html", f"{BOARD}/jobs/")
    items = item_dicts(follow(spider.parse(response), _advert_map()))  # type: ignore[arg-type]
    titles = sorted({i["title"] for i in items})
    assert titles == ["civic designer", "community data analyst", "open data lead"]
    assert all(i["extraction"] == "jsonld" for i in items)
    assert all(i["url"].startswith(f"{BOARD}/jobs/") and "utm_" not in i["url"] for i in items)
    stats = spider.crawler.stats.get_stats()
    assert stats["dsi/jobs/followed/next"] == 1
    # five advert links on the two listings, three distinct adverts: each requested once
    assert stats["dsi/jobs/followed/advert"] == 5
    assert stats["dsi/jobs/extraction/jsonld"] == 3


def test_sitemap_index_follows_in_scope_sitemaps_newer_than_since() -> None:
    spider = make_spider(JobsSpider, urls=[f"{BOARD}/jobs/sitemap.xml"], sitemap_since="2024-01-01")
    response = fixture_response(CRAWL / "sitemap_index.xml", f"{BOARD}/jobs/sitemap.xml")
    reqs = requests_of(drain(spider.parse(response)))
    assert [r.url for r in reqs] == [f"{BOARD}/jobs/sitemap-2024-03.xml"]
    assert reqs[0].callback == spider.parse_sitemap
    stats = spider.crawler.stats.get_stats()
    assert stats["dsi/jobs/sitemap/skipped_lastmod"] == 1
    assert stats["dsi/jobs/sitemap/out_of_scope"] == 1


def test_sitemap_urlset_yields_advert_requests() -> None:
    spider = make_spider(JobsSpider, urls=[f"{BOARD}/jobs/sitemap.xml"], sitemap_since="2024-01-01")
    url = f"{BOARD}/jobs/sitemap-2024-03.xml"
    reqs = requests_of(spider.parse_sitemap(fixture_response(CRAWL / "sitemap_urls.xml", url)))
    assert [r.url for r in reqs] == [f"{BOARD}/jobs/open-data-lead.html"]
    assert reqs[0].cb_kwargs == {"job_hint": True}
    assert reqs[0].meta["dsi_lastmod"] == "2024-03-10"


def test_robots_txt_start_url_reads_its_sitemaps() -> None:
    spider = make_spider(JobsSpider, urls=[f"{BOARD}/robots.txt"])
    reqs = requests_of(
        drain(spider.parse(fixture_response(CRAWL / "robots.txt", f"{BOARD}/robots.txt")))
    )
    assert [r.url for r in reqs] == [f"{BOARD}/jobs/sitemap.xml"]


def test_careers_page_and_ats_links_found_on_an_organisation_homepage() -> None:
    site = "https://quartierswerk.example.de/"
    spider = make_spider(JobsSpider, urls=[site])
    reqs = requests_of(spider.parse_homepage(fixture_response(CRAWL / "homepage.html", site)))
    urls = [r.url for r in reqs]
    assert "https://quartierswerk.example.de/mitmachen/stellenangebote" in urls
    assert "https://api.lever.co/v0/postings/quartierswerk?mode=json" in urls
    assert not any("twitter" in u for u in urls)
    assert not any("ueber-uns" in u or "kontakt" in u for u in urls)


def test_feed_source_starts_with_api_urls() -> None:
    spider = make_spider(
        JobsSpider, urls=["https://boards.greenhouse.io/civicsignal"], api="greenhouse"
    )
    reqs = spider.start_requests_for_source()
    assert [r.url for r in reqs] == [
        "https://boards-api.greenhouse.io/v1/boards/civicsignal/jobs?content=true"
    ]
    assert reqs[0].callback == spider.parse_feed


def test_unknown_api_is_refused_with_the_known_ones() -> None:
    with pytest.raises(KeyError, match="greenhouse"):
        make_spider(JobsSpider, urls=[BOARD], api="nosuchats")


def test_unreadable_feed_is_logged_and_counted_not_raised() -> None:
    spider = make_spider(JobsSpider, urls=[BOARD], api="greenhouse")
    response = fixture_response(CRAWL / "robots.txt", f"{BOARD}/v1/boards/x/jobs")
    assert list(spider.parse_feed(response, api="greenhouse")) == []
    assert spider.crawler.stats.get_value("dsi/parse/jobs/feed_unreadable") == 1


def test_bad_records_in_a_feed_are_skipped_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "feed.json"
    path.write_text(
        '{"jobs": [42, {"title": "Ok job", "absolute_url": "https://x.example/j/1",'
        ' "location": "Paris"}, {"title": null}]}',
        encoding="utf-8",
    )
    spider = make_spider(JobsSpider, urls=[BOARD], api="greenhouse")
    items = item_dicts(
        spider.parse_feed(fixture_response(path, f"{BOARD}/v1/boards/x/jobs"), api="greenhouse")
    )
    assert [i["title"] for i in items] == ["Ok job"]
    assert items[0]["location_country"] == "FR"
    stats = spider.crawler.stats.get_stats()
    assert stats["dsi/parse/jobs/feed_bad_record"] == 1
    assert stats["dsi/parse/jobs/no_title"] == 1


def test_non_html_binary_response_is_skipped() -> None:
    from scrapy.http import Response

    spider = make_spider(JobsSpider, urls=[BOARD])
    resp = Response(url=f"{BOARD}/jobs/file.pdf", body=b"%PDF-1.4", request=Request(BOARD))
    assert drain(spider.parse(resp)) == []
    assert spider.crawler.stats.get_value("dsi/parse/jobs/not_text") == 1


class _StuckPool(ParsePool):
    """Every page runs past its time budget, or its worker dies."""

    def __init__(self, error: Exception) -> None:
        super().__init__(0, 0.0)
        self.error = error

    async def run(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        raise self.error


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (ParseTimeout("parsing took more than 60 s"), "parse_timeout"),
        (ParseCrashed("x"), "parse_crashed"),
    ],
)
def test_a_page_past_its_time_budget_is_lost_and_counted(error: Exception, reason: str) -> None:
    spider = make_spider(JobsSpider, urls=[f"{BOARD}/jobs/"])
    spider.parse_pool = _StuckPool(error)
    response = fixture_response(
        CRAWL / "advert_civic-designer.html", f"{BOARD}/jobs/civic-designer.html"
    )
    assert drain(spider.parse(response)) == []
    assert spider.crawler.stats.get_stats()[f"dsi/lost/{reason}"] == 1
