"""The JSON API (``/api/...``, described at ``/openapi.json``): the pages' operations for
programs. State-changing calls need the ``X-CSRF-Token`` header (from ``GET /api/me``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from review.agreement import pair_agreement
from review.service import candidate_view, run_decision
from review.web import Viewer, admin, config, db, parse_filters, viewer
from storage.models import AuditEntry, Candidate, QueueEntry
from storage.review_decisions import audit_log as read_audit
from storage.review_decisions import bulk, disagreements, last_undoable, undo, votes
from storage.review_queue import queue_page, wake_snoozed

router = APIRouter(prefix="/api", tags=["review"])


class Me(BaseModel):
    username: str
    role: str
    csrf_token: str = Field(description="send as the X-CSRF-Token header on POST calls")


class QueueRow(BaseModel):
    id: int
    name: str
    kind: str
    website: str | None
    country: str | None
    city: str | None
    status: str
    relevance: float
    uncertainty: float
    novelty: float
    expected_value: float
    reason: str
    sources: list[str]
    last_seen: datetime | None


class QueueAnswer(BaseModel):
    order: str
    rows: list[QueueRow]
    next: str | None = Field(description="pass as `after` for the next page")


class DecisionIn(BaseModel):
    action: Literal["accept", "reject", "merge", "snooze"]
    reason: str = ""
    edits: dict[str, Any] = Field(
        default_factory=dict,
        description="fields to change before accepting: name, website, country, city, "
        "technologies (list), areas (list)",
    )
    merge_into: int | None = Field(None, description="main-database entry id, for merge")
    snooze_days: float | None = Field(None, description="for snooze (default 7)")


class AuditOut(BaseModel):
    id: int
    at: datetime
    username: str
    action: str
    candidate_id: int | None
    batch: str | None
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]
    undoes: int | None


class DecisionOut(BaseModel):
    entry: AuditOut
    vote_only: bool
    disagreement: bool


class UndoIn(BaseModel):
    entry_id: int | None = Field(None, description="an audit entry; default: your last action")


class BulkIn(BaseModel):
    action: Literal["reject", "snooze"]
    filters: dict[str, str] = Field(default_factory=dict, description="as the queue's query")
    reason: str = ""
    snooze_days: float | None = None
    dry_run: bool = True


class BulkOut(BaseModel):
    count: int
    preview: list[dict[str, Any]]
    batch: str | None
    dry_run: bool


class PairOut(BaseModel):
    first: str
    second: str
    items: int
    agreed: int
    kappa: float | None


def _tokens(value: str) -> list[str]:
    return [t for t in value.split("|") if t]


def _row(q: QueueEntry, c: Candidate) -> QueueRow:
    return QueueRow(
        id=c.id,
        name=c.name,
        kind=c.kind,
        website=c.website,
        country=c.country,
        city=c.city,
        status=q.status,
        relevance=q.relevance,
        uncertainty=q.uncertainty,
        novelty=q.novelty,
        expected_value=q.expected_value,
        reason=q.reason,
        sources=_tokens(q.sources),
        last_seen=q.last_seen,
    )


def audit_out(e: AuditEntry) -> AuditOut:
    return AuditOut(
        id=e.id,
        at=e.at,
        username=e.username,
        action=e.action,
        candidate_id=e.candidate_id,
        batch=e.batch,
        reason=e.reason,
        before=e.before or {},
        after=e.after or {},
        undoes=e.undoes,
    )


@router.get("/me", response_model=Me)
def me(user: Viewer = Depends(viewer)) -> Me:
    """Who is signed in, and the CSRF token for state-changing calls."""
    return Me(username=user.username, role=user.role, csrf_token=user.csrf)


@router.get("/queue", response_model=QueueAnswer)
def api_queue(
    request: Request,
    order: str = "expected_value",
    after: str | None = None,
    limit: int = 50,
    user: Viewer = Depends(viewer),
    session: Session = Depends(db),
) -> QueueAnswer:
    """Pending candidates by priority (expected_value, uncertainty, relevance, last_seen);
    filters as query parameters: status, kind, source, spider, country, city, technology,
    area, language, min_score, max_score, min_liveliness, seen_from, seen_to, q."""
    filters = parse_filters(request.query_params, user.username)
    wake_snoozed(session)
    page = queue_page(session, filters, order=order, after=after, limit=limit)
    rows = [_row(q, page.candidates[q.candidate_id]) for q in page.rows]
    return QueueAnswer(order=order, rows=rows, next=page.next_cursor)


@router.get("/candidates/{candidate_id}")
def api_candidate(
    candidate_id: int, _user: Viewer = Depends(viewer), session: Session = Depends(db)
) -> dict[str, Any]:
    """A candidate with its scores, explanation, evidence, matches, similar candidates and
    audit trail."""
    view = candidate_view(session, candidate_id)
    if view is None:
        raise HTTPException(status_code=404, detail=f"no candidate {candidate_id}")
    c = view.candidate
    return {
        "id": c.id,
        "kind": c.kind,
        "name": c.name,
        "website": c.website,
        "country": c.country,
        "city": c.city,
        "status": c.status,
        "relevance": c.relevance,
        "uncertainty": c.uncertainty,
        "model_version": c.model_version,
        "technologies": c.technologies,
        "areas": c.areas,
        "explanation": {
            "for": view.explanation_for,
            "against": view.explanation_against,
            "sides": [{"side": s, "probability": p, "terms": t} for s, p, t in view.sides],
        },
        "why_queued": view.queue.reason if view.queue else "",
        "evidence": [
            {
                "id": e.id,
                "spider": e.spider,
                "source": e.source,
                "title": e.title,
                "url": e.shown_url,
                "first_seen": e.first_seen,
                "last_seen": e.last_seen,
                "fields": e.fields,
                "relevance": e.relevance,
            }
            for e in view.evidence
        ],
        "matches": view.matches,
        "similar": [{"id": s.id, "name": s.name, "status": s.status} for s in view.similar],
        "promotions": view.promotions,
        "audit": [audit_out(e).model_dump(mode="json") for e in view.audit],
    }


@router.post("/candidates/{candidate_id}/decision", response_model=DecisionOut)
def api_decide(
    candidate_id: int,
    body: DecisionIn,
    request: Request,
    user: Viewer = Depends(viewer),
    session: Session = Depends(db),
) -> DecisionOut:
    """Accept (optionally with edits), merge into a main-database entry, reject with a
    reason, or snooze."""
    outcome = run_decision(
        session,
        candidate_id,
        body.action,
        user.username,
        reason=body.reason,
        edits=body.edits,
        merge_into=body.merge_into,
        snooze_days=body.snooze_days,
        label_check=config(request).label_check,
    )
    return DecisionOut(
        entry=audit_out(outcome.entry),
        vote_only=outcome.vote_only,
        disagreement=outcome.disagreement,
    )


@router.post("/undo", response_model=list[AuditOut])
def api_undo(
    body: UndoIn, user: Viewer = Depends(viewer), session: Session = Depends(db)
) -> list[AuditOut]:
    """Undo an audit entry (a bulk action as a whole), by default your last action."""
    entry_id = body.entry_id
    if entry_id is None:
        last = last_undoable(session, user.username)
        if last is None:
            raise HTTPException(status_code=409, detail="nothing of yours to undo")
        entry_id = last.id
    return [audit_out(e) for e in undo(session, entry_id, user.username)]


@router.post("/bulk", response_model=BulkOut)
def api_bulk(
    body: BulkIn, user: Viewer = Depends(viewer), session: Session = Depends(db)
) -> BulkOut:
    """Reject or snooze every candidate of a filtered query; ``dry_run`` (the default) only
    counts and previews."""
    from datetime import timedelta

    from storage.models import utcnow

    filters = parse_filters(body.filters)
    until = utcnow() + timedelta(days=body.snooze_days or 7) if body.action == "snooze" else None
    result = bulk(
        session,
        filters,
        body.action,
        user.username,
        reason=body.reason,
        snooze_until=until,
        dry_run=body.dry_run,
    )
    return BulkOut(
        count=result.count,
        preview=[{"id": c.id, "name": c.name} for c in result.preview],
        batch=result.batch,
        dry_run=body.dry_run,
    )


@router.get("/audit", response_model=list[AuditOut])
def api_audit(
    candidate_id: int | None = None,
    username: str | None = None,
    before: int | None = None,
    limit: int = 100,
    _user: Viewer = Depends(viewer),
    session: Session = Depends(db),
) -> list[AuditOut]:
    """The audit log, newest first (``before`` = an entry id, to page back)."""
    entries = read_audit(
        session, candidate_id=candidate_id, username=username, before_id=before, limit=limit
    )
    return [audit_out(e) for e in entries]


@router.get("/agreement", response_model=list[PairOut])
def api_agreement(_admin: Viewer = Depends(admin), session: Session = Depends(db)) -> list[PairOut]:
    """Cohen's kappa per pair of curators on the overlap sample (admins)."""
    pairs = pair_agreement((v.candidate_id, v.username, v.verdict) for v in votes(session))
    return [PairOut(**{k: getattr(p, k) for k in PairOut.model_fields}) for p in pairs]


@router.get("/disagreements")
def api_disagreements(
    _admin: Viewer = Depends(admin), session: Session = Depends(db)
) -> list[dict[str, Any]]:
    """Overlap-sample candidates whose two curators disagreed (admins decide them)."""
    return [
        {"id": c.id, "name": c.name, "votes": {v.username: v.verdict for v in vs}}
        for c, vs in disagreements(session)
    ]
