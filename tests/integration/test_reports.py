"""`reports.data` and `dsi report` on a constructed database (SQLite and PostgreSQL): two crawls a
month apart with known adverts, scores, candidates and links."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from crawler.items import JobAdvert, WebsiteProfile
from crawler.pipelines.store import item_to_row
from reports.data import load
from storage.candidates import CandidateRef, link_evidence, set_status, upsert_candidate
from storage.items import upsert_items
from storage.links import upsert_site_links
from storage.models import CrawlRun, Item
from storage.scores import ScoreRow, upsert_scores
from storage.session import session_scope
from tests.conftest import run_dsi

JAN = datetime(2026, 1, 5, 12, tzinfo=UTC)
FEB = datetime(2026, 2, 2, 12, tzinfo=UTC)


def job(n: int, country: str | None = "DE", city: str | None = "Berlin") -> JobAdvert:
    return JobAdvert(
        source="board",
        url=f"https://board.example/jobs/{n}",
        title=f"Job {n}",
        hiring_organization="Alpha e.V." if n == 1 else f"Employer {n}",
        location_country=country,
        location_city=city,
        description=f"advert number {n}",
    )


def crawl(url: str, when: datetime, jobs: list[JobAdvert]) -> None:
    with session_scope(url) as s:
        s.add(CrawlRun(source="board", spider="jobs", started_at=when, status="finished"))
        rows = [item_to_row(j, None)[0] for j in jobs]
        for row in rows:
            row.fetched_at = when.replace(minute=5)
        upsert_items(s, rows)


def build(url: str) -> None:
    crawl(url, JAN, [job(1), job(2, "EE", "Tallinn"), job(3)])
    crawl(url, FEB, [job(2, "EE", "Tallinn"), job(4, "FR", "Paris")])
    with session_scope(url) as s:
        site = WebsiteProfile(
            source="sites",
            url="https://alpha.org/",
            site="https://alpha.org",
            name="Alpha",
            country="DE",
            city="Berlin",
        )
        upsert_items(s, [item_to_row(site, None)[0]])
        ids = {i.url: i.id for i in s.scalars(select(Item))}
        relevance = {1: 0.9, 2: 0.2, 3: 0.6, 4: 0.7}
        upsert_scores(
            s,
            [
                ScoreRow(
                    item_id=ids[f"https://board.example/jobs/{n}"],
                    model_version="v1",
                    relevance=p,
                    technologies={"open data": 0.8} if p >= 0.5 else {},
                    explanation={"relevant": p >= 0.5, "relevance_threshold": 0.5},
                )
                for n, p in relevance.items()
            ]
            + [
                ScoreRow(
                    item_id=ids["https://alpha.org/"],
                    model_version="v1",
                    relevance=0.8,
                    explanation={"relevant": True, "relevance_threshold": 0.5},
                )
            ],
        )
        alpha = upsert_candidate(
            s,
            CandidateRef(
                kind="organisation",
                key="alpha.org",
                name="Alpha",
                website="https://alpha.org/",
                country="DE",
                city="Berlin",
            ),
        )
        project = upsert_candidate(s, CandidateRef(kind="project", key="name:p", name="P"))
        link_evidence(s, alpha, ids["https://board.example/jobs/1"], "employer")
        link_evidence(s, project, ids["https://board.example/jobs/1"], "mention")
        set_status(s, alpha, "accepted")
        upsert_site_links(s, "sites", [("alpha.org", "beta.org")], seen_at=JAN)


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(path.open(encoding="utf-8")))


def test_frames_from_the_database(database_url: str) -> None:
    build(database_url)
    with session_scope(database_url) as s:
        harvest = load(s)
    assert harvest.model_version == "v1" and harvest.threshold == 0.5
    ads = harvest.adverts.set_index("url")
    assert len(ads) == 4
    assert ads["live"].to_dict() == {
        "https://board.example/jobs/1": False,
        "https://board.example/jobs/2": True,  # seen by the latest crawl
        "https://board.example/jobs/3": False,
        "https://board.example/jobs/4": True,
    }
    assert ads.loc["https://board.example/jobs/2", "lifetime_days"] == 28
    assert ads.loc["https://board.example/jobs/2", "region"] == "Baltic"
    assert ads["relevant"].sum() == 3
    assert harvest.candidates["name"].tolist() == ["Alpha", "P"]
    assert harvest.candidates.loc[0, "site"] == "alpha.org"
    assert harvest.candidates.loc[0, "evidence"] == 1
    assert harvest.websites.loc[0, "site_key"] == "alpha.org"
    assert harvest.links[["from_site", "to_site"]].values.tolist() == [["alpha.org", "beta.org"]]
    assert sorted(harvest.runs["started_at"].dt.month) == [1, 2]


def test_dsi_report_all(database_url: str, tmp_path: Path) -> None:
    build(database_url)
    out = tmp_path / "rep"
    res = run_dsi(
        "report", "all", "--out", str(out), "--min-count", "1", "--json", "--database", database_url
    )
    assert res.returncode == 0, res.stderr[-3000:]
    summary = json.loads(res.stdout)
    assert summary["model_version"] == "v1" and summary["skipped"] == {}
    series = read_csv(out / "trends_series.csv")
    assert [r["period"] for r in series] == ["2026-01", "2026-02"]
    assert [r["new"] for r in series] == ["3", "1"]
    assert [r["relevant"] for r in series] == ["2", "1"]
    assert [r["ended"] for r in series] == ["2", "0"]
    assert [r["stock"] for r in series] == ["1", "2"]
    regions = {r["region"]: r for r in read_csv(out / "geography_regions.csv")}
    assert regions["Western"]["adverts"] == "3" and regions["Baltic"]["adverts"] == "1"
    figures = {r["figure"]: r["value"] for r in read_csv(out / "network_figures.csv")}
    # Alpha (its site links to beta.org) and project P (co-mentioned by advert 1)
    assert figures["nodes"] == "3" and figures["edges"] == "2"
    for name in (
        "report.html",
        "network.graphml",
        "network.gexf",
        "charts/trends_counts.png",
        "charts/trends_counts.svg",
        "charts/network.png",
        "charts/geography_regions.svg",
    ):
        assert (out / name).is_file(), name
    page = (out / "report.html").read_text(encoding="utf-8")
    assert "model v1, relevance threshold 0.5" in page and "ROC-AUC of about 0.75" in page
    assert "http://" not in page and "https://" not in page.replace("https://board", "")


def test_small_counts_hidden_and_errors(sqlite_url: str, tmp_path: Path) -> None:
    build(sqlite_url)
    out = tmp_path / "rep"
    res = run_dsi("report", "trends", "--out", str(out), "--database", sqlite_url)
    assert res.returncode == 0, res.stderr[-3000:]
    series = read_csv(out / "trends_series.csv")
    assert [r["new"] for r in series] == ["", ""]  # 3 and 1 are below the default 10
    assert "report.html" in res.stdout
    res = run_dsi(
        "report", "trends", "--out", str(out), "--model-version", "v9", "--database", sqlite_url
    )
    assert res.returncode == 1 and "Error: model version 'v9' scored no item" in res.stderr
    res = run_dsi("report", "all", "--out", str(out / "report.html"), "--database", sqlite_url)
    assert res.returncode == 1 and "is not a folder" in res.stderr
    empty = tmp_path / "empty.sqlite3"
    assert run_dsi("db", "upgrade", "--database", f"sqlite:///{empty}").returncode == 0
    res = run_dsi("report", "trends", "--out", str(out), "--database", f"sqlite:///{empty}")
    assert res.returncode == 1 and "no job adverts stored" in res.stderr
