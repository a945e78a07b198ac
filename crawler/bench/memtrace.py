"""Where a benchmark crawl's memory goes: ``dsi bench crawl --trace-memory``.

A Scrapy extension, on with the ``DSI_BENCH_TRACE_FILE`` setting. Every
``DSI_BENCH_PROBE_INTERVAL`` seconds it reads the RSS of each process of the crawl (the crawl
process, the parsing workers' fork server, each worker), so growth can be told apart by
process. It starts tracemalloc in the crawl process when the spider opens and takes a snapshot
at the ``DSI_BENCH_TRACE_AT`` th response (past warm-up) and another when the spider closes;
the allocation sites that grew most between the two are written with each process's peak RSS
and growth.

tracemalloc slows the crawl process (every allocation is recorded with its traceback), so the
speed figures of a traced run are not the crawl's: trace in a run of its own.
"""

from __future__ import annotations

import gc
import json
import os
import tracemalloc
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from crawler.bench.probe import descendants, responses, rss_kb

#: Allocation sites reported (the largest growth first).
TOP_SITES = 25
#: Frames kept per allocation (enough to tell which crawl code made it).
FRAMES = 8


def _site(trace: tracemalloc.Traceback) -> list[str]:
    """The frames of an allocation, innermost last, as ``file:line``."""
    return [f"{frame.filename}:{frame.lineno}" for frame in trace]


def growth(
    before: tracemalloc.Snapshot, after: tracemalloc.Snapshot, top: int = TOP_SITES
) -> list[dict[str, Any]]:
    """The ``top`` allocation sites by growth from ``before`` to ``after``: KB and blocks
    added (negative: freed) and the frames that made them."""
    stats = after.compare_to(before, "traceback")
    stats.sort(key=lambda stat: stat.size_diff, reverse=True)
    return [
        {
            "kb": round(stat.size_diff / 1024, 1),
            "blocks": stat.count_diff,
            "kb_now": round(stat.size / 1024, 1),
            "frames": _site(stat.traceback),
        }
        for stat in stats[:top]
    ]


def _parent(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return int(stat.rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _role(pid: int, crawl: int, roles: dict[int, str]) -> str:
    """What a process of the crawl is: ``crawl``, ``fork server``, ``worker`` (forked by the
    fork server, so with its command line), ``resource tracker`` or ``other``."""
    if pid == crawl:
        return "crawl"
    parent = _parent(pid)
    if parent is not None and roles.get(parent) == "fork server":
        return "worker"
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "other"
    if b"forkserver" in cmdline:
        return "fork server"
    if b"resource_tracker" in cmdline:
        return "resource tracker"
    return "other"


def process_growth(
    processes: list[tuple[int, dict[int, float]]], roles: dict[int, str]
) -> list[dict[str, Any]]:
    """Each process's peak RSS and its growth in MB per 10,000 pages past warm-up."""
    from crawler.bench.report import mb_per_10k_pages

    out = []
    for pid, role in roles.items():
        samples = [(0.0, pages, rss[pid]) for pages, rss in processes if rss.get(pid)]
        if not samples:
            continue
        out.append(
            {
                "pid": pid,
                "role": role,
                "peak_rss_mb": max(m for _, _, m in samples),
                "mb_per_10k_pages": mb_per_10k_pages(samples),
            }
        )
    return out


class MemoryTrace:
    def __init__(self, crawler: Crawler, path: str, at_pages: int, interval: float) -> None:
        self.crawler = crawler
        self.path = path
        self.at_pages = at_pages
        self.first: tracemalloc.Snapshot | None = None
        self.first_pages = 0
        #: (pages, {pid: RSS MB}) every interval
        self.processes: list[tuple[int, dict[int, float]]] = []
        self.roles: dict[int, str] = {}
        self.loop = task.LoopingCall(self.sample)
        self.interval = interval

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MemoryTrace:
        path = crawler.settings.get("DSI_BENCH_TRACE_FILE")
        if not path:
            raise NotConfigured
        trace = cls(
            crawler,
            path,
            crawler.settings.getint("DSI_BENCH_TRACE_AT", 1000),
            crawler.settings.getfloat("DSI_BENCH_PROBE_INTERVAL", 1.0),
        )
        crawler.signals.connect(trace.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(trace.response_received, signal=signals.response_received)
        crawler.signals.connect(trace.spider_closed, signal=signals.spider_closed)
        return trace

    def _pages(self) -> int:
        return responses(self.crawler)

    def spider_opened(self, spider: Any) -> None:
        tracemalloc.start(FRAMES)
        self.loop.start(self.interval, now=True)

    def sample(self) -> None:
        pages = self._pages()
        pids = descendants(os.getpid())
        for pid in pids:  # a parent comes before its children
            if pid not in self.roles:
                self.roles[pid] = _role(pid, os.getpid(), self.roles)
        self.processes.append((pages, {pid: round(rss_kb(pid) / 1024, 1) for pid in pids}))

    def response_received(self, **kwargs: Any) -> None:
        """The first snapshot, once past warm-up (Scrapy counts the response before this)."""
        if self.first is None and self._pages() >= self.at_pages:
            gc.collect()
            self.first, self.first_pages = tracemalloc.take_snapshot(), self._pages()

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.loop.running:
            self.loop.stop()
        self.sample()
        sites: list[dict[str, Any]] = []
        if self.first is not None:
            gc.collect()
            sites = growth(self.first, tracemalloc.take_snapshot())
        tracemalloc.stop()
        Path(self.path).write_text(
            json.dumps(
                {
                    "pid": os.getpid(),
                    "snapshots_at_pages": [self.first_pages, self._pages()]
                    if self.first is not None
                    else [],
                    "growth": sites,
                    "processes": process_growth(self.processes, self.roles),
                }
            ),
            encoding="utf-8",
        )
