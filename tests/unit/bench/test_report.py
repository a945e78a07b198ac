"""The benchmark's arithmetic: rates, ratios, memory growth per 10,000 pages."""

from __future__ import annotations

import pytest

from crawler.bench.report import Run, crawl_entry, mb_per_10k_pages, ratio


def test_ratio_and_rates() -> None:
    assert ratio(40.0, 50.0) == 0.8
    assert ratio(1.0, 3.0) == 0.333
    assert ratio(5.0, 0.0) == 0.0
    run = Run(pages=500, seconds=4.0, peak_rss_mb=100.0, cpu_seconds=2.0)
    assert run.pages_per_s == 125.0
    assert run.cpu_ms_per_page == 4.0
    assert Run(pages=0, seconds=0.0, peak_rss_mb=0.0).pages_per_s == 0.0


def test_memory_growth_is_the_slope_after_warm_up() -> None:
    # 300 MB of warm-up, then 2 MB per 1,000 pages = 20 MB per 10,000
    samples = [(0.0, 0, 50.0), (1.0, 100, 300.0)]
    samples += [(2.0 + i, 1000 * i, 300.0 + 2.0 * i) for i in range(1, 11)]
    assert mb_per_10k_pages(samples) == pytest.approx(20.0)
    flat = [(float(i), 1000 * i, 200.0) for i in range(10)]
    assert mb_per_10k_pages(flat) == 0.0
    assert mb_per_10k_pages([(0.0, 10, 1.0), (1.0, 20, 2.0)]) is None  # too short to tell
    assert mb_per_10k_pages([]) is None


def test_entry_has_baseline_ratio_and_target() -> None:
    ours = Run(pages=1000, seconds=10.0, peak_rss_mb=300.0)
    bare = Run(pages=1000, seconds=5.0, peak_rss_mb=100.0)
    entry = crawl_entry("jobs", ours, bare, target=0.8)
    assert entry["ratio"] == 0.5 and entry["met"] is False
    assert entry["pages_per_s"] == 100.0 and entry["baseline"]["pages_per_s"] == 200.0
    assert crawl_entry("x", bare, ours, target=None)["met"] is None


def test_the_baseline_before_and_after_is_pooled() -> None:
    ours = Run(pages=1000, seconds=10.0, peak_rss_mb=300.0, cpu_seconds=8.0)
    before = Run(pages=1000, seconds=4.0, peak_rss_mb=100.0, cpu_seconds=3.0)
    after = Run(pages=1002, seconds=6.0, peak_rss_mb=120.0, cpu_seconds=5.0, after_close=0.2)
    entry = crawl_entry("jobs", ours, [before, after], target=0.8)
    base = entry["baseline"]
    # all pages over all seconds (200.2 pages/s), not the mean of 250 and 167 pages/s
    assert base["pages_per_s"] == 200.2 and base["pages_per_s_each"] == [250.0, 167.0]
    assert entry["ratio"] == ratio(100.0, 2002 / 10)
    assert base["crawls"] == 2 and base["pages"] == 1001 and base["seconds"] == 5.0
    assert base["cpu_ms_per_page"] == 4.0 and base["peak_rss_mb"] == 120.0
    assert base["seconds_after_close"] == 0.1
    assert crawl_entry("jobs", ours, [before], target=0.8) == crawl_entry(
        "jobs", ours, before, target=0.8
    )


def test_a_probe_with_pss_gives_both_memory_figures() -> None:
    probe = {
        "responses": 3000,
        "elapsed": 30.0,
        "samples": [[float(i), 1000 * i, 500.0 + i, 300.0 + 2 * i] for i in range(4)],
    }
    run = Run.from_probe(probe)
    assert run.peak_rss_mb == 503.0 and run.peak_pss_mb == 306.0
    entry = crawl_entry("jobs", run, run, target=0.8)
    assert entry["mb_per_10k_pages"] == 10.0 and entry["pss_mb_per_10k_pages"] == 20.0
    # a probe of three values a sample (RSS only) still reads
    old = Run.from_probe({**probe, "samples": [s[:3] for s in probe["samples"]]})
    assert old.peak_rss_mb == 503.0 and old.peak_pss_mb == 0.0 and old.pss_samples == ()


def test_the_tree_memory_of_this_process() -> None:
    from crawler.bench.probe import tree_memory_mb

    rss, pss = tree_memory_mb()
    assert pss is not None and rss > 10 and 0 < pss <= rss + 1
    assert tree_memory_mb(pss=False)[1] is None


def test_samples_with_and_without_pss() -> None:
    # the probe reads PSS with every fifth sample only
    samples = [
        [float(i), 100 * i, 500.0 + i] + ([300.0 + i] if i % 5 == 0 else []) for i in range(12)
    ]
    run = Run.from_probe({"responses": 1100, "elapsed": 11.0, "samples": samples})
    assert run.peak_rss_mb == 511.0 and len(run.samples) == 12
    assert run.peak_pss_mb == 310.0 and [p for _, p, _ in run.pss_samples] == [0, 500, 1000]
