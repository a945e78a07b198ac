"""uData API v1 (``/api/1/``), read with :mod:`spiders.parsers.udata`.

Datasets, reuses and organizations are lists paged with ``page``/``page_size`` whose
``next_page`` link is followed (on the server that answered) up to ``max_catalog_pages``.
Datasets and reuses are asked ``sort=-last_update`` (newest first): an incremental run stops
at the first dataset (or reuse) older than the portal's bound. Deletions: a full run compares
the stored datasets with its complete listing; an incremental run reads a cheap listing of
ids and pages (``X-Fields: data{id,slug,page},next_page,total``) to do the same. A total that
changes while paging is counted and the dataset listing read once more when the crawl is
idle (ids are the identity: nothing is emitted twice); a second change leaves the run
incomplete. Reuses become showcases (their ``url`` is the project's own website),
organizations publishers; the API root is the portal's host root when the source URL is a
language page (``https://www.data.gouv.fr/fr/``).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from scrapy import Request
from scrapy.http import Response

from crawler.items import OpenDataRecord
from spiders.parsers import udata
from spiders.parsers.opendata_fields import on_server
from spiders.portals import Portal, PortalAdapter, parse_stamp

LISTING_FIELDS = "data{id,slug,page},next_page,total"
_LANGUAGE_SEGMENT_RE = re.compile(r"^(.*/)[a-z]{2}/$")
#: list name -> (record kind for problems, builder)
_LISTS: dict[str, tuple[str, Callable[..., OpenDataRecord]]] = {
    "datasets": ("dataset", udata.dataset_record),
    "reuses": ("showcase", udata.reuse_record),
    "organizations": ("organization", udata.organization_record),
}


def api_portal(portal_url: str) -> str:
    """The URL the API hangs off: ``https://h/fr/`` -> ``https://h/``."""
    parts = urlsplit(portal_url)
    match = _LANGUAGE_SEGMENT_RE.match(parts.path)
    path = str(match.group(1)) if match else parts.path
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


@dataclass
class UdataState:
    """Paging of one uData portal's lists."""

    pages: dict[str, int] = field(default_factory=dict)  # list name -> pages asked
    totals: dict[str, int | None] = field(default_factory=dict)
    relisted: bool = False
    listing_urls: set[str] = field(default_factory=set)
    listing_total: int | None = None
    listing_ok: bool = True


