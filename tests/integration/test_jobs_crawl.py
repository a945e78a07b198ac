"""End to end: the jobs spider crawls the sandbox board and ATS feeds into SQLite (real ``dsi``
processes), then the export is checked: fields, extraction methods, robots.txt, duplicates."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import Item, JobSignature
from storage.session import session_scope
from tests.conftest import crawl_adhoc, run_dsi

pytestmark = pytest.mark.slow


def _crawl(url: str, database: str, *options: str) -> dict[str, Any]:
    return crawl_adhoc("jobs", url, database, *options)


def _export(database: str) -> list[dict[str, Any]]:
    result = run_dsi("export", "items", "--spider", "jobs", "--database", database)
    assert result.returncode == 0, result.stderr[-3000:]
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


def test_sandbox_board_and_feeds_end_to_end(sandbox: Any, sqlite_url: str) -> None:
    base = sandbox.base_url.rstrip("/")
    board = _crawl(f"{base}/jobs/", sqlite_url)
    assert board["items"] == board["stored"] == 53  # the board's adverts over its 6 pages
    assert board["errors"] == 0
    feed = _crawl(
        f"{base}/ats/greenhouse/v1/boards/civicpulse/jobs?content=true",
        sqlite_url,
        "api=greenhouse",
    )
    assert feed["items"] == feed["stored"] == 6  # the civicpulse board's adverts
    personio = _crawl(f"{base}/ats/personio/xml", sqlite_url, "api=personio")
    assert personio["items"] == personio["stored"] == 6

    rows = _export(sqlite_url)
    assert len(rows) == board["stored"] + feed["stored"] + personio["stored"]
    for row in rows:
        assert row["title"]
        assert row["url"].startswith("http")
        assert "utm_" not in row["url"]
        assert row["extraction"] in ("jsonld", "microdata", "rdfa", "feed", "html")
        assert "<p>" not in row["description"] and "</" not in row["description"]
        assert row["location_country"] is None or len(row["location_country"]) == 2
        assert row["date_posted"] is None or len(row["date_posted"]) == 10
        assert row["first_seen"] and row["last_seen"]
        assert row["dedupe_group"] and len(row["dedupe_group"]) == 40
        if row["salary_annual"] is not None:
            assert 1_000 <= row["salary_annual"] <= 10_000_000
    # each advert's dedupe signature was kept with it by the store, for the content it holds
    # (made by a parsing worker for pages, by the dedupe pipeline for feeds)
    with session_scope(sqlite_url) as session:
        kept = session.execute(
            select(Item.content_hash, JobSignature.content_hash)
            .outerjoin(JobSignature, JobSignature.item_id == Item.id)
            .where(Item.spider == "jobs")
        ).all()
    assert len(kept) == len(rows)
    assert all(item == signed for item, signed in kept)
    methods = {row["extraction"] for row in rows}
    assert "jsonld" in methods and "feed" in methods
    # near-duplicates and re-posts share a group: fewer groups than rows
    assert len({row["dedupe_group"] for row in rows}) < len(rows)
    # robots.txt disallows /jobs/admin/: never fetched
    requested = [target for _port, _method, target in sandbox.requests]
    assert not any(t.startswith("/jobs/admin") for t in requested)
