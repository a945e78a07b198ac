"""SQLAlchemy 2.0 typed models.

One ``Base`` whose metadata has a naming convention (so Alembic names constraints the same on
SQLite and PostgreSQL), UTC datetimes, and JSON columns that become JSONB on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


JSONType = JSON().with_variant(JSONB(), "postgresql")

IntPK = Annotated[
    int, mapped_column(Integer().with_variant(BigInteger(), "postgresql"), primary_key=True)
]
Timestamp = Annotated[datetime, mapped_column(UTCDateTime(), default=utcnow)]
Json = Annotated[Any, mapped_column(JSONType)]
Str200 = Annotated[str, mapped_column(String(200))]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class CrawlRun(Base):
    """One run of one source: when, how it ended, and Scrapy's stats."""

    __tablename__ = "crawl_runs"

    id: Mapped[IntPK]
    source: Mapped[Str200] = mapped_column(index=True)
    spider: Mapped[str] = mapped_column(String(40))
    started_at: Mapped[Timestamp]
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: running | finished | failed | incomplete | refused | empty | interrupted
    #: (:class:`crawler.outcome.Status`)
    status: Mapped[str] = mapped_column(String(20), default="running")
    finish_reason: Mapped[str | None] = mapped_column(String(100), nullable=True)
    stats: Mapped[Json] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    #: checks against the source's own history (:mod:`crawler.checks`), a list of dicts
    checks: Mapped[Any | None] = mapped_column(JSONType, nullable=True)
    #: ok | warn | fail: the worst check (None before the checks ran)
    health: Mapped[str | None] = mapped_column(String(10), nullable=True)


class SourceState(Base):
    """Per source: the scheduler's last cron fire handled and the run lock.

    The lock is a row update that succeeds for one holder only (``owner`` empty or expired), so
    it holds across processes and machines sharing the database; holders renew ``expires_at``.
    """

    __tablename__ = "source_state"

    source: Mapped[str] = mapped_column(String(200), primary_key=True)
    last_fire_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    lock_owner: Mapped[str | None] = mapped_column(String(200), nullable=True)
    lock_acquired_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    lock_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class FrontierRequest(Base):
    """One request of a source's durable crawl frontier (``dsi crawl NAME`` resumes from it).

    ``key`` is the request's fingerprint, suffixed when a request that bypasses the duplicate
    filter is queued again; a row whose fingerprint is present counts as seen. ``state`` is
    ``queued``, ``leased`` (taken by the running crawl, in flight) or ``done`` (its follow-up
    requests queued and its items stored; the request itself is then dropped).
    """

    __tablename__ = "frontier_requests"
    __table_args__ = (Index("ix_frontier_requests_source_state", "source", "state"),)

    source: Mapped[str] = mapped_column(String(200), primary_key=True)
    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(8))
    priority: Mapped[int] = mapped_column(Integer, default=0)
    #: queue order among requests of one priority
    seq: Mapped[int] = mapped_column(BigInteger)
    #: the request as Scrapy's ``Request.to_dict``, pickled (None once done)
    request: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    #: the run that queued it
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Item(Base):
    """A harvested item: one row per (source, canonical URL), updated on every re-crawl."""

    __tablename__ = "items"
    __table_args__ = (
        UniqueConstraint("source", "url_key"),
        Index("ix_items_spider_source", "spider", "source"),
        # a spider's items in the order they were first seen (regrouping job adverts)
        Index("ix_items_spider_first_seen", "spider", "first_seen", "id"),
    )

    id: Mapped[IntPK]
    source: Mapped[Str200]
    spider: Mapped[str] = mapped_column(String(40))
    url: Mapped[str] = mapped_column(Text)
    #: sha1 of the canonical URL (URLs are too long for a portable unique index).
    url_key: Mapped[str] = mapped_column(String(40))
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    language: Mapped[str | None] = mapped_column(String(8), nullable=True)
    content_hash: Mapped[str] = mapped_column(String(40), index=True)
    #: The item's normalised fields (see ``crawler.items``), as JSON.
    fields: Mapped[Json] = mapped_column(default=dict)
    raw: Mapped[Json] = mapped_column(default=dict)
    warnings: Mapped[Json] = mapped_column(default=list)
    fetched_at: Mapped[Timestamp]
    first_seen: Mapped[Timestamp]
    last_seen: Mapped[Timestamp]
    times_seen: Mapped[int] = mapped_column(Integer, default=1)
    last_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("crawl_runs.id", ondelete="SET NULL"), nullable=True
    )
    #: Items that are the same advert/dataset share a group (near-duplicate detection).
    dedupe_group: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)


