"""The ``website`` spider: one profile per organisation/project website.

Per site: fetch the home page, follow the links that name about / imprint / contact /
projects / team / news pages (in the main European languages) up to the site's page budget
(source option ``pages_per_site``, default 8) and depth (``max_depth``, default 2), then emit
one :class:`~crawler.items.WebsiteProfile` when the site's last page is done. Every request
has an errback, and a per-site pending counter decides when the site is finished, so a dead
page, a redirect loop or a robots.txt refusal never stalls a profile.

Scope and politeness: same site only (``www.`` and the default port ignored; a home page
redirect is followed only within the domain, ``example.org`` -> ``en.example.org``: the site
stays the site that was asked for, ``parse/website/offsite_redirect``), canonical URLs,
robots.txt (Scrapy's Protego parser), one download slot per site (``host:port``) under
AutoThrottle, per-site page budget, URL length cap, session/tracking parameters dropped, at
most two query variants per path, calendar and repeating-path traps skipped. Non-HTML responses
are stopped at their headers; pages over ``DSI_WEBSITE_MAXSIZE`` are cancelled; wrong charsets
are repaired (windows-1252 served as UTF-8).

JavaScript: a page that is an empty shell (almost no text but scripts, an app root, a
``__NEXT_DATA__`` state, a ``<noscript>`` asking for JavaScript) is first read from its inline
state: when the state holds enough text (``__NEXT_DATA__`` of a statically built Next.js site)
no browser is needed, and the profile's ``raw["text_sources"]`` says ``state:__NEXT_DATA__``.
Otherwise the page is fetched again with Playwright (``meta={"playwright": True}``; Debian's
chromium), and the profile records ``rendered_with_browser``. Rendering is on unless the
source sets ``render_js = false`` or the ``DSI_WEBSITE_RENDER_JS`` setting is false; without
chromium it is switched off, counted and warned, and such pages keep the text of their inline
JSON state. The browser reaches nothing by itself: :class:`crawler.browser_guard.BrowserGuard`
fetches each of its requests under the crawl's network policy, keeps the page on its site and
refuses WebSockets.

Page extraction (lxml, structured data, trafilatura) runs in parsing worker processes
(:mod:`crawler.parse_pool`, ``DSI_PARSE_WORKERS``), never on the reactor thread; a page past
its time budget (``DSI_PARSE_TIMEOUT``) is lost and counted (``dsi/lost/parse_timeout``), its
site is still profiled from the other pages.

Crawls that stop early lose no site: near the crawl's page budget (``max_pages``, which Scrapy
enforces as ``CLOSESPIDER_PAGECOUNT``, robots.txt and redirects included) no new pages are
scheduled and every site finishes with the pages it has (warning "page budget of the crawl
reached"). When the crawl is closed anyway (SIGTERM/Ctrl-C ``shutdown``, another
``CLOSESPIDER_*`` limit) or goes idle with sites unfinished, the sites in progress are emitted
as partial profiles from the pages already fetched, through the item pipelines, with the
warning "crawl stopped (<reason>) before this site was finished" (stat
``dsi/website/profiles_partial``); sites with no page fetched yet get none
(``dsi/website/sites_not_crawled``).

Distributed crawls (``dsi crawl NAME --distributed``): a site's state lives in the worker that
crawls it, so workers share sites, not pages (``frontier = "units"``): each worker takes sites
from :class:`crawler.frontier.UnitFrontier` and gives each back once its profile is stored.

Seeds: the source's URLs, plus with ``seed = "showcases"`` the ``showcase_url`` of stored
open-data showcases, with ``seed = "candidates"`` the websites of candidates (both read from
the database by the runner before the crawl and handed in as the ``seeds`` argument; see
:mod:`crawler.seeds`).

Stats: ``dsi/website/*`` (sites, profiles, pages, rendered pages) and
``dsi/parse/website/<problem>`` (``redirect_loop``, ``too_large``, ``not_html``,
``http_500``, ``unreachable``, ``robots_forbidden``, ``bad_charset``, ``jsonld_unreadable``,
``trap_calendar`` ...).
"""

from __future__ import annotations

import heapq
import os
from collections import Counter
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DontCloseSpider,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    StopDownload,
)
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.error import ConnectionRefusedError as TxConnectionRefusedError
from twisted.internet.error import DNSLookupError, TCPTimedOutError
from twisted.internet.error import TimeoutError as TxTimeoutError
from twisted.python.failure import Failure

