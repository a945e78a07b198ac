"""Any JSON list of postings (unknown job APIs, careers-page endpoints): the fallback adapter.

Records are found anywhere in the payload by their keys (a title plus evidence such as
description/content, location, employer, date, salary, type or a job URL; see
``spiders.parsers.job_records.state_records``), with the usual names: ``title``/``name``,
``location``, ``description``/``content``, ``url``/``absolute_url``/``hostedUrl``/
``applyUrl``, ``created_at``/``publishedAt``/``datePosted``. Paging follows a ``next`` link
(``next``, ``next_page_url``, ``links.next``, ``paging.next``) when the payload has one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urljoin

from spiders.boards import BoardAdapter, load_json
from spiders.parsers.job_records import raw_job_from_record, state_records
from spiders.parsers.jobposting import RawJob

_NEXT_KEYS = ("next", "next_page_url", "nextPageUrl", "next_page", "nextPage")


def _next_link(payload: Any) -> str | None:
    if not isinstance(payload, dict):
        return None
    for key in _NEXT_KEYS:
        value = payload.get(key)
        if isinstance(value, str) and value.strip() and not value.strip().isdigit():
            return value.strip()
    for container in ("links", "paging", "pagination", "meta", "_links"):
        inner = payload.get(container)
        if isinstance(inner, dict):
            found = _next_link(inner)
            if found:
                return found
            nxt = inner.get("next")
            if isinstance(nxt, dict) and isinstance(nxt.get("href"), str):
                return str(nxt["href"])
    return None


class JsonListAdapter(BoardAdapter):
    name = "json"

    def records(self, body: bytes, url: str) -> tuple[Sequence[Any], dict[str, Any]]:
        payload = load_json(body)
        return list(state_records(payload)), {}

    def raw_job(self, record: dict[str, Any], context: dict[str, Any], feed_url: str) -> RawJob:
        raw = raw_job_from_record(record, page_url=feed_url)
        if not raw.organization and self.options.get("organization"):
            raw.organization = self.options["organization"]
        return raw

    def next_url(self, body: bytes, url: str, records: Sequence[Any]) -> str | None:
        if not records:
            return None
        try:
            link = _next_link(load_json(body))
        except ValueError:
            return None
        return urljoin(url, link) if link else None
