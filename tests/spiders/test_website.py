"""Fixture cases for the ``website`` spider: a whole site per case, crawled from files (the
case format is in :mod:`tests.spiders.website_cases`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy import Request

from crawler.items import WebsiteProfile
from spiders.website import WebsiteSpider
from tests.spiders.harness import (
    compare_with_expected,
    failure_for,
    follow,
    item_dicts,
    make_spider,
)
from tests.spiders.website_cases import CASES, CASES_DIR, accuracy, crawl_case, truth_cases


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
    assert stats.get("dsi/parse/website/trap_file", 0) == 1  # the PDF
    assert stats.get("dsi/parse/website/trap_query", 0) == 1  # ?print=1
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

    def reason(exc: BaseException) -> str:
        return WebsiteSpider._failure_reason(failure_for(request, exc))

    assert reason(IgnoreRequest("max redirections reached")) == "redirect_loop"
    assert reason(IgnoreRequest("Forbidden by robots.txt")) == "robots_forbidden"
    assert reason(DownloadCancelledError("too big")) == "too_large"
    assert reason(ConnectionRefusedError()) == "unreachable"
    assert reason(DNSLookupError()) == "unreachable"


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


# --- field-level accuracy against hand-written truth ------------------------------------------
def test_field_accuracy_on_hand_written_truth() -> None:
    per_field, misses = accuracy()
    good = sum(g for g, _ in per_field.values())
    total = sum(t for _, t in per_field.values())
    summary = ", ".join(f"{f} {g}/{t}" for f, (g, t) in per_field.items())
    print(f"\nfield accuracy {good}/{total} = {good / total:.1%}: {summary}")
    for miss in misses:
        print("  miss:", miss)
    assert len(truth_cases()) >= 12
    assert good / total >= 0.95, misses


# --- crawls that stop early ---------------------------------------------------------------------
def test_global_budget_finishes_every_site_with_what_it_has() -> None:
    full, _, _ = crawl_case("en_civictech")
    items, log, spider = crawl_case("en_civictech", max_pages=5)
    assert len(items) == 1, "the site still gets its profile"
    profile = items[0]
    assert len(log) <= 5 - 2  # max_pages minus the margin kept for robots.txt and redirects
    assert len(profile.pages) < len(full[0].pages)
    assert any("page budget of the crawl reached" in w for w in profile.warnings)
    assert spider.crawler.stats.get_value("dsi/website/global_budget_reached") >= 1
    assert profile.name == full[0].name  # the home page alone names the organisation


def test_partial_profile_when_the_crawl_stops() -> None:
    # only the home page is answered: the about/imprint requests stay in flight
    items, log, spider = crawl_case("wp_verein", max_depth=1)
    assert items == [] and len(log) == 1
    (state,) = spider.sites.values()
    assert state.pending > 0 and not state.done
    (profile,) = spider.finish_unfinished("shutdown")
    assert profile.pages == ["http://127.0.0.1:8101/"]
    assert profile.name == "Digitale Nachbarschaft Berlin e.V."
    assert any(w.startswith("crawl stopped (shutdown)") for w in profile.warnings)
    assert spider.crawler.stats.get_value("dsi/website/profiles_partial") == 1
    assert spider.finish_unfinished("shutdown") == []  # once only
    # a late response for the finished site changes nothing
    late = follow(
        [spider._request(state, "http://127.0.0.1:8101/verein/", "about", 1)],
        {"http://127.0.0.1:8101/verein/": CASES_DIR / "wp_verein--verein.html"},
    )
    assert late == []


def test_unstarted_site_gets_no_partial_profile() -> None:
    spider = make_spider(WebsiteSpider, urls=["http://127.0.0.1:8101/"])
    spider.seed_requests(spider.start_urls)  # requested, never answered
    assert spider.finish_unfinished("closespider_pagecount") == []
    assert spider.crawler.stats.get_value("dsi/website/sites_not_crawled") == 1


def test_idle_with_unfinished_sites_keeps_the_spider_open() -> None:
    from scrapy.exceptions import DontCloseSpider

    items, _, spider = crawl_case("wp_verein", max_depth=1)
    assert items == []
    with pytest.raises(DontCloseSpider):
        spider._on_idle()  # no engine in a test crawler: the profile is built and counted
    assert spider.crawler.stats.get_value("dsi/website/profiles_partial") == 1
    spider._on_idle()  # nothing unfinished now: the spider may close


@pytest.mark.parametrize(
    ("landed", "kept"),
    [("https://casino.example/", False), ("https://en.tenants.example/", True)],
)
def test_a_home_page_redirect_off_the_domain_is_not_adopted(landed: str, kept: bool) -> None:
    from scrapy.http import HtmlResponse

    from tests.spiders.harness import drain

    spider = make_spider(WebsiteSpider, urls=["https://tenants.example/"])
    spider.crawler.stats.open_spider(spider)
    (home,) = spider.seed_requests(spider.start_urls)
    body = b"<html><head><title>Elsewhere</title></head><body><p>Other text.</p></body></html>"
    response = HtmlResponse(landed, body=body, request=home)
    (profile,) = [i for i in drain(spider.parse_page(response, **home.cb_kwargs))]
    assert profile.site == (landed.rstrip("/") if kept else "https://tenants.example")
    assert bool(profile.main_text) is kept
    offsite = spider.crawler.stats.get_value("dsi/parse/website/offsite_redirect")
    assert offsite == (None if kept else 1)
    if not kept:
        assert any("redirected off the site" in w for w in profile.warnings)
