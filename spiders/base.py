"""The base spider every dsi spider extends: it carries its :class:`~crawler.sources.Source`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any, ClassVar

import scrapy

from crawler.sources import OptionSpec, Source, check_options
from spiders.parsers.limits import cap_name


class DSISpider(scrapy.Spider):
    """A spider run for one declared source.

    ``dsi_source`` holds the validated source; ``source_name`` is stamped on every item.
    """

    dsi_source: Source
    #: The spider-specific source options this spider understands (validated before a crawl).
    source_options: ClassVar[dict[str, OptionSpec]] = {}
    #: How workers of ``dsi crawl --distributed`` share a crawl (crawler.frontier): by request
    #: (``"requests"``: any worker may fetch any page), by unit (``"units"``: a site is crawled
    #: whole by the worker that took it), or not at all (None).
    frontier: ClassVar[str | None] = None

    @classmethod
    def check_source(cls, source: Source) -> None:
        """Raise ``SourceError`` (naming file, source and field) for options this spider rejects."""
        check_options(source, cls.source_options)

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> Any:
        """Scrapy's own tooling (``scrapy crawl jobs -a source=NAME`` or ``-a url=URL``, scrapyd)
        passes strings: ``DSI_SPIDER_ARGUMENTS`` (a function path, wired in the settings) turns
        them into the :class:`Source` and database arguments ``dsi crawl`` would pass."""
        if not isinstance(kwargs.get("source"), Source):
            from scrapy.utils.misc import load_object

            resolve = load_object(crawler.settings.get("DSI_SPIDER_ARGUMENTS"))
            kwargs = resolve(cls.name, crawler.settings, dict(kwargs))
        return super().from_crawler(crawler, *args, **kwargs)

    def __init__(self, *args: Any, source: Source | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if source is None:
            raise ValueError(f"spider {self.name!r} needs a source (see crawler.sources)")
        self.dsi_source = source
        self.source_name = source.name
        self.start_urls = list(source.urls)

    def may_be_empty(self) -> bool:
        """True when a run without items is a normal outcome (not the ``empty`` status)."""
        return False

    def stat(self, key: str, n: int = 1) -> None:
        """Count an event under ``dsi/<key>`` in the crawl's stats."""
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"dsi/{key}", n)

    def lost(self, reason: str, n: int = 1) -> None:
        """Count what the crawl could not read (an entry, a record, a page) under
        ``dsi/lost/<reason>``: a run with any of these did not read everything."""
        self.stat(f"lost/{reason}", n)

    def count_problems(self, kind: str, problems: Iterable[str]) -> None:
        """Count parser problem codes: a bound that was hit as ``dsi/caps/<name>``, any other
        problem as ``dsi/parse/<kind>/<problem>``."""
        for problem in problems:
            name = cap_name(problem)
            self.stat(f"caps/{name}" if name else f"parse/{kind}/{problem}")

    async def start(self) -> AsyncIterator[Any]:
        for req in self.start_requests_for_source():
            yield req

    def start_requests_for_source(self) -> list[scrapy.Request]:
        """The first requests; spiders override to route by source options."""
        return [scrapy.Request(url, dont_filter=True) for url in self.start_urls]
