"""Field normalisers shared by the CKAN, DCAT and Socrata parsers (pure functions).

Formats become short upper-case names (``"CSV"``, ``"GeoJSON"``), EU data-theme URIs become
readable labels (``"Health"``), licence URIs SPDX-style names (``"CC-BY-4.0"``), languages
ISO 639-1 and countries ISO 3166-1 alpha-2 codes, timestamps ISO 8601 with an explicit offset
(CKAN publishes UTC without one), descriptions plain text (HTML and Markdown reduced).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import pycountry

from crawler.text import clean_text, html_to_text, normalise_language_code
from crawler.urls import readable_url
from spiders.parsers.places import country_code

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
#: Languages by their own names, as portals write them in free-text language fields.
_ENDONYMS = {
    "deutsch": "de",
    "english": "en",
    "français": "fr",
    "francais": "fr",
    "nederlands": "nl",
    "español": "es",
    "espanol": "es",
    "castellano": "es",
    "italiano": "it",
    "polski": "pl",
    "svenska": "sv",
    "dansk": "da",
    "suomi": "fi",
    "norsk": "no",
    "português": "pt",
    "portugues": "pt",
    "català": "ca",
    "catala": "ca",
    "čeština": "cs",
    "magyar": "hu",
    "eesti": "et",
    "latviešu": "lv",
    "lietuvių": "lt",
    "slovenčina": "sk",
    "slovenščina": "sl",
    "hrvatski": "hr",
    "română": "ro",
    "ελληνικά": "el",
    "български": "bg",
    "gaeilge": "ga",
    "euskara": "eu",
    "galego": "gl",
    "türkçe": "tr",
    "lëtzebuergesch": "lb",
}
_COUNTRY_URI_RE = re.compile(r"/country/([A-Za-z]{2,3})/?$")
_NAIVE_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# Markdown (CKAN notes, some DCAT descriptions): links and images, emphasis, headings, code.
_MD_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)\s]+(?:\s+\"[^\"]*\")?\)")
_MD_STRONG_RE = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_MD_EM_RE = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?![\w*])")
_MD_UNDERSCORE_EM_RE = re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]+?)(?<=[^\s_])_(?![\w_])")
_MD_CODE_RE = re.compile(r"`([^`\n]+)`")
_MD_HEADING_RE = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", re.M)
_MD_RULE_RE = re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.M)
_JSONP_RE = re.compile(rb"^\s*(?:/\*\*/)?\s*[A-Za-z_$][\w$.]*\s*\(\s*(.*?)\s*\)\s*;?\s*$", re.S)
_URL_EXT_RE = re.compile(r"\.([A-Za-z0-9]{2,8})$")
#: Extensions of download URLs that name a format (a resource without ``format``/mimetype).
_URL_FORMATS = {
    "csv": "CSV",
    "tsv": "TSV",
    "json": "JSON",
    "geojson": "GeoJSON",
    "xml": "XML",
    "xls": "XLS",
    "xlsx": "XLSX",
    "ods": "ODS",
    "pdf": "PDF",
    "zip": "ZIP",
    "kml": "KML",
    "kmz": "KMZ",
    "gpkg": "GeoPackage",
    "shp": "SHP",
    "rdf": "RDF",
    "ttl": "TTL",
    "jsonld": "JSON-LD",
    "parquet": "PARQUET",
    "txt": "TXT",
    "gpx": "GPX",
    "tif": "TIFF",
    "tiff": "TIFF",
    "docx": "DOCX",
    "doc": "DOC",
    "odt": "ODT",
    "gml": "GML",
    "xsd": "XSD",
}
#: Licence URIs -> SPDX-style names: ``(pattern over host+path, name template)``.
_LICENSE_PATTERNS = (
    (re.compile(r"creativecommons\.org/publicdomain/zero/(\d\.\d)"), "CC0-{0}"),
    (re.compile(r"creativecommons\.org/publicdomain/mark/"), "PDM"),
    (re.compile(r"creativecommons\.org/licenses/([a-z-]+)/(\d\.\d)"), "CC-{0}-{1}"),
    (re.compile(r"dcat-ap\.de/def/licenses/dl-(by|zero)-de/(\d\.\d)"), "DL-DE-{0}-{1}"),
    (re.compile(r"govdata\.de/dl-de/(by|zero)-(\d)-(\d)"), "DL-DE-{0}-{1}.{2}"),
    (re.compile(r"opendatacommons\.org/licenses/odbl"), "ODbL-1.0"),
    (re.compile(r"opendatacommons\.org/licenses/by"), "ODC-By-1.0"),
    (re.compile(r"opendatacommons\.org/licenses/pddl"), "PDDL-1.0"),
    (
        re.compile(r"nationalarchives\.gov\.uk/doc/open-government-licence/version/(\d)"),
        "OGL-UK-{0}.0",
    ),
    (re.compile(r"etalab\.gouv\.fr/.*(?:licence-ouverte|lov?)[-_]?v?(2)"), "etalab-2.0"),
    (re.compile(r"etalab\.gouv\.fr/licence-ouverte"), "Licence Ouverte"),
    (re.compile(r"data\.norge\.no/nlod/(?:[a-z]+/)?(\d\.\d)"), "NLOD-{0}"),
    (
        re.compile(
            r"opendefinition\.org/licenses/(cc-by-sa|cc-by|cc-zero|odc-odbl|odc-by|odc-pddl)"
        ),
        "{0}",
    ),
)
#: EU Publications Office "licence" authority codes -> SPDX-style names.
_EU_LICENCES = {
    "CC0": "CC0-1.0",
    "CC_BY": "CC-BY",
    "CC_BYSA": "CC-BY-SA",
    "ODC_BY": "ODC-By-1.0",
    "ODC_ODBL": "ODbL-1.0",
    "ODC_PDDL": "PDDL-1.0",
    "OGL": "OGL-UK-3.0",
    "DL_DE_BY_2_0": "DL-DE-BY-2.0",
    "DL_DE_ZERO_2_0": "DL-DE-ZERO-2.0",
    "ETALAB_2_0": "etalab-2.0",
    "IODL_2_0": "IODL-2.0",
    "NLOD_2_0": "NLOD-2.0",
    "EUPL_1_2": "EUPL-1.2",
}
_EU_LICENCE_RE = re.compile(r"^(CC_BY(?:_SA|SA|_NC|_ND|_NC_SA|_NC_ND)?|CC0)_(\d)_(\d)$")


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


def markdown_to_text(value: str) -> str:
    """Markdown reduced to its text: links and images become their text, emphasis, inline
    code and heading marks go, horizontal rules are dropped (lists and paragraphs stay lines)."""
    if not any(c in value for c in "[*_`#"):
        return value
    text = _MD_LINK_RE.sub(r"\1", value)
    text = _MD_STRONG_RE.sub(r"\2", text)
    text = _MD_EM_RE.sub(r"\1", text)
    text = _MD_UNDERSCORE_EM_RE.sub(r"\1", text)
    text = _MD_CODE_RE.sub(r"\1", text)
    text = _MD_RULE_RE.sub("", text)
    return _MD_HEADING_RE.sub(r"\1", text)


def pick_translation(value: Any, prefer: str | None) -> tuple[str, str | None]:
    """``(text, language)`` of a translated value ``{"en": ..., "de": ...}`` in the preferred
    language (then English, then the first language that has text); a plain string has no
    known language."""
    if isinstance(value, dict):
        for lang in (prefer, "en"):
            if lang and isinstance(value.get(lang), str) and value[lang].strip():
                return str(value[lang]), lang
        for lang, text in sorted(value.items()):
            if isinstance(text, str) and text.strip():
                return text, str(lang)
        return "", None
    return (value if isinstance(value, str) else ""), None


def slug(text: str) -> str:
    """A URL-safe slug of a name (a hash when nothing is left)."""
    out = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return out[:80] or hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def plain_text(value: Any) -> str:
    """A description as plain text: HTML (also escaped once) and Markdown in, lines out."""
    if not isinstance(value, str):
        return ""
    return markdown_to_text(html_to_text(value)).strip()


def unwrap_jsonp(body: bytes) -> bytes:
    """The JSON inside a JSONP answer (``callback({...});``); other bodies unchanged."""
    head = body.lstrip()[:1]
    if head in (b"{", b"[", b"") or b"(" not in body[:200]:
        return body
    match = _JSONP_RE.match(body)
    return match.group(1) if match else body


def format_from_url(value: Any) -> str | None:
    """A format named by a download URL's extension (``.../stations.geojson`` -> GeoJSON)."""
    url = http_url(value)
    if not url:
        return None
    match = _URL_EXT_RE.search(urlsplit(url).path)
    return _URL_FORMATS.get(match.group(1).lower()) if match else None


