"""The harvest as pandas DataFrames, for researchers and for ``dsi report``.

    from storage.session import session_scope
    from reports.data import load

    with session_scope("sqlite:///var/dsi.sqlite3") as session:
        data = load(session)                  # scores of the most recently scored model
    data.adverts                              # one row per dedupe group (one job, counted once)
    data.adverts.groupby("region").relevant.mean()

Frames (column lists in the README): ``items(session, spider)`` one row per stored item with one
model version's score; ``job_adverts`` one row per dedupe group; ``candidates``,
``organisations``, ``projects``; ``websites`` (website profiles); ``links`` (site to site);
``runs`` (crawl runs). ``load`` reads them all into a :class:`Harvest`.

An advert is *live* (right-censored) when it was seen by the latest run of its source: its end
is not observed yet. Without recorded runs the latest run of a source is taken to start
``RUN_WINDOW`` before the source's latest sighting.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from reports.places import city_population, country_code, region_of
from storage.links import edge_key
from storage.research import (
    SCORE_FIELDS,
    candidate_evidence_rows,
    candidate_rows,
    choose_model_version,
    iter_scored_items,
    link_rows,
    run_rows,
    score_values,
)

RUN_WINDOW = timedelta(hours=6)

#: fields of each spider copied into ``items`` frames
_ITEM_FIELDS = {
    "jobs": (
        "title",
        "hiring_organization",
        "hiring_organization_url",
        "location_city",
        "location_region",
        "location_country",
        "remote",
        "date_posted",
        "employment_type",
        "salary_annual",
        "language",
    ),
    "website": ("site", "name", "city", "country", "language", "outlinks"),
    "opendata": ("kind", "title", "publisher", "country", "portal_url", "showcase_url"),
}


def items(session: Session, spider: str, *, model_version: str | None = None) -> pd.DataFrame:
    """One row per stored item of ``spider``: ``item_id, source, url, first_seen, last_seen,
    times_seen, dedupe_group``, the spider's main fields, and the score columns of
    ``model_version`` (``relevance, relevant, technologies, areas, model_version,
    relevance_threshold``; empty when unscored)."""
    if spider not in _ITEM_FIELDS:
        raise ValueError(f"unknown spider {spider!r}: use one of {', '.join(_ITEM_FIELDS)}")
    rows = []
    for item, score in iter_scored_items(session, model_version=model_version, spider=spider):
        fields = item.fields if isinstance(item.fields, dict) else {}
        row: dict[str, Any] = {
            "item_id": item.id,
            "source": item.source,
            "url": item.url,
            "first_seen": item.first_seen,
            "last_seen": item.last_seen,
            "times_seen": item.times_seen,
            "dedupe_group": item.dedupe_group,
        }
        row.update({name: fields.get(name) for name in _ITEM_FIELDS[spider]})
        row.update(score_values(score))
        rows.append(row)
    columns = [
        "item_id",
        "source",
        "url",
        "first_seen",
        "last_seen",
        "times_seen",
        "dedupe_group",
        *_ITEM_FIELDS[spider],
        *SCORE_FIELDS,
    ]
    frame = pd.DataFrame(rows, columns=columns)
    for col in ("first_seen", "last_seen"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def runs(session: Session) -> pd.DataFrame:
    """Crawl runs: ``id, source, spider, started_at, finished_at, status``."""
    frame = pd.DataFrame(
        run_rows(session), columns=["id", "source", "spider", "started_at", "finished_at", "status"]
    )
    for col in ("started_at", "finished_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def last_crawls(item_frame: pd.DataFrame, run_frame: pd.DataFrame) -> dict[str, pd.Timestamp]:
    """Source -> when its latest crawl started (recorded runs, else ``RUN_WINDOW`` before its
    latest sighting)."""
    out: dict[str, pd.Timestamp] = {}
    if len(item_frame):
        for source, latest in item_frame.groupby("source")["last_seen"].max().items():
            out[str(source)] = latest - RUN_WINDOW
    if len(run_frame):
        for source, started in run_frame.groupby("source")["started_at"].max().items():
            if str(source) in out:
                out[str(source)] = min(started, out[str(source)] + RUN_WINDOW)
    return out


def job_adverts(
    session: Session,
    *,
    model_version: str | None = None,
    run_frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Job adverts, one row per dedupe group (the same job on several boards counts once).

    Columns: ``group, members, sources, source, url, title, employer, country, region, city,
    first_seen, last_seen, times_seen, live, lifetime_days, relevance, relevant, technologies,
    areas, model_version, relevance_threshold``. A group's first/last seen are its members'
    earliest and latest sightings; it is ``live`` if any member was seen by its source's latest
    crawl; relevance is the highest member's, labels the union; place and title come from the
    earliest member that has them.
    """
    member_frame = items(session, "jobs", model_version=model_version)
    return deduplicate(member_frame, runs(session) if run_frame is None else run_frame)


