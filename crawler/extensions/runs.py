"""Record every crawl as a row in ``crawl_runs``: start, end, status and Scrapy's stats."""

from __future__ import annotations

import json
import logging
import os
import socket
from datetime import datetime
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from storage.runs import finish_run, mark_interrupted, running_runs, start_run
from storage.session import StorageUnavailable, session_scope

logger = logging.getLogger(__name__)

#: finish reasons that mean the run completed its job
_FINISHED = {"finished", "closespider_pagecount", "closespider_itemcount"}


def process_alive(pid: int) -> bool:
    """True when a process with this pid exists on this host."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def owner() -> dict[str, Any]:
    return {"host": socket.gethostname(), "pid": os.getpid()}


def jsonable_stats(stats: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in stats.items():
        if isinstance(value, datetime):
            out[key] = value.isoformat()
        else:
            try:
                json.dumps(value)
                out[key] = value
            except TypeError:
                out[key] = str(value)
    return out


class RunRecorder:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.url: str = crawler.settings.get("DSI_DATABASE_URL")
        self.run_id: int | None = None
        self.errors = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        if not crawler.settings.get("DSI_DATABASE_URL"):
            raise NotConfigured("DSI_DATABASE_URL is not set")
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.spider_error, signal=signals.spider_error)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        source = getattr(getattr(spider, "dsi_source", None), "name", spider.name)
        try:
            with session_scope(self.url) as session:
                self._close_dead_runs(session, source)
                run = start_run(session, source=source, spider=spider.name)
                run.stats = {"dsi/owner": owner()}
                self.run_id = run.id
        except StorageUnavailable as exc:
            logger.error("cannot record the run start: %s", exc)
            return
        assert self.crawler.stats is not None
        self.crawler.stats.set_value("dsi/run_id", self.run_id)
        spider.dsi_run_id = self.run_id  # type: ignore[attr-defined]

    @staticmethod
    def _close_dead_runs(session: Any, source: str) -> None:
        """Runs of this source left ``running`` by a process that died (``kill -9``, a crash)
        on this host become ``interrupted``; runs owned by another host are left alone."""
        me = owner()
        for run in running_runs(session, source):
            who = (run.stats or {}).get("dsi/owner") or {}
            if who.get("host") == me["host"] and not process_alive(int(who.get("pid", 0))):
                mark_interrupted(session, run.id, f"process {who.get('pid')} died")
                logger.warning(
                    "run %s of %s was left running by a dead process: interrupted", run.id, source
                )

    def spider_error(self, failure: Any, response: Any, spider: Spider) -> None:
        self.errors += 1

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.run_id is None:
            return
        assert self.crawler.stats is not None
        stats = jsonable_stats(self.crawler.stats.get_stats())
        status = (
            "finished"
            if reason in _FINISHED
            else ("interrupted" if reason == "shutdown" else "failed")
        )
        try:
            with session_scope(self.url) as session:
                finish_run(
                    session,
                    self.run_id,
                    status=status,
                    stats=stats,
                    finish_reason=reason,
                    error=f"{self.errors} callback errors" if self.errors else None,
                )
        except StorageUnavailable as exc:
            logger.error("cannot record the run end: %s", exc)
