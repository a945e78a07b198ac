"""OpenDataSoft Explore API v2.1, read with :mod:`spiders.parsers.opendatasoft`.

``catalog/datasets`` ordered by ``dataset_id`` and paged with limit/offset (all pages asked
once the first gives ``total_count``; a server that answers fewer entries than asked is
paged by what it gives). A catalogue deeper than the API's 10 000-entry window is read from
``catalog/exports/json`` instead. The catalogue cannot be asked for changes only in every
portal version, so every page is read; incremental runs emit only datasets whose
``modified`` is not older than the portal's bound, and a complete listing announces vanished
datasets as deleted. Each listed dataset's reuses (``catalog/datasets/<id>/reuses``) become
showcases (on incremental runs, those submitted since the bound); a portal without reuses
(404) is no problem.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

from scrapy import Request
from scrapy.http import Response

from spiders.parsers import opendatasoft as ods
from spiders.portals import Portal, PortalAdapter, parse_stamp


@dataclass
class OdsState:
    """Paging of one OpenDataSoft catalogue."""

    pages_pending: set[int] = field(default_factory=set)
    total: int | None = None
    exported: bool = False
    reuse_ids: set[str] = field(default_factory=set)


class OpendatasoftAdapter(PortalAdapter[OdsState]):
    name = "opendatasoft"
    fatal_roles = frozenset({"ods"})
    portal_language_hint = True

    def new_state(self) -> OdsState:
        return OdsState()

    def start(self, portal: Portal) -> list[Request]:
        return [self.page_request(portal, 0)]

    def failed(self, portal: Portal, request: Request, key: str) -> bool:
        self.state(portal).pages_pending.discard(int(request.meta.get("offset", 0)))
        return super().failed(portal, request, key)

    def page_request(self, portal: Portal, offset: int, limit: int = ods.MAX_LIMIT) -> Request:
        self.state(portal).pages_pending.add(offset)
        url = ods.catalog_url(portal.portal_url, limit=limit, offset=offset)
        return self.request(url, self.spider.parse_ods, portal, "ods", offset=offset)

    def export_request(self, portal: Portal) -> Request:
        state = self.state(portal)
        state.exported = True
        state.pages_pending.add(-1)
        url = ods.export_url(portal.portal_url)
        return self.request(url, self.spider.parse_ods, portal, "ods", offset=-1)

    async def parse_ods(self, response: Response) -> AsyncIterator[Any]:
        """One catalogue page (or the export): its datasets and their reuse requests; the
        first page schedules the others."""
        spider = self.spider
        portal = spider.portal_of(response)
        state = self.state(portal)
        offset = int(response.meta.get("offset", 0))
        state.pages_pending.discard(offset)
        page = self.answer(portal, response, ods.read_page, "OpenDataSoft catalogue")
        if page is not None:
            count, entries = page
            if offset == 0:
                state.total = count
                spider.logger.info("%s: %s datasets listed", portal.portal_url, count)
                for out in self._more_pages(portal, count, len(entries)):
                    yield out
            elif offset > 0 and count is not None and count != state.total:
                self.count_changed(portal, state.total or 0, count, response.url)
            for out in self._entries(portal, entries):
                yield out
        if not state.pages_pending:
            await self.listing_complete(portal)

    def _more_pages(self, portal: Portal, count: int | None, got: int) -> Iterator[Request]:
        if count is None or got == 0 or count <= got:
            return
        if count > ods.MAX_WINDOW:
            self.spider.logger.info(
                "%s: %d datasets: reading the catalogue export", portal.portal_url, count
            )
            self.spider.stat("opendata/ods_export")
            yield self.export_request(portal)
            return
        if got < ods.MAX_LIMIT:
            self.spider.stat("parse/opendata/rows_capped")
        for offset in range(got, count, got):
            yield self.page_request(portal, offset, got)

    def _entries(self, portal: Portal, entries: list[Any]) -> Iterator[Any]:
        spider = self.spider
        for entry in entries:
            if not isinstance(entry, dict):
                spider.stat("parse/opendata/bad_result_entry")
                continue
            ident = entry.get("dataset_id") or entry.get("datasetid")
            item = self.build(portal, "dataset", ident, ods.dataset_record, entry)
            if item is None:
                continue
            listed = item.dataset_id in portal.seen
            kept = self.listed_dataset(portal, item)
            if kept is not None:
                yield kept
            if spider.want_showcases and not listed:
                req = self.request(
                    ods.reuses_url(portal.portal_url, item.dataset_id),
                    spider.parse_ods_reuses,
                    portal,
                    "reuses",
                )
                req.cb_kwargs["dataset_id"] = item.dataset_id
                yield req

    def parse_reuses(self, response: Response, dataset_id: str) -> Iterator[Any]:
        spider = self.spider
        portal = spider.portal_of(response)
        state = self.state(portal)
        if response.status == 404:  # reuses switched off on this portal
            spider.stat("opendata/no_reuses")
            return
        reuses = self.answer(portal, response, ods.read_reuses, "OpenDataSoft reuses", fatal=False)
        for reuse in reuses or []:
            if not isinstance(reuse, dict):
                spider.stat("parse/opendata/bad_result_entry")
                continue
            item = self.build(
                portal, "showcase", reuse.get("id"), ods.reuse_record, reuse, dataset_id
            )
            if item is None or item.dataset_id in state.reuse_ids:
                continue
            state.reuse_ids.add(item.dataset_id)
            created = parse_stamp(item.modified)
            if portal.since is not None and created is not None and created < portal.since:
                spider.stat("opendata/showcases_unchanged")
                continue
            yield self.emit(portal, item)
