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


def _network_errors() -> tuple[type[BaseException], ...]:
    from scrapy import exceptions as scrapy_errors
    from twisted.internet import error as net
    from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

    names = (
        "DownloadConnectionRefusedError",
        "CannotResolveHostError",
        "DownloadTimeoutError",
        "DownloadCancelledError",
        "DownloadFailedError",
        "ResponseDataLossError",
    )
    own = tuple(getattr(scrapy_errors, n) for n in names if hasattr(scrapy_errors, n))
    return (
        *own,
        net.ConnectError,
        net.ConnectionLost,
        net.TimeoutError,
        net.DNSLookupError,
        ResponseFailed,
        ResponseNeverReceived,
    )


class NetworkErrorsOneLine(logging.Filter):
    """A failed download is one log line with its cause (``Connection refused``), not a
    traceback: the network failing is an event of the crawl, not a bug of the crawler."""

    def __init__(self) -> None:
        super().__init__()
        self.errors = _network_errors()

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and isinstance(exc, self.errors):
            message = record.getMessage()
            cause = str(exc)
            record.msg = message if cause in message else f"{message}: {cause}"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


#: the Scrapy loggers that report failed downloads (with a traceback by default)
_DOWNLOAD_LOGGERS = (
    "scrapy.core.scraper",
    "scrapy.core.engine",
    "scrapy.downloadermiddlewares.robotstxt",
    "scrapy.downloadermiddlewares.retry",
)


def one_line_network_errors() -> None:
    """Install :class:`NetworkErrorsOneLine` on the loggers that report failed downloads
    (on the loggers, not the handlers: each crawler reinstalls Scrapy's root handler)."""
    for name in _DOWNLOAD_LOGGERS:
        target = logging.getLogger(name)
        if not any(isinstance(f, NetworkErrorsOneLine) for f in target.filters):
            target.addFilter(NetworkErrorsOneLine())
