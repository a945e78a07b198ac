"""ATS job-feed adapters, chosen per source with ``api = "<name>"`` in ``sources.toml``.

A board or portal that publishes schema.org ``JobPosting`` needs no adapter: it is a
``sources.toml`` entry for the generic ``jobs`` spider. Public ATS feeds (JSON/XML APIs) get a
small adapter overriding the documented hooks of :class:`BoardAdapter`:

``feed_urls(url)``
    the feed URL(s) to fetch for a source URL (a careers page URL such as
    ``https://boards.greenhouse.io/acme`` becomes the API URL; an API URL stays as it is);
``records(body, url)``
    the job records in one feed response, plus a context dict (e.g. the company name);
``raw_job(record, context, feed_url)``
    one record as a :class:`~spiders.parsers.jobposting.RawJob` (normalised by the spider,
    like every other reader);
``next_url(body, url, records)``
    the next page of the feed, if it is paged (None by default);
``feed_request(url)``
    the request for a feed URL: a GET by default, a POST with a JSON body where the API
    needs one (Workday);
``next_request(body, url, records, sent)``
    the next page as a :class:`FeedRequest` (``sent`` is the body of the request that was
    answered, for APIs paged by POST bodies); defaults to ``next_url``;
``detail_request(record, context, url)``
    a list API whose records are summaries (SmartRecruiters, Workday, BambooHR, Breezy):
    the request for the record's full posting, which replaces the record (None by default:
    the record is read as it is). ``FeedRequest.page`` marks a detail that is an HTML
    advert page, read by the spider's generic page reader.

When ``api`` is not set, :func:`detect_feed` recognises feeds by URL path and
:func:`detect_payload` by the shape of a JSON payload (sites on unknown hosts, proxies).

Adapters raise ``ValueError`` for a response they cannot read; the spider logs and counts it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from spiders.parsers.jobposting import RawJob

__all__ = [
    "ADAPTERS",
    "BoardAdapter",
    "FeedRequest",
    "as_dict",
    "detect_feed",
    "detect_payload",
    "get_adapter",
    "load_json",
    "query_int",
    "with_query",
]


@dataclass(frozen=True, slots=True)
class FeedRequest:
    """A request an adapter asks the spider to make."""

    url: str
    method: str = "GET"
    #: a JSON body (POST APIs)
    json_body: dict[str, Any] | None = None
    #: an HTML advert page for the generic page reader, not a feed response
    page: bool = False


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is a JSON object, else an empty one (for optional nested records)."""
    return value if isinstance(value, dict) else {}


def with_query(url: str, **params: Any) -> str:
    """``url`` with query parameters set (replacing those of the same name)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query.extend((k, str(v)) for k, v in params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def query_int(url: str, name: str) -> int | None:
    """An integer query parameter of ``url``."""
    for key, value in parse_qsl(urlsplit(url).query):
        if key == name and value.isdigit():
            return int(value)
    return None


def load_json(body: bytes) -> Any:
    """A JSON feed body (BOM and odd encodings tolerated); ``ValueError`` if it is not JSON."""
    for encoding in ("utf-8-sig", "utf-16", "latin-1"):
        try:
            return json.loads(body.decode(encoding), strict=False)
        except RecursionError:  # nested too deep: no encoding makes it readable
            break
        except (UnicodeDecodeError, ValueError):
            continue
    raise ValueError("not JSON")


class BoardAdapter:
    """Base of the ATS adapters (see the module docstring for the hooks)."""

    name: ClassVar[str] = ""

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.options = dict(options or {})

    def feed_urls(self, url: str) -> list[str]:
        return [url]

    def records(self, body: bytes, url: str) -> tuple[Sequence[Any], dict[str, Any]]:
        raise NotImplementedError

    def raw_job(self, record: dict[str, Any], context: dict[str, Any], feed_url: str) -> RawJob:
        raise NotImplementedError

    def next_url(self, body: bytes, url: str, records: Sequence[Any]) -> str | None:
        return None

    def feed_request(self, url: str) -> FeedRequest:
        return FeedRequest(url)

    def next_request(
        self, body: bytes, url: str, records: Sequence[Any], sent: bytes = b""
    ) -> FeedRequest | None:
        next_url = self.next_url(body, url, records)
        return FeedRequest(next_url) if next_url else None

    def detail_request(
        self, record: dict[str, Any], context: dict[str, Any], url: str
    ) -> FeedRequest | None:
        return None

    def organization(self, context: dict[str, Any]) -> str | None:
        """The employer: the source's ``organization`` option, else what the feed says."""
        name = self.options.get("organization") or context.get("organization")
        return str(name) if name else None


