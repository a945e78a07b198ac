"""What the pages and the JSON API share: a candidate's full picture and the decision call."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from review.web import LabelCheck, safe_url
from storage.candidates import evidence_items
from storage.maindb import KINDS, Kind, get_entry
from storage.models import AuditEntry, Candidate, ItemScore, QueueEntry, utcnow
from storage.promotion import promotions_of
from storage.review_decisions import DecisionError, Outcome, audit_log, decide

#: edited label lists and the taxonomy task they belong to
LABEL_TASKS = {"technologies": "technology", "areas": "area"}
#: evidence fields worth showing, per spider (all text, always escaped)
EVIDENCE_FIELDS = {
    "jobs": ("employer", "location", "posted_on", "description"),
    "opendata": ("publisher", "portal", "kind", "description"),
    "website": ("name", "description", "city", "country", "liveliness", "last_updated"),
}


@dataclass(slots=True, kw_only=True)
class Evidence:
    id: int
    spider: str
    source: str
    title: str
    url: str | None
    shown_url: str
    first_seen: str
    last_seen: str
    language: str | None
    fields: dict[str, str] = field(default_factory=dict)
    relevance: float | None = None


@dataclass(slots=True, kw_only=True)
class CandidateView:
    candidate: Candidate
    queue: QueueEntry | None
    website: str | None
    evidence: list[Evidence]
    explanation_for: list[str]
    explanation_against: list[str]
    #: the relevance model's two sides: (side, its probability, the terms that drove it)
    sides: list[tuple[str, float | None, list[str]]]
    similar: list[Candidate]
    audit: list[AuditEntry]
    promotions: list[dict[str, Any]]
    matches: list[dict[str, Any]]


def _field_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def _evidence(session: Session, candidate: Candidate) -> list[Evidence]:
    items = evidence_items(session, candidate.id)
    scores: dict[int, float] = {}
    if candidate.model_version and items:
        scores = {
            int(i): float(r)
            for i, r in session.execute(
                select(ItemScore.item_id, ItemScore.relevance).where(
                    ItemScore.item_id.in_([i.id for i in items]),
                    ItemScore.model_version == candidate.model_version,
                )
            )
        }
    out = []
    for item in items:
        fields = item.fields if isinstance(item.fields, dict) else {}
        shown = {
            key: _field_text(fields[key])[:600]
            for key in EVIDENCE_FIELDS.get(item.spider, ())
            if fields.get(key) not in (None, "", [], {})
        }
        out.append(
            Evidence(
                id=item.id,
                spider=item.spider,
                source=item.source,
                title=item.title or fields.get("name") or item.url,
                url=safe_url(item.url),
                shown_url=item.url,
                first_seen=item.first_seen.date().isoformat(),
                last_seen=item.last_seen.date().isoformat(),
                language=item.language,
                fields=shown,
                relevance=scores.get(item.id),
            )
        )
    return out


def _similar(session: Session, candidate: Candidate) -> list[Candidate]:
    """Other candidates with the same name (case aside) or the same website."""
    same = [func.lower(Candidate.name) == candidate.name.lower()]
    if candidate.website:
        same.append(Candidate.website == candidate.website)
    stmt = select(Candidate).where(Candidate.id != candidate.id, or_(*same)).limit(10)
    return list(session.scalars(stmt))


def _terms(explanation: dict[str, Any], key: str) -> list[str]:
    return [_field_text(t) for t in (explanation.get(key) or [])][:20]


def _probability(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def candidate_view(session: Session, candidate_id: int) -> CandidateView | None:
    candidate = session.get(Candidate, candidate_id)
    if candidate is None:
        return None
    explanation = candidate.explanation if isinstance(candidate.explanation, dict) else {}
    return CandidateView(
        candidate=candidate,
        queue=session.get(QueueEntry, candidate_id),
        website=safe_url(candidate.website),
        evidence=_evidence(session, candidate),
        explanation_for=_terms(explanation, "relevance"),
        explanation_against=_terms(explanation, "relevance_against"),
        sides=[
            (label, _probability(explanation.get(key)), _terms(explanation, terms))
            for label, key, terms in (
                ("social purpose", "social_purpose", "social"),
                ("digital means", "digital_means", "digital"),
            )
        ],
        similar=_similar(session, candidate),
        audit=audit_log(session, candidate_id=candidate_id, limit=50),
        promotions=[
            {
                "kind": p.kind,
                "entry_id": p.entry_id,
                "action": p.action,
                "curator": p.curator,
                "at": p.at.isoformat(),
                "undone": p.reverted_at is not None,
            }
            for p in promotions_of(session, candidate_id)
        ],
        matches=_matches(session, candidate),
    )


def _matches(session: Session, candidate: Candidate) -> list[dict[str, Any]]:
    """The candidate's best main-database entry (by the matcher, ``storage.maindb``) with its
    per-feature reasons, above the matcher's confidence or not (``above_threshold``): a
    curator merging into it or not is what tunes that confidence; empty when nothing came
    close."""
    best = candidate.match_best_id if candidate.match_best_id is not None else candidate.match_id
    if best is None or candidate.kind not in KINDS:
        return []
    kind: Kind = "project" if candidate.kind == "project" else "organisation"
    entry = get_entry(session, kind, best)
    if entry is None:
        return []
    name = entry.get("organisation_name") or entry.get("project_name") or ""
    return [
        {
            "id": best,
            "kind": kind,
            "above_threshold": candidate.match_id == best,
            "name": str(name),
            "website": safe_url(str(entry.get("website") or "")),
            "country": str(entry.get("country") or ""),
            "region": str(entry.get("region") or ""),
            "score": float(candidate.match_score or 0.0),
            "reasons": [str(r) for r in (candidate.match_reasons or [])],
        }
    ]


def run_decision(
    session: Session,
    candidate_id: int,
    action: str,
    username: str,
    *,
    reason: str = "",
    edits: dict[str, Any] | None = None,
    merge_into: int | None = None,
    snooze_days: float | None = None,
    as_vote: bool = True,
    label_check: LabelCheck | None = None,
) -> Outcome:
    """Decide, with the snooze length in days (default 7); labels typed by the curator must be
    known to ``label_check`` (the taxonomy), or ``dsi train --decisions`` could not use them."""
    if label_check is not None and edits:
        for key, task in LABEL_TASKS.items():
            labels = edits.get(key) or []
            unknown = [str(x) for x in labels if not label_check(task, str(x))]
            if unknown:
                raise DecisionError(f"unknown {task} label(s): {', '.join(unknown)}")
    until = None
    if action == "snooze":
        days = 7.0 if snooze_days is None else snooze_days
        if not 0 < days <= 365:
            raise DecisionError("snooze for 1 to 365 days")
        until = utcnow() + timedelta(days=days)
    return decide(
        session,
        candidate_id,
        action,
        username,
        reason=reason,
        edits=edits,
        merge_into=merge_into,
        snooze_until=until,
        as_vote=as_vote,
    )
