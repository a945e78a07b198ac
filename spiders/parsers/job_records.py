"""Job postings in JSON records: JavaScript state of a page, unknown JSON APIs.

:func:`state_records` finds the records that look like job postings anywhere in a JSON tree (a
title plus at least two of: description, location, employer, date, salary, type; or one of
them and a job URL); :func:`raw_job_from_record` reads one with the names apps and APIs use
(``title``/``jobTitle``, ``location.city``, ``company.name`` ...); :func:`state_jobs` does both
for the inline state of a page (:mod:`spiders.parsers.js_state`). Extraction ``feed``:
structured records, as from an ATS API.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

from spiders.parsers.job_links import is_job_url, same_site
from spiders.parsers.jobposting import RawJob
from spiders.parsers.js_state import state_values
from spiders.parsers.structured import node_types

__all__ = ["json_records", "raw_job_from_record", "state_jobs", "state_records"]

_TITLE_KEYS = (
    "title",
    "jobTitle",
    "job_title",
    "position",
    "positionTitle",
    "name",
    "text",
    "headline",
    "role",
)
_DESC_KEYS = (
    "description",
    "descriptionHtml",
    "description_html",
    "descriptionPlain",
    "jobDescription",
    "content",
    "body",
    "details",
    "summary",
    "text_html",
)
_LOC_KEYS = (
    "location",
    "locations",
    "jobLocation",
    "city",
    "office",
    "offices",
    "place",
    "workplace",
    "address",
    "locationName",
    "location_name",
)
_ORG_KEYS = (
    "company",
    "companyName",
    "company_name",
    "employer",
    "employerName",
    "hiringOrganization",
    "organization",
    "organisation",
    "org",
    "subcompany",
)
_DATE_KEYS = (
    "datePosted",
    "postedAt",
    "posted_at",
    "publishedAt",
    "published_at",
    "published",
    "createdAt",
    "created_at",
    "date",
    "postedDate",
    "publicationDate",
    "first_published",
    "published_on",
)
_VALID_KEYS = (
    "validThrough",
    "expiresAt",
    "expires_at",
    "closingDate",
    "deadline",
    "close_at",
    "applicationDeadline",
)
_SALARY_KEYS = (
    "salary",
    "baseSalary",
    "salaryRange",
    "compensation",
    "pay",
    "salaryText",
    "salary_text",
)
_URL_KEYS = (
    "url",
    "absolute_url",
    "hostedUrl",
    "jobUrl",
    "job_url",
    "careers_url",
    "applyUrl",
    "apply_url",
    "link",
    "href",
    "permalink",
    "slug",
    "path",
)
_TYPE_KEYS = (
    "employmentType",
    "employment_type",
    "jobType",
    "job_type",
    "commitment",
    "contractType",
    "schedule",
    "type",
)
_REMOTE_KEYS = (
    "remote",
    "isRemote",
    "is_remote",
    "telecommuting",
    "remoteOk",
    "workplaceType",
    "workplace_type",
    "locationType",
)


def _get(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = record.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _looks_like_job(record: dict[str, Any]) -> bool:
    if "JobPosting" in node_types(record):
        return True
    title = _get(record, _TITLE_KEYS)
    if not isinstance(title, str) or not 2 <= len(title) <= 200:
        return False
    evidence = sum(
        1
        for keys in (_DESC_KEYS, _LOC_KEYS, _ORG_KEYS, _DATE_KEYS, _SALARY_KEYS, _TYPE_KEYS)
        if _get(record, keys) is not None
    )
    has_job_url = any(
        isinstance(record.get(k), str) and is_job_url(record[k])
        for k in _URL_KEYS
        if k not in ("slug",)
    )
    return evidence >= 2 or (evidence >= 1 and has_job_url)


def state_records(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Job-like records anywhere in a JSON tree (a found record is not searched further)."""
    if depth > 25:
        return
    if isinstance(value, list):
        for v in value:
            yield from state_records(v, depth + 1)
    elif isinstance(value, dict):
        if _looks_like_job(value):
            yield value
            return
        for v in value.values():
            if isinstance(v, dict | list):
                yield from state_records(v, depth + 1)


