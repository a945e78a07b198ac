"""Repository for candidates and their evidence: upserts, identity keys, main-database matches,
score aggregation, the review queue.

A candidate is one real-world organisation (or project). Its identity keys (``candidate_keys``:
``domain:`` an organisation's own website's registrable domain, ``site:`` a project's own
site's host, ``social:`` a social-profile handle,
``name:`` a normalised name for evidence with nothing better) gather the evidence: an item
carrying any key of a candidate joins it (:func:`find_by_keys`, :func:`add_keys`). Deciding by
name similarity is the caller's (``crawler.resolve``), under :func:`lock_identity` so that two
writers never create the same organisation twice.

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
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from storage.models import Candidate, CandidateEvidence, CandidateKey, Item, ItemScore, utcnow
from storage.session import dialect_insert

ReviewOrder = Literal["uncertainty", "relevance"]


@dataclass(slots=True, frozen=True, kw_only=True)
class CandidateRef:
    """What one item says about one candidate."""

    kind: str  # organisation | project
    key: str
    name: str
    #: the organisation's own website (never a social page or a job board)
    website: str | None = None
    country: str | None = None
    city: str | None = None
    role: str = "mention"
    #: more identity keys besides ``key`` (``domain:``, ``social:``, ``name:``)
    keys: tuple[str, ...] = ()
    #: social pages, platform -> URL
    social_links: dict[str, str] = field(default_factory=dict)

    @property
    def all_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys([self.key, *self.keys]))


def lock_identity(session: Session) -> None:
    """Serialise candidate creation until the transaction ends (PostgreSQL advisory lock; on
    SQLite the database lock already does it)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext('dsi-candidate-identity'))"))


def find_by_keys(session: Session, kind: str, keys: Sequence[str]) -> int | None:
    """The candidate (lowest id) that holds any of ``keys``, or None."""
    if not keys:
        return None
    found = session.scalar(
        select(func.min(CandidateKey.candidate_id)).where(
            CandidateKey.kind == kind, CandidateKey.key.in_([k[:255] for k in keys])
        )
    )
    return None if found is None else int(found)


def add_keys(session: Session, candidate_id: int, kind: str, keys: Sequence[str]) -> None:
    """Give the candidate these keys (keys another candidate holds stay with it)."""
    insert = dialect_insert(session)
    for key in dict.fromkeys(k[:255] for k in keys):
        stmt = insert(CandidateKey).values(kind=kind, key=key, candidate_id=candidate_id)
        session.execute(stmt.on_conflict_do_nothing(index_elements=["kind", "key"]))


def fill_candidate(session: Session, candidate_id: int, ref: CandidateRef) -> None:
    """Fill a candidate's missing website/country/city from ``ref``; merge social links."""
    candidate = session.get(Candidate, candidate_id, populate_existing=True)
    if candidate is None:
        raise ValueError(f"no candidate {candidate_id}")
    if ref.website and not candidate.website and ref.role == "website":
        candidate.name = ref.name  # the organisation's own site names it best
    candidate.website = candidate.website or ref.website
    candidate.country = candidate.country or _country(ref.country)
    candidate.city = candidate.city or ref.city
    if ref.social_links:
        merged = {**ref.social_links, **(candidate.social_links or {})}
        if merged != candidate.social_links:
            candidate.social_links = merged
    add_keys(session, candidate_id, ref.kind, ref.all_keys)


def _country(value: str | None) -> str | None:
    return (value or None) and value[:2].upper()


def candidates_after(session: Session, kind: str, after_id: int) -> list[Candidate]:
    """Candidates of ``kind`` created after ``after_id``, by id (to keep a matcher in step)."""
    stmt = select(Candidate).where(Candidate.kind == kind, Candidate.id > after_id)
    return list(session.scalars(stmt.order_by(Candidate.id)))


def set_match(
    session: Session,
    candidate_id: int,
    match_id: int | None,
    score: float | None,
    reasons: Sequence[str],
    *,
    best_id: int | None = None,
) -> None:
    """Record the candidate's best main-database entry: ``best_id``, its score and reasons
    whatever the score; ``match_id`` the same entry when above the matcher's confidence,
    else None."""
    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        raise ValueError(f"no candidate {candidate_id}")
    candidate.match_id = match_id
    candidate.match_best_id = match_id if best_id is None else best_id
    candidate.match_score = score
    candidate.match_reasons = list(reasons)


def list_candidates(
    session: Session,
    *,
    status: str | None = None,
    kind: str | None = None,
    limit: int | None = None,
) -> list[Candidate]:
    """Candidates by id, optionally of one status and kind."""
    stmt = select(Candidate)
    if status:
        stmt = stmt.where(Candidate.status == status)
    if kind:
        stmt = stmt.where(Candidate.kind == kind)
    stmt = stmt.order_by(Candidate.id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def keys_of(session: Session, candidate_id: int) -> list[str]:
    stmt = select(CandidateKey.key).where(CandidateKey.candidate_id == candidate_id)
    return list(session.scalars(stmt.order_by(CandidateKey.key)))


def evidence_counts(session: Session, candidate_ids: Sequence[int]) -> dict[int, int]:
    stmt = (
        select(CandidateEvidence.candidate_id, func.count())
        .where(CandidateEvidence.candidate_id.in_(list(candidate_ids)))
        .group_by(CandidateEvidence.candidate_id)
    )
    return {int(cid): int(n) for cid, n in session.execute(stmt)}


def upsert_candidate(session: Session, ref: CandidateRef) -> int:
    """Insert a candidate under ``ref.key`` (and its other keys) or fill its missing
    website/country/city and merge its social links; returns its id."""
    now = utcnow()
    insert = dialect_insert(session)
    stmt = insert(Candidate).values(
        kind=ref.kind,
        key=ref.key[:255],
        name=ref.name,
        website=ref.website,
        country=_country(ref.country),
        city=ref.city,
        social_links=dict(ref.social_links),
        match_reasons=[],
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
    candidate_id = int(session.execute(stmt).scalar_one())
    fill_candidate(session, candidate_id, ref)
    return candidate_id


def link_evidence(session: Session, candidate_id: int, item_id: int, role: str) -> None:
    insert = dialect_insert(session)
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
