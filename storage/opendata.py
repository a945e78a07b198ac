"""Repository for the ``opendata`` spider: incremental-run state and deletion marks.

* :func:`last_complete_run`: when the last successful, complete run of a source started, and
  the newest ``metadata_modified`` it had seen per portal (the lower bound of the next
  incremental run is the earlier of the two, minus a margin: portal clocks may lag ours);
* :func:`stored_datasets`: the datasets already stored for a source, per portal;
* :func:`mark_deleted`: set ``fields["deleted"] = true`` on datasets a full listing no longer has
  (nothing else changes: not ``last_seen``, not ``times_seen``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.items import url_key
from storage.models import CrawlRun, Item

SPIDER = "opendata"
#: Set to 1 in a run's stats when every page of the harvest was read.
COMPLETE_STAT = "dsi/opendata/complete"
#: ``{portal_url: ISO timestamp}``: the newest ``metadata_modified`` a run has seen.
WATERMARKS_STAT = "dsi/opendata/watermarks"
_BATCH = 500


@dataclass(slots=True, frozen=True)
class CompleteRun:
    """The last successful, complete run of a source."""

    started_at: datetime
    #: portal URL -> the newest ``metadata_modified`` seen so far (the portal's own clock).
    watermarks: dict[str, str]


def last_complete_run(session: Session, source: str, *, look_back: int = 50) -> CompleteRun | None:
    """The newest ``finished`` run of ``source`` whose stats say it was complete."""
    stmt = (
        select(CrawlRun.started_at, CrawlRun.stats)
        .where(CrawlRun.source == source, CrawlRun.spider == SPIDER, CrawlRun.status == "finished")
        .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
        .limit(look_back)
    )
    for started_at, stats in session.execute(stmt):
        if (
            isinstance(stats, dict)
            and stats.get(COMPLETE_STAT)
            and isinstance(started_at, datetime)
        ):
            marks = stats.get(WATERMARKS_STAT)
            watermarks = (
                {str(k): str(v) for k, v in marks.items()} if isinstance(marks, dict) else {}
            )
            return CompleteRun(started_at=started_at, watermarks=watermarks)
    return None


def last_complete_run_start(session: Session, source: str) -> datetime | None:
    """Start of the last successful, complete run of ``source`` (None: never)."""
    run = last_complete_run(session, source)
    return run.started_at if run is not None else None


def stored_datasets(
    session: Session, source: str, portal_url: str | None = None
) -> dict[str, dict[str, str]]:
    """``{portal_url: {url: dataset_id}}`` of the stored, not deleted datasets of ``source``
    (of one portal when ``portal_url`` is given)."""
    kind = Item.fields["kind"].as_string()
    portal = Item.fields["portal_url"].as_string()
    stmt = (
        select(
            portal,
            Item.url,
            Item.fields["dataset_id"].as_string(),
            Item.fields["deleted"].as_boolean(),
        )
        .where(Item.spider == SPIDER, Item.source == source, kind == "dataset")
        .order_by(Item.id)
    )
    if portal_url is not None:
        stmt = stmt.where(portal == portal_url)
    out: dict[str, dict[str, str]] = {}
    for portal_of, url, dataset_id, deleted in session.execute(stmt):
        if deleted:
            continue
        out.setdefault(portal_of or "", {})[url] = dataset_id or ""
    return out


def stored_dataset_urls(session: Session, source: str, portal_url: str) -> dict[str, str]:
    """``{url: dataset_id}`` of the stored, not deleted datasets of ``source`` on ``portal_url``."""
    return stored_datasets(session, source, portal_url).get(portal_url, {})


def mark_deleted(session: Session, source: str, urls: Iterable[str]) -> int:
    """Mark the stored items of ``source`` at ``urls`` deleted; returns how many changed."""
    keys = sorted({url_key(u) for u in urls})
    changed = 0
    for start in range(0, len(keys), _BATCH):
        stmt = select(Item).where(
            Item.source == source,
            Item.spider == SPIDER,
            Item.url_key.in_(keys[start : start + _BATCH]),
        )
        for item in session.scalars(stmt):
            fields = dict(item.fields or {})
            if fields.get("deleted") is True:
                continue
            fields["deleted"] = True
            item.fields = fields
            changed += 1
    session.flush()
    return changed
