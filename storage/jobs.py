"""SQL for the ``jobs`` spider: regrouping near-duplicate adverts, and careers-page seeds.

``regroup_jobs`` runs after every jobs crawl (the dedupe pipeline calls it in a thread): it
reads every stored job advert, oldest first sighting first, adds them to the grouping index it
is given (the pipeline passes a fresh :class:`crawler.dedupe.DedupeIndex`: same canonical URL,
same content, or same employer + near identical text) and writes ``items.dedupe_group`` where
it changed. Groups span sources and runs, so trends can count each job once; a group's id comes
from its earliest member. Storage knows the index only by the :class:`GroupingIndex` protocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.models import Candidate, Item

__all__ = ["GroupingIndex", "RegroupResult", "organisation_websites", "regroup_jobs"]


class GroupingIndex(Protocol):
    """Groups adverts as they are added (``crawler.dedupe.DedupeIndex`` is one)."""

    def add(
        self,
        key: str,
        *,
        url: str,
        employer: str | None,
        title: str | None,
        description: str | None,
    ) -> str | None:
        """Add one advert; returns how it joined a group (``url``, ``content``, ``near``)."""
        ...

    def groups(self) -> dict[str, str]:
        """Member key -> group id, for every member."""
        ...


@dataclass(slots=True)
class RegroupResult:
    items: int = 0
    groups: int = 0
    changed: int = 0
    #: members that joined a group through each rule
    by_url: int = 0
    by_content: int = 0
    near: int = 0


def regroup_jobs(
    session: Session, index: GroupingIndex, *, spider: str = "jobs", batch_size: int = 1000
) -> RegroupResult:
    """Recompute ``dedupe_group`` for every item of ``spider`` with a fresh ``index``."""
    current: dict[int, str | None] = {}
    result = RegroupResult()
    last: tuple[Any, int] | None = None
    cols = (Item.id, Item.url, Item.fields, Item.first_seen, Item.dedupe_group)
    while True:
        stmt = select(*cols).where(Item.spider == spider)
        if last is not None:
            stmt = stmt.where(
                (Item.first_seen > last[0]) | ((Item.first_seen == last[0]) & (Item.id > last[1]))
            )
        rows = session.execute(stmt.order_by(Item.first_seen, Item.id).limit(batch_size)).all()
        if not rows:
            break
        for item_id, url, fields, first_seen, group in rows:
            fields = fields if isinstance(fields, dict) else {}
            how = index.add(
                str(item_id),
                url=url,
                employer=_str(fields.get("hiring_organization")),
                title=_str(fields.get("title")),
                description=_str(fields.get("description")),
            )
            result.by_url += how == "url"
            result.by_content += how == "content"
            result.near += how == "near"
            current[item_id] = group
            last = (first_seen, item_id)
        result.items += len(rows)
    groups = index.groups()
    result.groups = len(set(groups.values()))
    changes = [
        {"item_id": int(key), "group": group}
        for key, group in groups.items()
        if current.get(int(key)) != group
    ]
    for start in range(0, len(changes), batch_size):
        chunk = changes[start : start + batch_size]
        for change in chunk:
            session.execute(
                update(Item)
                .where(Item.id == change["item_id"])
                .values(dedupe_group=change["group"])
            )
    result.changed = len(changes)
    return result


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _site(url: Any) -> str | None:
    if not isinstance(url, str) or not url.strip():
        return None
    url = url.strip()
    if "://" not in url:
        url = "https://" + url
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc}/"


def organisation_websites(
    session: Session, *, kind: str = "candidates", limit: int | None = None
) -> list[str]:
    """Homepages of known organisations, for careers-page seeding (one per site, sorted).

    ``candidates``: websites of candidate organisations/projects not rejected.
    ``database``: accepted candidates plus sites profiled by the ``website`` spider.
    """
    if kind not in ("candidates", "database"):
        raise ValueError(f"unknown seed kind {kind!r}")
    sites: set[str] = set()
    stmt = select(Candidate.website).where(Candidate.website.is_not(None))
    if kind == "candidates":
        stmt = stmt.where(Candidate.status != "rejected")
    else:
        stmt = stmt.where(Candidate.status.in_(("accepted", "merged")))
    for (website,) in session.execute(stmt):
        site = _site(website)
        if site:
            sites.add(site)
    if kind == "database":
        for (fields,) in session.execute(select(Item.fields).where(Item.spider == "website")):
            if isinstance(fields, dict):
                site = _site(fields.get("site"))
                if site:
                    sites.add(site)
    ordered = sorted(sites)
    return ordered[:limit] if limit else ordered
