"""`dsi export items` on SQLite and PostgreSQL: fixed field names, JSONL and CSV."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from crawler.items import JobAdvert, OpenDataRecord, export_fields
from crawler.pipelines.store import item_to_row
from storage.items import upsert_items
from storage.session import session_scope
from tests.conftest import run_dsi


def store(url: str) -> None:
    items = [
        JobAdvert(
            source="board",
            url="https://a.org/jobs/1",
            title="Civic tech developer",
            hiring_organization="OpenCity e.V.",
            location_city="Berlin",
            location_country="DE",
            remote=False,
            salary_min=50000.0,
            salary_currency="EUR",
            description="Entwicklung von Beteiligungs-Apps",
            language="de",
            extraction="jsonld",
            warnings=["salary: no period"],
        ),
        JobAdvert(source="other", url="https://b.org/jobs/2", title="Accountant"),
        OpenDataRecord(
            source="portal",
            url="https://d.org/dataset/air",
            portal_url="https://d.org",
            kind="dataset",
            dataset_id="air",
            title="Air quality",
            tags=["air", "health"],
            formats=["CSV"],
        ),
    ]
    with session_scope(url) as s:
        upsert_items(s, [item_to_row(i, None)[0] for i in items])


def test_export_jsonl_and_csv(database_url: str, tmp_path: Path) -> None:
    store(database_url)
    res = run_dsi("export", "items", "--spider", "jobs", "--database", database_url)
    assert res.returncode == 0, res.stderr
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert len(rows) == 2
    assert list(rows[0]) == export_fields("jobs")
    first = next(r for r in rows if r["source"] == "board")
    assert first["hiring_organization"] == "OpenCity e.V."
    assert first["location_country"] == "DE" and first["salary_min"] == 50000.0
    assert first["first_seen"] and first["last_seen"]
    assert first["warnings"] == ["salary: no period"]
    assert "exported 2 jobs items" in res.stderr

    out = tmp_path / "od.csv"
    res = run_dsi(
        "export",
        "items",
        "--spider",
        "opendata",
        "--format",
        "csv",
        "--out",
        str(out),
        "--source",
        "portal",
        "--database",
        database_url,
    )
    assert res.returncode == 0, res.stderr
    reader = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(reader) == 1
    assert reader[0]["kind"] == "dataset"
    assert json.loads(reader[0]["tags"]) == ["air", "health"]
    assert list(reader[0]) == export_fields("opendata")


def test_export_filters_by_source(sqlite_url: str) -> None:
    store(sqlite_url)
    res = run_dsi(
        "export", "items", "--spider", "jobs", "--source", "other", "--database", sqlite_url
    )
    assert [json.loads(x)["url"] for x in res.stdout.splitlines()] == ["https://b.org/jobs/2"]
