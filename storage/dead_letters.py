"""Repository for dead letters: items the database refused, with the reason."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import DeadLetter


def add_dead_letter(
    session: Session,
    *,
    source: str,
    spider: str,
    url: str,
    reason: str,
    payload: dict[str, Any],
    run_id: int | None = None,
) -> None:
    """Keep a refused item; the payload is stored as ASCII JSON (NUL and surrogates escaped)."""
    text = json.dumps(payload, ensure_ascii=True, default=repr, allow_nan=True)

    def ascii_only(value: str) -> str:
        return value.replace("\x00", "").encode("ascii", "backslashreplace").decode("ascii")

    session.add(
        DeadLetter(
            source=ascii_only(source)[:200],
            spider=ascii_only(spider)[:40],
            url=ascii_only(url),
            reason=ascii_only(reason),
            payload=text,
            run_id=run_id,
        )
    )


def count_dead_letters(session: Session, *, source: str | None = None) -> int:
    stmt = select(func.count()).select_from(DeadLetter)
    if source:
        stmt = stmt.where(DeadLetter.source == source)
    return int(session.scalar(stmt) or 0)


def dead_letters(session: Session, *, source: str | None = None) -> list[DeadLetter]:
    stmt = select(DeadLetter).order_by(DeadLetter.id)
    if source:
        stmt = stmt.where(DeadLetter.source == source)
    return list(session.scalars(stmt))