def _registry() -> dict[str, type[BoardAdapter]]:
    from spiders.boards.ashby import AshbyAdapter
    from spiders.boards.bamboohr import BambooHRAdapter
    from spiders.boards.breezy import BreezyAdapter
    from spiders.boards.greenhouse import GreenhouseAdapter
    from spiders.boards.jsonlist import JsonListAdapter
    from spiders.boards.lever import LeverAdapter
    from spiders.boards.personio import PersonioAdapter
    from spiders.boards.recruitee import RecruiteeAdapter
    from spiders.boards.rss import RssAdapter
    from spiders.boards.smartrecruiters import SmartRecruitersAdapter
    from spiders.boards.teamtailor import TeamtailorAdapter
    from spiders.boards.workable import WorkableAdapter
    from spiders.boards.workday import WorkdayAdapter

    classes: list[type[BoardAdapter]] = [
        GreenhouseAdapter,
        LeverAdapter,
        WorkableAdapter,
        RecruiteeAdapter,
        PersonioAdapter,
        SmartRecruitersAdapter,
        AshbyAdapter,
        TeamtailorAdapter,
        WorkdayAdapter,
        BambooHRAdapter,
        BreezyAdapter,
        RssAdapter,
        JsonListAdapter,
    ]
    return {cls.name: cls for cls in classes}


ADAPTERS: tuple[str, ...] = (
    "greenhouse",
    "lever",
    "workable",
    "recruitee",
    "personio",
    "smartrecruiters",
    "ashby",
    "teamtailor",
    "workday",
    "bamboohr",
    "breezy",
    "rss",
    "json",
)


def get_adapter(name: str, options: dict[str, Any] | None = None) -> BoardAdapter:
    """The adapter called ``name``; ``KeyError`` naming the known ones otherwise."""
    registry = _registry()
    try:
        cls = registry[name.strip().lower()]
    except KeyError:
        raise KeyError(
            f"unknown job board api {name!r} (known: {', '.join(sorted(registry))})"
        ) from None
    return cls(options)


