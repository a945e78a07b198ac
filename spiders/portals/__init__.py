"""Open-data portal adapters, one per portal API, used by the ``opendata`` spider.

The spider routes: it owns the portals of the source (:class:`Portal`: what every API shares:
the incremental bound, the datasets stored before the run, the datasets seen in it, the
problems met) and hands each response to the adapter of the portal's API. An adapter is a
subclass of :class:`PortalAdapter` with per-portal state of its own (``state(portal)``) and
these hooks:

``new_state()``
    the adapter's own state for one portal (paging, listings);
``start(portal)``
    the first requests for a portal whose API is known;
``replace_failed(portal, request, key)``
    requests that replace one that failed (``key``: ``timeout``, ``too_large``,
    ``request_failed``); a CKAN page too large is asked as two halves. None by default;
``failed(portal, request, key)``
    bookkeeping for a failed request that is not replaced; True when it makes the run
    incomplete (by default: its role is one of :attr:`PortalAdapter.fatal_roles`);
``idle(portal)``
    requests to make once the crawl is idle (CKAN reads a listing again after its total
    changed, and asks once more for failed pages); none by default;
``finish(portal)``
    last bookkeeping before the run is judged complete or not.

The callbacks themselves are the spider's ``parse_*`` methods, which call the adapter.
Extraction stays in the pure parsers of :mod:`spiders.parsers` (``ckan``, ``dcat``,
``dcat_us``, ``socrata``, ``opendatasoft``, ``udata``, ``arcgis``, ``opendata_fields``,
``portal_json``). Shared by the adapters: :meth:`PortalAdapter.build` (a record that cannot be
read is counted and skipped), :meth:`PortalAdapter.answer` (a JSON answer or a counted
problem), :meth:`PortalAdapter.listed_dataset` (listings read in full: a dataset once, and on
incremental runs only when changed since the bound) and :meth:`PortalAdapter.listing_complete`
(deletion marks after a complete listing). :mod:`spiders.portals.detect` tells a portal's
API when the source does not say it.

Deletions: when a complete listing no longer has datasets stored before the run,
:meth:`PortalAdapter.mark_deletions` sends the signal
:data:`crawler.extensions.signals.datasets_vanished`; the crawler's
``DeletionMarker`` extension writes the marks (spiders never touch storage).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from scrapy import Request
from scrapy.http import Response

from crawler.extensions.signals import datasets_vanished
from crawler.items import OpenDataRecord
from spiders.parsers.opendata_fields import iso_datetime
from spiders.parsers.portal_json import PortalAnswerError

if TYPE_CHECKING:
    from spiders.opendata import OpendataSpider

__all__ = [
    "APIS",
    "Portal",
    "PortalAdapter",
    "content_type",
    "parse_stamp",
]

#: The portal APIs an adapter exists for (``api`` source option).
APIS = ("ckan", "dcat", "socrata", "opendatasoft", "udata", "arcgis")


@dataclass
class Portal:
    """What the spider knows about one portal (one source URL) during a run."""

    url: str
    portal_url: str
    api: str | None = None
    api_base: str = ""
    since: datetime | None = None
    #: newest ``metadata_modified`` seen (this run or the last complete one): the portal's clock
    watermark: datetime | None = None
    #: ``{url: dataset_id}`` of the datasets stored before this run.
    stored: dict[str, str] = field(default_factory=dict)
    #: dataset id -> ``metadata_modified`` of the version emitted in this run.
    seen: dict[str, str] = field(default_factory=dict)
    #: canonical URLs of every dataset read in this run (full listings only).
    listed_urls: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)
    #: the number of datasets changed while paging (the listing may miss some)
    count_changed: bool = False
    deletions_done: bool = False
    #: languages of the records emitted so far: the portal's main one is the hint for short
    #: texts of later records when the source does not give a language
    languages: Counter[str] = field(default_factory=Counter)

    @property
    def main_language(self) -> str | None:
        ranked = self.languages.most_common(1)
        return ranked[0][0] if ranked else None

    def saw_modified(self, stamp: datetime | None) -> None:
        """Move the portal's clock forward to ``stamp``."""
        if stamp is not None and (self.watermark is None or stamp > self.watermark):
            self.watermark = stamp


S = TypeVar("S")


