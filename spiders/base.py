"""The base spider every dsi spider extends: it carries its :class:`~crawler.sources.Source`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any, ClassVar

import scrapy

from crawler.sources import OptionSpec, Source, check_options


class DSISpider(scrapy.Spider):
    """A spider run for one declared source.

    ``dsi_source`` holds the validated source; ``source_name`` is stamped on every item.
    """

    dsi_source: Source
    #: The spider-specific source options this spider understands (validated before a crawl).
    source_options: ClassVar[dict[str, OptionSpec]] = {}

    @classmethod
    def check_source(cls, source: Source) -> None:
        """Raise ``SourceError`` (naming file, source and field) for options this spider rejects."""
        check_options(source, cls.source_options)

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

    async def start(self) -> AsyncIterator[Any]:
        for req in self.start_requests_for_source():
            yield req

    def start_requests_for_source(self) -> list[scrapy.Request]:
        """The first requests; spiders override to route by source options."""
        return [scrapy.Request(url, dont_filter=True) for url in self.start_urls]
