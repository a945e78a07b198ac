"""Scrapy's own `scrapy crawl` with the shipped scrapy.cfg, end to end against the sandbox."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from storage.items import count_items
from storage.models import CrawlRun
from storage.session import session_scope
from tests.conftest import ROOT

pytestmark = pytest.mark.slow


def scrapy(tmp_path: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`scrapy` run from a directory holding only the shipped scrapy.cfg."""
    shutil.copy(ROOT / "scrapy.cfg", tmp_path / "scrapy.cfg")
    exe = Path(sys.executable).parent / "scrapy"
    return subprocess.run(
        [str(exe), *args],
        cwd=tmp_path,
        env={**os.environ, "DSI_SPOOL_DIR": str(tmp_path / "spool"), **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_scrapy_crawl_a_declared_source(sandbox: Any, sqlite_url: str, tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(sandbox.sources_toml(), encoding="utf-8")
    env = {"DSI_SOURCES": str(sources), "DSI_DATABASE_URL": sqlite_url}
    proc = scrapy(tmp_path, "crawl", "jobs", "-a", "source=sandbox-jobs", env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr
    with session_scope(sqlite_url) as s:
        (run,) = s.scalars(select(CrawlRun)).all()
        assert (run.source, run.status, run.health) == ("sandbox-jobs", "finished", "ok")
        assert count_items(s, source="sandbox-jobs") == run.stats["item_scraped_count"] > 10


def test_scrapy_crawl_an_adhoc_url(sandbox: Any, sqlite_url: str, tmp_path: Path) -> None:
    args = ["crawl", "opendata", "-a", f"url={sandbox.base_url}/ckan/", "-a", "api=ckan"]
    args += ["-a", "allow_private_network=true", "-a", "max_pages=40"]
    proc = scrapy(tmp_path, *args, env={"DSI_DATABASE_URL": sqlite_url})
    assert proc.returncode == 0, proc.stderr[-3000:]
    with session_scope(sqlite_url) as s:
        (run,) = s.scalars(select(CrawlRun)).all()
        assert run.status == "finished" and run.spider == "opendata"
        assert count_items(s, spider="opendata") > 10


def test_scrapy_crawl_of_a_source_for_another_spider(sandbox: Any, tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(sandbox.sources_toml(), encoding="utf-8")
    db = tmp_path / "db.sqlite3"
    env = {"DSI_SOURCES": str(sources), "DSI_DATABASE_URL": f"sqlite:///{db}"}
    proc = scrapy(tmp_path, "crawl", "jobs", "-a", "source=sandbox-ckan", env=env)
    assert proc.stderr.strip().splitlines()[-1] == (
        "Error: source 'sandbox-ckan' is for spider 'opendata', not 'jobs'"
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert not db.exists()  # nothing started


@pytest.mark.parametrize(
    ("path", "options", "code", "status"),
    [
        ("/jobs/", [], 5, "refused"),  # the private-network guard refused the source
        ("/no-such-page/", ["-a", "allow_private_network=true"], 3, "failed"),  # a 404
    ],
)
def test_scrapy_crawl_exits_with_the_runs_outcome(
    sandbox: Any, tmp_path: Path, path: str, options: list[str], code: int, status: str
) -> None:
    """The same codes as `dsi crawl` (crawler.outcome), through the project's crawl command."""
    db_url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    args = ["crawl", "jobs", "-a", f"url={sandbox.base_url}{path}", *options]
    proc = scrapy(tmp_path, *args, env={"DSI_DATABASE_URL": db_url})
    assert proc.returncode == code, proc.stderr[-3000:]
    with session_scope(db_url) as s:
        (run,) = s.scalars(select(CrawlRun)).all()
        assert run.status == status
