"""The ``opendata`` spider: datasets, showcases (reuses) and publishers of open-data portals.

One source URL is one portal. Its API is the source option ``api = "ckan" | "dcat" |
"socrata"``, or detected: the URL's shape, then CKAN's ``status_show``, then the page itself
(RDF, Socrata JSON, an HTML page linking a DCAT catalogue), then Socrata's discovery API.

CKAN (``spiders.parsers.ckan``):
  ``package_search`` sorted ``metadata_modified asc, id asc`` and paged with rows/start (all pages
  requested once the first gives the total); a changed total in the middle of paging is counted
  and the listing read once more (ids are the identity, so nothing is emitted twice). Results
  that are ids only are fetched with ``package_show``. Organizations come from
  ``organization_list`` (``all_fields``, paged; ``organization_show`` when a portal answers
  names only), showcases from ``ckanext_showcase_list`` plus ``ckanext_showcase_package_list``.
  Incremental: when the source had a complete successful run, only ``metadata_modified`` since
  its start or the newest ``metadata_modified`` it saw, whichever is earlier (portal clocks
  lag), minus ``since_margin`` seconds (default 600), is asked for, and deletions are found
  by comparing the stored datasets with a full id listing (``fl=id,name``); those missing are
  marked deleted in the database (in a thread) once the listing is complete and consistent.
DCAT (``spiders.parsers.dcat``): the catalogue in any RDF syntax, recognised by its content
  whatever the extension or content type; an HTML home page is followed to the catalogue it
  links to. Hydra pages (``hydra:next``, ``hydra:nextPage``) are followed on the server that
  answered, even when the catalogue names itself by another host; a dataset repeated on a
  later page (same id or URL) is emitted once. Large documents are parsed in a thread.
Socrata (``spiders.parsers.socrata``): the discovery API, paged with limit/offset; a portal
  home URL asks for ``domains=<host>`` and, when that answer is empty (a portal on a bare
  address), once more without the filter. The discovery API cannot filter by date, so every
  page is read; incremental runs emit only datasets whose ``updatedAt`` (or data/metadata
  update) is not older than the bound above, and a complete listing marks vanished datasets
  deleted.

Bad answers (``success: false``, HTML instead of JSON, invalid RDF, timeouts, responses over
``DOWNLOAD_MAXSIZE``) are logged, counted as ``dsi/parse/opendata/<problem>`` and make the run
end with the reason ``incomplete`` (run status ``failed``), so the next incremental run starts
from the last complete one. Options: ``api``, ``country``, ``language``, ``rows`` (1-1000,
default 100), ``incremental`` (default true), ``since_margin``, ``showcases``,
``organizations`` (default true), ``max_catalog_pages`` (DCAT, default 1000).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread
from twisted.python.failure import Failure

from crawler.items import OpenDataRecord
from crawler.sources import OptionSpec
from spiders.base import DSISpider
from spiders.parsers import ckan, dcat, socrata
from spiders.parsers.opendata_fields import country_of, iso_datetime, language_code
from storage.opendata import (
    COMPLETE_STAT,
    WATERMARKS_STAT,
    last_complete_run,
    mark_deleted,
    stored_dataset_urls,
)
from storage.session import StorageUnavailable, session_scope

APIS = ("ckan", "dcat", "socrata")
#: Rows per ``package_search`` page: CKAN's default ``ckan.search.rows_max`` is 1000.
MAX_ROWS = 1000
MIN_SPLIT_ROWS = 10
LISTING_ROWS = 1000
ORG_PAGE = 25  # CKAN's default ckan.group_and_organization_list_all_fields_max
SOCRATA_LIMIT = 100
#: DCAT documents larger than this are parsed in a thread, off the reactor.
THREAD_PARSE_BYTES = 256 * 1024
SORT = "metadata_modified asc,id asc"


@dataclass
class _Portal:
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
    # CKAN search paging
    count: int | None = None
    count_changed: bool = False
    search_pass: int = 0
    search_done: bool = False
    # CKAN deletion listing (fl=id,name)
    listing_count: int | None = None
    listing_pending: set[int] = field(default_factory=set)
    listing_urls: set[str] = field(default_factory=set)
    listing_ids: set[str] = field(default_factory=set)
    listing_ok: bool = True
    org_ids: set[str] = field(default_factory=set)
    publisher_keys: set[str] = field(default_factory=set)
    # DCAT / Socrata
    visited: set[str] = field(default_factory=set)
    dcat_memory: dcat.CatalogMemory = field(default_factory=dcat.CatalogMemory)
    pages_pending: set[int] = field(default_factory=set)
    total: int | None = None
    deletions_done: bool = False
    #: Socrata: ask with ``domains=<host>`` (dropped after an empty answer)
    socrata_domains: bool = True
    #: ``(start, rows) -> problem`` of search pages that failed (asked once more at the end)
    failed_pages: dict[tuple[int, int], str] = field(default_factory=dict)
    second_chance: bool = False


class OpendataSpider(DSISpider):
    name = "opendata"
    source_options: ClassVar[dict[str, OptionSpec]] = {
        "api": OptionSpec((str,), APIS, "portal kind; detected when absent"),
        "country": OptionSpec((str,), None, "ISO country of the portal's datasets"),
        "language": OptionSpec((str,), None, "default language of the portal"),
        "rows": OptionSpec((int,), None, "CKAN page size (1-1000)"),
        "incremental": OptionSpec((bool,), None, "only what changed since the last run"),
        "since_margin": OptionSpec((int, float), None, "seconds of overlap for incremental runs"),
        "showcases": OptionSpec((bool,), None, "harvest CKAN showcases"),
        "organizations": OptionSpec((bool,), None, "harvest publishers"),
        "max_catalog_pages": OptionSpec((int,), None, "DCAT/Socrata page cap"),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        opts = self.dsi_source
        api = opts.option("api")
        self.api_option: str | None = str(api).lower() if api else None
        if self.api_option and self.api_option not in APIS:
            raise ValueError(
                f"source {opts.name!r}: api must be one of {', '.join(APIS)} (got {api!r})"
            )
        country = opts.option("country")
        self.country: str | None = country_of(country) if country else None
        if country and not self.country:
            self.logger.warning("source option country=%r is not a country; ignored", country)
        language = opts.option("language")
        self.language: str | None = language_code(language) if language else None
        self.rows = min(max(int(opts.option("rows", 100)), 1), MAX_ROWS)
        self.incremental = bool(opts.option("incremental", True))
        self.since_margin = timedelta(seconds=float(opts.option("since_margin", 600)))
        self.want_showcases = bool(opts.option("showcases", True))
        self.want_organizations = bool(opts.option("organizations", True))
        self.max_catalog_pages = int(opts.option("max_catalog_pages", 1000))
        self.portals: dict[str, _Portal] = {}
        for url in self.start_urls:
            portal = _Portal(url=url, portal_url=ckan.portal_root(url), api=self.api_option)
            portal.api_base = ckan.api_base(url)
            self.portals.setdefault(portal.portal_url, portal)
        self._finalised = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> OpendataSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider  # type: ignore[no-any-return]

    # --- helpers -------------------------------------------------------------------------------
    def problem(
        self, portal: _Portal | None, key: str, message: str, *args: Any, fatal: bool = True
    ) -> None:
        """Log a problem, count ``dsi/parse/opendata/<key>``; ``fatal`` ones make the run
        incomplete."""
        if fatal:
            self.logger.error(message, *args)
        else:
            self.logger.warning(message, *args)
        self.stat(f"parse/opendata/{key}")
        if fatal and portal is not None:
            portal.problems.append(key)

    def _portal(self, response: Response) -> _Portal:
        key = response.meta.get("dsi_portal") or ckan.portal_root(response.url)
        portal = self.portals.get(key)
        if portal is None:  # a response for a portal not among the start URLs (tests)
            portal = _Portal(url=response.url, portal_url=key, api=self.api_option)
            portal.api_base = ckan.api_base(response.url)
            self.portals[key] = portal
        return portal

    def _request(self, url: str, callback: Any, portal: _Portal, role: str, **meta: Any) -> Request:
        return Request(
            url,
            callback=callback,
            errback=self.on_error,
            dont_filter=True,
            meta={
                "dsi_portal": portal.portal_url,
                "dsi_role": role,
                "handle_httpstatus_all": True,
                **meta,
            },
        )

    def _database_url(self) -> str | None:
        crawler = getattr(self, "crawler", None)
        if crawler is None:
            return None
        value = crawler.settings.get("DSI_DATABASE_URL")
        return str(value) if value else None

    def _emit(self, portal: _Portal, item: OpenDataRecord) -> OpenDataRecord:
        self.stat(f"opendata/{item.kind}s")
        if item.warnings:
            self.stat("opendata/items_with_warnings")
        if item.kind == "dataset":
            portal.listed_urls.add(item.url)
        return item

    # --- start ---------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        url = self._database_url()
        if url:
            await maybe_deferred_to_future(deferToThread(self._load_state, url))
        for req in self.start_requests_for_source():
            yield req

    def _load_state(self, database_url: str) -> None:
        """Read the last complete run and the stored datasets (runs in a thread)."""
        try:
            with session_scope(database_url) as session:
                last = last_complete_run(session, self.dsi_source.name)
                for portal in self.portals.values():
                    portal.stored = stored_dataset_urls(
                        session, self.dsi_source.name, portal.portal_url
                    )
                    if last is None:
                        continue
                    portal.watermark = _parse_stamp(last.watermarks.get(portal.portal_url))
                    if self.incremental:
                        # the portal's clock may lag ours: take the earlier bound
                        bound = min(last.started_at, portal.watermark or last.started_at)
                        portal.since = bound - self.since_margin
        except Exception as exc:  # an unreachable or unmigrated database means a full run
            self.logger.warning("cannot read the previous runs (%s): full run", exc)
            return
        for portal in self.portals.values():
            self.logger.info(
                "%s: %d datasets stored; %s",
                portal.portal_url,
                len(portal.stored),
                f"changes since {portal.since.isoformat()}" if portal.since else "full run",
            )

    def start_requests_for_source(self) -> list[Request]:
        requests: list[Request] = []
        for portal in self.portals.values():
            requests.extend(self._start_portal(portal))
        return requests

    def _start_portal(self, portal: _Portal) -> list[Request]:
        api = portal.api or self._api_from_url(portal.url)
        if api is not None:
            portal.api = api
        if portal.api == "ckan":
            return self._start_ckan(portal)
        if portal.api == "dcat":
            return [self._request(portal.url, self.parse_dcat, portal, "dcat")]
        if portal.api == "socrata":
            return [self._socrata_request(portal, 0)]
        self.logger.info("%s: no api option, probing for CKAN", portal.url)
        return [
            self._request(
                ckan.action_url(portal.api_base, "status_show"),
                self.parse_probe_ckan,
                portal,
                "probe",
            )
        ]

    @staticmethod
    def _api_from_url(url: str) -> str | None:
        path = url.split("?", 1)[0].lower()
        if "/api/3/action" in path or "/api/action" in path:
            return "ckan"
        if "/api/catalog/v1" in path or socrata.VIEWS_METADATA_PATH in path:
            return "socrata"
        if path.endswith((".ttl", ".rdf", ".jsonld", ".n3", ".nt", ".owl")):
            return "dcat"
        query = url.split("?", 1)[1].lower() if "?" in url else ""
        if re.search(r"(?:^|&)format=(?:ttl|turtle|rdf|xml|jsonld|json-ld|n3|nt)(?:&|$)", query):
            return "dcat"
        return None

    # --- detection -----------------------------------------------------------------------------
    def parse_probe_ckan(self, response: Response) -> Iterator[Request]:
        portal = self._portal(response)
        try:
            result = ckan.read_result(
                response.body, content_type=_ctype(response), status=response.status
            )
        except ckan.CkanError as exc:
            self.logger.info("%s: not CKAN (%s); looking at the page itself", portal.url, exc)
            yield self._request(portal.url, self.parse_probe_page, portal, "probe")
            return
        version = result.get("ckan_version") if isinstance(result, dict) else None
        self.logger.info("%s: CKAN %s detected", portal.url, version or "(version unknown)")
        self.stat("opendata/detected/ckan")
        portal.api = "ckan"
        yield from self._start_ckan(portal)

    async def parse_probe_page(self, response: Response) -> AsyncIterator[Any]:
        portal = self._portal(response)
        ctype = _ctype(response)
        body = response.body
        if response.status < 400 and dcat.looks_like_rdf(
            body, url=response.url, content_type=ctype
        ):
            self._detected(portal, "dcat")
            async for out in self.parse_dcat(response):
                yield out
            return
        if response.status < 400 and b"resultSetSize" in body[:200000]:
            try:
                socrata.read_page(body, content_type=ctype, status=response.status)
            except socrata.SocrataError:
                pass
            else:
                self._detected(portal, "socrata")
                yield self._socrata_request(portal, 0)
                return
        if response.status < 400 and ("html" in ctype or body.lstrip()[:1] == b"<"):
            links = dcat.catalogue_links(body[:500000].decode("utf-8", "replace"), response.url)
            if links:
                self._detected(portal, "dcat")
                portal.url = links[0]
                yield self._request(portal.url, self.parse_dcat, portal, "dcat")
                return
        yield self._request(
            socrata.catalog_url(self._socrata_base(portal), limit=1, offset=0),
            self.parse_probe_socrata,
            portal,
            "probe",
        )

    def parse_probe_socrata(self, response: Response) -> Iterator[Request]:
        portal = self._portal(response)
        try:
            socrata.read_page(response.body, content_type=_ctype(response), status=response.status)
        except socrata.SocrataError:
            self.problem(
                portal,
                "api_undetected",
                "%s: cannot tell the portal's API (not CKAN, DCAT or Socrata); set the "
                'source option api = "ckan" | "dcat" | "socrata"',
                portal.url,
            )
            return
        self._detected(portal, "socrata")
        yield self._socrata_request(portal, 0)

    def _detected(self, portal: _Portal, api: str) -> None:
        self.logger.info("%s: %s detected", portal.url, api)
        self.stat(f"opendata/detected/{api}")
        portal.api = api

    # --- CKAN ----------------------------------------------------------------------------------
    def _search_request(self, portal: _Portal, start: int, rows: int) -> Request:
        params: dict[str, Any] = {"q": "*:*", "sort": SORT, "rows": rows, "start": start}
        if portal.since is not None:
            params["fq"] = ckan.modified_since_query(portal.since)
        url = ckan.action_url(portal.api_base, "package_search", params)
        return self._request(
            url,
            self.parse_search,
            portal,
            "search",
            start=start,
            rows=rows,
            search_pass=portal.search_pass,
        )

    def _start_ckan(self, portal: _Portal) -> list[Request]:
        requests = [self._search_request(portal, 0, self.rows)]
        if self.want_organizations:
            requests.append(self._org_request(portal, 0))
        if self.want_showcases:
            requests.append(
                self._request(
                    ckan.action_url(portal.api_base, "ckanext_showcase_list"),
                    self.parse_showcases,
                    portal,
                    "showcases",
                )
            )
        if portal.stored:
            # deletions need the full id list: a cheap ``fl=id,name`` listing
            requests.append(self._listing_request(portal, 0))
        return requests

    def _ckan_result(
        self, portal: _Portal, response: Response, what: str, fatal: bool = True
    ) -> Any:
        """The CKAN result, or None after logging and counting the problem."""
        try:
            return ckan.read_result(
                response.body, content_type=_ctype(response), status=response.status
            )
        except ckan.CkanError as exc:
            self.problem(
                portal, exc.problem, "CKAN %s at %s: %s", what, response.url, exc, fatal=fatal
            )
            return None

    def parse_search(self, response: Response) -> Iterator[Any]:
        """One ``package_search`` page: its datasets, and (first page) the remaining pages."""
        portal = self._portal(response)
        start = int(response.meta.get("start", 0))
        rows = int(response.meta.get("rows", self.rows))
        try:
            result = ckan.read_result(
                response.body, content_type=_ctype(response), status=response.status
            )
        except ckan.CkanError as exc:
            # counted and logged now; fatal only if asking once more at the end fails too
            self.problem(
                portal, exc.problem, "CKAN package_search at %s: %s", response.url, exc, fatal=False
            )
            portal.failed_pages[(start, rows)] = exc.problem
            return
        portal.failed_pages.pop((start, rows), None)
        try:
            count, results = ckan.search_page(result)
        except ckan.CkanError as exc:
            self.problem(portal, exc.problem, "CKAN package_search at %s: %s", response.url, exc)
            return
        if start == 0 and not response.meta.get("split"):
            portal.count = count
            self.logger.info(
                "%s: package_search reports %s datasets%s (pass %d)",
                portal.portal_url,
                count,
                " changed since the last run" if portal.since else "",
                portal.search_pass + 1,
            )
            yield from self._more_pages(portal, count, len(results), rows)
        elif count is not None and portal.count is not None and count != portal.count:
            self._count_changed(portal, portal.count, count, response.url)
        if not results and count is not None and start < count:
            self._count_changed(portal, count, start, response.url)
        for entry in results:
            yield from self._search_entry(portal, entry)

    def _more_pages(
        self, portal: _Portal, count: int | None, got: int, rows: int
    ) -> Iterator[Request]:
        if count is None or got == 0:
            return
        step = rows
        if got < rows and count > got:
            self.logger.warning(
                "%s: the portal caps package_search at %d rows", portal.portal_url, got
            )
            self.stat("parse/opendata/rows_capped")
            step = got
        for start in range(got, count, step):
            yield self._search_request(portal, start, step)

    def _count_changed(self, portal: _Portal, before: int, now: int, url: str) -> None:
        portal.count_changed = True
        self.logger.warning(
            "%s: the number of datasets changed while paging (%d -> %d, at %s): "
            "the listing will be read again",
            portal.portal_url,
            before,
            now,
            url,
        )
        self.stat("parse/opendata/count_changed")

    def _search_entry(self, portal: _Portal, entry: Any) -> Iterator[Any]:
        if isinstance(entry, str):  # an id or name only: fetch the dataset
            yield self._request(
                ckan.action_url(portal.api_base, "package_show", {"id": entry}),
                self.parse_package,
                portal,
                "package",
            )
            return
        if not isinstance(entry, dict):
            self.stat("parse/opendata/bad_result_entry")
            self.logger.warning(
                "%s: package_search entry ignored: %r", portal.portal_url, str(entry)[:100]
            )
            return
        if not ckan.is_dataset(entry):
            self.stat("opendata/skipped_type")
            return
        if not entry.get("title") and not entry.get("resources") and entry.get("id"):
            yield self._request(
                ckan.action_url(portal.api_base, "package_show", {"id": entry["id"]}),
                self.parse_package,
                portal,
                "package",
            )
            return
        item = self._dataset(portal, entry)
        if item is not None:
            yield item

    def _dataset(self, portal: _Portal, pkg: dict[str, Any]) -> OpenDataRecord | None:
        ident = str(pkg.get("id") or pkg.get("name") or "")
        modified = str(pkg.get("metadata_modified") or "")
        previous = portal.seen.get(ident)
        if previous is not None and previous >= modified:
            self.stat("opendata/duplicates_skipped")
            return None
        if previous is not None:
            self.stat("opendata/updated_during_crawl")
        item = self._build(portal, "dataset", ident, ckan.dataset_record, pkg)
        if item is None:
            return None
        portal.seen[ident] = modified
        stamp = _parse_stamp(item.modified)
        if stamp is not None and (portal.watermark is None or stamp > portal.watermark):
            portal.watermark = stamp
        return self._emit(portal, item)

    def parse_package(self, response: Response) -> Iterator[Any]:
        portal = self._portal(response)
        result = self._ckan_result(portal, response, "package_show")
        if isinstance(result, dict):
            item = self._dataset(portal, result)
            if item is not None:
                yield item
        elif result is not None:
            self.problem(
                portal, "bad_shape", "CKAN package_show at %s: not a dataset", response.url
            )

    # organizations
    def _org_request(self, portal: _Portal, offset: int) -> Request:
        url = ckan.action_url(
            portal.api_base,
            "organization_list",
            {"all_fields": "true", "limit": ORG_PAGE, "offset": offset},
        )
        return self._request(url, self.parse_organizations, portal, "organizations", offset=offset)

    def parse_organizations(self, response: Response) -> Iterator[Any]:
        portal = self._portal(response)
        result = self._ckan_result(portal, response, "organization_list", fatal=False)
        if not isinstance(result, list):
            if result is not None:
                self.problem(
                    portal,
                    "bad_shape",
                    "CKAN organization_list at %s: not a list",
                    response.url,
                    fatal=False,
                )
            return
        new = 0
        for org in result:
            if isinstance(org, str):
                if org not in portal.org_ids:
                    portal.org_ids.add(org)
                    new += 1
                    yield self._request(
                        ckan.action_url(
                            portal.api_base,
                            "organization_show",
                            {"id": org, "include_datasets": "false"},
                        ),
                        self.parse_organization,
                        portal,
                        "organization",
                    )
            elif isinstance(org, dict):
                ident = str(org.get("id") or org.get("name") or "")
                if ident and ident not in portal.org_ids:
                    portal.org_ids.add(ident)
                    new += 1
                    yield from self._publisher(portal, org)
        if new:  # older CKANs ignore limit/offset: a page with nothing new ends the paging
            offset = int(response.meta.get("offset", 0)) + len(result)
            yield self._org_request(portal, offset)

    def parse_organization(self, response: Response) -> Iterator[Any]:
        portal = self._portal(response)
        result = self._ckan_result(portal, response, "organization_show", fatal=False)
        if isinstance(result, dict):
            yield from self._publisher(portal, result)

    def _publisher(self, portal: _Portal, org: dict[str, Any]) -> Iterator[OpenDataRecord]:
        item = self._build(portal, "organization", org.get("name"), ckan.publisher_record, org)
        if item is not None:
            yield self._emit(portal, item)

    def _build(
        self,
        portal: _Portal,
        what: str,
        ident: Any,
        build: Callable[..., OpenDataRecord],
        *args: Any,
    ) -> OpenDataRecord | None:
        """Build one record; a record we cannot read is counted and never stops the others."""
        try:
            return build(
                *args,
                source=self.source_name,
                portal_url=portal.portal_url,
                country=self.country,
                language=self.language,
            )
        except Exception as exc:
            self.problem(
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

    # showcases
    def parse_showcases(self, response: Response) -> Iterator[Any]:
        portal = self._portal(response)
        try:
            result = ckan.read_result(
                response.body, content_type=_ctype(response), status=response.status
            )
        except ckan.CkanError as exc:
            self.logger.info(
                "%s: no showcases (ckanext-showcase absent?): %s", portal.portal_url, exc
            )
            self.stat("opendata/no_showcases")
            return
        if not isinstance(result, list):
            self.problem(
                portal,
                "bad_shape",
                "CKAN ckanext_showcase_list at %s: not a list",
                response.url,
                fatal=False,
            )
            return
        for showcase in result:
            if not isinstance(showcase, dict) or not showcase.get("id"):
                self.stat("parse/opendata/bad_result_entry")
                continue
            if portal.since is not None and not _changed_since(showcase, portal.since):
                self.stat("opendata/showcases_unchanged")
                continue
            url = ckan.action_url(
                portal.api_base, "ckanext_showcase_package_list", {"showcase_id": showcase["id"]}
            )
            req = self._request(url, self.parse_showcase_packages, portal, "showcase")
            req.cb_kwargs["showcase"] = showcase
            yield req

    def parse_showcase_packages(
        self, response: Response, showcase: dict[str, Any]
    ) -> Iterator[Any]:
        portal = self._portal(response)
        result = self._ckan_result(portal, response, "ckanext_showcase_package_list", fatal=False)
        linked = [entry["id"] for entry in ckan.listed_ids(result)]
        item = self._build(
            portal, "showcase", showcase.get("id"), ckan.showcase_record, showcase, linked
        )
        if item is None:
            return
        if result is None:
            item.warnings.append("the linked datasets could not be read")
        yield self._emit(portal, item)

    # deletion listing
    def _listing_request(self, portal: _Portal, start: int) -> Request:
        url = ckan.action_url(
            portal.api_base,
            "package_search",
            {"q": "*:*", "fl": "id,name", "sort": "id asc", "rows": LISTING_ROWS, "start": start},
        )
        portal.listing_pending.add(start)
        return self._request(url, self.parse_listing, portal, "listing", start=start)

    async def parse_listing(self, response: Response) -> AsyncIterator[Any]:
        """A page of the full id listing; the last one triggers the deletion marks."""
        portal = self._portal(response)
        start = int(response.meta.get("start", 0))
        portal.listing_pending.discard(start)
        result = self._ckan_result(portal, response, "package_search (id listing)", fatal=False)
        try:
            count, _ = ckan.search_page(result) if result is not None else (None, [])
        except ckan.CkanError:
            count = None
        if result is None or count is None:
            portal.listing_ok = False
        else:
            if start == 0:
                portal.listing_count = count
                got = len(ckan.listed_ids(result))
                for more in range(got, count, got or 1) if got else ():
                    yield self._listing_request(portal, more)
            elif count != portal.listing_count:
                portal.listing_ok = False
                self.stat("parse/opendata/listing_count_changed")
            for entry in ckan.listed_ids(result):
                if entry["id"] in portal.listing_ids:
                    continue
                portal.listing_ids.add(entry["id"])
                portal.listing_urls.add(ckan.page_url(portal.portal_url, "dataset", entry))
        if not portal.listing_pending:
            if portal.listing_ok and len(portal.listing_ids) != portal.listing_count:
                self.logger.warning(
                    "%s: id listing has %d ids for a count of %s",
                    portal.portal_url,
                    len(portal.listing_ids),
                    portal.listing_count,
                )
                portal.listing_ok = False
            await self._mark_deletions(portal, portal.listing_urls, portal.listing_ok)

    async def _mark_deletions(self, portal: _Portal, current: set[str], complete: bool) -> None:
        """Mark stored datasets missing from a complete listing as deleted (in a thread)."""
        if portal.deletions_done:
            return
        portal.deletions_done = True
        if not complete:
            self.logger.warning("%s: listing incomplete: deletions not checked", portal.portal_url)
            self.stat("opendata/deletions_skipped")
            return
        gone = sorted(url for url in portal.stored if url not in current)
        if not gone:
            return
        database_url = self._database_url()
        if database_url is None:
            return
        if len(gone) > max(10, len(portal.stored) // 2):
            self.logger.warning(
                "%s: %d of %d stored datasets are missing from the listing: "
                "too many to trust, none marked deleted",
                portal.portal_url,
                len(gone),
                len(portal.stored),
            )
            self.stat("opendata/deletions_skipped")
            return
        source = self.source_name
        try:
            changed = await maybe_deferred_to_future(
                deferToThread(_mark, database_url, source, gone)
            )
        except StorageUnavailable as exc:
            self.logger.error("%s: cannot mark deletions: %s", portal.portal_url, exc)
            return
        self.logger.info(
            "%s: %d datasets no longer listed, marked deleted", portal.portal_url, changed
        )
        self.stat("opendata/deleted", changed)

    # --- DCAT ----------------------------------------------------------------------------------
    async def parse_dcat(self, response: Response) -> AsyncIterator[Any]:
        """One catalogue page: its datasets and publishers, then the next Hydra page."""
        portal = self._portal(response)
        portal.visited.add(response.url)
        ctype = _ctype(response)
        if response.status >= 400:
            self.problem(
                portal,
                f"http_{response.status}",
                "DCAT catalogue %s: HTTP %d",
                response.url,
                response.status,
            )
            return
        try:
            if len(response.body) > THREAD_PARSE_BYTES:
                page = await maybe_deferred_to_future(
                    deferToThread(
                        dcat.parse_catalog, response.body, url=response.url, content_type=ctype
                    )
                )
            else:
                page = dcat.parse_catalog(response.body, url=response.url, content_type=ctype)
        except dcat.DcatError as exc:
            links = [
                u
                for u in dcat.catalogue_links(
                    response.body[:500000].decode("utf-8", "replace"), response.url
                )
                if u not in portal.visited
            ]
            if exc.problem == "not_rdf" and links and len(portal.visited) == 1:
                # the source is the portal's home page: read the catalogue it points to
                self.logger.info("%s: HTML page; reading its catalogue %s", response.url, links[0])
                self.stat("opendata/catalogue_link_followed")
                yield self._request(links[0], self.parse_dcat, portal, "dcat")
                return
            self.problem(portal, exc.problem, "DCAT catalogue %s: %s", response.url, exc)
            return
        remote = [w for w in page.warnings if w.startswith("remote JSON-LD context")]
        if remote:  # read with the usual DCAT prefixes instead; never fetched
            self.logger.info("DCAT catalogue %s: %s", response.url, "; ".join(remote))
            self.stat("parse/opendata/remote_context_skipped", len(remote))
        if page.salvaged:
            self.problem(
                portal,
                "rdf_salvaged",
                "DCAT catalogue %s: %s",
                response.url,
                "; ".join(page.warnings),
            )
        records = dcat.catalog_records(
            page,
            source=self.source_name,
            portal_url=portal.portal_url,
            country=self.country,
            language=self.language,
            seen_publishers=portal.publisher_keys,
            memory=portal.dcat_memory,
        )
        if not records:
            self.logger.warning("DCAT catalogue %s: no dcat:Dataset found", response.url)
            self.stat("parse/opendata/no_datasets")
        for item in records:
            if item.kind == "dataset":
                # ids are the identity; a dataset repeated without its identifier is its URL
                if item.dataset_id in portal.seen or item.url in portal.listed_urls:
                    self.stat("opendata/duplicates_skipped")
                    continue
                portal.seen[item.dataset_id] = item.modified or ""
            yield self._emit(portal, item)
        if page.total_items is not None:
            portal.total = page.total_items
        nxt = page.next_url
        if nxt and urlsplit(nxt).netloc != urlsplit(response.url).netloc:
            # a catalogue that names itself by another host (its configured site URL, a proxy):
            # the next page is on the server that answered
            here = urlsplit(response.url)
            nxt = urlunsplit(urlsplit(nxt)._replace(scheme=here.scheme, netloc=here.netloc))
            self.stat("opendata/next_link_rebased")
        if nxt and nxt not in portal.visited:
            if len(portal.visited) >= self.max_catalog_pages:
                self.problem(
                    portal,
                    "too_many_pages",
                    "DCAT catalogue %s: more than %d pages",
                    portal.url,
                    self.max_catalog_pages,
                )
                return
            yield self._request(nxt, self.parse_dcat, portal, "dcat")
            return
        if portal.total is not None and portal.total != len(portal.seen):
            self.logger.warning(
                "DCAT catalogue %s: hydra:totalItems is %d but %d datasets read",
                portal.url,
                portal.total,
                len(portal.seen),
            )
            self.stat("parse/opendata/total_mismatch")
        if portal.stored and not portal.problems:
            await self._mark_deletions(portal, portal.listed_urls, True)

    # --- Socrata -------------------------------------------------------------------------------
    def _socrata_request(self, portal: _Portal, offset: int) -> Request:
        portal.pages_pending.add(offset)
        url = socrata.catalog_url(
            self._socrata_base(portal),
            limit=SOCRATA_LIMIT,
            offset=offset,
            domain_filter=portal.socrata_domains,
        )
        return self._request(url, self.parse_socrata, portal, "socrata", offset=offset)

    @staticmethod
    def _socrata_base(portal: _Portal) -> str:
        """An API URL keeps its own query (``domains=...``); a page of the portal (a dataset
        link, ``/browse``) means the portal's home."""
        return portal.url if "/api/" in urlsplit(portal.url).path else portal.portal_url

    async def parse_socrata(self, response: Response) -> AsyncIterator[Any]:
        portal = self._portal(response)
        offset = int(response.meta.get("offset", 0))
        portal.pages_pending.discard(offset)
        try:
            size, results = socrata.read_page(
                response.body, content_type=_ctype(response), status=response.status
            )
        except socrata.SocrataError as exc:
            self.problem(portal, exc.problem, "Socrata catalog %s: %s", response.url, exc)
            return
        if (
            offset == 0
            and not results
            and portal.socrata_domains
            and socrata.filters_own_domain(response.url)
        ):
            self.logger.info(
                "%s: nothing listed for domains=%s: asking without the domain filter",
                portal.portal_url,
                urlsplit(response.url).hostname,
            )
            self.stat("opendata/socrata_domain_retry")
            portal.socrata_domains = False
            yield self._socrata_request(portal, 0)
            return
        if offset == 0:
            portal.total = size
            if size is not None and results:
                for more in range(len(results), size, len(results)):
                    yield self._socrata_request(portal, more)
        elif size is not None and size != portal.total:
            self._count_changed(portal, portal.total or 0, size, response.url)
        for entry in results:
            if not isinstance(entry, dict):
                self.stat("parse/opendata/bad_result_entry")
                continue
            kind = socrata.asset_type(entry)
            if kind in socrata.SKIPPED_TYPES:
                self.stat(f"opendata/socrata_skipped/{kind}")
                continue
            item = socrata.dataset_record(
                entry,
                source=self.source_name,
                portal_url=portal.portal_url,
                country=self.country,
                language=self.language,
            )
            if item is None:
                self.stat("parse/opendata/no_id")
                continue
            if item.dataset_id in portal.seen:
                self.stat("opendata/duplicates_skipped")
                continue
            portal.seen[item.dataset_id] = item.modified or ""
            stamp = _parse_stamp(item.modified)
            if stamp is not None and (portal.watermark is None or stamp > portal.watermark):
                portal.watermark = stamp
            if portal.since is not None and stamp is not None and stamp < portal.since:
                # incremental run: unchanged since the last complete run; still listed
                portal.listed_urls.add(item.url)
                self.stat("opendata/unchanged_skipped")
                continue
            yield self._emit(portal, item)
        if (
            not portal.pages_pending
            and portal.stored
            and not portal.problems
            and not portal.count_changed
        ):
            await self._mark_deletions(portal, portal.listed_urls, True)

    # --- errors and the end ----------------------------------------------------------------------
    def on_error(self, failure: Failure) -> Iterator[Any]:
        request: Request = failure.request  # type: ignore[attr-defined]
        portal = self.portals.get(request.meta.get("dsi_portal", ""))
        role = request.meta.get("dsi_role", "")
        error_name = failure.type.__name__ if failure.type is not None else "Error"
        message = str(failure.value).strip() or error_name
        too_large = "max size" in message
        if (
            too_large
            and role == "search"
            and int(request.meta.get("rows", 0)) > MIN_SPLIT_ROWS
            and portal is not None
        ):
            rows = int(request.meta["rows"])
            start = int(request.meta["start"])
            half = rows // 2
            self.logger.warning(
                "%s: package_search page too large (%s rows): asking for two pages of %d",
                portal.portal_url,
                rows,
                half,
            )
            self.stat("parse/opendata/too_large_split")
            for sub_start, sub_rows in ((start, half), (start + half, rows - half)):
                req = self._search_request(portal, sub_start, sub_rows)
                req.meta["split"] = True
                yield req
            return
        key = (
            "too_large"
            if too_large
            else (
                "timeout"
                if "timeout" in error_name.lower() or "timed out" in message.lower()
                else "request_failed"
            )
        )
        fatal = role in ("search", "package", "dcat", "socrata", "probe")
        if role == "search" and portal is not None:
            portal.failed_pages[(int(request.meta["start"]), int(request.meta["rows"]))] = key
            fatal = False
        if role == "listing" and portal is not None:
            portal.listing_ok = False
            portal.listing_pending.discard(int(request.meta.get("start", 0)))
        if role == "socrata" and portal is not None:
            portal.pages_pending.discard(int(request.meta.get("offset", 0)))
        self.problem(
            portal,
            key,
            "%s request failed (%s): %s: %s",
            role or "opendata",
            request.url,
            error_name,
            message[:300],
            fatal=fatal,
        )

    def on_idle(self, spider: scrapy.Spider) -> None:
        """Read the CKAN listing again when its total changed; then decide how the run ends."""
        if spider is not self or self._finalised:
            return
        for portal in self.portals.values():
            if portal.api == "ckan" and portal.count_changed and portal.search_pass == 0:
                portal.search_pass = 1
                portal.count_changed = False
                self.logger.info(
                    "%s: reading the listing again after a change of total", portal.portal_url
                )
                self.stat("opendata/relisted")
                assert self.crawler.engine is not None
                self.crawler.engine.crawl(self._search_request(portal, 0, self.rows))
                raise DontCloseSpider
        for portal in self.portals.values():
            if portal.failed_pages and not portal.second_chance:
                portal.second_chance = True
                self.logger.info(
                    "%s: asking once more for %d failed package_search pages",
                    portal.portal_url,
                    len(portal.failed_pages),
                )
                self.stat("opendata/second_chance", len(portal.failed_pages))
                assert self.crawler.engine is not None
                for start, rows in sorted(portal.failed_pages):
                    req = self._search_request(portal, start, rows)
                    if start:  # a later page: do not schedule the rest again
                        req.meta["split"] = True
                    self.crawler.engine.crawl(req)
                raise DontCloseSpider
        for portal in self.portals.values():
            portal.problems.extend(portal.failed_pages.values())
        self._finalised = True
        problems = sorted({p for portal in self.portals.values() for p in portal.problems})
        unstable = [p.portal_url for p in self.portals.values() if p.count_changed]
        if unstable:
            self.logger.error(
                "%s: the listing kept changing: some datasets may be missed", ", ".join(unstable)
            )
            self.stat("parse/opendata/unstable_listing")
            problems.append("unstable_listing")
        if problems:
            self.logger.error(
                "opendata harvest incomplete (%s): the next incremental run will "
                "start from the last complete one",
                ", ".join(problems),
            )
            raise CloseSpider("incomplete")
        assert self.crawler.stats is not None
        self.crawler.stats.set_value(COMPLETE_STAT, 1)
        self.crawler.stats.set_value(
            WATERMARKS_STAT,
            {
                p.portal_url: p.watermark.isoformat()
                for p in self.portals.values()
                if p.watermark is not None
            },
        )


def _mark(database_url: str, source: str, urls: list[str]) -> int:
    with session_scope(database_url) as session:
        return mark_deleted(session, source, urls)


def _ctype(response: Response) -> str:
    value = response.headers.get("Content-Type")
    return value.decode("latin-1") if value else ""


def _parse_stamp(value: str | None) -> datetime | None:
    stamp = iso_datetime(value) if value else None
    if stamp is None or len(stamp) == 10:
        return None
    return datetime.fromisoformat(stamp)


def _changed_since(record: dict[str, Any], since: datetime) -> bool:
    stamp = iso_datetime(record.get("metadata_modified"))
    if stamp is None or len(stamp) == 10:
        return True
    return datetime.fromisoformat(stamp) >= since
