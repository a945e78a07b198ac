"""Field normalisers shared by the CKAN, DCAT and Socrata parsers (pure functions).

Formats become short upper-case names (``"CSV"``, ``"GeoJSON"``), EU data-theme URIs become
readable labels (``"Health"``), languages ISO 639-1 and countries ISO 3166-1 alpha-2 codes,
timestamps ISO 8601 with an explicit offset (CKAN publishes UTC without one).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import pycountry

from spiders.parsers.language import normalise_language_code
from spiders.parsers.places import country_code
from spiders.parsers.text import clean_text, html_to_text

#: EU Publications Office "data-theme" authority table (DCAT-AP themes).
EU_DATA_THEMES = {
    "AGRI": "Agriculture, fisheries, forestry and food",
    "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport",
    "ENER": "Energy",
    "ENVI": "Environment",
    "GOVE": "Government and public sector",
    "HEAL": "Health",
    "INTR": "International issues",
    "JUST": "Justice, legal system and public safety",
    "OP_DATPRO": "Provisional data",
    "REGI": "Regions and cities",
    "SOCI": "Population and society",
    "TECH": "Science and technology",
    "TRAN": "Transport",
}
_EU_AUTHORITY = "publications.europa.eu/resource/authority/"

#: Spellings of formats that are not just the upper-cased name.
_FORMAT_ALIASES = {
    "geojson": "GeoJSON",
    "geo+json": "GeoJSON",
    "vnd.geo+json": "GeoJSON",
    "geotiff": "GeoTIFF",
    "tiff": "TIFF",
    "geopackage": "GeoPackage",
    "gpkg": "GeoPackage",
    "json-ld": "JSON-LD",
    "jsonld": "JSON-LD",
    "ld+json": "JSON-LD",
    "comma separated values": "CSV",
    "comma-separated values": "CSV",
    "text/comma-separated-values": "CSV",
    "plain": "TXT",
    "text": "TXT",
    "vnd.ms-excel": "XLS",
    "excel": "XLS",
    "vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "vnd.oasis.opendocument.spreadsheet": "ODS",
    "rdf+xml": "RDF",
    "rdf/xml": "RDF",
    "turtle": "TTL",
    "esri shapefile": "SHP",
    "shapefile": "SHP",
    "x-shapefile": "SHP",
    "zip": "ZIP",
    "x-zip-compressed": "ZIP",
    "vnd.google-earth.kml+xml": "KML",
    "atom+xml": "ATOM",
    "rss+xml": "RSS",
    "html": "HTML",
    "xhtml+xml": "HTML",
    "webpage": "HTML",
    "web page": "HTML",
    "api": "API",
    "ogc wms": "WMS",
    "ogc wfs": "WFS",
    "wms_srvc": "WMS",
    "wfs_srvc": "WFS",
}
_FORMAT_JUNK_RE = re.compile(r"^[.\s]+|[\s.]+$")
_LANG_URI_RE = re.compile(r"/language/([A-Za-z_]{2,8})/?$")
_COUNTRY_URI_RE = re.compile(r"/country/([A-Za-z]{2,3})/?$")
_NAIVE_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def as_list(value: Any) -> list[Any]:
    """A JSON value as a list: lists stay, ``None``/``""`` become ``[]``, scalars ``[x]``."""
    if value is None or value == "":
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def json_list(value: Any) -> list[Any]:
    """CKAN extras often hold JSON arrays as strings (``'["de", "en"]'``): decode those."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("[") and text.endswith("]"):
            try:
                decoded = json.loads(text)
            except ValueError:
                return [value]
            return as_list(decoded)
        if "," in text and "://" not in text:
            return [part.strip() for part in text.split(",") if part.strip()]
    return as_list(value)


def dedupe(values: Iterable[str]) -> list[str]:
    """Non-empty values in first-seen order, duplicates (ignoring case) dropped."""
    seen: set[str] = set()
    out: list[str] = []
    for value in values:
        if not value:
            continue
        key = value.casefold()
        if key not in seen:
            seen.add(key)
            out.append(value)
    return out


def plain_text(value: Any) -> str:
    """A description as plain text (HTML or Markdown-ish text in, lines out)."""
    if not isinstance(value, str):
        return ""
    return html_to_text(value).strip()


