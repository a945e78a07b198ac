"""Socrata Discovery API (``/api/catalog/v1``) answers -> :class:`OpenDataRecord`.

One answer is ``{"results": [{"resource", "classification", "metadata", "permalink", "link",
"owner", "creator"}], "resultSetSize", "timings"}``; errors are ``{"error": ...}`` or
``{"code", "message"}``. Paging is ``limit``/``offset``. Stories, charts and other views that
hold no data of their own are skipped (counted by the spider). A portal home URL becomes
``<home>/api/catalog/v1?domains=<host>``; the spider asks once more without the ``domains``
filter when that answer is empty (a portal on a bare address does not know its own name).
The older per-domain metadata API (``/api/views/metadata/v1``, a JSON list of views) is read
into the same shape. Publisher: ``attribution``, then the domain's publisher metadata, then
the owner's display name.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.items import OpenDataRecord
from crawler.text import detect_language
from spiders.parsers.opendata_fields import (
    country_of,
    dedupe,
    http_url,
    iso_datetime,
    iso_day,
    license_label,
    normalise_formats,
    plain_text,
    short_text,
    theme_label,
)
from spiders.parsers.portal_json import PortalAnswerError, read_json

#: Asset types that are views or pages built on data, not data (skipped).
SKIPPED_TYPES = frozenset(
    {"story", "chart", "measure", "form", "calendar", "visualization", "pulse"}
)
CATALOG_PATH = "api/catalog/v1"
VIEWS_METADATA_PATH = "/api/views/metadata/v1"
_PUBLISHER_KEYS = (
    "Common-Core_Publisher",
    "Dataset-Information_Agency",
    "Dataset-Information_Department",
    "Dataset-Information_Publisher",
)


class SocrataError(ValueError):
    def __init__(self, problem: str, message: str) -> None:
        super().__init__(message)
        self.problem = problem


def catalog_url(url: str, *, limit: int, offset: int, domain_filter: bool = True) -> str:
    """The discovery URL for one page: the source URL's own query (``domains=...``) is kept;
    a portal home page gets ``/api/catalog/v1`` and ``domains=<host>``. Without
    ``domain_filter`` the ``domains`` parameter naming the URL's own host is left out.
    A ``/api/views/metadata/v1`` URL is kept as it is (one answer, no paging)."""
    parts = urlsplit(url)
    path = parts.path
    if VIEWS_METADATA_PATH in path:
        return url
    host = parts.hostname or ""
    params = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k not in ("limit", "offset")
    ]
    if "/api/catalog/" not in path:
        path = (path if path.endswith("/") else path + "/") + CATALOG_PATH
        if host and not any(k in ("domains", "search_context") for k, _ in params):
            params.append(("domains", host))
    if not domain_filter:
        params = [(k, v) for k, v in params if not (k == "domains" and v == host)]
    params += [("limit", str(limit)), ("offset", str(offset))]
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(params), ""))


def filters_own_domain(url: str) -> bool:
    """True when ``url`` asks the discovery API for its own host only (``domains=<host>``)."""
    try:
        parts = urlsplit(url)
    except ValueError:  # not a readable URL
        return False
    return ("domains", parts.hostname or "") in parse_qsl(parts.query)


def read_page(
    body: bytes, *, content_type: str = "", status: int = 200
) -> tuple[int | None, list[Any]]:
    """``(resultSetSize, results)``; raises :class:`SocrataError` for unusable answers."""
    try:
        data = read_json(body, content_type=content_type, status=status, check_status=False)
    except PortalAnswerError as exc:
        raise SocrataError(exc.problem, str(exc)) from exc
    if isinstance(data, list) and status < 400:  # /api/views/metadata/v1: a list of views
        return None, [_from_views_metadata(v) if isinstance(v, dict) else v for v in data]
    if not isinstance(data, dict):
        raise SocrataError("bad_shape", "discovery answer is not a JSON object")
    if "error" in data or ("code" in data and "message" in data) or status >= 400:
        detail = data.get("error") or data.get("message") or "no message"
        raise SocrataError("api_error", f"HTTP {status}: {str(detail)[:300]}")
    results = data.get("results")
    if not isinstance(results, list):
        raise SocrataError("bad_shape", "discovery answer has no 'results' list")
    size = data.get("resultSetSize")
    return (size if isinstance(size, int) and not isinstance(size, bool) else None), results


def _from_views_metadata(view: dict[str, Any]) -> dict[str, Any]:
    """A ``/api/views/metadata/v1`` view in the discovery API's result shape."""
    if "resource" in view:
        return view
    owner = view.get("owner")
    owner_name = owner.get("displayName") if isinstance(owner, dict) else None
    tags = view.get("tags")
    license_value = view.get("license")
    if isinstance(license_value, dict):
        license_value = license_value.get("name") or license_value.get("termsLink")
    return {
        "resource": {
            "id": view.get("id"),
            "name": view.get("name"),
            "description": view.get("description"),
            "attribution": view.get("attribution"),
            "type": str(view.get("assetType") or view.get("displayType") or "dataset").lower(),
            "createdAt": view.get("createdAt"),
            "updatedAt": view.get("updatedAt"),
            "metadata_updated_at": view.get("metadataUpdatedAt"),
            "data_updated_at": view.get("dataUpdatedAt"),
        },
        "classification": {
            "domain_category": view.get("category"),
            "domain_tags": tags if isinstance(tags, list) else [],
        },
        "metadata": {"domain": view.get("domain"), "license": license_value},
        "permalink": view.get("webUri"),
        "owner": {"display_name": owner_name},
    }


