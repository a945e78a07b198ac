"""Repository for per-source state: the scheduler's last cron fire and the run lock.

Both are single-row conditional updates, so they are atomic on SQLite and PostgreSQL and hold
across processes and machines that share the database:

* :func:`acquire_lock` succeeds for one owner only while the lock is free or expired; the holder
  renews it (:func:`renew_lock`) and releases it (:func:`release_lock`);
* :func:`claim_fire` moves ``last_fire_at`` forward for one scheduler only, so a cron fire is
  acted on once even with two schedulers running.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from storage.models import SourceState
from storage.session import dialect_insert


@dataclass(frozen=True, slots=True)
class LockInfo:
    owner: str
    acquired_at: datetime | None
    expires_at: datetime | None


def ensure_state(session: Session, source: str) -> None:
    """The source's row exists (insert, or nothing when another process made it)."""
    insert: Any = dialect_insert(session)
    session.execute(
        insert(SourceState).values(source=source).on_conflict_do_nothing(index_elements=["source"])
    )


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def acquire_lock(
    session: Session, source: str, owner: str, *, now: datetime, ttl: timedelta
) -> bool:
    """Take the source's run lock for ``owner`` until ``now + ttl``; False when another holds it."""
    ensure_state(session, source)
    result = session.execute(
        update(SourceState)
        .where(
            SourceState.source == source,
            or_(
                SourceState.lock_owner.is_(None),
                SourceState.lock_owner == owner,
                SourceState.lock_expires_at < now,
            ),
        )
        .values(lock_owner=owner, lock_acquired_at=now, lock_expires_at=now + ttl)
    )
    return _rowcount(result) == 1


def take_over_lock(
    session: Session, source: str, dead: str, owner: str, now: datetime, ttl: timedelta
) -> bool:
    """Take the lock from ``dead`` (a holder known to have died); False if it changed hands."""
    result = session.execute(
        update(SourceState)
        .where(SourceState.source == source, SourceState.lock_owner == dead)
        .values(lock_owner=owner, lock_acquired_at=now, lock_expires_at=now + ttl)
    )
    return _rowcount(result) == 1


def renew_lock(session: Session, source: str, owner: str, *, now: datetime, ttl: timedelta) -> bool:
    """Extend the lock ``owner`` holds; False when it was lost (expired and taken)."""
    result = session.execute(
        update(SourceState)
        .where(SourceState.source == source, SourceState.lock_owner == owner)
        .values(lock_expires_at=now + ttl)
    )
    return _rowcount(result) == 1


def release_lock(session: Session, source: str, owner: str) -> None:
    session.execute(
        update(SourceState)
        .where(SourceState.source == source, SourceState.lock_owner == owner)
        .values(lock_owner=None, lock_acquired_at=None, lock_expires_at=None)
    )


def lock_holder(session: Session, source: str, *, now: datetime) -> LockInfo | None:
    """Who holds the source's lock now (None when free or expired)."""
    state = session.get(SourceState, source)
    if state is None or state.lock_owner is None:
        return None
    if state.lock_expires_at is not None and state.lock_expires_at < now:
        return None
    return LockInfo(state.lock_owner, state.lock_acquired_at, state.lock_expires_at)


def last_fire(session: Session, source: str) -> datetime | None:
    return session.scalar(select(SourceState.last_fire_at).where(SourceState.source == source))


def claim_fire(session: Session, source: str, fire_at: datetime) -> bool:
    """Record that the cron fire ``fire_at`` was handled; False when it already was."""
    ensure_state(session, source)
    result = session.execute(
        update(SourceState)
        .where(
            SourceState.source == source,
            or_(SourceState.last_fire_at.is_(None), SourceState.last_fire_at < fire_at),
        )
        .values(last_fire_at=fire_at)
    )
    return _rowcount(result) == 1
