"""Curators' decisions as labelled queries for the matcher, and the thresholds tuned on them.

Each candidate keeps its best main-database entry (``match_best_id``, score, reasons) even
below the threshold, and every decision's audit entry keeps that state as the curator saw it
(``before``). The latest decision on a candidate that has not been undone says:

* merged into the suggested entry: the suggestion was right (a match);
* merged into another entry: the suggestion was wrong, and a right entry exists;
* accepted as new: the suggestion was wrong, and no right entry exists.

Rejections say the candidate is not DSI, not whether it is the organisation suggested, and
snoozes decide nothing: neither counts. Undone decisions (and so undone promotions) do not
count; the decision made after an undo does. Candidates with no suggested entry count in no
threshold (every threshold leaves them unmatched) and are reported apart.

Tuned thresholds live in the main database (``match_thresholds``), one row per tuning run
that changed it; the newest of a kind is in use.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from matching.tuning import Outcome
from storage.models import AuditEntry, Candidate, MatchThreshold, utcnow

__all__ = [
    "LabelledDecision",
    "labelled_decisions",
    "save_threshold",
    "threshold_history",
    "tuned_threshold",
    "tuned_thresholds",
]


@dataclass(frozen=True, slots=True)
class LabelledDecision:
    candidate_id: int
    kind: str
    #: accept | merge
    action: str
    #: the best entry the matcher suggested when the curator decided (None: nothing close)
    suggested: int | None
    score: float | None
    #: the entry the candidate was merged into (merges only)
    merged_into: int | None
    audit_id: int

    @property
    def label(self) -> str:
        """``match``, ``wrong_entry``, ``new`` (the suggestion was wrong), or ``unsuggested``."""
        if self.suggested is None or self.score is None:
            return "unsuggested"
        if self.action == "merge":
            return "match" if self.merged_into == self.suggested else "wrong_entry"
        return "new"

    def outcome(self) -> Outcome | None:
        """The labelled query for threshold tuning; None without a suggested entry."""
        if self.suggested is None or self.score is None:
            return None
        return Outcome(
            score=float(self.score),
            right=self.action == "merge" and self.merged_into == self.suggested,
            exists=self.action == "merge",
        )


def _suggested(before: dict[str, Any]) -> int | None:
    """The best entry in a decision's ``before`` state (entries written before
    ``match_best_id`` existed only know it when it was above the threshold)."""
    value = before.get("match_best_id", before.get("match_id"))
    return None if value is None else int(value)


def labelled_decisions(session: Session, kind: str | None = None) -> list[LabelledDecision]:
    """Each candidate's latest accept or merge that stands (not undone), by candidate id."""
    undone = select(AuditEntry.undoes).where(AuditEntry.undoes.is_not(None))
    stmt = (
        select(AuditEntry, Candidate.kind)
        .join(Candidate, Candidate.id == AuditEntry.candidate_id)
        .where(AuditEntry.action.in_(("accept", "merge")), AuditEntry.id.not_in(undone))
        .order_by(AuditEntry.id)
    )
    if kind is not None:
        stmt = stmt.where(Candidate.kind == kind)
    latest: dict[int, LabelledDecision] = {}
    for entry, candidate_kind in session.execute(stmt):
        assert entry.candidate_id is not None
        before = dict(entry.before or {})
        promotion = (entry.after or {}).get("promotion") or {}
        merged = promotion.get("entry_id") if entry.action == "merge" else None
        score = before.get("match_score")
        latest[entry.candidate_id] = LabelledDecision(
            candidate_id=entry.candidate_id,
            kind=str(promotion.get("kind") or candidate_kind),
            action=entry.action,
            suggested=_suggested(before),
            score=None if score is None else float(score),
            merged_into=None if merged is None else int(merged),
            audit_id=entry.id,
        )
    return [latest[cid] for cid in sorted(latest)]


def tuned_threshold(session: Session, kind: str) -> MatchThreshold | None:
    """The threshold in use for ``kind`` when one was tuned (the newest row)."""
    newest = threshold_history(session, kind, limit=1)
    return newest[0] if newest else None


def tuned_thresholds(session: Session, kinds: Sequence[str]) -> dict[str, float | None]:
    """Per kind, the tuned threshold, or None (the model's own applies)."""
    out: dict[str, float | None] = {}
    for kind in kinds:
        row = tuned_threshold(session, kind)
        out[kind] = None if row is None else row.threshold
    return out


def threshold_history(session: Session, kind: str, limit: int = 10) -> list[MatchThreshold]:
    """The tunings of ``kind``, newest first."""
    stmt = (
        select(MatchThreshold)
        .where(MatchThreshold.kind == kind)
        .order_by(MatchThreshold.id.desc())
        .limit(limit)
    )
    return list(session.scalars(stmt))


def save_threshold(
    session: Session,
    kind: str,
    threshold: float,
    *,
    previous: float,
    pairs: int,
    figures: dict[str, Any],
    set_by: str,
) -> MatchThreshold:
    if not 0.0 <= threshold <= 1.0:
        raise ValueError(f"threshold must be between 0 and 1, got {threshold}")
    row = MatchThreshold(
        kind=kind,
        threshold=threshold,
        previous=previous,
        pairs=pairs,
        figures=figures,
        set_by=set_by[:80],
        at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def outcomes_of(decisions: Sequence[LabelledDecision]) -> list[Outcome]:
    return [o for d in decisions if (o := d.outcome()) is not None]
