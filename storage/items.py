"""Repository for harvested items: idempotent upserts and reads for export/classification."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from storage.jobs import Signed, save_signatures
from storage.models import Item, utcnow
from storage.session import dialect_insert


def url_key(url: str) -> str:
    return hashlib.sha1(url.encode("utf-8")).hexdigest()


def content_hash(fields: dict[str, Any]) -> str:
    """A stable hash of an item's normalised fields (what changed between two crawls)."""
    blob = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()


@dataclass(slots=True, kw_only=True)
class ItemRow:
    """What the store pipeline hands to storage for one item."""

    source: str
    spider: str
    url: str
    fields: dict[str, Any]
    raw: dict[str, Any]
    warnings: list[str]
    title: str | None = None
    language: str | None = None
    run_id: int | None = None
    fetched_at: datetime | None = None
    dedupe_group: str | None = None
    #: a job advert's dedupe signature, when the crawl made it (kept in ``job_signatures``)
    signature: Signed | None = None
    #: ``fields`` and ``raw`` already went through :func:`prepared` (not made storable again)
    prepared: bool = False


#: what PostgreSQL cannot store in text or JSONB (NUL) and what cannot be encoded (lone
#: surrogates): removed from every string before writing, so one bad character never loses a batch
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


#: a NUL as JSON writes it (a backslash and ``u0000`` in a string also match: they are walked)
_JSON_NUL = "\\u0000"


