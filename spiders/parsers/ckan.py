"""CKAN action API payloads -> :class:`~crawler.items.OpenDataRecord` (pure functions).

Covers CKAN 2.2 to 2.11 answers: the ``{"help", "success", "result"}`` envelope (also as
JSONP or ``text/plain``), ``success: false`` errors, HTML where JSON was expected,
``organization: null``, tags as dicts or strings, extras as a list of ``{"key", "value"}`` or a
dict, ``metadata_modified`` without a timezone (UTC) or with microseconds, ``num_resources``
without ``resources``, ckanext-scheming top-level fields (``theme``, ``publisher_name``,
repeating ``publisher`` subfields), ckanext-dcat extras (``dcat_issued``, ``language``,
``spatial_uri``), ckanext-fluent translations (``title_translated``, ``notes_translated``, tags
as ``{lang: [tags]}``), resources whose format is only a mimetype or a URL extension, and
ckanext-showcase showcases.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

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
    language_code,
    license_label,
    normalise_formats,
    pick_translation,
    plain_text,
    short_text,
    theme_label,
    unwrap_jsonp,
)

#: CKAN dataset types that are not datasets (showcases come from ckanext-showcase actions).
NON_DATASET_TYPES = frozenset({"showcase", "harvest"})
#: Path segments of CKAN's web UI: the portal root is what comes before them.
#: ``dcat``/``export`` folders hold catalogue files (``/data/dcat/catalog.ttl``), not portals;
#: ``d``, ``browse``, ``stories``, ``views`` are Socrata's pages; ``explore`` OpenDataSoft's;
#: ``datasets``, ``reuses``, ``organizations`` uData's and ArcGIS Hub's.
_UI_SEGMENTS = (
    "explore",
    "datasets",
    "reuses",
    "organizations",
    "d",
    "browse",
    "stories",
    "views",
    "dataset",
    "organization",
    "group",
    "showcase",
    "catalog",
    "harvest",
    "ckan-admin",
    "dcat",
    "export",
)
#: Catalogue files (``catalog.ttl``, ``data.json``): a file is never the portal's root.
_FILE_SUFFIXES = (".ttl", ".rdf", ".jsonld", ".xml", ".json")
_API_RE = re.compile(r"^(?P<root>.*?/)api/(?:(?P<version>\d+)/)?(?:action/|util/|rest/|search/)?")
_TITLE_RE = re.compile(rb"<title[^>]*>(.*?)</title>", re.I | re.S)
#: A Socrata asset id ("four-by-four"), last in its link ``/<category>/<name>/<id>``.
_FOUR_BY_FOUR_RE = re.compile(r"^[a-z0-9]{4}-[a-z0-9]{4}$")
_COUNTRY_KEYS = (
    "country",
    "spatial_text",
    "geographical_coverage",
    "geographic_coverage",
    "spatial_uri",
    "spatial",
)
_LANGUAGE_KEYS = ("language", "dct_language", "dcterms_language", "languages")


class CkanError(ValueError):
    """A CKAN answer that cannot be used; ``problem`` is the stats key suffix."""

    def __init__(self, problem: str, message: str) -> None:
        super().__init__(message)
        self.problem = problem


# --- addresses ------------------------------------------------------------------------------
def portal_root(url: str) -> str:
    """The portal's root URL with a trailing slash, from any URL of the portal.

    ``https://h/data/api/3/action/package_search?q=x`` -> ``https://h/data/``;
    ``https://h/data/dataset/abc`` -> ``https://h/data/``; ``https://h/data`` -> ``https://h/data/``;
    a Socrata link ``https://h/Transport/Bike-lanes/ab12-cd34`` -> ``https://h/``. A URL that
    cannot be split (``http://[``) comes back as it is.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return url.strip()
    path = parts.path or "/"
    match = _API_RE.match(path if path.endswith("/") else path + "/")
    if match:
        path = match.group("root")
    else:
        segments = [s for s in path.split("/") if s]
        for i, segment in enumerate(segments):
            if segment in _UI_SEGMENTS or segment.endswith(_FILE_SUFFIXES):
                segments = segments[:i]
                break
        else:
            if segments and _FOUR_BY_FOUR_RE.match(segments[-1]):
                segments = segments[: max(0, len(segments) - 3)]
        path = "/" + "/".join(segments)
    if not path.endswith("/"):
        path += "/"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def api_base(url: str) -> str:
    """The action API base (``<portal>/api/3/action/``), keeping an explicit ``/api/action/``."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # not a readable URL: portal_root keeps it as it is
        return portal_root(url) + "api/3/action/"
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    match = _API_RE.match(path)
    if match and match.group("version") is None and "/api/action/" in path:
        return urlunsplit(
            (parts.scheme, parts.netloc, str(match.group("root")) + "api/action/", "", "")
        )
    return portal_root(url) + "api/3/action/"


def action_url(base: str, action: str, params: dict[str, Any] | None = None) -> str:
    query = urlencode({k: v for k, v in (params or {}).items() if v is not None})
    return f"{base}{action}?{query}" if query else f"{base}{action}"


def solr_datetime(moment: datetime) -> str:
    """A Solr date (``2024-05-01T10:00:00Z``) for ``metadata_modified`` range queries."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def modified_since_query(since: datetime) -> str:
    return f"metadata_modified:[{solr_datetime(since)} TO *]"


# --- the envelope ---------------------------------------------------------------------------
def _html_title(body: bytes) -> str:
    match = _TITLE_RE.search(body[:20000])
    if not match:
        return ""
    return short_text(match.group(1).decode("utf-8", "replace"))[:120]


def read_result(body: bytes, *, content_type: str = "", status: int = 200) -> Any:
    """The ``result`` of a CKAN action answer; raises :class:`CkanError` when unusable."""
    stripped = body.lstrip().removeprefix(b"\xef\xbb\xbf")
    if not stripped:
        raise CkanError("empty", f"empty answer (HTTP {status})")
    stripped = unwrap_jsonp(stripped)  # ``callback({...});`` from a JSONP-enabled API
    # JSON is read whatever the content type says (some servers label it text/html)
    if stripped[:1] == b"<" or ("html" in content_type.lower() and stripped[:1] not in b"{["):
        title = _html_title(stripped)
        ctype = content_type or "no content type"
        where = f", page title {title!r}" if title else ""
        raise CkanError("not_json", f"HTML instead of JSON (HTTP {status}, {ctype}{where})")
    try:
        data = json.loads(stripped.decode("utf-8", "replace"))
    except (ValueError, RecursionError) as exc:  # RecursionError: nested too deep
        raise CkanError("bad_json", f"invalid JSON (HTTP {status}): {exc}") from exc
    if isinstance(data, dict) and "success" in data:
        if data.get("success") is True or data.get("success") == "true":
            return data.get("result")
        error = data.get("error")
        if isinstance(error, dict):
            kind = error.get("__type") or "error"
            detail = (
                error.get("message")
                or json.dumps(
                    {k: v for k, v in error.items() if k != "__type"}, ensure_ascii=False
                )[:300]
            )
            message = f"{kind}: {detail}"
        else:
            message = str(error)[:300] if error else "no error given"
        raise CkanError("success_false", f"success: false (HTTP {status}): {message}")
    if status >= 400:
        raise CkanError(f"http_{status}", f"HTTP {status} without a CKAN error")
    if isinstance(data, dict) and "result" in data:
        return data["result"]
    raise CkanError("bad_shape", "JSON without a CKAN envelope (no 'success'/'result')")


def search_page(result: Any) -> tuple[int | None, list[Any]]:
    """``(count, results)`` of a ``package_search`` result (``results`` may be ids on old APIs)."""
    if isinstance(result, list):  # ``package_list``-like answers
        return None, result
    if not isinstance(result, dict):
        raise CkanError("bad_shape", f"package_search result is a {type(result).__name__}")
    results = result.get("results")
    if not isinstance(results, list):
        raise CkanError("bad_shape", "package_search result has no 'results' list")
    count = result.get("count")
    if isinstance(count, str) and count.isdigit():
        count = int(count)
    return (count if isinstance(count, int) and not isinstance(count, bool) else None), results


def listed_ids(result: Any) -> list[dict[str, str]]:
    """``[{"id", "name"}]`` from package dicts, ids or names (showcase links, id listings)."""
    if isinstance(result, dict) and isinstance(result.get("results"), list):
        result = result["results"]
    out: list[dict[str, str]] = []
    for entry in result if isinstance(result, list) else []:
        if isinstance(entry, dict):
            ident = entry.get("id")
            name = entry.get("name")
            if isinstance(ident, str) and ident:
                out.append({"id": ident, "name": name if isinstance(name, str) and name else ident})
            elif isinstance(name, str) and name:
                out.append({"id": name, "name": name})
        elif isinstance(entry, str) and entry:
            out.append({"id": entry, "name": entry})
    return out


# --- fields ---------------------------------------------------------------------------------
def extras_of(record: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    """Extras as a dict: CKAN 2.x gives ``[{"key", "value"}]``, old APIs a dict."""
    extras = record.get("extras")
    if isinstance(extras, dict):
        return dict(extras)
    out: dict[str, Any] = {}
    if isinstance(extras, list):
        for entry in extras:
            if isinstance(entry, dict) and isinstance(entry.get("key"), str):
                if entry.get("state", "active") != "deleted":
                    out[entry["key"]] = entry.get("value")
            else:
                warnings.append(f"extras entry ignored: {str(entry)[:80]}")
    elif extras not in (None, ""):
        warnings.append(f"extras of unexpected type {type(extras).__name__} ignored")
    return out


def _field(record: dict[str, Any], extras: dict[str, Any], *names: str) -> Any:
    """The first non-empty top-level field (ckanext-scheming) or extra among ``names``."""
    for name in names:
        for holder in (record, extras):
            value = holder.get(name)
            if value not in (None, "", [], {}):
                return value
    return None


def _translated(value: Any, prefer: str | None) -> str:
    """A ckanext-fluent ``{"en": ..., "de": ...}`` value in the preferred language."""
    return _translated_in(value, prefer)[0]


def _translated_in(value: Any, prefer: str | None) -> tuple[str, str | None]:
    """``(text, language)``: a fluent value in the preferred language (then English, then the
    first language that has text); a plain string has no known language."""
    return pick_translation(value, prefer)


def _tag_names(tags: Any, prefer: str | None = None) -> list[str]:
    """Tag names from dicts, strings, or ckanext-fluent ``{lang: [tags]}`` (one language)."""
    if isinstance(tags, dict):
        lists = {k: v for k, v in tags.items() if isinstance(v, list) and v}
        lang = next((x for x in (prefer, "en") if x and x in lists), None)
        if lang is None and lists:
            lang = sorted(lists)[0]
        tags = lists.get(lang, []) if lang else []
    names: list[str] = []
    for tag in tags if isinstance(tags, list) else json_list(tags):
        if isinstance(tag, dict):
            names.append(short_text(tag.get("display_name") or tag.get("name")))
        else:
            names.append(short_text(tag))
    return dedupe(names)


def _group_labels(groups: Any) -> list[str]:
    labels: list[str] = []
    for group in groups if isinstance(groups, list) else []:
        if isinstance(group, dict):
            labels.append(
                short_text(
                    _translated(group.get("title_translated"), None)
                    or group.get("title")
                    or group.get("display_name")
                    or group.get("name")
                )
            )
        elif isinstance(group, str):
            labels.append(short_text(group))
    return labels


def _publisher(record: dict[str, Any], extras: dict[str, Any]) -> str | None:
    org = record.get("organization")
    if isinstance(org, dict):
        name = short_text(org.get("title") or org.get("display_name") or org.get("name"))
        if name:
            return name
    for value in (_field(record, extras, "publisher_name", "publisher"), record.get("author")):
        # ckanext-dcat scheming: ``publisher: [{"name", "uri", ...}]`` (repeating subfields)
        for entry in json_list(value) if isinstance(value, list | str) else [value]:
            if isinstance(entry, dict):
                entry = _translated(entry.get("name"), None) or entry.get("name")
            text = short_text(entry) if isinstance(entry, str) else ""
            if text and not text.startswith(("{", "[")):
                return text
    return None


def _resources(record: dict[str, Any], warnings: list[str]) -> tuple[int, list[str]]:
    resources = record.get("resources")
    declared = record.get("num_resources")
    formats: list[Any] = []
    if isinstance(resources, list):
        count = len(resources)
        for res in resources:
            if isinstance(res, dict):
                formats.append(
                    res.get("format") or res.get("mimetype") or format_from_url(res.get("url"))
                )
        if isinstance(declared, int) and declared != count:
            warnings.append(f"num_resources is {declared} but {count} resources are listed")
    elif isinstance(declared, int) and not isinstance(declared, bool) and declared >= 0:
        count = declared
    else:
        count = 0
    return count, normalise_formats(f for f in formats if f)


def _language(
    record: dict[str, Any],
    extras: dict[str, Any],
    text: str,
    hint: str | None,
    text_language: str | None = None,
) -> str | None:
    """The declared language, else that of the translation chosen, else the text's."""
    declared = first_language(
        v for v in (_field(record, extras, name) for name in _LANGUAGE_KEYS) if v is not None
    )
    return declared or language_code(text_language) or detect_language(text, hint=hint)


def _country(record: dict[str, Any], extras: dict[str, Any], option: str | None) -> str | None:
    if option:
        return country_of(option)
    for name in _COUNTRY_KEYS:
        value = _field(record, extras, name)
        for candidate in json_list(value) if value is not None else []:
            code = country_of(candidate)
            if code:
                return code
    return None


def page_url(portal_url: str, kind: str, record: dict[str, Any]) -> str:
    """``<portal>/<kind>/<name>`` (the id when a record has no name)."""
    name = record.get("name") if isinstance(record.get("name"), str) and record["name"] else None
    ident = name or str(record.get("id") or "")
    return f"{portal_url}{kind}/{quote(ident, safe='-_.~')}"


def is_dataset(record: dict[str, Any]) -> bool:
    return str(record.get("type") or "dataset") not in NON_DATASET_TYPES


def _common(
    record: dict[str, Any],
    *,
    kind: str,
    page_kind: str,
    source: str,
    portal_url: str,
    country: str | None,
    language: str | None,
) -> OpenDataRecord:
    warnings: list[str] = []
    extras = extras_of(record, warnings)
    ident = record.get("id")
    if not isinstance(ident, str) or not ident:
        ident = record.get("name") if isinstance(record.get("name"), str) else ""
        warnings.append("no id: the name is used")
    title = short_text(
        _translated(record.get("title"), language)
        or _translated(record.get("title_translated"), language)
        or record.get("display_name")
    )
    if not title:
        title = short_text(record.get("name"))
        if title:
            warnings.append("no title: the name is used")
    text_language: str | None = None
    for key in ("notes", "notes_translated", "description", "description_translated"):
        chosen, text_language = _translated_in(record.get(key), language)
        if chosen.strip():
            break
    description = plain_text(chosen)
    modified_raw = record.get("metadata_modified")
    modified = iso_datetime(modified_raw)
    if modified_raw and not modified:
        warnings.append(f"unreadable metadata_modified {str(modified_raw)[:40]!r}")
    issued = iso_day(_field(record, extras, "issued", "dcat_issued")) or iso_day(
        record.get("metadata_created") or record.get("created")
    )
    themes = _group_labels(record.get("groups"))
    theme_extra = _field(record, extras, "theme", "themes", "dcat_theme")
    themes += [t for t in (theme_label(v) for v in json_list(theme_extra)) if t]
    count, formats = _resources(record, warnings)
    license_value = license_label(
        _translated(record.get("license_title"), language)
        or record.get("license_id")
        or record.get("license_url")
    )
    return OpenDataRecord(
        source=source,
        url=page_url(portal_url, page_kind, record),
        portal_url=portal_url,
        kind=kind,
        dataset_id=str(ident),
        title=title,
        description=description,
        publisher=_publisher(record, extras),
        tags=_tag_names(record.get("tags"), language)
        or _tag_names(_field(record, extras, "tags_translated", "keywords"), language),
        themes=dedupe(themes),
        license=license_value,
        issued=issued,
        modified=modified,
        resources_count=count,
        formats=formats,
        country=_country(record, extras, country),
        language=_language(record, extras, f"{title}\n{description}", language, text_language),
        deleted=record.get("state") == "deleted",
        warnings=warnings,
        raw=record,
    )


def dataset_record(
    pkg: dict[str, Any],
    *,
    source: str,
    portal_url: str,
    country: str | None = None,
    language: str | None = None,
) -> OpenDataRecord:
    """One CKAN package dict (``package_search`` result or ``package_show``) as a dataset."""
    return _common(
        pkg,
        kind="dataset",
        page_kind="dataset",
        source=source,
        portal_url=portal_url,
        country=country,
        language=language,
    )


def showcase_record(
    showcase: dict[str, Any],
    linked: list[str],
    *,
    source: str,
    portal_url: str,
    country: str | None = None,
    language: str | None = None,
) -> OpenDataRecord:
    """A ckanext-showcase showcase, with the ids of the datasets it reuses."""
    item = _common(
        showcase,
        kind="showcase",
        page_kind="showcase",
        source=source,
        portal_url=portal_url,
        country=country,
        language=language,
    )
    extras = extras_of(showcase, [])
    item.linked_dataset_ids = dedupe(linked)
    for value in (
        showcase.get("url"),
        extras.get("url"),
        extras.get("external_link"),
        extras.get("website"),
    ):
        url = http_url(value)
        if url:
            item.showcase_url = url
            break
    else:
        if showcase.get("url"):
            item.warnings.append(f"showcase url is not an http(s) URL: {str(showcase['url'])[:80]}")
    return item


def publisher_record(
    org: dict[str, Any],
    *,
    source: str,
    portal_url: str,
    country: str | None = None,
    language: str | None = None,
) -> OpenDataRecord:
    """A CKAN organization (``organization_list all_fields`` or ``organization_show``)."""
    item = _common(
        {k: v for k, v in org.items() if k not in ("packages", "users")},
        kind="publisher",
        page_kind="organization",
        source=source,
        portal_url=portal_url,
        country=country,
        language=language,
    )
    item.publisher = item.title or None
    return item
