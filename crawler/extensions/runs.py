"""Record every crawl as a row in ``crawl_runs``: start, end, status and Scrapy's stats.

The status is judged by :func:`crawler.outcome.judge` and logged as one line when it is not
``finished``. When the database is unreachable at the end, the run's end is written beside the
store pipeline's spool (``DSI_SPOOL_DIR/<source>.run-ends.jsonl``) and recorded by the next run
of the source, so a completed run is never later taken for one that died.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import socket
from datetime import datetime
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.checks import FIELD_PREFIX
from crawler.monitoring import Alerts, check_run
from crawler.outcome import Outcome, Status, judge
from storage.runs import finish_run, mark_interrupted, running_runs, start_run
from storage.session import StorageUnavailable, session_scope

logger = logging.getLogger(__name__)


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
        self.spool_dir = Path(crawler.settings.get("DSI_SPOOL_DIR", "var/spool"))
        self.alerts = Alerts.from_settings(crawler.settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        if not crawler.settings.get("DSI_DATABASE_URL"):
            raise NotConfigured("DSI_DATABASE_URL is not set")
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.spider_error, signal=signals.spider_error)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        return ext

    def spider_opened(self, spider: Spider) -> None:
        source = getattr(getattr(spider, "dsi_source", None), "name", spider.name)
        try:
            with session_scope(self.url) as session:
                self._record_spooled_ends(session, source)
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

    def item_scraped(self, item: Any, response: Any, spider: Spider) -> None:
        """Count the filled fields of every item (``dsi/fields/<name>``: coverage checks)."""
        assert self.crawler.stats is not None
        for name in filled_fields(item):
            self.crawler.stats.inc_value(f"{FIELD_PREFIX}{name}")

    def _ends_path(self, source: str) -> Path:
        return self.spool_dir / f"{source}.run-ends.jsonl"

    def _record_spooled_ends(self, session: Any, source: str) -> None:
        """Record the ends of earlier runs that could not reach the database when they closed.

        Their items went to the store pipeline's spool; when the spool is gone, it has been
        replayed (the pipeline replays it before this signal), so those runs are complete.
        """
        path = self._ends_path(source)
        if not path.exists():
            return
        replayed = not (self.spool_dir / f"{source}.jsonl").exists()
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                end = json.loads(line)
                run_id, reason, stats = int(end["run_id"]), end["reason"], dict(end["stats"])
            except (ValueError, KeyError, TypeError) as exc:
                logger.warning("skipping unreadable run end in %s: %s", path, exc)
                continue
            outcome = judge(
                reason, stats, may_be_empty=bool(end.get("may_be_empty")), spool_replayed=replayed
            )
            stats.update({"dsi/run/status": outcome.status.value, "dsi/run/reason": outcome.reason})
            finish_run(
                session,
                run_id,
                status=outcome.status.value,
                stats=stats,
                finish_reason=reason,
                error=None if outcome.status == Status.FINISHED else outcome.reason,
                finished_at=parse_stamp(end.get("finished_at")),
            )
            logger.info("run %s of %s recorded from the spool: %s", run_id, source, outcome.status)
        path.unlink()

    def spider_closed(self, spider: Spider, reason: str) -> None:
        assert self.crawler.stats is not None
        may_be_empty = bool(getattr(spider, "may_be_empty", lambda: False)())
        outcome = judge(reason, self.crawler.stats.get_stats(), may_be_empty=may_be_empty)
        self.crawler.stats.set_value("dsi/run/status", outcome.status.value)
        self.crawler.stats.set_value("dsi/run/reason", outcome.reason)
        source = getattr(getattr(spider, "dsi_source", None), "name", spider.name)
        log_outcome(source, outcome)
        if self.run_id is None:
            return
        stats = jsonable_stats(self.crawler.stats.get_stats())
        stats.setdefault("finish_reason", reason)
        error = None if outcome.status == Status.FINISHED else outcome.reason
        if self.errors:
            callbacks = f"{self.errors} callback errors"
            error = f"{error}; {callbacks}" if error else callbacks
        try:
            with session_scope(self.url) as session:
                finish_run(
                    session,
                    self.run_id,
                    status=outcome.status.value,
                    stats=stats,
                    finish_reason=reason,
                    error=error,
                )
        except StorageUnavailable as exc:
            logger.error("cannot record the run end (kept for the next run): %s", exc)
            self._spool_end(source, reason, stats, may_be_empty)
            return
        try:
            check_run(self.url, self.run_id, alerts=self.alerts, may_be_empty=may_be_empty)
        except StorageUnavailable as exc:
            logger.error("cannot check run %s: %s", self.run_id, exc)

    def _spool_end(
        self, source: str, reason: str, stats: dict[str, Any], may_be_empty: bool
    ) -> None:
        end = {
            "run_id": self.run_id,
            "reason": reason,
            "stats": stats,
            "may_be_empty": may_be_empty,
            "finished_at": datetime.now().astimezone().isoformat(),
        }
        self.spool_dir.mkdir(parents=True, exist_ok=True)
        with self._ends_path(source).open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(end) + "\n")


_NOT_CONTENT = frozenset({"source", "url", "raw", "warnings"})


def filled_fields(item: Any) -> list[str]:
    """The item's content fields that hold a value (``False`` and ``0`` count as values)."""
    if not dataclasses.is_dataclass(item) or isinstance(item, type):
        return []
    out = []
    for f in dataclasses.fields(item):
        if f.name in _NOT_CONTENT:
            continue
        value = getattr(item, f.name, None)
        if value is None or (isinstance(value, str | list | dict | tuple) and not value):
            continue
        out.append(f.name)
    return out


def parse_stamp(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def log_outcome(source: str, outcome: Outcome) -> None:
    """One clear line for every run that did not simply finish."""
    if outcome.status == Status.FINISHED:
        logger.info("source %s finished: %s", source, outcome.reason)
    elif outcome.status in (Status.FAILED, Status.REFUSED):
        logger.error("source %s %s: %s", source, outcome.status, outcome.reason)
    else:
        logger.warning("source %s %s: %s", source, outcome.status, outcome.reason)