def _json_text(value: Any) -> str | None:
    """``value`` as JSON (non-ASCII kept as is: lone surrogates stay visible), or None when it
    holds something JSON cannot write (then the caller walks it)."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return None


def storable(value: Any) -> Any:
    """``value`` with NUL characters and lone surrogates removed from every string in it.

    A list or object with nothing to remove (nearly all) is returned as it is, found so by one
    encoding to JSON (in C) instead of a walk of every value in Python."""
    if isinstance(value, dict | list | tuple):
        text = _json_text(value)
        if text is not None and _clean(text):
            return value
    return _storable_walk(value)


def _storable_walk(value: Any) -> Any:
    if isinstance(value, str):
        return _UNSTORABLE.sub("", value)
    if isinstance(value, dict):
        return {_storable_walk(k): _storable_walk(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable_walk(v) for v in value]
    return value


#: Longest string stored in an item's fields or raw data (characters); a longer one is cut.
MAX_STORED_CHARS = 100_000
#: Most entries stored in one list or object of an item; the rest are dropped.
MAX_STORED_ENTRIES = 5_000


def bounded(value: Any) -> tuple[Any, int]:
    """``value`` with strings cut to :data:`MAX_STORED_CHARS` and lists/objects to
    :data:`MAX_STORED_ENTRIES` entries, and how many cuts were made (one row never grows to
    megabytes because a page carried a huge string).

    Nearly every value is within bounds, which its JSON length mostly tells without a walk: a
    longer string makes the text longer than :data:`MAX_STORED_CHARS`, and a longer list or
    object longer than twice :data:`MAX_STORED_ENTRIES` (one character and a comma an entry).
    Within :data:`MAX_STORED_CHARS`, only the sizes of lists and objects are looked at."""
    text = _json_text(value) if isinstance(value, dict | list | tuple) else None
    if text is not None and _within_bounds(value, text):
        return value, 0
    return _cut(value)


def prepared(value: Any) -> tuple[Any, int]:
    """``value`` as the store writes it: :func:`bounded`, then :func:`storable`, and the number
    of cuts; a value with nothing to do (nearly all) costs one JSON encoding for both."""
    text = _json_text(value) if isinstance(value, dict | list | tuple) else None
    if text is not None and _clean(text) and _within_bounds(value, text):
        return value, 0
    cut, cuts = bounded(value)
    return storable(cut), cuts


def _clean(text: str) -> bool:
    """Whether a JSON text (:func:`_json_text`) holds no NUL and no lone surrogate (JSON
    writes a NUL escaped, so :data:`_UNSTORABLE` finds only the surrogates in it)."""
    return _JSON_NUL not in text and not _UNSTORABLE.search(text)


def _within_bounds(value: Any, text: str) -> bool:
    """Whether ``value`` (whose JSON is ``text``) needs no cut (see :func:`bounded`)."""
    if len(text) <= 2 * MAX_STORED_ENTRIES:
        return True
    return len(text) <= MAX_STORED_CHARS and not _too_many_entries(value)


def _cut(value: Any) -> tuple[Any, int]:
    cuts = 0

    def cut(v: Any) -> Any:
        nonlocal cuts
        if isinstance(v, str):
            if len(v) > MAX_STORED_CHARS:
                cuts += 1
                return v[:MAX_STORED_CHARS]
            return v
        if isinstance(v, dict):
            if len(v) > MAX_STORED_ENTRIES:
                cuts += 1
            return {k: cut(x) for k, x in list(v.items())[:MAX_STORED_ENTRIES]}
        if isinstance(v, list | tuple):
            if len(v) > MAX_STORED_ENTRIES:
                cuts += 1
            return [cut(x) for x in list(v)[:MAX_STORED_ENTRIES]]
        return v

    return cut(value), cuts


def _too_many_entries(value: Any) -> bool:
    """Whether a list or object in ``value`` has more than :data:`MAX_STORED_ENTRIES`."""
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            if len(v) > MAX_STORED_ENTRIES:
                return True
            stack.extend(x for x in v.values() if isinstance(x, dict | list | tuple))
        elif isinstance(v, list | tuple):
            if len(v) > MAX_STORED_ENTRIES:
                return True
            stack.extend(x for x in v if isinstance(x, dict | list | tuple))
    return False


def _upsert_statement(dialect: str) -> Any:
    """The upsert of one item row, built once per dialect and run with many rows
    (``executemany``), so SQLAlchemy compiles it once and reuses it from its cache."""
    statement = _UPSERTS.get(dialect)
    if statement is None:
        table = cast(Table, Item.__table__)
        stmt = dialect_insert(dialect)(table)
        excluded = stmt.excluded
        statement = stmt.on_conflict_do_update(
            index_elements=["source", "url_key"],
            set_={
                "spider": excluded.spider,
                "url": excluded.url,
                "title": excluded.title,
                "language": excluded.language,
                "content_hash": excluded.content_hash,
                "fields": excluded.fields,
                "raw": excluded.raw,
                "warnings": excluded.warnings,
                "fetched_at": excluded.fetched_at,
                "last_seen": excluded.last_seen,
                "times_seen": table.c.times_seen + 1,
                "last_run_id": excluded.last_run_id,
                "dedupe_group": func.coalesce(excluded.dedupe_group, table.c.dedupe_group),
            },
        )
        _UPSERTS[dialect] = statement
    return statement


_UPSERTS: dict[str, Any] = {}


def _values(rows: Sequence[ItemRow]) -> list[dict[str, Any]]:
    """The column values of ``rows``, each string made storable once; the same URL twice
    in one batch: the last one wins (one row per key in the statement)."""
    by_key: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        now = row.fetched_at or utcnow()
        url = storable(row.url)
        key = url_key(url)
        source = storable(row.source)
        fields = row.fields if row.prepared else storable(row.fields)
        by_key[(source, key)] = {
            "source": source,
            "spider": row.spider,
            "url": url,
            "url_key": key,
            "title": storable(row.title),
            "language": storable(row.language),
            "content_hash": content_hash(fields),
            "fields": fields,
            "raw": row.raw if row.prepared else storable(row.raw),
            "warnings": storable(row.warnings),
            "fetched_at": now,
            "first_seen": now,
            "last_seen": now,
            "times_seen": 1,
            "last_run_id": row.run_id,
            "dedupe_group": row.dedupe_group,
        }
    return list(by_key.values())


def _upsert(session: Session, values: list[dict[str, Any]]) -> None:
    if values:
        statement = _upsert_statement(session.get_bind().dialect.name)
        session.connection().execute(statement, values)


def _save_signatures(
    session: Session, rows: Sequence[ItemRow], values: list[dict[str, Any]]
) -> None:
    """Keep the signatures the rows carry, each with the content it was made from (the same
    URL twice in a batch: the last row's, as in :func:`_values`)."""
    if not any(row.signature is not None for row in rows):
        return
    signed: dict[tuple[str, str], Signed | None] = {}
    for row in rows:
        source = storable(row.source)
        signed[(source, url_key(storable(row.url)))] = row.signature
    digests = {(v["source"], v["url_key"]): v["content_hash"] for v in values}
    save_signatures(
        session,
        [(s, k, digests[(s, k)], sig) for (s, k), sig in signed.items() if sig is not None],
    )


def upsert_items(session: Session, rows: Sequence[ItemRow]) -> int:
    """Insert new items, or refresh ``last_seen``/fields of known ones. Returns rows written.

    Identity is (source, canonical URL): re-crawling a page never duplicates it. A row's
    ``signature`` is kept beside its item (:func:`storage.jobs.save_signatures`).
    """
    values = _values(rows)
    _upsert(session, values)
    _save_signatures(session, rows, values)
    return len(values)


def _changes(session: Session, values: list[dict[str, Any]]) -> dict[str, int]:
    wanted = {(v["source"], v["url_key"]): v["content_hash"] for v in values}
    known: dict[tuple[str, str], str] = {}
    for source in {s for s, _ in wanted}:
        keys = [k for s, k in wanted if s == source]
        stmt = select(Item.url_key, Item.content_hash).where(
            Item.source == source, Item.url_key.in_(keys)
        )
        known.update({(source, k): h for k, h in session.execute(stmt)})
    out = {"new": 0, "updated": 0, "unchanged": 0}
    for key, digest in wanted.items():
        if key not in known:
            out["new"] += 1
        elif known[key] != digest:
            out["updated"] += 1
        else:
            out["unchanged"] += 1
    return out


def item_changes(session: Session, rows: Sequence[ItemRow]) -> dict[str, int]:
    """What an upsert of ``rows`` will do: ``new``, ``updated`` (fields changed), ``unchanged``.

    Read before the upsert, in the same transaction.
    """
    return _changes(session, _values(rows))


def store_items(session: Session, rows: Sequence[ItemRow]) -> dict[str, int]:
    """Upsert ``rows`` (:func:`upsert_items`) and say what it did (:func:`item_changes`),
    preparing each row once."""
    values = _values(rows)
    changes = _changes(session, values)
    _upsert(session, values)
    _save_signatures(session, rows, values)
    return changes


def count_items(session: Session, *, spider: str | None = None, source: str | None = None) -> int:
    stmt = select(func.count()).select_from(Item)
    if spider:
        stmt = stmt.where(Item.spider == spider)
    if source:
        stmt = stmt.where(Item.source == source)
    return int(session.scalar(stmt) or 0)


def counts_by_spider(session: Session) -> dict[str, int]:
    stmt = select(Item.spider, func.count()).group_by(Item.spider)
    return {spider: int(n) for spider, n in session.execute(stmt)}


def iter_items(
    session: Session,
    *,
    spider: str | None = None,
    source: str | None = None,
    batch_size: int = 500,
) -> Iterator[Item]:
    """Stored items in id order, streamed in batches (constant memory on large tables)."""
    for batch in iter_item_batches(session, spider=spider, source=source, batch_size=batch_size):
        yield from batch


def iter_item_batches(
    session: Session,
    *,
    spider: str | None = None,
    source: str | None = None,
    batch_size: int = 500,
) -> Iterator[list[Item]]:
    """Stored items in id order, a batch at a time; each batch is expunged once consumed."""
    last_id = 0
    while True:
        stmt = select(Item).where(Item.id > last_id).order_by(Item.id).limit(batch_size)
        if spider:
            stmt = stmt.where(Item.spider == spider)
        if source:
            stmt = stmt.where(Item.source == source)
        batch = list(session.scalars(stmt))
        if not batch:
            return
        yield batch
        last_id = batch[-1].id
        session.expunge_all()


def set_dedupe_groups(session: Session, groups: dict[int, str]) -> None:
    """Assign near-duplicate groups (item id -> group key)."""
    for item_id, group in groups.items():
        item = session.get(Item, item_id)
        if item is not None:
            item.dedupe_group = group
