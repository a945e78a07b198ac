"""Workable account API: ``GET /api/accounts/<account>?details=true``.

``{"name", "description", "jobs": [{"title", "shortcode", "code", "employment_type",
"telecommuting", "department", "url", "shortlink", "application_url", "published_on",
"created_at", "country", "city", "state", "locations": [{"country", "countryCode", "city",
"region", "hidden"}], "description" (HTML, with details=true)}]}``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from spiders.boards import BoardAdapter, load_json, with_query
from spiders.parsers.jobposting import RawJob


class WorkableAdapter(BoardAdapter):
    name = "workable"

    def feed_urls(self, url: str) -> list[str]:
        parts = urlsplit(url)
        if parts.hostname == "apply.workable.com" and parts.path.strip("/"):
            account = parts.path.strip("/").split("/")[0]
            return [f"https://www.workable.com/api/accounts/{account}?details=true"]
        if "/api/accounts/" in parts.path and "details=" not in parts.query:
            return [with_query(url, details="true")]
        return [url]

    def records(self, body: bytes, url: str) -> tuple[Sequence[Any], dict[str, Any]]:
        payload = load_json(body)
        if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
            raise ValueError("no 'jobs' list")
        return payload["jobs"], {"organization": payload.get("name")}

    def raw_job(self, record: dict[str, Any], context: dict[str, Any], feed_url: str) -> RawJob:
        raw = RawJob(
            url=str(record.get("url") or record.get("shortlink") or feed_url),
            extraction="feed",
            raw=record,
        )
        raw.title = record.get("title") or record.get("full_title")
        raw.organization = self.organization(context)
        locations = [
            loc
            for loc in record.get("locations") or []
            if isinstance(loc, dict) and not loc.get("hidden")
        ]
        if locations:
            first = locations[0]
            raw.locality, raw.region = first.get("city"), first.get("region")
            raw.country = first.get("countryCode") or first.get("country")
            if len(locations) > 1:
                raw.warnings.append(f"locations: {len(locations)} places, the first is kept")
        else:
            raw.locality, raw.region = record.get("city"), record.get("state")
            raw.country = record.get("country")
        if isinstance(record.get("telecommuting"), bool):
            raw.remote = record["telecommuting"] or None
        raw.employment_type = record.get("employment_type")
        raw.date_posted = record.get("published_on") or record.get("created_at")
        raw.description = record.get("description")
        return raw
