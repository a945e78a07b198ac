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


def check_sources(sources: list[Source], settings: Settings) -> None:
    """Every source valid for its spider (``SourceError`` otherwise) before anything starts."""
    for source in sources:
        check = getattr(load_spider_class(settings, source.spider), "check_source", None)
        if check is not None:
            check(source)


def crawl_sources(sources: list[Source], settings: Settings) -> list[CrawlResult]:
    """Crawl the sources concurrently; returns one result per source when all have finished.

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