class JobSignature(Base):
    """What grouping near-duplicate job adverts read from one advert (``storage.jobs``), kept so
    the next regrouping reads it instead of shingling and hashing the text again. It is valid
    while the item's ``content_hash`` is the one it was read from and the index's ``scheme``
    (how it shingles and hashes) is the one that wrote it."""

    __tablename__ = "job_signatures"

    item_id: Mapped[int] = mapped_column(
        Integer().with_variant(BigInteger(), "postgresql"),
        ForeignKey("items.id", ondelete="CASCADE"),
        primary_key=True,
    )
    content_hash: Mapped[str] = mapped_column(String(40))
    scheme: Mapped[str] = mapped_column(String(40))
    #: the advert's canonical URL, its employer key and content key
    canonical: Mapped[str] = mapped_column(Text)
    employer: Mapped[str] = mapped_column(Text)
    content: Mapped[str] = mapped_column(String(64))
    #: the text's MinHash values (uint32, little-endian); None without an employer or words
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class ItemScore(Base):
    """A classifier's verdict on one item, for one model version."""

    __tablename__ = "item_scores"
    __table_args__ = (UniqueConstraint("item_id", "model_version"),)

    id: Mapped[IntPK]
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    model_version: Mapped[str] = mapped_column(String(80))
    relevance: Mapped[float] = mapped_column(Float)
    #: label -> probability, for labels at or above their threshold
    technologies: Mapped[Json] = mapped_column(default=dict)
    areas: Mapped[Json] = mapped_column(default=dict)
    #: the words/phrases that drove the score, per task
    explanation: Mapped[Json] = mapped_column(default=dict)
    #: how much a curator's decision would teach the model (active learning)
    uncertainty: Mapped[float] = mapped_column(Float, default=0.0)
    scored_at: Mapped[Timestamp]


class Candidate(Base):
    """A candidate organisation or project for the main database, awaiting review."""

    __tablename__ = "candidates"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[IntPK]
    #: organisation | project
    kind: Mapped[str] = mapped_column(String(20))
    #: identity used to merge evidence (e.g. the website's registrable domain, or a name key)
    key: Mapped[str] = mapped_column(String(255))
    name: Mapped[str] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(Text, nullable=True)
    country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    city: Mapped[str | None] = mapped_column(Text, nullable=True)
    relevance: Mapped[float | None] = mapped_column(Float, nullable=True, index=True)
    technologies: Mapped[Json] = mapped_column(default=dict)
    areas: Mapped[Json] = mapped_column(default=dict)
    explanation: Mapped[Json] = mapped_column(default=dict)
    uncertainty: Mapped[float] = mapped_column(Float, default=0.0)
    model_version: Mapped[str | None] = mapped_column(String(80), nullable=True)
    #: pending | accepted | rejected | merged | snoozed
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    created_at: Mapped[Timestamp]
    updated_at: Mapped[Timestamp]
    #: the organisation's social pages, {"linkedin": url, "twitter": url, ...}
    social_links: Mapped[Json] = mapped_column(default=dict)
    #: best main-database entry (organisation_id or project_id by ``kind``), when above the
    #: matcher's confidence; ``match_best_id``, ``match_score`` and ``match_reasons`` are the
    #: best entry's id, score and reasons, kept below it too (curators' decisions on them
    #: tune the threshold, ``storage.match_tuning``)
    match_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    match_best_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    match_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    match_reasons: Mapped[Json] = mapped_column(default=list)


