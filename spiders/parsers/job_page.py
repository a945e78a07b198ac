"""One HTML page of a job board or careers site read whole: adverts, links to follow, counts.

:func:`read_job_page` is pure and picklable in and out, so the jobs spider runs it in a parsing
worker process (:mod:`crawler.parse_pool`) off the reactor thread, under a time budget. What
the spider would have counted or logged while reading comes back as ``events`` (stat names
under ``dsi/``) and ``logs``; the spider applies them.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from urllib.parse import urljoin, urlsplit

from lxml import etree

from crawler.dedupe import Signature, signature
from crawler.items import JobAdvert
from crawler.urls import canonical_url
from spiders.boards import detect_feed
from spiders.parsers.job_links import page_links
from spiders.parsers.job_records import state_jobs
from spiders.parsers.job_status import closed_notice
from spiders.parsers.jobposting import RawJob, distinct_urls, normalise_job, raw_job_from_node
from spiders.parsers.jobs_html import country_hint_for, fallback_job, parse_document
from spiders.parsers.limits import MAX_LINKS_PER_PAGE, cap_name
from spiders.parsers.structured import extract_structured, find_typed

_LANG_RE = re.compile(
    r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)", re.IGNORECASE
)


#: The ``href`` of every link, in page order, as plain strings (no element objects made).
_HREFS = etree.XPath("//a/@href", smart_strings=False)


@dataclass(slots=True)
class JobPage:
    """What one page gave: items, where to go next, and what to count and log."""

    items: list[JobAdvert] = field(default_factory=list)
    #: JS-state records of a listing whose own advert page says more (followed as adverts)
    state_follow: list[str] = field(default_factory=list)
    next_pages: list[str] = field(default_factory=list)
    adverts: list[str] = field(default_factory=list)
    #: ``(url, api)`` of links to public ATS feeds (followed when on another site)
    feeds: list[tuple[str, str]] = field(default_factory=list)
    #: stat names under ``dsi/``, one count each
    events: list[str] = field(default_factory=list)
    #: ``(level, message)``
    logs: list[tuple[int, str]] = field(default_factory=list)
    #: False when the page was not HTML that lxml could read (no links were looked for)
    parsed: bool = True
    #: the dedupe signature of each of ``items`` (same order), computed with the page
    signatures: list[Signature] = field(default_factory=list)

    def count_problems(self, kind: str, problems: list[str]) -> None:
        for problem in problems:
            name = cap_name(problem)
            self.events.append(f"caps/{name}" if name else f"parse/{kind}/{problem}")


def emit_jobs(
    raws: list[RawJob], *, source: str, now: datetime | None, page: str, out: JobPage
) -> None:
    """Normalise ``raws`` into ``out.items`` (a posting without a title is skipped, counted)."""
    distinct_urls(raws)
    for raw in raws:
        try:
            item = normalise_job(raw, source=source, now=now)
        except Exception as exc:  # a reader bug must not stop the crawl
            out.logs.append((logging.ERROR, f"could not normalise a job advert on {page}: {exc}"))
            out.events.append("parse/jobs/normalise_error")
            continue
        if item is None:
            out.logs.append((logging.INFO, f"skipped a posting without a title on {page}"))
            out.events.append("parse/jobs/no_title")
            continue
        if item.warnings:
            out.events.append("parse/jobs/items_with_warnings")
        out.events.append(f"jobs/extraction/{item.extraction}")
        out.items.append(item)


def read_job_page(
    html: str, url: str, *, job_hint: bool, source: str, now: datetime | None
) -> JobPage:
    """Adverts of one HTML page (structured data, JS state, else the markup) and its links."""
    out = JobPage()
    lang_match = _LANG_RE.search(html[:5000])
    lang_hint = lang_match.group(1) if lang_match else None
    doc = parse_document(html)
    page_url = url
    if doc is not None:
        canon = doc.xpath("//link[@rel='canonical']/@href")
        if canon:
            target = urljoin(url, str(canon[0]).strip())
            if urlsplit(target).netloc.lower() == urlsplit(url).netloc.lower():
                page_url = target
    found = extract_structured(html, url, doc=doc)
    out.count_problems("jobs", found.problems)
    if "jsonld_unreadable" in found.problems:
        out.logs.append((logging.WARNING, f"unreadable JSON-LD on {url}"))
    raws: list[RawJob] = []
    seen: set[tuple[str, str]] = set()
    for syntax, node in find_typed(found.nodes, "JobPosting"):
        raw = raw_job_from_node(node, page_url=page_url, syntax=syntax, lang_hint=lang_hint)
        key = (str(raw.title), str(raw.url))
        if key in seen:  # the same posting in two syntaxes: the first (JSON-LD) wins
            continue
        seen.add(key)
        if "jsonld_repaired" in found.problems and syntax == "json-ld":
            raw.warnings.append("json-ld: broken JSON repaired")
        raws.append(raw)
    partial = "jsonld_partial" in found.problems
    if partial:
        out.logs.append((logging.WARNING, f"JSON-LD on {url} only partly readable"))
        for raw in raws:
            raw.warnings.append("json-ld: only partly readable")
    if not raws:
        raws = state_jobs(html, page_url, lang_hint=lang_hint)
        if raws:
            out.events.append("jobs/js_state_pages")
            raws, out.state_follow = _split_state_listing(raws, page_url)
    if (not raws or (partial and len(raws) == 1)) and doc is not None:
        # no structured data, or a truncated JSON-LD posting: the markup may say more
        orgs = [
            n.get("name")
            for _syntax, n in find_typed(found.nodes, "Organization")
            if isinstance(n.get("name"), str)
        ]
        fallback = fallback_job(
            doc,
            page_url,
            lang_hint=lang_hint,
            job_hint=job_hint or bool(raws),
            organization_hint=orgs[0] if orgs else None,
        )
        if fallback is not None:
            if "jsonld_unreadable" in found.problems or partial:
                fallback.warnings.append("json-ld: unreadable, read from the markup")
            raws = [fallback]
    if doc is not None and len(raws) == 1 and raws[0].closed is None:
        # an advert page read from structured data may still say it is closed
        notice = closed_notice(doc)
        if notice:
            raws[0].closed = True
            raws[0].raw.setdefault("closed_notice", notice)
    hint = country_hint_for(lang_hint)
    for raw in raws:
        raw.country_hint = raw.country_hint or hint
    emit_jobs(raws, source=source, now=now, page=url, out=out)
    out.signatures = [
        signature(
            url=canonical_url(item.url, keep_fragment=True),
            employer=item.hiring_organization,
            title=item.title,
            description=item.description,
        )
        for item in out.items
    ]
    if doc is None:
        out.parsed = False
        return out
    links = page_links(doc, url)
    out.count_problems("jobs", links.problems)
    out.next_pages, out.adverts = links.next_pages, links.adverts
    for raw_href in islice(_HREFS(doc), MAX_LINKS_PER_PAGE):
        href = str(raw_href).strip()
        if not href.lower().startswith(("http", "//")):
            continue  # a relative link stays on this site: never another site's feed
        try:
            target = urljoin(url, href)
            api = detect_feed(target)
        except ValueError:  # not a readable URL: page_links counted it
            continue
        if api:
            out.feeds.append((target, api))
    return out


def _split_state_listing(raws: list[RawJob], page_url: str) -> tuple[list[RawJob], list[str]]:
    """JS state of a listing: records with no text but their own advert URL on this site
    are followed (the advert page says more) rather than emitted as half items."""
    keep: list[RawJob] = []
    follow: list[str] = []
    page = canonical_url(page_url)
    for raw in raws:
        own = canonical_url(raw.url)
        has_text = isinstance(raw.description, str) and len(raw.description.strip()) >= 40
        if (
            not has_text
            and own != page
            and urlsplit(own).netloc.lower() == urlsplit(page).netloc.lower()
        ):
            if own not in follow:
                follow.append(own)
        else:
            keep.append(raw)
    return keep, follow
