"""SmartRecruiters Posting API: ``GET /v1/companies/<company>/postings`` (paged with
``offset``/``limit``) and ``GET /v1/companies/<company>/postings/<id>`` for one posting.

List: ``{"offset", "limit", "totalFound", "content": [{"id", "name", "uuid", "refNumber",
"company": {"identifier", "name"}, "releasedDate", "location": {"city", "region", "country"
(lower-case ISO code), "remote", "hybrid", "fullLocation"}, "typeOfEmployment": {"id",
"label"}, "experienceLevel", "department", "language": {"code"}, "ref" (detail API URL)}]}``.
The list has no text: each posting is fetched (next to the list URL, whatever host ``ref``
names); the detail adds ``"jobAd": {"sections": {"companyDescription", "jobDescription",
"qualifications", "additionalInformation": {"title", "text" (HTML)}}}``, ``postingUrl``,
``applyUrl``, ``compensation`` (some tenants).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from spiders.boards import BoardAdapter, FeedRequest, as_dict, load_json, query_int, with_query
from spiders.parsers.jobposting import RawJob
from spiders.parsers.salary import normalise_salary, period_code

_LIST_PATH_RE = re.compile(r"^(?P<base>.*/v1/companies/[^/?#]+/postings)/?(?P<rest>[^?#]*)")
_SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")


class SmartRecruitersAdapter(BoardAdapter):
    name = "smartrecruiters"

    def feed_urls(self, url: str) -> list[str]:
        parts = urlsplit(url)
        if (parts.hostname or "").endswith("smartrecruiters.com") and "/v1/" not in parts.path:
            company = parts.path.strip("/").split("/")[0]
            if company:
                return [f"https://api.smartrecruiters.com/v1/companies/{company}/postings"]
        return [url]

    def records(self, body: bytes, url: str) -> tuple[Sequence[Any], dict[str, Any]]:
        payload = load_json(body)
        if isinstance(payload, dict) and isinstance(payload.get("content"), list):
            return payload["content"], {
                "list": True,
                "total": payload.get("totalFound"),
                "offset": payload.get("offset"),
            }
        if isinstance(payload, dict) and (payload.get("jobAd") or payload.get("name")):
            return [payload], {"list": False}
        raise ValueError("neither a postings list ('content') nor a posting")

    def detail_request(
        self, record: dict[str, Any], context: dict[str, Any], url: str
    ) -> FeedRequest | None:
        if not context.get("list") or record.get("jobAd") or not record.get("id"):
            return None
        parts = urlsplit(url)
        m = _LIST_PATH_RE.match(parts.path)
        if m is None:
            return None
        path = f"{m.group('base')}/{quote(str(record['id']), safe='')}"
        return FeedRequest(urlunsplit((parts.scheme, parts.netloc, path, "", "")))

    def next_request(
        self, body: bytes, url: str, records: Sequence[Any], sent: bytes = b""
    ) -> FeedRequest | None:
        try:
            payload = load_json(body)
        except ValueError:
            return None
        if not isinstance(payload, dict) or not records:
            return None
        total, offset = payload.get("totalFound"), payload.get("offset")
        limit = payload.get("limit") or query_int(url, "limit") or len(records)
        if not (isinstance(total, int) and isinstance(offset, int) and isinstance(limit, int)):
            return None
        if offset + len(records) >= total:
            return None
        return FeedRequest(with_query(url, offset=offset + len(records), limit=limit))

    def raw_job(self, record: dict[str, Any], context: dict[str, Any], feed_url: str) -> RawJob:
        company = as_dict(record.get("company"))
        ident = company.get("identifier") or ""
        url = record.get("postingUrl")
        if not isinstance(url, str) or not url.startswith("http"):
            url = f"https://jobs.smartrecruiters.com/{ident}/{record.get('id')}"
        raw = RawJob(url=url, extraction="feed", raw=record)
        raw.title = record.get("name")
        raw.organization = self.organization(context) or company.get("name") or ident or None
        loc = as_dict(record.get("location"))
        raw.locality, raw.region = loc.get("city"), loc.get("region")
        raw.country = loc.get("country")
        if not raw.locality:
            raw.location_text = loc.get("fullLocation")
        if loc.get("remote") is True or loc.get("hybrid") is True:
            raw.remote = True
        raw.date_posted = record.get("releasedDate") or record.get("createdOn")
        raw.employment_type = as_dict(record.get("typeOfEmployment")).get("label") or as_dict(
            record.get("typeOfEmployment")
        ).get("id")
        lang = as_dict(record.get("language")).get("code")
        raw.lang_hint = lang if isinstance(lang, str) else None
        sections = as_dict(as_dict(record.get("jobAd")).get("sections"))
        parts = []
        for key in _SECTIONS:
            section = as_dict(sections.get(key))
            text = section.get("text")
            if isinstance(text, str) and text.strip():
                title = section.get("title")
                parts.append((f"<h3>{title}</h3>" if isinstance(title, str) else "") + text)
        raw.description = "\n".join(parts) or None
        if context.get("list"):
            raw.warnings.append("smartrecruiters: list record only, no posting text")
        comp = as_dict(record.get("compensation"))
        low, high = comp.get("min"), comp.get("max")
        if isinstance(low, int | float) or isinstance(high, int | float):
            raw.salary = normalise_salary(
                low if isinstance(low, int | float) else None,
                high if isinstance(high, int | float) else None,
                str(comp.get("currency") or "") or None,
                period_code(str(comp.get("period") or comp.get("interval") or "")),
            )
        return raw
