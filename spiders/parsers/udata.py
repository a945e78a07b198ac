"""uData API v1 answers (data.gouv.fr, data.public.lu, ...) -> :class:`OpenDataRecord` (pure).

Lists are ``<portal>/api/1/datasets/``, ``/api/1/reuses/`` and ``/api/1/organizations/``
with ``page``/``page_size``: ``{"data": [...], "page", "page_size", "total", "next_page",
"previous_page"}`` (``next_page`` null on the last page). Datasets sorted ``-last_update``
come newest first, so an incremental run stops at the first one older than its bound. A
dataset: ``id``, ``slug``, ``title``, ``description`` (Markdown), ``tags``, ``license`` (an
id: ``lov2``, ``odc-odbl``, ``cc-by``...), ``resources`` (``format``, ``mime``, ``url``),
``organization`` / ``owner`` (``null`` when absent), ``page`` (the web page), ``created_at``,
``last_modified``, ``last_update``, ``spatial.zones``, ``deleted``/``archived``. A reuse adds
``url`` (its own website: a project), ``type`` and ``datasets`` (dicts or ids). An
organization: ``name``, ``acronym``, ``description``, ``url`` (website), ``page``.
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
    license_label,
    normalise_formats,
    pick_translation,
    plain_text,
    short_text,
)
from spiders.parsers.portal_json import PortalAnswerError, int_or_none, read_json

API_PATH = "api/1/"
#: uData caps ``page_size`` (data.gouv.fr answers at most 100 entries per page in practice).
MAX_PAGE_SIZE = 100
#: Licence ids of uData portals -> readable names.
_LICENSES = {
    "lov2": "etalab-2.0",
    "fr-lo": "Licence Ouverte",
    "odc-odbl": "ODbL-1.0",
    "odc-by": "ODC-By-1.0",
    "odc-pddl": "PDDL-1.0",
    "cc-by": "CC-BY-4.0",
    "cc-by-sa": "CC-BY-SA-4.0",
    "cc-zero": "CC0-1.0",
    "cc0": "CC0-1.0",
    "notspecified": None,
    "other-at": "Other (attribution)",
    "other-open": "Other (open)",
    "other-pd": "Other (public domain)",
}
#: Spatial zone ids name their country: ``country:fr``, ``fr:commune:75056``.
_ZONE_PREFIXES = ("country:", "country-group:")


def api_url(portal_url: str, what: str, params: dict[str, Any]) -> str:
    return f"{portal_url}{API_PATH}{what}/?{urlencode(params)}"


def read_page(
    body: bytes, *, content_type: str = "", status: int = 200
) -> tuple[int | None, list[Any], str | None]:
    """``(total, entries, next_page)`` of one list page; raises
    :class:`~spiders.parsers.portal_json.PortalAnswerError` when unusable."""
    data = read_json(body, content_type=content_type, status=status)
    if not isinstance(data, dict):
        raise PortalAnswerError("bad_shape", "uData answer is not a JSON object")
    entries = data.get("data")
    if not isinstance(entries, list):
        raise PortalAnswerError("bad_shape", "uData answer has no 'data' list")
    nxt = data.get("next_page")
    return int_or_none(data.get("total")), entries, nxt if isinstance(nxt, str) and nxt else None


def page_url(portal_url: str, kind: str, record: dict[str, Any]) -> str:
    """The record's ``page``, else ``<portal><kind>/<slug or id>/``."""
    page = http_url(record.get("page"))
    if page:
        return page
    ident = short_text(record.get("slug")) or short_text(record.get("id"))
    return f"{portal_url}{kind}/{quote(ident, safe='-_.~')}/"


def _owner_name(record: dict[str, Any]) -> str | None:
    org = record.get("organization")
    if isinstance(org, dict):
        name = short_text(org.get("name") or org.get("acronym") or org.get("slug"))
        if name:
            return name
    owner = record.get("owner")
    if isinstance(owner, dict):
        full = " ".join(
            short_text(owner.get(k)) for k in ("first_name", "last_name") if owner.get(k)
        )
        return full.strip() or short_text(owner.get("slug")) or None
    return None


def _license(value: Any) -> str | None:
    if isinstance(value, dict):  # some portals expand it: {"id", "title", "url"}
        value = value.get("id") or value.get("title") or value.get("url")
    text = short_text(value)
    if text.lower() in _LICENSES:
        return _LICENSES[text.lower()]
    return license_label(text)


def _tags(record: dict[str, Any]) -> list[str]:
    return dedupe(short_text(t) for t in json_list(record.get("tags")) if isinstance(t, str))