class CandidateKey(Base):
    """An identity key of a candidate (``domain:``, ``social:``, ``name:``): evidence carrying
    any of a candidate's keys joins that candidate."""

    __tablename__ = "candidate_keys"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[IntPK]
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(255))
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )


class CandidateEvidence(Base):
    """Which harvested items support a candidate."""

    __tablename__ = "candidate_evidence"
    __table_args__ = (UniqueConstraint("candidate_id", "item_id"),)

    id: Mapped[IntPK]
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40), default="mention")


class Decision(Base):
    """A curator's decision on a candidate (training signal for ``dsi train --decisions``)."""

    __tablename__ = "decisions"

    id: Mapped[IntPK]
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("candidates.id", ondelete="SET NULL"), nullable=True, index=True
    )
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("items.id", ondelete="SET NULL"), nullable=True, index=True
    )
    #: accept | reject | relabel
    decision: Mapped[str] = mapped_column(String(20))
    technologies: Mapped[Json] = mapped_column(default=list)
    areas: Mapped[Json] = mapped_column(default=list)
    text: Mapped[str] = mapped_column(Text, default="")
    curator: Mapped[str | None] = mapped_column(String(120), nullable=True)
    decided_at: Mapped[Timestamp]


class SiteLink(Base):
    """A link from one website to another, for the connectedness analysis."""

    __tablename__ = "site_links"
    __table_args__ = (UniqueConstraint("from_site", "to_site"),)

    id: Mapped[IntPK]
    from_site: Mapped[str] = mapped_column(String(255), index=True)
    to_site: Mapped[str] = mapped_column(String(255), index=True)
    source: Mapped[Str200]
    first_seen: Mapped[Timestamp]
    last_seen: Mapped[Timestamp]


class DeadLetter(Base):
    """An item the database refused (one bad value): kept with the reason instead of losing its
    batch; ``payload`` is the row as ASCII JSON text, so any character survives."""

    __tablename__ = "dead_letters"

    id: Mapped[IntPK]
    source: Mapped[Str200] = mapped_column(index=True)
    spider: Mapped[str] = mapped_column(String(40))
    url: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[Timestamp]


# --- curator review (``review/``) ------------------------------------------------------------
class ReviewUser(Base):
    """A person who may use the review app; ``role`` is curator or admin."""

    __tablename__ = "review_users"
    __table_args__ = (UniqueConstraint("username"),)

    id: Mapped[IntPK]
    username: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(Text)
    #: curator | admin
    role: Mapped[str] = mapped_column(String(20), default="curator")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[Timestamp]
    password_changed_at: Mapped[Timestamp]


