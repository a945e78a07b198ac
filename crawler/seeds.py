"""What a spider needs from the database, read once before it starts and handed to it.

Spiders never touch storage: :func:`spider_arguments` reads, for one source, what its spider
takes as arguments, and the runner passes them to the spider:

* ``jobs`` with ``seed = "candidates" | "database"``: organisation websites whose careers pages
  are looked for (:func:`storage.jobs.organisation_websites`, at most ``max_pages``);
* ``website`` with ``seed = "showcases" | "candidates"``: stored showcase URLs or candidates'
  websites (:func:`storage.seeds.seed_urls`, at most ``seed_limit``, default 1000);
* ``opendata``: the last complete run and the datasets already stored
  (:class:`HarvestState`), for incremental runs and deletion marks.

A database that cannot be read (:class:`~storage.session.StorageUnavailable`) is logged once
here and never stops the crawl: seeds are then empty (``Seeds.unavailable``) and an open-data
harvest is a full run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from crawler.sources import Source
from storage.jobs import organisation_websites
from storage.opendata import last_complete_run, stored_datasets
from storage.seeds import seed_urls
from storage.session import StorageUnavailable, redact, session_scope

__all__ = ["HarvestState", "Seeds", "harvest_state", "read_seeds", "spider_arguments"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Seeds:
    """Start URLs read from the database for a source's ``seed`` option."""

    mode: str
    urls: tuple[str, ...] = ()
    #: the database could not be read: the crawl goes on with the source's own URLs
    unavailable: bool = False

    def record(self, stat: Callable[[str, int], None]) -> None:
        """Count ``seeds/urls`` (or ``seeds/unavailable``) with a spider's ``stat``."""
        if self.unavailable:
            stat("seeds/unavailable", 1)
        else:
            stat("seeds/urls", len(self.urls))


@dataclass(frozen=True, slots=True)
class HarvestState:
    """What earlier runs of an open-data source left: the start for an incremental run."""

    #: start of the last successful, complete run (None: there was none)
    last_complete_start: datetime | None = None
    #: portal URL -> the newest ``metadata_modified`` that run had seen (the portal's clock)
    watermarks: dict[str, str] = field(default_factory=dict)
    #: portal URL -> ``{url: dataset_id}`` of the datasets stored and not deleted
    stored: dict[str, dict[str, str]] = field(default_factory=dict)


def read_seeds(source: Source, database_url: str) -> Seeds | None:
    """The seeds of a ``jobs`` or ``website`` source with a ``seed`` option (else None)."""
    mode = source.option("seed")
    if not mode or source.spider not in ("jobs", "website"):
        return None
    mode = str(mode)
    try:
        with session_scope(database_url) as session:
            if source.spider == "jobs":
                urls = organisation_websites(session, kind=mode, limit=source.max_pages)
            else:
                limit = int(source.option("seed_limit", 1000))
                urls = seed_urls(session, mode, limit=limit)
    except StorageUnavailable as exc:
        logger.error(
            "source %r: cannot read %s seeds from the database: %s", source.name, mode, exc
        )
        return Seeds(mode=mode, unavailable=True)
    logger.info("source %r: %d %s seeds read from the database", source.name, len(urls), mode)
    return Seeds(mode=mode, urls=tuple(urls))


def harvest_state(source: Source, database_url: str) -> HarvestState:
    """The open-data state of ``source``; an empty one (a full run) when unreadable."""
    try:
        with session_scope(database_url) as session:
            last = last_complete_run(session, source.name)
            stored = stored_datasets(session, source.name)
    except StorageUnavailable as exc:
        logger.error(
            "source %r: cannot read the previous runs from %s (%s): full run",
            source.name,
            redact(database_url),
            exc,
        )
        return HarvestState()
    if last is None:
        return HarvestState(stored=stored)
    return HarvestState(
        last_complete_start=last.started_at, watermarks=dict(last.watermarks), stored=stored
    )


def spider_arguments(source: Source, database_url: str | None) -> dict[str, Any]:
    """Keyword arguments for the spider of ``source`` (besides ``source``) read from the
    database: ``seeds`` (jobs, website) or ``harvest_state`` (opendata)."""
    if not database_url:
        return {}
    if source.spider == "opendata":
        return {"harvest_state": harvest_state(source, database_url)}
    seeds = read_seeds(source, database_url)
    return {"seeds": seeds} if seeds is not None else {}
