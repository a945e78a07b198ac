"""Run crawls in this process (one reactor per process, so one call per process)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings
from scrapy.utils.reactor import install_reactor

from crawler.logformatter import one_line_network_errors
from crawler.outcome import Outcome, Status, judge
from crawler.seeds import spider_arguments
from crawler.sources import Source

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class CrawlResult:
    source: str
    spider: str
    finish_reason: str | None
    stats: dict[str, Any]
    outcome: Outcome


def project_settings(database_url: str | None = None, **overrides: Any) -> Settings:
    import os

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    if database_url:
        settings.set("DSI_DATABASE_URL", database_url, priority="cmdline")
    for key, value in overrides.items():
        settings.set(key, value, priority="cmdline")
    return settings


def load_spider_class(settings: Settings, name: str) -> type:
    from scrapy.spiderloader import get_spider_loader

    cls: type = get_spider_loader(settings).load(name)
    return cls


def spider_arguments_from_strings(
    spider: str, settings: Settings, kwargs: dict[str, Any]
) -> dict[str, Any]:
    """``scrapy crawl SPIDER -a source=NAME`` (from ``DSI_SOURCES``) or ``-a url=URL[,URL]``
    (an ad-hoc source; other ``-a key=value`` become its options, ``allow_private_network=true``
    included): the validated :class:`Source`, its page budget, and what it needs from the
    database, as ``dsi crawl`` passes them. Errors are :class:`SourceError`, before any fetch."""
    from pathlib import Path

    from crawler.sources import SourceError, adhoc_source, find_source, load_sources, toml_scalar

    name, urls = kwargs.pop("source", None), kwargs.pop("url", None)
    if name and urls:
        raise SourceError("give -a source=NAME or -a url=URL, not both")
    if name:
        source = find_source(load_sources(Path(settings.get("DSI_SOURCES"))), str(name))
        if source.spider != spider:
            raise SourceError(
                f"source {source.name!r} is for spider {source.spider!r}, not {spider!r}"
            )
    elif urls:
        options = {key: toml_scalar(str(value)) for key, value in kwargs.items()}
        kwargs = {}
        source = adhoc_source(spider, [u for u in str(urls).split(",") if u], **options)
    else:
        raise SourceError(
            f"spider {spider!r} needs -a source=NAME (from DSI_SOURCES) or -a url=URL"
        )
    check_sources([source], settings)
    if not settings.frozen:
        settings.set("CLOSESPIDER_PAGECOUNT", source.max_pages, priority="spider")
    database_url = settings.get("DSI_DATABASE_URL")
    if database_url:
        from storage.migrate import upgrade

        upgrade(database_url)
    return {**kwargs, "source": source, **spider_arguments(source, database_url)}


def check_sources(sources: list[Source], settings: Settings) -> None:
    """Every source valid for its spider (``SourceError`` otherwise) before anything starts."""
    for source in sources:
        check = getattr(load_spider_class(settings, source.spider), "check_source", None)
        if check is not None:
            check(source)


def frontier_mode(settings: Settings, source: Source) -> str | None:
    """How ``source``'s spider can keep its crawl outside the process (its ``frontier``
    attribute): "requests" (one request at a time: durable in the database or shared in
    Redis), "units" (whole sites, shared in Redis only) or None (per-portal state in memory)."""
    mode = getattr(load_spider_class(settings, source.spider), "frontier", None)
    return mode if mode in ("requests", "units") else None


def frontier_settings(
    settings: Settings, source: Source, *, distributed: bool = False, fresh: bool = False
) -> dict[str, Any]:
    """What a crawler of ``source`` needs to keep its frontier durable: in Redis, shared with
    other workers (``distributed``; by request or by unit, as its spider says), or in its own
    database (:mod:`crawler.frontier`; spiders whose frontier is by request)."""
    mode = frontier_mode(settings, source)
    if distributed:
        if mode is None:
            raise ValueError(f"spider {source.spider!r} cannot be crawled by several workers")
        shared: dict[str, Any] = {
            "DSI_FRONTIER": "redis",
            "DSI_FRONTIER_MODE": mode,
            "REDIS_URL": settings.get("DSI_REDIS_URL"),
            "DSI_FRONTIER_PREFIX": f"{settings.get('DSI_FRONTIER_NAMESPACE')}:{source.name}",
            # a lease is given back once its items are stored: store them one by one
            "DSI_STORE_BATCH_SIZE": 1,
        }
        if mode == "units":
            return {
                **shared,
                "EXTENSIONS": {
                    **settings.getdict("EXTENSIONS"),
                    "crawler.frontier.UnitFrontier": 50,
                },
            }
        backend: dict[str, Any] = {
            **shared,
            "SCHEDULER": "crawler.frontier.LeasedScheduler",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_PERSIST": True,
        }
    else:
        if mode != "requests":
            raise ValueError(f"spider {source.spider!r} cannot resume from a frontier")
        backend = {
            "DSI_FRONTIER": "sql",
            "SCHEDULER": "crawler.frontier.SqlScheduler",
            "DSI_FRONTIER_SOURCE": source.name,
            "DSI_FRONTIER_FRESH": fresh,
        }
    return {
        **backend,
        "SPIDER_MIDDLEWARES": {
            **settings.getdict("SPIDER_MIDDLEWARES"),
            "crawler.frontier.LeaseMiddleware": 5,
        },
        "DOWNLOADER_MIDDLEWARES": {
            **settings.getdict("DOWNLOADER_MIDDLEWARES"),
            "crawler.frontier.FailedFetchMiddleware": 10,
        },
    }


def crawl_sources(
    sources: list[Source],
    settings: Settings,
    *,
    distributed: bool = False,
    durable: bool = False,
    fresh: bool = False,
) -> list[CrawlResult]:
    """Crawl the sources concurrently; returns one result per source when all have finished.

    ``distributed``: share the frontier in Redis with other workers; ``durable``: keep the
    frontier of the sources whose spider's frontier is by request (:func:`frontier_mode`) in the
    database, resumed after a kill unless ``fresh``.

    What a spider needs from the database (seeds, the open-data harvest state) is read here,
    once per source before the crawl starts, and handed to it as spider arguments
    (:func:`crawler.seeds.spider_arguments`).
    """
    from storage.migrate import upgrade

    check_sources(sources, settings)
    database_url = settings.get("DSI_DATABASE_URL")
    upgrade(database_url)
    arguments = [spider_arguments(source, database_url) for source in sources]
    install_reactor(settings.get("TWISTED_REACTOR"))
    # Scrapy installs its own root handler at LOG_LEVEL: drop the CLI's to avoid double lines.
    for handler in list(logging.root.handlers):
        logging.root.removeHandler(handler)
    settings.set("LOG_INSTALL_ROOT_HANDLER", True, priority="cmdline")
    process = CrawlerProcess(settings)
    one_line_network_errors()
    crawlers: list[tuple[Source, Crawler]] = []
    for source, extra in zip(sources, arguments, strict=True):
        spider_cls = process.spider_loader.load(source.spider)
        crawler = process.create_crawler(spider_cls)
        crawler.settings.set("CLOSESPIDER_PAGECOUNT", source.max_pages, priority="spider")
        if distributed or (durable and frontier_mode(settings, source) == "requests"):
            frontier = frontier_settings(settings, source, distributed=distributed, fresh=fresh)
            for key, value in frontier.items():
                crawler.settings.set(key, value, priority="cmdline")
        process.crawl(crawler, source=source, **extra)
        crawlers.append((source, crawler))
    process.start()
    results = []
    for source, crawler in crawlers:
        stats = crawler.stats.get_stats() if crawler.stats else {}
        results.append(
            CrawlResult(
                source=source.name,
                spider=source.spider,
                finish_reason=stats.get("finish_reason"),
                stats=dict(stats),
                outcome=outcome_of(crawler, stats),
            )
        )
    return results


def outcome_of(crawler: Crawler, stats: dict[str, Any]) -> Outcome:
    """The outcome the run recorder judged, or judged here when it did not run."""
    if "dsi/run/status" in stats:
        return Outcome(Status(stats["dsi/run/status"]), str(stats.get("dsi/run/reason", "")))
    spider = crawler.spider
    may_be_empty = bool(getattr(spider, "may_be_empty", lambda: False)())
    return judge(stats.get("finish_reason"), stats, may_be_empty=may_be_empty)
