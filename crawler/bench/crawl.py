"""``dsi bench crawl``: the whole pipeline against a bare Scrapy spider on the same pages.

For each spider kind the benchmark web (:mod:`crawler.bench.server`, its own process) is
crawled three times, each crawl in a fresh process (:mod:`crawler.bench.child`): by the bare
spider (:mod:`crawler.bench.bare`), then by the project's spider with every pipeline and
extension and a fresh database, then by the bare spider again; the baseline is the two bare
crawls pooled, so a machine whose speed drifts during the run moves both sides of the ratio.
All use the same concurrency, robots.txt and no throttling.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.bench.pages import LISTING_SIZE, SITE_PAGES
from crawler.bench.portal import PORTAL_ROWS, organizations_path, search_path
from crawler.bench.report import WARM_UP, Run, crawl_entry, ratio
from crawler.bench.server import BenchWeb

KINDS = ("jobs", "website", "opendata")
#: The issue's targets: pipeline pages/s as a share of the bare spider's (none for opendata:
#: its ratio is reported without one).
TARGETS = {"jobs": 0.8, "website": 0.5}


class BenchError(RuntimeError):
    """A benchmark crawl did not run to its end."""


@dataclass(frozen=True, slots=True)
class Plan:
    """Pages per spider kind and how the crawls run."""

    pages: int
    concurrency: int = 16
    seed: int = 2026
    database_url: str | None = None
    #: trace the pipeline crawl's memory (:mod:`crawler.bench.memtrace`; slows that crawl)
    trace_memory: bool = False

    @property
    def adverts(self) -> int:
        return max(LISTING_SIZE, self.pages * LISTING_SIZE // (LISTING_SIZE + 1))

    @property
    def sites(self) -> int:
        return max(1, self.pages // SITE_PAGES)

    @property
    def datasets(self) -> int:
        """Datasets of the portal: ``pages`` package_search pages of :data:`PORTAL_ROWS`."""
        return self.pages * PORTAL_ROWS


def _crawl(config: dict[str, Any], workdir: Path, name: str) -> Run:
    probe = workdir / f"{name}.json"
    config = {**config, "probe_file": str(probe)}
    path = workdir / f"{name}.config.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "crawler.bench.child", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not probe.exists():
        tail = (done.stderr or "").strip().splitlines()[-1:] or ["no output"]
        raise BenchError(f"{name} crawl failed (exit {done.returncode}): {tail[0]}")
    return Run.from_probe(json.loads(probe.read_text(encoding="utf-8")))


def _configs(kind: str, web: BenchWeb, plan: Plan, database_url: str) -> tuple[dict[str, Any], ...]:
    bare_urls: list[str] | None = None
    if kind == "jobs":
        urls = [web.board_url + "/jobs/?page=1"]
        options: dict[str, Any] = {}
        pages = 2 * (plan.adverts + plan.adverts // LISTING_SIZE) + 100
    elif kind == "opendata":
        # the portal's API as the spider pages it; showcases are not served
        urls = [web.portal_url]
        options = {"api": "ckan", "rows": PORTAL_ROWS, "showcases": False}
        pages = 2 * plan.pages + 100
        root = web.portal_url.rstrip("/")
        bare_urls = [root + search_path(0), root + organizations_path(0)]
    else:
        urls = list(web.site_urls)
        options = {"pages_per_site": SITE_PAGES, "max_depth": 2, "render_js": False}
        pages = 2 * plan.sites * (SITE_PAGES + 1) + 100
    shared = {"urls": urls, "concurrency": plan.concurrency}
    bare = {**shared, "mode": "bare", "urls": bare_urls or urls}
    ours = {
        **shared,
        "mode": "pipeline",
        "spider": kind,
        "database_url": database_url,
        "max_pages": pages,
        "options": options,
    }
    return bare, ours


def _traced(config: dict[str, Any], workdir: Path, kind: str, pages: int) -> dict[str, Any]:
    """``config`` with the memory trace on: first snapshot past :data:`WARM_UP` of the pages."""
    return {
        **config,
        "trace_file": str(workdir / f"{kind}-memory.json"),
        "trace_at": max(1, int(WARM_UP * pages)),
    }


def run_crawl_bench(kinds: list[str], plan: Plan) -> dict[str, Any]:
    """Every figure of the crawl benchmark, with baselines and ratios (the ``--json`` shape)."""
    entries: list[dict[str, Any]] = []
    served = []
    with tempfile.TemporaryDirectory(prefix="dsi-bench-") as tmp:
        workdir = Path(tmp)
        for kind in kinds:
            web = BenchWeb(
                adverts=plan.adverts if kind == "jobs" else 0,
                sites=plan.sites if kind == "website" else 0,
                datasets=plan.datasets if kind == "opendata" else 0,
                seed=plan.seed,
            )
            with web:
                database_url = plan.database_url or f"sqlite:///{workdir / kind}.sqlite3"
                bare_config, our_config = _configs(kind, web, plan, database_url)
                if plan.trace_memory:
                    our_config = _traced(our_config, workdir, kind, web.pages)
                # the baseline before and after ours: a machine that slows down or speeds
                # up during the run moves both sides of the ratio alike
                before = _crawl(bare_config, workdir, f"{kind}-bare")
                ours = _crawl(our_config, workdir, f"{kind}-pipeline")
                after = _crawl(bare_config, workdir, f"{kind}-bare-after")
                stats = web.stop()
            outcome = Path(str(workdir / f"{kind}-pipeline.json") + ".outcome")
            entry = crawl_entry(kind, ours, [before, after], target=TARGETS.get(kind))
            entry["outcome"] = outcome.read_text() if outcome.exists() else None
            trace = workdir / f"{kind}-memory.json"
            if plan.trace_memory:
                entry["memory_trace"] = (
                    json.loads(trace.read_text(encoding="utf-8")) if trace.exists() else None
                )
            entry["server"] = {
                "pages_rendered": stats.pages,
                "requests": stats.requests,
                "mb_served": round(stats.bytes / 1e6, 1),
                "capacity_requests_per_cpu_s": round(stats.capacity, 1),
            }
            entries.append(entry)
            served.append(stats)
    return {
        "benchmark": "crawl",
        "pages_per_kind": plan.pages,
        "memory_traced": plan.trace_memory,
        "concurrency": plan.concurrency,
        "database": "postgresql" if plan.database_url else "sqlite",
        "spiders": entries,
        "ratio": {e["spider"]: e["ratio"] for e in entries},
        "all_targets_met": all(e["met"] for e in entries if e["met"] is not None),
        "server_vs_bare": {
            e["spider"]: ratio(
                e["server"]["capacity_requests_per_cpu_s"], e["baseline"]["pages_per_s"]
            )
            for e in entries
        },
    }
