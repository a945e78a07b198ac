"""`dsi export items` on SQLite and PostgreSQL: fixed field names, scores of one model version,
JSONL, CSV and Parquet."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from sqlalchemy import select

from crawler.exporting import export_columns
from crawler.items import JobAdvert, OpenDataRecord
from crawler.pipelines.store import item_to_row
from storage.items import upsert_items
from storage.models import Item
from storage.scores import ScoreRow, upsert_scores
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
    assert list(rows[0]) == export_columns("jobs")
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
    assert list(reader[0]) == export_columns("opendata")


def test_export_filters_by_source(sqlite_url: str) -> None:
    store(sqlite_url)
    res = run_dsi(
        "export", "items", "--spider", "jobs", "--source", "other", "--database", sqlite_url
    )
    assert [json.loads(x)["url"] for x in res.stdout.splitlines()] == ["https://b.org/jobs/2"]


def score(url: str, version: str, relevance: dict[str, float], threshold: float = 0.5) -> None:
    """Scores by ``version`` for the items whose URL is a key of ``relevance``."""
    with session_scope(url) as s:
        ids = {i.url: i.id for i in s.scalars(select(Item))}
        upsert_scores(
            s,
            [
                ScoreRow(
                    item_id=ids[u],
                    model_version=version,
                    relevance=p,
                    technologies={"open data": 0.4, "apps": 0.9} if p >= threshold else {},
                    areas={"participation and democracy": 0.7} if p >= threshold else {},
                    explanation={
                        "relevant": p >= threshold,
                        "relevance_threshold": threshold,
                        "label_order": {"technology": ["open data", "apps"]},
                    },
                )
                for u, p in relevance.items()
            ],
        )


def test_export_scores_of_one_model_version(database_url: str, tmp_path: Path) -> None:
    store(database_url)
    store(database_url)  # seen twice
    score(database_url, "old", {"https://a.org/jobs/1": 0.1, "https://b.org/jobs/2": 0.9})
    score(database_url, "new", {"https://a.org/jobs/1": 0.8}, threshold=0.6)
    res = run_dsi("export", "items", "--spider", "jobs", "--database", database_url)
    assert res.returncode == 0, res.stderr
    rows = {r["url"]: r for r in map(json.loads, res.stdout.splitlines())}
    # no active model here: the most recently scored version
    assert "scores of model new" in res.stderr
    civic = rows["https://a.org/jobs/1"]
    assert civic["relevance"] == 0.8 and civic["relevant"] is True
    assert civic["model_version"] == "new" and civic["relevance_threshold"] == 0.6
    assert civic["technologies"] == ["open data", "apps"]  # the explanation's order
    assert civic["areas"] == ["participation and democracy"]
    assert civic["times_seen"] == 2
    unscored = rows["https://b.org/jobs/2"]  # scored by "old" only
    assert unscored["relevance"] is None and unscored["relevant"] is None

    res = run_dsi(
        "export",
        "items",
        "--spider",
        "jobs",
        "--model-version",
        "old",
        "--relevant-only",
        "--database",
        database_url,
    )
    assert res.returncode == 0, res.stderr
    only = [json.loads(x) for x in res.stdout.splitlines()]
    assert [r["url"] for r in only] == ["https://b.org/jobs/2"]
    assert only[0]["relevance_threshold"] == 0.5 and only[0]["technologies"] == [
        "open data",
        "apps",
    ]

    out = tmp_path / "jobs.parquet"
    res = run_dsi(
        "export",
        "items",
        "--spider",
        "jobs",
        "--format",
        "parquet",
        "--out",
        str(out),
        "--model-version",
        "old",
        "--database",
        database_url,
    )
    assert res.returncode == 0, res.stderr
    import pandas as pd

    frame = pd.read_parquet(out).set_index("url")
    assert list(frame.reset_index().columns) == export_columns("jobs")
    assert frame.loc["https://a.org/jobs/1", "salary_min"] == 50000.0
    assert frame.loc["https://b.org/jobs/2", "relevant"]
    assert list(frame.loc["https://b.org/jobs/2", "technologies"]) == ["open data", "apps"]
    assert str(frame["first_seen"].dtype) == "datetime64[us, UTC]"
    assert frame["times_seen"].tolist() == [2, 2]


def test_export_errors_are_one_line(sqlite_url: str) -> None:
    store(sqlite_url)
    res = run_dsi(
        "export", "items", "--spider", "jobs", "--format", "parquet", "--database", sqlite_url
    )
    assert res.returncode == 1 and "Error: --format parquet needs --out" in res.stderr
    res = run_dsi(
        "export", "items", "--spider", "jobs", "--relevant-only", "--database", sqlite_url
    )
    assert res.returncode == 1 and "run `dsi classify` first" in res.stderr
    score(sqlite_url, "v1", {"https://a.org/jobs/1": 0.9})
    res = run_dsi(
        "export", "items", "--spider", "jobs", "--model-version", "nope", "--database", sqlite_url
    )
    assert res.returncode == 1 and "'nope' scored no item here (scored: v1)" in res.stderr
