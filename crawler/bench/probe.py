"""A Scrapy extension of the benchmark: timing, pages and the memory of the crawl's processes.

On with the ``DSI_BENCH_PROBE_FILE`` setting. Every ``DSI_BENCH_PROBE_INTERVAL`` seconds it
samples ``(seconds, responses, RSS in MB)`` of the crawl process and its children (the parsing
workers' fork server and workers) together, and every :data:`PSS_EVERY` th sample also their
PSS in MB (reading it walks every mapping of every process: the kernel's time for that is the
crawl's, so it is read less often). The last memory sample is taken when the spider closes
(pipelines flushed; the parsing workers stop right after). Once the engine has stopped (every
``spider_closed`` handler done: the regrouping of job adverts, the run's record) it writes the
samples, the elapsed time from open to that point, the part of it after the spider closed, the
CPU time of the whole tree and the final stats to the file as JSON.

RSS counts a page shared by several processes (the workers share what their fork server
loaded, copy-on-write) once in each of them; PSS (proportional set size, from
``/proc/PID/smaps_rollup``) divides it among them, so the PSS of the tree is the memory it
really holds.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task


def _status_kb(pid: int, path: str, field: str) -> int:
    """A ``field: N kB`` line of ``/proc/PID/<path>`` (0 when the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/{path}").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def rss_kb(pid: int) -> int:
    """A process's resident set size (KB; 0 once it is gone)."""
    return _status_kb(pid, "status", "VmRSS:")


def _pss_kb(pid: int) -> int:
    return _status_kb(pid, "smaps_rollup", "Pss:")


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tasks:
        try:
            text = Path(f"/proc/{pid}/task/{tid}/children").read_text()
        except OSError:
            continue
        out.extend(int(p) for p in text.split())
    return out


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (children, their children, ...)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(_children(current))
    return out


def tree_cpu_seconds(pid: int | None = None) -> float:
    """CPU seconds (user + system, reaped children included) of a process and all its
    descendants (the parsing workers are alive until the crawl ends, so never reaped)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for current in descendants(pid or os.getpid()):
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / ticks


def tree_memory_mb(pid: int | None = None, *, pss: bool = True) -> tuple[float, float | None]:
    """``(RSS, PSS)`` of a process and all its descendants, in MB: RSS counts a shared page in
    every process that maps it, PSS divides it among them (None unless ``pss``)."""
    pids = descendants(pid or os.getpid())
    rss = sum(rss_kb(p) for p in pids) / 1024
    return rss, (sum(_pss_kb(p) for p in pids) / 1024 if pss else None)


def responses(crawler: Crawler) -> int:
    """Responses the crawl has received so far (Scrapy's core stats)."""
    stats = crawler.stats
    return int(stats.get_value("response_received_count", 0) or 0) if stats else 0


#: PSS is read with every this many samples (and the last).
PSS_EVERY = 5


class Probe:
    def __init__(self, crawler: Crawler, path: str, interval: float) -> None:
        self.crawler = crawler
        self.path = path
        self.interval = interval
        self.samples: list[tuple[float, ...]] = []
        self.opened = 0.0
        self.closed = 0.0
        self.responses = 0
        self.cpu = 0.0
        self.stats: dict[str, Any] = {}
        self.loop = task.LoopingCall(self.sample)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Probe:
        path = crawler.settings.get("DSI_BENCH_PROBE_FILE")
        if not path:
            raise NotConfigured
        probe = cls(crawler, path, crawler.settings.getfloat("DSI_BENCH_PROBE_INTERVAL", 1.0))
        crawler.signals.connect(probe.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(probe.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(probe.engine_stopped, signal=signals.engine_stopped)
        return probe

    def _responses(self) -> int:
        return responses(self.crawler)

    def sample(self, *, last: bool = False) -> None:
        rss, pss = tree_memory_mb(pss=last or len(self.samples) % PSS_EVERY == 0)
        head = (time.perf_counter() - self.opened, self._responses(), rss)
        self.samples.append(head if pss is None else (*head, pss))
        self.cpu = max(self.cpu, tree_cpu_seconds())

    def spider_opened(self, spider: Any) -> None:
        self.opened = time.perf_counter()
        self.loop.start(self.interval, now=True)

    def spider_closed(self, spider: Any, reason: str) -> None:
        """The crawl is over (pipelines flushed); ``spider_closed`` handlers still run."""
        self.closed = time.perf_counter()
        if self.loop.running:
            self.loop.stop()
        # the last memory sample: the parsing workers stop now (after this handler)
        self.sample(last=True)
        stats = self.crawler.stats.get_stats() if self.crawler.stats else {}
        self.stats = {k: v for k, v in stats.items() if isinstance(v, int | float | str)}
        self.responses = self._responses()

    def engine_stopped(self) -> None:
        """Every ``spider_closed`` handler is done: write what was measured."""
        stopped = time.perf_counter()
        if self.loop.running:  # stopped without a spider_closed (it always comes first)
            self.loop.stop()
            self.sample(last=True)
        self.cpu = max(self.cpu, tree_cpu_seconds())  # with the stopped workers', reaped
        usage = os.times()
        closed = self.closed or stopped
        Path(self.path).write_text(
            json.dumps(
                {
                    "elapsed": stopped - self.opened,
                    "after_close": stopped - closed,
                    "responses": self.responses or self._responses(),
                    "samples": self.samples,
                    "cpu_seconds": max(
                        self.cpu,
                        usage.user + usage.system + usage.children_user + usage.children_system,
                    ),
                    "stats": self.stats,
                }
            ),
            encoding="utf-8",
        )
