"""Scrapy settings for dsi-crawler: polite defaults; ``DSI_*`` environment variables read once here.

Components never read ``os.environ``: they read these settings in ``from_crawler``.
"""

from __future__ import annotations

import os

BOT_NAME = "dsi-crawler"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
#: ``scrapy crawl`` exits with the run's outcome, as ``dsi crawl`` does (crawler.commands.crawl).
COMMANDS_MODULE = "crawler.commands"

USER_AGENT = (
    "dsi-crawler/0.1 (+research crawler for digital social innovation; robots.txt respected)"
)

# --- politeness -----------------------------------------------------------------------------
ROBOTSTXT_OBEY = True
ROBOTSTXT_PARSER = "scrapy.robotstxt.ProtegoRobotParser"
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
#: Items of one response handled at once. Scrapy starts this many asyncio tasks for every
#: response, most of them idle (a page yields a few items); 100, the default, cost the crawl's
#: thread more than reading the page's links. The pipelines are synchronous but for the store's
#: batch write, so two are enough: other responses go on meanwhile.
CONCURRENT_ITEMS = 2
DOWNLOAD_DELAY = 0.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # 10 MiB: larger responses are dropped and counted
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 10
DEPTH_LIMIT = 0  # per spider; the website spider sets its own
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = os.environ.get("DSI_LOG_LEVEL", "INFO")
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"
LOG_FORMATTER = "crawler.logformatter.DSILogFormatter"
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# --- dsi-crawler ----------------------------------------------------------------------------
#: SQLAlchemy URL; the default is the same as ``storage.session.default_database_url()`` (settings
#: read the environment themselves and import no storage code).
DSI_DATABASE_URL = os.environ.get("DSI_DATABASE_URL") or "sqlite:///" + os.path.join(
    "var", "dsi.sqlite3"
)
#: Items written per database transaction by the store pipeline.
DSI_STORE_BATCH_SIZE = int(os.environ.get("DSI_STORE_BATCH_SIZE", "100"))
#: ... or what is buffered every so many seconds, whichever comes first (0: full batches only).
DSI_STORE_FLUSH_SECONDS = float(os.environ.get("DSI_STORE_FLUSH_SECONDS", "1"))
#: Where items are kept when the database stays unreachable (replayed on the next run).
DSI_SPOOL_DIR = os.environ.get("DSI_SPOOL_DIR", os.path.join("var", "spool"))
#: Refuse loopback/private addresses unless a source sets ``allow_private_network``.
DSI_ALLOW_PRIVATE_NETWORK = False
#: Non-public addresses every crawl may reach anyway: addresses, networks or ``address:port``
#: (``127.0.0.1:8080``), comma-separated in ``DSI_NETWORK_ALLOW``; see ``crawler.network``.
DSI_NETWORK_ALLOW = [
    part.strip() for part in os.environ.get("DSI_NETWORK_ALLOW", "").split(",") if part.strip()
]
#: Every address Scrapy connects to is checked at connection time (DNS rebinding), against the
#: policy of the crawl the connection is for (the download handlers say which).
TWISTED_DNS_RESOLVER = "crawler.resolver.GuardedResolver"
DOWNLOAD_HANDLERS = {
    "http": "crawler.download.GuardedHTTPDownloadHandler",
    "https": "crawler.download.GuardedHTTPDownloadHandler",
}
#: website spider: re-fetch JavaScript-only pages in chromium (a source can say render_js = false).
DSI_WEBSITE_RENDER_JS = os.environ.get("DSI_WEBSITE_RENDER_JS", "1").lower() not in (
    "0",
    "false",
    "no",
)
#: Processes that read HTML job pages off the reactor thread (0: read in the crawl's thread) and
#: the time budget of one page in seconds: past it the page is lost (``dsi/lost/parse_timeout``).
DSI_PARSE_WORKERS = int(os.environ.get("DSI_PARSE_WORKERS", str(os.cpu_count() or 1)))
DSI_PARSE_TIMEOUT = float(os.environ.get("DSI_PARSE_TIMEOUT", "60"))
#: Path of the Chromium used by Playwright (Debian's package).
DSI_CHROMIUM_PATH = os.environ.get("DSI_CHROMIUM_PATH", "/usr/bin/chromium")

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.network.PrivateNetworkMiddleware": 50,
}

ITEM_PIPELINES = {
    "crawler.pipelines.validate.ValidatePipeline": 100,
    "crawler.pipelines.dedupe.DedupePipeline": 500,
    "crawler.pipelines.links.SiteLinksPipeline": 800,
    "crawler.pipelines.store.StorePipeline": 900,
}

EXTENSIONS = {
    "crawler.extensions.runs.RunRecorder": 100,
    "crawler.extensions.deletions.DeletionMarker": 200,
    "crawler.extensions.progress.CrawlProgress": 300,
}
#: Show a crawl's progress on stderr (``dsi crawl`` and ``dsi demo`` switch it on).
DSI_PROGRESS = False

