"""The reports from a sandbox crawl: `dsi demo` (crawl every sandbox source, classify: the run
shared through tests/integration/conftest.py), then `dsi report all` and `dsi export items
--relevant-only --format parquet`, checked against the database they were made from."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import func, select

from storage.models import Item, ItemScore
from storage.session import session_scope
from tests.conftest import run_dsi
from tests.integration.conftest import DemoRun


def rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


@pytest.mark.slow
def test_reports_from_a_sandbox_crawl(demo_run: DemoRun, tmp_path: Path) -> None:
    db, env = demo_run.copy(tmp_path / "demo")
    version = demo_run.summary["classification"]["model_version"]

    out = tmp_path / "report"
    res = run_dsi(
        "report", "all", "--out", str(out), "--min-count", "5", "--json", "--database", db, env=env
    )
    assert res.returncode == 0, res.stderr[-4000:]
    summary = json.loads(res.stdout)
    assert summary["model_version"] == version and summary["skipped"] == {}
    threshold = summary["relevance_threshold"]
    assert 0 < threshold < 1

    with session_scope(db) as s:
        jobs = s.execute(select(Item.id, Item.dedupe_group).where(Item.spider == "jobs")).all()
        relevant_items = s.scalar(
            select(func.count())
            .select_from(ItemScore)
            .join(Item, Item.id == ItemScore.item_id)
            .where(Item.spider == "jobs", ItemScore.relevance >= threshold)
        )
    groups = {group or f"item:{item_id}" for item_id, group in jobs}
    assert len(groups) < len(jobs)  # the sandbox board has duplicates: they count once

    series = rows(out / "trends_series.csv")
    assert sum(int(r["new"]) for r in series if r["new"]) == len(groups)
    regions = {r["region"]: r for r in rows(out / "geography_regions.csv")}
    shares = {r["region"]: r for r in rows(out / "trends_share_by_region.csv")}
    for region, row in shares.items():  # the same cells hidden in both reports
        assert regions[region]["adverts"] == row["adverts"]
    shown = [int(r["adverts"]) for r in regions.values() if r["adverts"]]
    assert sum(shown) <= len(groups) and int(regions["Western"]["adverts"]) >= 5
    assert int(regions["Western"]["dsi4eu"]) > int(regions["Baltic"]["dsi4eu"])
    finding = {r["measure"]: r for r in rows(out / "geography_finding.csv")}
    assert finding["dsi4eu"]["dense_above_thin"] == "True"
    figures = {r["figure"]: r["value"] for r in rows(out / "network_figures.csv")}
    assert int(figures["nodes"]) >= 30 and int(figures["edges"]) > 0
    assert 0 < float(figures["largest component share"]) <= 1
    page = (out / "report.html").read_text(encoding="utf-8")
    assert f"model {version}, relevance threshold" in page
    for chart in ("trends_counts", "trends_lifetime", "geography_regions", "network"):
        assert (out / "charts" / f"{chart}.png").stat().st_size > 5_000
        assert (out / "charts" / f"{chart}.svg").is_file()

    parquet = tmp_path / "relevant.parquet"
    res = run_dsi(
        "export",
        "items",
        "--spider",
        "jobs",
        "--relevant-only",
        "--format",
        "parquet",
        "--out",
        str(parquet),
        "--database",
        db,
        env=env,
    )
    assert res.returncode == 0, res.stderr[-3000:]
    frame = pd.read_parquet(parquet)
    assert len(frame) == relevant_items > 0
    assert frame["relevant"].all() and (frame["model_version"] == version).all()
    assert (frame["relevance"] >= frame["relevance_threshold"]).all()
