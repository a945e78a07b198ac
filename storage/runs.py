"""Repository for crawl runs (run history)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
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
