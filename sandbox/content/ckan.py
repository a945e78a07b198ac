"""A CKAN 2.10-compatible action API over an in-memory catalogue, plus a small HTML front end.

Endpoints (``B`` = the portal's base URL)::

    B/ckan/                                   HTML landing page (links to /ckan/dataset/<name>)
    B/ckan/dataset/<name>                     HTML dataset page
    B/ckan/api/3                              {"version": 3}
    B/ckan/api/3/action/status_show
    B/ckan/api/3/action/package_list          (limit, offset)
    B/ckan/api/3/action/package_search        q, fq, rows (max 1000), start, sort,
                                              include_private; fq terms: metadata_modified:[A TO
                                              B] (A/B ISO with Z, or *), organization:, tags:,
                                              groups:, res_format:, license_id:, name:, id:,
                                              type:, private:; joined by spaces or AND
    B/ckan/api/3/action/package_show?id=      id or name
    B/ckan/api/3/action/organization_list     all_fields, limit, offset, sort
    B/ckan/api/3/action/organization_show?id= include_datasets
    B/ckan/api/3/action/group_list / group_show
    B/ckan/api/3/action/ckanext_showcase_list
    B/ckan/api/3/action/ckanext_showcase_show?id=
    B/ckan/api/3/action/ckanext_showcase_package_list?showcase_id=
    B/ckan/api/3/action/ckanext_package_showcase_list?package_id=

Misbehaving twins of the same catalogue, for robustness tests::

    B/ckan-broken/api/3/action/package_search  200 with an HTML maintenance page, not JSON
    B/ckan-broken/api/3/action/package_show    200 with truncated JSON
    B/ckan-broken/api/3/action/<other>         500 {"success": false, "error": {...}}
    B/ckan-drifting/api/3/action/package_search  "count" grows by one on every call
    B/ckan-flaky/api/3/action/package_search   every second call (2nd, 4th, ...) is a 503 page

Errors follow CKAN: ``{"help": ..., "success": false, "error": {"__type": "Not Found Error",
"message": "Not found"}}`` with 404; validation errors 409; bad search syntax 409
("Search Query Error"). Deleted datasets are gone for anonymous users (404).

Mutations for incremental-crawl tests (``sb.ckan``): :meth:`CkanCatalogue.touch`,
:meth:`~CkanCatalogue.delete`, :meth:`~CkanCatalogue.add`; each advances a deterministic clock
(one minute per change, starting at 2026-03-02T10:00:00) that becomes ``metadata_modified``.
"""

from __future__ import annotations

import heapq
import re
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import islice
from typing import Any

from sandbox.content.common import Context, esc
from sandbox.content.datasets import (
    CKAN_COUNT,
    LICENSES,
    PUBLISHERS,
    THEMES,
    VIRTUAL_EPOCH,
    VIRTUAL_STEP,
    Dataset,
    _uuid,
    make_dataset,
)
from sandbox.generator import rng_for, slugify
from sandbox.http import Request, Response, html, json_response, not_found

CLOCK_START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
API_PREFIX = "/api/3/action/"
_RANGE_RE = re.compile(r"^\[\s*(\S+)\s+TO\s+(\S+)\s*\]$")
_TERM_RE = re.compile(r'([+-]?[A-Za-z_]+):(\[[^\]]*\]|"[^"]*"|\S+)')


class CkanError(Exception):
    def __init__(self, status: int, kind: str, message: str | dict[str, Any]) -> None:
        super().__init__(str(message))
        self.status, self.kind, self.detail = status, kind, message


