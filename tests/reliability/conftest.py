"""Fixtures of the reliability tests: a small scaled sandbox board and its reference crawl."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storage.items import count_items
from storage.session import session_scope
from tests.reliability.crawls import SCALE, page_fetches, sources_file, start_crawl


@pytest.fixture(scope="session")
def board() -> Iterator[Any]:
    """The sandbox web with ``SCALE`` generated adverts, for this session."""
    from sandbox.server import SandboxServer

    with SandboxServer(port=0, scale=SCALE) as server:
        yield server


@pytest.fixture(scope="session")
def reference(board: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One uninterrupted crawl of the board: its summary, stored items and pages served."""
    from storage.migrate import upgrade

    tmp = tmp_path_factory.mktemp("reference")
    url = f"sqlite:///{tmp / 'db.sqlite3'}"
    upgrade(url)
    board.clear_requests()
    proc = start_crawl(sources_file(board, tmp), url)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-3000:]
    summary: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    with session_scope(url) as s:
        summary["stored_items"] = count_items(s)
    summary["pages_served"] = set(page_fetches(board))
    board.clear_requests()
    return summary


@pytest.fixture
def crawl_folder(tmp_path: Path) -> Path:
    (tmp_path / "spool").mkdir()
    return tmp_path
