"""Socrata discovery API (``/api/catalog/v1``), read with :mod:`spiders.parsers.socrata`.

Paged with limit/offset; a portal home URL asks for ``domains=<host>`` and, when that answer is
empty (a portal on a bare address), once more without the filter. The discovery API cannot
filter by date, so every page is read; incremental runs emit only datasets whose ``updatedAt``
(or data/metadata update) is not older than the portal's bound, and a complete listing
announces vanished datasets as deleted.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response

from crawler.items import OpenDataRecord
from spiders.parsers import socrata
from spiders.portals import Portal, PortalAdapter, content_type

SOCRATA_LIMIT = 100


@dataclass
class SocrataState:
    """Paging of one Socrata catalogue."""

    pages_pending: set[int] = field(default_factory=set)
    total: int | None = None
    #: ask with ``domains=<host>`` (dropped after an empty answer)
    domains: bool = True


def catalogue_base(portal: Portal) -> str:
    """An API URL keeps its own query (``domains=...``); a page of the portal (a dataset link,
    ``/browse``) means the portal's home."""
    return portal.url if "/api/" in urlsplit(portal.url).path else portal.portal_url


class SocrataAdapter(PortalAdapter[SocrataState]):
    name = "socrata"
    fatal_roles = frozenset({"socrata"})

    def new_state(self) -> SocrataState:
        return SocrataState()

    def start(self, portal: Portal) -> list[Request]:
        return [self.page_request(portal, 0)]

    def failed(self, portal: Portal, request: Request, key: str) -> bool:
        self.state(portal).pages_pending.discard(int(request.meta.get("offset", 0)))
        return super().failed(portal, request, key)

    def page_request(self, portal: Portal, offset: int) -> Request:
        state = self.state(portal)
        state.pages_pending.add(offset)
        url = socrata.catalog_url(
            catalogue_base(portal),
            limit=SOCRATA_LIMIT,
            offset=offset,
            domain_filter=state.domains,
        )
        return self.request(url, self.spider.parse_socrata, portal, "socrata", offset=offset)

    async def parse_socrata(self, response: Response) -> AsyncIterator[Any]:
        spider = self.spider
        portal = spider.portal_of(response)
        state = self.state(portal)
        offset = int(response.meta.get("offset", 0))
        state.pages_pending.discard(offset)
        try:
            size, results = socrata.read_page(
                response.body, content_type=content_type(response), status=response.status
            )
        except socrata.SocrataError as exc:
            spider.problem(portal, exc.problem, "Socrata catalog %s: %s", response.url, exc)
            return
        if (
            offset == 0
            and not results
            and state.domains
            and socrata.filters_own_domain(response.url)
        ):
            spider.logger.info(
                "%s: nothing listed for domains=%s: asking without the domain filter",
                portal.portal_url,
                urlsplit(response.url).hostname,
            )
            spider.stat("opendata/socrata_domain_retry")
            state.domains = False
            yield self.page_request(portal, 0)
            return
        if offset == 0:
            state.total = size
            if size is not None and results:
                for more in range(len(results), size, len(results)):
                    yield self.page_request(portal, more)
        elif size is not None and size != state.total:
            self.count_changed(portal, state.total or 0, size, response.url)
        for entry in results:
            item = self._dataset(portal, entry)
            if item is not None:
                yield item
        if not state.pages_pending:
            await self.listing_complete(portal)

    def _dataset(self, portal: Portal, entry: Any) -> OpenDataRecord | None:
        """The record of one result entry, or None (skipped, repeated, unchanged)."""
        spider = self.spider
        if not isinstance(entry, dict):
            spider.stat("parse/opendata/bad_result_entry")
            return None
        kind = socrata.asset_type(entry)
        if kind in socrata.SKIPPED_TYPES:
            spider.stat(f"opendata/socrata_skipped/{kind}")
            return None
        item = socrata.dataset_record(
            entry,
            source=spider.source_name,
            portal_url=portal.portal_url,
            country=spider.country,
            language=spider.language,
        )
        if item is None:
            spider.stat("parse/opendata/no_id")
            return None
        return self.listed_dataset(portal, item)