from crawler.browser_guard import BrowserGuard, abort_unguarded
from crawler.frontier import units_of
from crawler.items import WebsiteProfile
from crawler.middlewares.network import crawl_policy
from crawler.parse_pool import ParseCrashed, ParsePool, ParseTimeout
from crawler.sources import OptionSpec
from crawler.urls import web_url
from spiders.base import DSISpider
from spiders.parsers.page_facts import PageFacts, extract_page
from spiders.parsers.page_kinds import KIND_LIMITS, KIND_RANK, TEXT_KINDS
from spiders.parsers.profile import SiteOutcome, build_profile
from spiders.parsers.site_urls import origin, site_key, trap_reason

if TYPE_CHECKING:
    from crawler.seeds import Seeds

#: ``seed`` option values (the same as :data:`storage.seeds.SEED_MODES`; spiders do not import
#: storage).
SEED_MODES = ("showcases", "candidates")
#: Responses kept in reserve below ``max_pages`` for redirects we cannot foresee.
BUDGET_MARGIN = 2
#: Distinct query strings followed per path (``?page=2``, ``?page=3`` ...).
MAX_QUERY_VARIANTS = 2
_HTML_TYPES = ("text/html", "application/xhtml", "application/xml", "text/xml")


def same_domain(key: str, other: str) -> bool:
    """Whether two site keys are one domain and its subdomain, on the same port."""
    host, _, port = key.partition(":")
    other_host, _, other_port = other.partition(":")
    return port == other_port and (
        host == other_host or host.endswith("." + other_host) or other_host.endswith("." + host)
    )


@dataclass(slots=True)
class _Site:
    """Crawl state of one site."""

    key: str
    seed_url: str
    keys: set[str]
    budget: int
    home_url: str | None = None
    pending: int = 0
    done: bool = False
    requested: set[str] = field(default_factory=set)
    kinds_used: Counter[str] = field(default_factory=Counter)
    queue: list[tuple[int, int, int, str, str]] = field(default_factory=list)
    query_variants: Counter[str] = field(default_factory=Counter)
    pages: list[PageFacts] = field(default_factory=list)
    plain: dict[str, PageFacts] = field(default_factory=dict)
    tried: int = 0
    ok: int = 0
    rendered: bool = False
    js_site: bool = False
    warnings: list[str] = field(default_factory=list)
    order: int = 0


