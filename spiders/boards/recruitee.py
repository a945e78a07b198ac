"""Recruitee careers API: ``GET /api/offers/``.

``{"offers": [{"id", "slug", "title", "description" (HTML), "requirements" (HTML),
"location", "city", "state_name", "country", "country_code", "remote", "hybrid",
"employment_type_code", "careers_url", "company_name", "published_at", "created_at",
"close_at", "salary": {"min", "max", "currency", "period"}}]}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from spiders.boards import BoardAdapter, load_json
from spiders.parsers.jobposting import RawJob
from spiders.parsers.salary import normalise_salary, parse_number, period_code

_EMPLOYMENT_CODES = {
    "fulltime": "FULL_TIME",
    "fulltime_permanent": "FULL_TIME",
    "fulltime_fixed_term": "FULL_TIME, TEMPORARY",
    "parttime": "PART_TIME",
    "parttime_permanent": "PART_TIME",
    "parttime_fixed_term": "PART_TIME, TEMPORARY",
    "freelance": "CONTRACTOR",
    "contract": "CONTRACTOR",
    "internship": "INTERN",
    "traineeship": "INTERN",
    "volunteer": "VOLUNTEER",
    "temporary": "TEMPORARY",
}


def _number(value: Any) -> float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, str):
        return parse_number(value)
    return None


class RecruiteeAdapter(BoardAdapter):
    name = "recruitee"

    def feed_urls(self, url: str) -> list[str]:
        parts = urlsplit(url)
        if (parts.hostname or "").endswith(".recruitee.com") and "/api/" not in parts.path:
            return [f"https://{parts.hostname}/api/offers/"]
        return [url]

    def records(self, body: bytes, url: str) -> tuple[Sequence[Any], dict[str, Any]]:
        payload = load_json(body)
        if not isinstance(payload, dict) or not isinstance(payload.get("offers"), list):
            raise ValueError("no 'offers' list")
        return payload["offers"], {}

    def raw_job(self, record: dict[str, Any], context: dict[str, Any], feed_url: str) -> RawJob:
        raw = RawJob(url=str(record.get("careers_url") or feed_url), extraction="feed", raw=record)
        raw.title = record.get("title")
        raw.organization = self.organization(context) or record.get("company_name")
        raw.locality = record.get("city")
        raw.region = record.get("state_name")
        raw.country = record.get("country_code") or record.get("country")
        if not raw.locality:
            raw.location_text = record.get("location")
        if record.get("remote") is True or record.get("hybrid") is True:
            raw.remote = True
        code = str(record.get("employment_type_code") or "")
        raw.employment_type = _EMPLOYMENT_CODES.get(code, code or None)
        raw.date_posted = record.get("published_at") or record.get("created_at")
        raw.valid_through = record.get("close_at")
        raw.description = "\n".join(
            p
            for p in (record.get("description"), record.get("requirements"))
            if isinstance(p, str) and p
        )
        sal = record.get("salary")
        if isinstance(sal, dict) and (sal.get("min") or sal.get("max")):
            raw.salary = normalise_salary(
                _number(sal.get("min")),
                _number(sal.get("max")),
                str(sal.get("currency") or "") or None,
                period_code(str(sal.get("period") or "")),
            )
        return raw
