"""Curators' decisions tune the match threshold: labelled decisions from the audit log,
`dsi maindb tune` and `dsi maindb threshold`, and the tuned threshold in use by matching
(SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.orm import Session

from classifiers.dataset import SHIPPED_ORGANISATIONS
from matching.model import load_model
from storage import maindb
from storage.match_tuning import labelled_decisions, save_threshold, tuned_threshold
from storage.migrate import downgrade, upgrade
from storage.models import Candidate, utcnow
from storage.review_decisions import decide, undo
from storage.session import get_engine, session_scope
from tests.integration.test_maindb_cli import invoke

MODEL = load_model().threshold


def _candidate(session: Session, n: int, best: int | None, score: float | None) -> int:
    row = Candidate(
        kind="organisation", key=f"test:{n}", name=f"Candidate {n}", status="pending",
        match_best_id=best, match_score=score, match_reasons=[],
        match_id=best if score is not None and score >= MODEL else None,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row.id


def seed_decisions(url: str) -> dict[str, int]:
    """Right suggestions all below the model's threshold (20 merged into them), wrong ones
    scoring lower (16 accepted as new, 2 merged elsewhere), and decisions that say nothing
    about identity or were undone."""
    with session_scope(url) as session:
        entries = [
            maindb.create_entry(session, "organisation", {"organisation_name": f"Entry {i}"})
            for i in range(24)
        ]
        for i in range(20):  # the suggestion was right, at 0.40-0.55 below the model's 0.57
            cid = _candidate(session, i, entries[i], MODEL - 0.17 + i * 0.008)
            decide(session, cid, "merge", "ana", merge_into=entries[i], as_vote=False)
        for i in range(16):  # accepted as new although something was suggested
            cid = _candidate(session, 100 + i, entries[i], 0.05 + i * 0.015)
            decide(session, cid, "accept", "ana", as_vote=False)
        for i in range(2):  # merged into another entry than the one suggested
            cid = _candidate(session, 200 + i, entries[20 + i], 0.12 + i * 0.05)
            decide(session, cid, "merge", "ana", merge_into=entries[22 + i], as_vote=False)
        rejected = _candidate(session, 300, entries[0], 0.3)
        decide(session, rejected, "reject", "ana", reason="not DSI", as_vote=False)
        snoozed = _candidate(session, 301, entries[1], 0.3)
        decide(session, snoozed, "snooze", "ana", snooze_until=utcnow() + timedelta(days=3))
        undone = _candidate(session, 302, entries[2], 0.5)
        entry = decide(session, undone, "merge", "ana", merge_into=entries[2], as_vote=False)
        undo(session, entry.entry.id, "ana")
        redecided = _candidate(session, 303, entries[3], 0.2)
        entry = decide(session, redecided, "merge", "ana", merge_into=entries[3], as_vote=False)
        undo(session, entry.entry.id, "ana")  # the promotion is undone, then decided again
        decide(session, redecided, "accept", "ana", as_vote=False)
        nothing = _candidate(session, 304, None, None)
        decide(session, nothing, "accept", "ana", as_vote=False)
    return {"rejected": rejected, "snoozed": snoozed, "undone": undone, "redecided": redecided}


def test_decisions_tune_the_threshold_end_to_end(database_url: str) -> None:
    ids = seed_decisions(database_url)
    with session_scope(database_url) as session:
        decisions = labelled_decisions(session)
    labels = Counter(d.label for d in decisions)
    assert labels == {"match": 20, "new": 17, "wrong_entry": 2, "unsuggested": 1}
    by_id = {d.candidate_id: d for d in decisions}
    assert ids["rejected"] not in by_id and ids["snoozed"] not in by_id
    assert ids["undone"] not in by_id and by_id[ids["redecided"]].label == "new"

    code, out, err = invoke("maindb", "threshold", "-m", database_url, "--json")
    assert code == 0, err
    assert json.loads(out)["source"] == "model" and json.loads(out)["threshold"] == MODEL

    code, out, err = invoke(
        "maindb", "tune", "--dry-run", "--database", database_url, "-m", database_url, "--json"
    )
    assert code == 0, err
    dry = json.loads(out)
    assert dry["pairs"] == 39 and dry["adopted"] and not dry["stored"]
    assert dry["before"]["recall"] == 0.0 and dry["after"]["right_matches"] == 20
    assert dry["after"]["recall"] == round(20 / 22, 4)  # 2 had another right entry
    assert dry["cross_validated"]["false_matches"] == 0
    with session_scope(database_url) as session:
        assert tuned_threshold(session, "organisation") is None  # a dry run stores nothing

    code, out, err = invoke("maindb", "tune", "--database", database_url, "-m", database_url)
    assert code == 0, err
    assert "39 labelled decisions on organisations (20 match, 2 wrong entry, 17 new" in out
    assert "precision" in out and "recall" in out and "false matches" in out
    assert f"in use {MODEL:g} (model)" in out and "stored" in out
    with session_scope(database_url) as session:
        row = tuned_threshold(session, "organisation")
        assert row is not None and row.threshold < MODEL - 0.1 and row.previous == MODEL
        assert row.pairs == 39 and row.figures["cross_validated"]["recall"] > 0.8
    code, out, err = invoke("maindb", "threshold", "-m", database_url)
    assert code == 0, err
    assert f"{row.threshold:g}: tuned on 39 curator decisions by dsi maindb tune" in out
    assert f"{MODEL:g} -> {row.threshold:g}" in out

    # tuned again on the same decisions: nothing better to find, nothing stored
    code, out, err = invoke("maindb", "tune", "--database", database_url, "-m", database_url)
    assert code == 0, err
    assert "already the best" in out and f"threshold stays {row.threshold:g}" in out
    code, out, err = invoke("maindb", "tune", "--kind", "project", "-m", database_url,
                            "--database", database_url)  # fmt: skip
    assert code != 0 and "only 0 decisions with a suggested project" in err


def test_too_few_decisions_change_nothing(sqlite_url: str) -> None:
    seed_decisions(sqlite_url)
    code, _, err = invoke("maindb", "tune", "--min-pairs", "40", "--database", sqlite_url,
                          "-m", sqlite_url)  # fmt: skip
    assert code != 0
    assert "only 39 decisions with a suggested organisation" in err and "nothing changed" in err
    with session_scope(sqlite_url) as session:
        assert tuned_threshold(session, "organisation") is None
    code, _, err = invoke("maindb", "tune", "--kind", "person", "-m", sqlite_url)
    assert code != 0 and "unknown kind 'person'" in err


def test_matching_uses_the_tuned_threshold(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from crawler.classify_items import _main_matcher

    assert invoke("maindb", "import", str(SHIPPED_ORGANISATIONS), "-m", sqlite_url)[0] == 0
    queries = tmp_path / "q.jsonl"
    queries.write_text(json.dumps({"id": "a", "name": "Blender Foundation"}) + "\n")

    def matched() -> int | None:
        code, out, err = invoke("maindb", "match", "--in", str(queries), "-m", sqlite_url)
        assert code == 0, err
        value = json.loads(out)["match"]
        return None if value is None else int(value)

    assert matched() == 585
    with session_scope(sqlite_url) as session:
        save_threshold(session, "organisation", 0.999, previous=MODEL, pairs=50, figures={},
                       set_by="test")  # fmt: skip
    assert matched() is None  # the tuned threshold is in use
    main = _main_matcher(sqlite_url)
    organisations, projects = main.matcher("organisation"), main.matcher("project")
    assert organisations is not None and organisations.threshold == 0.999
    assert projects is not None and projects.threshold == MODEL
    monkeypatch.setenv("DSI_MATCH_THRESHOLD", "0.2")
    assert matched() == 585  # the environment overrides the tuned threshold
    code, out, _ = invoke("maindb", "threshold", "-m", sqlite_url)
    assert code == 0 and "0.2: from DSI_MATCH_THRESHOLD" in out


def test_migration_0008_downgrades_and_upgrades(database_url: str) -> None:
    with session_scope(database_url) as session:
        cid = _candidate(session, 1, 7, 0.4)
    downgrade(database_url, "0007_frontier")
    get_engine(database_url).dispose()
    inspector = inspect(get_engine(database_url))
    assert "match_thresholds" not in inspector.get_table_names()
    assert "match_best_id" not in {c["name"] for c in inspector.get_columns("candidates")}
    upgrade(database_url)
    get_engine(database_url).dispose()
    with session_scope(database_url) as session:
        row = session.get(Candidate, cid)
        assert row is not None and row.match_best_id is None  # below the threshold: unknown