def short_text(value: Any) -> str:
    """A title-like field: one clean line (``""`` for non-strings)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        return ""
    if value.isascii() and value.isprintable() and "&" not in value and "  " not in value:
        return value.strip()  # nothing for clean_text to do (the common case; it is hot)
    return clean_text(value)


def http_url(value: Any) -> str | None:
    """``value`` when it is an absolute http(s) URL, else None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme in ("http", "https") and parts.netloc and " " not in text:
        return text
    return None


def normalise_format(value: Any) -> str | None:
    """``"csv"``, ``"text/csv"``, ``".CSV"``, EU file-type or IANA URIs -> ``"CSV"``."""
    text = short_text(value)
    if not text:
        return None
    if "://" in text:  # .../file-type/CSV, https://www.iana.org/assignments/media-types/text/csv
        path = urlsplit(text).path.rstrip("/")
        if "/media-types/" in path:
            text = path.split("/media-types/", 1)[1]
        else:
            text = unquote(path.rsplit("/", 1)[-1])
    lowered = _FORMAT_JUNK_RE.sub("", text.lower())
    if "/" in lowered and " " not in lowered:  # a media type: text/csv, application/geo+json
        lowered = lowered.split(";", 1)[0].split("/", 1)[1]
    if lowered in _FORMAT_ALIASES:
        return _FORMAT_ALIASES[lowered]
    if lowered.startswith("x-"):
        lowered = lowered[2:]
    if lowered in _FORMAT_ALIASES:
        return _FORMAT_ALIASES[lowered]
    if not lowered or len(lowered) > 30:
        return None
    return lowered.replace("_", " ").upper()


def normalise_formats(values: Iterable[Any]) -> list[str]:
    return dedupe(f for f in (normalise_format(v) for v in values) if f)


def theme_label(value: Any, labels: dict[str, str] | None = None) -> str | None:
    """A readable theme: EU data-theme URIs or codes -> their label; other URIs -> ``labels``
    (e.g. ``skos:prefLabel`` from the catalogue) or their last path segment."""
    text = short_text(value)
    if not text:
        return None
    if labels and text in labels:
        return labels[text]
    code = text.rstrip("/").rsplit("/", 1)[-1]
    if (_EU_AUTHORITY in text and "/data-theme/" in text) or text in EU_DATA_THEMES:
        return EU_DATA_THEMES.get(code.upper(), code)
    if "://" in text:
        segment = unquote(code).replace("_", " ").replace("-", " ").strip()
        return segment[:1].upper() + segment[1:] if segment else None
    return text


def language_code(value: Any) -> str | None:
    """ISO 639-1 from a code (``de``, ``deu``, ``ger``, ``en-GB``), an EU language URI
    (``.../language/DEU``) or an English name (``German``)."""
    text = short_text(value)
    if not text:
        return None
    match = _LANG_URI_RE.search(text)
    if match:
        text = match.group(1)
    code = normalise_language_code(text)
    if code:
        return code
    try:
        lang = pycountry.languages.lookup(text)
    except LookupError:
        return None
    alpha_2 = getattr(lang, "alpha_2", None)
    return str(alpha_2) if alpha_2 else None


def first_language(values: Iterable[Any]) -> str | None:
    for value in values:
        for item in json_list(value):
            code = language_code(item)
            if code:
                return code
    return None


def country_of(value: Any) -> str | None:
    """ISO 3166-1 alpha-2 from a code, a name or an EU country URI (``.../country/DEU``)."""
    text = short_text(value)
    if not text:
        return None
    match = _COUNTRY_URI_RE.search(text)
    if match:
        text = match.group(1)
    elif "://" in text or text.startswith(("{", "[")):
        return None  # GeoJSON geometries and other URIs do not name a country
    return country_code(text)


def iso_datetime(value: Any) -> str | None:
    """An ISO 8601 timestamp with offset (naive CKAN timestamps are UTC), a bare date as
    ``YYYY-MM-DD``, or None when unreadable."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        return value.isoformat()
    else:
        text = short_text(value)
        if not text:
            return None
        if len(text) == 10:
            try:
                return date.fromisoformat(text).isoformat()
            except ValueError:
                return None
        if not _NAIVE_ISO_RE.match(text):
            return None
        try:
            parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.isoformat(timespec="seconds")


def iso_day(value: Any) -> str | None:
    """The calendar date (``YYYY-MM-DD``) of an ISO timestamp or date, or None."""
    stamp = iso_datetime(value)
    return stamp[:10] if stamp else None
