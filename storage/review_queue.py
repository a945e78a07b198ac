"""Repository for the review queue: one flat, indexed row per candidate (``review_queue``).

Priorities (a curator switches between them):

- ``relevance``: most likely DSI first;
- ``uncertainty``: what a decision teaches the model most first (active learning);
- ``expected_value``: relevance × uncertainty × novelty, where novelty is 1 minus the
  candidate's best main-database match score (``candidates.match_score``; 1 when nothing
  matches: a new entry is worth more than a duplicate); each row says why it is queued there.

Pages use keyset pagination on ``(priority, candidate_id)`` over the ``(status, priority,
candidate_id)`` indexes; filters read flat columns (multi-valued facets are ``|a|b|`` strings
matched as whole tokens), never JSON, and a page never counts the whole query.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, get_args

from sqlalchemy import ColumnElement, exists, func, or_, select, tuple_, update
from sqlalchemy.orm import Session

from storage.models import (
    Candidate,
    CandidateEvidence,
    Item,
    QueueEntry,
    ReviewVote,
    utcnow,
)

Priority = Literal["expected_value", "uncertainty", "relevance", "last_seen"]
PRIORITIES: tuple[str, ...] = get_args(Priority)
STATUSES = ("pending", "accepted", "rejected", "merged", "snoozed")
#: evidence text kept for search, per candidate (the first items' titles and texts)
SEARCH_CHARS = 4000


class QueueError(ValueError):
    """A queue request that cannot be answered as asked (bad cursor, unknown order...)."""


@dataclass(slots=True, kw_only=True)
class QueueFilter:
    """What a curator narrows the queue to; every field is optional."""

    status: str = "pending"
    kind: str | None = None
    source: str | None = None
    spider: str | None = None
    country: str | None = None
    city: str | None = None
    technology: str | None = None
    area: str | None = None
    language: str | None = None
    min_score: float | None = None
    max_score: float | None = None
    min_liveliness: float | None = None
    seen_from: datetime | None = None
    seen_to: datetime | None = None
    q: str | None = None
    #: hide overlap-sample candidates this curator has already voted on
    viewer: str | None = None
    only_overlap_disagreements: bool = False

    def as_params(self) -> dict[str, str]:
        """The non-empty fields as strings (for links and forms)."""
        out: dict[str, str] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if name in ("viewer", "only_overlap_disagreements") or value in (None, ""):
                continue
            out[name] = value.date().isoformat() if isinstance(value, datetime) else str(value)
        return out


@dataclass(slots=True, kw_only=True)
class QueuePage:
    rows: list[QueueEntry]
    candidates: dict[int, Candidate]
    next_cursor: str | None
    order: str
    filters: QueueFilter = field(default_factory=QueueFilter)


def tokens(values: Iterable[str | None]) -> str:
    """``|a|b|``: sorted unique non-empty values, lower-cased; ``|`` inside values dropped."""
    clean = sorted({v.strip().lower().replace("|", " ") for v in values if v and v.strip()})
    return "|" + "|".join(clean) + ("|" if clean else "")


def _like_token(column: Any, value: str) -> ColumnElement[bool]:
    token = value.strip().lower().replace("|", " ")
    escaped = token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    found: ColumnElement[bool] = column.like(f"%|{escaped}|%", escape="\\")
    return found


def in_overlap(candidate_id: int, share: float) -> bool:
    """Whether a candidate belongs to the overlap sample (a stable share of candidates)."""
    if share <= 0:
        return False
    return (candidate_id * 2654435761) % 10_000 < round(share * 10_000)


def expected_value_reason(relevance: float, uncertainty: float, novelty: float, match: str) -> str:
    return (
        f"relevance {relevance:.2f} × uncertainty {uncertainty:.2f} × novelty {novelty:.2f} "
        f"({match}) = {relevance * uncertainty * novelty:.3f}"
    )


def refresh_queue(
    session: Session,
    candidate_ids: Sequence[int] | None = None,
    *,
    overlap_share: float = 0.0,
) -> int:
    """(Re)build the queue rows of these candidates (all when None) from the candidates (their
    scores and main-database match) and their evidence items; keeps the overlap flag and snooze
    date of existing rows. Returns rows written."""
    stmt = select(Candidate).order_by(Candidate.id)
    if candidate_ids is not None:
        ids = sorted(set(candidate_ids))
        if not ids:
            return 0
        stmt = stmt.where(Candidate.id.in_(ids))
    written = 0
    for chunk in _chunks(list(session.scalars(stmt)), 500):
        _refresh_chunk(session, chunk, overlap_share)
        written += len(chunk)
    session.flush()
    return written


def _chunks(rows: list[Candidate], size: int) -> Iterable[list[Candidate]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _refresh_chunk(
    session: Session,
    candidates: list[Candidate],
    overlap_share: float,
) -> None:
    ids = [c.id for c in candidates]
    items: dict[int, list[Item]] = {}
    for cid, item in session.execute(
        select(CandidateEvidence.candidate_id, Item)
        .join(Item, Item.id == CandidateEvidence.item_id)
        .where(CandidateEvidence.candidate_id.in_(ids))
        .order_by(CandidateEvidence.candidate_id, Item.id)
    ):
        items.setdefault(int(cid), []).append(item)
    existing = {
        q.candidate_id: q
        for q in session.scalars(select(QueueEntry).where(QueueEntry.candidate_id.in_(ids)))
    }
    for c in candidates:
        evidence = items.get(c.id, [])
        row = existing.get(c.id)
        if row is None:
            row = QueueEntry(candidate_id=c.id, overlap=in_overlap(c.id, overlap_share))
            session.add(row)
        relevance = float(c.relevance or 0.0)
        uncertainty = float(c.uncertainty or 0.0)
        score = float(c.match_score or 0.0)
        novelty = max(0.0, 1.0 - score)
        match = f"main-database match {c.match_id} at {score:.2f}" if c.match_id else "no match"
        if not c.match_id and score:
            match = f"best main-database match below confidence, {score:.2f}"
        liveliness = [
            float(i.fields["liveliness"])
            for i in evidence
            if isinstance(i.fields, dict) and isinstance(i.fields.get("liveliness"), int | float)
        ]
        row.status = c.status
        row.kind = c.kind
        row.relevance = relevance
        row.uncertainty = uncertainty
        row.novelty = novelty
        row.expected_value = relevance * uncertainty * novelty
        row.reason = expected_value_reason(relevance, uncertainty, novelty, match)
        row.country = c.country
        row.city = (c.city or "")[:200] or None
        row.languages = tokens(i.language for i in evidence)
        row.sources = tokens(i.source for i in evidence)
        row.spiders = tokens(i.spider for i in evidence)
        row.technologies = tokens(c.technologies or {})
        row.areas = tokens(c.areas or {})
        row.liveliness = max(liveliness) if liveliness else None
        row.first_seen = min((i.first_seen for i in evidence), default=c.created_at)
        row.last_seen = max((i.last_seen for i in evidence), default=c.created_at)
        row.search_text = _search_text(c, evidence)


def _search_text(candidate: Candidate, evidence: Sequence[Item]) -> str:
    parts = [candidate.name, candidate.website or "", candidate.city or ""]
    for item in evidence:
        fields = item.fields if isinstance(item.fields, dict) else {}
        parts.append(item.title or "")
        for key in ("description", "main_text", "employer", "publisher", "name"):
            value = fields.get(key)
            if isinstance(value, str):
                parts.append(value[:1000])
    return " ".join(" ".join(parts).split()).lower()[:SEARCH_CHARS]


def set_queue_status(
    session: Session, candidate_id: int, status: str, snoozed_until: datetime | None = None
) -> None:
    """Mirror a candidate's status into its queue row (creating the row if missing)."""
    if status not in STATUSES:
        raise QueueError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
    row = session.get(QueueEntry, candidate_id)
    if row is None:
        refresh_queue(session, [candidate_id])
        row = session.get(QueueEntry, candidate_id)
    if row is not None:
        row.status = status
        row.snoozed_until = snoozed_until if status == "snoozed" else None


