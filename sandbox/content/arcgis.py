"""An ArcGIS Hub site answering in the Hub's shapes, with our own content.

``B`` = the portal's base URL::

    B/arcgis/api/search/v1/collections                         the search API's collections
    B/arcgis/api/search/v1/collections/dataset/items?limit=&startindex=   GeoJSON features
    B/arcgis/api/feed/dcat-us/1.1.json  and  B/arcgis/data.json            DCAT-US catalogue
    B/arcgis/datasets/<id>                                      HTML page of an item

Items are paged with ``limit`` (default 10, at most 100) and a 1-based ``startindex``; the
answer links the next page (``rel=next``) and gives ``numberMatched``. Dates are epoch
milliseconds; every eighth item is an app (a Web Mapping Application), not data.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from sandbox.content.common import Context, esc
from sandbox.content.datasets import LICENSES
from sandbox.content.mutable import Entry, MutableCatalogue
from sandbox.generator import rng_for
from sandbox.http import Request, Response, html, json_response, not_found

ARCGIS_COUNT = 30
MAX_LIMIT = 100
SEARCH = "/arcgis/api/search/v1/collections"
_TYPES = ("Feature Service", "Feature Service", "CSV", "Feature Service", "Microsoft Excel")


def _epoch_ms(entry_time: Any) -> int:
    return int(entry_time.timestamp() * 1000)


class ArcgisApp:
    """Routes of ``/arcgis/``."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.catalogue = MutableCatalogue(ctx.seed, "arcgis", ARCGIS_COUNT)
        self.root = f"{ctx.base_url}/arcgis"

    @staticmethod
    def item_id(entry: Entry) -> str:
        rng = rng_for(2026, "arcgis-id", entry.index)
        return "".join(rng.choice("0123456789abcdef") for _ in range(32)) + "_0"

    @staticmethod
    def item_type(entry: Entry) -> str:
        return "Web Mapping Application" if entry.index % 8 == 7 else _TYPES[entry.index % 5]

    def feature(self, entry: Entry) -> dict[str, Any]:
        ds = entry.dataset
        ident = self.item_id(entry)
        return {
            "type": "Feature",
            "id": ident,
            "geometry": None,
            "properties": {
                "id": ident,
                "title": entry.title,
                "description": "".join(f"<div>{esc(p)}</div>" for p in ds.notes.split("\n\n")),
                "snippet": ds.notes.split("\n", 1)[0][:250],
                "tags": list(ds.tags),
                "categories": [f"/Categories/{t.title}" for t in ds.themes],
                "type": self.item_type(entry),
                "owner": f"{ds.publisher.key.replace('-', '_')}_gis",
                "source": ds.publisher.title,
                "orgName": ds.publisher.title,
                "licenseInfo": f"<p>{esc(LICENSES[ds.license_id][0])}</p>",
                "culture": f"{ds.publisher.lang}-{ds.publisher.country.lower()}",
                "created": _epoch_ms(ds.created),
                "modified": _epoch_ms(entry.modified),
                "access": "public",
                "url": f"{self.root}/services/{ident}/FeatureServer/0",
            },
            "links": [
                {"rel": "alternate", "type": "text/html", "href": f"{self.root}/datasets/{ident}"}
            ],
        }

    def handle(self, request: Request) -> Response | None:
        path = request.path
        if not path.startswith("/arcgis/"):
            return None
        if path.rstrip("/") == SEARCH:
            href = f"{self.ctx.base_url}{SEARCH}/dataset"
            return json_response(
                {
                    "collections": [
                        {
                            "id": "dataset",
                            "title": "Datasets",
                            "links": [{"rel": "self", "href": href}],
                        }
                    ],
                    "links": [{"rel": "self", "href": f"{self.ctx.base_url}{SEARCH}"}],
                }
            )
        if path == f"{SEARCH}/dataset/items":
            return self._items(request)
        if path in ("/arcgis/data.json", "/arcgis/api/feed/dcat-us/1.1.json"):
            return json_response(self._dcat_us())
        if path.startswith("/arcgis/datasets/"):
            ident = path.removeprefix("/arcgis/datasets/").strip("/")
            for entry in self.catalogue.entries():
                if self.item_id(entry) == ident:
                    return html(
                        f'<!DOCTYPE html><html lang="{entry.dataset.publisher.lang}"><head>'
                        f'<meta charset="utf-8"><title>{esc(entry.title)}</title></head><body>'
                        f"<h1>{esc(entry.title)}</h1></body></html>"
                    )
        return not_found()

    def _items(self, request: Request) -> Response:
        limit = min(max(1, request.int_arg("limit", 10)), MAX_LIMIT)
        start = max(1, request.int_arg("startindex", 1))
        entries = self.catalogue.entries()
        chunk = entries[start - 1 : start - 1 + limit]
        base = f"{self.ctx.base_url}{SEARCH}/dataset/items"
        links = [{"rel": "self", "type": "application/geo+json", "href": request.target}]
        if start - 1 + limit < len(entries):
            query = urlencode({"limit": limit, "startindex": start + limit})
            links.append({"rel": "next", "type": "application/geo+json", "href": f"{base}?{query}"})
        return json_response(
            {
                "type": "FeatureCollection",
                "features": [self.feature(e) for e in chunk],
                "timestamp": "2026-03-01T18:00:00.000Z",
                "numberMatched": len(entries),
                "numberReturned": len(chunk),
                "links": links,
            },
            content_type="application/geo+json",
        )

    def _dcat_us(self) -> dict[str, Any]:
        datasets = []
        for entry in self.catalogue.entries():
            if self.item_type(entry) == "Web Mapping Application":
                continue
            ds = entry.dataset
            page = f"{self.root}/datasets/{self.item_id(entry)}"
            datasets.append(
                {
                    "@type": "dcat:Dataset",
                    "identifier": page,
                    "landingPage": page,
                    "title": entry.title,
                    "description": ds.notes,
                    "keyword": list(ds.tags),
                    "issued": ds.created.isoformat(),
                    "modified": entry.modified.isoformat(),
                    "publisher": {"name": ds.publisher.title},
                    "accessLevel": "public",
                    "license": LICENSES[ds.license_id][2],
                    "language": [f"{ds.publisher.lang}-{ds.publisher.country}"],
                    "distribution": [
                        {
                            "@type": "dcat:Distribution",
                            "title": res.format,
                            "format": res.format,
                            "mediaType": res.mimetype,
                            "downloadURL": f"{self.root}/files/{res.id}",
                        }
                        for res in ds.resources
                    ],
                }
            )
        return {
            "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
            "@type": "dcat:Catalog",
            "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
            "dataset": datasets,
        }
