"""The scheduler with a fake clock, and the run lock across processes (SQLite and PostgreSQL)."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine

from crawler.scheduling import Scheduler, SourceBusy, SourceLock
from crawler.sources import Source
from storage.schedule import acquire_lock, lock_holder, release_lock
from storage.session import session_scope
from tests.conftest import ROOT

START = datetime(2026, 3, 2, 8, 0, 30, tzinfo=UTC)  # a Monday
HOURLY = Source(name="board", spider="jobs", urls=("https://a.org/",), schedule="0 * * * *")
DAILY = Source(name="portal", spider="opendata", urls=("https://b.org/",), schedule="30 2 * * *")
UNSCHEDULED = Source(name="adhoc", spider="jobs", urls=("https://c.org/",))


@dataclass
class FakeCrawl:
    code: int | None = None
    signals: list[int] = field(default_factory=list)

    def poll(self) -> int | None:
        return self.code

    def send_signal(self, sig: int) -> None:
        self.signals.append(sig)
        self.code = 7

    def kill(self) -> None:
        self.code = -9

    def wait(self, timeout: float | None = None) -> int:
        assert self.code is not None
        return self.code


@dataclass
class FakeLauncher:
    started: list[tuple[str, datetime]] = field(default_factory=list)
    crawls: list[FakeCrawl] = field(default_factory=list)
    exit_code: int | None = 0
    fail: bool = False

    def __call__(self, source: Source) -> FakeCrawl:
        if self.fail:
            raise OSError("cannot start")
        self.started.append((source.name, datetime.now(UTC)))
        crawl = FakeCrawl(self.exit_code)
        self.crawls.append(crawl)
        return crawl


def make(url: str, launcher: FakeLauncher, missed: str = "skip") -> Scheduler:
    return Scheduler(
        sources=[HOURLY, DAILY, UNSCHEDULED],
        database_url=url,
        launch=launcher,
        missed=missed,
        grace=timedelta(minutes=5),
    )


def names(launcher: FakeLauncher) -> list[str]:
    return [n for n, _ in launcher.started]


def test_due_crawls_start_on_their_schedule(database_url: str) -> None:
    launcher = FakeLauncher()
    scheduler = make(database_url, launcher)
    with time_machine.travel(START, tick=False) as clock:
        assert scheduler.tick() == []  # first sight: counting starts now
        clock.move_to(START + timedelta(minutes=59, seconds=40))  # 09:00:10
        assert scheduler.tick() == ["board"]
        assert scheduler.tick() == []  # the same fire once only
        clock.move_to(datetime(2026, 3, 2, 9, 30, tzinfo=UTC))
        assert scheduler.tick() == []
        clock.move_to(datetime(2026, 3, 2, 10, 2, tzinfo=UTC))
        assert scheduler.tick() == ["board"]
        clock.move_to(datetime(2026, 3, 3, 2, 31, tzinfo=UTC))  # both due; board missed 16
        assert sorted(scheduler.tick()) == ["portal"]
    assert names(launcher) == ["board", "board", "portal"]


@pytest.mark.parametrize(("policy", "expected"), [("skip", []), ("catch-up", ["board"])])
def test_missed_runs_policy(
    database_url: str, policy: str, expected: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    launcher = FakeLauncher()
    with time_machine.travel(START, tick=False) as clock:
        make(database_url, launcher).tick()
        # the scheduler was down for two days: 48 hourly fires missed
        clock.move_to(START + timedelta(days=2, minutes=20))
        restarted = make(database_url, launcher, missed=policy)
        with caplog.at_level(logging.WARNING):
            started = [s for s in restarted.tick() if s == "board"]
        assert started == expected
        assert "48 run(s) of board missed" in caplog.text
        assert restarted.tick() == []  # caught up (or skipped) once, not 48 times
        clock.move_to(START + timedelta(days=2, hours=1))
        assert "board" in restarted.tick()  # back on schedule


def test_a_failing_crawl_does_not_stop_the_scheduler(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    launcher = FakeLauncher(exit_code=3)
    scheduler = make(database_url, launcher)
    with time_machine.travel(START, tick=False) as clock:
        scheduler.tick()
        clock.move_to(START + timedelta(hours=1))
        assert scheduler.tick() == ["board"]
        clock.move_to(START + timedelta(hours=2))
        launcher.fail = True  # the next start fails outright
        with caplog.at_level(logging.WARNING):
            assert scheduler.tick() == []
        assert "crawl of board ended: failed (exit 3)" in caplog.text
        assert "cannot start board: cannot start" in caplog.text
        launcher.fail = False
        clock.move_to(START + timedelta(hours=3))
        assert scheduler.tick() == ["board"]


def test_a_source_still_running_is_not_started_again(database_url: str) -> None:
    launcher = FakeLauncher(exit_code=None)  # never ends
    scheduler = make(database_url, launcher)
    with time_machine.travel(START, tick=False) as clock:
        scheduler.tick()
        clock.move_to(START + timedelta(hours=1))
        assert scheduler.tick() == ["board"]
        clock.move_to(START + timedelta(hours=2))
        assert scheduler.tick() == []  # still running here
        scheduler.stop(timeout=1)
        assert launcher.crawls[0].signals == [signal.SIGINT]


def test_a_source_locked_elsewhere_is_skipped(database_url: str) -> None:
    launcher = FakeLauncher()
    scheduler = make(database_url, launcher)
    with time_machine.travel(START, tick=False) as clock:
        scheduler.tick()
        clock.move_to(START + timedelta(hours=1))
        with SourceLock(database_url, "board"):  # e.g. `dsi crawl board` on another machine
            assert scheduler.tick() == []
        clock.move_to(START + timedelta(hours=2))
        assert scheduler.tick() == ["board"]


def test_two_schedulers_act_on_a_fire_once(database_url: str) -> None:
    first, second = FakeLauncher(), FakeLauncher()
    a, b = make(database_url, first), make(database_url, second)
    with time_machine.travel(START, tick=False) as clock:
        a.tick()
        b.tick()
        clock.move_to(START + timedelta(hours=1))
        assert sorted(a.tick() + b.tick()) == ["board"]


def test_lock_contention_and_expiry(database_url: str) -> None:
    ttl = timedelta(minutes=2)
    with session_scope(database_url) as s:
        assert acquire_lock(s, "board", "one", now=START, ttl=ttl)
    with session_scope(database_url) as s:
        assert not acquire_lock(s, "board", "two", now=START + timedelta(minutes=1), ttl=ttl)
        holder = lock_holder(s, "board", now=START)
        assert holder is not None and holder.owner == "one"
    with session_scope(database_url) as s:  # expired: the next one takes it
        assert acquire_lock(s, "board", "two", now=START + timedelta(minutes=3), ttl=ttl)
    with session_scope(database_url) as s:
        release_lock(s, "board", "one")  # not the holder: nothing happens
        assert lock_holder(s, "board", now=START + timedelta(minutes=3)) is not None
        release_lock(s, "board", "two")
        assert lock_holder(s, "board", now=START + timedelta(minutes=3)) is None
    with SourceLock(database_url, "board"), pytest.raises(SourceBusy, match="already being"):
        SourceLock(database_url, "board").acquire()


def _contend(url: str, start: float, queue: multiprocessing.Queue[bool]) -> None:
    from storage.session import get_engine

    get_engine.cache_clear()
    lock = SourceLock(url, "board")
    while time.time() < start:
        time.sleep(0.001)
    try:
        lock.acquire()
        queue.put(True)
    except SourceBusy:
        queue.put(False)


def test_lock_across_processes(database_url: str) -> None:
    ctx = multiprocessing.get_context("spawn")
    queue: multiprocessing.Queue[bool] = ctx.Queue()
    start = time.time() + 3
    procs = [ctx.Process(target=_contend, args=(database_url, start, queue)) for _ in range(4)]
    for p in procs:
        p.start()
    results = [queue.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert sorted(results) == [False, False, False, True]


@pytest.mark.slow
def test_scheduler_stops_gracefully_on_sigterm(sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[source]]\nname = "board"\nspider = "jobs"\nurls = ["https://a.org/"]\n'
        'schedule = "0 3 * * *"\n',
        encoding="utf-8",
    )
    exe = Path(sys.executable).parent / "dsi"
    proc = subprocess.Popen(
        [str(exe), "scheduler", "run", "--sources", str(path), "--database", sqlite_url],
        cwd=ROOT,
        env=os.environ.copy(),
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()
    assert "scheduler started: board (0 3 * * *)" in line, line
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0
    rest = proc.stderr.read()
    assert "signal SIGTERM: stopping" in rest and "scheduler stopped" in rest
    assert "Traceback" not in rest


def test_a_lock_left_by_a_dead_process_is_taken_over(database_url: str) -> None:
    import socket

    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    with session_scope(database_url) as s:
        owner = f"{socket.gethostname()}:{dead.pid}:killed"
        assert acquire_lock(s, "board", owner, now=datetime.now(UTC), ttl=timedelta(hours=1))
    with SourceLock(database_url, "board") as lock, session_scope(database_url) as s:
        holder = lock_holder(s, "board", now=datetime.now(UTC))
        assert holder is not None and holder.owner == lock.owner
    with session_scope(database_url) as s:  # a live holder (this process) is not
        assert acquire_lock(
            s,
            "board",
            f"{socket.gethostname()}:{os.getpid()}:me",
            now=datetime.now(UTC),
            ttl=timedelta(hours=1),
        )
    with pytest.raises(SourceBusy):
        SourceLock(database_url, "board").acquire()