class WebsiteSpider(DSISpider):
    """Profiles of organisation and project websites (see the module docstring)."""

    name = "website"
    frontier = "units"  # a site's state lives in its worker: sites are shared, not pages
    source_options: ClassVar[dict[str, OptionSpec]] = {
        "pages_per_site": OptionSpec((int,), None, "pages fetched per site (default 8)"),
        "max_depth": OptionSpec((int,), None, "link depth from the home page (default 2)"),
        "render_js": OptionSpec((bool,), None, "render JavaScript-only pages in chromium"),
        "seed": OptionSpec((str,), SEED_MODES, "also crawl websites read from the database"),
        "seed_limit": OptionSpec((int,), None, "at most this many database seeds (1000)"),
    }
    custom_settings: dict[str, Any] | None = {  # noqa: RUF012 - Scrapy reads it as is
        "DOWNLOAD_MAXSIZE": 3 * 1024 * 1024,
        "DOWNLOAD_WARNSIZE": 1024 * 1024,
        "DOWNLOAD_TIMEOUT": 20,
        "REDIRECT_MAX_TIMES": 5,
        "RETRY_TIMES": 1,
        "METAREFRESH_MAXDELAY": 5,
        "DEPTH_LIMIT": 0,
    }

    def __init__(self, *args: Any, seeds: Seeds | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: websites read from the database (``seed``), see :mod:`crawler.seeds`
        self.seeds = seeds
        self.sites: dict[str, _Site] = {}
        #: site key -> the unit (seed URL) of a distributed crawl this worker owns
        self.site_units: dict[str, str] = {}
        self.pages_per_site = max(1, int(self.dsi_source.option("pages_per_site", 8)))
        self.max_depth = max(0, int(self.dsi_source.option("max_depth", 2)))
        self.render_js = bool(self.dsi_source.option("render_js", True))
        self.requests_made = 0
        #: Responses of this crawl (robots.txt and redirects included), as Scrapy's
        #: ``CLOSESPIDER_PAGECOUNT`` counts them; the spider's own count of answered pages
        #: stands in when no downloader runs (fixture tests).
        self.responses_seen = 0
        self.pages_answered = 0
        self.now: datetime | None = None  # fixed by tests; None = the clock
        #: fetches the rendering browser's requests under the network policy
        self.browser_guard: BrowserGuard | None = None
        #: where pages are read: in this thread until ``from_crawler`` sets up workers
        self.parse_pool = ParsePool(0, 0.0)

    # --- setup -------------------------------------------------------------------------------
    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> WebsiteSpider:
        spider: WebsiteSpider = super().from_crawler(crawler, *args, **kwargs)
        spider._configure_rendering(crawler)
        spider.parse_pool = ParsePool.for_crawler(crawler)
        crawler.signals.connect(spider._on_headers, signal=signals.headers_received)
        crawler.signals.connect(spider._on_response, signal=signals.response_received)
        crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider._on_engine_started, signal=signals.engine_started)
        return spider

    def _configure_rendering(self, crawler: Crawler) -> None:
        settings = crawler.settings
        size = settings.getint("DSI_WEBSITE_MAXSIZE", 0)
        if size and not settings.frozen:
            settings.set("DOWNLOAD_MAXSIZE", size, priority="spider")
        want = self.render_js and settings.getbool("DSI_WEBSITE_RENDER_JS", True)
        if not want:
            self.render_js = False
            return
        if settings.frozen:  # a test crawler: nothing is downloaded, keep the choice
            return
        chromium = settings.get("DSI_CHROMIUM_PATH") or ""
        if not chromium or not os.path.exists(chromium):
            self.render_js = False
            self.logger.warning(
                "chromium not found at %r: JavaScript pages are not rendered "
                "(set DSI_CHROMIUM_PATH, or render_js = false to silence this)",
                chromium,
            )
            return
        handlers = settings.getdict("DSI_PLAYWRIGHT_DOWNLOAD_HANDLERS")
        if not handlers:
            self.render_js = False
            self.logger.warning("DSI_PLAYWRIGHT_DOWNLOAD_HANDLERS is empty: no rendering")
            return
        settings.set("DOWNLOAD_HANDLERS", handlers, priority="spider")
        # the browser fetches nothing itself: the guard fetches under the network policy, and
        # a request the guard did not take is aborted
        settings.set("PLAYWRIGHT_ABORT_REQUEST", abort_unguarded, priority="spider")
        self.browser_guard = BrowserGuard(
            crawl_policy(crawler, self),
            site_of=site_key,
            count=self.stat,
            timeout=settings.getfloat("DOWNLOAD_TIMEOUT", 20),
            max_size=settings.getint("DOWNLOAD_MAXSIZE", 3 * 1024 * 1024),
        )
        crawler.signals.connect(self._close_guard, signal=signals.spider_closed)

    async def _close_guard(self, spider: Any = None) -> None:
        if self.browser_guard is not None:
            await self.browser_guard.close()

    def _now(self) -> datetime:
        return self.now or datetime.now()

    # --- seeds -------------------------------------------------------------------------------
    async def start(self) -> AsyncIterator[Any]:
        urls = list(self.start_urls)
        if self.seeds is not None:
            self.seeds.record(self.stat)
            urls += self.seeds.urls
        units = units_of(getattr(self, "crawler", None))
        if units is None:
            for request in self.seed_requests(urls):
                yield request
            return
        # a distributed crawl: each site is crawled whole by the worker that takes it
        async for request in units.claimed(self.site_seeds(urls), self._unit_requests):
            yield request

    @staticmethod
    def site_seeds(urls: Iterable[str]) -> list[str]:
        """The first URL of each distinct site among ``urls`` (the units of a distributed
        crawl; a site's other URLs are not seeds of their own)."""
        seen: set[str] = set()
        out = []
        for url in urls:
            key = site_key(url)
            if key is None or key not in seen:
                out.append(url)
            if key is not None:
                seen.add(key)
        return out

    def _unit_requests(self, url: str) -> list[scrapy.Request]:
        """The requests of a site this worker took; a seed giving none is done at once."""
        requests = self.seed_requests([url])
        key = site_key(url)
        state = self.sites.get(key) if key is not None else None
        if not requests or state is None:
            units = units_of(self.crawler)
            if units is not None:
                units.finished(url)
        else:
            self.site_units[state.key] = url
        return requests

    def start_requests_for_source(self) -> list[scrapy.Request]:
        return self.seed_requests(self.start_urls)

    def seed_requests(self, urls: Iterable[str]) -> list[scrapy.Request]:
        """One home-page request per distinct site among ``urls``."""
        out = []
        for url in urls:
            key = site_key(url)
            canon = web_url(url)
            if key is None or canon is None:
                self.logger.warning("not a website URL, skipped: %r", url)
                self.stat("parse/website/bad_seed")
                continue
            if key in self.sites:
                continue
            site = _Site(key=key, seed_url=canon, keys={key}, budget=self.pages_per_site)
            self.sites[key] = site
            self.stat("website/sites")
            home = f"{origin(canon)}/"
            site.requested.add(home)
            site.tried += 1
            out.append(self._request(site, home, "home", 0))
            if canon != home:  # a deep seed (a project page): fetched as a page of its own
                site.queue.append((-1, 0, -1, canon, "seed"))
        return out

    def _request(
        self, site: _Site, url: str, kind: str, depth: int, *, browser: bool = False
    ) -> scrapy.Request:
        site.pending += 1
        self.requests_made += 1
        slot = urlsplit(url).netloc.lower() or site.key
        meta: dict[str, Any] = {"dsi_site": site.key, "download_slot": slot}
        if browser:
            meta.update(
                {
                    "playwright": True,
                    "playwright_page_goto_kwargs": {"wait_until": "networkidle"},
                    "playwright_context": "dsi-guarded",
                    "playwright_context_kwargs": {"service_workers": "block"},
                    "playwright_page_init_callback": self.browser_guard,
                }
            )
        return scrapy.Request(
            url,
            callback=self.parse_page,
            errback=self.page_failed,
            dont_filter=True,
            priority=-depth,
            meta=meta,
            cb_kwargs={"site": site.key, "kind": kind, "depth": depth, "browser": browser},
        )

    # --- download hooks ----------------------------------------------------------------------
    def _on_headers(
        self, headers: Any, body_length: int, request: scrapy.Request, spider: Any = None
    ) -> None:
        """Stop non-HTML downloads (PDFs, images, archives) at their headers."""
        if "dsi_site" not in request.meta or request.meta.get("playwright"):
            return
        raw = headers.get(b"Content-Type") or headers.get("Content-Type") or b""
        ctype = (raw.decode("latin-1") if isinstance(raw, bytes) else str(raw)).lower()
        if ctype and not any(t in ctype for t in _HTML_TYPES):
            raise StopDownload(fail=False)

    # --- callbacks ---------------------------------------------------------------------------
    async def parse_page(
        self, response: Response, site: str, kind: str, depth: int, browser: bool = False
    ) -> AsyncIterator[Any]:
        self.pages_answered += 1
        state = self.sites.get(site)
        if state is None or state.done:
            return
        follow: list[Any] = []
        try:
            follow = await self._handle_page(state, response, kind, depth, browser)
        except (ParseTimeout, ParseCrashed) as exc:  # past the time budget: this page only
            self.logger.warning("website: page not read: %s: %s", response.url, exc)
            self.lost("parse_timeout" if isinstance(exc, ParseTimeout) else "parse_crashed")
            state.warnings.append(f"page could not be read in time: {response.url}")
        except Exception:  # one bad page never loses the site
            self.logger.exception("website: failed to read %s", response.url)
            self.stat("parse/website/page_error")
            state.warnings.append(f"page could not be read: {response.url}")
        finally:
            state.pending -= 1
        for request in follow:
            yield request
        profile = self._maybe_finish(state)
        if profile is not None:
            yield profile

    def _decode(self, response: TextResponse, state: _Site) -> str:
        text = response.text
        bad = text.count("\ufffd")
        if bad > 3:
            declared = (response.encoding or "").lower()
            for encoding in ("cp1252", "latin-1"):
                if declared.replace("-", "") == encoding.replace("-", ""):
                    continue
                try:
                    repaired = response.body.decode(encoding)
                except UnicodeDecodeError:
                    continue
                self.logger.info(
                    "%s: %d undecodable characters as %s, read as %s",
                    response.url,
                    bad,
                    declared,
                    encoding,
                )
                self.stat("parse/website/bad_charset")
                state.warnings.append(
                    f"wrong charset {declared} on {response.url}: read as {encoding}"
                )
                return repaired
        return text

    async def _handle_page(
        self, state: _Site, response: Response, kind: str, depth: int, browser: bool
    ) -> list[Any]:
        url = response.url
        key = site_key(url)
        if key not in state.keys:
            if kind == "home" and key and same_domain(key, state.key):
                state.keys.add(key)  # example.org -> en.example.org: still the site
            else:  # the site stays the site that was asked for
                self.stat("parse/website/offsite_redirect")
                if kind == "home":
                    state.warnings.append(f"home page redirected off the site to {url}")
                return []
        ctype = (response.headers.get(b"Content-Type") or b"").decode("latin-1").lower()
        if not isinstance(response, TextResponse) or (
            ctype and not any(t in ctype for t in _HTML_TYPES)
        ):
            self.stat("parse/website/not_html")
            self.logger.info("website: not HTML (%s), skipped: %s", ctype or "?", url)
            if kind == "home":
                state.warnings.append(f"home page is not HTML ({ctype or 'unknown type'})")
            return []
        html = self._decode(response, state)
        canon = web_url(url) or url
        state.requested.add(canon)
        if kind == "home" and not browser:
            state.home_url = canon
        facts = await self.parse_pool.run(
            extract_page,
            html,
            canon,
            kind=kind,
            want_text=kind in TEXT_KINDS,
            rendered=browser,
            now=self._now(),
        )
        self.count_problems("website", facts.problems)
        if facts.canonical:
            state.requested.add(facts.canonical)
        if browser:
            self.stat("website/rendered_pages")
            state.rendered = True
            state.plain.pop(canon, None)
        elif facts.needs_js and facts.state_text:
            # a JavaScript shell whose inline state holds the text: read there, no browser
            self.stat("website/state_text_pages")
        elif facts.needs_js:
            self.stat("website/needs_js")
            if self.render_js:
                state.plain[canon] = facts
                if kind == "home":
                    state.js_site = True
                return [self._request(state, url, kind, depth, browser=True)]
            self.stat("website/render_skipped")
            facts.warnings.append(f"page needs JavaScript, rendering is off: {canon}")
        state.pages.append(facts)
        state.ok += 1
        self.stat("website/pages")
        if depth < self.max_depth:
            for link in facts.links:
                if site_key(link.url) in state.keys and link.url not in state.requested:
                    state.order += 1
                    state.queue.append(
                        (KIND_RANK.get(link.kind, 9), depth + 1, state.order, link.url, link.kind)
                    )
        return self._fill(state)

    def _fill(self, state: _Site) -> list[scrapy.Request]:
        """Requests for the best queued links while the site's budget lasts."""
        out: list[scrapy.Request] = []
        heapq.heapify(state.queue)  # best first; popping is O(log n) (pages with many links)
        while state.queue:
            if self._budget_left() <= 0:
                self.stat("website/global_budget_reached")
                state.warnings.append(
                    f"page budget of the crawl reached: {len(state.queue)} more pages "
                    "of this site not fetched"
                )
                state.queue.clear()
                break
            _, depth, _, url, kind = heapq.heappop(state.queue)
            if url in state.requested:
                continue
            if state.kinds_used[kind] >= KIND_LIMITS.get(kind, 1):
                continue
            if state.tried >= state.budget:
                break
            reason = trap_reason(url)
            if reason is not None:
                self.stat(f"parse/website/trap_{reason}")
                continue
            parts = urlsplit(url)
            if parts.query:
                state.query_variants[parts.path] += 1
                if state.query_variants[parts.path] > MAX_QUERY_VARIANTS:
                    self.stat("parse/website/trap_query")
                    continue
            state.requested.add(url)
            state.kinds_used[kind] += 1
            state.tried += 1
            out.append(
                self._request(state, url, kind, depth, browser=state.js_site and self.render_js)
            )
        return out

    def _budget_left(self) -> int:
        """Pages that may still be requested without reaching ``max_pages`` (Scrapy's
        ``CLOSESPIDER_PAGECOUNT``, which would stop the crawl with sites half done).

        Counts the responses so far, the pages in flight, one robots.txt for every site not yet
        answered and :data:`BUDGET_MARGIN` for redirects; near the limit every site finishes
        with the pages it has rather than the crawl being cut."""
        answered = max(self.responses_seen, self.pages_answered)
        in_flight = sum(s.pending for s in self.sites.values() if not s.done)
        unstarted = sum(1 for s in self.sites.values() if not s.done and s.ok == 0)
        used = max(answered + in_flight + unstarted, self.requests_made)
        return self.dsi_source.max_pages - BUDGET_MARGIN - used

    def _on_response(self, response: Response, request: scrapy.Request, spider: Any) -> None:
        self.responses_seen += 1

    def page_failed(self, failure: Failure) -> list[Any]:
        request: scrapy.Request | None = getattr(failure, "request", None)
        if request is None:
            self.logger.error("website: failure without request: %s", failure.getErrorMessage())
            return []
        self.pages_answered += 1
        kw = request.cb_kwargs
        state = self.sites.get(kw.get("site", ""))
        if state is None or state.done:
            return []
        kind, browser = kw.get("kind", ""), bool(kw.get("browser"))
        reason = self._failure_reason(failure)
        self.stat(f"parse/website/{reason}")
        self.logger.info(
            "website: %s failed (%s): %s", request.url, reason, failure.getErrorMessage()
        )
        out: list[Any] = []
        try:
            if reason == "robots_forbidden":
                state.tried -= 1  # not the site's fault
            if browser:
                self.stat("website/render_failed")
                canon = web_url(request.url) or request.url
                plain = state.plain.pop(canon, None)
                if plain is not None:  # keep what the plain page had
                    plain.warnings.append(f"browser rendering failed ({reason}): {canon}")
                    state.pages.append(plain)
                    state.ok += 1
                    out = self._fill(state)
                elif state.js_site and kind != "home":
                    state.warnings.append(
                        f"{kind} page failed in the browser ({reason}): {request.url}"
                    )
            elif kind == "home":
                state.warnings.append(f"home page failed ({reason}): {request.url}")
                # the home page is gone: try the seed if it was a deeper page
                out = self._fill(state)
            else:
                state.warnings.append(f"{kind} page failed ({reason}): {request.url}")
                out = self._fill(state)
        finally:
            state.pending -= 1
        profile = self._maybe_finish(state)
        if profile is not None:
            out.append(profile)
        return out

    @staticmethod
    def _failure_reason(failure: Failure) -> str:
        if failure.check(HttpError):
            response = getattr(failure.value, "response", None)
            return f"http_{getattr(response, 'status', 'error')}"
        if failure.check(IgnoreRequest):
            message = str(failure.value).lower()
            if "robots.txt" in message:
                return "robots_forbidden"
            if "redirect" in message:
                return "redirect_loop"
            if "network policy" in message:
                return "private_network_refused"
            return "ignored"
        if failure.check(DownloadCancelledError):
            return "too_large"
        if failure.check(DNSLookupError, CannotResolveHostError):
            return "unreachable"
        if failure.check(TxConnectionRefusedError, DownloadConnectionRefusedError):
            return "unreachable"
        if failure.check(TxTimeoutError, TCPTimedOutError, DownloadTimeoutError):
            return "timeout"
        name = type(failure.value).__name__.lower()
        if "timeout" in name:
            return "timeout"
        return "download_error"

    # --- finishing ---------------------------------------------------------------------------
    def _maybe_finish(self, state: _Site) -> WebsiteProfile | None:
        if state.done or state.pending > 0:
            return None
        return self._finish(state)

    def _unit_done(self, state: _Site, profile: WebsiteProfile | None) -> None:
        """A distributed crawl: the site's unit is given back once its profile is stored."""
        unit = self.site_units.pop(state.key, None)
        units = units_of(getattr(self, "crawler", None))
        if unit is not None and units is not None:
            units.finished(unit, profile)

    def _finish(self, state: _Site, *, give_back: bool = True) -> WebsiteProfile:
        """The site's profile; in a distributed crawl its unit is given back once the profile
        is stored, unless ``give_back`` is false (the worker is being stopped: the lease expires
        and another worker crawls the site whole)."""
        state.done = True
        for facts in state.plain.values():  # rendering never answered: keep the plain page
            state.pages.append(facts)
        outcome = SiteOutcome(
            source=self.source_name,
            seed_url=state.seed_url,
            home_url=state.home_url,
            pages=state.pages,
            pages_tried=max(state.tried, 0),
            pages_ok=state.ok,
            reachable=state.ok > 0,
            rendered=state.rendered,
            warnings=state.warnings,
        )
        profile = build_profile(outcome, now=self._now())
        if not state.pages:
            self.stat("website/sites_unreachable")
        if state.rendered:
            self.stat("website/sites_rendered")
        self.stat("website/profiles")
        # free the memory of a finished site (its key stays to skip duplicate seeds)
        state.pages, state.plain, state.queue = [], {}, []
        if give_back:
            self._unit_done(state, profile)
        return profile

    # --- partial profiles when the crawl stops early ----------------------------------------
    def finish_unfinished(self, reason: str) -> list[WebsiteProfile]:
        """Profiles of the sites still in progress, from the pages already fetched, each with a
        warning; the sites count as done (late responses are ignored)."""
        out = []
        for state in self.sites.values():
            if state.done:
                continue
            waiting = state.pending + len(state.queue)
            if state.ok == 0:  # nothing fetched yet: no profile rather than a "dead" one
                state.done = True
                if reason == "idle":
                    self._unit_done(state, None)
                self.stat("website/sites_not_crawled")
                self.logger.warning(
                    "website: %s not crawled before the crawl stopped (%s)", state.key, reason
                )
                continue
            state.warnings.append(
                f"crawl stopped ({reason}) before this site was finished: profile from "
                f"{state.ok} page(s), {waiting} not fetched"
            )
            self.logger.warning(
                "website: %s unfinished when the crawl stopped (%s): partial profile from %d "
                "page(s)",
                state.key,
                reason,
                state.ok,
            )
            state.pending = 0
            profile = self._finish(state, give_back=reason == "idle")
            self.stat("website/profiles_partial")
            out.append(profile)
        return out

    async def _emit(self, profiles: list[WebsiteProfile]) -> None:
        """Send profiles through the item pipelines outside a callback."""
        engine = self._engine()
        if engine is None or not profiles:
            return
        for profile in profiles:
            try:
                await engine.scraper.start_itemproc_async(profile, response=None)
            except Exception:  # one profile never costs the others
                self.logger.exception("website: partial profile of %s not stored", profile.site)

    def _engine(self) -> Any:
        """The crawl's engine, or None before the crawl starts (and in fixture tests)."""
        try:
            return self.crawler.engine
        except RuntimeError:
            return None

    def _on_idle(self, spider: Any = None) -> None:
        """Nothing left to download while sites are unfinished (a request was lost without
        reaching its errback): emit their partial profiles; the engine waits for them."""
        profiles = self.finish_unfinished("idle")
        if not profiles:
            return
        if self._engine() is not None:
            deferred_from_coro(self._emit(profiles))
        raise DontCloseSpider

    def _on_engine_started(self) -> None:
        """Emit partial profiles when the crawl is closed early (``CLOSESPIDER_*``, SIGTERM /
        Ctrl-C ``shutdown``), before the item pipelines close.

        Scrapy has no signal between "closing started" and "pipelines closed"
        (``spider_closed`` comes after them), so the engine's ``close_spider_async`` is wrapped:
        the partial profiles go through the pipelines first, then the engine closes as usual.
        Pages already in flight at that moment are not waited for."""
        engine = self._engine()
        if engine is None:
            return
        original = engine.close_spider_async

        async def close_spider_async(*, reason: str = "cancelled") -> None:
            if reason != "finished":
                try:
                    await self._emit(self.finish_unfinished(reason))
                except Exception:  # the close itself must always happen
                    self.logger.exception("website: partial profiles could not be emitted")
            await original(reason=reason)

        engine.close_spider_async = close_spider_async  # type: ignore[method-assign]

    def closed(self, reason: str) -> None:
        unfinished = [s.key for s in self.sites.values() if not s.done]
        if unfinished:
            self.stat("website/sites_unfinished", len(unfinished))
            self.logger.warning(
                "%d sites unfinished when the spider closed (%s): %s",
                len(unfinished),
                reason,
                ", ".join(unfinished[:20]),
            )
