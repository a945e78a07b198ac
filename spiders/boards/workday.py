"""Workday candidate experience (CXS) API of ``*.myworkdayjobs.com`` career sites.

List: ``POST /wday/cxs/<tenant>/<site>/jobs`` with a JSON body ``{"appliedFacets": {},
"limit": 20, "offset": 0, "searchText": ""}`` -> ``{"total", "jobPostings": [{"title",
"externalPath": "/job/<location>/<slug>_<req id>", "locationsText", "postedOn": "Posted 3
Days Ago", "bulletFields": [...]}], "facets": [...]}`` (``total`` is only reliable on the
first page, so paging stops on a short page).

Posting: ``GET /wday/cxs/<tenant>/<site>/job/<location>/<slug>_<req id>`` ->
``{"jobPostingInfo": {"id", "title", "jobDescription" (HTML), "location",
"additionalLocations", "postedOn", "startDate" (ISO), "endDate"?, "timeType", "remoteType"?,
"jobReqId", "country": {"descriptor"}, "externalUrl"}, "hiringOrganization": {"name", "url"}}``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from spiders.boards import BoardAdapter, FeedRequest, as_dict, load_json
from spiders.parsers.jobposting import RawJob

PAGE_SIZE = 20
_CXS_RE = re.compile(r"^(?P<base>/wday/cxs/[^/?#]+/[^/?#]+)/(?:jobs/?$|job/)")
_SITE_RE = re.compile(r"^/(?:[a-z]{2}-[A-Z]{2}/)?(?P<site>[^/?#]+)")


class WorkdayAdapter(BoardAdapter):
    name = "workday"

    def feed_urls(self, url: str) -> list[str]:
        parts = urlsplit(url)
        host = parts.hostname or ""
        if host.endswith(".myworkdayjobs.com") and not parts.path.startswith("/wday/"):
            m = _SITE_RE.match(parts.path)
            if m:
                tenant = host.split(".")[0]
                path = f"/wday/cxs/{tenant}/{m.group('site')}/jobs"
                return [urlunsplit((parts.scheme, parts.netloc, path, "", ""))]
        return [url]

    def feed_request(self, url: str) -> FeedRequest:
        if urlsplit(url).path.rstrip("/").endswith("/jobs"):
            return FeedRequest(url, method="POST", json_body=self._body(0))
        return FeedRequest(url)

    @staticmethod
    def _body(offset: int) -> dict[str, Any]:
        return {"appliedFacets": {}, "limit": PAGE_SIZE, "offset": offset, "searchText": ""}

    def records(self, body: bytes, url: str) -> tuple[Sequence[Any], dict[str, Any]]:
        payload = load_json(body)
        if isinstance(payload, dict) and isinstance(payload.get("jobPostings"), list):
            return payload["jobPostings"], {"list": True, "total": payload.get("total")}
        if isinstance(payload, dict) and isinstance(payload.get("jobPostingInfo"), dict):
            return [payload], {"list": False}
        raise ValueError("neither 'jobPostings' nor 'jobPostingInfo'")

    def detail_request(
        self, record: dict[str, Any], context: dict[str, Any], url: str
    ) -> FeedRequest | None:
        path = record.get("externalPath")
        if not context.get("list") or not isinstance(path, str) or not path.startswith("/"):
            return None
        parts = urlsplit(url)
        m = _CXS_RE.match(parts.path)
        if m is None:
            return None
        return FeedRequest(urlunsplit((parts.scheme, parts.netloc, m.group("base") + path, "", "")))

    def next_request(
        self, body: bytes, url: str, records: Sequence[Any], sent: bytes = b""
    ) -> FeedRequest | None:
        if not urlsplit(url).path.rstrip("/").endswith("/jobs") or not records:
            return None
        try:
            sent_body = as_dict(json.loads(sent.decode("utf-8"))) if sent else {}
        except (UnicodeDecodeError, ValueError):
            sent_body = {}
        offset_value, limit_value = sent_body.get("offset"), sent_body.get("limit")
        offset = offset_value if isinstance(offset_value, int) else 0
        limit = limit_value if isinstance(limit_value, int) and limit_value > 0 else PAGE_SIZE
        try:
            total = as_dict(load_json(body)).get("total")
        except ValueError:
            total = None
        nxt = offset + len(records)
        if len(records) < limit or (isinstance(total, int) and total > 0 and nxt >= total):
            return None
        return FeedRequest(url, method="POST", json_body={**self._body(nxt), "limit": limit})

    def raw_job(self, record: dict[str, Any], context: dict[str, Any], feed_url: str) -> RawJob:
        if context.get("list"):  # a list record without a usable detail path
            raw = RawJob(url=feed_url, extraction="feed", raw=record)
            raw.title = record.get("title")
            raw.location_text = record.get("locationsText")
            raw.date_posted = record.get("postedOn")
            raw.warnings.append("workday: list record only, no posting text")
            return raw
        info = as_dict(record.get("jobPostingInfo"))
        url = info.get("externalUrl") or feed_url
        raw = RawJob(url=str(url), extraction="feed", raw=record)
        raw.title = info.get("title")
        raw.organization = self.organization(context) or as_dict(
            record.get("hiringOrganization")
        ).get("name")
        raw.location_text = info.get("location")
        raw.country = as_dict(info.get("country")).get("descriptor")
        if info.get("additionalLocations"):
            raw.warnings.append("location: several places, the first is kept")
        remote = str(info.get("remoteType") or "").lower()
        if "remote" in remote or "hybrid" in remote:
            raw.remote = True
        raw.date_posted = info.get("startDate") or info.get("postedOn")
        raw.valid_through = info.get("endDate")
        raw.employment_type = info.get("timeType")
        raw.description = info.get("jobDescription")
        return raw
