"""The durable frontier of a plain ``dsi crawl``: its storage on SQLite and PostgreSQL, and how a
crawl resumes from it, or starts over with ``--fresh`` (kill -9 itself: tests/reliability)."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request

from storage.frontier import (
    DONE,
    LEASED,
    FrontierChanges,
    QueuedRequest,
    clear_frontier,
    frontier_counts,
    load_frontier,
    write_changes,
)
from storage.session import session_scope
from tests.conftest import run_dsi


def queued(
    key: str, priority: int = 0, seq: int = 0, url: str = "http://127.0.0.1:9/"
) -> QueuedRequest:
    blob = pickle.dumps(Request(url).to_dict(), protocol=4)
    return QueuedRequest(key, key[:40], priority, seq, blob)


def test_changes_are_stored_and_loaded_in_queue_order(database_url: str) -> None:
    with session_scope(database_url) as s:
        write_changes(
            s,
            "board",
            FrontierChanges(
                added=[queued("a" * 40, 0, 0), queued("b" * 40, 5, 1), queued("c" * 40, 0, 2)],
                states={"a" * 40: LEASED, "c" * 40: LEASED},
            ),
        )
        write_changes(s, "board", FrontierChanges(states={"c" * 40: DONE}))
        write_changes(s, "other", FrontierChanges(added=[queued("d" * 40)]))
    with session_scope(database_url) as s:
        state = load_frontier(s, "board")
        assert [r.key for r in state.pending] == ["b" * 40, "a" * 40]  # priority, then order
        assert state.leased == 1 and state.next_seq == 3
        assert state.seen == {"a" * 40, "b" * 40, "c" * 40}  # done ones stay seen
        assert frontier_counts(s, "board") == {"queued": 1, "leased": 1, "done": 1}
        # a fetch that failed for good is forgotten: not seen any more
        write_changes(s, "board", FrontierChanges(forgotten={"c" * 40}))
        write_changes(s, "board", FrontierChanges(added=[queued("a" * 40, 9, 9)]))  # known key
    with session_scope(database_url) as s:
        state = load_frontier(s, "board")
        assert "c" * 40 not in state.seen and len(state.pending) == 2
        assert clear_frontier(s, "board") == 2
        assert frontier_counts(s, "board") == {} and frontier_counts(s, "other") == {"queued": 1}


def _plant(url: str, sandbox: Any) -> None:
    """What a killed crawl leaves: one page in flight."""
    with session_scope(url) as s:
        write_changes(
            s,
            "board",
            FrontierChanges(
                added=[queued("e" * 40, url=f"{sandbox.base_url}/jobs/")],
                states={"e" * 40: LEASED},
            ),
        )


@pytest.mark.slow
def test_a_left_frontier_is_resumed_or_dropped_with_fresh(
    sandbox: Any, sqlite_url: str, tmp_path: Path
) -> None:
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[[source]]\nname = "board"\nspider = "jobs"\nurls = ["{sandbox.base_url}/jobs/"]\n'
        "allow_private_network = true\nmax_pages = 4\n",
        encoding="utf-8",
    )
    args = ["crawl", "board", "--sources", str(sources), "--database", sqlite_url, "--json"]
    _plant(sqlite_url, sandbox)
    resumed = run_dsi(*args)
    assert resumed.returncode == 0, resumed.stderr[-3000:]
    assert "resuming the crawl of board from its frontier: 1 requests queued, 1 of them" in (
        resumed.stderr
    )
    _plant(sqlite_url, sandbox)
    fresh = run_dsi(*args, "--fresh")
    assert fresh.returncode == 0, fresh.stderr[-3000:]
    assert "resuming" not in fresh.stderr
    with session_scope(sqlite_url) as s:
        assert frontier_counts(s, "board") == {}  # ended on its page budget: cleared
    listing = run_dsi("runs", "--database", sqlite_url, "--json")
    latest, first = json.loads(listing.stdout)
    assert (first["resumed"], first["requeued"]) == (True, 1)
    assert (latest["resumed"], latest["requeued"]) == (False, 0)
    assert "resumed (requeued 1)" in run_dsi("runs", "--database", sqlite_url).stdout


def test_fresh_is_refused_with_distributed(tmp_path: Path) -> None:
    result = run_dsi(
        "crawl", "--spider", "jobs", "--url", "http://127.0.0.1:9/", "--distributed", "--fresh",
        "--database", f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )  # fmt: skip
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Error: ") and "--fresh" in line