def _country(record: dict[str, Any]) -> str | None:
    spatial = record.get("spatial")
    zones = spatial.get("zones") if isinstance(spatial, dict) else None
    for zone in json_list(zones):
        text = short_text(zone.get("id") if isinstance(zone, dict) else zone).lower()
        for prefix in _ZONE_PREFIXES:
            if text.startswith(prefix):
                text = text.removeprefix(prefix)
        head = text.split(":", 1)[0]
        code = country_of(head.upper()) if len(head) == 2 else None
        if code:
            return code
    return None


def _resources(record: dict[str, Any], warnings: list[str]) -> tuple[int, list[str]]:
    resources = record.get("resources")
    if isinstance(resources, dict):  # a link to the resources: {"rel", "href", "total"}
        return int_or_none(resources.get("total")) or 0, []
    values: list[Any] = []
    count = 0
    for res in resources if isinstance(resources, list) else []:
        if isinstance(res, dict):
            count += 1
            values.append(res.get("format") or res.get("mime") or format_from_url(res.get("url")))
        else:
            warnings.append(f"resource entry ignored: {str(res)[:60]}")
    return count, normalise_formats(v for v in values if v)


def _text_fields(
    record: dict[str, Any], ident: str, language: str | None, warnings: list[str]
) -> tuple[str, str]:
    named = record.get("title") or record.get("name") or record.get("acronym")
    title = short_text(pick_translation(named, language)[0])
    if not title:
        title = short_text(record.get("slug")) or ident
        warnings.append("no title: the slug is used")
    return title, plain_text(pick_translation(record.get("description"), language)[0])


def _record(record: dict[str, Any], kind: str, page_kind: str, **context: Any) -> OpenDataRecord:
    """The fields every uData object shares; ``context``: ``source``, ``portal_url``,
    ``country``, ``language`` (the builder contract of the adapters)."""
    portal_url: str = context["portal_url"]
    country, language = context.get("country"), context.get("language")
    ident = short_text(record.get("id")) or short_text(record.get("slug"))
    if not ident:
        raise ValueError(f"{kind} without id or slug")
    warnings: list[str] = []
    title, description = _text_fields(record, ident, language, warnings)
    modified_raw = record.get("last_update") or record.get("last_modified")
    modified = iso_datetime(modified_raw)
    if modified_raw and not modified:
        warnings.append(f"unreadable last_modified {str(modified_raw)[:40]!r}")
    return OpenDataRecord(
        source=context["source"],
        url=page_url(portal_url, page_kind, record),
        portal_url=portal_url,
        kind=kind,
        dataset_id=ident,
        title=title,
        description=description,
        publisher=_owner_name(record),
        tags=_tags(record),
        issued=iso_day(record.get("created_at")),
        modified=modified,
        country=country_of(country) if country else _country(record),
        language=detect_language(f"{title}\n{description}", hint=language),
        deleted=bool(record.get("deleted")),
        warnings=warnings,
        raw=record,
    )


def dataset_record(record: dict[str, Any], **context: Any) -> OpenDataRecord:
    """A dataset, with its licence and resources."""
    item = _record(record, "dataset", "datasets", **context)
    item.license = _license(record.get("license"))
    item.resources_count, item.formats = _resources(record, item.warnings)
    return item


def linked_dataset_ids(reuse: dict[str, Any]) -> list[str]:
    ids: list[str] = []
    for entry in json_list(reuse.get("datasets")):
        ident = entry.get("id") or entry.get("slug") if isinstance(entry, dict) else entry
        if isinstance(ident, str) and ident.strip():
            ids.append(ident.strip())
    return dedupe(ids)


def reuse_record(reuse: dict[str, Any], **context: Any) -> OpenDataRecord:
    """A reuse as a showcase: its ``url`` is the project's own website; its ``type`` and
    ``topic`` are its themes."""
    item = _record(reuse, "showcase", "reuses", **context)
    item.linked_dataset_ids = linked_dataset_ids(reuse)
    item.themes = dedupe(
        short_text(reuse.get(k)).replace("_", " ").capitalize() for k in ("type", "topic")
    )
    item.showcase_url = http_url(reuse.get("url"))
    if not item.showcase_url and reuse.get("url"):
        item.warnings.append(f"reuse url is not an http(s) URL: {str(reuse['url'])[:80]}")
    return item


def organization_record(org: dict[str, Any], **context: Any) -> OpenDataRecord:
    """An organization as a publisher (its members left out)."""
    item = _record(
        {k: v for k, v in org.items() if k != "members"}, "publisher", "organizations", **context
    )
    item.publisher = item.title
    item.raw = org
    return item


def is_site_answer(data: Any) -> bool:
    """True for the answer of ``/api/1/site/`` (a uData portal's version endpoint)."""
    return isinstance(data, dict) and "title" in data and ("metrics" in data or "version" in data)