def wake_snoozed(session: Session, now: datetime | None = None) -> int:
    """Snoozed candidates whose time has come are pending again; returns how many."""
    when = now or utcnow()
    ids = list(
        session.scalars(
            select(QueueEntry.candidate_id).where(
                QueueEntry.status == "snoozed", QueueEntry.snoozed_until <= when
            )
        )
    )
    if not ids:
        return 0
    session.execute(
        update(QueueEntry)
        .where(QueueEntry.candidate_id.in_(ids))
        .values(status="pending", snoozed_until=None)
    )
    session.execute(
        update(Candidate).where(Candidate.id.in_(ids)).values(status="pending", updated_at=when)
    )
    return len(ids)


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _unindexed(column: Any, dialect: str) -> Any:
    """On SQLite, ``coalesce(column, column)``: a filter the planner cannot answer from an index,
    so that it walks the priority's index in order and stops after a page, instead of taking a
    filter's index (a score range, a country) and sorting thousands of rows for every page.
    PostgreSQL's planner weighs both with statistics and gets the column as it is."""
    if dialect != "sqlite":
        return column
    return func.coalesce(column, column)


def _conditions(f: QueueFilter, dialect: str = "") -> list[ColumnElement[bool]]:
    q = QueueEntry
    cond: list[ColumnElement[bool]] = []
    if f.status:
        if f.status not in STATUSES:
            raise QueueError(f"unknown status {f.status!r}: use one of {', '.join(STATUSES)}")
        cond.append(q.status == f.status)
    if f.kind:
        cond.append(q.kind == f.kind)
    if f.country:
        cond.append(_unindexed(q.country, dialect) == f.country.strip().upper()[:2])
    if f.city:
        cond.append(func.lower(q.city) == f.city.strip().lower())
    for column, value in (
        (q.sources, f.source),
        (q.spiders, f.spider),
        (q.technologies, f.technology),
        (q.areas, f.area),
        (q.languages, f.language),
    ):
        if value:
            cond.append(_like_token(column, value))
    if f.min_score is not None:
        cond.append(_unindexed(q.relevance, dialect) >= f.min_score)
    if f.max_score is not None:
        cond.append(_unindexed(q.relevance, dialect) <= f.max_score)
    if f.min_liveliness is not None:
        cond.append(q.liveliness >= f.min_liveliness)
    if f.seen_from is not None:
        cond.append(_unindexed(q.last_seen, dialect) >= f.seen_from)
    if f.seen_to is not None:
        cond.append(q.first_seen <= f.seen_to)
    if f.q and f.q.strip():
        for word in f.q.lower().split()[:8]:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            cond.append(q.search_text.like(f"%{escaped}%", escape="\\"))
    if f.viewer:
        voted = exists().where(
            ReviewVote.candidate_id == q.candidate_id, ReviewVote.username == f.viewer
        )
        cond.append(or_(q.overlap.is_(False), ~voted))
    return cond


