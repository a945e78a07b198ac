"""CKAN action API (``/api/3/action/...``), read with :mod:`spiders.parsers.ckan`.

``package_search`` sorted ``metadata_modified asc, id asc`` and paged with rows/start (all pages
requested once the first gives the total); a changed total in the middle of paging is counted
and the listing read once more (ids are the identity, so nothing is emitted twice). Results
that are ids only are fetched with ``package_show``. Organizations come from
``organization_list`` (``all_fields``, paged; ``organization_show`` when a portal answers names
only), showcases from ``ckanext_showcase_list`` plus ``ckanext_showcase_package_list``.
Incremental runs ask only for ``metadata_modified`` since the portal's bound; deletions are
found by comparing the stored datasets with a full id listing (``fl=id,name``), once it is
complete and consistent. A page too large is asked as two halves; failed search pages are
asked once more when the crawl is idle.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from scrapy import Request
from scrapy.http import Response

from crawler.items import OpenDataRecord
from spiders.parsers import ckan
from spiders.portals import Portal, PortalAdapter, content_type, parse_stamp

#: Rows per ``package_search`` page: CKAN's default ``ckan.search.rows_max`` is 1000.
MAX_ROWS = 1000
MIN_SPLIT_ROWS = 10
LISTING_ROWS = 1000
ORG_PAGE = 25  # CKAN's default ckan.group_and_organization_list_all_fields_max
SORT = "metadata_modified asc,id asc"


def read(response: Response) -> Any:
    """The ``result`` of a CKAN answer; :class:`~spiders.parsers.ckan.CkanError` if none."""
    return ckan.read_result(
        response.body, content_type=content_type(response), status=response.status
    )


@dataclass
class CkanState:
    """Paging and listing state of one CKAN portal."""

    count: int | None = None
    search_pass: int = 0
    #: ``(start, rows) -> problem`` of search pages that failed (asked once more at the end)
    failed_pages: dict[tuple[int, int], str] = field(default_factory=dict)
    second_chance: bool = False
    # deletion listing (fl=id,name)
    listing_count: int | None = None
    listing_pending: set[int] = field(default_factory=set)
    listing_urls: set[str] = field(default_factory=set)
    listing_ids: set[str] = field(default_factory=set)
    listing_ok: bool = True
    org_ids: set[str] = field(default_factory=set)


class CkanAdapter(PortalAdapter[CkanState]):
    name = "ckan"
    fatal_roles = frozenset({"search", "package"})

    def new_state(self) -> CkanState:
        return CkanState()

    # --- hooks -------------------------------------------------------------------------------
    def start(self, portal: Portal) -> list[Request]:
        spider = self.spider
        requests = [self.search_request(portal, 0, spider.rows)]
        if spider.want_organizations:
            requests.append(self.org_request(portal, 0))
        if spider.want_showcases:
            requests.append(
                self.request(
                    ckan.action_url(portal.api_base, "ckanext_showcase_list"),
                    spider.parse_showcases,
                    portal,
                    "showcases",
                )
            )
        if portal.stored:
            # deletions need the full id list: a cheap ``fl=id,name`` listing
            requests.append(self.listing_request(portal, 0))
        return requests

    def replace_failed(self, portal: Portal, request: Request, key: str) -> list[Request]:
        rows = int(request.meta.get("rows", 0))
        if key != "too_large" or request.meta.get("dsi_role") != "search" or rows <= MIN_SPLIT_ROWS:
            return []
        start = int(request.meta["start"])
        half = rows // 2
        self.spider.logger.warning(
            "%s: package_search page too large (%s rows): asking for two pages of %d",
            portal.portal_url,
            rows,
            half,
        )
        self.spider.stat("parse/opendata/too_large_split")
        requests = []
        for sub_start, sub_rows in ((start, half), (start + half, rows - half)):
            req = self.search_request(portal, sub_start, sub_rows)
            req.meta["split"] = True
            requests.append(req)
        return requests

    def failed(self, portal: Portal, request: Request, key: str) -> bool:
        role = request.meta.get("dsi_role")
        state = self.state(portal)
        if role == "search":  # asked once more when the crawl is idle
            state.failed_pages[(int(request.meta["start"]), int(request.meta["rows"]))] = key
            return False
        if role == "listing":
            state.listing_ok = False
            state.listing_pending.discard(int(request.meta.get("start", 0)))
        return super().failed(portal, request, key)

    def idle(self, portal: Portal) -> list[Request]:
        """Read the listing again after its total changed; then ask once more for failed
        pages."""
        state = self.state(portal)
        spider = self.spider
        if portal.count_changed and state.search_pass == 0:
            state.search_pass = 1
            portal.count_changed = False
            spider.logger.info(
                "%s: reading the listing again after a change of total", portal.portal_url
            )
            spider.stat("opendata/relisted")
            return [self.search_request(portal, 0, spider.rows)]
        if state.failed_pages and not state.second_chance:
            state.second_chance = True
            spider.logger.info(
                "%s: asking once more for %d failed package_search pages",
                portal.portal_url,
                len(state.failed_pages),
            )
            spider.stat("opendata/second_chance", len(state.failed_pages))
            requests = []
            for start, rows in sorted(state.failed_pages):
                req = self.search_request(portal, start, rows)
                if start:  # a later page: do not schedule the rest again
                    req.meta["split"] = True
                requests.append(req)
            return requests
        return []

    def finish(self, portal: Portal) -> None:
        portal.problems.extend(self.state(portal).failed_pages.values())

    # --- datasets ------------------------------------------------------------------------------
    def search_request(self, portal: Portal, start: int, rows: int) -> Request:
        params: dict[str, Any] = {"q": "*:*", "sort": SORT, "rows": rows, "start": start}
        if portal.since is not None:
            params["fq"] = ckan.modified_since_query(portal.since)
        url = ckan.action_url(portal.api_base, "package_search", params)
        return self.request(
            url,
            self.spider.parse_search,
            portal,
            "search",
            start=start,
            rows=rows,
            search_pass=self.state(portal).search_pass,
        )

    def result(self, portal: Portal, response: Response, what: str, fatal: bool = True) -> Any:
        """The CKAN result, or None after logging and counting the problem."""
        try:
            return read(response)
        except ckan.CkanError as exc:
            self.spider.problem(
                portal, exc.problem, "CKAN %s at %s: %s", what, response.url, exc, fatal=fatal
            )
            return None

    def parse_search(self, response: Response) -> Iterator[Any]:
        """One ``package_search`` page: its datasets, and (first page) the remaining pages."""
        spider = self.spider
        portal = spider.portal_of(response)
        state = self.state(portal)
        start = int(response.meta.get("start", 0))
        rows = int(response.meta.get("rows", spider.rows))
        try:
            result = read(response)
        except ckan.CkanError as exc:
            # counted and logged now; fatal only if asking once more at the end fails too
            spider.problem(
                portal, exc.problem, "CKAN package_search at %s: %s", response.url, exc, fatal=False
            )
            state.failed_pages[(start, rows)] = exc.problem
            return
        state.failed_pages.pop((start, rows), None)
        try:
            count, results = ckan.search_page(result)
        except ckan.CkanError as exc:
            spider.problem(portal, exc.problem, "CKAN package_search at %s: %s", response.url, exc)
            return
        if start == 0 and not response.meta.get("split"):
            state.count = count
            spider.logger.info(
                "%s: package_search reports %s datasets%s (pass %d)",
                portal.portal_url,
                count,
                " changed since the last run" if portal.since else "",
                state.search_pass + 1,
            )
            yield from self._more_pages(portal, count, len(results), rows)
        elif count is not None and state.count is not None and count != state.count:
            self.count_changed(portal, state.count, count, response.url)
        if not results and count is not None and start < count:
            self.count_changed(portal, count, start, response.url)
        for entry in results:
            yield from self._search_entry(portal, entry)

    def _more_pages(
        self, portal: Portal, count: int | None, got: int, rows: int
    ) -> Iterator[Request]:
        if count is None or got == 0:
            return
        step = rows
        if got < rows and count > got:
            self.spider.logger.warning(
                "%s: the portal caps package_search at %d rows", portal.portal_url, got
            )
            self.spider.stat("parse/opendata/rows_capped")
            step = got
        for start in range(got, count, step):
            yield self.search_request(portal, start, step)

    def _package_request(self, portal: Portal, ident: Any) -> Request:
        return self.request(
            ckan.action_url(portal.api_base, "package_show", {"id": ident}),
            self.spider.parse_package,
            portal,
            "package",
        )

    def _search_entry(self, portal: Portal, entry: Any) -> Iterator[Any]:
        if isinstance(entry, str):  # an id or name only: fetch the dataset
            yield self._package_request(portal, entry)
            return
        if not isinstance(entry, dict):
            self.spider.stat("parse/opendata/bad_result_entry")
            self.spider.logger.warning(
                "%s: package_search entry ignored: %r", portal.portal_url, str(entry)[:100]
            )
            return
        if not ckan.is_dataset(entry):
            self.spider.stat("opendata/skipped_type")
            return
        if not entry.get("title") and not entry.get("resources") and entry.get("id"):
            yield self._package_request(portal, entry["id"])
            return
        item = self._dataset(portal, entry)
        if item is not None:
            yield item

    def _dataset(self, portal: Portal, pkg: dict[str, Any]) -> OpenDataRecord | None:
        ident = str(pkg.get("id") or pkg.get("name") or "")
        modified = str(pkg.get("metadata_modified") or "")
        previous = portal.seen.get(ident)
        if previous is not None and previous >= modified:
            self.spider.stat("opendata/duplicates_skipped")
            return None
        if previous is not None:
            self.spider.stat("opendata/updated_during_crawl")
        item = self.build(portal, "dataset", ident, ckan.dataset_record, pkg)
        if item is None:
            return None
        portal.seen[ident] = modified
        portal.saw_modified(parse_stamp(item.modified))
        return self.emit(portal, item)

    def parse_package(self, response: Response) -> Iterator[Any]:
        portal = self.spider.portal_of(response)
        result = self.result(portal, response, "package_show")
        if isinstance(result, dict):
            item = self._dataset(portal, result)
            if item is not None:
                yield item
        elif result is not None:
            self.spider.problem(
                portal, "bad_shape", "CKAN package_show at %s: not a dataset", response.url
            )

    # --- organizations -------------------------------------------------------------------------
    def org_request(self, portal: Portal, offset: int) -> Request:
        url = ckan.action_url(
            portal.api_base,
            "organization_list",
            {"all_fields": "true", "limit": ORG_PAGE, "offset": offset},
        )
        return self.request(
            url, self.spider.parse_organizations, portal, "organizations", offset=offset
        )

    def _not_a_list(self, portal: Portal, response: Response, what: str) -> None:
        self.spider.problem(
            portal, "bad_shape", "CKAN %s at %s: not a list", what, response.url, fatal=False
        )

    def parse_organizations(self, response: Response) -> Iterator[Any]:
        portal = self.spider.portal_of(response)
        state = self.state(portal)
        result = self.result(portal, response, "organization_list", fatal=False)
        if not isinstance(result, list):
            if result is not None:
                self._not_a_list(portal, response, "organization_list")
            return
        new = 0
        for org in result:
            if isinstance(org, str):
                if org not in state.org_ids:
                    state.org_ids.add(org)
                    new += 1
                    yield self.request(
                        ckan.action_url(
                            portal.api_base,
                            "organization_show",
                            {"id": org, "include_datasets": "false"},
                        ),
                        self.spider.parse_organization,
                        portal,
                        "organization",
                    )
            elif isinstance(org, dict):
                ident = str(org.get("id") or org.get("name") or "")
                if ident and ident not in state.org_ids:
                    state.org_ids.add(ident)
                    new += 1
                    yield from self._publisher(portal, org)
        if new:  # older CKANs ignore limit/offset: a page with nothing new ends the paging
            offset = int(response.meta.get("offset", 0)) + len(result)
            yield self.org_request(portal, offset)

    def parse_organization(self, response: Response) -> Iterator[Any]:
        portal = self.spider.portal_of(response)
        result = self.result(portal, response, "organization_show", fatal=False)
        if isinstance(result, dict):
            yield from self._publisher(portal, result)

    def _publisher(self, portal: Portal, org: dict[str, Any]) -> Iterator[OpenDataRecord]:
        item = self.build(portal, "organization", org.get("name"), ckan.publisher_record, org)
        if item is not None:
            yield self.emit(portal, item)

    # --- showcases -----------------------------------------------------------------------------
    def parse_showcases(self, response: Response) -> Iterator[Any]:
        spider = self.spider
        portal = spider.portal_of(response)
        try:
            result = read(response)
        except ckan.CkanError as exc:
            spider.logger.info(
                "%s: no showcases (ckanext-showcase absent?): %s", portal.portal_url, exc
            )
            spider.stat("opendata/no_showcases")
            return
        if not isinstance(result, list):
            self._not_a_list(portal, response, "ckanext_showcase_list")
            return
        for showcase in result:
            if not isinstance(showcase, dict) or not showcase.get("id"):
                spider.stat("parse/opendata/bad_result_entry")
                continue
            if portal.since is not None and not _changed_since(showcase, portal.since):
                spider.stat("opendata/showcases_unchanged")
                continue
            url = ckan.action_url(
                portal.api_base, "ckanext_showcase_package_list", {"showcase_id": showcase["id"]}
            )
            req = self.request(url, spider.parse_showcase_packages, portal, "showcase")
            req.cb_kwargs["showcase"] = showcase
            yield req

    def parse_showcase_packages(
        self, response: Response, showcase: dict[str, Any]
    ) -> Iterator[Any]:
        portal = self.spider.portal_of(response)
        result = self.result(portal, response, "ckanext_showcase_package_list", fatal=False)
        linked = [entry["id"] for entry in ckan.listed_ids(result)]
        item = self.build(
            portal, "showcase", showcase.get("id"), ckan.showcase_record, showcase, linked
        )
        if item is None:
            return
        if result is None:
            item.warnings.append("the linked datasets could not be read")
        yield self.emit(portal, item)

    # --- deletion listing ----------------------------------------------------------------------
    def listing_request(self, portal: Portal, start: int) -> Request:
        url = ckan.action_url(
            portal.api_base,
            "package_search",
            {"q": "*:*", "fl": "id,name", "sort": "id asc", "rows": LISTING_ROWS, "start": start},
        )
        self.state(portal).listing_pending.add(start)
        return self.request(url, self.spider.parse_listing, portal, "listing", start=start)

    async def parse_listing(self, response: Response) -> AsyncIterator[Any]:
        """A page of the full id listing; the last one triggers the deletion marks."""
        portal = self.spider.portal_of(response)
        state = self.state(portal)
        start = int(response.meta.get("start", 0))
        state.listing_pending.discard(start)
        result = self.result(portal, response, "package_search (id listing)", fatal=False)
        try:
            count, _ = ckan.search_page(result) if result is not None else (None, [])
        except ckan.CkanError:
            count = None
        if result is None or count is None:
            state.listing_ok = False
        else:
            if start == 0:
                state.listing_count = count
                got = len(ckan.listed_ids(result))
                for more in range(got, count, got or 1) if got else ():
                    yield self.listing_request(portal, more)
            elif count != state.listing_count:
                state.listing_ok = False
                self.spider.stat("parse/opendata/listing_count_changed")
            for entry in ckan.listed_ids(result):
                if entry["id"] in state.listing_ids:
                    continue
                state.listing_ids.add(entry["id"])
                state.listing_urls.add(ckan.page_url(portal.portal_url, "dataset", entry))
        if not state.listing_pending:
            if state.listing_ok and len(state.listing_ids) != state.listing_count:
                self.spider.logger.warning(
                    "%s: id listing has %d ids for a count of %s",
                    portal.portal_url,
                    len(state.listing_ids),
                    state.listing_count,
                )
                state.listing_ok = False
            await self.mark_deletions(portal, state.listing_urls, state.listing_ok)


def _changed_since(record: dict[str, Any], since: datetime) -> bool:
    """A record without a full ``metadata_modified`` counts as changed."""
    stamp = parse_stamp(record.get("metadata_modified"))
    return stamp is None or stamp >= since
