"""Deletion marks for open-data datasets: written by the ``DeletionMarker`` extension with the
store pipeline's retries (the spider only announces them)."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler
from sqlalchemy import text

from crawler.extensions.deletions import DeletionMarker
from crawler.pipelines.retry import with_retry
from storage.items import ItemRow, upsert_items
from storage.session import StorageUnavailable, session_scope

DEAD = "postgresql+psycopg://postgres@127.0.0.1:1/none"


def _dataset(url: str) -> ItemRow:
    fields = {"url": url, "kind": "dataset", "dataset_id": url[-1], "deleted": False}
    return ItemRow(source="src", spider="opendata", url=url, fields=fields, raw={}, warnings=[])


def test_off_without_a_database() -> None:
    with pytest.raises(NotConfigured):
        DeletionMarker.from_crawler(get_crawler(settings_dict={}))


def test_marks_are_written(sqlite_url: str) -> None:
    crawler = get_crawler(settings_dict={"DSI_DATABASE_URL": sqlite_url})
    marker = DeletionMarker.from_crawler(crawler)
    with session_scope(sqlite_url) as session:
        upsert_items(
            session, [_dataset("https://p.example/d/a"), _dataset("https://p.example/d/b")]
        )
    assert marker.mark("src", ["https://p.example/d/b", "https://p.example/d/zz"]) == 1
    assert marker.mark("src", ["https://p.example/d/b"]) == 0  # already marked


def test_retries_then_gives_up() -> None:
    seen: list[StorageUnavailable] = []
    with pytest.raises(StorageUnavailable):
        with_retry(
            DEAD,
            lambda session: session.execute(text("SELECT 1")),
            delays=(0.0, 0.0),
            on_retry=seen.append,
        )
    assert len(seen) == 3  # the first try and two retries


def test_unavailable_database_is_counted(monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    crawler = get_crawler(settings_dict={"DSI_DATABASE_URL": DEAD})
    marker = DeletionMarker.from_crawler(crawler)
    marker.retry_delays = (0.0,)
    crawler.stats.open_spider()

    async def thread_now(func: Any, *args: Any) -> Any:
        return func(*args)

    monkeypatch.setattr(
        "crawler.extensions.deletions.maybe_deferred_to_future", lambda value: value
    )
    monkeypatch.setattr("crawler.extensions.deletions.deferToThread", thread_now)
    spider = type("S", (), {"name": "opendata", "source_name": "src"})()
    asyncio.run(marker.datasets_vanished(spider, "https://p.example/", ["https://p.example/d/a"]))
    assert crawler.stats.get_value("dsi/opendata/deletions_failed") == 1
    assert crawler.stats.get_value("dsi/opendata/deletion_retries") == 2
