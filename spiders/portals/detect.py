"""Telling a portal's API when the source does not say it (``api`` option absent).

First the URL's shape (:func:`api_from_url`: API paths, catalogue files, the hosts of
OpenDataSoft, data.gouv.fr and ArcGIS Hub); then the version endpoints, one after the other:
CKAN's ``status_show``, uData's ``/api/1/site/``, OpenDataSoft's ``/api/explore/v2.1/``,
ArcGIS Hub's ``/api/search/v1/collections`` (:data:`VERSION_PROBES`); then the page itself
(RDF or a DCAT-US ``data.json`` means DCAT, a ``resultSetSize`` JSON Socrata, an HTML page
linking a DCAT catalogue); then Socrata's discovery API. A portal that is none of them is a
problem (``api_undetected``) that makes the run incomplete.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response

from spiders.parsers import arcgis, ckan, dcat, dcat_us, opendatasoft, socrata, udata
from spiders.parsers.portal_json import PortalAnswerError, read_json
from spiders.portals import APIS, Portal, content_type
from spiders.portals.ckan import read as ckan_answer
from spiders.portals.socrata import catalogue_base
from spiders.portals.udata import api_portal

if TYPE_CHECKING:
    from spiders.opendata import OpendataSpider

_RDF_SUFFIXES = (".ttl", ".rdf", ".jsonld", ".n3", ".nt", ".owl")
_RDF_FORMAT_RE = re.compile(r"(?:^|&)format=(?:ttl|turtle|rdf|xml|jsonld|json-ld|n3|nt)(?:&|$)")


#: ``(api, path under the portal, answer check)``, asked in this order after CKAN.
VERSION_PROBES: tuple[tuple[str, str, Callable[[Any], bool]], ...] = (
    ("udata", "api/1/site/", udata.is_site_answer),
    ("opendatasoft", opendatasoft.API_PATH, opendatasoft.is_api_root),
    ("arcgis", "api/search/v1/collections", arcgis.is_search_root),
)
#: Hosts that give their platform away: ``(host suffix, api)``.
_PLATFORM_HOSTS = (
    (".opendatasoft.com", "opendatasoft"),
    ("data.gouv.fr", "udata"),
    ("data.public.lu", "udata"),
    (".hub.arcgis.com", "arcgis"),
)


def api_from_url(url: str) -> str | None:
    """The API a URL's shape gives away (an API path, a catalogue file, a platform's host),
    or None."""
    path = url.split("?", 1)[0].lower()
    if "/api/3/action" in path or "/api/action" in path:
        return "ckan"
    if "/api/catalog/v1" in path or socrata.VIEWS_METADATA_PATH in path:
        return "socrata"
    if "/api/explore/v2" in path:
        return "opendatasoft"
    if "/api/1/" in path and "/api/1/rest" not in path and "/action" not in path:
        return "udata"
    if "/api/search/v1" in path or "/api/feed/dcat" in path:
        return "arcgis"
    if path.endswith(_RDF_SUFFIXES) or path.endswith("/data.json"):
        return "dcat"
    query = url.split("?", 1)[1].lower() if "?" in url else ""
    if _RDF_FORMAT_RE.search(query):
        return "dcat"
    host = (urlsplit(url).hostname or "").lower()
    for suffix, api in _PLATFORM_HOSTS:
        if host == suffix.lstrip(".") or host.endswith(suffix):
            return api
    return None


class Detector:
    """The probes of one spider; a detected portal is started by its adapter."""

    def __init__(self, spider: OpendataSpider) -> None:
        self.spider = spider

    def start(self, portal: Portal) -> list[Request]:
        self.spider.logger.info("%s: no api option, probing for CKAN", portal.url)
        return [
            self.spider.request(
                ckan.action_url(portal.api_base, "status_show"),
                self.spider.parse_probe_ckan,
                portal,
                "probe",
            )
        ]

    def detected(self, portal: Portal, api: str, label: str | None = None) -> None:
        self.spider.logger.info("%s: %s detected", portal.url, label or api)
        self.spider.stat(f"opendata/detected/{api}")
        portal.api = api

    def parse_probe_ckan(self, response: Response) -> Iterator[Request]:
        spider = self.spider
        portal = spider.portal_of(response)
        try:
            result = ckan_answer(response)
        except ckan.CkanError as exc:
            spider.logger.info("%s: not CKAN (%s)", portal.url, exc)
            yield self.version_probe(portal, 0)
            return
        version = result.get("ckan_version") if isinstance(result, dict) else None
        self.detected(portal, "ckan", f"CKAN {version or '(version unknown)'}")
        yield from spider.ckan.start(portal)

    def version_probe(self, portal: Portal, index: int) -> Request:
        """The ``index``-th version probe after CKAN's; after the last, the page itself."""
        spider = self.spider
        if index >= len(VERSION_PROBES):
            spider.logger.info("%s: looking at the page itself", portal.url)
            return spider.request(portal.url, spider.parse_probe_page, portal, "probe")
        api, path, _check = VERSION_PROBES[index]
        root = api_portal(portal.portal_url) if api == "udata" else portal.portal_url
        return spider.request(
            root + path, spider.parse_probe_version, portal, "probe", probe_index=index
        )

    def parse_probe_version(self, response: Response) -> Iterator[Request]:
        spider = self.spider
        portal = spider.portal_of(response)
        index = int(response.meta.get("probe_index", 0))
        api, _path, check = VERSION_PROBES[index]
        try:
            data = read_json(
                response.body, content_type=content_type(response), status=response.status
            )
        except PortalAnswerError:
            data = None
        if data is not None and check(data):
            self.detected(portal, api)
            yield from spider.adapters[api].start(portal)
            return
        yield self.version_probe(portal, index + 1)

    async def parse_probe_page(self, response: Response) -> AsyncIterator[Any]:
        spider = self.spider
        portal = spider.portal_of(response)
        ctype = content_type(response)
        body = response.body
        ok = response.status < 400
        if ok and (
            dcat.looks_like_rdf(body, url=response.url, content_type=ctype)
            or dcat_us.is_dcat_us(body)
        ):
            self.detected(portal, "dcat")
            async for out in spider.dcat.parse_dcat(response):
                yield out
            return
        if ok and b"resultSetSize" in body[:200000] and _reads_as_socrata(response):
            self.detected(portal, "socrata")
            yield spider.socrata.page_request(portal, 0)
            return
        if ok and ("html" in ctype or body.lstrip()[:1] == b"<"):
            links = dcat.catalogue_links(body[:500000].decode("utf-8", "replace"), response.url)
            if links:
                self.detected(portal, "dcat")
                portal.url = links[0]
                yield spider.dcat.catalogue_request(portal, portal.url)
                return
        yield spider.request(
            socrata.catalog_url(catalogue_base(portal), limit=1, offset=0),
            spider.parse_probe_socrata,
            portal,
            "probe",
        )

    def parse_probe_socrata(self, response: Response) -> Iterator[Request]:
        spider = self.spider
        portal = spider.portal_of(response)
        if not _reads_as_socrata(response):
            spider.problem(
                portal,
                "api_undetected",
                "%s: cannot tell the portal's API; set the source option api = %s",
                portal.url,
                " | ".join(f'"{api}"' for api in APIS),
            )
            return
        self.detected(portal, "socrata")
        yield spider.socrata.page_request(portal, 0)


def _reads_as_socrata(response: Response) -> bool:
    try:
        socrata.read_page(
            response.body, content_type=content_type(response), status=response.status
        )
    except socrata.SocrataError:
        return False
    return True
