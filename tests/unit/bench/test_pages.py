"""The benchmark web's pages: deterministic, real-web sizes, the links the crawlers follow."""

from __future__ import annotations

import re
import statistics

from crawler.bench.pages import (
    LISTING_SIZE,
    SITE_PAGES,
    SITE_SECTIONS,
    Board,
    advert_page,
    advert_path,
    listing_page,
    site_page,
)
from crawler.bench.server import render_board, render_site
from spiders.parsers.job_links import is_job_url
from spiders.parsers.job_page import read_job_page
from spiders.parsers.structured import extract_structured

BOARD = Board("http://127.0.0.1:9", 45)


def test_same_seed_same_bytes_other_seed_other_bytes() -> None:
    assert advert_page(BOARD, 3) == advert_page(Board(BOARD.base_url, 45), 3)
    assert advert_page(BOARD, 3) != advert_page(Board(BOARD.base_url, 45, seed=7), 3)
    assert site_page(1, 2, 0, "http://127.0.0.1:9/") == site_page(1, 2, 0, "http://127.0.0.1:9/")


def test_sizes_are_those_of_the_real_web() -> None:
    adverts = [len(advert_page(BOARD, i).encode()) / 1024 for i in range(40)]
    assert 50 <= statistics.median(adverts) <= 150
    sites = [
        len(site_page(2026, s, n, "http://127.0.0.1:9/").encode()) / 1024
        for s in range(5)
        for n in range(SITE_PAGES)
    ]
    assert 30 <= statistics.median(sites) <= 80


def test_pages_carry_chrome_nesting_and_mixed_structured_data() -> None:
    pages = [advert_page(BOARD, i) for i in range(10)]
    for page in pages:
        assert "<nav" in page and "<footer" in page and "<script>" in page and "<style>" in page
        assert page.count('<div class="l9') >= 1  # ten levels of wrappers
    with_jsonld = sum('application/ld+json"' in p for p in pages)
    assert 0 < with_jsonld < len(pages)  # some pages have none (microdata, or plain markup)
    found = extract_structured(pages[0], BOARD.base_url + advert_path(BOARD, 0))
    assert found.nodes


def test_board_links_under_jobs_are_exactly_listings_and_adverts() -> None:
    table = render_board(BOARD)
    assert len(table) == BOARD.pages == 45 + 3
    for path, body in table.items():
        links = set(re.findall(r'href="(/jobs/[^"]*)"', body.decode()))
        assert links <= set(table), (path, links - set(table))
    first = listing_page(BOARD, 1, [advert_path(BOARD, i) for i in range(LISTING_SIZE)])
    assert 'rel="next" href="/jobs/?page=2"' in first
    assert all(is_job_url(BOARD.base_url + advert_path(BOARD, i)) for i in range(5))
    last = table[BOARD.listing_path(BOARD.listings)].decode()
    assert 'rel="next"' not in last
    # the jobs spider follows the same links: no chrome link reads as "next" or as an advert
    for i in range(10):
        page = read_job_page(
            advert_page(BOARD, i),
            BOARD.base_url + advert_path(BOARD, i),
            job_hint=True,
            source="bench",
            now=None,
        )
        assert page.next_pages == []
        assert all(BOARD.base_url + "/jobs/" in url for url in page.adverts)


def test_site_pages_link_only_to_their_own_pages() -> None:
    table = render_site(2026, 4, "http://127.0.0.1:9/")
    assert set(table) == {"/", *(p for p, _ in SITE_SECTIONS)}
    for body in table.values():
        own = {h for h in re.findall(r'href="([^"#]*)"', body.decode()) if h.startswith("/")}
        assert own <= set(table)