def _loc_parts(value: Any) -> tuple[Any, Any, Any, Any]:
    """(city, region, country, text) from the shapes apps use for a location."""
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, str):
        return None, None, None, value
    if not isinstance(value, dict):
        return None, None, None, None
    if "address" in value and isinstance(value["address"], dict | str):
        return _loc_parts(value["address"])
    city = _get(value, ("city", "addressLocality", "locality", "town", "name"))
    region = _get(value, ("region", "state", "addressRegion", "state_name", "province"))
    country = _get(value, ("countryCode", "country_code", "country", "addressCountry"))
    if isinstance(country, dict):
        country = country.get("name") or country.get("code")
    return city, region, country, None


def _record_url(record: dict[str, Any], page_url: str) -> str | None:
    for key in _URL_KEYS:
        value = record.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        if key in ("slug",) and "/" not in value:
            continue
        full = urljoin(page_url, value.strip())
        if urlsplit(full).scheme in ("http", "https"):
            return full
    return None


def raw_job_from_record(
    record: dict[str, Any], *, page_url: str, extraction: str = "feed", lang_hint: str | None = None
) -> RawJob:
    """A generic job-like JSON record (JS state, unknown APIs) -> :class:`RawJob`."""
    from spiders.parsers.jobposting import raw_job_from_node
    from spiders.parsers.salary import salary_from_structured

    if "JobPosting" in node_types(record):
        raw = raw_job_from_node(record, page_url=page_url, syntax="json-ld", lang_hint=lang_hint)
        raw.extraction = extraction
        return raw
    url = _record_url(record, page_url)
    raw = RawJob(
        url=url if url and same_site(url, page_url) else page_url,
        extraction=extraction,
        raw=record,
        lang_hint=lang_hint,
    )
    raw.title = _get(record, _TITLE_KEYS)
    raw.description = _get(record, _DESC_KEYS)
    org = _get(record, _ORG_KEYS)
    if isinstance(org, dict):
        raw.organization = org.get("name")
        raw.organization_url = org.get("url") or org.get("website")
    else:
        raw.organization = org
    loc = _get(record, _LOC_KEYS)
    if loc is None and any(k in record for k in ("country", "countryCode", "region")):
        loc = record
    raw.locality, raw.region, raw.country, raw.location_text = _loc_parts(loc)
    if raw.country is None:
        raw.country = _get(record, ("country", "countryCode", "country_code"))
    raw.date_posted = _get(record, _DATE_KEYS)
    raw.valid_through = _get(record, _VALID_KEYS)
    etype = _get(record, _TYPE_KEYS)
    raw.employment_type = etype if isinstance(etype, str | list) else None
    remote = _get(record, _REMOTE_KEYS)
    if isinstance(remote, bool):
        raw.remote = remote or None
    elif isinstance(remote, str) and re.search(r"remote|telecommute", remote, re.I):
        raw.remote = True
    salary = _get(record, _SALARY_KEYS)
    if isinstance(salary, dict):
        shaped = {
            "currency": salary.get("currency") or salary.get("salaryCurrency"),
            "value": {
                "minValue": salary.get("min")
                or salary.get("minValue")
                or salary.get("from")
                or salary.get("salary_from"),
                "maxValue": salary.get("max")
                or salary.get("maxValue")
                or salary.get("to")
                or salary.get("salary_to"),
                "unitText": salary.get("period")
                or salary.get("interval")
                or salary.get("unitText")
                or salary.get("unit"),
            },
        }
        raw.salary = salary_from_structured(shaped)
    elif isinstance(salary, str):
        raw.salary_text = salary
    return raw


def state_jobs(html: str, page_url: str, *, lang_hint: str | None = None) -> list[RawJob]:
    """The job postings held in a page's JS state (empty when there is none)."""
    if "__" not in html and "application/json" not in html and "State" not in html:
        return []
    raws: list[RawJob] = []
    seen: set[int] = set()
    for _name, blob in state_values(html):
        for record in state_records(blob):
            if id(record) in seen:
                continue
            seen.add(id(record))
            raws.append(raw_job_from_record(record, page_url=page_url, lang_hint=lang_hint))
    return raws


def json_records(payload: Any, page_url: str) -> list[RawJob]:
    """Job-like records in a JSON response of an unknown API."""
    return [raw_job_from_record(r, page_url=page_url) for r in state_records(payload)]
