"""An OpenDataSoft portal (Explore API v2.1) answering in its shapes, with our own content.

``B`` = the portal's base URL::

    B/ods/api/explore/v2.1/                                  the API root (links)
    B/ods/api/explore/v2.1/catalog/datasets?limit=&offset=&order_by=
    B/ods/api/explore/v2.1/catalog/exports/json             every dataset, one JSON list
    B/ods/api/explore/v2.1/catalog/datasets/<id>/reuses     a dataset's reuses
    B/ods/explore/dataset/<id>/                              HTML page of a dataset

``limit`` defaults to 10 and may not exceed 100, ``offset + limit`` not 10 000 (an error
answer, as on real portals). Metas vary as on real portals: every ninth dataset has null
``keyword`` and ``theme``, every eleventh a ``{lang: text}`` title, every sixth no records
but an attachment.
"""

from __future__ import annotations

from typing import Any

from sandbox.content.common import Context, esc
from sandbox.content.datasets import LICENSES
from sandbox.content.mutable import Entry, MutableCatalogue
from sandbox.content.reuses import REUSES
from sandbox.generator import rng_for, slugify
from sandbox.http import Request, Response, html, json_response, not_found

ODS_COUNT = 28
MAX_LIMIT = 100
WINDOW = 10_000
API = "/ods/api/explore/v2.1/"


def _error(status: int, code: str, message: str) -> Response:
    return json_response({"error_code": code, "message": message}, status=status)


class OpendatasoftApp:
    """Routes of ``/ods/``."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.catalogue = MutableCatalogue(ctx.seed, "ods", ODS_COUNT)
        self.root = f"{ctx.base_url}/ods"

    @staticmethod
    def dataset_id(entry: Entry) -> str:
        return f"{slugify(entry.dataset.title, 50)}-{entry.index}"

    def dataset(self, entry: Entry) -> dict[str, Any]:
        ds = entry.dataset
        ident = self.dataset_id(entry)
        rng = rng_for(self.ctx.seed, "ods-extra", entry.index)
        records = entry.index % 6 != 1
        stamp = entry.modified.isoformat()
        title: Any = entry.title
        if entry.index % 11 == 5:
            title = {"en": ds.titles.get("en", entry.title), ds.publisher.lang: entry.title}
        bare = entry.index % 9 == 4
        return {
            "visibility": "domain",
            "dataset_id": ident,
            "dataset_uid": f"da_{ident[:6]}",
            "has_records": records,
            "features": ["analyze", "geo"] if records and rng.random() < 0.5 else ["analyze"],
            "attachments": []
            if records
            else [
                {
                    "id": f"{slugify(entry.title, 20).replace('-', '_')}_pdf",
                    "mimetype": "application/pdf",
                    "title": "Notice",
                    "url": "odsfile://notice.pdf",
                }
            ],
            "data_visible": records,
            "fields": [{"name": "value", "label": "Value", "type": "double"}] if records else [],
            "metas": {
                "default": {
                    "title": title,
                    "description": "".join(f"<p>{esc(p)}</p>" for p in ds.notes.split("\n\n")),
                    "theme": None if bare else [t.title for t in ds.themes],
                    "keyword": None if bare else list(ds.tags),
                    "license": LICENSES[ds.license_id][0],
                    "license_url": LICENSES[ds.license_id][2],
                    "language": ds.publisher.lang,
                    "modified": stamp,
                    "data_processed": stamp,
                    "metadata_processed": stamp,
                    "territory": [ds.publisher.city],
                    "geographic_reference": [f"world_{ds.publisher.country.lower()}"],
                    "publisher": ds.publisher.title,
                    "records_count": rng.randrange(10, 90_000) if records else 0,
                    "federated": False,
                },
                "dcat": {
                    "created": ds.created.isoformat(),
                    "issued": ds.created.isoformat(),
                    "creator": ds.publisher.title,
                    "contact_email": f"opendata@{ds.publisher.key}.example",
                },
            },
        }

    def reuses(self, entry: Entry) -> list[dict[str, Any]]:
        """The reuses of datasets of the reuse's theme (the first two such datasets)."""
        entries = self.catalogue.entries()
        out = []
        for n, spec in enumerate(REUSES):
            mine = [e.index for e in entries if e.dataset.themes[0].key == spec.theme][:2]
            if entry.index in mine:
                out.append(
                    {
                        "id": f"{n:02d}{entry.index:04d}{slugify(spec.slug, 8)}",
                        "title": spec.title,
                        "description": f"<p>{esc(spec.description)}</p>",
                        "url": self.ctx.site(spec.site)
                        if spec.site
                        else f"https://{spec.slug}.example.com/",
                        "thumbnail": None,
                        "created_at": f"2024-0{1 + n % 9}-1{n}T10:00:00+00:00",
                        "user": {"username": slugify(spec.author), "first_name": spec.author},
                    }
                )
        return out

    def handle(self, request: Request) -> Response | None:
        path = request.path
        if not path.startswith("/ods/"):
            return None
        if path.rstrip("/") == API.rstrip("/"):
            return json_response(
                {
                    "links": [
                        {"href": f"{self.ctx.base_url}{API}", "rel": "self"},
                        {"href": f"{self.ctx.base_url}{API}catalog", "rel": "catalog"},
                    ]
                }
            )
        if path == API + "catalog/datasets":
            return self._catalog(request)
        if path == API + "catalog/exports/json":
            return json_response([self.dataset(e) for e in self._sorted()])
        if path.startswith(API + "catalog/datasets/") and path.endswith("/reuses"):
            ident = path.removeprefix(API + "catalog/datasets/").removesuffix("/reuses")
            entry = self._find(ident)
            if entry is None:
                return _error(404, "DatasetNotFound", f"Unknown dataset: {ident}")
            links = [{"href": f"{self.ctx.base_url}{path}", "rel": "self"}]
            return json_response({"links": links, "reuses": self.reuses(entry)})
        if path.startswith("/ods/explore/dataset/"):
            entry = self._find(path.removeprefix("/ods/explore/dataset/").strip("/"))
            if entry is None:
                return not_found()
            return html(
                f'<!DOCTYPE html><html lang="{entry.dataset.publisher.lang}"><head><meta '
                f'charset="utf-8"><title>{esc(entry.title)}</title></head><body><h1>'
                f"{esc(entry.title)}</h1><p>{esc(entry.dataset.notes)}</p></body></html>"
            )
        return not_found()

    def _sorted(self) -> list[Entry]:
        return sorted(self.catalogue.entries(), key=self.dataset_id)

    def _find(self, ident: str) -> Entry | None:
        return next((e for e in self.catalogue.entries() if self.dataset_id(e) == ident), None)

    def _catalog(self, request: Request) -> Response:
        limit = request.int_arg("limit", 10)
        offset = max(0, request.int_arg("offset", 0))
        if not 0 <= limit <= MAX_LIMIT:
            return _error(400, "InvalidRESTParameterError", f"limit must be <= {MAX_LIMIT}")
        if offset + limit > WINDOW:
            return _error(400, "InvalidRESTParameterError", "offset + limit must be <= 10000")
        entries = self._sorted()
        return json_response(
            {
                "total_count": len(entries),
                "results": [self.dataset(e) for e in entries[offset : offset + limit]],
            }
        )