def deduplicate(member_frame: pd.DataFrame, run_frame: pd.DataFrame) -> pd.DataFrame:
    """Group job-advert items (an ``items(session, "jobs")`` frame) by dedupe group."""
    columns = [
        "group",
        "members",
        "sources",
        "source",
        "url",
        "title",
        "employer",
        "country",
        "region",
        "city",
        "first_seen",
        "last_seen",
        "times_seen",
        "live",
        "lifetime_days",
        *SCORE_FIELDS,
    ]
    if member_frame.empty:
        return pd.DataFrame(columns=columns)
    crawled = last_crawls(member_frame, run_frame)
    frame = member_frame.copy()
    frame["live"] = [
        seen >= crawled[source]
        for seen, source in zip(frame["last_seen"], frame["source"], strict=True)
    ]
    frame["group"] = frame["dedupe_group"].where(
        frame["dedupe_group"].notna(), "item:" + frame["item_id"].astype(str)
    )
    frame["country"] = [country_code(c) for c in frame["location_country"]]
    rows = []
    for group, members in frame.sort_values(["first_seen", "item_id"]).groupby("group", sort=False):
        scored = members[members["relevance"].notna()]
        best = scored.loc[scored["relevance"].idxmax()] if len(scored) else None
        country = _first(members["country"])
        first_seen = members["first_seen"].min()
        last_seen = members["last_seen"].max()
        rows.append(
            {
                "group": group,
                "members": len(members),
                "sources": ",".join(sorted(set(members["source"]))),
                "source": members["source"].iloc[0],
                "url": members["url"].iloc[0],
                "title": _first(members["title"]),
                "employer": _first(members["hiring_organization"]),
                "country": country,
                "region": region_of(country),
                "city": _first(members["location_city"]),
                "first_seen": first_seen,
                "last_seen": last_seen,
                "times_seen": int(members["times_seen"].sum()),
                "live": bool(members["live"].any()),
                "lifetime_days": (last_seen - first_seen).total_seconds() / 86400,
                "relevance": None if best is None else float(best["relevance"]),
                "relevant": None if best is None else bool(scored["relevant"].fillna(False).any()),
                "technologies": _union(members["technologies"]),
                "areas": _union(members["areas"]),
                "model_version": None if best is None else best["model_version"],
                "relevance_threshold": None if best is None else best["relevance_threshold"],
            }
        )
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["first_seen", "group"]).reset_index(drop=True)


def _first(values: Iterable[Any]) -> Any:
    for value in values:
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _union(lists: Iterable[Any]) -> list[str]:
    out: list[str] = []
    for labels in lists:
        for label in labels if isinstance(labels, list) else []:
            if label not in out:
                out.append(label)
    return out


def candidates(session: Session) -> pd.DataFrame:
    """Candidate organisations and projects: ``id, kind, key, name, website, site, country,
    region, city, relevance, technologies, areas, model_version, status, evidence``
    (``technologies``/``areas`` as label lists, ``site`` the website's site key,
    ``evidence`` the number of supporting items)."""
    evidence = pd.DataFrame(candidate_evidence_rows(session), columns=["candidate_id", "item_id"])
    counts = evidence.groupby("candidate_id").size().to_dict()
    rows = []
    for row in candidate_rows(session):
        country = country_code(row["country"])
        rows.append(
            {
                "id": row["id"],
                "kind": row["kind"],
                "key": row["key"],
                "name": row["name"],
                "website": row["website"],
                "site": edge_key(row["website"]) if row["website"] else None,
                "country": country,
                "region": region_of(country),
                "city": row["city"],
                "relevance": row["relevance"],
                "technologies": list(row["technologies"] or {}),
                "areas": list(row["areas"] or {}),
                "model_version": row["model_version"],
                "status": row["status"],
                "evidence": int(counts.get(row["id"], 0)),
            }
        )
    columns = [
        "id",
        "kind",
        "key",
        "name",
        "website",
        "site",
        "country",
        "region",
        "city",
        "relevance",
        "technologies",
        "areas",
        "model_version",
        "status",
        "evidence",
    ]
    return pd.DataFrame(rows, columns=columns)


def organisations(session: Session) -> pd.DataFrame:
    """Candidate organisations (the ``candidates`` columns)."""
    frame = candidates(session)
    return frame[frame["kind"] == "organisation"].reset_index(drop=True)


def projects(session: Session) -> pd.DataFrame:
    """Candidate projects (the ``candidates`` columns)."""
    frame = candidates(session)
    return frame[frame["kind"] == "project"].reset_index(drop=True)


def evidence(session: Session) -> pd.DataFrame:
    """Which item supports which candidate: ``candidate_id, item_id, role``."""
    return pd.DataFrame(
        candidate_evidence_rows(session), columns=["candidate_id", "item_id", "role"]
    )


