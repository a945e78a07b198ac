"""Lever Postings API: ``GET /v0/postings/<company>?mode=json``.

A list of ``{"id", "text", "hostedUrl", "applyUrl", "createdAt" (epoch ms), "categories":
{"location", "commitment", "team", "department", "allLocations"}, "description" (HTML),
"descriptionPlain", "lists": [{"text", "content"}], "additional", "workplaceType", "country",
"salaryRange": {"min", "max", "currency", "interval"}}``. The feed has no company name: the
source's ``organization`` option, else the company slug of the URL. Paged with ``skip`` and
``limit``: when the URL sets ``limit`` and a page is full, the next page is requested.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from spiders.boards import BoardAdapter, load_json, query_int, with_query
from spiders.parsers.jobposting import RawJob
from spiders.parsers.salary import normalise_salary, period_code

_COMPANY_RE = re.compile(r"/postings/([^/?#]+)")


class LeverAdapter(BoardAdapter):
    name = "lever"

    def feed_urls(self, url: str) -> list[str]:
        parts = urlsplit(url)
        if parts.hostname in ("jobs.lever.co", "jobs.eu.lever.co") and parts.path.strip("/"):
            company = parts.path.strip("/").split("/")[0]
            api = "api.eu.lever.co" if ".eu." in parts.hostname else "api.lever.co"
            return [f"https://{api}/v0/postings/{company}?mode=json"]
        if "mode=json" not in parts.query:
            return [with_query(url, mode="json")]
        return [url]

    def records(self, body: bytes, url: str) -> tuple[Sequence[Any], dict[str, Any]]:
        payload = load_json(body)
        if isinstance(payload, dict) and isinstance(payload.get("data"), list):
            payload = payload["data"]
        if not isinstance(payload, list):
            raise ValueError("expected a list of postings")
        m = _COMPANY_RE.search(urlsplit(url).path)
        return payload, {"organization_slug": m.group(1) if m else None}

    def next_url(self, body: bytes, url: str, records: Sequence[Any]) -> str | None:
        limit = query_int(url, "limit")
        if not limit or len(records) < limit:
            return None
        return with_query(url, skip=(query_int(url, "skip") or 0) + len(records), limit=limit)

    def raw_job(self, record: dict[str, Any], context: dict[str, Any], feed_url: str) -> RawJob:
        raw = RawJob(
            url=str(record.get("hostedUrl") or record.get("applyUrl") or feed_url),
            extraction="feed",
            raw=record,
        )
        raw.title = record.get("text")
        raw.organization = self.organization(context) or context.get("organization_slug")
        cats_value = record.get("categories")
        cats: dict[str, Any] = cats_value if isinstance(cats_value, dict) else {}
        raw.location_text = cats.get("location") or next(iter(cats.get("allLocations") or []), None)
        raw.country = record.get("country")
        raw.employment_type = cats.get("commitment")
        workplace = str(record.get("workplaceType") or "").lower()
        if workplace in ("remote", "hybrid"):
            raw.remote = True
        elif workplace == "onsite":
            raw.remote = False
        raw.date_posted = record.get("createdAt")
        parts = [record.get("description") or record.get("descriptionPlain") or ""]
        for block in record.get("lists") or []:
            if isinstance(block, dict):
                parts.append(
                    f"<h3>{block.get('text') or ''}</h3><ul>{block.get('content') or ''}</ul>"
                )
        parts.append(record.get("additional") or record.get("additionalPlain") or "")
        raw.description = "\n".join(p for p in parts if isinstance(p, str) and p)
        sal = record.get("salaryRange")
        if isinstance(sal, dict):
            interval = str(sal.get("interval") or "")
            raw.salary = normalise_salary(
                sal.get("min") if isinstance(sal.get("min"), int | float) else None,
                sal.get("max") if isinstance(sal.get("max"), int | float) else None,
                str(sal.get("currency") or "") or None,
                period_code(interval.replace("per-", "").split("-")[0]) if interval else None,
            )
        return raw
