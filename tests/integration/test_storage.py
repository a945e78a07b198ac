"""Storage on SQLite and the real PostgreSQL: migrations, idempotent upserts, runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from storage.items import ItemRow, count_items, counts_by_spider, iter_items, upsert_items
from storage.migrate import alembic_config, current_revision, upgrade
from storage.models import CrawlRun, Item
from storage.runs import finish_run, last_successful_run, start_run
from storage.session import StorageUnavailable, get_engine, session_scope


def row(url: str, title: str = "Data engineer", source: str = "s1", **kw: object) -> ItemRow:
    fields = {"url": url, "source": source, "title": title, **kw}
    return ItemRow(
        source=source, spider="jobs", url=url, fields=fields, raw={"a": 1}, warnings=[], title=title
    )


def test_schema_is_at_head(database_url: str) -> None:
    assert current_revision(database_url) == "0001" or current_revision(database_url)
    upgrade(database_url)  # idempotent


def test_alembic_models_match_migrations(database_url: str) -> None:
    """`alembic check`: no model change lacks a migration."""
    from alembic import command

    command.check(alembic_config(database_url))


def test_upsert_is_idempotent_and_tracks_seen(database_url: str) -> None:
    t0 = datetime(2026, 1, 5, tzinfo=UTC)
    with session_scope(database_url) as s:
        r = row("https://example.org/jobs/1")
        r.fetched_at = t0
        upsert_items(s, [r, row("https://example.org/jobs/2")])
    with session_scope(database_url) as s:
        r = row("https://example.org/jobs/1", title="Data engineer (m/f/d)")
        r.fetched_at = t0 + timedelta(days=7)
        upsert_items(s, [r])
    with session_scope(database_url) as s:
        assert count_items(s) == 2
        item = s.scalars(select(Item).where(Item.url == "https://example.org/jobs/1")).one()
        assert item.first_seen == t0
        assert item.last_seen == t0 + timedelta(days=7)
        assert item.times_seen == 2
        assert item.title == "Data engineer (m/f/d)"
        assert item.fields["title"] == "Data engineer (m/f/d)"
        assert counts_by_spider(s) == {"jobs": 2}


def test_same_url_other_source_is_another_item(database_url: str) -> None:
    with session_scope(database_url) as s:
        upsert_items(
            s,
            [row("https://example.org/a", source="s1"), row("https://example.org/a", source="s2")],
        )
        # the same key twice in one batch: one row
        upsert_items(s, [row("https://example.org/b"), row("https://example.org/b", title="x")])
    with session_scope(database_url) as s:
        assert count_items(s) == 3
        assert count_items(s, source="s2") == 1


def test_iter_items_streams_in_batches(database_url: str) -> None:
    with session_scope(database_url) as s:
        upsert_items(s, [row(f"https://example.org/{i}") for i in range(25)])
    with session_scope(database_url) as s:
        urls = [i.url for i in iter_items(s, spider="jobs", batch_size=7)]
    assert len(urls) == 25
    assert len(set(urls)) == 25


def test_unicode_and_json_roundtrip(database_url: str) -> None:
    with session_scope(database_url) as s:
        upsert_items(
            s,
            [
                row(
                    "https://example.org/ü",
                    title="Entwickler:in München – 100 %",
                    tags=["ä", "ł", "ελ"],
                    nested={"k": [1, 2.5, None]},
                )
            ],
        )
    with session_scope(database_url) as s:
        item = s.scalars(select(Item)).one()
        assert item.fields["tags"] == ["ä", "ł", "ελ"]
        assert item.fields["nested"] == {"k": [1, 2.5, None]}
        assert item.title == "Entwickler:in München – 100 %"


def test_runs_history(database_url: str) -> None:
    with session_scope(database_url) as s:
        first = start_run(s, source="s1", spider="jobs")
        first_id = first.id
    with session_scope(database_url) as s:
        finish_run(s, first_id, status="finished", stats={"item_scraped_count": 3})
        failed = start_run(s, source="s1", spider="jobs")
        finish_run(s, failed.id, status="failed", stats={}, error="boom")
    with session_scope(database_url) as s:
        last = last_successful_run(s, "s1")
        assert last is not None and last.id == first_id
        assert last.stats == {"item_scraped_count": 3}
        assert last.finished_at is not None and last.finished_at.tzinfo is not None
        assert len(s.scalars(select(CrawlRun)).all()) == 2
        with pytest.raises(LookupError):
            finish_run(s, 999_999, status="finished", stats={})


def test_unreachable_database_raises_our_error() -> None:
    url = "postgresql+psycopg://postgres@127.0.0.1:1/none"
    with pytest.raises(StorageUnavailable), session_scope(url) as s:
        count_items(s)
    get_engine(url).dispose()


def test_nul_and_lone_surrogates_never_lose_a_batch(database_url: str) -> None:
    """PostgreSQL rejects NUL in text and JSONB: strings are cleaned before writing (#24)."""
    bad = "Data\x00 engineer \ud800in Köln"
    rows = [row("https://a.example/1", title=bad), row("https://a.example/2", title="Fine")]
    rows[0].fields = {"title": bad, "tags": [bad, {"k\x00": bad}]}
    rows[0].raw = {"jsonld": bad}
    rows[0].warnings = [bad]
    with session_scope(database_url) as s:
        assert upsert_items(s, rows) == 2
    with session_scope(database_url) as s:
        stored = s.scalars(select(Item).order_by(Item.url)).all()
        assert [i.title for i in stored] == ["Data engineer in Köln", "Fine"]
        item = stored[0]
        assert item.fields["title"] == "Data engineer in Köln"
        assert item.fields["tags"] == ["Data engineer in Köln", {"k": "Data engineer in Köln"}]
        assert item.raw == {"jsonld": "Data engineer in Köln"}
        assert item.warnings == ["Data engineer in Köln"]
