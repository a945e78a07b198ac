"""Repository for curator decisions in the review app: decide, bulk-decide, undo, the audit log.

Every action writes one ``review_audit`` entry (who, when, the candidate's state before and
after); the log is append-only: an undo is a new entry that points at the entry it reverses and
restores its ``before`` state. Accept, merge and reject also write the training decision that
``dsi train --decisions`` reads (``decisions`` table, removed again on undo), and accept/merge
promote the candidate into the main database in the same transaction (``storage.promotion``).

Candidates of the overlap sample are decided independently by two curators: the first verdict is
a vote only; the second applies the decision when both agree and leaves a disagreement for an
admin otherwise.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from storage.decisions import record_decision
from storage.models import AuditEntry, Candidate, Decision, QueueEntry, ReviewVote, utcnow
from storage.promotion import PromotionError, promote_candidate, revert_promotion
from storage.review_queue import QueueFilter, matching_ids, set_queue_status

ACTIONS = ("accept", "reject", "merge", "snooze")
STATUS_AFTER = {"accept": "accepted", "reject": "rejected", "merge": "merged", "snooze": "snoozed"}
#: the training decision each action writes (snooze teaches nothing)
TRAINING = {"accept": "accept", "merge": "accept", "reject": "reject"}
OPEN_STATUSES = ("pending", "snoozed")
EDITABLE = ("name", "website", "country", "city", "technologies", "areas")
#: bulk actions touch at most this many candidates at once
BULK_LIMIT = 20_000


class DecisionError(ValueError):
    """A decision or undo that cannot be made (message says why; nothing was changed)."""


@dataclass(slots=True, kw_only=True)
class Outcome:
    """What a decision did: the audit entry, and whether it only recorded a vote."""

    entry: AuditEntry
    vote_only: bool = False
    disagreement: bool = False


@dataclass(slots=True, kw_only=True)
class BulkResult:
    count: int
    preview: list[Candidate] = field(default_factory=list)
    batch: str | None = None
    skipped: int = 0


def snapshot(candidate: Candidate, queue: QueueEntry | None) -> dict[str, Any]:
    """The candidate state a decision changes (what undo restores)."""
    return {
        "status": candidate.status,
        "name": candidate.name,
        "website": candidate.website,
        "country": candidate.country,
        "city": candidate.city,
        "technologies": dict(candidate.technologies or {}),
        "areas": dict(candidate.areas or {}),
        "snoozed_until": (
            queue.snoozed_until.isoformat() if queue and queue.snoozed_until else None
        ),
        "match_id": candidate.match_id,
        "match_best_id": candidate.match_best_id,
        "match_score": candidate.match_score,
    }


def clean_edits(edits: dict[str, Any]) -> dict[str, Any]:
    """Validated field/label edits: unknown fields, non-http(s) websites, bad countries fail."""
    unknown = sorted(set(edits) - set(EDITABLE))
    if unknown:
        raise DecisionError(f"cannot edit {', '.join(unknown)}: editable are {', '.join(EDITABLE)}")
    out: dict[str, Any] = {}
    for key, value in edits.items():
        if key in ("technologies", "areas"):
            labels = [value] if isinstance(value, str) else list(value or [])
            out[key] = [str(v).strip() for v in labels if str(v).strip()]
            continue
        text = ("" if value is None else str(value)).strip()
        if key == "name" and not text:
            raise DecisionError("the name cannot be empty")
        if key == "website" and text and urlsplit(text).scheme not in ("http", "https"):
            raise DecisionError(f"website {text[:80]!r} is not an http(s) URL")
        if key == "country" and text and (len(text) != 2 or not text.isalpha()):
            raise DecisionError(f"country {text[:20]!r} is not a two-letter ISO code")
        out[key] = (text.upper() if key == "country" else text) or None
    return out


def _apply_edits(candidate: Candidate, edits: dict[str, Any]) -> None:
    for key, value in edits.items():
        if key in ("technologies", "areas"):
            old = dict(getattr(candidate, key) or {})
            setattr(candidate, key, {label: float(old.get(label, 1.0)) for label in value})
        else:
            setattr(candidate, key, value)


def _open_candidate(session: Session, candidate_id: int) -> Candidate:
    candidate = session.get(Candidate, candidate_id, with_for_update=True)
    if candidate is None:
        raise DecisionError(f"no candidate {candidate_id}")
    if candidate.status not in OPEN_STATUSES:
        raise DecisionError(
            f"candidate {candidate_id} is {candidate.status} already: undo that decision first"
        )
    return candidate


def decide(
    session: Session,
    candidate_id: int,
    action: str,
    username: str,
    *,
    reason: str = "",
    edits: dict[str, Any] | None = None,
    merge_into: int | None = None,
    snooze_until: datetime | None = None,
    batch: str | None = None,
    as_vote: bool = True,
) -> Outcome:
    """Decide one candidate. ``as_vote=False`` (admins resolving a disagreement, bulk actions)
    decides overlap-sample candidates directly."""
    if action not in ACTIONS:
        raise DecisionError(f"unknown action {action!r}: use one of {', '.join(ACTIONS)}")
    if action == "merge" and merge_into is None:
        raise DecisionError("merge needs the main-database entry to merge into")
    if action == "snooze" and (snooze_until is None or snooze_until <= utcnow()):
        raise DecisionError("snooze needs a time in the future")
    if action == "reject" and not reason.strip():
        reason = "not DSI"
    cleaned = clean_edits(edits or {})
    candidate = _open_candidate(session, candidate_id)
    queue = session.get(QueueEntry, candidate_id)
    before = snapshot(candidate, queue)
    if as_vote and action != "snooze" and queue is not None and queue.overlap:
        voted = _vote(session, candidate_id, username, action)
        if voted is not None:
            entry = _audit(session, username, "vote", candidate_id, before, before, reason, batch)
            entry.after = {**before, "vote": action, "agreement": voted}
            return Outcome(entry=entry, vote_only=True, disagreement=voted == "differ")
    _apply_edits(candidate, cleaned)
    status = STATUS_AFTER[action]
    candidate.status = status
    candidate.updated_at = utcnow()
    set_queue_status(session, candidate_id, status, snooze_until)
    after = snapshot(candidate, session.get(QueueEntry, candidate_id))
    decision_id = None
    if action in TRAINING:
        training = record_decision(
            session,
            decision="relabel"
            if action == "accept" and _labels_edited(cleaned)
            else TRAINING[action],
            candidate_id=candidate_id,
            technologies=list(candidate.technologies or {}),
            areas=list(candidate.areas or {}),
            curator=username,
        )
        decision_id = training.id
        candidate.status = status  # record_decision sets accept -> accepted; merge stays merged
    if action in ("accept", "merge"):
        try:
            after["promotion"] = promote_candidate(
                session, candidate, into=merge_into, curator=username, decided_at=utcnow()
            )
        except PromotionError as exc:
            raise DecisionError(str(exc)) from exc
    entry = _audit(session, username, action, candidate_id, before, after, reason, batch)
    entry.decision_id = decision_id
    session.flush()
    return Outcome(entry=entry)


def _labels_edited(edits: dict[str, Any]) -> bool:
    return "technologies" in edits or "areas" in edits


def _vote(session: Session, candidate_id: int, username: str, action: str) -> str | None:
    """Record an overlap-sample vote. None: this is the deciding (second, agreeing) vote;
    "first": the first vote; "differ": the second vote disagrees (left to an admin)."""
    votes = list(session.scalars(select(ReviewVote).where(ReviewVote.candidate_id == candidate_id)))
    if any(v.username == username for v in votes):
        raise DecisionError(f"{username} has voted on candidate {candidate_id} already")
    if len(votes) >= 2:
        return None  # a disagreement decided by a third person (an admin): a normal decision
    session.add(ReviewVote(candidate_id=candidate_id, username=username, verdict=action))
    session.flush()
    if not votes:
        return "first"
    return None if votes[0].verdict == action else "differ"


def _audit(
    session: Session,
    username: str,
    action: str,
    candidate_id: int | None,
    before: dict[str, Any],
    after: dict[str, Any],
    reason: str,
    batch: str | None,
) -> AuditEntry:
    entry = AuditEntry(
        username=username,
        action=action,
        candidate_id=candidate_id,
        before=before,
        after=after,
        reason=reason[:2000],
        batch=batch,
        at=utcnow(),
    )
    session.add(entry)
    session.flush()
    return entry


def undo(session: Session, entry_id: int, username: str) -> list[AuditEntry]:
    """Undo one audit entry, or the whole bulk action it belongs to; returns the new entries."""
    entry = session.get(AuditEntry, entry_id)
    if entry is None:
        raise DecisionError(f"no audit entry {entry_id}")
    if entry.action == "undo":
        raise DecisionError(f"entry {entry_id} is an undo itself: decide the candidate again")
    targets = [entry]
    if entry.batch:  # the whole bulk action (what of it is not undone yet)
        undone = select(AuditEntry.undoes).where(AuditEntry.undoes.is_not(None))
        targets = list(
            session.scalars(
                select(AuditEntry)
                .where(
                    AuditEntry.batch == entry.batch,
                    AuditEntry.action != "undo",
                    AuditEntry.id.not_in(undone),
                )
                .order_by(AuditEntry.id.desc())
            )
        )
        if not targets:
            raise DecisionError(f"the bulk action of entry {entry_id} is undone already")
    batch = uuid.uuid4().hex if len(targets) > 1 else None
    return [_undo_one(session, target, username, batch) for target in targets]


def _undone(session: Session, entry_id: int) -> bool:
    stmt = select(func.count()).select_from(AuditEntry).where(AuditEntry.undoes == entry_id)
    return bool(session.scalar(stmt))


def _latest_open_entry(session: Session, candidate_id: int) -> int | None:
    """The most recent entry on a candidate that has not been undone."""
    undone = select(AuditEntry.undoes).where(AuditEntry.undoes.is_not(None))
    stmt = (
        select(AuditEntry.id)
        .where(
            AuditEntry.candidate_id == candidate_id,
            AuditEntry.action != "undo",
            AuditEntry.id.not_in(undone),
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    found = session.scalar(stmt)
    return int(found) if found is not None else None


def _undo_one(session: Session, entry: AuditEntry, username: str, batch: str | None) -> AuditEntry:
    if _undone(session, entry.id):
        raise DecisionError(f"entry {entry.id} is undone already")
    if entry.candidate_id is None:
        raise DecisionError(f"entry {entry.id} has no candidate any more")
    latest = _latest_open_entry(session, entry.candidate_id)
    if latest != entry.id:
        raise DecisionError(
            f"candidate {entry.candidate_id} has a later action (entry {latest}): undo it first"
        )
    candidate = session.get(Candidate, entry.candidate_id, with_for_update=True)
    if candidate is None:
        raise DecisionError(f"candidate {entry.candidate_id} is gone")
    current = snapshot(candidate, session.get(QueueEntry, candidate.id))
    promotion = (entry.after or {}).get("promotion")
    if promotion:
        try:
            revert_promotion(session, promotion)
        except PromotionError as exc:
            raise DecisionError(str(exc)) from exc
    if entry.decision_id is not None:
        session.execute(delete(Decision).where(Decision.id == entry.decision_id))
    if entry.action != "snooze":  # this curator's overlap vote goes with the decision
        session.execute(
            delete(ReviewVote).where(
                ReviewVote.candidate_id == candidate.id, ReviewVote.username == entry.username
            )
        )
    before = dict(entry.before or {})
    for key in EDITABLE:
        if key in before:
            setattr(candidate, key, before[key])
    candidate.status = before.get("status", "pending")
    candidate.updated_at = utcnow()
    snoozed = before.get("snoozed_until")
    set_queue_status(
        session,
        candidate.id,
        candidate.status,
        datetime.fromisoformat(snoozed) if snoozed else None,
    )
    new = _audit(session, username, "undo", candidate.id, current, before, "", batch)
    new.undoes = entry.id
    session.flush()
    return new


def last_undoable(session: Session, username: str) -> AuditEntry | None:
    """This curator's most recent action that can still be undone (for the ``u`` key)."""
    undone = select(AuditEntry.undoes).where(AuditEntry.undoes.is_not(None))
    stmt = (
        select(AuditEntry)
        .where(
            AuditEntry.username == username,
            AuditEntry.action != "undo",
            AuditEntry.id.not_in(undone),
        )
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    return session.scalars(stmt).first()


def bulk(
    session: Session,
    filters: QueueFilter,
    action: str,
    username: str,
    *,
    reason: str = "",
    snooze_until: datetime | None = None,
    dry_run: bool = True,
    preview: int = 20,
) -> BulkResult:
    """Decide a whole filtered query (reject or snooze) as one undoable batch; a dry run only
    counts and previews."""
    if action not in ("reject", "snooze"):
        raise DecisionError(f"bulk {action!r}: bulk actions are reject and snooze")
    if filters.status not in OPEN_STATUSES:
        raise DecisionError("bulk actions work on pending or snoozed candidates")
    ids = matching_ids(session, filters, limit=BULK_LIMIT + 1)
    if len(ids) > BULK_LIMIT:
        raise DecisionError(f"the query holds more than {BULK_LIMIT} candidates: narrow it")
    shown = list(
        session.scalars(
            select(Candidate).where(Candidate.id.in_(ids[:preview])).order_by(Candidate.id)
        )
    )
    if dry_run:
        return BulkResult(count=len(ids), preview=shown)
    batch = uuid.uuid4().hex
    for cid in ids:
        decide(
            session,
            cid,
            action,
            username,
            reason=reason,
            snooze_until=snooze_until,
            batch=batch,
            as_vote=False,
        )
    return BulkResult(count=len(ids), preview=shown, batch=batch)


def audit_log(
    session: Session,
    *,
    candidate_id: int | None = None,
    username: str | None = None,
    before_id: int | None = None,
    limit: int = 100,
) -> list[AuditEntry]:
    """Newest first; ``before_id`` pages back."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(max(1, min(limit, 500)))
    if candidate_id is not None:
        stmt = stmt.where(AuditEntry.candidate_id == candidate_id)
    if username:
        stmt = stmt.where(AuditEntry.username == username)
    if before_id is not None:
        stmt = stmt.where(AuditEntry.id < before_id)
    return list(session.scalars(stmt))


def undone_ids(session: Session, entry_ids: Sequence[int]) -> set[int]:
    """Which of these entries have been undone."""
    if not entry_ids:
        return set()
    stmt = select(AuditEntry.undoes).where(AuditEntry.undoes.in_(list(entry_ids)))
    return {int(i) for i in session.scalars(stmt) if i is not None}


def votes(session: Session) -> list[ReviewVote]:
    return list(
        session.scalars(select(ReviewVote).order_by(ReviewVote.candidate_id, ReviewVote.id))
    )


def disagreements(session: Session, limit: int = 200) -> list[tuple[Candidate, list[ReviewVote]]]:
    """Pending overlap candidates whose two votes differ (an admin decides them)."""
    rows = votes(session)
    by: dict[int, list[ReviewVote]] = {}
    for v in rows:
        by.setdefault(v.candidate_id, []).append(v)
    out = []
    for cid, vs in by.items():
        if len(vs) >= 2 and len({v.verdict for v in vs}) > 1:
            candidate = session.get(Candidate, cid)
            if candidate is not None and candidate.status in OPEN_STATUSES:
                out.append((candidate, vs))
        if len(out) >= limit:
            break
    return out
