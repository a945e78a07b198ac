"""OpenDataSoft Explore API v2.1 answers -> :class:`~crawler.items.OpenDataRecord` (pure).

The catalogue is ``<portal>/api/explore/v2.1/catalog/datasets?limit=&offset=`` (``limit`` at
most 100, ``offset + limit`` at most 10 000; beyond that the whole catalogue comes from
``catalog/exports/json``, a JSON list of the same entries). A page is ``{"total_count",
"results": [{"dataset_id", "has_records", "features", "attachments", "metas": {"default":
{...}, "dcat": {...}}}]}``; v2.0 answers (``{"datasets": [{"dataset": {...}}]}``) read the
same. ``metas.default`` holds ``title``, ``description`` (HTML), ``theme``, ``keyword``,
``publisher``, ``license``/``license_url``, ``modified`` (else ``metadata_processed`` or
``data_processed``), ``records_count``, ``language``, ``territory`` and
``geographic_reference`` (``"fr_40_75056"``, ``"world_de"``); any of them may be missing or
``null``, and portals with several languages may give ``{lang: text}`` values. A dataset's
reuses are ``catalog/datasets/<id>/reuses`` (``{"reuses": [{"id", "title", "description",
"url", "thumbnail", "created_at", "user"}]}``); each becomes a ``showcase``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from crawler.items import OpenDataRecord
from crawler.text import detect_language
from spiders.parsers.opendata_fields import (
    country_of,
    dedupe,
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
)
from spiders.parsers.portal_json import PortalAnswerError, int_or_none, read_json

API_PATH = "api/explore/v2.1/"
#: The largest page the catalogue endpoint gives, and how deep ``offset`` may go.
MAX_LIMIT = 100
MAX_WINDOW = 10_000
#: What every dataset with records can be exported as (geographic ones also as GeoJSON).
_RECORD_FORMATS = ("CSV", "JSON", "XLSX")


def api_root(portal_url: str) -> str:
    return portal_url + API_PATH


def catalog_url(portal_url: str, *, limit: int, offset: int) -> str:
    query = urlencode({"limit": limit, "offset": offset, "order_by": "dataset_id"})
    return f"{api_root(portal_url)}catalog/datasets?{query}"


def export_url(portal_url: str) -> str:
    return f"{api_root(portal_url)}catalog/exports/json"


def reuses_url(portal_url: str, dataset_id: str) -> str:
    return f"{api_root(portal_url)}catalog/datasets/{quote(dataset_id, safe='')}/reuses"


def dataset_page(portal_url: str, dataset_id: str) -> str:
    return f"{portal_url}explore/dataset/{quote(dataset_id, safe='-_.~')}/"


def read_page(
    body: bytes, *, content_type: str = "", status: int = 200
) -> tuple[int | None, list[Any]]:
    """``(total_count, entries)`` of a catalogue page or export; raises
    :class:`~spiders.parsers.portal_json.PortalAnswerError` when unusable."""
    data = read_json(body, content_type=content_type, status=status)
    if isinstance(data, list):  # catalog/exports/json
        return len(data), data
    if not isinstance(data, dict):
        raise PortalAnswerError("bad_shape", "catalogue answer is not a JSON object")
    if "error_code" in data or ("message" in data and "results" not in data):
        raise PortalAnswerError("api_error", str(data.get("message") or data)[:300])
    results = data.get("results")
    if results is None and isinstance(data.get("datasets"), list):  # Explore API v2.0
        results = [
            e.get("dataset") if isinstance(e, dict) and isinstance(e.get("dataset"), dict) else e
            for e in data["datasets"]
        ]
    if not isinstance(results, list):
        raise PortalAnswerError("bad_shape", "catalogue answer has no 'results' list")
    return int_or_none(data.get("total_count")), results


def read_reuses(body: bytes, *, content_type: str = "", status: int = 200) -> list[Any]:
    """The reuses of one dataset (``{"reuses": [...]}`` or ``{"results": [...]}``)."""
    data = read_json(body, content_type=content_type, status=status)
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        for key in ("reuses", "results"):
            if isinstance(data.get(key), list):
                return list(data[key])
    raise PortalAnswerError("bad_shape", "reuses answer has no 'reuses' list")


def _meta_blocks(entry: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], list[str]]:
    warnings: list[str] = []
    metas = entry.get("metas")
    if not isinstance(metas, dict):
        warnings.append("no metas: only the dataset id is known")
        metas = {}
    default = metas.get("default")
    if not isinstance(default, dict):
        default = metas if "title" in metas else {}
    dcat = metas.get("dcat") if isinstance(metas.get("dcat"), dict) else {}
    assert isinstance(dcat, dict)
    return default, dcat, warnings


def _strings(value: Any, prefer: str | None) -> list[str]:
    """Keywords, themes or territories: a list, one string (``"a;b"``, ``"a, b"``) or a
    ``{lang: [...]}`` dict."""
    if isinstance(value, dict):
        value = value.get(prefer or "") or value.get("en") or next(iter(value.values()), None)
    out: list[str] = []
    for entry in json_list(value):
        if isinstance(entry, str) and ";" in entry:
            out.extend(part for part in entry.split(";"))
        else:
            out.append(entry if isinstance(entry, str) else short_text(entry))
    return dedupe(short_text(v) for v in out)


def _country(default: dict[str, Any], prefer: str | None) -> str | None:
    for place in _strings(default.get("territory"), prefer):
        code = country_of(place)
        if code:
            return code
    for ref in _strings(default.get("geographic_reference"), prefer):
        parts = ref.lower().split("_")
        head = parts[1] if parts[0] == "world" and len(parts) > 1 else parts[0]
        if len(head) == 2 and head.isalpha():
            code = country_of(head.upper())
            if code:
                return code
    return None


def _attachment_format(attachment: dict[str, Any]) -> str | None:
    """An attachment's mimetype, else the extension of its file name (``odsfile://a.xlsx``)
    or of its id (``projets_xlsx``)."""
    if short_text(attachment.get("mimetype")):
        return str(attachment["mimetype"])
    name = short_text(attachment.get("url")).rsplit("/", 1)[-1]
    ident = short_text(attachment.get("id"))
    for candidate in (name, ident[::-1].replace("_", ".", 1)[::-1]):
        found = format_from_url(f"http://attachment.invalid/{quote(candidate)}")
        if found:
            return found
    return None


def _formats(entry: dict[str, Any]) -> tuple[int, list[str]]:
    """Records (exported as CSV, JSON, XLSX, GeoJSON) count as one resource, each attachment
    as one more."""
    attachments = [a for a in entry.get("attachments") or [] if isinstance(a, dict)]
    flag = entry.get("has_records")
    has_records = flag is True or (flag is None and bool(entry.get("fields")))
    values: list[Any] = []
    if has_records:
        values.extend(_RECORD_FORMATS)
        if "geo" in (entry.get("features") or []):
            values.append("GeoJSON")
    values.extend(_attachment_format(a) for a in attachments)
    return int(has_records) + len(attachments), normalise_formats(v for v in values if v)


def dataset_record(
    entry: dict[str, Any],
    *,
    source: str,
    portal_url: str,
    country: str | None = None,
    language: str | None = None,
) -> OpenDataRecord:
    """One catalogue entry as a dataset; ValueError when it has no ``dataset_id``."""
    ident = entry.get("dataset_id") or entry.get("datasetid")
    if not isinstance(ident, str) or not ident.strip():
        raise ValueError("no dataset_id")
    default, dcat, warnings = _meta_blocks(entry)
    declared = language_code(default.get("language"))
    prefer = language or declared
    title, title_lang = pick_translation(default.get("title"), prefer)
    title = short_text(title)
    if not title:
        title = ident
        warnings.append("no title: the dataset id is used")
    description = plain_text(pick_translation(default.get("description"), prefer)[0])
    modified_raw = next(
        (
            default.get(k)
            for k in ("modified", "metadata_processed", "data_processed")
            if default.get(k)
        ),
        None,
    )
    modified = iso_datetime(modified_raw)
    if modified_raw and not modified:
        warnings.append(f"unreadable modified {str(modified_raw)[:40]!r}")
    count, formats = _formats(entry)
    themes = [theme_label(t) for t in _strings(default.get("theme"), prefer)]
    return OpenDataRecord(
        source=source,
        url=dataset_page(portal_url, ident),
        portal_url=portal_url,
        kind="dataset",
        dataset_id=ident,
        title=title,
        description=description,
        publisher=short_text(pick_translation(default.get("publisher"), prefer)[0])
        or short_text(dcat.get("creator"))
        or None,
        tags=_strings(default.get("keyword"), prefer),
        themes=dedupe(t for t in themes if t),
        license=license_label(default.get("license") or default.get("license_url")),
        issued=iso_day(dcat.get("issued") or dcat.get("created")),
        modified=modified,
        resources_count=count,
        formats=formats,
        country=country_of(country) if country else _country(default, prefer),
        language=declared
        or language_code(title_lang)
        or detect_language(f"{title}\n{description}", hint=language),
        warnings=warnings,
        raw=entry,
    )


def _user_name(user: Any) -> str | None:
    if not isinstance(user, dict):
        return short_text(user) or None
    full = " ".join(
        short_text(user.get(k)) for k in ("first_name", "last_name") if short_text(user.get(k))
    )
    return full or short_text(user.get("username")) or None


def reuse_record(
    reuse: dict[str, Any],
    dataset_id: str,
    *,
    source: str,
    portal_url: str,
    country: str | None = None,
    language: str | None = None,
) -> OpenDataRecord:
    """One reuse of a dataset as a showcase (its own ``url`` is the project's website)."""
    ident = short_text(reuse.get("id"))
    if not ident:
        raise ValueError("reuse without id")
    warnings: list[str] = []
    title = short_text(pick_translation(reuse.get("title"), language)[0])
    description = plain_text(pick_translation(reuse.get("description"), language)[0])
    own = http_url(reuse.get("url"))
    if not own and reuse.get("url"):
        warnings.append(f"reuse url is not an http(s) URL: {str(reuse['url'])[:80]}")
    text_language = detect_language(f"{title}\n{description}", hint=language)
    if not title:
        title = own or ident
        warnings.append(f"no title: the reuse {'URL' if own else 'id'} is used")
    created = reuse.get("created_at") or reuse.get("createdAt")
    page = dataset_page(portal_url, dataset_id) + "reuses/?" + urlencode({"reuse": ident})
    return OpenDataRecord(
        source=source,
        url=page,
        portal_url=portal_url,
        kind="showcase",
        dataset_id=ident,
        title=title,
        description=description,
        publisher=_user_name(reuse.get("user")),
        issued=iso_day(created),
        modified=iso_datetime(created),
        country=country_of(country) if country else None,
        language=text_language,
        linked_dataset_ids=[dataset_id],
        showcase_url=own,
        warnings=warnings,
        raw=reuse,
    )


def is_api_root(data: Any) -> bool:
    """True for the answer of ``/api/explore/v2.1/`` (links to the catalogue)."""
    links = data.get("links") if isinstance(data, dict) else None
    return isinstance(links, list) and any(
        isinstance(link, dict) and "/api/explore/v2" in str(link.get("href") or "")
        for link in links
    )
