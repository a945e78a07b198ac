"""Promotion of a reviewed candidate into the main database (the DSI map), and its undo.

Accepting creates a new organisation or project from the candidate (in the digitalsocial.eu
format that ``storage.maindb`` speaks); merging fills the matched entry's empty fields and adds
the candidate's labels. Either way a ``review_promotions`` row keeps the provenance (candidate,
evidence items, curator, time) and what a merge changed, so that :func:`revert_promotion`
restores the entry exactly. Both run inside the caller's transaction (one transaction with the
decision and its audit entry).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pycountry
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage import maindb
from storage.models import Candidate, CandidateEvidence, Item, Promotion, utcnow

_NAME_KEY = {"organisation": "organisation_name", "project": "project_name"}


class PromotionError(ValueError):
    """A promotion or its undo that cannot be done (message says why; nothing changed)."""


def _kind(candidate: Candidate) -> maindb.Kind:
    if candidate.kind == "project":
        return "project"
    if candidate.kind == "organisation":
        return "organisation"
    raise PromotionError(f"candidate {candidate.id} has unknown kind {candidate.kind!r}")


def country_name(code: str | None) -> str:
    """The map's country name for an ISO code ("GB" -> "United Kingdom"); "" when unknown."""
    if not code:
        return ""
    found = pycountry.countries.get(alpha_2=code.upper())
    return str(found.name) if found is not None else ""


def _labels(candidate: Candidate) -> tuple[list[str], list[str]]:
    return list(candidate.technologies or {}), list(candidate.areas or {})


def candidate_record(candidate: Candidate) -> dict[str, Any]:
    """The export-format record a new entry is created from."""
    kind = _kind(candidate)
    techs, areas = _labels(candidate)
    record: dict[str, Any] = {
        _NAME_KEY[kind]: candidate.name,
        "website": candidate.website or "",
        "country": country_name(candidate.country),
        "region": candidate.city or "",
    }
    if kind == "project":
        record["technology"] = [{"id": "", "name": t} for t in techs]
        record["support_tags"] = [{"id": "", "name": a} for a in areas]
    else:
        record["tags"] = [*techs, *areas]
    return record


def _merge_changes(kind: str, current: dict[str, Any], candidate: Candidate) -> dict[str, Any]:
    """What merging the candidate changes in an entry: its empty fields, and new labels."""
    new = candidate_record(candidate)
    changes: dict[str, Any] = {}
    for key in ("website", "country", "region"):
        if not current.get(key) and new.get(key):
            changes[key] = new[key]
    list_keys = ("technology", "support_tags") if kind == "project" else ("tags",)
    for key in list_keys:
        have = list(current.get(key) or [])
        names = {(v.get("name") if isinstance(v, dict) else v) for v in have}
        added = [
            v
            for v in new.get(key, [])
            if (v.get("name") if isinstance(v, dict) else v) not in names
        ]
        if added:
            changes[key] = have + added
    return changes


def _evidence(session: Session, candidate_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Item.id, Item.source, Item.url)
        .join(CandidateEvidence, CandidateEvidence.item_id == Item.id)
        .where(CandidateEvidence.candidate_id == candidate_id)
        .order_by(Item.id)
    )
    return [{"id": int(i), "source": s, "url": u} for i, s, u in rows]


def promote_candidate(
    session: Session,
    candidate: Candidate,
    *,
    into: int | None,
    curator: str,
    decided_at: datetime,
) -> dict[str, Any]:
    """Create a main-database entry from the candidate (``into`` None) or merge it into entry
    ``into``; returns the reference that :func:`revert_promotion` takes."""
    kind = _kind(candidate)
    try:
        if into is None:
            entry_id = maindb.create_entry(session, kind, candidate_record(candidate))
            action, previous = "created", dict[str, Any]()
        else:
            current = maindb.get_entry(session, kind, into)
            if current is None:
                raise PromotionError(f"no {kind} {into} in the main database to merge into")
            changes = _merge_changes(kind, current, candidate)
            previous = maindb.update_entry(session, kind, into, changes) if changes else {}
            entry_id, action = into, "merged"
    except maindb.MainDbError as exc:
        raise PromotionError(str(exc)) from exc
    row = Promotion(
        candidate_id=candidate.id,
        kind=kind,
        entry_id=entry_id,
        action=action,
        curator=curator,
        at=decided_at,
        items=_evidence(session, candidate.id),
        previous=previous,
    )
    session.add(row)
    session.flush()
    return {"promotion_id": row.id, "kind": kind, "entry_id": entry_id, "action": action}


def revert_promotion(session: Session, ref: dict[str, Any]) -> None:
    """Undo a promotion: delete the created entry, or restore what a merge changed. Refused
    while a later promotion into the same entry stands (undo that one first)."""
    row = session.get(Promotion, int(ref["promotion_id"]), with_for_update=True)
    if row is None or row.reverted_at is not None:
        raise PromotionError(f"promotion {ref.get('promotion_id')} is gone or undone already")
    later = session.scalars(
        select(Promotion.id).where(
            Promotion.kind == row.kind,
            Promotion.entry_id == row.entry_id,
            Promotion.id > row.id,
            Promotion.reverted_at.is_(None),
        )
    ).first()
    if later is not None:
        raise PromotionError(
            f"{row.kind} {row.entry_id} has a later promotion ({later}): undo that decision first"
        )
    kind: maindb.Kind = "project" if row.kind == "project" else "organisation"
    try:
        if row.action == "created":
            maindb.delete_entry(session, kind, row.entry_id)
        elif row.previous:
            maindb.update_entry(session, kind, row.entry_id, dict(row.previous))
    except maindb.MainDbError as exc:
        raise PromotionError(str(exc)) from exc
    row.reverted_at = utcnow()
    session.flush()


def promotions_of(session: Session, candidate_id: int) -> list[Promotion]:
    stmt = select(Promotion).where(Promotion.candidate_id == candidate_id).order_by(Promotion.id)
    return list(session.scalars(stmt))
