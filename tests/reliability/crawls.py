"""Crawls of a small scaled sandbox job board in real ``dsi`` processes, for the kill -9 and
database-outage tests: start one, wait for a moment, read what the board served."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

SOURCE = "sandbox-jobs"
#: adverts added to the sandbox board: ~175 pages, a few seconds per crawl
SCALE = 150


def sources_file(board: Any, folder: Path) -> Path:
    path = folder / "sources.toml"
    if not path.exists():
        path.write_text(board.sources_toml(), encoding="utf-8")
    return path


def start_crawl(
    sources: Path, database: str, env: dict[str, str] | None = None, *extra: str
) -> subprocess.Popen[str]:
    """``dsi crawl sandbox-jobs --json`` as a child process (output captured)."""
    exe = Path(sys.executable).parent / "dsi"
    args = [str(exe), "crawl", SOURCE, "--sources", str(sources), "--max-pages", "2000"]
    return subprocess.Popen(
        [*args, *extra, "--json", "--database", database],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def page_fetches(board: Any, since: int = 0) -> Counter[tuple[int, str]]:
    """How often the board served each page (robots.txt left out: once per process), counting
    from its ``since``-th request."""
    return Counter(
        (port, target)
        for port, _method, target in board.requests[since:]
        if target != "/robots.txt"
    )


def wait_until(
    proc: subprocess.Popen[str], condition: Callable[[], bool], *, timeout: float = 120
) -> None:
    """Poll ``condition`` while ``proc`` runs; fails when the crawl ends first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(
                f"the crawl ended first: {proc.stderr.read()[-2000:] if proc.stderr else ''}"
            )
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("the crawl did not reach the moment in time")
