"""Breezy HR careers site JSON: ``GET /json`` on ``<company>.breezy.hr``.

A list of ``{"id", "friendly_id", "name", "url", "published_date", "type": {"id", "name"},
"location": {"country": {"name", "id"}, "state": {"name", "id"}, "city", "name", "is_remote"},
"department", "salary", "company": {"name", "logo_url", "friendly_id"}}``. The list has no text:
each advert page (``/p/<friendly_id>``, on the feed's own host) is read by the page reader
(it carries schema.org JSON-LD); records without one are read as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from spiders.boards import BoardAdapter, FeedRequest, as_dict, load_json
from spiders.parsers.jobposting import RawJob


class BreezyAdapter(BoardAdapter):
    name = "breezy"

    def feed_urls(self, url: str) -> list[str]:
        parts = urlsplit(url)
        if (parts.hostname or "").endswith(".breezy.hr") and parts.path.rstrip("/") != "/json":
            return [urlunsplit((parts.scheme, parts.netloc, "/json", "", ""))]
        return [url]

    def records(self, body: bytes, url: str) -> tuple[Sequence[Any], dict[str, Any]]:
        payload = load_json(body)
        if not isinstance(payload, list):
            raise ValueError("expected a list of positions")
        return payload, {}

    def detail_request(
        self, record: dict[str, Any], context: dict[str, Any], url: str
    ) -> FeedRequest | None:
        if self.options.get("breezy_pages") is False:
            return None
        slug = record.get("friendly_id")
        if not isinstance(slug, str) or not slug.strip():
            return None
        parts = urlsplit(url)
        path = f"/p/{quote(slug.strip(), safe='-_.')}"
        return FeedRequest(urlunsplit((parts.scheme, parts.netloc, path, "", "")), page=True)

    def raw_job(self, record: dict[str, Any], context: dict[str, Any], feed_url: str) -> RawJob:
        raw = RawJob(url=str(record.get("url") or feed_url), extraction="feed", raw=record)
        raw.title = record.get("name")
        raw.organization = self.organization(context) or as_dict(record.get("company")).get("name")
        loc = as_dict(record.get("location"))
        raw.locality = loc.get("city")
        raw.region = as_dict(loc.get("state")).get("name")
        country = as_dict(loc.get("country"))
        raw.country = country.get("id") or country.get("name")
        if not raw.locality:
            raw.location_text = loc.get("name")
        if loc.get("is_remote") is True:
            raw.remote = True
        raw.date_posted = record.get("published_date")
        etype = as_dict(record.get("type"))
        raw.employment_type = etype.get("name") or etype.get("id")
        salary = record.get("salary")
        raw.salary_text = salary if isinstance(salary, str) and salary.strip() else None
        return raw
