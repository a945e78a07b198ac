"""Socrata Discovery API (``/api/catalog/v1``) answers -> :class:`OpenDataRecord`.

One answer is ``{"results": [{"resource", "classification", "metadata", "permalink", "link",
"owner"}], "resultSetSize", "timings"}``; errors are ``{"error": ...}`` or ``{"code",
"message"}``. Paging is ``limit``/``offset``. Stories, charts and other views that hold no data
of their own are skipped (counted by the spider).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.items import OpenDataRecord
from spiders.parsers.language import detect_language
from spiders.parsers.opendata_fields import (
    country_of,
    dedupe,
    http_url,
    iso_datetime,
    iso_day,
    normalise_formats,
    plain_text,
    short_text,
    theme_label,
)

#: Asset types that are views or pages built on data, not data (skipped).
SKIPPED_TYPES = frozenset(
    {"story", "chart", "measure", "form", "calendar", "visualization", "pulse"}
)
CATALOG_PATH = "api/catalog/v1"
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


def catalog_url(url: str, *, limit: int, offset: int) -> str:
    """The discovery URL for one page: the source URL's own query (``domains=...``) is kept;
    a portal home page gets ``/api/catalog/v1`` and, for a named host, ``domains=<host>``."""
    parts = urlsplit(url)
    path = parts.path
    params = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k not in ("limit", "offset")
    ]
    if "/api/catalog/" not in path:
        path = (path if path.endswith("/") else path + "/") + CATALOG_PATH
        host = parts.hostname or ""
        is_named_host = any(c.isalpha() for c in host) and host != "localhost" and ":" not in host
        if is_named_host and not any(k in ("domains", "search_context") for k, _ in params):
            params.append(("domains", host))
    params += [("limit", str(limit)), ("offset", str(offset))]
    return urlunsplit((parts.scheme, parts.netloc, path, urlencode(params), ""))


def read_page(
    body: bytes, *, content_type: str = "", status: int = 200
) -> tuple[int | None, list[Any]]:
    """``(resultSetSize, results)``; raises :class:`SocrataError` for unusable answers."""
    stripped = body.lstrip()
    if not stripped:
        raise SocrataError("empty", f"empty answer (HTTP {status})")
    if "html" in content_type.lower() or stripped[:1] == b"<":
        raise SocrataError("not_json", f"HTML instead of JSON (HTTP {status})")
    try:
        data = json.loads(stripped.decode("utf-8", "replace"))
    except ValueError as exc:
        raise SocrataError("bad_json", f"invalid JSON (HTTP {status}): {exc}") from exc
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
    publisher = short_text(resource.get("attribution")) or next(
        (short_text(domain_meta[k]) for k in _PUBLISHER_KEYS if short_text(domain_meta.get(k))),
        None,
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
    license_value = metadata.get("license") or domain_meta.get("Licensing-Contract_License")
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
        license=short_text(license_value) or None,
        issued=iso_day(resource.get("createdAt") or resource.get("publication_date")),
        modified=modified,
        resources_count=1,
        formats=normalise_formats([blob] if isinstance(blob, str) else []),
        country=country_of(country) if country else None,
        language=detect_language(f"{title}\n{description}", hint=language),
        warnings=warnings,
        raw=entry,
    )
