"""Greenhouse Job Board API: ``GET /v1/boards/<board>/jobs?content=true``.

``{"jobs": [{"id", "title", "absolute_url", "location": {"name"}, "updated_at",
"first_published", "company_name", "content" (HTML, entity-escaped), "departments", "offices",
"metadata": [{"name", "value"}], "pay_input_ranges": [...]}], "meta": {"total"}}``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from spiders.boards import BoardAdapter, load_json, with_query
from spiders.parsers.jobposting import RawJob
from spiders.parsers.salary import normalise_salary

_BOARD_RE = re.compile(r"/boards/([^/?#]+)")


class GreenhouseAdapter(BoardAdapter):
    name = "greenhouse"

    def feed_urls(self, url: str) -> list[str]:
        parts = urlsplit(url)
        if parts.hostname in (
            "boards.greenhouse.io",
            "job-boards.greenhouse.io",
        ) and parts.path.strip("/"):
            board = parts.path.strip("/").split("/")[0]
            return [f"https://boards-api.greenhouse.io/v1/boards/{board}/jobs?content=true"]
        if "/jobs" in parts.path and "content=" not in parts.query:
            return [with_query(url, content="true")]
        return [url]

    def records(self, body: bytes, url: str) -> tuple[Sequence[Any], dict[str, Any]]:
        payload = load_json(body)
        if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
            raise ValueError("no 'jobs' list")
        m = _BOARD_RE.search(urlsplit(url).path)
        return payload["jobs"], {"board": m.group(1) if m else None}

    def raw_job(self, record: dict[str, Any], context: dict[str, Any], feed_url: str) -> RawJob:
        raw = RawJob(url=str(record.get("absolute_url") or feed_url), extraction="feed", raw=record)
        raw.title = record.get("title")
        raw.organization = (
            self.organization(context) or record.get("company_name") or context.get("board")
        )
        location = record.get("location")
        raw.location_text = location.get("name") if isinstance(location, dict) else location
        offices = record.get("offices")
        if not raw.location_text and isinstance(offices, list) and offices:
            first = offices[0] if isinstance(offices[0], dict) else {}
            raw.location_text = first.get("location") or first.get("name")
        raw.date_posted = record.get("first_published") or record.get("updated_at")
        raw.description = record.get("content")
        for meta in record.get("metadata") or []:
            if not isinstance(meta, dict):
                continue
            name = str(meta.get("name") or "").lower()
            if "employment" in name or "job type" in name or "commitment" in name:
                raw.employment_type = meta.get("value")
            elif "remote" in name and isinstance(meta.get("value"), bool):
                raw.remote = meta["value"] or None
        ranges = record.get("pay_input_ranges")
        if isinstance(ranges, list) and ranges and isinstance(ranges[0], dict):
            r = ranges[0]
            low, high = r.get("min_cents"), r.get("max_cents")
            if isinstance(low, int | float) and isinstance(high, int | float):
                raw.salary = normalise_salary(
                    low / 100, high / 100, str(r.get("currency_type") or "") or None, "year"
                )
        if not urlsplit(raw.url).scheme.startswith("http"):
            raw.warnings.append("absolute_url: missing, feed URL used")
            raw.url = f"{feed_url}#{record.get('id')}"
        return raw
