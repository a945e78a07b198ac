"""Repository for crawl runs (run history)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import CrawlRun, utcnow


def start_run(session: Session, *, source: str, spider: str) -> CrawlRun:
    run = CrawlRun(source=source, spider=spider, status="running", stats={})
    session.add(run)
    session.flush()
    return run


def finish_run(
    session: Session,
    run_id: int,
    *,
    status: str,
    stats: dict[str, Any],
    finish_reason: str | None = None,
    error: str | None = None,
    finished_at: datetime | None = None,
) -> None:
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise LookupError(f"no crawl run with id {run_id}")
    run.status = status
    run.finished_at = finished_at or utcnow()
    run.finish_reason = finish_reason
    run.stats = stats
    run.error = error


def last_successful_run(session: Session, source: str) -> CrawlRun | None:
    stmt = (
        select(CrawlRun)
        .where(CrawlRun.source == source, CrawlRun.status == "finished")
        .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
        .limit(1)
    )
    return session.scalars(stmt).first()


def recent_runs(session: Session, limit: int = 20) -> list[CrawlRun]:
    stmt = select(CrawlRun).order_by(CrawlRun.id.desc()).limit(limit)
    return list(session.scalars(stmt))


def running_runs(session: Session, source: str) -> list[CrawlRun]:
    stmt = select(CrawlRun).where(CrawlRun.source == source, CrawlRun.status == "running")
    return list(session.scalars(stmt))


def mark_interrupted(session: Session, run_id: int, reason: str) -> None:
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise LookupError(f"no crawl run with id {run_id}")
    run.status = "interrupted"
    run.finish_reason = reason
    run.error = reason


def get_run(session: Session, run_id: int) -> CrawlRun | None:
    return session.get(CrawlRun, run_id)


def list_runs(session: Session, *, source: str | None = None, limit: int = 20) -> list[CrawlRun]:
    """The latest runs first, of one source or all."""
    stmt = select(CrawlRun).order_by(CrawlRun.id.desc()).limit(limit)
    if source:
        stmt = stmt.where(CrawlRun.source == source)
    return list(session.scalars(stmt))


def good_runs(session: Session, source: str, *, before_id: int, limit: int = 5) -> list[CrawlRun]:
    """The source's last ``finished`` runs before run ``before_id``, latest first."""
    stmt = (
        select(CrawlRun)
        .where(CrawlRun.source == source, CrawlRun.status == "finished", CrawlRun.id < before_id)
        .order_by(CrawlRun.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def save_checks(session: Session, run_id: int, checks: list[dict[str, Any]], health: str) -> None:
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise LookupError(f"no crawl run with id {run_id}")
    run.checks = checks
    run.health = health


def add_run_stats(session: Session, run_id: int, counts: dict[str, int]) -> None:
    """Add to counters in a finished run's stats (e.g. ``dsi/classify/*`` from scoring)."""
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise LookupError(f"no crawl run with id {run_id}")
    stats = dict(run.stats or {})
    for key, n in counts.items():
        stats[key] = int(stats.get(key) or 0) + n
    run.stats = stats


def latest_by_source(session: Session) -> dict[str, CrawlRun]:
    """Each source's latest ended run (its health and status)."""
    latest = (
        select(CrawlRun.source, func.max(CrawlRun.id).label("id"))
        .where(CrawlRun.status != "running")
        .group_by(CrawlRun.source)
        .subquery()
    )
    stmt = select(CrawlRun).join(latest, CrawlRun.id == latest.c.id)
    return {run.source: run for run in session.scalars(stmt)}
