"""``dsi db backup`` / ``dsi db restore`` on SQLite and PostgreSQL, and across them."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.dead_letters import add_dead_letter
from storage.items import ItemRow, upsert_items
from storage.models import CrawlRun, DeadLetter, Item
from storage.runs import start_run
from storage.session import session_scope
from tests.conftest import run_dsi


def fill(url: str, n: int = 620) -> None:
    """``n`` items (more than one restore batch), a run and a dead letter."""
    with session_scope(url) as session:
        run = start_run(session, source="civic", spider="website")
        rows = [
            ItemRow(
                source="civic",
                spider="website",
                url=f"https://site{i}.example/",
                fields={"main_text": f"Site {i} \u00e9\u4e2d", "emails": [f"a@site{i}.example"]},
                raw={"n": i, "nested": {"ok": True}},
                warnings=["w"] if i % 7 == 0 else [],
                title=f"Site {i}",
                run_id=run.id,
            )
            for i in range(n)
        ]
        upsert_items(session, rows)
        add_dead_letter(
            session,
            source="civic",
            spider="website",
            url="https://bad.example/",
            reason="DataError: NaN",
            payload={"x": float("nan")},
            run_id=run.id,
        )


def snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    with session_scope(url) as session:
        items = [
            (i.id, i.url, i.url_key, i.title, i.fields, i.raw, i.warnings, i.first_seen,
             i.last_run_id)
            for i in session.scalars(select(Item).order_by(Item.id))
        ]  # fmt: skip
        runs = [(r.id, r.source, r.status, r.started_at) for r in session.scalars(select(CrawlRun))]
        dead = [(d.id, d.url, d.reason, d.payload) for d in session.scalars(select(DeadLetter))]
    return {"items": items, "runs": runs, "dead": dead}


def fresh_target(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    return str(request.getfixturevalue("empty_postgres_url"))


@pytest.mark.parametrize("target", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_backup_and_restore_give_the_same_rows(
    database_url: str, target: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    fill(database_url)
    before = snapshot(database_url)
    backup = tmp_path / "backup.jsonl.gz"
    done = run_dsi("db", "backup", str(backup), "--database", database_url, "--json")
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    assert report["rows"]["items"] == 620 and report["rows"]["dead_letters"] == 1
    with gzip.open(backup, "rt") as fh:
        lines = fh.read().splitlines()
    assert len(lines) == report["total"] + 2  # header, rows, end line

    target_url = fresh_target(target, tmp_path, request)
    restored = run_dsi("db", "restore", str(backup), "--database", target_url, "--json")
    assert restored.returncode == 0, restored.stderr[-2000:]
    assert json.loads(restored.stdout)["rows"] == report["rows"]
    assert snapshot(target_url) == before

    # ids continue after the restored ones (PostgreSQL sequences moved on)
    with session_scope(target_url) as session:
        upsert_items(session, [ItemRow(source="civic", spider="website", url="https://new.example/",
                                       fields={}, raw={}, warnings=[])])  # fmt: skip
        new_id = session.scalar(select(Item.id).where(Item.url == "https://new.example/"))
    assert new_id == max(row[0] for row in before["items"]) + 1  # type: ignore[operator]

    again = run_dsi("db", "restore", str(backup), "--database", target_url)
    assert again.returncode == 1
    assert again.stderr.strip().splitlines() == [
        "Error: the database is not empty (table crawl_runs has rows)"
    ]


def test_a_damaged_backup_restores_nothing(sqlite_url: str, tmp_path: Path) -> None:
    fill(sqlite_url, n=30)
    backup = tmp_path / "backup.jsonl"
    assert run_dsi("db", "backup", str(backup), "--database", sqlite_url).returncode == 0
    cut = tmp_path / "cut.jsonl"
    cut.write_text("".join(backup.read_text().splitlines(keepends=True)[:-5]))
    target = f"sqlite:///{tmp_path / 'target.sqlite3'}"
    result = run_dsi("db", "restore", str(cut), "--database", target)
    assert result.returncode == 1
    assert "incomplete" in result.stderr and "Traceback" not in result.stderr
    with session_scope(target) as session:
        assert session.scalar(select(Item.id)) is None  # all rows or none
    other = tmp_path / "other.jsonl"
    other.write_text('{"hello": 1}\n')
    result = run_dsi("db", "restore", str(other), "--database", target)
    assert result.returncode == 1 and "is not a dsi backup" in result.stderr
