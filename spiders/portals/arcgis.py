"""ArcGIS Hub sites, read with :mod:`spiders.parsers.arcgis` (and the DCAT adapter).

A source URL naming one of the site's catalogue feeds (``/api/feed/dcat-ap/...``,
``/api/feed/dcat-us/...``, ``/data.json``) is read by the DCAT adapter (DCAT-AP as RDF,
DCAT-US as JSON); any other URL of the site means its Hub search API
(``/api/search/v1/collections/dataset/items``), whose ``rel=next`` links are followed on the
server that answered up to ``max_catalog_pages``. The search API cannot be asked for changes
only, so every page is read; incremental runs emit only datasets whose ``modified`` is not
older than the portal's bound, and a complete listing announces vanished datasets as
deleted. Items that hold no data (apps, sites, pages, documents) are skipped and counted;
each publisher (``source``/``orgName``/``owner``) is emitted once.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response

from spiders.parsers import arcgis
from spiders.parsers.opendata_fields import on_server, slug
from spiders.parsers.publishers import named_publisher
from spiders.portals import Portal, PortalAdapter

_FEED_MARKERS = ("/api/feed/dcat", "/data.json")


def is_feed(url: str) -> bool:
    path = urlsplit(url).path.lower()
    return any(marker in path for marker in _FEED_MARKERS)


@dataclass
class ArcgisState:
    """Paging of one Hub search listing."""

    pages: int = 0
    total: int | None = None
    publishers: set[str] = field(default_factory=set)


class ArcgisAdapter(PortalAdapter[ArcgisState]):
    name = "arcgis"
    fatal_roles = frozenset({"arcgis"})

    def new_state(self) -> ArcgisState:
        return ArcgisState()

    def start(self, portal: Portal) -> list[Request]:
        spider = self.spider
        if is_feed(portal.url):
            spider.logger.info("%s: ArcGIS Hub catalogue feed, read as DCAT", portal.url)
            portal.api = "dcat"
            return spider.dcat.start(portal)
        url = portal.url if "/api/search/v1/" in portal.url else None
        return [self.page_request(portal, url or arcgis.search_url(portal.portal_url))]

    def page_request(self, portal: Portal, url: str) -> Request:
        self.state(portal).pages += 1
        return self.request(url, self.spider.parse_arcgis, portal, "arcgis")

    async def parse_arcgis(self, response: Response) -> AsyncIterator[Any]:
        spider = self.spider
        portal = spider.portal_of(response)
        state = self.state(portal)
        page = self.answer(portal, response, arcgis.read_page, "ArcGIS Hub search")
        if page is None:
            return
        total, features, nxt = page
        if state.pages == 1:
            state.total = total
            spider.logger.info("%s: %s items listed", portal.portal_url, total)
        elif total is not None and state.total is not None and total != state.total:
            self.count_changed(portal, state.total, total, response.url)
        for out in self._features(portal, features):
            yield out
        if nxt:
            if state.pages >= spider.max_catalog_pages:
                spider.problem(
                    portal,
                    "too_many_pages",
                    "ArcGIS Hub search %s: more than %d pages",
                    portal.url,
                    spider.max_catalog_pages,
                )
                return
            yield self.page_request(portal, on_server(nxt, response.url))
            return
        await self.listing_complete(portal)

    def _features(self, portal: Portal, features: list[Any]) -> list[Any]:
        spider = self.spider
        state = self.state(portal)
        out: list[Any] = []
        for feature in features:
            if not isinstance(feature, dict):
                spider.stat("parse/opendata/bad_result_entry")
                continue
            kind = arcgis.item_type(feature)
            if kind not in arcgis.DATA_TYPES:
                spider.stat(f"opendata/arcgis_skipped/{slug(kind)}")
                continue
            props = feature.get("properties") or {}
            item = self.build(portal, "dataset", props.get("id"), arcgis.dataset_record, feature)
            if item is None:
                continue
            kept = self.listed_dataset(portal, item)
            if kept is not None:
                out.append(kept)
            name = item.publisher
            if spider.want_organizations and name and name.casefold() not in state.publishers:
                state.publishers.add(name.casefold())
                publisher = self.build(portal, "publisher", name, named_publisher, name)
                if publisher is not None:
                    out.append(self.emit(portal, publisher))
        return out
