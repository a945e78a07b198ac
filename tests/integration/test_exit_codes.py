"""Exit codes that mean something, and one-line errors (real `dsi` processes)."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from storage.models import CrawlRun
from storage.session import session_scope
from tests.conftest import run_dsi


def crawl(database: str, spider: str, url: str, *extra: str) -> tuple[int, dict[str, Any], str]:
    proc = run_dsi(
        "crawl", "--spider", spider, "--url", url, "--json", "--database", database, *extra
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    return proc.returncode, json.loads(proc.stdout.strip().splitlines()[-1]), proc.stderr


def run_status(database: str, run_id: int) -> str:
    with session_scope(database) as s:
        run = s.get(CrawlRun, run_id)
        assert run is not None
        return run.status


@pytest.mark.slow
def test_ckan_url_answering_404_fails(sandbox: Any, sqlite_url: str) -> None:
    code, summary, stderr = crawl(
        sqlite_url,
        "opendata",
        f"{sandbox.base_url}/nope/ckan/",
        "-o",
        "api=ckan",
        "--allow-private-network",
    )
    assert (code, summary["status"]) == (3, "failed")
    assert run_status(sqlite_url, summary["run_id"]) == "failed"
    assert "failed: ended with reason 'incomplete'" in stderr


@pytest.mark.slow
def test_jobs_start_url_answering_404_fails(sandbox: Any, sqlite_url: str) -> None:
    code, summary, stderr = crawl(
        sqlite_url, "jobs", f"{sandbox.base_url}/nope/jobs/", "--allow-private-network"
    )
    assert (code, summary["status"], summary["items"]) == (3, "failed", 0)
    assert summary["errors_by_kind"] == {"http/404": 1}
    assert "failed: no page could be read: http/404=1" in stderr


@pytest.mark.slow
def test_source_refused_by_the_private_network_guard(sandbox: Any, sqlite_url: str) -> None:
    code, summary, stderr = crawl(sqlite_url, "jobs", f"{sandbox.base_url}/jobs/")
    assert (code, summary["status"], summary["pages"]) == (5, "refused", 0)
    assert run_status(sqlite_url, summary["run_id"]) == "refused"
    (line,) = [ln for ln in stderr.splitlines() if "refused by the network guard" in ln]
    assert "ERROR" in line and "allow_private_network" in line


@pytest.mark.slow
def test_connection_refused_is_one_line_with_its_cause(sqlite_url: str) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, summary, stderr = crawl(
        sqlite_url, "jobs", f"http://127.0.0.1:{port}/jobs/", "--allow-private-network"
    )
    assert (code, summary["status"]) == (3, "failed")
    assert "Connection refused" in stderr
    assert any(k.startswith("download/") for k in summary["errors_by_kind"])


@pytest.mark.slow
def test_a_good_crawl_exits_0(sandbox: Any, sqlite_url: str) -> None:
    code, summary, stderr = crawl(
        sqlite_url, "jobs", f"{sandbox.base_url}/jobs/", "--allow-private-network"
    )
    assert (code, summary["status"], summary["errors"]) == (0, "finished", 0)
    assert summary["items"] > 0
    # progress: plain lines off a terminal, the last one with the totals
    progress = [ln for ln in stderr.splitlines() if ln.startswith("crawl adhoc-jobs-127.0.0.1: ")]
    assert progress and f"{summary['pages']}/500 pages" in progress[-1]
    assert f"items={summary['items']}" in progress[-1] and "finished" in progress[-1]


@pytest.mark.parametrize(
    "args",
    [
        ["crawl", "--bogus"],
        ["runs", "show", "not-a-number"],
        ["no-such-command"],
        ["db", "status", "--json", "extra"],
    ],
)
def test_usage_errors_are_one_line_and_exit_1(args: list[str]) -> None:
    result = run_dsi(*args)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "╭" not in result.stderr and "Usage:" not in result.stderr


@pytest.mark.parametrize(
    ("url", "cause"),
    [
        ("postgresql+psycopg://postgres@127.0.0.1:1/test", "Connection refused"),
        ("postgresql+psycopg://postgres@no-such-host.invalid/test", "no-such-host.invalid"),
        ("postgresql+psycopg://postgres@127.0.0.1:5432/no_such_db_dsi", "does not exist"),
        ("mysqlx://u@127.0.0.1/db", "bad database URL"),
        ("not a url", "bad database URL"),
    ],
)
def test_bad_database_url_is_one_line(url: str, cause: str, tmp_path: Path) -> None:
    for args in (["db", "status"], ["crawl", "--spider", "jobs", "--url", "http://127.0.0.1:9/"]):
        result = run_dsi(*args, env={"DSI_DATABASE_URL": url})
        assert result.returncode == 1, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
        assert cause in lines[0]


def test_demo_with_its_port_taken() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        result = run_dsi("demo", "--port", str(port), "--no-classify")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"Error: cannot start the sandbox web on port {port}: Address already in use "
        "(choose another with --port)"
    )


SCRIPT = """
import json, sys
from dataclasses import replace
from crawler.cli.crawl import summarise
from crawler.runner import crawl_sources, project_settings
from crawler.sources import adhoc_source
base, database = sys.argv[1], sys.argv[2]
good = adhoc_source("jobs", [base + "/jobs/"], allow_private_network=True)
bad = replace(adhoc_source("jobs", [base + "/nope/"], allow_private_network=True), name="bad")
print(json.dumps(summarise(crawl_sources([good, bad], project_settings(database)))))
"""


@pytest.mark.slow
def test_error_counts_stay_with_their_source(sandbox: Any, sqlite_url: str) -> None:
    """Two sources crawled in one process: the 404 of one is not counted on the other."""
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, sandbox.base_url, sqlite_url],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    good, bad = json.loads(proc.stdout.strip().splitlines()[-1])
    assert (good["errors"], good["status"]) == (0, "finished")
    assert (bad["errors_by_kind"], bad["status"]) == ({"http/404": 1}, "failed")
