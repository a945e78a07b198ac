"""Ashby job board API: ``GET /posting-api/job-board/<board>?includeCompensation=true``.

``{"apiVersion", "jobs": [{"id", "title", "location", "secondaryLocations": [{"location",
"address"}], "department", "team", "isListed", "isRemote", "workplaceType" (OnSite | Remote |
Hybrid), "descriptionHtml", "descriptionPlain", "publishedAt", "employmentType" (FullTime |
PartTime | Intern | Contract | Temporary), "address": {"postalAddress": {"addressLocality",
"addressRegion", "addressCountry"}}, "jobUrl", "applyUrl", "compensation":
{"compensationTierSummary", "scrapeableCompensationSalarySummary", "summaryComponents":
[{"compensationType", "interval", "currencyCode", "minValue", "maxValue"}]}}]}``. No company
name: the ``organization`` option, else the board name of the URL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from spiders.boards import BoardAdapter, as_dict, load_json, with_query
from spiders.parsers.jobposting import RawJob
from spiders.parsers.salary import normalise_salary, period_code

_BOARD_RE = re.compile(r"/job-board/([^/?#]+)")
_TYPES = {
    "fulltime": "FULL_TIME",
    "parttime": "PART_TIME",
    "intern": "INTERN",
    "contract": "CONTRACTOR",
    "temporary": "TEMPORARY",
}


class AshbyAdapter(BoardAdapter):
    name = "ashby"

    def feed_urls(self, url: str) -> list[str]:
        parts = urlsplit(url)
        if parts.hostname == "jobs.ashbyhq.com" and parts.path.strip("/"):
            board = parts.path.strip("/").split("/")[0]
            url = f"https://api.ashbyhq.com/posting-api/job-board/{board}"
        if "includeCompensation" not in url:
            url = with_query(url, includeCompensation="true")
        return [url]

    def records(self, body: bytes, url: str) -> tuple[Sequence[Any], dict[str, Any]]:
        payload = load_json(body)
        if not isinstance(payload, dict) or not isinstance(payload.get("jobs"), list):
            raise ValueError("no 'jobs' list")
        jobs = [
            j for j in payload["jobs"] if not (isinstance(j, dict) and j.get("isListed") is False)
        ]
        m = _BOARD_RE.search(urlsplit(url).path)
        return jobs, {"board": m.group(1) if m else None}

    def raw_job(self, record: dict[str, Any], context: dict[str, Any], feed_url: str) -> RawJob:
        raw = RawJob(url=str(record.get("jobUrl") or feed_url), extraction="feed", raw=record)
        raw.title = record.get("title")
        raw.organization = self.organization(context) or context.get("board")
        postal = as_dict(as_dict(record.get("address")).get("postalAddress"))
        raw.locality = postal.get("addressLocality")
        raw.region = postal.get("addressRegion")
        raw.country = postal.get("addressCountry")
        if not raw.locality:
            raw.location_text = record.get("location")
        workplace = str(record.get("workplaceType") or "").lower()
        if record.get("isRemote") is True or workplace in ("remote", "hybrid"):
            raw.remote = True
        elif workplace == "onsite":
            raw.remote = False
        raw.date_posted = record.get("publishedAt")
        etype = str(record.get("employmentType") or "")
        raw.employment_type = _TYPES.get(etype.lower(), etype or None)
        raw.description = record.get("descriptionHtml") or record.get("descriptionPlain")
        comp = as_dict(record.get("compensation"))
        for part in comp.get("summaryComponents") or []:
            part = as_dict(part)
            if str(part.get("compensationType") or "").lower() != "salary":
                continue
            low, high = part.get("minValue"), part.get("maxValue")
            if isinstance(low, int | float) or isinstance(high, int | float):
                interval = str(part.get("interval") or "").split()[-1:]  # "1 YEAR"
                raw.salary = normalise_salary(
                    low if isinstance(low, int | float) else None,
                    high if isinstance(high, int | float) else None,
                    str(part.get("currencyCode") or "") or None,
                    period_code(interval[0]) if interval else None,
                )
                break
        if raw.salary is None:
            summary = comp.get("scrapeableCompensationSalarySummary") or comp.get(
                "compensationTierSummary"
            )
            raw.salary_text = summary if isinstance(summary, str) else None
        return raw