def asset_type(entry: dict[str, Any]) -> str:
    resource = entry.get("resource")
    return str(resource.get("type") or "dataset") if isinstance(resource, dict) else "dataset"


def dataset_record(
    entry: dict[str, Any],
    *,
    source: str,
    portal_url: str,
    country: str | None = None,
    language: str | None = None,
) -> OpenDataRecord | None:
    """One discovery result as a dataset; None when it has no id."""
    resource = entry.get("resource")
    if not isinstance(resource, dict):
        return None
    ident = resource.get("id")
    if not isinstance(ident, str) or not ident:
        return None
    warnings: list[str] = []
    classification = entry.get("classification")
    if not isinstance(classification, dict):
        classification = {}
    metadata = entry.get("metadata") if isinstance(entry.get("metadata"), dict) else {}
    assert isinstance(metadata, dict)
    domain = short_text(metadata.get("domain"))
    url = http_url(entry.get("permalink")) or http_url(entry.get("link"))
    if not url:
        url = f"https://{domain}/d/{ident}" if domain else f"{portal_url}d/{ident}"
        warnings.append("no permalink: URL built from the domain and the id")
    title = short_text(resource.get("name"))
    description = plain_text(resource.get("description"))
    domain_meta: dict[str, Any] = {}
    for pair in classification.get("domain_metadata") or []:
        if isinstance(pair, dict) and isinstance(pair.get("key"), str):
            domain_meta[pair["key"]] = pair.get("value")
    owner = entry.get("owner") if isinstance(entry.get("owner"), dict) else {}
    assert isinstance(owner, dict)
    publisher = (
        short_text(resource.get("attribution"))
        or next(
            (short_text(domain_meta[k]) for k in _PUBLISHER_KEYS if short_text(domain_meta.get(k))),
            None,
        )
        or short_text(owner.get("display_name"))
    )
    tags = dedupe(
        short_text(t)
        for t in [*(classification.get("domain_tags") or []), *(classification.get("tags") or [])]
        if isinstance(t, str)
    )
    themes = [classification.get("domain_category"), *(classification.get("categories") or [])]
    theme_names = dedupe(str(theme_label(t)) for t in themes if isinstance(t, str) and t.strip())
    modified_values = [
        iso_datetime(resource.get(k))
        for k in ("metadata_updated_at", "data_updated_at", "updatedAt")
    ]
    modified = max((m for m in modified_values if m), default=None)
    blob = resource.get("blob_mime_type")
    license_value = license_label(
        metadata.get("license")
        or resource.get("license")
        or domain_meta.get("Licensing-Contract_License")
    )
    return OpenDataRecord(
        source=source,
        url=url,
        portal_url=portal_url,
        kind="dataset",
        dataset_id=ident,
        title=title,
        description=description,
        publisher=publisher or None,
        tags=tags,
        themes=[t for t in theme_names if t and t != "None"],
        license=license_value,
        issued=iso_day(resource.get("createdAt") or resource.get("publication_date")),
        modified=modified,
        resources_count=1,
        formats=normalise_formats([blob] if isinstance(blob, str) else []),
        country=country_of(country) if country else None,
        language=detect_language(f"{title}\n{description}", hint=language),
        warnings=warnings,
        raw=entry,
    )