class PortalAdapter(Generic[S]):
    """Base of the portal adapters (see the module docstring for the hooks)."""

    name: ClassVar[str] = ""
    #: request roles whose failure makes the run incomplete
    fatal_roles: ClassVar[frozenset[str]] = frozenset()
    #: without a ``language`` option, the portal's main language so far is the hint for the
    #: short texts of later records (portals whose records rarely declare a language)
    portal_language_hint: ClassVar[bool] = False

    def __init__(self, spider: OpendataSpider) -> None:
        self.spider = spider
        self._states: dict[str, S] = {}

    def new_state(self) -> S:
        """A fresh per-portal state (each adapter has its own kind)."""
        raise NotImplementedError

    def state(self, portal: Portal) -> S:
        """This adapter's state for ``portal`` (created on first use)."""
        if portal.portal_url not in self._states:
            self._states[portal.portal_url] = self.new_state()
        return self._states[portal.portal_url]

    # --- hooks -------------------------------------------------------------------------------
    def start(self, portal: Portal) -> list[Request]:
        raise NotImplementedError

    def replace_failed(self, portal: Portal, request: Request, key: str) -> list[Request]:
        return []

    def failed(self, portal: Portal, request: Request, key: str) -> bool:
        return request.meta.get("dsi_role") in self.fatal_roles

    def idle(self, portal: Portal) -> list[Request]:
        return []

    def finish(self, portal: Portal) -> None:
        return None

    # --- shared by the adapters -----------------------------------------------------------------
    def request(self, url: str, callback: Any, portal: Portal, role: str, **meta: Any) -> Request:
        return self.spider.request(url, callback, portal, role, **meta)

    def emit(self, portal: Portal, item: OpenDataRecord) -> OpenDataRecord:
        """Count an item and remember a dataset as listed."""
        self.spider.stat(f"opendata/{item.kind}s")
        if item.warnings:
            self.spider.stat("opendata/items_with_warnings")
        if item.kind == "dataset":
            portal.listed_urls.add(item.url)
        if item.language and item.kind != "publisher":
            portal.languages[item.language] += 1
        return item

    def build(
        self,
        portal: Portal,
        what: str,
        ident: Any,
        build: Callable[..., OpenDataRecord],
        *args: Any,
    ) -> OpenDataRecord | None:
        """Build one record; a record we cannot read is counted and never stops the others."""
        spider = self.spider
        try:
            return build(
                *args,
                source=spider.source_name,
                portal_url=portal.portal_url,
                country=spider.country,
                language=spider.language
                or (portal.main_language if self.portal_language_hint else None),
            )
        except Exception as exc:
            spider.problem(
                portal,
                f"bad_{what}",
                "%s: %s %s unreadable: %s",
                portal.portal_url,
                what,
                ident,
                exc,
                fatal=False,
            )
            return None

    def listed_dataset(self, portal: Portal, item: OpenDataRecord) -> OpenDataRecord | None:
        """A dataset of a listing read in full: emitted once (a repeat is skipped); on an
        incremental run one unchanged since the bound is remembered as listed, not emitted."""
        spider = self.spider
        if item.dataset_id in portal.seen:
            spider.stat("opendata/duplicates_skipped")
            return None
        portal.seen[item.dataset_id] = item.modified or ""
        stamp = parse_stamp(item.modified)
        portal.saw_modified(stamp)
        if portal.since is not None and stamp is not None and stamp < portal.since:
            portal.listed_urls.add(item.url)
            spider.stat("opendata/unchanged_skipped")
            return None
        return self.emit(portal, item)

    def answer(
        self,
        portal: Portal,
        response: Response,
        read: Callable[..., Any],
        what: str,
        *,
        fatal: bool = True,
    ) -> Any:
        """``read(body, content_type=, status=)`` of a JSON answer, or None after logging and
        counting its problem."""
        try:
            return read(response.body, content_type=content_type(response), status=response.status)
        except PortalAnswerError as exc:
            self.spider.problem(
                portal, exc.problem, "%s at %s: %s", what, response.url, exc, fatal=fatal
            )
            return None

    async def listing_complete(self, portal: Portal) -> None:
        """The listing was read to its end: announce vanished datasets unless something went
        wrong (a problem, a total that changed while paging)."""
        if portal.stored and not portal.problems and not portal.count_changed:
            await self.mark_deletions(portal, portal.listed_urls, True)

    def count_changed(self, portal: Portal, before: int, now: int, url: str) -> None:
        portal.count_changed = True
        self.spider.logger.warning(
            "%s: the number of datasets changed while paging (%d -> %d, at %s): "
            "the listing will be read again",
            portal.portal_url,
            before,
            now,
            url,
        )
        self.spider.stat("parse/opendata/count_changed")

    async def mark_deletions(self, portal: Portal, current: set[str], complete: bool) -> None:
        """Announce the stored datasets missing from a complete listing (once per portal)."""
        if portal.deletions_done:
            return
        portal.deletions_done = True
        spider = self.spider
        if not complete:
            spider.logger.warning(
                "%s: listing incomplete: deletions not checked", portal.portal_url
            )
            spider.stat("opendata/deletions_skipped")
            return
        gone = sorted(url for url in portal.stored if url not in current)
        if not gone:
            return
        if len(gone) > max(10, len(portal.stored) // 2):
            spider.logger.warning(
                "%s: %d of %d stored datasets are missing from the listing: "
                "too many to trust, none marked deleted",
                portal.portal_url,
                len(gone),
                len(portal.stored),
            )
            spider.stat("opendata/deletions_skipped")
            return
        await spider.crawler.signals.send_catch_log_async(
            signal=datasets_vanished, spider=spider, portal_url=portal.portal_url, urls=gone
        )


def content_type(response: Response) -> str:
    value = response.headers.get("Content-Type")
    return value.decode("latin-1") if value else ""


def parse_stamp(value: str | None) -> datetime | None:
    """A full timestamp (a date alone is no clock reading)."""
    stamp = iso_datetime(value) if value else None
    if stamp is None or len(stamp) == 10:
        return None
    return datetime.fromisoformat(stamp)