def _order_column(order: str) -> Any:
    if order not in PRIORITIES:
        raise QueueError(f"unknown order {order!r}: use one of {', '.join(PRIORITIES)}")
    return getattr(QueueEntry, order)


def encode_cursor(row: QueueEntry, order: str) -> str:
    value = getattr(row, order)
    if isinstance(value, datetime):
        return f"t{value.timestamp()!r}:{row.candidate_id}"
    return f"f{float(value)!r}:{row.candidate_id}"


def _decode_cursor(cursor: str) -> tuple[Any, int]:
    try:
        head, _, cid = cursor.partition(":")
        ident = int(cid)
        if head[0] == "t":
            from datetime import UTC

            return datetime.fromtimestamp(float(head[1:]), UTC), ident
        if head[0] == "f":
            return float(head[1:]), ident
    except (ValueError, IndexError, OverflowError):
        pass
    raise QueueError(f"bad cursor {cursor[:40]!r}: use the `next` link of the previous page")


def queue_page(
    session: Session,
    filters: QueueFilter,
    *,
    order: str = "expected_value",
    after: str | None = None,
    limit: int = 50,
) -> QueuePage:
    """One page of the queue, highest priority first (ties: newest candidate first); ``after``
    is the previous page's ``next_cursor``."""
    column = _order_column(order)
    limit = max(1, min(limit, 500))
    stmt = select(QueueEntry).where(*_conditions(filters, _dialect(session)))
    if after:
        value, ident = _decode_cursor(after)
        stmt = stmt.where(tuple_(column, QueueEntry.candidate_id) < tuple_(value, ident))
    stmt = stmt.order_by(column.desc(), QueueEntry.candidate_id.desc())
    rows = list(session.scalars(stmt.limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    candidates = {
        c.id: c
        for c in session.scalars(
            select(Candidate).where(Candidate.id.in_([r.candidate_id for r in rows]))
        )
    }
    return QueuePage(
        rows=rows,
        candidates=candidates,
        next_cursor=encode_cursor(rows[-1], order) if more and rows else None,
        order=order,
        filters=filters,
    )


def matching_ids(session: Session, filters: QueueFilter, limit: int | None = None) -> list[int]:
    """Candidate ids of the whole filtered query (for bulk actions), in id order."""
    stmt = (
        select(QueueEntry.candidate_id)
        .where(*_conditions(filters))
        .order_by(QueueEntry.candidate_id)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return [int(i) for i in session.scalars(stmt)]


def count_matching(session: Session, filters: QueueFilter) -> int:
    """How many candidates a filtered query holds (for bulk dry runs, not for every page)."""
    stmt = select(func.count()).select_from(QueueEntry).where(*_conditions(filters))
    return int(session.scalar(stmt) or 0)


def neighbours(
    session: Session, candidate_id: int, filters: QueueFilter, order: str
) -> tuple[int | None, int | None]:
    """The candidates (previous, next) around ``candidate_id`` in the queue order, for "decide
    and move on" (the candidate itself need not match the filters any more)."""
    column = _order_column(order)
    row = session.get(QueueEntry, candidate_id)
    if row is None:
        return None, None
    after = queue_page(session, filters, order=order, after=encode_cursor(row, order), limit=1)
    earlier = tuple_(column, QueueEntry.candidate_id) > tuple_(getattr(row, order), candidate_id)
    before = session.scalars(
        select(QueueEntry.candidate_id)
        .where(*_conditions(filters, _dialect(session)), earlier)
        .order_by(column.asc(), QueueEntry.candidate_id.asc())
        .limit(1)
    ).first()
    return (
        int(before) if before is not None else None,
        after.rows[0].candidate_id if after.rows else None,
    )


def unqueued_ids(session: Session) -> list[int]:
    """Candidates without a queue row yet."""
    stmt = select(Candidate.id).where(~exists().where(QueueEntry.candidate_id == Candidate.id))
    return [int(i) for i in session.scalars(stmt)]


def mark_overlap(session: Session, share: float) -> None:
    """Put the stable ``share`` of pending candidates without votes in the overlap sample (and
    take the others out), so that changing the share applies to what is still undecided."""
    threshold = round(max(0.0, min(share, 1.0)) * 10_000)
    voted = exists().where(ReviewVote.candidate_id == QueueEntry.candidate_id)
    session.execute(
        update(QueueEntry)
        .where(QueueEntry.status == "pending", ~voted)
        .values(overlap=(QueueEntry.candidate_id * 2654435761) % 10_000 < threshold)
    )
