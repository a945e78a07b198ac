"""Fixture sites of the ``website`` spider, shared by the tests and ``tests.spiders.accuracy``.

A case is ``fixtures/website/<case>.html`` (the home page) with ``<case>.meta.json``::

    {"url": "http://127.0.0.1:8001/",          # where the home page lives
     "pages": {"<url>": "<case>--about.html"},  # further pages of the site
     "rendered": {"<url>": "<file>"},           # what chromium returns for a page (optional)
     "status": {"<url>": 500},                  # pages that answer with an error (optional)
     "headers": {"<url>": {"Content-Type": ...}},
     "seed": "<url>",                           # a seed other than the home page (optional)
     "now": "2025-06-01T12:00:00", "source_options": {...},
     "truth": {"name": ..., "language": ..., "city": ..., "country": ..., "emails": [...],
               "social_links": {...}, "address": ...,
               "main_text_starts": ..., "main_text_excludes": [...]}}  # by hand, before the run

and ``<case>.expected.json``. :func:`crawl_case` runs the harness's ``follow`` (which drives
the spider's async callbacks) with browser requests answered from ``rendered``, unmapped URLs
turned into 404 responses through the errback (as Scrapy's ``HttpErrorMiddleware`` does) and a
log of what was requested.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy import Request

from spiders.website import WebsiteSpider
from tests.spiders.harness import FIXTURES, follow, item_dicts, make_spider

CASES_DIR = FIXTURES / "website"
CASES = sorted(p.stem for p in CASES_DIR.glob("*.html") if "--" not in p.stem)
DEFAULT_NOW = "2025-06-01T12:00:00"


def crawl_case(
    case: str, *, max_depth: int = 50, **options: Any
) -> tuple[list[Any], list[Request], WebsiteSpider]:
    """Crawl a fixture site; ``max_depth`` < 50 leaves later requests unanswered (pending)."""
    meta = json.loads((CASES_DIR / f"{case}.meta.json").read_text(encoding="utf-8"))
    spider = make_spider(
        WebsiteSpider,
        urls=[meta.get("seed", meta["url"])],
        **{**meta.get("source_options", {}), **options},
    )
    spider.now = datetime.fromisoformat(meta.get("now", DEFAULT_NOW))
    files = {meta["url"]: f"{case}.html", **meta.get("pages", {})}
    rendered: dict[str, str] = meta.get("rendered", {})

    def resolve(request: Request) -> Path | None:
        name = (rendered if request.meta.get("playwright") else files).get(request.url)
        return CASES_DIR / name if name else None

    log: list[Request] = []
    items = follow(
        spider.seed_requests(spider.start_urls),
        resolve,
        max_depth=max_depth,
        missing="404",
        status=meta.get("status", {}),
        headers=meta.get("headers", {}),
        log=log,
    )
    return items, log, spider


TRUTH_FIELDS = ("name", "language", "city", "country", "emails", "social_links", "address")
#: Fields only newer cases write down (the start of the main text, what it must leave out).
OPTIONAL_FIELDS = ("main_text_starts", "main_text_excludes")
_POSTCODE_RE = re.compile(
    r"\d{2}-\d{3}|\d{4}-\d{3}|\d{4}\s?[A-Z]{2}\b|\d{3}\s\d{2}|\d{4,5}|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}"
)


def _field_ok(field: str, got: Any, want: Any) -> bool:
    """Whether a profile field matches the hand-written truth (see the meta files' ``truth``)."""
    if field in ("name", "city", "language", "country"):
        options = want if isinstance(want, list) else [want]
        if field == "city":  # the gazetteer's own name counts too (as for jobs)
            from spiders.parsers.places import resolve_place

            options = [*options, *(resolve_place(o).city for o in options if o)]
        return any((got or "").casefold() == (o or "").casefold() for o in options)
    if field == "emails":
        return sorted(e.lower() for e in got) == sorted(e.lower() for e in want)
    if field == "social_links":
        return {k: v.casefold() for k, v in got.items()} == {
            k: v.casefold() for k, v in want.items()
        }
    if field == "main_text_starts":
        return isinstance(got, str) and got.strip().startswith(want)
    if field == "main_text_excludes":
        return isinstance(got, str) and not any(w in got for w in want)
    # address: the street (first part) and the postcode of the truth appear in the profile's
    if not got:
        return not want
    street = want.split(",")[0].strip()
    code = _POSTCODE_RE.search(want.split(",", 1)[-1])
    return street in got and (code is None or code.group(0) in got)


def truth_cases() -> list[str]:
    return [
        c for c in CASES if "truth" in json.loads((CASES_DIR / f"{c}.meta.json").read_text("utf-8"))
    ]


def _fields(truth: dict[str, Any]) -> Iterable[str]:
    return (*TRUTH_FIELDS, *(f for f in OPTIONAL_FIELDS if f in truth))


def accuracy(cases: Iterable[str] | None = None) -> tuple[dict[str, tuple[int, int]], list[str]]:
    per_field: dict[str, tuple[int, int]] = {f: (0, 0) for f in (*TRUTH_FIELDS, *OPTIONAL_FIELDS)}
    misses: list[str] = []
    for case in cases if cases is not None else truth_cases():
        truth = json.loads((CASES_DIR / f"{case}.meta.json").read_text("utf-8"))["truth"]
        items, _, _ = crawl_case(case)
        profile = item_dicts(items)[0]
        for f in _fields(truth):
            got = profile["main_text" if f.startswith("main_text") else f]
            ok = _field_ok(f, got, truth[f])
            good, total = per_field[f]
            per_field[f] = (good + ok, total + 1)
            if not ok:
                misses.append(f"{case}.{f}: got {str(got)[:160]!r}, want {truth[f]!r}")
    return per_field, misses
