"""Scheduling: start the crawls the sources' cron schedules make due; one run of a source at a time.

* **Due**: a source's cron fires after the last fire handled (``source_state.last_fire_at``) up to
  now. A fire at most ``grace`` old is on time and starts a crawl. Older fires were missed while
  no scheduler ran: the ``skip`` policy drops them (logged), ``catch-up`` starts one crawl for
  all of them. A source seen for the first time starts counting from now.
* **Once**: a fire is claimed in the database before anything starts (:func:`storage.schedule.
  claim_fire`), so two schedulers never act on the same fire.
* **One at a time**: a crawl holds its source's lock in the database (:class:`SourceLock`, taken
  by ``dsi crawl`` itself and renewed while it runs), across processes and machines; a fire whose
  source is still locked is skipped and logged.
* **Failures**: each crawl is a child process (``dsi crawl NAME``); its exit code is logged with
  its status (:data:`crawler.outcome.EXIT_CODES`) and the scheduler carries on.
* **Stop**: SIGTERM/SIGINT stop new starts, pass SIGINT on to running crawls (Scrapy's graceful
  shutdown: they end ``interrupted``), and wait for them up to ``stop_timeout``.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Protocol

from crawler.outcome import EXIT_CODES
from crawler.sources import Source
from storage.schedule import (
    LockInfo,
    acquire_lock,
    claim_fire,
    last_fire,
    lock_holder,
    release_lock,
    renew_lock,
    take_over_lock,
)
from storage.session import StorageUnavailable, session_scope

logger = logging.getLogger(__name__)

MISSED_POLICIES = ("skip", "catch-up")
_STATUS_OF_CODE = {code: status.value for status, code in EXIT_CODES.items()}


def utcnow() -> datetime:
    return datetime.now(UTC)


def owner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def owner_died(owner: str) -> bool:
    """True when ``owner`` (``host:pid:…``) is a process of this host that no longer runs."""
    from crawler.extensions.runs import process_alive

    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    return host == socket.gethostname() and pid.isdigit() and not process_alive(int(pid))


class SourceBusy(RuntimeError):
    """Another process holds the source's run lock."""

    def __init__(self, source: str, holder: LockInfo | None) -> None:
        who = f" by {holder.owner} since {holder.acquired_at}" if holder else ""
        super().__init__(f"source {source!r} is already being crawled{who}")


