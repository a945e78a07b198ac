"""BambooHR careers site JSON: ``GET /careers/list`` and ``GET /careers/<id>/detail``.

List: ``{"meta": {"totalCount"}, "result": [{"id", "jobOpeningName", "departmentLabel",
"employmentStatusLabel", "location": {"city", "state"}, "atsLocation": {"country", "state",
"province", "city"}, "isRemote", "locationType"}]}``; no text, so each opening's detail is
fetched: ``{"meta", "result": {"jobOpening": {"jobOpeningShareUrl", "jobOpeningName",
"description" (HTML), "datePosted", "employmentStatusLabel", "location": {"city", "state",
"addressCountry", "postalCode"}, "atsLocation": {...}, "isRemote", "locationType",
"compensation"}}}``. Adverts are ``/careers/<id>``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from spiders.boards import BoardAdapter, FeedRequest, as_dict, load_json
from spiders.parsers.jobposting import RawJob

_CAREERS_RE = re.compile(r"^(?P<base>.*?/careers)/(?:list|\d+/detail)/?$")


class BambooHRAdapter(BoardAdapter):
    name = "bamboohr"

    def feed_urls(self, url: str) -> list[str]:
        parts = urlsplit(url)
        if (parts.hostname or "").endswith(".bamboohr.com") and not _CAREERS_RE.match(parts.path):
            return [urlunsplit((parts.scheme, parts.netloc, "/careers/list", "", ""))]
        return [url]

    def records(self, body: bytes, url: str) -> tuple[Sequence[Any], dict[str, Any]]:
        payload = load_json(body)
        result = as_dict(payload).get("result")
        m = _CAREERS_RE.match(urlsplit(url).path)
        base = m.group("base") if m else "/careers"
        if isinstance(result, list):
            return result, {"list": True, "base": base}
        if isinstance(result, dict) and isinstance(result.get("jobOpening"), dict):
            return [result["jobOpening"]], {"list": False, "base": base}
        raise ValueError("no 'result' list or 'jobOpening'")

    def detail_request(
        self, record: dict[str, Any], context: dict[str, Any], url: str
    ) -> FeedRequest | None:
        ident = record.get("id")
        if not context.get("list") or not isinstance(ident, str | int) or not str(ident).isdigit():
            return None
        parts = urlsplit(url)
        path = f"{context['base']}/{ident}/detail"
        return FeedRequest(urlunsplit((parts.scheme, parts.netloc, path, "", "")))

    def raw_job(self, record: dict[str, Any], context: dict[str, Any], feed_url: str) -> RawJob:
        url = record.get("jobOpeningShareUrl")
        if not isinstance(url, str) or not url.startswith("http"):
            parts = urlsplit(feed_url)
            path = f"{context.get('base') or '/careers'}/{record.get('id')}"
            url = urlunsplit((parts.scheme, parts.netloc, path, "", ""))
        raw = RawJob(url=url, extraction="feed", raw=record)
        raw.title = record.get("jobOpeningName")
        raw.organization = self.organization(context)
        ats = as_dict(record.get("atsLocation"))
        loc = as_dict(record.get("location"))
        raw.locality = loc.get("city") or ats.get("city")
        raw.region = loc.get("state") or ats.get("state") or ats.get("province")
        raw.country = loc.get("addressCountry") or ats.get("country")
        loc_type = str(record.get("locationType") or "")
        if record.get("isRemote") is True or loc_type in ("1", "2"):
            raw.remote = True
        raw.employment_type = record.get("employmentStatusLabel")
        raw.date_posted = record.get("datePosted")
        raw.description = record.get("description")
        comp = record.get("compensation")
        raw.salary_text = comp if isinstance(comp, str) and comp.strip() else None
        if context.get("list"):
            raw.warnings.append("bamboohr: list record only, no posting text")
        return raw