def license_label(value: Any) -> str | None:
    """A readable licence: known licence URIs (Creative Commons, EU licence authority,
    dcat-ap.de, Open Data Commons, OGL, Etalab) become SPDX-style names (``CC-BY-4.0``);
    other text is kept as it is."""
    text = short_text(value)
    if not text:
        return None
    if "://" not in text:
        return text
    lowered = text.lower()
    if _EU_AUTHORITY in lowered and "/licence/" in lowered:
        code = text.rstrip("/").rsplit("/", 1)[-1].upper()
        if code in _EU_LICENCES:
            return _EU_LICENCES[code]
        match = _EU_LICENCE_RE.match(code)
        if match:
            kind = match.group(1).replace("_", "-").replace("BYSA", "BY-SA")
            return f"{kind}-{match.group(2)}.{match.group(3)}"
        return code.replace("_", "-")
    for pattern, template in _LICENSE_PATTERNS:
        found = pattern.search(lowered)
        if found:
            groups = [g.upper() if not g[:1].isdigit() else g for g in found.groups()]
            return template.format(*groups)
    return text


def on_server(url: str, answered: str) -> str:
    """``url`` (absolute or relative to ``answered``) on the server that answered: a portal
    that names itself by another host (its configured public URL, behind a proxy) is asked
    where it answers."""
    here = urlsplit(answered)
    there = urlsplit(urljoin(answered, url))
    return urlunsplit(there._replace(scheme=here.scheme, netloc=here.netloc))


