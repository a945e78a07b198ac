"""The benchmark's arithmetic and its table: rates, ratios, memory growth per 10,000 pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: Samples taken before this share of the crawl's pages are warm-up (imports, pools, caches).
WARM_UP = 0.25


@dataclass(frozen=True, slots=True)
class Run:
    """One measured crawl: pages (responses, robots.txt included), wall seconds from the
    spider's open until the engine stopped (every ``spider_closed`` handler done: for the jobs
    pipeline, the regrouping of every stored advert), the part of them after the spider closed,
    peak RSS and PSS of its processes, and its memory samples ``(seconds, pages, rss_mb)`` and
    ``(seconds, pages, pss_mb)``."""

    pages: int
    seconds: float
    peak_rss_mb: float
    samples: tuple[tuple[float, int, float], ...] = ()
    cpu_seconds: float = 0.0
    peak_pss_mb: float = 0.0
    pss_samples: tuple[tuple[float, int, float], ...] = ()
    after_close: float = 0.0

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0

    @property
    def cpu_ms_per_page(self) -> float:
        return 1000 * self.cpu_seconds / self.pages if self.pages else 0.0

    @classmethod
    def pooled(cls, runs: Sequence[Run]) -> Run:
        """Several crawls of the same pages as one: pages, seconds and CPU added up (so its
        pages/s is all pages over all seconds), the highest peaks, the first run's samples."""
        first = runs[0]
        return cls(
            pages=sum(r.pages for r in runs),
            seconds=sum(r.seconds for r in runs),
            peak_rss_mb=max(r.peak_rss_mb for r in runs),
            samples=first.samples,
            cpu_seconds=sum(r.cpu_seconds for r in runs),
            peak_pss_mb=max(r.peak_pss_mb for r in runs),
            pss_samples=first.pss_samples,
            after_close=sum(r.after_close for r in runs),
        )

    @classmethod
    def from_probe(cls, probe: dict[str, Any]) -> Run:
        """From the probe's file: samples ``(seconds, pages, rss_mb[, pss_mb])``."""
        rows = [(float(t), int(p), [float(m) for m in mem]) for t, p, *mem in probe["samples"]]
        samples = tuple((t, p, mem[0]) for t, p, mem in rows)
        pss = tuple((t, p, mem[1]) for t, p, mem in rows if len(mem) > 1)
        return cls(
            pages=int(probe["responses"]),
            seconds=float(probe["elapsed"]),
            peak_rss_mb=max((m for _, _, m in samples), default=0.0),
            samples=samples,
            cpu_seconds=float(probe.get("cpu_seconds", 0.0)),
            peak_pss_mb=max((m for _, _, m in pss), default=0.0),
            pss_samples=pss,
            after_close=float(probe.get("after_close", 0.0)),
        )


def ratio(ours: float, baseline: float) -> float:
    """``ours / baseline`` rounded to 3 places (0 when the baseline is 0)."""
    return round(ours / baseline, 3) if baseline > 0 else 0.0


def mb_per_10k_pages(samples: Sequence[tuple[float, int, float]]) -> float | None:
    """Growth of resident memory per 10,000 pages after warm-up: the least-squares slope of
    RSS over pages of the samples past :data:`WARM_UP` of the crawl. None with fewer than
    three such samples (a crawl too short to tell)."""
    if not samples:
        return None
    last = max(p for _, p, _ in samples)
    points = [(p, m) for _, p, m in samples if p >= WARM_UP * last]
    if len(points) < 3 or len({p for p, _ in points}) < 2:
        return None
    n = len(points)
    mean_p = sum(p for p, _ in points) / n
    mean_m = sum(m for _, m in points) / n
    cov = sum((p - mean_p) * (m - mean_m) for p, m in points)
    var = sum((p - mean_p) ** 2 for p, _ in points)
    return round(10_000 * cov / var, 1)


def crawl_entry(
    kind: str, ours: Run, bare: Run | Sequence[Run], *, target: float | None
) -> dict[str, Any]:
    """One spider kind's figures with its baseline and ``ratio`` (pipeline / bare pages/s).

    ``bare`` may be several crawls (before and after ours): the baseline is them pooled
    (:meth:`Run.pooled`, its pages per crawl averaged), and each one's pages/s is listed."""
    bare_runs = [bare] if isinstance(bare, Run) else list(bare)
    bare = Run.pooled(bare_runs)
    n = len(bare_runs)
    r = ratio(ours.pages_per_s, bare.pages_per_s)
    return {
        "spider": kind,
        "pages": ours.pages,
        "pages_per_s": round(ours.pages_per_s, 1),
        "seconds": round(ours.seconds, 2),
        "seconds_after_close": round(ours.after_close, 2),
        "cpu_ms_per_page": round(ours.cpu_ms_per_page, 2),
        "peak_rss_mb": round(ours.peak_rss_mb, 1),
        "peak_pss_mb": round(ours.peak_pss_mb, 1),
        "mb_per_10k_pages": mb_per_10k_pages(ours.samples),
        "pss_mb_per_10k_pages": mb_per_10k_pages(ours.pss_samples),
        "baseline": {
            "what": "bare Scrapy spider following the same links, same concurrency, no pipelines",
            "crawls": n,
            "pages": round(bare.pages / n),
            "pages_per_s": round(bare.pages_per_s, 1),
            "pages_per_s_each": [round(b.pages_per_s, 1) for b in bare_runs],
            "seconds": round(bare.seconds / n, 2),
            "seconds_after_close": round(bare.after_close / n, 2),
            "cpu_ms_per_page": round(bare.cpu_ms_per_page, 2),
            "peak_rss_mb": round(bare.peak_rss_mb, 1),
            "peak_pss_mb": round(bare.peak_pss_mb, 1),
            "mb_per_10k_pages": mb_per_10k_pages(bare.samples),
            "pss_mb_per_10k_pages": mb_per_10k_pages(bare.pss_samples),
        },
        "ratio": r,
        "target": target,
        "met": None if target is None else r >= target,
    }


def print_table(title: str, rows: list[dict[str, Any]], columns: list[tuple[str, str]]) -> None:
    """A rich table on stderr's terminal (stdout when piped): ``columns`` are (key, heading);
    a key ``a.b`` reads ``row["a"]["b"]``."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for _, heading in columns:
        table.add_column(heading, justify="right")
    for row in rows:
        cells = []
        for key, _ in columns:
            value: Any = row
            for part in key.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            cells.append("–" if value is None else str(value))
        table.add_row(*cells)
    Console(width=200).print(table)
