"""The ``jobs`` spider: job adverts from boards, ATS feeds, sitemaps and careers pages.

Routing only; extraction is in ``spiders/parsers`` (``structured``, ``jobposting``,
``jobs_html``, ``salary``) and ``spiders/boards`` (ATS adapters).

Source options (``sources.toml`` or ``dsi crawl -o key=value``):

``api``
    ``greenhouse | lever | workable | recruitee | personio``: read the URLs as that ATS's public
    feed (a careers-page URL such as ``https://boards.greenhouse.io/acme`` is turned into the API
    URL). Without it, a URL that looks like one of these feeds is still read as one.
``organization``
    the employer's name, for feeds that do not carry it (Lever).
``seed``
    ``candidates`` (organisation websites of candidates) or ``database`` (accepted candidates
    and crawled organisation websites): read from the database by the runner before the crawl
    starts (:mod:`crawler.seeds`) and handed in as the ``seeds`` argument; each
    site's careers page is looked for (links such as careers, jobs, karriere, emplois, praca,
    vacatures...) and crawled as a listing. ATS links found there are read through the adapters.
``sitemap_since``
    ISO date: sitemap entries with an older ``lastmod`` are skipped.

Start URLs may be listings (pagination and advert links are followed, same site only), adverts,
sitemaps (``sitemapindex`` and ``urlset``, gzip too) or ``robots.txt`` (its ``Sitemap:`` lines).
robots.txt is obeyed through Scrapy's ``ROBOTSTXT_OBEY``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import AsyncIterator, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import Sitemap

from crawler.dedupe import AheadBook
from crawler.items import JobAdvert
from crawler.parse_pool import ParseCrashed, ParsePool, ParseTimeout
from crawler.sources import OptionSpec
from crawler.text import element_text
from crawler.urls import canonical_url, readable_url
from spiders.base import DSISpider
from spiders.boards import (
    ADAPTERS,
    BoardAdapter,
    FeedRequest,
    detect_feed,
    detect_payload,
    get_adapter,
    load_json,
)
from spiders.parsers.job_links import JOB_PATH_RE, is_job_url
from spiders.parsers.job_page import JobPage, emit_jobs, read_job_page
from spiders.parsers.job_records import json_records
from spiders.parsers.jobposting import RawJob
from spiders.parsers.jobs_html import parse_document
from spiders.parsers.structured import loads_lenient

if TYPE_CHECKING:
    from crawler.seeds import Seeds

_META_CHARSET_RE = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.IGNORECASE)
#: Link text or path of a careers page, in the languages of European organisation websites.
CAREERS_RE = re.compile(
    r"\b(?:careers?|jobs?|vacanc(?:y|ies)|join\s+(?:us|our\s+team)|work\s+with\s+us|"
    r"we(?:'re|\s+are)\s+hiring|karriere|stellen(?:angebote|anzeigen)?|offene\s+stellen|"
    r"jobs?\s+(?:&|und)\s+karriere|emplois?|offres?\s+d['’]emploi|recrutement|"
    r"nous\s+rejoindre|rejoignez[-\s]nous|empleo|trabaja\s+con\s+nosotros|únete|"
    r"lavora\s+con\s+noi|carriere|opportunità|vacatures?|werken\s+bij|kom\s+werken|"
    r"praca|kariera|oferty\s+pracy|vagas|trabalhe\s+conosco|jobb|lediga\s+jobb|"
    r"stillinger|työpaikat|kariéra|volná\s+místa|állás(?:ok)?)\b",
    re.IGNORECASE,
)
_MAX_CAREERS_LINKS = 3
#: Request priority of the next page of a listing: fetched before the adverts already found,
#: so the adverts of later pages are known while earlier ones are read (a listing read last
#: leaves nothing else to fetch while it waits for a parsing worker).
NEXT_PAGE_PRIORITY = 10
#: An XML job feed: RSS 2.0, Atom, RSS 1.0 (RDF), Personio, plain XML job lists.
_XML_FEED_RE = re.compile(rb"<(?:rss|feed|rdf:rdf|workzag-jobs|jobs|source)\b", re.IGNORECASE)
#: Pages of a site that are never adverts (listed in job sitemaps all the same).
_SITE_PAGE_RE = re.compile(
    r"^/?(?:[a-z]{2}/)?(?:about|about-us|contact|privacy|imprint|impressum|datenschutz|terms|"
    r"faq|blog|news|press|team|mentions-legales|kontakt|o-nas|polityka-prywatnosci)?/?$",
    re.IGNORECASE,
)


class JobsSpider(DSISpider):
    """Job adverts (schema.org JobPosting, JS state, markup fallback, ATS feeds)."""

    name = "jobs"
    frontier = "requests"
    source_options: ClassVar[dict[str, OptionSpec]] = {
        "api": OptionSpec((str,), ADAPTERS, "ATS / feed format; detected from URL or payload"),
        "seed": OptionSpec((str,), ("candidates", "database"), "careers pages of known orgs"),
        "sitemap_since": OptionSpec((str, date), None, "skip sitemap URLs older than this"),
        "organization": OptionSpec((str,), None, "employer name for feeds that omit it"),
        "breezy_pages": OptionSpec((bool,), None, "Breezy: fetch each advert page"),
    }

    def __init__(self, *args: Any, seeds: Seeds | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = dict(self.dsi_source.options)
        api = options.get("api")
        self.adapter: BoardAdapter | None = None
        if api:
            self.adapter = get_adapter(str(api), options)  # KeyError names the known ones
        self.seed: str | None = options.get("seed")
        if self.seed is not None and self.seed not in ("candidates", "database"):
            raise ValueError(
                f"source {self.dsi_source.name!r}: seed must be 'candidates' or "
                f"'database' (got {self.seed!r})"
            )
        since = options.get("sitemap_since")
        self.sitemap_since: date | None = None
        if since:
            self.sitemap_since = (
                since if isinstance(since, date) else date.fromisoformat(str(since)[:10])
            )
        #: Anchors relative dates ("3 days ago"); None = now (tests freeze the clock).
        self.now: datetime | None = None
        self.allowed_netlocs: set[str] = {urlsplit(u).netloc.lower() for u in self.start_urls}
        #: organisation websites read from the database (``seed``), see :mod:`crawler.seeds`
        self.seeds = seeds
        self.seed_sites: list[str] = list(seeds.urls) if seeds is not None else []
        #: where HTML pages are read: in this thread until ``from_crawler`` sets up workers
        self.parse_pool = ParsePool(0, 0.0)
        #: dedupe signatures of the adverts read in the workers, for the dedupe pipeline (and
        #: then the store pipeline, which keeps them with the adverts)
        self.dedupe_ahead = AheadBook()
        #: digests of the canonical URLs this crawl has made requests for (``_first_request``)
        self._requested: set[bytes] = set()

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.parse_pool = ParsePool.for_crawler(crawler)
        return spider

    # --- start -----------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        if self.seeds is not None:
            self.seeds.record(self.stat)
        for req in self.start_requests_for_source():
            yield req

    def start_requests_for_source(self) -> list[scrapy.Request]:
        requests: list[scrapy.Request] = []
        for url in self.start_urls:
            if self.adapter is not None:
                for feed in self.adapter.feed_urls(url):
                    requests.append(self._feed_request(feed, self.adapter.name))
            else:
                requests.append(
                    scrapy.Request(
                        url, callback=self.parse, dont_filter=True, meta={"dsi_seed": True}
                    )
                )
        for site in self.seed_sites:
            self.allowed_netlocs.add(urlsplit(site).netloc.lower())
            requests.append(
                scrapy.Request(site, callback=self.parse_homepage, meta={"dsi_seed": True})
            )
        return requests

    def _adapter(self, api: str) -> BoardAdapter:
        if self.adapter is not None and self.adapter.name == api:
            return self.adapter
        return get_adapter(api, dict(self.dsi_source.options))

    def _feed_request(self, url: str, api: str) -> scrapy.Request:
        return self._request(self._adapter(api).feed_request(url), api, dont_filter=True)

    def _request(self, feed: FeedRequest, api: str, *, dont_filter: bool = False) -> scrapy.Request:
        """A Scrapy request for what an adapter asks (feed page, posting, advert page)."""
        self.allowed_netlocs.add(urlsplit(feed.url).netloc.lower())
        if feed.page:
            return scrapy.Request(feed.url, callback=self.parse, cb_kwargs={"job_hint": True})
        kwargs: dict[str, Any] = {}
        if feed.json_body is not None:
            kwargs["body"] = json.dumps(feed.json_body).encode("utf-8")
            kwargs["headers"] = {"Content-Type": "application/json", "Accept": "application/json"}
        return scrapy.Request(
            feed.url,
            method=feed.method,
            callback=self.parse_feed,
            cb_kwargs={"api": api},
            dont_filter=dont_filter,
            **kwargs,
        )

    # --- helpers ---------------------------------------------------------------------------
    def _in_scope(self, url: str) -> bool:
        try:
            return urlsplit(url).netloc.lower() in self.allowed_netlocs
        except ValueError:  # not a readable URL
            return False

    def _note_seed(self, response: Response) -> None:
        if response.meta.get("dsi_seed"):
            self.allowed_netlocs.add(urlsplit(response.url).netloc.lower())

    def _page_text(self, response: TextResponse) -> str:
        """The page's text; a wrong declared charset (mojibake) is retried with the page's
        own ``<meta charset>`` and then cp1252."""
        text = response.text
        if "\ufffd" not in text:
            return text
        tried = {response.encoding.lower()}
        m = _META_CHARSET_RE.search(response.body[:4096])
        candidates = [m.group(1).decode("ascii", "ignore")] if m else []
        for enc in (*candidates, "utf-8", "cp1252"):
            if enc.lower() in tried:
                continue
            tried.add(enc.lower())
            try:
                alt = response.body.decode(enc)
            except (LookupError, UnicodeDecodeError):
                continue
            if alt.count("\ufffd") < text.count("\ufffd"):
                self.stat("parse/jobs/encoding_fixed")
                return alt
        return text

    def _emit(self, raws: list[RawJob], page: str) -> Iterator[JobAdvert]:
        out = JobPage()
        emit_jobs(raws, source=self.source_name, now=self.now, page=page, out=out)
        self._apply(out)
        yield from out.items

    def _apply(self, page: JobPage) -> None:
        """Count and log what reading a page found (the reader may have run in a worker)."""
        for event in page.events:
            self.stat(event)
        for level, message in page.logs:
            self.logger.log(level, "%s", message)

    # --- callbacks -------------------------------------------------------------------------
    async def parse(self, response: Response, job_hint: bool = False) -> AsyncIterator[Any]:
        """Any page: sitemap, feed, JSON, or HTML (adverts + links to follow)."""
        for output in self._route(response, job_hint):
            if isinstance(output, TextResponse):  # an HTML page: read off the reactor thread
                async for found in self.parse_page(output, job_hint=job_hint):
                    yield found
            else:
                yield output

    def _route(self, response: Response, job_hint: bool) -> Iterator[Any]:
        """What ``parse`` yields for non-HTML responses; an HTML one is yielded itself."""
        self._note_seed(response)
        self.stat("jobs/pages")
        if not isinstance(response, TextResponse):
            body = response.body
            if body[:2] == b"\x1f\x8b":
                yield from self.parse_sitemap(response)
                return
            self.logger.info("skipping a non-text response %s", response.url)
            self.stat("parse/jobs/not_text")
            return
        head = response.body[:512].lstrip().lower()
        ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        path = urlsplit(response.url).path.lower()
        if path.endswith("/robots.txt") or b"<urlset" in head or b"<sitemapindex" in head:
            yield from self.parse_sitemap(response)
            return
        api = detect_feed(response.url)
        is_html = "html" in ctype or head.startswith((b"<!doctype html", b"<html"))
        if api and not is_html:
            yield from self.parse_feed(response, api=api)
            return
        if not is_html and _XML_FEED_RE.search(head):
            xml_api = "personio" if b"<workzag-jobs" in head else "rss"
            yield from self.parse_feed(response, api=xml_api)
            return
        if "json" in ctype or (not is_html and head[:1] in (b"{", b"[")):
            yield from self.parse_json(response)
            return
        yield response

    async def parse_page(
        self, response: TextResponse, *, job_hint: bool = False
    ) -> AsyncIterator[Any]:
        """An HTML page, read by :func:`read_job_page` in a parsing worker under the time
        budget (``DSI_PARSE_TIMEOUT``); a page that runs past it, or whose worker dies, is
        lost (``dsi/lost/parse_timeout``, ``dsi/lost/parse_crashed``), nothing else."""
        html = self._page_text(response)
        try:
            page = await self.parse_pool.run(
                read_job_page,
                html,
                response.url,
                job_hint=job_hint,
                source=self.source_name,
                now=self.now,
            )
        except ParseTimeout as exc:
            self.logger.warning("page not read: %s: %s", response.url, exc)
            self.lost("parse_timeout")
            return
        except ParseCrashed as exc:
            self.logger.warning("page not read: %s: %s", response.url, exc)
            self.lost("parse_crashed")
            return
        self._apply(page)
        for item, ahead in zip(page.items, page.signatures, strict=False):
            self.dedupe_ahead.put(item, ahead)
        for item in page.items:
            yield item
        for url in page.state_follow:
            self.stat("jobs/followed/state_advert")
            if self._first_request(target := canonical_url(url)):
                yield scrapy.Request(target, callback=self.parse, cb_kwargs={"job_hint": True})
        for request in self._follow(page):
            yield request

    def _first_request(self, url: str) -> bool:
        """Whether this crawl has not made a request for ``url`` (canonical) yet. Pages link to
        the same adverts as many other pages; each becomes a request once here rather than
        many requests that Scrapy's duplicate filter drops. A 12-byte digest per URL is kept."""
        key = hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=12).digest()
        if key in self._requested:
            return False
        self._requested.add(key)
        return True

    def _follow(self, page: JobPage) -> Iterator[scrapy.Request]:
        for url in page.next_pages:
            if self._in_scope(url):
                self.stat("jobs/followed/next")
                if self._first_request(target := canonical_url(url)):
                    # listings first: each one read early keeps adverts waiting to be fetched
                    yield scrapy.Request(target, callback=self.parse, priority=NEXT_PAGE_PRIORITY)
        for url in page.adverts:
            if self._in_scope(url):
                self.stat("jobs/followed/advert")
                if self._first_request(target := canonical_url(url)):
                    yield scrapy.Request(target, callback=self.parse, cb_kwargs={"job_hint": True})
        for target, api in page.feeds:
            if not self._in_scope(target):
                adapter = self._adapter(api)
                for feed in adapter.feed_urls(target):
                    self.stat("jobs/followed/feed")
                    yield self._feed_request(feed, api)

    def parse_json(self, response: TextResponse) -> Iterator[Any]:
        """A JSON response of an unknown API: a known ATS shape is read by its adapter, else
        job-like records anywhere in it (the ``json`` adapter, which also follows ``next``)."""
        try:
            payload = load_json(response.body)
        except ValueError:
            try:
                values, _ = loads_lenient(response.text)
            except ValueError:
                self.logger.warning("unreadable JSON at %s", response.url)
                self.stat("parse/jobs/json_unreadable")
                return
            raws = [r for v in values for r in json_records(v, response.url)]
            if not raws:
                self.stat("parse/jobs/json_no_jobs")
            yield from self._emit(raws, response.url)
            return
        api = detect_payload(payload)
        if api:
            self.stat(f"jobs/feed_detected/{api}")
        yield from self.parse_feed(response, api=api or "json", counted=True)

    def parse_feed(self, response: Response, api: str, counted: bool = False) -> Iterator[Any]:
        """One response of a public ATS feed, read by its adapter. List records that are only
        summaries are replaced by their posting (the adapter's ``detail_request``)."""
        if not counted:
            self.stat("jobs/pages")
        adapter = self._adapter(api)
        try:
            records, context = adapter.records(response.body, response.url)
        except (ValueError, TypeError, AttributeError, KeyError) as exc:  # any wrong shape
            self.logger.warning("unreadable %s feed at %s: %s", api, response.url, exc)
            self.stat("parse/jobs/feed_unreadable")
            self.lost("feed_unreadable")
            return
        raws: list[RawJob] = []
        for record in records:
            if not isinstance(record, dict):
                self.stat("parse/jobs/feed_bad_record")
                self.lost("feed_bad_record")
                continue
            try:
                detail = adapter.detail_request(record, context, response.url)
                if detail is not None:
                    self.stat(f"jobs/feed/{api}/details")
                    yield self._request(detail, api)
                    continue
                raws.append(adapter.raw_job(record, context, response.url))
            except (AttributeError, TypeError, ValueError, KeyError) as exc:
                self.logger.warning(
                    "skipped an unreadable %s record at %s: %s", api, response.url, exc
                )
                self.stat("parse/jobs/feed_bad_record")
                self.lost("feed_bad_record")
        self.stat(f"jobs/feed/{api}", len(raws))
        yield from self._emit(raws, response.url)
        sent = response.request.body if response.request is not None else b""
        try:
            nxt = adapter.next_request(response.body, response.url, records, sent)
        except (ValueError, TypeError, KeyError) as exc:
            self.logger.warning("no next page for the %s feed at %s: %s", api, response.url, exc)
            self.stat("parse/jobs/feed_paging_error")
            nxt = None
        if nxt is not None:
            self.stat("jobs/followed/feed_page")
            yield self._request(nxt, api)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        """robots.txt ``Sitemap:`` lines, sitemap indexes and url sets (lastmod filtered)."""
        self._note_seed(response)
        if urlsplit(response.url).path.lower().endswith("/robots.txt") and isinstance(
            response, TextResponse
        ):
            for url in self._robots_sitemaps(response):
                if self._in_scope(url):
                    yield scrapy.Request(url, callback=self.parse_sitemap)
            return
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
            except (OSError, ValueError) as exc:
                self.logger.warning("unreadable gzip sitemap %s: %s", response.url, exc)
                self.stat("parse/jobs/sitemap_unreadable")
                return
        try:
            sitemap = Sitemap(body)
        except Exception as exc:  # lxml raises several kinds on broken XML
            self.logger.warning("unreadable sitemap %s: %s", response.url, exc)
            self.stat("parse/jobs/sitemap_unreadable")
            self.lost("sitemap_unreadable")
            return
        jobby_sitemap = bool(JOB_PATH_RE.search(urlsplit(response.url).path))
        for entry in sitemap:
            loc = str(entry.get("loc") or "").strip()
            if not loc:
                continue
            readable = self._readable(response.url, loc, "sitemap entry")
            if readable is None:
                continue
            loc = readable
            if not self._in_scope(loc):
                self.stat("jobs/sitemap/out_of_scope")
                continue
            lastmod = entry.get("lastmod")
            if self.sitemap_since is not None and lastmod:
                try:
                    modified = date.fromisoformat(str(lastmod).strip()[:10])
                except ValueError:
                    modified = None
                if modified is not None and modified < self.sitemap_since:
                    self.stat("jobs/sitemap/skipped_lastmod")
                    continue
            if sitemap.type == "sitemapindex":
                yield scrapy.Request(loc, callback=self.parse_sitemap)
            elif is_job_url(loc) or (
                jobby_sitemap and not _SITE_PAGE_RE.search(urlsplit(loc).path)
            ):
                self.stat("jobs/sitemap/urls")
                yield scrapy.Request(
                    canonical_url(loc),
                    callback=self.parse,
                    cb_kwargs={"job_hint": True},
                    meta={"dsi_lastmod": lastmod},
                )

    def _readable(self, base: str, href: str, what: str) -> str | None:
        """``href`` made absolute, or None (logged, ``dsi/lost/bad_url``) when it is not a
        readable URL (``http://[::1``, a bad port)."""
        try:
            url = urljoin(base, href)
        except ValueError:
            url = ""
        if url and readable_url(url):
            return url
        self.logger.warning("%s on %s is not a readable URL, skipped: %r", what, base, href[:200])
        self.lost("bad_url")
        return None

    def _robots_sitemaps(self, response: TextResponse) -> Iterator[str]:
        """The ``Sitemap:`` URLs of a robots.txt (Scrapy's reading, one bad line skipped)."""
        for line in response.text.splitlines():
            if line.lstrip().lower().startswith("sitemap:"):
                url = self._readable(response.url, line.split(":", 1)[1].strip(), "Sitemap line")
                if url is not None:
                    yield url

    def parse_homepage(self, response: Response) -> Iterator[Any]:
        """An organisation's website: find its careers page (and ATS links) and crawl it."""
        self._note_seed(response)
        self.stat("jobs/pages")
        if not isinstance(response, TextResponse):
            return
        doc = parse_document(self._page_text(response))
        if doc is None:
            return
        careers: list[str] = []
        feeds: list[tuple[str, str]] = []
        for a in doc.iterfind(".//a[@href]"):
            href = (a.get("href") or "").strip()
            if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
                continue
            target = urljoin(response.url, href).split("#", 1)[0]
            api = detect_feed(target)
            if api:
                feeds.append((target, api))
                continue
            if not self._in_scope(target):
                continue
            label = " ".join(filter(None, (element_text(a), a.get("title"), a.get("aria-label"))))
            path = urlsplit(target).path
            careers_like = bool(CAREERS_RE.search(label or "") or JOB_PATH_RE.search(path))
            if careers_like and target not in careers:
                careers.append(target)
        for url, api in feeds:
            adapter = self._adapter(api)
            for feed in adapter.feed_urls(url):
                self.stat("careers/feeds")
                yield self._feed_request(feed, api)
        if not careers and not feeds:
            self.logger.info("no careers page found on %s", response.url)
            self.stat("careers/not_found")
        for url in careers[:_MAX_CAREERS_LINKS]:
            self.stat("careers/pages")
            yield scrapy.Request(canonical_url(url), callback=self.parse)