# --- Playwright (opt-in per request with meta={"playwright": True}) -------------------------
PLAYWRIGHT_BROWSER_TYPE = "chromium"
#: Chromium reaches nothing by itself: every request of a rendered page is fetched by
#: crawler.browser_guard, so Chromium's own network paths are closed. Its resolver answers
#: "not found" for every name without asking DNS (no DNS prefetch, preconnect or WebRTC lookups
#: that could carry data out in a name), its direct connections go to a proxy that cannot be
#: reached (no preconnect to a literal address), and WebRTC uses no UDP outside that proxy (no
#: STUN/TURN packets, no local addresses in ICE candidates). Tested in real Chromium:
#: tests/reliability/test_browser_leaks.py.
DSI_CHROMIUM_OFFLINE_ARGS = [
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--dns-prefetch-disable",
    "--proxy-server=http://browser-offline.invalid:9",
    "--proxy-bypass-list=<-loopback>",
    "--webrtc-ip-handling-policy=disable_non_proxied_udp",
]
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": DSI_CHROMIUM_PATH,
    "headless": True,
    "args": [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        *DSI_CHROMIUM_OFFLINE_ARGS,
    ],
}
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 20_000
#: Download handlers are switched to scrapy-playwright only by spiders that render pages
#: (``spiders.website``), so plain crawls never start a browser.
DSI_PLAYWRIGHT_DOWNLOAD_HANDLERS = {
    "http": "crawler.download.GuardedPlaywrightDownloadHandler",
    "https": "crawler.download.GuardedPlaywrightDownloadHandler",
}

#: The sources file ``scrapy crawl SPIDER -a source=NAME`` reads.
DSI_SOURCES = os.environ.get("DSI_SOURCES", "sources.toml")
#: Turns ``scrapy crawl`` string arguments into a spider's source and database arguments.
DSI_SPIDER_ARGUMENTS = "crawler.runner.spider_arguments_from_strings"

# --- operations (#22) ------------------------------------------------------------------------
#: Called when a run's checks fail: a shell command (the alert as JSON on stdin) ...
DSI_ALERT_COMMAND = os.environ.get("DSI_ALERT_COMMAND", "")
#: ... and/or a URL the alert is POSTed to as JSON.
DSI_ALERT_WEBHOOK = os.environ.get("DSI_ALERT_WEBHOOK", "")
#: Redis of ``dsi crawl NAME --distributed`` (the shared, durable frontier: crawler.frontier).
DSI_REDIS_URL = os.environ.get("DSI_REDIS_URL", "")
#: Seconds a worker may hold a request before another worker takes it over (a dead worker's).
DSI_FRONTIER_LEASE_SECONDS = float(os.environ.get("DSI_FRONTIER_LEASE_SECONDS", "180"))
#: Seconds between two looks at the shared queue by a distributed worker with nothing to fetch.
DSI_FRONTIER_POLL_SECONDS = float(os.environ.get("DSI_FRONTIER_POLL_SECONDS", "0.5"))
#: Units (websites: sites) one worker of a distributed crawl by unit owns at a time.
DSI_FRONTIER_UNITS_PER_WORKER = int(os.environ.get("DSI_FRONTIER_UNITS_PER_WORKER", "8"))
#: Keep a plain crawl's frontier (jobs sources) in the database, so a killed crawl resumes
#: (crawler.frontier.sql_queue); ``DSI_FRONTIER_DURABLE=0`` keeps it in memory only.
DSI_FRONTIER_DURABLE = os.environ.get("DSI_FRONTIER_DURABLE", "1").lower() not in (
    "0",
    "false",
    "no",
)
#: Seconds between two writes of the frontier's changes to the database.
DSI_FRONTIER_FLUSH_SECONDS = float(os.environ.get("DSI_FRONTIER_FLUSH_SECONDS", "0.5"))
#: Which durable frontier a crawler uses ("sql" or "redis"; set per crawl by crawler.runner).
DSI_FRONTIER = ""
#: Key prefix of the frontiers in Redis (one frontier per source under it).
DSI_FRONTIER_NAMESPACE = os.environ.get("DSI_FRONTIER_NAMESPACE", "dsi:frontier")
#: Alert on ``fail`` only (default) or also on ``warn``.
DSI_ALERT_ON = os.environ.get("DSI_ALERT_ON", "fail")
# --- curator review app (``dsi review serve``) ---
#: hours a sign-in lasts
DSI_REVIEW_SESSION_HOURS = float(os.environ.get("DSI_REVIEW_SESSION_HOURS", "12"))
#: share of candidates two curators decide independently (agreement figures); 0 turns it off
DSI_REVIEW_OVERLAP = float(os.environ.get("DSI_REVIEW_OVERLAP", "0.05"))
#: failed sign-ins per user name and per address within DSI_REVIEW_LOGIN_WINDOW seconds
DSI_REVIEW_LOGIN_ATTEMPTS = int(os.environ.get("DSI_REVIEW_LOGIN_ATTEMPTS", "5"))
DSI_REVIEW_LOGIN_WINDOW = float(os.environ.get("DSI_REVIEW_LOGIN_WINDOW", "300"))
