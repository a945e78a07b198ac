"""Issue #3's vertical slice: `dsi db upgrade` -> `dsi crawl NAME` (twice) -> `dsi export items`,
on SQLite and the real PostgreSQL, from a sources file pointing at the sandbox job board."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from storage.models import CrawlRun
from storage.session import session_scope
from tests.conftest import run_dsi


def write_sources(sandbox: Any, path: Path) -> Path:
    path.write_text(
        "[[source]]\n"
        'name = "board"\n'
        'spider = "jobs"\n'
        f'urls = ["{sandbox.base_url}/jobs/"]\n'
        "allow_private_network = true\n"
        "max_pages = 200\n",
        encoding="utf-8",
    )
    return path


def export_jobs(database_url: str) -> list[dict[str, Any]]:
    res = run_dsi("export", "items", "--spider", "jobs", "--database", database_url)
    assert res.returncode == 0, res.stderr
    return [json.loads(line) for line in res.stdout.splitlines()]


def test_crawl_twice_same_items_then_export(
    sandbox: Any, database_url: str, tmp_path: Path
) -> None:
    sources = write_sources(sandbox, tmp_path / "sources.toml")
    assert run_dsi("db", "upgrade", "--database", database_url).returncode == 0

    first = run_dsi(
        "crawl", "board", "--sources", str(sources), "--json", "--database", database_url
    )
    assert first.returncode == 0, first.stderr[-3000:]
    summary = json.loads(first.stdout)
    assert summary["source"] == "board" and summary["finish_reason"] == "finished"
    assert summary["pages"] > 50 and summary["items"] >= 50
    rows_1 = export_jobs(database_url)

    second = run_dsi(
        "crawl", "board", "--sources", str(sources), "--json", "--database", database_url
    )
    assert second.returncode == 0, second.stderr[-3000:]
    rows_2 = export_jobs(database_url)

    assert len(rows_1) == len(rows_2) >= 50
    assert {r["url"] for r in rows_1} == {r["url"] for r in rows_2}
    by_url = {r["url"]: r for r in rows_2}
    for r in rows_1:  # first_seen kept, last_seen moved on
        again = by_url[r["url"]]
        assert again["first_seen"] == r["first_seen"]
        assert again["last_seen"] >= r["last_seen"]
    # nothing from paths robots.txt disallows
    assert not [r for r in rows_2 if "/jobs/admin/" in r["url"]]
    # every advert has the normalised fields researchers rely on
    assert all(
        r["title"] and r["extraction"] in {"jsonld", "microdata", "rdfa", "feed", "html"}
        for r in rows_2
    )
    assert sum(1 for r in rows_2 if r["location_country"]) >= 0.8 * len(rows_2)

    with session_scope(database_url) as s:
        runs = s.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
        assert [r.status for r in runs] == ["finished", "finished"]
        assert runs[1].stats["item_scraped_count"] == runs[0].stats["item_scraped_count"]
