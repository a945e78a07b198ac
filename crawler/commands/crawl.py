"""``scrapy crawl SPIDER -a source=NAME`` (and scrapyd's jobs, which run it) exit as ``dsi crawl``.

Scrapy's own command exits 0 whatever the crawl did. This one exits with the run's outcome
(:mod:`crawler.outcome`: 0 finished, 3 failed, 4 incomplete, 5 refused, 6 empty, 7 interrupted),
and a source that cannot be crawled (unknown, invalid, for another spider) or an unreachable
database is one line ``Error: …`` and exit 1 before anything starts, as in ``dsi``.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

if TYPE_CHECKING:
    import argparse


class Command(ScrapyCrawlCommand):
    def short_desc(self) -> str:
        return "Run a spider for one source (-a source=NAME or -a url=URL), exit with its outcome"

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) != 1 or self.crawler_process is None:
            super().run(args, opts)  # Scrapy's usage errors
            return
        from crawler.cli.app import one_line, user_errors
        from crawler.runner import outcome_of

        crawler = self._create_crawler(args[0])
        try:
            arguments = self.spider_arguments(crawler, dict(opts.spargs))
        except user_errors() as exc:  # a bad source, an unreachable database: one line
            print(f"Error: {one_line(exc)}", file=sys.stderr)  # noqa: T201
            self.exitcode = 1
            return
        self.crawler_process.crawl(crawler, **arguments)
        self.crawler_process.start()
        if self.crawler_process.bootstrap_failed or crawler.stats is None:
            self.exitcode = 1
            return
        self.exitcode = outcome_of(crawler, crawler.stats.get_stats()).exit_code

    @staticmethod
    def spider_arguments(crawler: Any, spargs: dict[str, Any]) -> dict[str, Any]:
        """The source and database arguments of the spider, read as the spider itself would
        (``DSI_SPIDER_ARGUMENTS``), but before the crawl starts so that errors are one line."""
        from scrapy.utils.misc import load_object

        resolve = load_object(crawler.settings.get("DSI_SPIDER_ARGUMENTS"))
        arguments: dict[str, Any] = resolve(crawler.spidercls.name, crawler.settings, spargs)
        return arguments