class UdataAdapter(PortalAdapter[UdataState]):
    name = "udata"
    fatal_roles = frozenset({"datasets"})
    portal_language_hint = True

    def new_state(self) -> UdataState:
        return UdataState()

    def start(self, portal: Portal) -> list[Request]:
        spider = self.spider
        requests = [self.list_request(portal, "datasets")]
        if spider.want_showcases:
            requests.append(self.list_request(portal, "reuses"))
        if spider.want_organizations:
            requests.append(self.list_request(portal, "organizations"))
        if portal.stored and portal.since is not None:
            requests.append(self.list_request(portal, "listing"))
        return requests

    def failed(self, portal: Portal, request: Request, key: str) -> bool:
        if request.meta.get("dsi_role") == "listing":
            self.state(portal).listing_ok = False
        return super().failed(portal, request, key)

    def idle(self, portal: Portal) -> list[Request]:
        state = self.state(portal)
        if portal.count_changed and not state.relisted:
            state.relisted = True
            portal.count_changed = False
            self.spider.logger.info(
                "%s: reading the dataset listing again after a change of total",
                portal.portal_url,
            )
            self.spider.stat("opendata/relisted")
            state.totals.pop("datasets", None)
            return [self.list_request(portal, "datasets")]
        return []

    def list_request(self, portal: Portal, what: str, url: str | None = None) -> Request:
        spider = self.spider
        state = self.state(portal)
        state.pages[what] = state.pages.get(what, 0) + 1
        if url is None:
            params: dict[str, Any] = {"page": 1, "page_size": min(spider.rows, udata.MAX_PAGE_SIZE)}
            if what in ("datasets", "reuses"):
                params["sort"] = "-last_update"
            endpoint = "datasets" if what == "listing" else what
            url = udata.api_url(api_portal(portal.portal_url), endpoint, params)
        req = self.request(url, spider.parse_udata, portal, what)
        if what == "listing":
            req.headers["X-Fields"] = LISTING_FIELDS
        return req

    async def parse_list(self, response: Response) -> AsyncIterator[Any]:
        """One page of a list: its records, then the next page (or the end of the list)."""
        spider = self.spider
        portal = spider.portal_of(response)
        state = self.state(portal)
        what = str(response.meta.get("dsi_role"))
        page = self.answer(
            portal, response, udata.read_page, f"uData {what}", fatal=what == "datasets"
        )
        if page is None:
            if what == "listing":
                state.listing_ok = False
                await self.mark_deletions(portal, set(), False)
            return
        total, entries, nxt = page
        self._check_total(portal, what, total, response.url)
        more = True
        if what == "listing":
            for entry in entries:
                if isinstance(entry, dict):
                    state.listing_urls.add(udata.page_url(portal.portal_url, "datasets", entry))
        else:
            for entry in entries:
                item, older = self._record(portal, what, entry)
                if older:  # older than the bound: the rest of the list is older still
                    more = False
                    break
                if item is not None:
                    yield item
        if more and nxt:
            if state.pages.get(what, 1) >= spider.max_catalog_pages:
                spider.problem(
                    portal,
                    "too_many_pages",
                    "uData %s of %s: more than %d pages",
                    what,
                    portal.portal_url,
                    spider.max_catalog_pages,
                    fatal=what in ("datasets", "listing"),
                )
            else:
                yield self.list_request(portal, what, on_server(nxt, response.url))
                return
        await self._list_done(portal, what)

    def _check_total(self, portal: Portal, what: str, total: int | None, url: str) -> None:
        state = self.state(portal)
        if what not in state.totals:
            state.totals[what] = total
        elif total is not None and total != state.totals[what]:
            if what == "datasets":
                self.count_changed(portal, state.totals[what] or 0, total, url)
            elif what == "listing":
                state.listing_ok = False
                self.spider.stat("parse/opendata/listing_count_changed")
            state.totals[what] = total

    def _record(self, portal: Portal, what: str, entry: Any) -> tuple[OpenDataRecord | None, bool]:
        """``(item to emit or None, older)``: ``older`` at the first entry of a list sorted
        newest first that is older than the incremental bound."""
        spider = self.spider
        if not isinstance(entry, dict):
            spider.stat("parse/opendata/bad_result_entry")
            return None, False
        label, build = _LISTS[what]
        item = self.build(portal, label, entry.get("id") or entry.get("slug"), build, entry)
        if item is None:
            return None, False
        stamp = parse_stamp(item.modified)
        if what != "organizations" and portal.since and stamp and stamp < portal.since:
            spider.stat(f"opendata/udata_{what}_stopped_at_bound")
            portal.saw_modified(stamp)
            return None, True
        if what == "datasets":
            return self.listed_dataset(portal, item), False
        if what == "reuses" and not item.showcase_url:
            spider.stat("opendata/showcases_without_url")
        return self.emit(portal, item), False

    async def _list_done(self, portal: Portal, what: str) -> None:
        state = self.state(portal)
        if what == "datasets" and portal.since is None:
            await self.listing_complete(portal)
        elif what == "listing":
            complete = state.listing_ok and not portal.problems
            if complete and state.totals.get("listing") not in (None, len(state.listing_urls)):
                self.spider.logger.warning(
                    "%s: the id listing has %d datasets for a total of %s",
                    portal.portal_url,
                    len(state.listing_urls),
                    state.totals.get("listing"),
                )
                complete = False
            await self.mark_deletions(portal, state.listing_urls, complete)
