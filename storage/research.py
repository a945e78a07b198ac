"""Read-only bulk reads for researchers: items with one model version's score, candidates and
their evidence, site links and crawl runs (``dsi export items``, ``reports/``).

Rows come back as plain dicts (no ORM objects), streamed in id order where tables can be large.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.items import iter_item_batches
from storage.models import Candidate, CandidateEvidence, CrawlRun, Item, ItemScore, SiteLink

#: one model version's verdict on an item, as columns
SCORE_FIELDS = (
    "relevance",
    "relevant",
    "technologies",
    "areas",
    "model_version",
    "relevance_threshold",
)

__all__ = [
    "SCORE_FIELDS",
    "NoScores",
    "candidate_evidence_rows",
    "candidate_rows",
    "choose_model_version",
    "iter_scored_items",
    "link_rows",
    "run_rows",
    "score_values",
    "scored_versions",
]


def scored_versions(session: Session) -> list[tuple[str, int, datetime]]:
    """``(model version, items scored, last scored at)``, most recently scored first."""
    stmt = (
        select(ItemScore.model_version, func.count(), func.max(ItemScore.scored_at))
        .group_by(ItemScore.model_version)
        .order_by(func.max(ItemScore.scored_at).desc(), ItemScore.model_version)
    )
    return [(str(v), int(n), at) for v, n, at in session.execute(stmt)]


class NoScores(LookupError):
    """The requested model version has scored nothing in this database."""


def choose_model_version(
    session: Session, *, requested: str | None = None, active: str | None = None
) -> str | None:
    """Which model version's scores to read: ``requested`` (an error if it scored nothing),
    else the ``active`` model if it scored anything, else the most recently scored version;
    None when nothing is scored."""
    versions = [v for v, _n, _at in scored_versions(session)]
    if requested:
        if requested not in versions:
            known = ", ".join(versions) or "none"
            raise NoScores(f"model version {requested!r} scored no item here (scored: {known})")
        return requested
    if active and active in versions:
        return active
    return versions[0] if versions else None


def iter_scored_items(
    session: Session,
    *,
    model_version: str | None,
    spider: str | None = None,
    source: str | None = None,
    batch_size: int = 500,
) -> Iterator[tuple[Item, ItemScore | None]]:
    """Items in id order, each with its score by ``model_version`` (None when unscored)."""
    for batch in iter_item_batches(session, spider=spider, source=source, batch_size=batch_size):
        scores: dict[int, ItemScore] = {}
        if model_version:
            found = session.scalars(
                select(ItemScore).where(
                    ItemScore.item_id.in_([i.id for i in batch]),
                    ItemScore.model_version == model_version,
                )
            )
            scores = {s.item_id: s for s in found}
        for item in batch:
            yield item, scores.get(item.id)


def score_values(score: ItemScore | None) -> dict[str, Any]:
    """The score columns of one item (all None without a score)."""
    if score is None:
        return dict.fromkeys(SCORE_FIELDS)
    explanation = score.explanation or {}
    threshold = explanation.get("relevance_threshold")
    threshold = float(threshold) if isinstance(threshold, int | float) else None
    relevant = explanation.get("relevant")
    if not isinstance(relevant, bool):
        relevant = threshold is not None and score.relevance >= threshold
    order = explanation.get("label_order") or {}
    return {
        "relevance": float(score.relevance),
        "relevant": relevant,
        "technologies": _labels(score.technologies, order.get("technology")),
        "areas": _labels(score.areas, order.get("area")),
        "model_version": score.model_version,
        "relevance_threshold": threshold,
    }


def _labels(probs: Any, order: Any) -> list[str]:
    """Label names: in the explanation's order where it gives one, then by probability."""
    if not isinstance(probs, dict):
        return []
    first = [label for label in (order or []) if label in probs]
    rest = sorted((label for label in probs if label not in first), key=lambda k: -probs[k])
    return [*first, *rest]


def candidate_rows(session: Session) -> list[dict[str, Any]]:
    """Every candidate as a dict of its columns (id order)."""
    cols = [c.name for c in Candidate.__table__.columns]
    return [dict(zip(cols, row, strict=True)) for row in _rows(session, Candidate, cols)]


def candidate_evidence_rows(session: Session) -> list[dict[str, Any]]:
    """``candidate_id, item_id, role`` for every piece of evidence."""
    stmt = select(
        CandidateEvidence.candidate_id, CandidateEvidence.item_id, CandidateEvidence.role
    ).order_by(CandidateEvidence.id)
    return [
        {"candidate_id": int(c), "item_id": int(i), "role": r} for c, i, r in session.execute(stmt)
    ]


def link_rows(session: Session) -> list[dict[str, Any]]:
    """Every stored link between two sites."""
    cols = ["from_site", "to_site", "source", "first_seen", "last_seen"]
    return [dict(zip(cols, row, strict=True)) for row in _rows(session, SiteLink, cols)]


def run_rows(session: Session) -> list[dict[str, Any]]:
    """Every crawl run without its stats: ``source, spider, started_at, finished_at, status``."""
    cols = ["id", "source", "spider", "started_at", "finished_at", "status"]
    return [dict(zip(cols, row, strict=True)) for row in _rows(session, CrawlRun, cols)]


def _rows(session: Session, model: Any, cols: list[str]) -> list[tuple[Any, ...]]:
    stmt = select(*(getattr(model, c) for c in cols)).order_by(model.id)
    return [tuple(row) for row in session.execute(stmt)]
