"""A tiny run of ``dsi bench crawl``: both crawls fetch the same pages, the report adds up.

No timing is asserted: speed is what the benchmark itself reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crawler.cli.app import app

pytestmark = pytest.mark.slow


def test_bench_crawl_smoke(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = CliRunner().invoke(app, ["bench", "crawl", "--pages", "100", "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data["ratio"]) == {"jobs", "website", "opendata"}
    for entry in data["spiders"]:
        assert entry["outcome"] == "finished", entry
        # the same pages: robots.txt and every listing and advert, every site page, or every
        # package_search and organization_list page of the portal
        assert entry["pages"] >= 96 and entry["baseline"]["pages"] >= 96, entry
        assert abs(entry["pages"] - entry["baseline"]["pages"]) <= 0.02 * entry["pages"], entry
        rates = entry["pages_per_s"] / entry["baseline"]["pages_per_s"]
        assert abs(entry["ratio"] - rates) < 0.01
        # the bare spider crawled before and after ours, the baseline both pooled
        base = entry["baseline"]
        assert base["crawls"] == 2 and len(base["pages_per_s_each"]) == 2
        assert entry["server"]["requests"] >= entry["pages"] + 2 * base["pages"]
        assert entry["peak_rss_mb"] > 0 and entry["baseline"]["peak_rss_mb"] > 0
        # timed until the engine stopped: what ran after the last page is part of it
        assert 0 <= entry["seconds_after_close"] < entry["seconds"], entry
    (opendata,) = (e for e in data["spiders"] if e["spider"] == "opendata")
    assert opendata["target"] is None and opendata["met"] is None
    assert opendata["pages"] == opendata["server"]["pages_rendered"] + 1  # and robots.txt


def test_bench_crawl_traces_memory_by_process_and_allocation_site(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    args = ["bench", "crawl", "--spider", "jobs", "--pages", "100", "--trace-memory"]
    result = CliRunner().invoke(app, [*args, "--json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["memory_traced"] is True
    (entry,) = data["spiders"]
    trace = entry["memory_trace"]
    roles = [p["role"] for p in trace["processes"]]
    assert roles.count("crawl") == 1 and "fork server" in roles and "worker" in roles
    assert all(p["peak_rss_mb"] > 0 for p in trace["processes"])
    first, last = trace["snapshots_at_pages"]
    assert 25 <= first < last == entry["pages"]
    assert trace["growth"] and all(site["frames"] for site in trace["growth"])
    assert "allocations that grew most" in result.output


def test_bench_crawl_rejects_a_bad_spider() -> None:
    result = CliRunner().invoke(app, ["bench", "crawl", "--spider", "shop"])
    assert result.exit_code != 0
    assert "--spider must be one of jobs, website, opendata or all" in str(result.exception)