class SourceLock:
    """The run lock of one source, held while a crawl runs and renewed by a thread."""

    def __init__(
        self,
        database_url: str,
        source: str,
        *,
        ttl: timedelta = timedelta(minutes=2),
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.url, self.source, self.ttl, self.clock = database_url, source, ttl, clock
        self.owner = owner_id()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def acquire(self) -> None:
        """Take the lock; a lock left by a dead process of this host is taken over."""
        now = self.clock()
        with session_scope(self.url) as session:
            if acquire_lock(session, self.source, self.owner, now=now, ttl=self.ttl):
                return
            holder = lock_holder(session, self.source, now=now)
            if holder is not None and owner_died(holder.owner):
                logger.warning(
                    "the run lock of %s was left by %s, which died: taken over",
                    self.source,
                    holder.owner,
                )
                if take_over_lock(session, self.source, holder.owner, self.owner, now, self.ttl):
                    return
        raise SourceBusy(self.source, holder)

    def _renew_forever(self) -> None:
        while not self._stop.wait(self.ttl.total_seconds() / 3):
            try:
                with session_scope(self.url) as session:
                    kept = renew_lock(
                        session, self.source, self.owner, now=self.clock(), ttl=self.ttl
                    )
                if not kept:
                    logger.error("the run lock of %s was lost (expired and taken)", self.source)
            except StorageUnavailable as exc:
                logger.warning("cannot renew the run lock of %s: %s", self.source, exc)

    def release(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        try:
            with session_scope(self.url) as session:
                release_lock(session, self.source, self.owner)
        except StorageUnavailable as exc:  # it expires on its own
            logger.warning("cannot release the run lock of %s: %s", self.source, exc)

    def __enter__(self) -> SourceLock:
        self.acquire()
        self._thread = threading.Thread(
            target=self._renew_forever, name=f"lock-{self.source}", daemon=True
        )
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


class Crawl(Protocol):
    """A started crawl (a ``subprocess.Popen`` in production)."""

    def poll(self) -> int | None: ...

    def send_signal(self, sig: int) -> None: ...

    def kill(self) -> None: ...

    def wait(self, timeout: float | None = None) -> int: ...


Launcher = Callable[[Source], Crawl]


def subprocess_launcher(database_url: str, sources_file: Path) -> Launcher:
    """Start ``dsi crawl NAME`` in a child process."""

    def launch(source: Source) -> Crawl:
        args = [sys.executable, "-m", "crawler.cli.app", "crawl", source.name]
        args += ["--sources", str(sources_file), "--database", database_url]
        # its own session: a Ctrl-C on the terminal reaches the scheduler only, which passes
        # one SIGINT on (a second one would make Scrapy stop uncleanly)
        return subprocess.Popen(args, stdin=subprocess.DEVNULL, start_new_session=True)

    return launch


def fires_between(schedule: str, after: datetime, until: datetime, cap: int = 10_000) -> int:
    """How many times ``schedule`` fires in ``(after, until]`` (counting stops at ``cap``)."""
    from croniter import croniter

    it = croniter(schedule, after)
    n = 0
    while n < cap:
        nxt: datetime = it.get_next(datetime)
        if nxt > until:
            break
        n += 1
    return n


def latest_fire(schedule: str, now: datetime) -> datetime:
    """The schedule's latest fire at or before ``now``."""
    from croniter import croniter

    prev: datetime = croniter(schedule, now + timedelta(seconds=1)).get_prev(datetime)
    return prev


@dataclass
class Scheduler:
    sources: list[Source]
    database_url: str
    launch: Launcher
    missed: str = "skip"
    grace: timedelta = timedelta(minutes=5)
    clock: Callable[[], datetime] = utcnow
    running: dict[str, Crawl] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.missed not in MISSED_POLICIES:
            raise ValueError(f"missed-run policy must be one of {', '.join(MISSED_POLICIES)}")

    @property
    def scheduled(self) -> list[Source]:
        return [s for s in self.sources if s.schedule]

    def reap(self) -> None:
        """Log crawls that ended; forget them."""
        for name, crawl in list(self.running.items()):
            code = crawl.poll()
            if code is None:
                continue
            del self.running[name]
            status = _STATUS_OF_CODE.get(code, "error")
            log = logger.info if code == 0 else logger.warning
            log("crawl of %s ended: %s (exit %s)", name, status, code)

    def due(self, source: Source, now: datetime) -> datetime | None:
        """The fire to act on now, claimed in the database; None when nothing is due."""
        assert source.schedule
        fire = latest_fire(source.schedule, now)
        with session_scope(self.database_url) as session:
            last = last_fire(session, source.name)
            if last is None:  # first sight: count from now
                claim_fire(session, source.name, fire)
                logger.info("scheduling %s (%s) from now", source.name, source.schedule)
                return None
            if fire <= last:
                return None
            if not claim_fire(session, source.name, fire):
                return None  # another scheduler took it
        missed = fires_between(source.schedule, last, now) - (1 if now - fire <= self.grace else 0)
        if now - fire <= self.grace:
            if missed:
                logger.warning(
                    "%d run(s) of %s missed while no scheduler ran: this run covers them",
                    missed,
                    source.name,
                )
            return fire
        if self.missed == "catch-up":
            logger.warning(
                "%d run(s) of %s missed while no scheduler ran: catching up once",
                missed,
                source.name,
            )
            return fire
        logger.warning(
            "%d run(s) of %s missed while no scheduler ran: skipped (policy skip)",
            missed,
            source.name,
        )
        return None

    def tick(self) -> list[str]:
        """Start every due crawl; returns the names of the sources started."""
        self.reap()
        now = self.clock()
        started: list[str] = []
        for source in self.scheduled:
            try:
                fire = self.due(source, now)
                if fire is None:
                    continue
                if source.name in self.running:
                    logger.warning("%s is still running: its run at %s skipped", source.name, fire)
                    continue
                with session_scope(self.database_url) as session:
                    holder = lock_holder(session, source.name, now=now)
                if holder is not None:
                    logger.warning(
                        "%s is being crawled by %s: its run at %s skipped",
                        source.name,
                        holder.owner,
                        fire,
                    )
                    continue
                self.running[source.name] = self.launch(source)
                started.append(source.name)
                logger.info("started %s (due %s)", source.name, fire.isoformat())
            except (StorageUnavailable, OSError) as exc:
                logger.error("cannot start %s: %s", source.name, exc)
        return started

    def stop(self, timeout: float) -> None:
        """Ask running crawls to stop (SIGINT: graceful), wait, then kill what is left."""
        for name, crawl in self.running.items():
            logger.info("stopping %s", name)
            crawl.send_signal(signal.SIGINT)
        for name, crawl in list(self.running.items()):
            try:
                crawl.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                logger.error("%s did not stop in %ss: killed", name, timeout)
                crawl.kill()
                crawl.wait()
        self.reap()

    def run(
        self,
        stop: threading.Event,
        *,
        interval: float = 30.0,
        stop_timeout: float = 120.0,
        once: bool = False,
    ) -> None:
        """Tick every ``interval`` seconds until ``stop`` is set, then stop the crawls."""
        names = ", ".join(f"{s.name} ({s.schedule})" for s in self.scheduled) or "none"
        logger.warning("scheduler started: %s; missed runs: %s", names, self.missed)
        while not stop.is_set():
            self.tick()
            if once:
                break
            stop.wait(interval)
        if once:
            for crawl in self.running.values():
                crawl.wait()
            self.reap()
        else:
            self.stop(stop_timeout)
        logger.warning("scheduler stopped")


def stop_on_signals() -> threading.Event:
    """An event set by SIGTERM or SIGINT (installed in the main thread)."""
    stop = threading.Event()

    def handler(signum: int, _frame: object) -> None:
        logger.warning("signal %s: stopping", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    return stop
