"""A Socrata discovery API (``/api/catalog/v1``) answering in Socrata's result shape.

``B`` = the portal's base URL::

    B/socrata/api/catalog/v1?limit=&offset=&domains=&q=&only=&categories=&tags=
    B/socrata/d/<4x4 id>          HTML landing page of one dataset (the ``permalink``)

``limit`` defaults to 100 (Socrata's default), ``offset`` to 0; ``domains`` (comma-separated)
must include :data:`DOMAIN` or the answer is empty; ``only`` filters on resource type
(``dataset``, ``map``, ``chart``...). ``resultSetSize`` is the full match count.
"""

from __future__ import annotations

from typing import Any

from sandbox.content.common import Context, esc
from sandbox.content.datasets import LICENSES, Dataset, make_dataset
from sandbox.generator import rng_for, slugify
from sandbox.http import Request, Response, html, json_response, not_found

SOCRATA_COUNT = 45
DOMAIN = "data.rivermouth.example"
_ALNUM = "abcdefghijkmnpqrstuvwxyz23456789"


def four_by_four(seed: int, index: int) -> str:
    rng = rng_for(seed, "4x4", index)
    pick = "".join(rng.choice(_ALNUM) for _ in range(8))
    return f"{pick[:4]}-{pick[4:]}"


class SocrataApp:
    """Routes of ``/socrata/``."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.datasets = [make_dataset(ctx.seed, i, family="socrata") for i in range(SOCRATA_COUNT)]
        self.ids = [four_by_four(ctx.seed, i) for i in range(SOCRATA_COUNT)]

    def handle(self, request: Request) -> Response | None:
        path = request.path
        if not path.startswith("/socrata/"):
            return None
        if path.rstrip("/") == "/socrata/api/catalog/v1":
            return self.catalog(request)
        if path.startswith("/socrata/d/"):
            ident = path.removeprefix("/socrata/d/").strip("/")
            if ident not in self.ids:
                return not_found()
            ds = self.datasets[self.ids.index(ident)]
            return html(
                f'<!DOCTYPE html><html lang="{ds.publisher.lang}"><head><meta '
                f'charset="utf-8"><title>{esc(ds.title)} | Rivermouth Open Data</title>'
                f"</head><body><h1>{esc(ds.title)}</h1><p>{esc(ds.notes)}</p></body>"
                "</html>"
            )
        return not_found()

    def _result(self, index: int, ds: Dataset) -> dict[str, Any]:
        ident = self.ids[index]
        rng = rng_for(self.ctx.seed, "socrata-extra", index)
        kind = "dataset" if index % 9 else rng.choice(("map", "chart", "filter"))
        updated = ds.modified.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        columns = [
            ("id", "number"),
            ("name", "text"),
            ("district", "text"),
            ("value", "number"),
            ("recorded_at", "calendar_date"),
        ]
        category = ds.themes[0].title
        return {
            "resource": {
                "name": ds.title,
                "id": ident,
                "parent_fxf": [],
                "description": ds.notes,
                "attribution": ds.publisher.title,
                "attribution_link": f"https://www.{ds.publisher.key}.example/",
                "contact_email": f"opendata@{ds.publisher.key}.example",
                "type": kind,
                "updatedAt": updated,
                "createdAt": ds.created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "metadata_updated_at": updated,
                "data_updated_at": updated,
                "page_views": {
                    "page_views_last_week": rng.randrange(300),
                    "page_views_last_month": rng.randrange(300, 2000),
                    "page_views_total": rng.randrange(2000, 90000),
                    "page_views_last_week_log": 4.1,
                    "page_views_last_month_log": 7.3,
                    "page_views_total_log": 11.2,
                },
                "columns_name": [c for c, _t in columns],
                "columns_field_name": [c for c, _t in columns],
                "columns_datatype": [t.replace("_", " ").title() for _c, t in columns],
                "columns_description": ["", "", "", "", ""],
                "columns_format": [{}, {}, {}, {}, {}],
                "download_count": rng.randrange(5000),
                "provenance": "official",
                "lens_view_type": "tabular",
                "lens_display_type": "table",
                "blob_mime_type": None,
                "hide_from_data_json": False,
                "publication_date": ds.created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            },
            "classification": {
                "categories": [],
                "tags": [],
                "domain_category": category,
                "domain_tags": list(ds.tags),
                "domain_metadata": [
                    {"key": "Dataset-Information_Department", "value": ds.publisher.title},
                    {"key": "Dataset-Information_Update-Frequency", "value": ds.frequency.title()},
                    {"key": "Dataset-Information_Language", "value": ds.publisher.lang},
                ],
            },
            "metadata": {"domain": DOMAIN, "license": LICENSES[ds.license_id][0]},
            "permalink": f"{self.ctx.base_url}/socrata/d/{ident}",
            "link": f"{self.ctx.base_url}/socrata/{slugify(category)}/{slugify(ds.title)}/{ident}",
            "owner": {
                "id": four_by_four(self.ctx.seed, 900 + index % 3),
                "user_type": "interactive",
                "display_name": f"{ds.publisher.title} Data Team",
            },
            "creator": {
                "id": four_by_four(self.ctx.seed, 900 + index % 3),
                "user_type": "interactive",
                "display_name": f"{ds.publisher.title} Data Team",
            },
        }

    def catalog(self, request: Request) -> Response:
        limit = max(0, request.int_arg("limit", 100))
        offset = max(0, request.int_arg("offset", 0))
        domains = [d.strip() for d in (request.arg("domains") or "").split(",") if d.strip()]
        only = {o.strip() for o in (request.arg("only") or "").split(",") if o.strip()}
        words = (request.arg("q") or "").lower().split()
        category = (request.arg("categories") or "").lower()
        tag = (request.arg("tags") or "").lower()
        matches: list[dict[str, Any]] = []
        if not domains or DOMAIN in domains:
            for i, ds in enumerate(self.datasets):
                result = self._result(i, ds)
                res = result["resource"]
                if only and res["type"] not in only:
                    continue
                text = f"{res['name']} {res['description']}".lower()
                if words and not all(w in text for w in words):
                    continue
                if category and result["classification"]["domain_category"].lower() != category:
                    continue
                if tag and tag not in result["classification"]["domain_tags"]:
                    continue
                matches.append(result)
        return json_response(
            {
                "results": matches[offset : offset + limit],
                "resultSetSize": len(matches),
                "timings": {"serviceMillis": 12, "searchMillis": [4, 5]},
                "warnings": [],
            }
        )
