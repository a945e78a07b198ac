"""Repository for candidates and their evidence: upserts, score aggregation, the review queue.

A candidate's relevance is the **maximum** of its evidence items' relevance for the model version
(one strong piece of evidence is enough; a noisy-or would let twenty weak job adverts of one
ordinary employer add up to a confident "DSI"). Its labels are, per label, the maximum
probability over the items that carry the label, listed in the most relevant item's order (most
distinctive first, see ``classifiers.predict``), then the others by probability; its explanation
and uncertainty are those of the most relevant item. Re-running with the same scores writes the
same values (idempotent).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.items import _insert_for
from storage.models import Candidate, CandidateEvidence, Item, ItemScore, utcnow

ReviewOrder = Literal["uncertainty", "relevance"]


@dataclass(slots=True, frozen=True, kw_only=True)
class CandidateRef:
    """What one item says about one candidate."""

    kind: str  # organisation | project
    key: str
    name: str
    website: str | None = None
    country: str | None = None
    city: str | None = None
    role: str = "mention"


def upsert_candidate(session: Session, ref: CandidateRef) -> int:
    """Insert a candidate or fill its missing website/country/city; returns its id."""
    now = utcnow()
    insert = _insert_for(session)
    stmt = insert(Candidate).values(
        kind=ref.kind,
        key=ref.key[:255],
        name=ref.name,
        website=ref.website,
        country=(ref.country or None) and ref.country[:2].upper(),
        city=ref.city,
        technologies={},
        areas={},
        explanation={},
        uncertainty=0.0,
        status="pending",
        created_at=now,
        updated_at=now,
    )
    excluded = stmt.excluded
    stmt = stmt.on_conflict_do_update(
        index_elements=["kind", "key"],
        set_={
            "website": func.coalesce(Candidate.website, excluded.website),
            "country": func.coalesce(Candidate.country, excluded.country),
            "city": func.coalesce(Candidate.city, excluded.city),
        },
    ).returning(Candidate.id)
    return int(session.execute(stmt).scalar_one())


def link_evidence(session: Session, candidate_id: int, item_id: int, role: str) -> None:
    insert = _insert_for(session)
    stmt = insert(CandidateEvidence).values(
        candidate_id=candidate_id, item_id=item_id, role=role[:40]
    )
    session.execute(stmt.on_conflict_do_nothing(index_elements=["candidate_id", "item_id"]))


def refresh_candidates(session: Session, candidate_ids: Sequence[int], model_version: str) -> int:
    """Recompute relevance/labels/explanation of candidates from their items' scores."""
    ids = sorted(set(candidate_ids))
    if not ids:
        return 0
    rows = session.execute(
        select(CandidateEvidence.candidate_id, ItemScore)
        .join(ItemScore, ItemScore.item_id == CandidateEvidence.item_id)
        .where(CandidateEvidence.candidate_id.in_(ids), ItemScore.model_version == model_version)
        .order_by(CandidateEvidence.candidate_id, ItemScore.item_id)
    ).all()
    by_candidate: dict[int, list[ItemScore]] = {}
    for cid, score in rows:
        by_candidate.setdefault(int(cid), []).append(score)
    updated = 0
    for cid, scores in by_candidate.items():
        candidate = session.get(Candidate, cid)
        if candidate is None:
            continue
        best = max(scores, key=lambda s: (s.relevance, -s.item_id))
        techs: dict[str, float] = {}
        areas: dict[str, float] = {}
        for s in scores:
            for label, p in (s.technologies or {}).items():
                techs[label] = max(techs.get(label, 0.0), float(p))
            for label, p in (s.areas or {}).items():
                areas[label] = max(areas.get(label, 0.0), float(p))
        explanation: dict[str, Any] = dict(best.explanation or {})
        explanation["evidence_items"] = len(scores)
        explanation["best_item_id"] = best.item_id
        candidate.relevance = float(best.relevance)
        order = (best.explanation or {}).get("label_order") or {}
        candidate.technologies = _ordered(order.get("technology") or [], techs)
        candidate.areas = _ordered(order.get("area") or [], areas)
        candidate.explanation = explanation
        candidate.uncertainty = float(best.uncertainty)
        candidate.model_version = model_version
        candidate.updated_at = utcnow()
        updated += 1
    session.flush()
    from storage.review_queue import refresh_queue  # the queue rows follow their candidates

    refresh_queue(session, list(by_candidate))
    return updated


def _ordered(best: list[str], labels: dict[str, float]) -> dict[str, float]:
    """The best item's labels in its order (most distinctive first), then the others by
    probability (a JSON object's key order is not kept by JSONB, so readers that need the
    order use ``explanation["label_order"]``)."""
    first = [label for label in best if label in labels]
    rest = sorted((kv for kv in labels.items() if kv[0] not in best), key=lambda kv: -kv[1])
    return {**{label: labels[label] for label in first}, **dict(rest)}


def review_queue(
    session: Session,
    order: ReviewOrder = "uncertainty",
    *,
    limit: int = 50,
    status: str = "pending",
) -> list[Candidate]:
    """Candidates to review: most uncertain first (active learning) or most relevant first."""
    stmt = select(Candidate).where(Candidate.status == status, Candidate.relevance.is_not(None))
    if order == "uncertainty":
        stmt = stmt.order_by(Candidate.uncertainty.desc(), Candidate.relevance.desc(), Candidate.id)
    elif order == "relevance":
        stmt = stmt.order_by(Candidate.relevance.desc(), Candidate.id)
    else:
        raise ValueError(f"unknown review order {order!r}: use 'uncertainty' or 'relevance'")
    return list(session.scalars(stmt.limit(limit)))


def evidence_items(session: Session, candidate_id: int) -> list[Item]:
    stmt = (
        select(Item)
        .join(CandidateEvidence, CandidateEvidence.item_id == Item.id)
        .where(CandidateEvidence.candidate_id == candidate_id)
        .order_by(Item.id)
    )
    return list(session.scalars(stmt))


def count_candidates(session: Session) -> dict[str, int]:
    stmt = select(Candidate.kind, func.count()).group_by(Candidate.kind)
    return {kind: int(n) for kind, n in session.execute(stmt)}


def set_status(session: Session, candidate_id: int, status: str) -> None:
    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        raise ValueError(f"no candidate {candidate_id}")
    candidate.status = status
    candidate.updated_at = utcnow()
