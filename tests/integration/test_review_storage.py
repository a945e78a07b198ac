"""Review storage on SQLite and PostgreSQL: queue rows follow classified candidates, snoozes wake,
undo order, the append-only audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from storage.candidates import evidence_items, refresh_candidates
from storage.models import AuditEntry, ItemScore, QueueEntry, utcnow
from storage.review_decisions import DecisionError, decide, undo
from storage.review_queue import QueueFilter, queue_page, wake_snoozed
from storage.session import session_scope
from tests.review_data import seed


def test_classified_candidates_update_their_queue_rows(database_url: str) -> None:
    ids = seed(database_url)
    cid = ids["Acme Logistics"]
    with session_scope(database_url) as session:
        page = queue_page(session, QueueFilter(country="DE"), order="relevance")
        assert [r.candidate_id for r in page.rows] == [cid]
        assert page.rows[0].relevance == pytest.approx(0.08)
        item = evidence_items(session, cid)[0]
        session.add(
            ItemScore(
                item_id=item.id,
                model_version="m2",
                relevance=0.77,
                uncertainty=0.4,
                technologies={},
                areas={},
                explanation={},
            )
        )
        session.flush()
        assert refresh_candidates(session, [cid], "m2") == 1
        row = session.get(QueueEntry, cid)
        assert row is not None and row.relevance == pytest.approx(0.77)
        assert row.expected_value == pytest.approx(0.77 * 0.4)


def test_snoozed_candidates_wake_when_due(database_url: str) -> None:
    ids = seed(database_url)
    cid = ids["Acme Logistics"]
    with session_scope(database_url) as session:
        decide(session, cid, "snooze", "bob", snooze_until=utcnow() + timedelta(days=2))
        assert wake_snoozed(session) == 0
        assert wake_snoozed(session, utcnow() + timedelta(days=3)) == 1
        row = session.get(QueueEntry, cid)
        assert row is not None and row.status == "pending" and row.snoozed_until is None


def test_undo_goes_newest_first_and_the_log_only_grows(database_url: str) -> None:
    ids = seed(database_url)
    cid = ids["Acme Logistics"]
    with session_scope(database_url) as session:
        first = decide(session, cid, "snooze", "bob", snooze_until=utcnow() + timedelta(days=1))
        second = decide(session, cid, "reject", "cyd", reason="logistics")
        with pytest.raises(DecisionError, match="later action"):
            undo(session, first.entry.id, "bob")
        undo(session, second.entry.id, "bob")
        with pytest.raises(DecisionError, match="undone already"):
            undo(session, second.entry.id, "bob")
        undo(session, first.entry.id, "bob")
        log = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
        assert [(e.action, e.undoes) for e in log] == [
            ("snooze", None),
            ("reject", None),
            ("undo", second.entry.id),
            ("undo", first.entry.id),
        ]
        assert log[1].before["status"] == "snoozed" and log[1].after["status"] == "rejected"
        row = session.get(QueueEntry, cid)
        assert row is not None and row.status == "pending"


def test_a_bulk_action_is_undone_as_one_step_and_only_once(database_url: str) -> None:
    from storage.review_decisions import bulk

    seed(database_url)
    with session_scope(database_url) as session:
        done = bulk(session, QueueFilter(source="spam-fr"), "reject", "bob", dry_run=False)
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.batch == done.batch)))
        assert len(entries) == 3
        undo(session, entries[0].id, "cyd")  # the whole batch: three undo entries
        assert queue_page(session, QueueFilter(source="spam-fr")).rows != []
        with pytest.raises(DecisionError, match="undone already"):
            undo(session, entries[1].id, "cyd")


def test_review_migration_downgrades_and_upgrades(database_url: str) -> None:
    from sqlalchemy import inspect

    from storage.migrate import current_revision, downgrade, upgrade
    from storage.session import get_engine

    review_tables = {
        "review_users",
        "review_sessions",
        "review_settings",
        "review_queue",
        "review_audit",
        "review_votes",
        "review_promotions",
    }
    from tests.integration.test_maindb import _head

    assert current_revision(database_url) == _head(database_url)  # 0006_review or later
    seed(database_url)
    downgrade(database_url, "0002_maindb")
    get_engine(database_url).dispose()
    tables = set(inspect(get_engine(database_url)).get_table_names())
    assert not tables & review_tables and "candidates" in tables
    upgrade(database_url)
    get_engine(database_url).dispose()
    assert review_tables <= set(inspect(get_engine(database_url)).get_table_names())