class ReviewSession(Base):
    """A signed-in browser: only a keyed hash of its token is stored; it expires."""

    __tablename__ = "review_sessions"
    __table_args__ = (UniqueConstraint("token_hash"),)

    id: Mapped[IntPK]
    token_hash: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("review_users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[Timestamp]
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


class ReviewSetting(Base):
    """Per-install settings of the review app (its secret key, generated on first run)."""

    __tablename__ = "review_settings"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class QueueEntry(Base):
    """A candidate's row in the review queue: its status, priorities and filter facets, flat and
    indexed so that the queue page never reads JSON or counts evidence (rebuilt from the
    candidate, its evidence items and its scores by ``storage.review_queue.refresh_queue``)."""

    __tablename__ = "review_queue"
    __table_args__ = (
        Index("ix_review_queue_status_relevance", "status", "relevance", "candidate_id"),
        Index("ix_review_queue_status_uncertainty", "status", "uncertainty", "candidate_id"),
        Index("ix_review_queue_status_expected", "status", "expected_value", "candidate_id"),
        Index("ix_review_queue_status_last_seen", "status", "last_seen", "candidate_id"),
    )

    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), primary_key=True
    )
    #: mirrors ``candidates.status`` (pending | accepted | rejected | merged | snoozed)
    status: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))
    relevance: Mapped[float] = mapped_column(Float, default=0.0)
    uncertainty: Mapped[float] = mapped_column(Float, default=0.0)
    novelty: Mapped[float] = mapped_column(Float, default=1.0)
    expected_value: Mapped[float] = mapped_column(Float, default=0.0)
    #: why the candidate is where it is in the expected-value order, for people
    reason: Mapped[str] = mapped_column(Text, default="")
    country: Mapped[str | None] = mapped_column(String(2), nullable=True, index=True)
    city: Mapped[str | None] = mapped_column(String(200), nullable=True)
    #: facets with several values are ``|a|b|`` strings (exact-token LIKE, no JSON)
    languages: Mapped[str] = mapped_column(String(200), default="|")
    sources: Mapped[str] = mapped_column(Text, default="|")
    spiders: Mapped[str] = mapped_column(String(200), default="|")
    technologies: Mapped[str] = mapped_column(Text, default="|")
    areas: Mapped[str] = mapped_column(Text, default="|")
    liveliness: Mapped[float | None] = mapped_column(Float, nullable=True)
    #: first/last time its evidence was seen (the candidate's creation when it has none)
    first_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen: Mapped[datetime] = mapped_column(UTCDateTime())
    #: lower-cased name and evidence text for search
    search_text: Mapped[str] = mapped_column(Text, default="")
    snoozed_until: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    #: in the overlap sample: two curators decide it independently (agreement figures)
    overlap: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEntry(Base):
    """Append-only log of every review action: who, when, what, the state before and after.
    An undo is a new entry pointing at the one it reverses (``undoes``); nothing is rewritten."""

    __tablename__ = "review_audit"

    id: Mapped[IntPK]
    at: Mapped[Timestamp]
    username: Mapped[str] = mapped_column(String(80), index=True)
    #: accept | reject | merge | snooze | edit | vote | undo
    action: Mapped[str] = mapped_column(String(20))
    candidate_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    #: entries made by one bulk action share a batch id (undone together)
    batch: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    before: Mapped[Json] = mapped_column(default=dict)
    after: Mapped[Json] = mapped_column(default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")
    #: the training decision written with this action (``decisions.id``), removed on undo
    decision_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    undoes: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)


class ReviewVote(Base):
    """A curator's independent verdict on a candidate of the overlap sample."""

    __tablename__ = "review_votes"
    __table_args__ = (UniqueConstraint("candidate_id", "username"),)

    id: Mapped[IntPK]
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidates.id", ondelete="CASCADE"), index=True
    )
    username: Mapped[str] = mapped_column(String(80))
    #: accept | reject | merge
    verdict: Mapped[str] = mapped_column(String(20))
    at: Mapped[Timestamp]


class Promotion(Base):
    """Provenance of a candidate's promotion into the main database: which entry it created or
    was merged into, by whom, when, from which items; ``previous`` holds what a merge changed
    (restored on undo), and ``reverted_at`` marks an undone promotion."""

    __tablename__ = "review_promotions"

    id: Mapped[IntPK]
    candidate_id: Mapped[int | None] = mapped_column(
        ForeignKey("candidates.id", ondelete="SET NULL"), nullable=True, index=True
    )
    #: organisation | project (the main-database table)
    kind: Mapped[str] = mapped_column(String(20))
    entry_id: Mapped[int] = mapped_column(Integer, index=True)
    #: created | merged
    action: Mapped[str] = mapped_column(String(20))
    curator: Mapped[str] = mapped_column(String(80))
    at: Mapped[Timestamp]
    #: [{"id", "source", "url"}] the evidence items
    items: Mapped[Json] = mapped_column(default=list)
    previous: Mapped[Json] = mapped_column(default=dict)
    reverted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


# --- the main database (the DSI map) ---------------------------------------------------------
# Columns mirror the digitalsocial.eu export format (``storage.maindb`` reads and writes it);
# ``domain`` is derived (the website's registrable domain, for matching) and ``extra`` keeps
# any field the format gains later, so an import exports back without loss.


