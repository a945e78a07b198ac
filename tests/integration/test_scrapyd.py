"""Deployment to scrapyd for real: a scrapyd on a free 127.0.0.1 port with its own directories,
the project deployed with ``scrapyd-deploy`` and the shipped scrapy.cfg, a ``jobs`` job of a
declared source scheduled against the sandbox, its items checked in the database."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from storage.items import count_items
from storage.models import CrawlRun
from storage.session import session_scope
from tests.conftest import ROOT
from tests.integration.conftest import free_port

pytestmark = pytest.mark.slow

#: what scrapyd-deploy packs: the project as an operator checks it out (no tests, no venv)
PROJECT_FILES = ("pyproject.toml", "setup.py", "scrapy.cfg", "README.md")
PACKAGES = ("crawler", "spiders", "classifiers", "storage", "sandbox", "matching", "review")
PACKAGES += ("reports",)


def api(base: str, endpoint: str, *, post: bool = False, **form: str) -> dict[str, Any]:
    """One call of scrapyd's JSON API (GET, or POST of ``form``); its answer must be ``ok``."""
    query = urllib.parse.urlencode(form)
    url, data = f"{base}/{endpoint}?{query}", None
    if post:
        url, data = f"{base}/{endpoint}", query.encode()
    with urllib.request.urlopen(url, data=data, timeout=30) as response:
        answer: dict[str, Any] = json.load(response)
    assert answer["status"] == "ok", answer
    return answer


@pytest.fixture
def scrapyd(tmp_path: Path, sandbox: Any) -> Iterator[tuple[str, dict[str, str]]]:
    """A scrapyd on 127.0.0.1 whose jobs crawl into a SQLite file from the sandbox's sources."""
    home = tmp_path / "scrapyd"
    home.mkdir()
    port = free_port()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        f"bind_address = 127.0.0.1\nhttp_port = {port}\npoll_interval = 0.2\nmax_proc = 1\n"
        f"eggs_dir = {home / 'eggs'}\nlogs_dir = {home / 'logs'}\ndbs_dir = {home / 'dbs'}\n"
        "items_dir =\n",
        encoding="utf-8",
    )
    sources = tmp_path / "sources.toml"
    sources.write_text(sandbox.sources_toml(), encoding="utf-8")
    env = {
        **os.environ,
        "DSI_DATABASE_URL": f"sqlite:///{tmp_path / 'dsi.sqlite3'}",
        "DSI_SOURCES": str(sources),
        "DSI_SPOOL_DIR": str(tmp_path / "spool"),
    }
    exe = Path(sys.executable).parent / "scrapyd"
    proc = subprocess.Popen(
        [str(exe)], cwd=home, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                api(base, "daemonstatus.json")
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
                assert time.monotonic() < deadline, "scrapyd did not start"
                time.sleep(0.2)
        yield base, env
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_deploy_and_run_a_jobs_source(scrapyd: tuple[str, dict[str, str]], tmp_path: Path) -> None:
    base, env = scrapyd
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in PROJECT_FILES:
        shutil.copy(ROOT / name, checkout / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for package in PACKAGES:
        shutil.copytree(ROOT / package, checkout / package, ignore=ignore)
    deploy = Path(sys.executable).parent / "scrapyd-deploy"
    proc = subprocess.run(
        [str(deploy), "env", "--version", "1"],
        cwd=checkout,
        env={**env, "SCRAPYD_URL": base + "/"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:] + proc.stdout[-3000:]
    assert json.loads(proc.stdout)["spiders"] == 3  # jobs, opendata, website
    with zipfile.ZipFile(next((tmp_path / "scrapyd" / "eggs").rglob("*.egg"))) as egg:
        names = egg.namelist()
        entry_points = egg.read("EGG-INFO/entry_points.txt").decode()
    assert "[scrapy]\nsettings = crawler.settings" in entry_points
    assert not [n for n in names if not n.startswith("EGG-INFO/")]  # the installed code runs
    assert api(base, "listspiders.json", project="dsi-crawler")["spiders"] == [
        "jobs",
        "opendata",
        "website",
    ]

    form = {"project": "dsi-crawler", "spider": "jobs", "source": "sandbox-jobs"}
    job = api(base, "schedule.json", post=True, **form)
    deadline = time.monotonic() + 240
    while not any(j["id"] == job["jobid"] for j in api(base, "listjobs.json")["finished"]):
        assert time.monotonic() < deadline, "the scrapyd job did not finish"
        time.sleep(0.5)

    log = next((tmp_path / "scrapyd" / "logs").rglob(f"{job['jobid']}.log")).read_text("utf-8")
    assert "Traceback" not in log, log[-3000:]
    with session_scope(env["DSI_DATABASE_URL"]) as s:
        (run,) = s.scalars(select(CrawlRun)).all()
        assert (run.source, run.status) == ("sandbox-jobs", "finished"), log[-3000:]
        assert count_items(s, source="sandbox-jobs") == run.stats["item_scraped_count"] > 10
