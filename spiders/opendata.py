"""The ``opendata`` spider: datasets, showcases (reuses) and publishers of open-data portals.

One source URL is one portal. Its API is the source option ``api = "ckan" | "dcat" |
"socrata" | "opendatasoft" | "udata" | "arcgis"``, or detected (:mod:`spiders.portals.detect`):
the URL's shape, then the version endpoints (CKAN's ``status_show``, uData's ``site``,
OpenDataSoft's Explore API root, ArcGIS Hub's search collections), then the page itself (RDF,
DCAT-US JSON, Socrata JSON, an HTML page linking a DCAT catalogue), then Socrata's discovery
API. This module routes: each API is an adapter in :mod:`spiders.portals` (``ckan``,
``dcat``, ``socrata``, ``opendatasoft``, ``udata``, ``arcgis``) and the callbacks below hand
the responses to them. Reuses (CKAN showcases, OpenDataSoft and uData reuses) are
``showcase`` items whose ``showcase_url`` is the project's own website.

How each API is paged, read and checked for completeness is in its adapter's docstring.

Incremental runs: when the source had a complete successful run, a portal's lower bound is
that run's start or the newest modification date it saw, whichever is earlier (portal clocks
lag), minus ``since_margin`` seconds (default 600). Deletions: stored datasets missing from a
complete listing are announced with the signal ``datasets_vanished``, and the crawler's
``DeletionMarker`` extension marks them deleted. The previous runs and the stored datasets come
in as the ``harvest_state`` argument, read by the runner (:mod:`crawler.seeds`): the spider
never touches storage.

Bad answers (``success: false``, HTML instead of JSON, invalid RDF, timeouts, responses over
``DOWNLOAD_MAXSIZE``) are logged, counted as ``dsi/parse/opendata/<problem>`` and make the run
end with the reason ``incomplete`` (run status ``failed``), so the next incremental run starts
from the last complete one. Options: ``api``, ``country``, ``language``, ``rows`` (1-1000,
default 100; uData pages at most 100), ``incremental`` (default true), ``since_margin``,
``showcases`` (CKAN showcases and reuses), ``organizations`` (default true),
``max_catalog_pages`` (DCAT, Socrata, uData and ArcGIS Hub, default 1000).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar

import scrapy
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider, DontCloseSpider
from scrapy.http import Response
from twisted.python.failure import Failure

from crawler.sources import OptionSpec
from spiders.base import DSISpider
from spiders.parsers import ckan
from spiders.parsers.opendata_fields import country_of, language_code
from spiders.portals import APIS, Portal, PortalAdapter, parse_stamp
from spiders.portals.arcgis import ArcgisAdapter
from spiders.portals.ckan import MAX_ROWS, CkanAdapter
from spiders.portals.dcat import DcatAdapter
from spiders.portals.detect import Detector, api_from_url
from spiders.portals.opendatasoft import OpendatasoftAdapter
from spiders.portals.socrata import SocrataAdapter
from spiders.portals.udata import UdataAdapter

if TYPE_CHECKING:
    from crawler.seeds import HarvestState

#: Set to 1 in a run's stats when every page of the harvest was read (``storage.opendata``).
COMPLETE_STAT = "dsi/opendata/complete"
#: ``{portal_url: ISO timestamp}``: the newest ``metadata_modified`` a run has seen.
WATERMARKS_STAT = "dsi/opendata/watermarks"


class OpendataSpider(DSISpider):
    name = "opendata"
    source_options: ClassVar[dict[str, OptionSpec]] = {
        "api": OptionSpec((str,), APIS, "portal kind; detected when absent"),
        "country": OptionSpec((str,), None, "ISO country of the portal's datasets"),
        "language": OptionSpec((str,), None, "default language of the portal"),
        "rows": OptionSpec((int,), None, "CKAN/uData page size (1-1000; uData at most 100)"),
        "incremental": OptionSpec((bool,), None, "only what changed since the last run"),
        "since_margin": OptionSpec((int, float), None, "seconds of overlap for incremental runs"),
        "showcases": OptionSpec((bool,), None, "harvest CKAN showcases and reuses"),
        "organizations": OptionSpec((bool,), None, "harvest publishers"),
        "max_catalog_pages": OptionSpec((int,), None, "DCAT/Socrata/uData/ArcGIS page cap"),
    }

    def __init__(
        self, *args: Any, harvest_state: HarvestState | None = None, **kwargs: Any
    ) -> None:
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
        self.ckan = CkanAdapter(self)
        self.dcat = DcatAdapter(self)
        self.socrata = SocrataAdapter(self)
        self.opendatasoft = OpendatasoftAdapter(self)
        self.udata = UdataAdapter(self)
        self.arcgis = ArcgisAdapter(self)
        self.detector = Detector(self)
        self.adapters: dict[str, PortalAdapter[Any]] = {
            adapter.name: adapter
            for adapter in (
                self.ckan,
                self.dcat,
                self.socrata,
                self.opendatasoft,
                self.udata,
                self.arcgis,
            )
        }
        self.portals: dict[str, Portal] = {}
        for url in self.start_urls:
            self._add_portal(url, ckan.portal_root(url))
        if harvest_state is not None:
            self.resume(harvest_state)
        self._finalised = False

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> OpendataSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        return spider  # type: ignore[no-any-return]

    def _add_portal(self, url: str, key: str) -> Portal:
        portal = Portal(url=url, portal_url=key, api=self.api_option, api_base=ckan.api_base(url))
        return self.portals.setdefault(key, portal)

    def resume(self, state: HarvestState) -> None:
        """Take the previous runs into account: stored datasets and the incremental bound."""
        last = state.last_complete_start
        for portal in self.portals.values():
            portal.stored = dict(state.stored.get(portal.portal_url, {}))
            if last is not None:
                portal.watermark = parse_stamp(state.watermarks.get(portal.portal_url))
                if self.incremental:
                    # the portal's clock may lag ours: take the earlier bound
                    portal.since = min(last, portal.watermark or last) - self.since_margin
            self.logger.info(
                "%s: %d datasets stored; %s",
                portal.portal_url,
                len(portal.stored),
                f"changes since {portal.since.isoformat()}" if portal.since else "full run",
            )

    def may_be_empty(self) -> bool:
        """An incremental harvest finds nothing when no dataset changed."""
        return any(portal.since is not None for portal in self.portals.values())

    # --- shared with the adapters --------------------------------------------------------------
    def problem(
        self, portal: Portal | None, key: str, message: str, *args: Any, fatal: bool = True
    ) -> None:
        """Log a problem, count ``dsi/parse/opendata/<key>``; ``fatal`` ones make the run
        incomplete and are counted as ``dsi/lost/<key>`` too."""
        if fatal:
            self.logger.error(message, *args)
            self.lost(key)
        else:
            self.logger.warning(message, *args)
        self.stat(f"parse/opendata/{key}")
        if fatal and portal is not None:
            portal.problems.append(key)

    def portal_of(self, response: Response) -> Portal:
        key = response.meta.get("dsi_portal") or ckan.portal_root(response.url)
        if key in self.portals:
            return self.portals[key]
        # a response for a portal not among the start URLs (tests)
        return self._add_portal(response.url, key)

    def request(self, url: str, callback: Any, portal: Portal, role: str, **meta: Any) -> Request:
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

    # --- start ---------------------------------------------------------------------------------
    def start_requests_for_source(self) -> list[Request]:
        requests: list[Request] = []
        for portal in self.portals.values():
            api = portal.api or api_from_url(portal.url)
            if api is not None:
                portal.api = api
                requests.extend(self.adapters[api].start(portal))
            else:
                requests.extend(self.detector.start(portal))
        return requests

    # --- callbacks: routed to the portal's adapter ----------------------------------------------
    def parse_probe_ckan(self, response: Response) -> Iterator[Request]:
        return self.detector.parse_probe_ckan(response)

    def parse_probe_version(self, response: Response) -> Iterator[Request]:
        return self.detector.parse_probe_version(response)

    def parse_probe_page(self, response: Response) -> AsyncIterator[Any]:
        return self.detector.parse_probe_page(response)

    def parse_probe_socrata(self, response: Response) -> Iterator[Request]:
        return self.detector.parse_probe_socrata(response)

    def parse_search(self, response: Response) -> Iterator[Any]:
        return self.ckan.parse_search(response)

    def parse_package(self, response: Response) -> Iterator[Any]:
        return self.ckan.parse_package(response)

    def parse_organizations(self, response: Response) -> Iterator[Any]:
        return self.ckan.parse_organizations(response)

    def parse_organization(self, response: Response) -> Iterator[Any]:
        return self.ckan.parse_organization(response)

    def parse_showcases(self, response: Response) -> Iterator[Any]:
        return self.ckan.parse_showcases(response)

    def parse_showcase_packages(
        self, response: Response, showcase: dict[str, Any]
    ) -> Iterator[Any]:
        return self.ckan.parse_showcase_packages(response, showcase)

    def parse_listing(self, response: Response) -> AsyncIterator[Any]:
        return self.ckan.parse_listing(response)

    def parse_dcat(self, response: Response) -> AsyncIterator[Any]:
        return self.dcat.parse_dcat(response)

    def parse_socrata(self, response: Response) -> AsyncIterator[Any]:
        return self.socrata.parse_socrata(response)

    def parse_ods(self, response: Response) -> AsyncIterator[Any]:
        return self.opendatasoft.parse_ods(response)

    def parse_ods_reuses(self, response: Response, dataset_id: str) -> Iterator[Any]:
        return self.opendatasoft.parse_reuses(response, dataset_id)

    def parse_udata(self, response: Response) -> AsyncIterator[Any]:
        return self.udata.parse_list(response)

    def parse_arcgis(self, response: Response) -> AsyncIterator[Any]:
        return self.arcgis.parse_arcgis(response)

    # --- errors and the end ----------------------------------------------------------------------
    def on_error(self, failure: Failure) -> Iterator[Any]:
        request: Request = failure.request  # type: ignore[attr-defined]
        portal = self.portals.get(request.meta.get("dsi_portal", ""))
        adapter = self.adapters.get(portal.api or "") if portal is not None else None
        role = request.meta.get("dsi_role", "")
        error_name = failure.type.__name__ if failure.type is not None else "Error"
        message = str(failure.value).strip() or error_name
        if "max size" in message:
            key = "too_large"
        elif "timeout" in error_name.lower() or "timed out" in message.lower():
            key = "timeout"
        else:
            key = "request_failed"
        fatal = role == "probe"  # the portal's API is still unknown
        if portal is not None and adapter is not None:
            replaced = adapter.replace_failed(portal, request, key)
            if replaced:
                yield from replaced
                return
            fatal = adapter.failed(portal, request, key)
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
        """Give the adapters the requests they still need; then decide how the run ends."""
        if spider is not self or self._finalised:
            return
        for portal in self.portals.values():
            adapter = self.adapters.get(portal.api or "")
            requests = adapter.idle(portal) if adapter is not None else []
            if requests:
                assert self.crawler.engine is not None
                for request in requests:
                    self.crawler.engine.crawl(request)
                raise DontCloseSpider
        for portal in self.portals.values():
            adapter = self.adapters.get(portal.api or "")
            if adapter is not None:
                adapter.finish(portal)
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
