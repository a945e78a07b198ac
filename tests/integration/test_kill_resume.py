"""A crawl killed with SIGKILL: flushed items stay, the run is later marked interrupted, and the
next run completes without duplicates."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from storage.items import count_items
from storage.models import CrawlRun
from storage.session import session_scope
from tests.conftest import ROOT, run_dsi

pytestmark = pytest.mark.slow


def test_kill_9_then_rerun(sandbox: Any, sqlite_url: str, tmp_path: Path) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "board"\nspider = "jobs"\nurls = ["{sandbox.base_url}/jobs/"]\n'
        "allow_private_network = true\n",
        encoding="utf-8",
    )
    env = {**os.environ, "DSI_STORE_BATCH_SIZE": "5", "DSI_SPOOL_DIR": str(tmp_path / "spool")}
    exe = Path(sys.executable).parent / "dsi"
    args = [str(exe), "crawl", "board", "--sources", str(sources), "--database", sqlite_url]
    proc = subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 120
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.2)
        with session_scope(sqlite_url) as s:
            stored = count_items(s)
        if stored >= 10:
            break
    assert proc.poll() is None, "the crawl ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    with session_scope(sqlite_url) as s:
        (run,) = s.scalars(select(CrawlRun)).all()
        assert run.status == "running"  # nobody could close it
        assert count_items(s) >= 10  # flushed batches survived the kill

    again = run_dsi(
        "crawl",
        "board",
        "--sources",
        str(sources),
        "--json",
        "--database",
        sqlite_url,
        env={"DSI_SPOOL_DIR": str(tmp_path / "spool")},
    )
    assert again.returncode == 0, again.stderr[-3000:]
    summary = json.loads(again.stdout)
    with session_scope(sqlite_url) as s:
        runs = s.scalars(select(CrawlRun).order_by(CrawlRun.id)).all()
        assert [r.status for r in runs] == ["interrupted", "finished"]
        assert "died" in (runs[0].error or "")
        # every advert once: the re-run re-fetched what was lost and merged what was kept
        assert count_items(s) == summary["items"]
