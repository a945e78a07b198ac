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
    the next page of the feed, if it is paged (None by default).

Adapters raise ``ValueError`` for a response they cannot read; the spider logs and counts it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, ClassVar

from spiders.parsers.jobposting import RawJob

__all__ = ["ADAPTERS", "BoardAdapter", "detect_feed", "get_adapter", "load_json"]


def load_json(body: bytes) -> Any:
    """A JSON feed body (BOM and odd encodings tolerated); ``ValueError`` if it is not JSON."""
    for encoding in ("utf-8-sig", "utf-16", "latin-1"):
        try:
            return json.loads(body.decode(encoding), strict=False)
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

    def organization(self, context: dict[str, Any]) -> str | None:
        """The employer: the source's ``organization`` option, else what the feed says."""
        name = self.options.get("organization") or context.get("organization")
        return str(name) if name else None


def _registry() -> dict[str, type[BoardAdapter]]:
    from spiders.boards.greenhouse import GreenhouseAdapter
    from spiders.boards.lever import LeverAdapter
    from spiders.boards.personio import PersonioAdapter
    from spiders.boards.recruitee import RecruiteeAdapter
    from spiders.boards.workable import WorkableAdapter

    classes: list[type[BoardAdapter]] = [
        GreenhouseAdapter,
        LeverAdapter,
        WorkableAdapter,
        RecruiteeAdapter,
        PersonioAdapter,
    ]
    return {cls.name: cls for cls in classes}


ADAPTERS: tuple[str, ...] = ("greenhouse", "lever", "workable", "recruitee", "personio")


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
)


def detect_feed(url: str) -> str | None:
    """The adapter for a URL of a public ATS board or feed, if it is one."""
    import re

    for pattern, name in _FEED_PATTERNS:
        if re.search(pattern, url, re.IGNORECASE):
            return name
    return None
