"""A uData portal (API v1) answering in uData's shapes, with our own content.

``B`` = the portal's base URL::

    B/udata/api/1/site/                               the version endpoint (site and metrics)
    B/udata/api/1/datasets/?page=&page_size=&sort=    datasets (sort: [-]last_update,
                                                      [-]last_modified, [-]created)
    B/udata/api/1/reuses/?page=&page_size=&sort=      reuses, with their linked datasets
    B/udata/api/1/organizations/?page=&page_size=     organizations
    B/udata/fr/datasets/<slug>/, .../reuses/<slug>/, .../organizations/<slug>/   HTML pages

Lists answer ``{"data", "page", "page_size", "total", "next_page", "previous_page"}``;
``page_size`` is capped at 100, as on data.gouv.fr. The ``X-Fields`` header
(``data{id,slug,page},next_page,total``) keeps only the named fields. Every seventh dataset
belongs to a user (``organization: null``, an ``owner``); every fifth has no ``spatial``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from sandbox.content.common import Context, esc
from sandbox.content.datasets import PUBLISHERS, Publisher
from sandbox.content.mutable import Entry, MutableCatalogue
from sandbox.content.reuses import REUSES, ReuseSpec
from sandbox.generator import rng_for, slugify
from sandbox.http import Request, Response, html, json_response, not_found

UDATA_COUNT = 36
MAX_PAGE_SIZE = 100
LICENSES = {
    "cc-by": "cc-by",
    "cc-zero": "cc-zero",
    "odc-odbl": "odc-odbl",
    "dl-de-by-2.0": "other-at",
    "other-closed": "notspecified",
}
_FIELDS_RE = re.compile(r"data\{([^}]*)\}")


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _hex_id(*parts: object) -> str:
    rng = rng_for(2026, "udata-id", *parts)
    return "".join(rng.choice("0123456789abcdef") for _ in range(24))


class UdataApp:
    """Routes of ``/udata/``."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.catalogue = MutableCatalogue(ctx.seed, "udata", UDATA_COUNT)
        self.root = f"{ctx.base_url}/udata"

    # --- records ----------------------------------------------------------------------------
    def _slug(self, entry: Entry) -> str:
        return f"{slugify(entry.dataset.title, 50)}-{entry.index}"

    def _organization(self, pub: Publisher, full: bool = False) -> dict[str, Any]:
        org: dict[str, Any] = {
            "id": _hex_id("org", pub.key),
            "name": pub.title,
            "acronym": None,
            "slug": pub.key,
            "page": f"{self.root}/fr/organizations/{pub.key}/",
            "uri": f"{self.root}/api/1/organizations/{pub.key}/",
            "logo": None,
            "logo_thumbnail": None,
            "badges": [{"kind": "public-service"}] if pub.kind != "ngo" else [],
        }
        if full:
            org |= {
                "description": pub.description,
                "url": self.ctx.site(pub.site) if pub.site else f"https://www.{pub.key}.example/",
                "created_at": "2018-03-01T09:00:00+00:00",
                "last_modified": "2025-01-10T12:00:00+00:00",
                "metrics": {"datasets": 0, "reuses": 0, "followers": 3, "members": 2},
                "members": [{"role": "admin", "user": {"first_name": "Sam", "last_name": "Ple"}}],
            }
        return org

    def dataset(self, entry: Entry) -> dict[str, Any]:
        ds = entry.dataset
        slug = self._slug(entry)
        owner = entry.index % 7 == 3
        return {
            "id": _hex_id("dataset", entry.index),
            "slug": slug,
            "title": entry.title,
            "acronym": None,
            "description": ds.notes,
            "tags": list(ds.tags),
            "license": LICENSES.get(ds.license_id, "notspecified"),
            "frequency": ds.frequency,
            "private": False,
            "archived": None,
            "deleted": None,
            "created_at": _iso(ds.created),
            "last_modified": _iso(entry.modified),
            "last_update": _iso(entry.modified),
            "page": f"{self.root}/fr/datasets/{slug}/",
            "uri": f"{self.root}/api/1/datasets/{slug}/",
            "organization": None if owner else self._organization(ds.publisher),
            "owner": {
                "id": _hex_id("user", entry.index),
                "first_name": "Noa",
                "last_name": "Lefèvre",
                "slug": "noa-lefevre",
                "page": f"{self.root}/fr/users/noa-lefevre/",
            }
            if owner
            else None,
            "resources": [
                {
                    "id": res.id,
                    "title": res.name,
                    "format": res.format.lower(),
                    "mime": res.mimetype,
                    "filesize": res.size,
                    "url": f"{self.root}/files/{res.id}.{res.format.lower()}",
                    "type": "main",
                }
                for res in ds.resources
            ],
            "spatial": None
            if entry.index % 5 == 2
            else {"zones": [f"country:{ds.publisher.country.lower()}"], "granularity": "country"},
            "metrics": {"discussions": 0, "followers": entry.index % 4, "reuses": 0, "views": 100},
        }

    def _reuse(self, n: int, spec: ReuseSpec, entries: list[Entry]) -> dict[str, Any]:
        linked = [e for e in entries if e.dataset.themes[0].key == spec.theme][:3] or entries[:1]
        created = datetime(2023, 1, 1 + n, 9, 0, tzinfo=UTC)
        return {
            "id": _hex_id("reuse", spec.slug),
            "slug": spec.slug,
            "title": spec.title,
            "description": spec.description,
            "type": spec.kind,
            "topic": spec.topic,
            "url": self.ctx.site(spec.site) if spec.site else f"https://{spec.slug}.example.com/",
            "page": f"{self.root}/fr/reuses/{spec.slug}/",
            "uri": f"{self.root}/api/1/reuses/{spec.slug}/",
            "image": None,
            "datasets": [
                {
                    "id": _hex_id("dataset", e.index),
                    "title": e.title,
                    "page": f"{self.root}/fr/datasets/{self._slug(e)}/",
                }
                for e in linked
            ],
            "organization": None
            if spec.site is None
            else {"id": _hex_id("org", spec.site), "name": spec.author, "slug": spec.site},
            "owner": {"first_name": "Alex", "last_name": "Martin"} if spec.site is None else None,
            "tags": [spec.theme],
            "created_at": created.isoformat(),
            "last_modified": created.replace(month=6).isoformat(),
            "deleted": None,
            "private": False,
            "metrics": {"datasets": len(linked), "followers": 2, "views": 900},
        }

    # --- routes -----------------------------------------------------------------------------
    def handle(self, request: Request) -> Response | None:
        path = request.path
        if not path.startswith("/udata/"):
            return None
        api = "/udata/api/1/"
        if path == api + "site/":
            return json_response(
                {
                    "id": "sandbox-udata",
                    "title": "Données ouvertes du bac à sable",
                    "metrics": {"datasets": len(self.catalogue.entries()), "reuses": len(REUSES)},
                }
            )
        lists = {
            api + "datasets/": self._datasets,
            api + "reuses/": self._reuses,
            api + "organizations/": self._organizations,
        }
        if path in lists:
            return self._page(request, path, lists[path](request))
        if path.startswith("/udata/fr/"):
            return self._html_page(path)
        return not_found()

    def _datasets(self, request: Request) -> list[dict[str, Any]]:
        entries = self.catalogue.entries()
        sort = request.arg("sort") or ""
        key = sort.lstrip("-")
        if key in ("last_update", "last_modified"):
            entries.sort(key=lambda e: e.modified, reverse=sort.startswith("-"))
        elif key == "created":
            entries.sort(key=lambda e: e.dataset.created, reverse=sort.startswith("-"))
        return [self.dataset(e) for e in entries]

    def _reuses(self, request: Request) -> list[dict[str, Any]]:
        entries = self.catalogue.entries()
        reuses = [self._reuse(n, spec, entries) for n, spec in enumerate(REUSES)]
        if (request.arg("sort") or "").lstrip("-") in ("last_update", "last_modified"):
            reuses.sort(key=lambda r: str(r["last_modified"]), reverse=True)
        return reuses

    def _organizations(self, request: Request) -> list[dict[str, Any]]:
        used = {e.dataset.publisher.key for e in self.catalogue.entries()}
        return [self._organization(p, full=True) for p in PUBLISHERS if p.key in used]

    def _page(self, request: Request, path: str, records: list[dict[str, Any]]) -> Response:
        size = min(max(1, request.int_arg("page_size", 20)), MAX_PAGE_SIZE)
        page = max(1, request.int_arg("page", 1))
        chunk = records[(page - 1) * size : page * size]
        params = {k: v[0] for k, v in request.query.items() if k not in ("page", "page_size")}

        def link(number: int) -> str:
            query = urlencode({**params, "page": number, "page_size": size})
            return f"{self.ctx.base_url}{path}?{query}"

        body: dict[str, Any] = {
            "data": chunk,
            "page": page,
            "page_size": size,
            "total": len(records),
            "next_page": link(page + 1) if page * size < len(records) else None,
            "previous_page": link(page - 1) if page > 1 else None,
        }
        mask = request.headers.get("x-fields")
        if mask:
            match = _FIELDS_RE.search(mask)
            keep = {k.strip() for k in match.group(1).split(",")} if match else set()
            top = {k.strip() for k in _FIELDS_RE.sub("data", mask).split(",")}
            body = {k: v for k, v in body.items() if k in top}
            body["data"] = [{k: v for k, v in r.items() if k in keep} for r in chunk]
        return json_response(body)

    def _html_page(self, path: str) -> Response:
        slug = path.rstrip("/").rsplit("/", 1)[-1]
        for record in self._datasets(Request("GET", "/")) + self._reuses(Request("GET", "/")):
            if record["slug"] == slug:
                return html(
                    f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>'
                    f"{esc(record['title'])}</title></head><body><h1>{esc(record['title'])}"
                    f"</h1><p>{esc(record['description'] or '')}</p></body></html>"
                )
        return not_found()
