"""Websites read from the database become the ``website`` spider's start URLs
(``seed = "showcases" | "candidates"``), on SQLite and on the real PostgreSQL."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import update

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
    spider = make_spider(
        WebsiteSpider,
        urls=["http://127.0.0.1:8001/"],
        settings={"DSI_DATABASE_URL": database_url},
        seed=mode,
    )

    async def collect() -> list[Any]:
        return [r async for r in spider.start()]

    requests = asyncio.run(collect())
    assert [r.url for r in requests] == expected
    if mode == "showcases":  # a deep seed (/app) is fetched after its site's home page
        site = spider.sites["127.0.0.1:8123"]
        assert [q[3] for q in site.queue] == ["http://127.0.0.1:8123/app"]
    assert spider.crawler.stats.get_value("dsi/website/seed_errors") is None


def test_unreachable_database_keeps_the_sources_own_urls(tmp_path: Any) -> None:
    spider = make_spider(
        WebsiteSpider,
        urls=["http://127.0.0.1:8001/"],
        settings={"DSI_DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/db.sqlite3"},
        seed="candidates",
    )

    async def collect() -> list[Any]:
        return [r async for r in spider.start()]

    assert [r.url for r in asyncio.run(collect())] == ["http://127.0.0.1:8001/"]
    assert spider.crawler.stats.get_value("dsi/website/seed_errors") == 1
