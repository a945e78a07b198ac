"""DCAT-US 1.1 catalogues (Project Open Data ``data.json``; ArcGIS Hub's
``/api/feed/dcat-us/1.1.json``) -> :class:`OpenDataRecord` (pure functions).

A catalogue is one JSON object ``{"@type": "dcat:Catalog", "conformsTo":
".../project-open-data...", "dataset": [...]}``; it is plain JSON, not JSON-LD that rdflib
could read without fetching its remote context. A dataset: ``identifier`` (an id or a URL),
``title``, ``description`` (HTML or text), ``keyword`` (a list or one comma-separated
string), ``theme``, ``publisher`` (``{"name", "subOrganizationOf"}``), ``license`` (a URI),
``issued``, ``modified`` (a date, a timestamp, or an ISO 8601 repeating interval that is no
date), ``landingPage``, ``distribution`` (``format``, ``mediaType``, ``downloadURL``,
``accessURL``), ``language``. Publishers are emitted once each, after the datasets.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from crawler.items import OpenDataRecord
from crawler.text import detect_language
from spiders.parsers.opendata_fields import (
    country_of,
    dedupe,
    first_language,
    format_from_url,
    http_url,
    iso_datetime,
    iso_day,
    json_list,
    license_label,
    normalise_formats,
    plain_text,
    short_text,
    slug,
    theme_label,
)
from spiders.parsers.publishers import named_publisher

__all__ = ["catalog_records", "is_dcat_us", "read_catalog"]


def read_catalog(body: bytes) -> dict[str, Any] | None:
    """The catalogue object when ``body`` is a DCAT-US catalogue, else None."""
    head = body.lstrip()[:1]
    if head != b"{" or b'"dataset"' not in body:
        return None
    try:
        data = json.loads(body.decode("utf-8", "replace"))
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("dataset"), list):
        return None
    conforms = str(data.get("conformsTo") or "")
    kind = str(data.get("@type") or "")
    if "project-open-data" in conforms or kind in ("dcat:Catalog", "Catalog"):
        return data
    return None


def is_dcat_us(body: bytes) -> bool:
    return read_catalog(body) is not None


def _publisher(value: Any) -> str:
    if isinstance(value, dict):
        return short_text(value.get("name") or value.get("foaf:name"))
    return short_text(value)


def _dataset(
    entry: dict[str, Any],
    *,
    source: str,
    portal_url: str,
    country: str | None,
    language: str | None,
) -> OpenDataRecord:
    warnings: list[str] = []
    ident = short_text(entry.get("identifier"))
    title = short_text(entry.get("title"))
    if not ident and not title:
        raise ValueError("dataset without identifier and title")
    url = http_url(entry.get("landingPage")) or http_url(ident)
    if not url:
        url = f"{portal_url}datasets/{slug(ident or title)}"
        warnings.append("no landingPage: URL made up from the portal and the identifier")
    if not ident:
        ident = url
        warnings.append("no identifier: the URL is used")
    if not title:
        title = ident
        warnings.append("no title: the identifier is used")
    description = plain_text(entry.get("description"))
    distributions = [d for d in json_list(entry.get("distribution")) if isinstance(d, dict)]
    formats = normalise_formats(
        d.get("format")
        or d.get("mediaType")
        or format_from_url(d.get("downloadURL"))
        or format_from_url(d.get("accessURL"))
        for d in distributions
    )
    modified_raw = entry.get("modified")
    modified = iso_datetime(modified_raw)
    if modified_raw and not modified:
        warnings.append(f"modified is no date: {str(modified_raw)[:40]!r}")
    declared = first_language(json_list(entry.get("language")))
    return OpenDataRecord(
        source=source,
        url=url,
        portal_url=portal_url,
        kind="dataset",
        dataset_id=ident,
        title=title,
        description=description,
        publisher=_publisher(entry.get("publisher")) or None,
        tags=dedupe(short_text(k) for k in json_list(entry.get("keyword"))),
        themes=dedupe(t for t in (theme_label(v) for v in json_list(entry.get("theme"))) if t),
        license=license_label(entry.get("license")),
        issued=iso_day(entry.get("issued")),
        modified=modified,
        resources_count=len(distributions),
        formats=[f for f in formats if f],
        country=country_of(country) if country else None,
        language=declared or detect_language(f"{title}\n{description}", hint=language),
        warnings=warnings,
        raw=entry,
    )


def _catalog_language(catalog: dict[str, Any]) -> str | None:
    """The language most datasets of the catalogue declare (the hint for short texts)."""
    declared = Counter(
        code
        for entry in catalog.get("dataset") or []
        if isinstance(entry, dict)
        for code in [first_language(json_list(entry.get("language")))]
        if code
    )
    ranked = declared.most_common(1)
    return ranked[0][0] if ranked else None


def catalog_records(
    catalog: dict[str, Any],
    *,
    source: str,
    portal_url: str,
    country: str | None = None,
    language: str | None = None,
    seen_publishers: set[str] | None = None,
) -> tuple[list[OpenDataRecord], list[str]]:
    """``(records, problems)``: the datasets then each publisher not in ``seen_publishers``
    (updated in place); an unreadable entry is a problem, never the end of the others."""
    seen = seen_publishers if seen_publishers is not None else set()
    language = language or _catalog_language(catalog)
    datasets: list[OpenDataRecord] = []
    publishers: list[OpenDataRecord] = []
    problems: list[str] = []
    for index, entry in enumerate(catalog.get("dataset") or []):
        if not isinstance(entry, dict):
            problems.append(f"dataset #{index} is not an object")
            continue
        try:
            item = _dataset(
                entry, source=source, portal_url=portal_url, country=country, language=language
            )
        except Exception as exc:  # a bad record is counted, never the end of the page
            problems.append(f"dataset #{index}: {exc}")
            continue
        datasets.append(item)
        name = item.publisher
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            publishers.append(
                named_publisher(
                    name,
                    source=source,
                    portal_url=portal_url,
                    country=item.country,
                    language=item.language,
                    raw={"publisher": entry.get("publisher")},
                )
            )
    return datasets + publishers, problems