class MainOrganisation(Base):
    """An organisation on the DSI map; ``organisation_id`` is the map's own record id."""

    __tablename__ = "main_organisations"

    organisation_id: Mapped[IntPK]
    name: Mapped[str] = mapped_column(Text)
    website: Mapped[str] = mapped_column(Text, default="")
    #: registrable domain of ``website`` (Public Suffix List), "" when none
    domain: Mapped[str] = mapped_column(String(255), default="", index=True)
    short_description: Mapped[str] = mapped_column(Text, default="")
    long_description: Mapped[str] = mapped_column(Text, default="")
    #: the country as the map names it ("United Kingdom"); ``country_code`` is its ISO code
    country: Mapped[str] = mapped_column(String(120), default="")
    country_code: Mapped[str | None] = mapped_column(String(2), nullable=True, index=True)
    #: region or city, as entered ("Bolton", "Amsterdam")
    region: Mapped[str] = mapped_column(Text, default="")
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    address: Mapped[str] = mapped_column(Text, default="")
    type_id: Mapped[int] = mapped_column(Integer, default=0)
    #: "Social enterprise, charity, foundation or other non-profit", "For-profit business"...
    type_name: Mapped[str] = mapped_column(String(120), default="")
    #: "0-5 people", "6-10 people"... "" when unknown
    size: Mapped[str] = mapped_column(String(40), default="")
    start_date: Mapped[str] = mapped_column(String(10), default="")
    linked_project_ids: Mapped[Json] = mapped_column(default=list)
    tags: Mapped[Json] = mapped_column(default=list)
    #: [{"id", "name"}] network tags
    networks: Mapped[Json] = mapped_column(default=list)
    created: Mapped[str] = mapped_column(String(10), default="")
    extra: Mapped[Json] = mapped_column(default=dict)
    updated_at: Mapped[Timestamp]


class MainProject(Base):
    """A project on the DSI map; ``project_id`` is the map's own record id."""

    __tablename__ = "main_projects"

    project_id: Mapped[IntPK]
    name: Mapped[str] = mapped_column(Text)
    website: Mapped[str] = mapped_column(Text, default="")
    domain: Mapped[str] = mapped_column(String(255), default="", index=True)
    short_description: Mapped[str] = mapped_column(Text, default="")
    long_description: Mapped[str] = mapped_column(Text, default="")
    social_impact: Mapped[str] = mapped_column(Text, default="")
    start_date: Mapped[str | None] = mapped_column(String(10), nullable=True)
    end_date: Mapped[str | None] = mapped_column(String(10), nullable=True)
    country: Mapped[str] = mapped_column(String(120), default="")
    country_code: Mapped[str | None] = mapped_column(String(2), nullable=True, index=True)
    #: the city or region, as entered
    region: Mapped[str] = mapped_column(Text, default="")
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    linked_organisation_ids: Mapped[Json] = mapped_column(default=list)
    who_we_help: Mapped[Json] = mapped_column(default=list)
    #: social areas ("support_tags"), DSI focus and technologies: [{"id", "name"}]
    social_areas: Mapped[Json] = mapped_column(default=list)
    focus: Mapped[Json] = mapped_column(default=list)
    technologies: Mapped[Json] = mapped_column(default=list)
    creation_date: Mapped[str] = mapped_column(String(10), default="")
    extra: Mapped[Json] = mapped_column(default=dict)
    updated_at: Mapped[Timestamp]


class MatchThreshold(Base):
    """A matcher threshold tuned on curators' decisions (``dsi maindb tune``), per kind of
    entry; the newest row of a kind is the one in use. ``figures`` holds how it was chosen
    (pairs, cross-validation, precision/recall/false matches before and after)."""

    __tablename__ = "match_thresholds"

    id: Mapped[IntPK]
    #: organisation | project
    kind: Mapped[str] = mapped_column(String(20), index=True)
    threshold: Mapped[float] = mapped_column(Float)
    #: the threshold in use before this one
    previous: Mapped[float] = mapped_column(Float)
    pairs: Mapped[int] = mapped_column(Integer)
    figures: Mapped[Json] = mapped_column(default=dict)
    set_by: Mapped[str] = mapped_column(String(80))
    at: Mapped[Timestamp]
