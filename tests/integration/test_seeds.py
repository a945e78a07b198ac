"""Websites read from the database (:mod:`crawler.seeds`, once, before the crawl) become the
``website`` and ``jobs`` spiders' start URLs (``seed = ...``), on SQLite and on the real
PostgreSQL; the spiders themselves never read the database."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import update

from crawler.seeds import Seeds, spider_arguments
from crawler.sources import source_from_mapping
from spiders.jobs import JobsSpider
from spiders.website import SEED_MODES, WebsiteSpider
from storage.candidates import CandidateRef, upsert_candidate
from storage.items import ItemRow, upsert_items
from storage.models import Candidate
from storage.seeds import SEED_MODES as STORAGE_SEED_MODES
from storage.seeds import candidate_websites, seed_urls, showcase_urls
from storage.session import session_scope
from tests.spiders.harness import make_spider


def _showcase(url: str, showcase_url: Any, kind: str = "showcase") -> ItemRow:
    return ItemRow(
        source="portal",
        spider="opendata",
        url=url,
        fields={"kind": kind, "title": url.rsplit("/", 1)[-1], "showcase_url": showcase_url},
        raw={},
        warnings=[],
    )


def _fill(url: str) -> None:
    with session_scope(url) as session:
        upsert_items(
            session,
            [
                _showcase("https://portal.example/showcase/a", "https://bike-map.example.org/"),
                _showcase("https://portal.example/showcase/b", "http://127.0.0.1:8123/app"),
                _showcase("https://portal.example/showcase/c", "https://bike-map.example.org/"),
                _showcase("https://portal.example/showcase/d", "ftp://files.example.org/"),
                _showcase("https://portal.example/showcase/e", None),
                _showcase("https://portal.example/dataset/f", None, kind="dataset"),
            ],
        )
        ids = {}
        for key, website in (
            ("high", "https://civic-high.example.eu/"),
            ("low", "https://civic-low.example.eu"),
            ("rejected", "https://spam.example.com/"),
            ("nosite", None),
            ("mailto", "mailto:x@example.org"),
        ):
            ids[key] = upsert_candidate(
                session,
                CandidateRef(kind="organisation", key=key, name=key.title(), website=website),
            )
        for key, relevance, status in (
            ("high", 0.9, "pending"),
            ("low", 0.2, "accepted"),
            ("rejected", 0.99, "rejected"),
        ):
            session.execute(
                update(Candidate)
                .where(Candidate.id == ids[key])
                .values(relevance=relevance, status=status)
            )


def test_seed_modes_agree() -> None:
    assert SEED_MODES == STORAGE_SEED_MODES


def test_seed_urls_from_rows(database_url: str) -> None:
    _fill(database_url)
    with session_scope(database_url) as session:
        assert showcase_urls(session) == [
            "https://bike-map.example.org/",
            "http://127.0.0.1:8123/app",
        ]
        assert showcase_urls(session, limit=1) == ["https://bike-map.example.org/"]
        assert candidate_websites(session) == [
            "https://civic-high.example.eu/",
            "https://civic-low.example.eu",
        ]
        with pytest.raises(ValueError, match="unknown seed mode"):
            seed_urls(session, "everything")


def _spider(spider_cls: type[Any], database_url: str, **options: Any) -> Any:
    """A spider made as the runner makes it: arguments read by ``crawler.seeds``."""
    source = source_from_mapping(
        {
            "name": "seeded",
            "spider": spider_cls.name,
            "urls": ["http://127.0.0.1:8001/"],
            "allow_private_network": True,
            **options,
        }
    )
    args = spider_arguments(source, database_url)
    return make_spider(
        spider_cls, name="seeded", urls=list(source.urls), spider_args=args, **options
    )


def _start(spider: Any) -> list[Any]:
    async def collect() -> list[Any]:
        return [r async for r in spider.start()]

    return asyncio.run(collect())


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (
            "showcases",
            ["http://127.0.0.1:8001/", "https://bike-map.example.org/", "http://127.0.0.1:8123/"],
        ),
        (
            "candidates",
            [
                "http://127.0.0.1:8001/",
                "https://civic-high.example.eu/",
                "https://civic-low.example.eu/",
            ],
        ),
    ],
)
def test_database_rows_become_start_urls(database_url: str, mode: str, expected: list[str]) -> None:
    _fill(database_url)
    spider = _spider(WebsiteSpider, database_url, seed=mode)
    assert [r.url for r in _start(spider)] == expected
    if mode == "showcases":  # a deep seed (/app) is fetched after its site's home page
        site = spider.sites["127.0.0.1:8123"]
        assert [q[3] for q in site.queue] == ["http://127.0.0.1:8123/app"]
    stats = spider.crawler.stats
    assert stats.get_value("dsi/seeds/urls") == len(expected) - 1
    assert stats.get_value("dsi/seeds/unavailable") is None


def test_jobs_careers_search_starts_from_candidate_websites(database_url: str) -> None:
    _fill(database_url)
    spider = _spider(JobsSpider, database_url, seed="candidates")
    requests = _start(spider)
    seeded = spider.seeds.urls
    assert {"https://civic-high.example.eu/", "https://civic-low.example.eu/"} <= set(seeded)
    assert [r.url for r in requests] == ["http://127.0.0.1:8001/", *seeded]
    assert [r.callback for r in requests[1:]] == [spider.parse_homepage] * len(seeded)
    assert spider.crawler.stats.get_value("dsi/seeds/urls") == len(seeded)


@pytest.mark.parametrize("spider_cls", [WebsiteSpider, JobsSpider])
def test_unreachable_database_keeps_the_sources_own_urls(
    tmp_path: Any, spider_cls: type[Any]
) -> None:
    missing = f"sqlite:///{tmp_path}/missing/dir/db.sqlite3"
    spider = _spider(spider_cls, missing, seed="candidates")
    assert spider.seeds == Seeds(mode="candidates", unavailable=True)
    assert [r.url for r in _start(spider)] == ["http://127.0.0.1:8001/"]
    assert spider.crawler.stats.get_value("dsi/seeds/unavailable") == 1


def test_sources_without_seeds_read_nothing(tmp_path: Any) -> None:
    source = source_from_mapping(
        {"name": "plain", "spider": "website", "urls": ["http://127.0.0.1:8001/"]}
    )
    assert spider_arguments(source, f"sqlite:///{tmp_path}/never-created.sqlite3") == {}
    assert not (tmp_path / "never-created.sqlite3").exists()
    assert spider_arguments(source, None) == {}