def links(session: Session) -> pd.DataFrame:
    """Links between websites: ``from_site, to_site, source, first_seen, last_seen``."""
    frame = pd.DataFrame(
        link_rows(session), columns=["from_site", "to_site", "source", "first_seen", "last_seen"]
    )
    for col in ("first_seen", "last_seen"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


def websites(session: Session, *, model_version: str | None = None) -> pd.DataFrame:
    """Website profiles: the ``items`` columns plus ``site_key`` (the links' node), ISO
    ``country`` and ``region``."""
    frame = items(session, "website", model_version=model_version)
    frame["site_key"] = [edge_key(s) if isinstance(s, str) else None for s in frame["site"]]
    frame["country"] = [country_code(c) for c in frame["country"]]
    frame["region"] = [region_of(c) for c in frame["country"]]
    return frame


MAIN_COLUMNS = ["id", "kind", "name", "website", "site", "country", "region", "city", "linked"]


def export_format_frame(records: Iterable[dict[str, Any]], kind: str) -> pd.DataFrame:
    """Records in the digitalsocial.eu export format (the main database's and the DSI4EU
    sample's) as ``id, kind, name, website, site, country, region, city, linked`` (``linked``:
    the linked projects' or organisations' ids)."""
    other = "project" if kind == "organisation" else "organisation"
    rows = []
    for record in records:
        country = country_code(str(record.get("country") or ""))
        website = str(record.get("website") or "") or None
        rows.append(
            {
                "id": record.get(f"{kind}_id"),
                "kind": kind,
                "name": record.get(f"{kind}_name"),
                "website": website,
                "site": edge_key(website) if website else None,
                "country": country,
                "region": region_of(country),
                "city": str(record.get("region") or "").strip() or None,
                "linked": [str(i) for i in record.get(f"linked_{other}_ids") or []],
            }
        )
    return pd.DataFrame(rows, columns=MAIN_COLUMNS)


def read_main_database(url: str) -> pd.DataFrame | None:
    """The main database's organisations and projects (``export_format_frame`` columns) at
    ``url``, or None when this installation has no main database (module or tables absent)."""
    try:
        from storage import maindb  # type: ignore[attr-defined,unused-ignore]
    except ImportError:
        return None
    from sqlalchemy.exc import DBAPIError

    from storage.session import session_scope

    try:
        with session_scope(url) as session:
            frames = [
                export_format_frame(maindb.export_records(session, kind), kind)
                for kind in ("organisation", "project")
            ]
    except DBAPIError:  # the main database's tables are not there (not migrated)
        return None
    return pd.concat(frames, ignore_index=True)


@dataclass(slots=True)
class Harvest:
    """Everything the reports read, scored by one model version."""

    model_version: str | None
    #: the model's relevance threshold, as its scores record it
    threshold: float | None
    adverts: pd.DataFrame
    candidates: pd.DataFrame
    websites: pd.DataFrame
    links: pd.DataFrame
    evidence: pd.DataFrame
    runs: pd.DataFrame
    #: the main database's organisations and projects (None: no main database to read)
    main: pd.DataFrame | None = None


def load(
    session: Session,
    *,
    model_version: str | None = None,
    active: str | None = None,
    main: pd.DataFrame | None = None,
) -> Harvest:
    """Read the harvest: scores of ``model_version`` (else the ``active`` model's if it scored
    anything, else the most recently scored version); ``main``: the main database's entries
    (``read_main_database``)."""
    version = choose_model_version(session, requested=model_version, active=active)
    run_frame = runs(session)
    adverts = job_adverts(session, model_version=version, run_frame=run_frame)
    site_frame = websites(session, model_version=version)
    thresholds = pd.concat(
        [adverts["relevance_threshold"], site_frame["relevance_threshold"]]
    ).dropna()
    return Harvest(
        model_version=version,
        threshold=float(thresholds.iloc[0]) if len(thresholds) else None,
        adverts=adverts,
        candidates=candidates(session),
        websites=site_frame,
        links=links(session),
        evidence=evidence(session),
        runs=run_frame,
        main=main,
    )


def with_city_population(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (with ``country`` and ``city``) plus ``city_population`` where known."""
    out = frame.copy()
    out["city_population"] = [
        city_population(country, city)
        for country, city in zip(out["country"], out["city"], strict=True)
    ]
    return out


__all__ = [
    "RUN_WINDOW",
    "Harvest",
    "candidates",
    "deduplicate",
    "evidence",
    "export_format_frame",
    "items",
    "job_adverts",
    "last_crawls",
    "links",
    "load",
    "organisations",
    "projects",
    "read_main_database",
    "runs",
    "websites",
    "with_city_population",
]
