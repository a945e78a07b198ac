"""Teamtailor API (JSON:API): ``GET /v1/jobs?include=locations,department`` (paged by
``links.next``).

``{"data": [{"id", "type": "jobs", "links": {"careersite-job-url"}, "attributes": {"title",
"pitch", "body" (HTML), "created-at", "updated-at", "start-date", "end-date", "status",
"remote-status" (none | hybrid | temporary | fully), "employment-type", "employment-level",
"salary-min"?, "salary-max"?, "currency"?}, "relationships": {"locations": {"data": [{"id",
"type": "locations"}]}, "department": {...}}}], "included": [{"id", "type": "locations",
"attributes": {"name", "city", "country", "zip", "address"}}], "links": {"next"},
"meta": {"record-count", "page-count"}}``. Career sites also publish ``/jobs.rss`` (the
``rss`` adapter).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urljoin

from spiders.boards import BoardAdapter, as_dict, load_json
from spiders.parsers.jobposting import RawJob
from spiders.parsers.salary import normalise_salary, period_code

_TYPES = {
    "fulltime": "FULL_TIME",
    "full-time": "FULL_TIME",
    "parttime": "PART_TIME",
    "part-time": "PART_TIME",
    "temporary": "TEMPORARY",
    "contract": "CONTRACTOR",
    "freelance": "CONTRACTOR",
    "internship": "INTERN",
    "intern": "INTERN",
    "volunteer": "VOLUNTEER",
}


class TeamtailorAdapter(BoardAdapter):
    name = "teamtailor"

    def records(self, body: bytes, url: str) -> tuple[Sequence[Any], dict[str, Any]]:
        payload = load_json(body)
        if not isinstance(payload, dict) or "data" not in payload:
            raise ValueError("no JSON:API 'data'")
        data = payload["data"]
        data = data if isinstance(data, list) else [data]
        included: dict[tuple[str, str], dict[str, Any]] = {}
        included_nodes = payload.get("included")
        for node in included_nodes if isinstance(included_nodes, list) else []:
            if isinstance(node, dict):
                included[(str(node.get("type")), str(node.get("id")))] = as_dict(
                    node.get("attributes")
                )
        # records that are not objects are kept: the spider counts them as unreadable
        jobs = [d for d in data if not isinstance(d, dict) or d.get("type") in ("jobs", None)]
        return jobs, {"included": included}

    def next_url(self, body: bytes, url: str, records: Sequence[Any]) -> str | None:
        try:
            payload = load_json(body)
        except ValueError:
            return None
        nxt = as_dict(as_dict(payload).get("links")).get("next")
        return urljoin(url, nxt) if isinstance(nxt, str) and nxt and records else None

    def _related(self, record: dict[str, Any], name: str, context: dict[str, Any]) -> list[Any]:
        rel = as_dict(as_dict(record.get("relationships")).get(name)).get("data")
        refs = rel if isinstance(rel, list) else [rel] if isinstance(rel, dict) else []
        included = context.get("included") or {}
        return [
            included[key]
            for r in refs
            if isinstance(r, dict) and (key := (str(r.get("type")), str(r.get("id")))) in included
        ]

    def raw_job(self, record: dict[str, Any], context: dict[str, Any], feed_url: str) -> RawJob:
        attrs = as_dict(record.get("attributes"))
        links = as_dict(record.get("links"))
        url = (
            links.get("careersite-job-url") or links.get("self") or f"{feed_url}#{record.get('id')}"
        )
        raw = RawJob(url=str(url), extraction="feed", raw=record)
        raw.title = attrs.get("title")
        raw.organization = self.organization(context)
        locations = self._related(record, "locations", context)
        if locations:
            loc = locations[0]
            raw.locality, raw.country = loc.get("city"), loc.get("country")
            if not raw.locality:
                raw.location_text = loc.get("name") or loc.get("address")
            if len(locations) > 1:
                raw.warnings.append(f"locations: {len(locations)} places, the first is kept")
        remote = str(attrs.get("remote-status") or "").lower()
        if remote in ("fully", "hybrid", "temporary"):
            raw.remote = True
        raw.date_posted = attrs.get("created-at") or attrs.get("updated-at")
        raw.valid_through = attrs.get("end-date")
        etype = str(attrs.get("employment-type") or "")
        raw.employment_type = _TYPES.get(etype.lower(), etype or None)
        pitch, body = attrs.get("pitch"), attrs.get("body")
        raw.description = "\n".join(p for p in (pitch, body) if isinstance(p, str) and p) or None
        low, high = attrs.get("salary-min"), attrs.get("salary-max")
        if isinstance(low, int | float) or isinstance(high, int | float):
            raw.salary = normalise_salary(
                low if isinstance(low, int | float) else None,
                high if isinstance(high, int | float) else None,
                str(attrs.get("currency") or "") or None,
                period_code(str(attrs.get("salary-time-unit") or "")),
            )
        return raw
