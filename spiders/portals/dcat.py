"""DCAT / DCAT-AP catalogues in any RDF syntax, read with :mod:`spiders.parsers.dcat`.

The catalogue is recognised by its content whatever the extension or content type; an HTML
home page is followed to the catalogue it links to. Hydra pages (``hydra:next``,
``hydra:nextPage``) are followed on the server that answered, even when the catalogue names
itself by another host; a dataset repeated on a later page (same id or URL) is emitted once.
Large documents are parsed in a thread. After the last page, stored datasets the catalogue no
longer lists are announced as deleted.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from crawler.items import OpenDataRecord
from crawler.urls import readable_url
from spiders.parsers import dcat, dcat_us
from spiders.parsers.opendata_fields import on_server
from spiders.portals import Portal, PortalAdapter, content_type

#: DCAT documents larger than this are parsed in a thread, off the reactor.
THREAD_PARSE_BYTES = 256 * 1024


@dataclass
class DcatState:
    """Pages read and publishers met in one DCAT catalogue."""

    visited: set[str] = field(default_factory=set)
    memory: dcat.CatalogMemory = field(default_factory=dcat.CatalogMemory)
    publisher_keys: set[str] = field(default_factory=set)
    total: int | None = None


class DcatAdapter(PortalAdapter[DcatState]):
    name = "dcat"
    fatal_roles = frozenset({"dcat"})

    def new_state(self) -> DcatState:
        return DcatState()

    def start(self, portal: Portal) -> list[Request]:
        return [self.catalogue_request(portal, portal.url)]

    def catalogue_request(self, portal: Portal, url: str) -> Request:
        return self.request(url, self.spider.parse_dcat, portal, "dcat")

    async def _parse(self, response: Response) -> dcat.CatalogPage:
        ctype = content_type(response)
        if len(response.body) > THREAD_PARSE_BYTES:
            page: dcat.CatalogPage = await maybe_deferred_to_future(
                deferToThread(
                    dcat.parse_catalog, response.body, url=response.url, content_type=ctype
                )
            )
            return page
        return dcat.parse_catalog(response.body, url=response.url, content_type=ctype)

    async def parse_dcat(self, response: Response) -> AsyncIterator[Any]:
        """One catalogue page: its datasets and publishers, then the next Hydra page."""
        spider = self.spider
        portal = spider.portal_of(response)
        state = self.state(portal)
        state.visited.add(response.url)
        if response.status >= 400:
            spider.problem(
                portal,
                f"http_{response.status}",
                "DCAT catalogue %s: HTTP %d",
                response.url,
                response.status,
            )
            return
        catalog_us = dcat_us.read_catalog(response.body)
        if catalog_us is not None:
            for out in self._us_records(portal, response, catalog_us):
                yield out
            await self._catalogue_done(portal)
            return
        try:
            page = await self._parse(response)
        except dcat.DcatError as exc:
            links = [
                u
                for u in dcat.catalogue_links(
                    response.body[:500000].decode("utf-8", "replace"), response.url
                )
                if u not in state.visited
            ]
            if exc.problem == "not_rdf" and links and len(state.visited) == 1:
                # the source is the portal's home page: read the catalogue it points to
                spider.logger.info(
                    "%s: HTML page; reading its catalogue %s", response.url, links[0]
                )
                spider.stat("opendata/catalogue_link_followed")
                yield self.catalogue_request(portal, links[0])
                return
            spider.problem(portal, exc.problem, "DCAT catalogue %s: %s", response.url, exc)
            return
        for out in self._records(portal, response, page):
            yield out
        if page.bad_next_url and not page.next_url:
            spider.problem(
                portal,
                "bad_next_url",
                "DCAT catalogue %s: the next page is not a readable URL (%r): harvest stops here",
                response.url,
                page.bad_next_url,
            )
        nxt = self._next_page(page, response)
        if nxt and nxt not in state.visited:
            if len(state.visited) >= spider.max_catalog_pages:
                spider.problem(
                    portal,
                    "too_many_pages",
                    "DCAT catalogue %s: more than %d pages",
                    portal.url,
                    spider.max_catalog_pages,
                )
                return
            yield self.catalogue_request(portal, nxt)
            return
        await self._catalogue_done(portal)

    async def _catalogue_done(self, portal: Portal) -> None:
        """After the last page: check the announced total, then the deletions."""
        spider = self.spider
        state = self.state(portal)
        if state.total is not None and state.total != len(portal.seen):
            spider.logger.warning(
                "DCAT catalogue %s: hydra:totalItems is %d but %d datasets read",
                portal.url,
                state.total,
                len(portal.seen),
            )
            spider.stat("parse/opendata/total_mismatch")
        await self.listing_complete(portal)

    def _records(self, portal: Portal, response: Response, page: dcat.CatalogPage) -> list[Any]:
        """The page's records not emitted before (its warnings logged and counted)."""
        spider = self.spider
        state = self.state(portal)
        remote = [w for w in page.warnings if w.startswith("remote JSON-LD context")]
        if remote:  # read with the usual DCAT prefixes instead; never fetched
            spider.logger.info("DCAT catalogue %s: %s", response.url, "; ".join(remote))
            spider.stat("parse/opendata/remote_context_skipped", len(remote))
        if page.salvaged:
            spider.problem(
                portal,
                "rdf_salvaged",
                "DCAT catalogue %s: %s",
                response.url,
                "; ".join(page.warnings),
            )
        records = dcat.catalog_records(
            page,
            source=spider.source_name,
            portal_url=portal.portal_url,
            country=spider.country,
            language=spider.language,
            seen_publishers=state.publisher_keys,
            memory=state.memory,
        )
        if not records:
            spider.logger.warning("DCAT catalogue %s: no dcat:Dataset found", response.url)
            spider.stat("parse/opendata/no_datasets")
        if page.total_items is not None:
            state.total = page.total_items
        return self._kept(portal, records)

    def _kept(self, portal: Portal, records: list[OpenDataRecord]) -> list[Any]:
        """The records to emit: a dataset once (ids are the identity; one repeated without
        its identifier is its URL), and on incremental runs only if changed since the bound."""
        out: list[Any] = []
        for item in records:
            if item.kind != "dataset":
                out.append(self.emit(portal, item))
            elif item.url in portal.listed_urls:
                self.spider.stat("opendata/duplicates_skipped")
            else:
                kept = self.listed_dataset(portal, item)
                if kept is not None:
                    out.append(kept)
        return out

    def _us_records(self, portal: Portal, response: Response, catalog: dict[str, Any]) -> list[Any]:
        """A DCAT-US ``data.json`` catalogue (one page)."""
        spider = self.spider
        records, problems = dcat_us.catalog_records(
            catalog,
            source=spider.source_name,
            portal_url=portal.portal_url,
            country=spider.country,
            language=spider.language,
            seen_publishers=self.state(portal).publisher_keys,
        )
        for problem in problems:
            spider.problem(
                portal,
                "bad_dataset",
                "DCAT-US catalogue %s: %s",
                response.url,
                problem,
                fatal=False,
            )
        if not records:
            spider.logger.warning("DCAT-US catalogue %s: no dataset found", response.url)
            spider.stat("parse/opendata/no_datasets")
        spider.stat("opendata/dcat_us_catalogues")
        return self._kept(portal, records)

    def _next_page(self, page: dcat.CatalogPage, response: Response) -> str | None:
        nxt = page.next_url
        if nxt and not readable_url(nxt):  # checked by the parser; kept total here too
            return None
        if nxt and urlsplit(nxt).netloc != urlsplit(response.url).netloc:
            nxt = on_server(nxt, response.url)
            self.spider.stat("opendata/next_link_rebased")
        return nxt
