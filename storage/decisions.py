"""Repository for curator decisions (training signal for ``dsi train --decisions``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.candidates import evidence_items, set_status
from storage.models import Decision, Item

DECISIONS = ("accept", "reject", "relabel")
_STATUS = {"accept": "accepted", "reject": "rejected"}


@dataclass(slots=True, kw_only=True)
class DecisionRow:
    """A decision with what is needed to rebuild its text (its item, or its candidate's items)."""

    id: int
    decision: str
    text: str
    technologies: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    #: (spider, fields) of the items the decision is about, for texts
    items: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


def record_decision(
    session: Session,
    *,
    decision: str,
    candidate_id: int | None = None,
    item_id: int | None = None,
    technologies: Sequence[str] = (),
    areas: Sequence[str] = (),
    text: str = "",
    curator: str | None = None,
) -> Decision:
    """Store a decision; accept/reject also set the candidate's status."""
    if decision not in DECISIONS:
        raise ValueError(f"unknown decision {decision!r}: use one of {', '.join(DECISIONS)}")
    if candidate_id is None and item_id is None and not text.strip():
        raise ValueError("a decision needs a candidate, an item or a text")
    row = Decision(
        decision=decision,
        candidate_id=candidate_id,
        item_id=item_id,
        technologies=list(technologies),
        areas=list(areas),
        text=text,
        curator=curator,
    )
    session.add(row)
    if candidate_id is not None and decision in _STATUS:
        set_status(session, candidate_id, _STATUS[decision])
    session.flush()
    return row


def training_rows(session: Session) -> list[DecisionRow]:
    """Every decision, oldest first, with its items (a later decision on the same thing wins
    when the caller de-duplicates by candidate/item)."""
    out = []
    for d in session.scalars(select(Decision).order_by(Decision.decided_at, Decision.id)):
        items: list[Item] = []
        if d.item_id is not None:
            item = session.get(Item, d.item_id)
            items = [item] if item is not None else []
        elif d.candidate_id is not None:
            items = evidence_items(session, d.candidate_id)
        out.append(
            DecisionRow(
                id=d.id,
                decision=d.decision,
                text=d.text or "",
                technologies=list(d.technologies or []),
                areas=list(d.areas or []),
                items=[(i.spider, dict(i.fields or {})) for i in items],
            )
        )
    return out
