"""One item the database refuses never loses its batch (issue #24, finding 6 and the per-item
isolation of the build list): the others are stored, the refused one is kept as a dead letter
with the database's reason; on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy import Spider
from scrapy.utils.test import get_crawler

from crawler.items import WebsiteProfile
from crawler.pipelines.store import StorePipeline
from storage.dead_letters import dead_letters
from storage.items import count_items
from storage.session import session_scope


def profile(n: int, **raw: Any) -> WebsiteProfile:
    return WebsiteProfile(
        source="civic", url=f"https://site{n}.example/", site=f"https://site{n}.example",
        main_text=f"Site {n}: open tools for neighbourhood councils.", raw=raw,
    )  # fmt: skip


def run_pipeline(database_url: str, tmp_path: Path, items: list[WebsiteProfile]) -> Any:
    settings = {
        "DSI_DATABASE_URL": database_url,
        "DSI_STORE_BATCH_SIZE": 100,
        "DSI_SPOOL_DIR": str(tmp_path / "spool"),
    }
    crawler = get_crawler(Spider, settings_dict=settings)
    crawler.stats.open_spider(None)
    pipeline = StorePipeline(crawler)
    pipeline.retry_delays = ()
    for item in items:
        pipeline.add(item)
    pipeline._flush()
    return crawler.stats


def only_dead_letter(database_url: str, *, stored: int) -> Any:
    """The one dead letter (item 2), after ``stored`` items were stored."""
    with session_scope(database_url) as session:
        assert count_items(session, source="civic") == stored
        (letter,) = dead_letters(session, source="civic")
        assert letter.url == "https://site2.example/"
        session.expunge(letter)
    return letter


def test_a_refused_item_is_a_dead_letter_and_the_batch_is_stored(
    database_url: str, tmp_path: Path
) -> None:
    items = [profile(1), profile(2, blob=b"\x00\x01 not JSON"), profile(3)]
    stats = run_pipeline(database_url, tmp_path, items)
    letter = only_dead_letter(database_url, stored=2)
    assert "JSON serializable" in letter.reason
    assert "site2.example" in letter.payload
    assert stats.get_value("dsi/store/written") == 2
    assert stats.get_value("dsi/store/dead_letter") == 1
    assert stats.get_value("dsi/lost/write_error") == 1


@pytest.mark.postgres
def test_a_value_postgresql_refuses_loses_only_its_item(
    empty_postgres_url: str, tmp_path: Path
) -> None:
    from storage.migrate import upgrade

    database_url = empty_postgres_url
    upgrade(database_url)  # SQLite stores NaN; PostgreSQL's JSONB refuses it
    items = [profile(1), profile(2, score=float("nan")), profile(3), profile(4)]
    stats = run_pipeline(database_url, tmp_path, items)
    assert "NaN" in only_dead_letter(database_url, stored=3).payload
    assert stats.get_value("dsi/store/dead_letter") == 1
