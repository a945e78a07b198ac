"""ArcGIS Hub search API answers -> :class:`OpenDataRecord` (pure functions).

``<site>/api/search/v1/collections/dataset/items?limit=`` answers an OGC API Records-like
GeoJSON ``FeatureCollection``: ``{"type": "FeatureCollection", "features": [...],
"numberMatched", "numberReturned", "links": [{"rel": "next", "href": ...}]}``; the next page
is the ``rel=next`` link. A feature's ``properties`` hold the ArcGIS item: ``id``, ``title``
(older answers ``name``), ``description`` (HTML) or ``snippet``, ``tags``, ``categories``
(``/Categories/Transport/Bus``), ``type`` (``Feature Service``, ``CSV``, ...), ``owner``,
``source``/``orgName``/``accessInformation`` (the publisher), ``licenseInfo`` (HTML),
``culture`` (``de-de``), ``created``/``modified`` (epoch milliseconds, or ISO text), ``url``
(the service). Apps, sites, pages and documents are no datasets (skipped, counted).
Publishers (:mod:`spiders.parsers.publishers`) are emitted once each by the adapter.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from crawler.items import OpenDataRecord
from crawler.text import detect_language
from spiders.parsers.opendata_fields import (
    country_of,
    dedupe,
    http_url,
    iso_datetime,
    iso_day,
    json_list,
    language_code,
    license_label,
    normalise_formats,
    plain_text,
    short_text,
)
from spiders.parsers.portal_json import PortalAnswerError, int_or_none, read_json

SEARCH_PATH = "api/search/v1/collections/dataset/items"
PAGE_LIMIT = 100
#: Item types that hold data (everything else: apps, sites, pages, documents, is skipped).
DATA_TYPES = frozenset(
    {
        "feature service",
        "map service",
        "image service",
        "vector tile service",
        "wfs",
        "wms",
        "csv",
        "csv collection",
        "microsoft excel",
        "geojson",
        "shapefile",
        "file geodatabase",
        "kml",
        "kml collection",
        "geopackage",
        "table",
        "feature collection",
        "scene service",
        "ogcfeatureserver",
        "stream service",
    }
)
#: Item types -> the formats the Hub offers for them.
_TYPE_FORMATS = {
    "feature service": ["CSV", "GeoJSON", "SHP", "KML", "API"],
    "map service": ["API"],
    "image service": ["API"],
    "vector tile service": ["API"],
    "csv": ["CSV"],
    "microsoft excel": ["XLSX"],
    "geojson": ["GeoJSON"],
    "shapefile": ["SHP"],
    "file geodatabase": ["FILE GEODATABASE"],
    "kml": ["KML"],
    "geopackage": ["GeoPackage"],
    "wfs": ["WFS"],
    "wms": ["WMS"],
}


def search_url(portal_url: str, *, limit: int = PAGE_LIMIT) -> str:
    return f"{portal_url}{SEARCH_PATH}?{urlencode({'limit': limit})}"


def read_page(
    body: bytes, *, content_type: str = "", status: int = 200
) -> tuple[int | None, list[Any], str | None]:
    """``(numberMatched, features, next URL)``; raises
    :class:`~spiders.parsers.portal_json.PortalAnswerError` when unusable."""
    data = read_json(body, content_type=content_type, status=status)
    if not isinstance(data, dict):
        raise PortalAnswerError("bad_shape", "search answer is not a JSON object")
    if isinstance(data.get("error"), dict | str) or ("code" in data and "features" not in data):
        raise PortalAnswerError("api_error", str(data.get("error") or data)[:300])
    features = data.get("features")
    if not isinstance(features, list):
        raise PortalAnswerError("bad_shape", "search answer has no 'features' list")
    nxt = None
    for link in data.get("links") or []:
        if isinstance(link, dict) and link.get("rel") == "next" and http_url(link.get("href")):
            nxt = str(link["href"])
            break
    return int_or_none(data.get("numberMatched")), features, nxt


def stamp(value: Any) -> str | None:
    """An ISO timestamp from epoch milliseconds (ArcGIS) or ISO text."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value / 1000 if value > 10**11 else value
        try:
            moment = datetime.fromtimestamp(seconds, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
        return moment.isoformat(timespec="seconds")
    if isinstance(value, str) and value.strip().isdigit():
        return stamp(int(value.strip()))
    return iso_datetime(value)


def item_type(feature: dict[str, Any]) -> str:
    props = feature.get("properties")
    value = props.get("type") if isinstance(props, dict) else None
    return short_text(value).lower() or "feature service"


def _categories(value: Any) -> list[str]:
    """``/Categories/Transport/Bus`` -> ``Transport``, ``Bus``."""
    out: list[str] = []
    for entry in json_list(value):
        text = short_text(entry)
        parts = [p for p in text.split("/") if p and p.lower() != "categories"]
        out.extend(parts or ([text] if text else []))
    return dedupe(out)


def _publisher(props: dict[str, Any]) -> str | None:
    for key in ("source", "orgName", "organization", "accessInformation", "owner"):
        text = (
            plain_text(props.get(key)) if key == "accessInformation" else short_text(props.get(key))
        )
        if text and len(text) <= 200:
            return text
    return None


def _landing_page(feature: dict[str, Any], props: dict[str, Any], portal_url: str) -> str:
    for link in feature.get("links") or []:
        if (
            isinstance(link, dict)
            and link.get("rel") in ("alternate", "describedby")
            and "html" in str(link.get("type") or "text/html")
            and http_url(link.get("href"))
        ):
            return str(link["href"])
    ident = short_text(props.get("id")) or short_text(feature.get("id"))
    return f"{portal_url}datasets/{quote(ident, safe='-_.~')}"


def dataset_record(
    feature: dict[str, Any],
    *,
    source: str,
    portal_url: str,
    country: str | None = None,
    language: str | None = None,
) -> OpenDataRecord:
    """One search feature as a dataset; ValueError when it has no id."""
    props = feature.get("properties")
    if not isinstance(props, dict):
        raise ValueError("feature without properties")
    ident = short_text(props.get("id")) or short_text(feature.get("id"))
    if not ident:
        raise ValueError("feature without id")
    warnings: list[str] = []
    title = short_text(props.get("title") or props.get("name"))
    if not title:
        title = ident
        warnings.append("no title: the item id is used")
    description = plain_text(props.get("description")) or plain_text(props.get("snippet"))
    modified_raw = props.get("modified")
    modified = stamp(modified_raw)
    if modified_raw not in (None, "") and not modified:
        warnings.append(f"unreadable modified {str(modified_raw)[:40]!r}")
    kind = item_type(feature)
    license_text = plain_text(props.get("licenseInfo") or props.get("license"))
    declared = language_code(props.get("culture"))
    return OpenDataRecord(
        source=source,
        url=_landing_page(feature, props, portal_url),
        portal_url=portal_url,
        kind="dataset",
        dataset_id=ident,
        title=title,
        description=description,
        publisher=_publisher(props),
        tags=dedupe(short_text(t) for t in json_list(props.get("tags"))),
        themes=_categories(props.get("categories")),
        license=license_label(license_text[:200]) if license_text else None,
        issued=iso_day(stamp(props.get("created"))),
        modified=modified,
        resources_count=1,
        formats=normalise_formats(_TYPE_FORMATS.get(kind, [kind.upper()])),
        country=country_of(country) if country else None,
        language=declared or detect_language(f"{title}\n{description}", hint=language),
        warnings=warnings,
        raw=feature,
    )


def is_search_root(data: Any) -> bool:
    """True for the answer of ``/api/search/v1/collections`` (the Hub's collections)."""
    if not isinstance(data, dict):
        return False
    entries = [*(data.get("links") or []), *(data.get("collections") or [])]
    return any(
        isinstance(entry, dict) and "/api/search/v1" in json.dumps(entry) for entry in entries
    )
