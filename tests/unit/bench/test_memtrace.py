"""The memory trace of ``dsi bench crawl --trace-memory``: growth by allocation site and by
process."""

from __future__ import annotations

import tracemalloc

from crawler.bench.memtrace import growth, process_growth


def _allocate(n: int) -> list[str]:
    return [f"advert-{i:08d}" * 4 for i in range(n)]


def test_growth_names_the_site_that_allocated_most() -> None:
    tracemalloc.start(4)
    try:
        before = tracemalloc.take_snapshot()
        kept = _allocate(20_000)
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    sites = growth(before, after, top=3)
    assert len(kept) == 20_000
    top = sites[0]
    assert top["kb"] > 20_000 * 40 / 1024  # at least the strings' characters
    assert top["blocks"] >= 20_000
    assert any("test_memtrace.py" in frame for frame in top["frames"])
    assert sites == sorted(sites, key=lambda s: s["kb"], reverse=True)


def test_process_growth_per_10k_pages_past_warm_up() -> None:
    # the crawl grows 1 MB per 1,000 pages, the worker is flat, the fork server ends early
    processes = [
        (pages, {1: 100 + pages / 1000, 2: 300.0, 3: 50.0 if pages < 5000 else 0.0})
        for pages in range(0, 10_001, 500)
    ]
    rows = {
        r["role"]: r
        for r in process_growth(processes, {1: "crawl", 2: "worker", 3: "fork server", 4: "x"})
    }
    assert set(rows) == {"crawl", "worker", "fork server"}  # pid 4 never sampled
    assert rows["crawl"]["mb_per_10k_pages"] == 10.0
    assert rows["crawl"]["peak_rss_mb"] == 110.0
    assert rows["worker"]["mb_per_10k_pages"] == 0.0
    assert rows["fork server"]["peak_rss_mb"] == 50.0
