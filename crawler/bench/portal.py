"""The benchmark's open-data portal: a CKAN action API over generated datasets.

What the ``opendata`` spider reads from a CKAN portal, pre-rendered: ``package_search`` pages
of :data:`PORTAL_ROWS` datasets (the sandbox's CKAN records, :func:`sandbox.content.datasets.
make_dataset` rendered by :meth:`sandbox.content.ckan.CkanCatalogue.package_dict`: organisation,
resources, tags, groups, extras; ~3.4-5.8 KB each, so a page is ~90 KB, the size of an advert
page) and ``organization_list`` pages (``all_fields``, paged by ``offset``). A request is matched
by its action and paging parameters only (:func:`portal_key`), as a CKAN portal ignores the
order of its query; another page size is not served (404), nor are other actions.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from sandbox.content.ckan import CkanCatalogue
from sandbox.content.common import Context
from sandbox.content.datasets import make_dataset

#: Datasets per ``package_search`` page (the spider's ``rows`` option in the benchmark).
PORTAL_ROWS = 20
API = "/api/3/action/"


def search_path(start: int, rows: int = PORTAL_ROWS) -> str:
    """A ``package_search`` page as the spider asks for it (``q``, ``sort``, ``rows``,
    ``start``)."""
    query = urlencode({"q": "*:*", "sort": "metadata_modified asc,id asc", "rows": rows})
    return f"{API}package_search?{query}&start={start}"


def organizations_path(offset: int) -> str:
    return f"{API}organization_list?" + urlencode(
        {"all_fields": "true", "limit": 25, "offset": offset}
    )


def portal_key(path: str) -> str:
    """The key of a request's page: its action and paging parameters, whatever their order."""
    parts = urlsplit(path)
    if not parts.path.startswith(API):
        return parts.path
    action = parts.path.removeprefix(API)
    query = parse_qs(parts.query)
    if action == "package_search":
        rows = query.get("rows", ["10"])[0]
        return f"package_search/{query.get('start', ['0'])[0]}/{rows}"
    if action == "organization_list":
        return f"organization_list/{query.get('offset', ['0'])[0]}"
    return action


def _answer(action: str, result: Any) -> bytes:
    return json.dumps(
        {"help": f"{API}help_show?name={action}", "success": True, "result": result},
        ensure_ascii=False,
    ).encode("utf-8")


def render_portal(base_url: str, datasets: int, seed: int) -> dict[str, bytes]:
    """``portal_key`` -> bytes of every page of a portal of ``datasets`` datasets."""
    catalogue = CkanCatalogue(Context(base_url=base_url.rstrip("/"), seed=seed))
    pages: dict[str, bytes] = {}
    for start in range(0, max(datasets, 1), PORTAL_ROWS):
        results = [
            catalogue.package_dict(make_dataset(seed, i))
            for i in range(start, min(start + PORTAL_ROWS, datasets))
        ]
        result = {
            "count": datasets,
            "facets": {},
            "results": results,
            "sort": "metadata_modified asc,id asc",
            "search_facets": {},
        }
        pages[portal_key(search_path(start))] = _answer("package_search", result)
    orgs = [
        {**org, "package_count": datasets // len(catalogue.organizations)}
        for org in catalogue.organizations.values()
    ]
    pages[portal_key(organizations_path(0))] = _answer("organization_list", orgs)
    pages[portal_key(organizations_path(len(orgs)))] = _answer("organization_list", [])
    return pages
