"""Log lines for dropped items: the reason and URL, not the whole item (which can be 100 KB)."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider
from scrapy.http import Response
from scrapy.logformatter import LogFormatter, LogFormatterResult
from twisted.python.failure import Failure


class DSILogFormatter(LogFormatter):
    def dropped(
        self,
        item: Any,
        exception: BaseException,
        response: Response | Failure | None,
        spider: Spider,
    ) -> LogFormatterResult:
        level = getattr(exception, "log_level", None) or logging.INFO
        if isinstance(level, str):
            level = getattr(logging, level.upper(), logging.INFO)
        return {
            "level": level,
            "msg": "Dropped %(url)s: %(exception)s",
            "args": {"exception": exception, "url": getattr(item, "url", "?")},
        }