def ckan_time(moment: datetime) -> str:
    """CKAN's timestamp format: naive UTC with microseconds."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def _parse_solr_time(value: str, *, upper: bool) -> datetime | None:
    if value == "*":
        return None
    text = value.strip().upper()
    if text.startswith("NOW"):
        return CLOCK_START
    text = text.removesuffix("Z")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError as exc:
        raise CkanError(
            409, "Search Query Error", f"Search Query is invalid: Invalid Date String:'{value}'"
        ) from exc
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(slots=True)
class Query:
    text: str = ""
    modified_from: datetime | None = None
    modified_to: datetime | None = None
    terms: tuple[tuple[str, str], ...] = ()
    include_private: bool = False

    @property
    def simple(self) -> bool:
        """Only a modification range: scale-mode datasets can be selected arithmetically."""
        return not self.text and not self.terms


ALLOWED_FIELDS = {
    "organization",
    "tags",
    "groups",
    "res_format",
    "license_id",
    "name",
    "id",
    "type",
    "private",
    "owner_org",
    "state",
}


def parse_query(q: str, fq: str, include_private: bool) -> Query:
    query = Query(include_private=include_private)
    terms: list[tuple[str, str]] = []
    text_parts: list[str] = []
    for source in (q, fq):
        rest = _TERM_RE.sub(" ", source)
        for match in _TERM_RE.finditer(source):
            field, value = match.group(1).lstrip("+"), match.group(2).strip('"')
            if field.startswith("-"):
                raise CkanError(
                    409,
                    "Search Query Error",
                    f"Search Query is invalid: negation not supported: {field}",
                )
            if field == "metadata_modified":
                rng = _RANGE_RE.match(value)
                if not rng:
                    raise CkanError(
                        409, "Search Query Error", f"Search Query is invalid: '{match.group(0)}'"
                    )
                query.modified_from = _parse_solr_time(rng.group(1), upper=False)
                query.modified_to = _parse_solr_time(rng.group(2), upper=True)
            elif field in ALLOWED_FIELDS:
                terms.append((field, value))
            elif field == "text":
                text_parts.append(value)
            else:
                raise CkanError(
                    409, "Search Query Error", f"Search Query is invalid: undefined field {field}"
                )
        if source is q:
            words = [w for w in rest.replace(" AND ", " ").split() if w not in ("*:*", "AND")]
            text_parts.extend(words)
        elif rest.replace("AND", "").strip() not in ("", "*:*"):
            raise CkanError(409, "Search Query Error", f"Search Query is invalid: '{fq}'")
    query.text = " ".join(text_parts).strip()
    query.terms = tuple(terms)
    return query


class CkanCatalogue:
    """The datasets, organizations, groups and showcases; thread-safe; mutable for tests."""

    def __init__(self, ctx: Context, *, family: str = "ckan") -> None:
        self.ctx = ctx
        self.seed = ctx.seed
        self._lock = threading.RLock()
        self._clock = CLOCK_START
        self.virtual_count = ctx.scale
        self._moved: set[int] = set()  # virtual indexes now stored in _packages or deleted
        self._packages: dict[str, dict[str, Any]] = {}
        self._by_name: dict[str, str] = {}
        self._deleted: dict[str, dict[str, Any]] = {}
        for i in range(CKAN_COUNT):
            ds = make_dataset(self.seed, i, family=family, private=i in (17, 58))
            self._store(self.package_dict(ds))
        self.organizations = {p.key: self._org_dict(p.key) for p in PUBLISHERS}
        self.groups = {t.key: self._group_dict(t.key) for t in THEMES}
        self.showcases = self._make_showcases()

    # -- building dicts ---------------------------------------------------------------------
    def _org_dict(self, key: str) -> dict[str, Any]:
        pub = next(p for p in PUBLISHERS if p.key == key)
        return {
            "id": _uuid(self.seed, "org", key),
            "name": key,
            "title": pub.title,
            "display_name": pub.title,
            "type": "organization",
            "description": pub.description,
            "image_url": f"{self.ctx.base_url}/ckan/uploads/group/{key}.png",
            "image_display_url": f"{self.ctx.base_url}/ckan/uploads/group/{key}.png",
            "created": "2019-01-15T09:00:00.000000",
            "is_organization": True,
            "approval_status": "approved",
            "state": "active",
        }

    def _group_dict(self, key: str) -> dict[str, Any]:
        theme = next(t for t in THEMES if t.key == key)
        return {
            "id": _uuid(self.seed, "group", key),
            "name": key,
            "title": theme.title,
            "display_name": theme.title,
            "type": "group",
            "description": f"Datasets about {theme.title.lower()}.",
            "image_url": "",
            "image_display_url": "",
            "created": "2019-01-15T09:00:00.000000",
            "is_organization": False,
            "approval_status": "approved",
            "state": "active",
        }

    def package_dict(self, ds: Dataset) -> dict[str, Any]:
        """A dataset as CKAN's ``package_show`` returns it."""
        org = self._org_dict(ds.publisher.key)
        lic_title, _lic_od, lic_url = LICENSES[ds.license_id]
        modified = ckan_time(ds.modified)
        resources = [
            {
                "id": r.id,
                "package_id": ds.id,
                "name": r.name,
                "description": "",
                "format": r.format,
                "mimetype": r.mimetype,
                "mimetype_inner": None,
                "url": f"{self.ctx.base_url}/ckan/dataset/{ds.id}/resource/{r.id}/download/"
                f"{slugify(ds.title, 40)}.{r.format.lower()}",
                "url_type": None,
                "size": r.size,
                "hash": "",
                "position": n,
                "state": "active",
                "created": ckan_time(ds.created),
                "last_modified": modified,
                "metadata_modified": modified,
                "datastore_active": False,
                "cache_url": None,
                "cache_last_updated": None,
                "resource_type": None,
            }
            for n, r in enumerate(ds.resources)
        ]
        extras = [
            {"key": "language", "value": ds.publisher.lang},
            {"key": "frequency", "value": ds.frequency},
            {"key": "spatial_text", "value": ds.publisher.city},
            {
                "key": "theme",
                "value": ", ".join(
                    f"http://publications.europa.eu/resource/authority/data-theme/{t.eu_code}"
                    for t in ds.themes
                ),
            },
        ]
        pkg: dict[str, Any] = {
            "id": ds.id,
            "name": ds.name,
            "title": ds.title,
            "type": "dataset",
            "notes": ds.notes,
            "url": (
                self.ctx.site(ds.publisher.site)
                if ds.publisher.site
                else f"https://www.{ds.publisher.key}.example/opendata"
            ),
            "author": ds.publisher.title,
            "author_email": f"opendata@{ds.publisher.key}.example",
            "maintainer": f"Open Data Team {ds.publisher.title}",
            "maintainer_email": f"opendata@{ds.publisher.key}.example",
            "license_id": ds.license_id,
            "license_title": lic_title,
            "license_url": lic_url,
            "isopen": ds.license_id != "other-closed",
            "version": None,
            "metadata_created": ckan_time(ds.created),
            "metadata_modified": modified,
            "private": ds.private,
            "state": "active",
            "owner_org": org["id"],
            "creator_user_id": _uuid(self.seed, "user", ds.publisher.key),
            "organization": org,
            "num_resources": len(resources),
            "resources": resources,
            "tags": [
                {
                    "id": _uuid(self.seed, "tag", t),
                    "name": t,
                    "display_name": t,
                    "state": "active",
                    "vocabulary_id": None,
                }
                for t in ds.tags
            ],
            "num_tags": len(ds.tags),
            "groups": [
                {
                    "id": _uuid(self.seed, "group", t.key),
                    "name": t.key,
                    "title": t.title,
                    "display_name": t.title,
                    "description": "",
                    "image_display_url": "",
                }
                for t in ds.themes
            ],
            "extras": extras,
            "relationships_as_object": [],
            "relationships_as_subject": [],
        }
        if ds.publisher.kind == "agency":
            pkg["title_translated"] = dict(sorted(ds.titles.items()))
        return pkg

    def _make_showcases(self) -> dict[str, dict[str, Any]]:
        specs = [
            (
                "radwege-check",
                "Radwege-Check Leipzig",
                "offene-stadt",
                "mobility",
                "Eine Karte, auf der Radfahrende Mängel melden; nutzt Radzählstellen "
                "und Unfalldaten.",
            ),
            (
                "buurtmonitor",
                "Buurtmonitor Rotterdam-Zuid",
                "datawijk",
                "population",
                "Dashboard voor bewoners met buurtcijfers over wonen, groen en veiligheid.",
            ),
            (
                "capteurs-citoyens",
                "Capteurs citoyens",
                "citoyens-numeriques",
                "environment",
                "Des ateliers où les habitants montent leurs propres capteurs de qualité de l'air.",
            ),
            (
                "presupuesto-abierto",
                "Presupuesto abierto",
                "presupuesto-vivo",
                "economy",
                "Visualización del presupuesto municipal para votar propuestas vecinales.",
            ),
            (
                "aria-scuole",
                "Aria nelle scuole",
                "aria-pulita",
                "environment",
                "Mappa delle misure di qualità dell'aria raccolte dalle classi.",
            ),
            (
                "welcome-map",
                "Välkommen-kartan",
                "valkommen-appen",
                "population",
                "Karta över rådgivning och språkkaféer för nyanlända.",
            ),
            (
                "repair-map",
                "Repair café finder",
                "repair-map",
                "environment",
                "Find the nearest repair café and the tools it lends.",
            ),
            (
                "parkplatz-app",
                "ParkFuchs",
                None,
                "mobility",
                "Kommerzielle App mit freien Parkplätzen in Echtzeit.",
            ),
            (
                "tourism-stats",
                "Tourism dashboard",
                None,
                "economy",
                "Overnight stays visualised for hotels and the tourism board.",
            ),
        ]
        showcases: dict[str, dict[str, Any]] = {}
        datasets = [p for p in self._packages.values() if not p["private"]]
        for n, (name, title, site, theme, notes) in enumerate(specs):
            rng = rng_for(self.seed, "showcase", name)
            pool = [p for p in datasets if any(g["name"] == theme for g in p["groups"])] or datasets
            linked = sorted(p["id"] for p in rng.sample(pool, min(len(pool), rng.randrange(1, 4))))
            sc_id = _uuid(self.seed, "showcase", name)
            created = CLOCK_START - timedelta(days=400 - n * 31)
            showcases[sc_id] = {
                "id": sc_id,
                "name": name,
                "title": title,
                "type": "showcase",
                "notes": notes,
                "url": self.ctx.site(site) if site else f"https://www.{name}.example/",
                "author": title,
                "author_email": None,
                "state": "active",
                "private": False,
                "image_url": f"{self.ctx.base_url}/ckan/uploads/showcase/{name}.png",
                "image_display_url": f"{self.ctx.base_url}/ckan/uploads/showcase/{name}.png",
                "metadata_created": ckan_time(created),
                "metadata_modified": ckan_time(created + timedelta(days=20)),
                "num_datasets": len(linked),
                "tags": [],
                "groups": [],
                "extras": [],
                "organization": None,
                "owner_org": None,
                "num_resources": 0,
                "resources": [],
                "_datasets": linked,
            }
        return showcases

    # -- storage ----------------------------------------------------------------------------
    def _store(self, pkg: dict[str, Any]) -> None:
        self._packages[pkg["id"]] = pkg
        self._by_name[pkg["name"]] = pkg["id"]

    def _tick(self) -> datetime:
        self._clock += timedelta(minutes=1)
        return self._clock

    def _virtual(self, index: int) -> dict[str, Any]:
        return self.package_dict(make_dataset(self.seed, index, virtual=True))

    def _virtual_index(self, ident: str) -> int | None:
        if not self.virtual_count:
            return None
        if ident.endswith("-0000-4000-8000-00000000cafe"):
            index = int(ident[:8], 16)
        else:
            tail = ident.rsplit("-", 1)[-1]
            if not tail.isdigit():
                return None
            index = int(tail)
        if index >= self.virtual_count or index in self._moved:
            return None
        pkg = self._virtual(index)
        return index if ident in (pkg["id"], pkg["name"]) else None

    def get(self, ident: str) -> dict[str, Any] | None:
        """A live dataset by id or name (``None`` when unknown or deleted)."""
        with self._lock:
            key = self._by_name.get(ident, ident)
            if key in self._packages:
                return self._packages[key]
            index = self._virtual_index(ident)
            return self._virtual(index) if index is not None else None

    def dataset_ids(self) -> list[str]:
        """Ids of the stored (non-virtual) live datasets, in catalogue order."""
        with self._lock:
            return list(self._packages)

    # -- test control API -------------------------------------------------------------------
    def touch(self, dataset_id: str, **changes: Any) -> dict[str, Any]:
        """Mark a dataset changed now (optionally changing fields); returns the new dict."""
        with self._lock:
            pkg = self.get(dataset_id)
            if pkg is None:
                raise KeyError(dataset_id)
            pkg = {**pkg, **changes}
            pkg["metadata_modified"] = ckan_time(self._tick())
            index = self._virtual_index(dataset_id)
            if index is not None:
                self._moved.add(index)
            self._by_name.pop(self._packages.get(pkg["id"], pkg)["name"], None)
            self._store(pkg)
            return pkg

    def delete(self, dataset_id: str) -> None:
        """Delete a dataset: it disappears from search and ``package_show`` answers 404."""
        with self._lock:
            pkg = self.get(dataset_id)
            if pkg is None:
                raise KeyError(dataset_id)
            index = self._virtual_index(dataset_id)
            if index is not None:
                self._moved.add(index)
            self._packages.pop(pkg["id"], None)
            self._by_name.pop(pkg["name"], None)
            self._deleted[pkg["id"]] = {
                **pkg,
                "state": "deleted",
                "metadata_modified": ckan_time(self._tick()),
            }

    def add(
        self,
        title: str,
        *,
        organization: str = "offene-stadt",
        notes: str = "",
        tags: Iterable[str] = (),
        name: str | None = None,
    ) -> dict[str, Any]:
        """Create a dataset now; returns its package dict."""
        with self._lock:
            n = len(self._packages) + len(self._deleted) + 1000
            template = make_dataset(self.seed, n)
            pkg = self.package_dict(template)
            now = ckan_time(self._tick())
            org = self.organizations[organization]
            pkg.update(
                {
                    "id": _uuid(self.seed, "added", n, title),
                    "name": name or slugify(title),
                    "title": title,
                    "notes": notes or pkg["notes"],
                    "organization": org,
                    "owner_org": org["id"],
                    "metadata_created": now,
                    "metadata_modified": now,
                    "private": False,
                    "tags": [
                        {
                            "id": _uuid(self.seed, "tag", t),
                            "name": t,
                            "display_name": t,
                            "state": "active",
                            "vocabulary_id": None,
                        }
                        for t in tags
                    ],
                }
            )
            pkg["num_tags"] = len(pkg["tags"])
            pkg.pop("title_translated", None)
            if pkg["name"] in self._by_name:
                raise ValueError(f"name already used: {pkg['name']}")
            self._store(pkg)
            return pkg

    @property
    def clock(self) -> datetime:
        with self._lock:
            return self._clock

    # -- search -----------------------------------------------------------------------------
    @staticmethod
    def _matches(pkg: dict[str, Any], query: Query) -> bool:
        if pkg["private"] and not query.include_private:
            return False
        if pkg.get("type", "dataset") != "dataset" and not any(f == "type" for f, _ in query.terms):
            return False
        modified = datetime.fromisoformat(pkg["metadata_modified"]).replace(tzinfo=UTC)
        if query.modified_from and modified < query.modified_from:
            return False
        if query.modified_to and modified > query.modified_to:
            return False
        for field, value in query.terms:
            wanted = value.lower()
            if field == "organization":
                ok = (pkg["organization"] or {}).get("name", "").lower() == wanted
            elif field == "owner_org":
                ok = str(pkg.get("owner_org", "")).lower() == wanted
            elif field == "tags":
                ok = any(t["name"].lower() == wanted for t in pkg["tags"])
            elif field == "groups":
                ok = any(g["name"].lower() == wanted for g in pkg["groups"])
            elif field == "res_format":
                ok = any(r["format"].lower() == wanted for r in pkg["resources"])
            elif field == "private":
                ok = str(pkg["private"]).lower() == wanted
            else:
                ok = str(pkg.get(field, "")).lower() == wanted
            if not ok:
                return False
        if query.text:
            haystack = " ".join(
                (
                    pkg["title"],
                    pkg["notes"],
                    pkg["name"],
                    " ".join(t["name"] for t in pkg["tags"]),
                    (pkg["organization"] or {}).get("title", ""),
                )
            ).lower()
            return all(word.lower().strip('"') in haystack for word in query.text.split())
        return True

    def _virtual_range(self, query: Query) -> range:
        lo, hi = 0, self.virtual_count
        if query.modified_from is not None:
            delta = (query.modified_from - VIRTUAL_EPOCH) / VIRTUAL_STEP
            lo = max(lo, int(-(-delta // 1)))
        if query.modified_to is not None:
            delta = (query.modified_to - VIRTUAL_EPOCH) / VIRTUAL_STEP
            hi = min(hi, int(delta // 1) + 1)
        return range(lo, max(lo, hi))

    def search(self, query: Query, *, sort: str, start: int, rows: int) -> tuple[int, list[dict]]:
        # Solr sort clauses, e.g. "metadata_modified asc,id asc" or "score desc, name asc":
        # the first clause that is not the (uniform) relevance score decides; ids break ties.
        clauses = [c.split() for c in sort.split(",") if c.strip()]
        clauses = [c for c in clauses if c[0] != "score"] or [["metadata_modified", "desc"]]
        field = clauses[0][0]
        direction = clauses[0][1] if len(clauses[0]) > 1 else "asc"
        reverse = direction.strip().lower() == "desc"
        keyfunc = {
            "metadata_modified": lambda p: p["metadata_modified"],
            "metadata_created": lambda p: p["metadata_created"],
            "id": lambda p: p["id"],
            "name": lambda p: p["name"],
            "title_string": lambda p: p["title"].lower(),
            "score": lambda p: p["metadata_modified"],
        }.get(field)
        if keyfunc is None:
            raise CkanError(
                409, "Search Query Error", f"Search Query is invalid: can not sort on field {field}"
            )
        with self._lock:
            primary = keyfunc
            stored = sorted(
                (p for p in self._packages.values() if self._matches(p, query)),
                key=lambda p: (primary(p), p["id"]),
                reverse=reverse,
            )
            if not self.virtual_count:
                return len(stored), stored[start : start + rows]
            virtual: Iterator[tuple[Any, int]]
            if query.simple and field in ("metadata_modified", "id", "score"):
                vrange = self._virtual_range(query)
                moved = sum(1 for i in self._moved if i in vrange)
                count = len(stored) + len(vrange) - moved
                seq = reversed(vrange) if reverse else iter(vrange)
                if field == "id":
                    from sandbox.content.datasets import virtual_id

                    virtual = ((virtual_id(i), i) for i in seq if i not in self._moved)
                else:  # compare timestamps as numbers: no string formatting per row
                    epoch, step = VIRTUAL_EPOCH.timestamp(), VIRTUAL_STEP.total_seconds()
                    virtual = ((epoch + step * i, i) for i in seq if i not in self._moved)
                    keyfunc = _timestamp_key
            else:  # full scan: correct but O(N)
                found = [
                    (keyfunc(p), i)
                    for i in range(self.virtual_count)
                    if i not in self._moved
                    for p in (self._virtual(i),)
                    if self._matches(p, query)
                ]
                found.sort(reverse=reverse)
                count = len(stored) + len(found)
                virtual = iter(found)
            merged = heapq.merge(
                ((keyfunc(p), -1, p) for p in stored),
                ((k, i, None) for k, i in virtual),
                key=lambda t: t[0],
                reverse=reverse,
            )
            page = list(islice(merged, start, start + rows))
            return count, [p if p is not None else self._virtual(i) for _k, i, p in page]

    def organization_package_count(self, name: str) -> int:
        with self._lock:
            return sum(
                1
                for p in self._packages.values()
                if not p["private"] and (p["organization"] or {}).get("name") == name
            )

    def group_package_count(self, name: str) -> int:
        with self._lock:
            return sum(
                1
                for p in self._packages.values()
                if not p["private"] and any(g["name"] == name for g in p["groups"])
            )


def _timestamp_key(pkg: dict[str, Any]) -> float:
    moment = datetime.fromisoformat(pkg["metadata_modified"])
    return moment.replace(tzinfo=UTC).timestamp()


def _truthy(value: str | None) -> bool:
    return (value or "").lower() in ("true", "1", "yes", "on")


class CkanApp:
    """Routes of ``/ckan/`` and its misbehaving twins."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.catalogue = CkanCatalogue(ctx)
        self._calls: dict[str, int] = {}
        self._calls_lock = threading.Lock()

    def _count_call(self, key: str) -> int:
        with self._calls_lock:
            self._calls[key] = self._calls.get(key, 0) + 1
            return self._calls[key]

    def handle(self, request: Request) -> Response | None:
        path = request.path
        for prefix in ("/ckan-broken", "/ckan-drifting", "/ckan-flaky"):
            if path.startswith(prefix + API_PREFIX):
                return self._misbehave(prefix, path.removeprefix(prefix + API_PREFIX), request)
        if not path.startswith("/ckan"):
            return None
        if path in ("/ckan", "/ckan/"):
            return self.landing()
        if path.rstrip("/") == "/ckan/api/3":
            return json_response({"version": 3})
        if path.startswith("/ckan/dataset/"):
            return self.dataset_page(path.removeprefix("/ckan/dataset/"))
        if path.startswith("/ckan" + API_PREFIX):
            return self.action(path.removeprefix("/ckan" + API_PREFIX), request)
        return not_found()

    # -- actions ----------------------------------------------------------------------------
    def _help(self, action: str) -> str:
        return f"{self.ctx.base_url}/ckan/api/3/action/help_show?name={action}"

    def action(self, name: str, request: Request) -> Response:
        handler = getattr(self, f"_a_{name}", None)
        if handler is None:
            return json_response(
                {
                    "help": self._help(name),
                    "success": False,
                    "error": {
                        "__type": "Bad request",
                        "message": f"Bad request - Action name not known: {name}",
                    },
                },
                status=400,
            )
        try:
            result = handler(request)
        except CkanError as exc:
            error: dict[str, Any] = {"__type": exc.kind}
            if isinstance(exc.detail, dict):
                error.update(exc.detail)
            else:
                error["message"] = exc.detail
            return json_response(
                {"help": self._help(name), "success": False, "error": error}, status=exc.status
            )
        return json_response({"help": self._help(name), "success": True, "result": result})

    @staticmethod
    def _require(request: Request, name: str) -> str:
        value = request.arg(name)
        if not value:
            raise CkanError(409, "Validation Error", {name: ["Missing value"]})
        return value

    def _a_status_show(self, request: Request) -> dict[str, Any]:
        return {
            "ckan_version": "2.10.4",
            "site_title": "Sandbox Open Data",
            "site_description": "A local CKAN-compatible catalogue for tests.",
            "site_url": self.ctx.base_url + "/ckan",
            "locale_default": "en",
            "extensions": ["activity", "dcat", "showcase", "scheming_datasets", "fluent"],
        }

    def _a_package_search(self, request: Request) -> dict[str, Any]:
        rows = request.int_arg("rows", 10)
        start = request.int_arg("start", 0)
        if rows < 0 or start < 0:
            raise CkanError(409, "Validation Error", {"rows": ["Must be a natural number"]})
        rows = min(rows, 1000)
        query = parse_query(
            request.arg("q", "") or "",
            request.arg("fq", "") or "",
            _truthy(request.arg("include_private")),
        )
        sort = request.arg("sort") or "score desc, metadata_modified desc"
        count, results = self.catalogue.search(query, sort=sort, start=start, rows=rows)
        return {"count": count, "facets": {}, "results": results, "sort": sort, "search_facets": {}}

    def _a_package_list(self, request: Request) -> list[str]:
        limit = request.int_arg("limit", 10_000)
        offset = request.int_arg("offset", 0)
        with self.catalogue._lock:
            names = sorted(p["name"] for p in self.catalogue._packages.values() if not p["private"])
        return names[offset : offset + limit]

    def _a_package_show(self, request: Request) -> dict[str, Any]:
        ident = self._require(request, "id")
        pkg = self.catalogue.get(ident)
        if pkg is None:
            raise CkanError(404, "Not Found Error", "Not found")
        return pkg

    def _list(self, request: Request, items: dict[str, dict[str, Any]], counter: Any) -> list[Any]:
        limit = request.int_arg("limit", 1000)
        offset = request.int_arg("offset", 0)
        names = sorted(items)
        if request.arg("sort", "") and "desc" in (request.arg("sort") or ""):
            names.reverse()
        chosen = names[offset : offset + limit]
        if _truthy(request.arg("all_fields")):
            return [{**items[n], "package_count": counter(n)} for n in chosen]
        return chosen

    def _show(
        self, request: Request, items: dict[str, dict[str, Any]], counter: Any, key: str
    ) -> dict[str, Any]:
        ident = self._require(request, "id")
        found = items.get(ident) or next((v for v in items.values() if v["id"] == ident), None)
        if found is None:
            raise CkanError(404, "Not Found Error", "Not found")
        result = {
            **found,
            "package_count": counter(found["name"]),
            "users": [],
            "extras": [],
            "tags": [],
            "groups": [],
        }
        if _truthy(request.arg("include_datasets")):
            with self.catalogue._lock:
                result["packages"] = [
                    p
                    for p in self.catalogue._packages.values()
                    if not p["private"]
                    and (
                        ((p["organization"] or {}).get("name") == found["name"])
                        if key == "org"
                        else any(g["name"] == found["name"] for g in p["groups"])
                    )
                ][:1000]
        return result

    def _a_organization_list(self, request: Request) -> list[Any]:
        return self._list(
            request, self.catalogue.organizations, self.catalogue.organization_package_count
        )

    def _a_organization_show(self, request: Request) -> dict[str, Any]:
        return self._show(
            request, self.catalogue.organizations, self.catalogue.organization_package_count, "org"
        )

    def _a_group_list(self, request: Request) -> list[Any]:
        return self._list(request, self.catalogue.groups, self.catalogue.group_package_count)

    def _a_group_show(self, request: Request) -> dict[str, Any]:
        return self._show(
            request, self.catalogue.groups, self.catalogue.group_package_count, "group"
        )

    @staticmethod
    def _public_showcase(sc: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in sc.items() if not k.startswith("_")}

    def _a_ckanext_showcase_list(self, request: Request) -> list[dict[str, Any]]:
        return [self._public_showcase(s) for s in self.catalogue.showcases.values()]

    def _find_showcase(self, ident: str) -> dict[str, Any]:
        for sc in self.catalogue.showcases.values():
            if ident in (sc["id"], sc["name"]):
                return sc
        raise CkanError(404, "Not Found Error", "Not found")

    def _a_ckanext_showcase_show(self, request: Request) -> dict[str, Any]:
        return self._public_showcase(self._find_showcase(self._require(request, "id")))

    def _a_ckanext_showcase_package_list(self, request: Request) -> list[dict[str, Any]]:
        sc = self._find_showcase(self._require(request, "showcase_id"))
        return [p for p in (self.catalogue.get(i) for i in sc["_datasets"]) if p is not None]

    def _a_ckanext_package_showcase_list(self, request: Request) -> list[dict[str, Any]]:
        pkg = self.catalogue.get(self._require(request, "package_id"))
        if pkg is None:
            raise CkanError(404, "Not Found Error", "Not found")
        return [
            self._public_showcase(s)
            for s in self.catalogue.showcases.values()
            if pkg["id"] in s["_datasets"]
        ]

    # -- misbehaving twins ------------------------------------------------------------------
    def _misbehave(self, prefix: str, action: str, request: Request) -> Response:
        call = self._count_call(prefix + action)
        if prefix == "/ckan-broken":
            if action == "package_search":
                return html(
                    '<!DOCTYPE html><html lang="en"><head><title>Maintenance</title>'
                    "</head><body><h1>We'll be back soon</h1><p>The data portal is "
                    "being upgraded.</p></body></html>"
                )
            if action == "package_show":
                full = self.action(action, request).body
                return Response(
                    body=full[: len(full) // 2], content_type="application/json;charset=utf-8"
                )
            return json_response(
                {
                    "help": self._help(action),
                    "success": False,
                    "error": {
                        "__type": "Internal Server Error",
                        "message": "Internal server error",
                    },
                },
                status=500,
            )
        if prefix == "/ckan-flaky" and call % 2 == 0:
            return html(
                "<html><head><title>503 Service Temporarily Unavailable</title></head>"
                "<body><center><h1>503 Service Temporarily Unavailable</h1></center>"
                "<hr><center>nginx</center></body></html>",
                status=503,
            )
        response = self.action(action, request)
        if prefix == "/ckan-drifting" and action == "package_search" and response.status == 200:
            import json

            data = json.loads(response.body)
            data["result"]["count"] += call
            return json_response(data)
        return response

    # -- HTML -------------------------------------------------------------------------------
    def landing(self) -> Response:
        count, results = self.catalogue.search(
            Query(), sort="metadata_modified desc", start=0, rows=20
        )
        items = "".join(
            f'<li><a href="/ckan/dataset/{esc(p["name"])}">{esc(p["title"])}</a> '
            f"<small>{esc(p['organization']['title'])}</small></li>"
            for p in results
        )
        orgs = "".join(f"<li>{esc(o['title'])}</li>" for o in self.catalogue.organizations.values())
        page = (
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sandbox Open '
            f'Data – CKAN</title><link rel="alternate" type="text/turtle" '
            f'href="/dcat/catalog.ttl"></head><body><h1>Sandbox Open Data</h1><p>{count} '
            f'datasets. API: <a href="/ckan/api/3/action/package_search">package_search</a>'
            f"</p><h2>Recently updated</h2><ul>{items}</ul><h2>Publishers</h2><ul>{orgs}</ul>"
            f"</body></html>"
        )
        return html(page)

    def dataset_page(self, rest: str) -> Response:
        name = rest.split("/", 1)[0]
        pkg = self.catalogue.get(name)
        if pkg is None:
            return not_found()
        if "/resource/" in rest:
            body = "id,name,value\n1,example,42\n2,example,17\n"
            return Response(body=body.encode(), content_type="text/csv; charset=utf-8")
        res = "".join(
            f'<li><a href="{esc(r["url"])}">{esc(r["name"])}</a> ({esc(r["format"])})</li>'
            for r in pkg["resources"]
        )
        page = (
            f'<!DOCTYPE html><html lang="{pkg["extras"][0]["value"]}"><head><meta '
            f'charset="utf-8"><title>{esc(pkg["title"])} – Sandbox Open Data</title></head>'
            f"<body><h1>{esc(pkg['title'])}</h1><p>{esc(pkg['organization']['title'])}</p>"
            f"<pre>{esc(pkg['notes'])}</pre><ul>{res}</ul></body></html>"
        )
        return html(page)