#: Public ATS hosts and API paths -> adapter name (careers pages often link to these).
_FEED_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^https?://(?:boards|job-boards)\.greenhouse\.io/[^/?#]+", "greenhouse"),
    (r"^https?://boards-api\.greenhouse\.io/v1/boards/[^/?#]+/jobs", "greenhouse"),
    (r"/v1/boards/[^/?#]+/jobs(?:[/?#]|$)", "greenhouse"),
    (r"^https?://jobs(?:\.eu)?\.lever\.co/[^/?#]+/?(?:[?#]|$)", "lever"),
    (r"/v0/postings/[^/?#]+/?(?:[?#]|$)", "lever"),
    (r"^https?://apply\.workable\.com/[^/?#]+/?(?:[?#]|$)", "workable"),
    (r"/api/accounts/[^/?#]+/?(?:[?#]|$)", "workable"),
    (r"^https?://[^/]+\.recruitee\.com/?(?:[?#]|$)", "recruitee"),
    (r"/api/offers/?(?:[?#]|$)", "recruitee"),
    (r"^https?://[^/]+\.jobs\.personio\.(?:de|com)/?(?:xml)?(?:[?#]|$)", "personio"),
    (r"/personio/xml(?:[?#]|$)", "personio"),
    (r"^https?://(?:careers|jobs)\.smartrecruiters\.com/[^/?#]+/?(?:[?#]|$)", "smartrecruiters"),
    (r"/v1/companies/[^/?#]+/postings(?:[/?#]|$)", "smartrecruiters"),
    (r"^https?://jobs\.ashbyhq\.com/[^/?#]+/?(?:[?#]|$)", "ashby"),
    (r"/posting-api/job-board/[^/?#]+", "ashby"),
    (r"^https?://[^/]+\.myworkdayjobs\.com/(?:[a-z]{2}-[A-Z]{2}/)?[^/?#]+/?(?:[?#]|$)", "workday"),
    (r"/wday/cxs/[^/?#]+/[^/?#]+/(?:jobs|job/)", "workday"),
    (r"^https?://[^/]+\.bamboohr\.com/(?:careers|jobs)/?(?:[?#]|$)", "bamboohr"),
    (r"/careers/list/?(?:[?#]|$)", "bamboohr"),
    (r"/careers/\d+/detail/?(?:[?#]|$)", "bamboohr"),
    (r"^https?://[^/]+\.breezy\.hr/(?:json)?/?(?:[?#]|$)", "breezy"),
    (r"^https?://api\.teamtailor\.com/v1/jobs", "teamtailor"),
    (r"/(?:jobs|careers|vacancies|stellen)\.(?:rss|atom)(?:[?#]|$)", "rss"),
    (r"/(?:jobs|careers|vacancies)/(?:feed|rss|atom)(?:\.xml)?/?(?:[?#]|$)", "rss"),
)


_FEED_RES = tuple((re.compile(pattern, re.IGNORECASE), name) for pattern, name in _FEED_PATTERNS)


def detect_feed(url: str) -> str | None:
    """The adapter for a URL of a public ATS board or feed, if it is one."""
    for pattern, name in _FEED_RES:
        if pattern.search(url):
            return name
    return None


def _first_dict(value: Any) -> dict[str, Any]:
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, dict)), None)
    return as_dict(value)


def detect_payload(payload: Any) -> str | None:
    """The adapter for a JSON payload, by its shape (feeds on hosts that do not name the
    vendor); None when it is no known ATS shape (the generic JSON reader may still find
    job-like records in it)."""
    if isinstance(payload, list):
        first = _first_dict(payload)
        if "hostedUrl" in first or ("categories" in first and "text" in first):
            return "lever"
        if "friendly_id" in first and ("published_date" in first or "type" in first):
            return "breezy"
        return None
    if not isinstance(payload, dict):
        return None
    if isinstance(payload.get("jobPostings"), list) or isinstance(
        payload.get("jobPostingInfo"), dict
    ):
        return "workday"
    if isinstance(payload.get("content"), list) and "totalFound" in payload:
        return "smartrecruiters"
    if isinstance(payload.get("jobAd"), dict) and "releasedDate" in payload:
        return "smartrecruiters"
    result = payload.get("result")
    if isinstance(result, list) and "jobOpeningName" in _first_dict(result):
        return "bamboohr"
    if isinstance(result, dict) and isinstance(result.get("jobOpening"), dict):
        return "bamboohr"
    data = payload.get("data")
    first_data = _first_dict(data)
    if first_data.get("type") == "jobs" and isinstance(first_data.get("attributes"), dict):
        return "teamtailor"
    if isinstance(payload.get("offers"), list):
        return "recruitee"
    jobs = payload.get("jobs")
    if isinstance(jobs, list):
        first = _first_dict(jobs)
        if "absolute_url" in first:
            return "greenhouse"
        if "jobUrl" in first or "descriptionHtml" in first or "apiVersion" in payload:
            return "ashby"
        if "shortcode" in first:
            return "workable"
    return None
