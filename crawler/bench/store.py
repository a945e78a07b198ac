"""``dsi bench store``: rows/s of the store's idempotent bulk upsert against a plain INSERT.

The rows are job adverts as the store pipeline hands them to storage (:class:`ItemRow`, with a
~2 KB description), written in batches of ``batch`` per transaction into a fresh migrated
database (a temporary SQLite file, or a throwaway schema of the PostgreSQL database given):

* ours, new rows: :func:`storage.items.upsert_items` of rows not yet stored;
* ours, again: the same rows once more (every row a conflict: ``last_seen`` and fields
  refreshed, nothing duplicated) - what a re-crawl does;
* baseline: a plain ``INSERT`` of the same column values into another fresh database, run as
  the upsert runs (one statement, compiled once, with the batch's rows: ``executemany``).
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime
from typing import Any, cast

from crawler.bench.report import ratio
from storage.items import ItemRow, content_hash, upsert_items, url_key

_WORDS = ("open", "data", "civic", "tech", "community", "digital", "inclusion", "platform")


def make_rows(n: int, seed: int = 2026) -> list[ItemRow]:
    """``n`` distinct advert rows, the same for the same seed."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        description = " ".join(rng.choice(_WORDS) for _ in range(300))
        rows.append(
            ItemRow(
                source="bench",
                spider="jobs",
                url=f"https://board.example.org/jobs/{i:07d}.html",
                fields={
                    "title": f"Civic tech developer {i}",
                    "hiring_organization": f"Org {i % 977}",
                    "location_country": "DE",
                    "description": description,
                    "salary_min": 40000 + i % 20000,
                },
                raw={"@type": "JobPosting", "identifier": i},
                warnings=[],
                title=f"Civic tech developer {i}",
                language="en",
            )
        )
    return rows


def _plain_values(row: ItemRow, now: datetime) -> dict[str, Any]:
    key = url_key(row.url)
    return {
        "source": row.source,
        "spider": row.spider,
        "url": row.url,
        "url_key": key,
        "title": row.title,
        "language": row.language,
        "content_hash": content_hash(row.fields),
        "fields": row.fields,
        "raw": row.raw,
        "warnings": row.warnings,
        "fetched_at": now,
        "first_seen": now,
        "last_seen": now,
        "times_seen": 1,
    }


def _timed(url: str, rows: list[ItemRow], batch: int, write: Any) -> float:
    from storage.session import session_scope

    start = time.perf_counter()
    for i in range(0, len(rows), batch):
        with session_scope(url) as session:
            write(session, rows[i : i + batch])
    return len(rows) / (time.perf_counter() - start)


def _plain_insert(session: Any, rows: list[ItemRow]) -> None:
    from sqlalchemy import Table, insert

    from storage.models import Item

    now = datetime.now(UTC)
    session.connection().execute(
        insert(cast(Table, Item.__table__)), [_plain_values(r, now) for r in rows]
    )


def bench_store(rows: int, batch: int, postgres_url: str | None) -> list[dict[str, Any]]:
    """One entry per database: SQLite, and PostgreSQL when ``postgres_url`` is given."""
    from review.bench import bench_database
    from storage.items import count_items
    from storage.session import session_scope

    data = make_rows(rows)
    entries = []
    for name, target in (("sqlite", None), ("postgresql", postgres_url)):
        if name == "postgresql" and target is None:
            continue
        with bench_database(target) as url:
            new = _timed(url, data, batch, upsert_items)
            again = _timed(url, data, batch, upsert_items)
            with session_scope(url) as session:
                stored = count_items(session)
        with bench_database(target) as url:
            plain = _timed(url, data, batch, _plain_insert)
        entries.append(
            {
                "database": name,
                "rows": rows,
                "batch": batch,
                "rows_stored_after_two_upserts": stored,
                "upsert_new_rows_per_s": round(new, 1),
                "upsert_again_rows_per_s": round(again, 1),
                "baseline": {
                    "what": "plain INSERT of the same rows (executemany)",
                    "rows_per_s": round(plain, 1),
                },
                "ratio": ratio(new, plain),
                "ratio_again": ratio(again, plain),
            }
        )
    return entries