def short_text(value: Any) -> str:
    """A title-like field: one clean line (``""`` for non-strings)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        return ""
    if value.isascii() and value.isprintable() and "&" not in value and "  " not in value:
        return value.strip()  # nothing for clean_text to do (the common case; it is hot)
    return clean_text(value)


def _path_of(url: str) -> str:
    """The path of a URL, or "" when the URL cannot be split (``http://[::1``)."""
    try:
        return urlsplit(url).path
    except ValueError:
        return ""


def http_url(value: Any) -> str | None:
    """``value`` when it is an absolute http(s) URL, else None."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not readable_url(text):  # ``http://[::1``, a bad port
        return None
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
        path = _path_of(text).rstrip("/")
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
    """ISO 639-1 from a code (``de``, ``deu``, ``ger``, ``en-GB``), a language URI (EU
    authority ``.../language/DEU``, ``id.loc.gov/.../iso639-1/fr``, lexvo ``iso639-3/deu``),
    an English name (``German``) or the language's own name (``Deutsch``, ``Français``)."""
    text = short_text(value)
    if not text:
        return None
    match = _LANG_URI_RE.search(text)
    if match:
        text = match.group(1)
    elif "://" in text:
        segment = _path_of(text).rstrip("/").rsplit("/", 1)[-1]
        if not (2 <= len(segment) <= 3 and segment.isalpha()):
            return None
        text = segment
    endonym = _ENDONYMS.get(text.casefold())
    if endonym:
        return endonym
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
