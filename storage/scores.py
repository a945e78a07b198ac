"""Repository for classifier scores (``item_scores``): idempotent upserts and batch reads."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from storage.models import Item, ItemScore, utcnow
from storage.session import dialect_insert


@dataclass(slots=True, kw_only=True)
class ScoreRow:
    """One item's score by one model version."""

    item_id: int
    model_version: str
    relevance: float
    technologies: dict[str, float] = field(default_factory=dict)
    areas: dict[str, float] = field(default_factory=dict)
    explanation: dict[str, Any] = field(default_factory=dict)
    uncertainty: float = 0.0
    scored_at: datetime | None = None


def upsert_scores(session: Session, rows: Sequence[ScoreRow]) -> int:
    """Insert or replace scores; identity is (item, model version). Returns rows written."""
    if not rows:
        return 0
    now = utcnow()
    by_key: dict[tuple[int, str], dict[str, Any]] = {}
    for row in rows:
        values = asdict(row)
        values["scored_at"] = row.scored_at or now
        by_key[(row.item_id, row.model_version)] = values
    insert = dialect_insert(session)
    stmt = insert(ItemScore).values(list(by_key.values()))
    excluded = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=["item_id", "model_version"],
        set_={
            name: getattr(excluded, name)
            for name in (
                "relevance",
                "technologies",
                "areas",
                "explanation",
                "uncertainty",
                "scored_at",
            )
        },
    )
    session.execute(stmt)
    return len(by_key)


def items_to_score(
    session: Session,
    model_version: str,
    *,
    pending_only: bool = True,
    after_id: int = 0,
    limit: int = 256,
) -> list[Item]:
    """The next batch of items (id order, ``id > after_id``) to score with ``model_version``.

    ``pending_only``: only items with no score from this model version yet.
    """
    stmt = select(Item).where(Item.id > after_id).order_by(Item.id).limit(limit)
    if pending_only:
        scored = exists().where(
            ItemScore.item_id == Item.id, ItemScore.model_version == model_version
        )
        stmt = stmt.where(~scored)
    return list(session.scalars(stmt))


def scores_for_items(
    session: Session, item_ids: Sequence[int], model_version: str
) -> dict[int, ItemScore]:
    if not item_ids:
        return {}
    stmt = select(ItemScore).where(
        ItemScore.item_id.in_(list(item_ids)), ItemScore.model_version == model_version
    )
    return {s.item_id: s for s in session.scalars(stmt)}


def latest_score(session: Session, item_id: int) -> ItemScore | None:
    stmt = (
        select(ItemScore)
        .where(ItemScore.item_id == item_id)
        .order_by(ItemScore.scored_at.desc(), ItemScore.id.desc())
        .limit(1)
    )
    return session.scalars(stmt).first()


def count_scores(session: Session, model_version: str | None = None) -> int:
    stmt = select(func.count()).select_from(ItemScore)
    if model_version:
        stmt = stmt.where(ItemScore.model_version == model_version)
    return int(session.scalar(stmt) or 0)
