"""``dsi users``, ``dsi review`` and ``dsi bench review`` end to end."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from crawler.cli.app import main
from review.auth import verify_password
from storage.models import QueueEntry, ReviewSetting, ReviewUser
from storage.session import session_scope
from tests.conftest import run_dsi
from tests.integration.conftest import free_port
from tests.review_data import seed


@pytest.fixture
def invoke(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str]]:
    """Run ``dsi ARGS`` in this process through its entry point (errors become one line)."""

    def run(*args: str) -> tuple[int, str]:
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        captured = capsys.readouterr()
        return code, captured.out + captured.err

    return run


def test_users_add_passwd_disable_list(database_url: str, invoke: Any) -> None:
    code, out = invoke(
        "users",
        "add",
        "eve",
        "--role",
        "admin",
        "--password",
        "long enough pw",
        "--database",
        database_url,
    )
    assert code == 0 and "added admin eve" in out
    code, out = invoke("users", "add", "eve", "--password", "long enough pw", "-d", database_url)
    assert code == 1 and "exists already" in out
    code, out = invoke("users", "add", "fay", "--password", "short", "-d", database_url)
    assert code == 1 and "at least 10 characters" in out
    code, out = invoke(
        "users", "add", "gus", "--role", "boss", "--password", "long enough pw", "-d", database_url
    )
    assert code == 1 and "unknown role 'boss'" in out
    code, _ = invoke("users", "passwd", "eve", "--password", "another long one", "-d", database_url)
    assert code == 0
    code, out = invoke("users", "disable", "eve", "-d", database_url)
    assert code == 0 and "eve disabled" in out
    code, out = invoke(
        "users", "passwd", "nobody", "--password", "another long one", "-d", database_url
    )
    assert code == 1 and "no user 'nobody'" in out
    code, out = invoke("users", "list", "--json", "-d", database_url)
    assert json.loads(out) == [{"username": "eve", "role": "admin", "active": False}]
    with session_scope(database_url) as session:
        user = session.scalars(select(ReviewUser)).one()
        assert user.password_hash.startswith("$argon2id$")
        assert verify_password(user.password_hash, "another long one")
        assert not verify_password(user.password_hash, "long enough pw")


def test_review_reindex_rebuilds_queue_rows(sqlite_url: str, invoke: Any) -> None:
    seed(sqlite_url)
    with session_scope(sqlite_url) as session:
        for row in session.scalars(select(QueueEntry)):
            session.delete(row)
    code, out = invoke("review", "reindex", "-d", sqlite_url)
    assert code == 0 and "8 queue rows rebuilt" in out
    with session_scope(sqlite_url) as session:
        row = session.scalars(select(QueueEntry).where(QueueEntry.country == "NL")).one()
        assert row.sources == "|jobs-nl|" and row.languages == "|nl|"
        assert "repair cafes" in row.search_text


def test_review_serve_in_a_real_process(sqlite_url: str, tmp_path: Path) -> None:
    seed(sqlite_url)
    port = free_port()
    exe = Path(sys.executable).parent / "dsi"
    proc = subprocess.Popen(
        [str(exe), "review", "serve", "--port", str(port), "--database", sqlite_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "DSI_REVIEW_OVERLAP": "0.5"},
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5) as r:
                    headers, body = r.headers, r.read().decode()
                break
            except (urllib.error.URLError, ConnectionError):
                assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
                assert time.monotonic() < deadline, "dsi review serve did not answer"
                time.sleep(0.3)
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert 'name="csrf_token"' in body
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/queue", timeout=5)
            raise AssertionError("a stranger read the queue")
        except urllib.error.HTTPError as exc:
            assert exc.code == 401
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    with session_scope(sqlite_url) as session:
        # a per-install secret key was generated on first run; the overlap share was applied
        assert len(session.get(ReviewSetting, "secret_key").value) == 64  # type: ignore[union-attr]
        flags = [q.overlap for q in session.scalars(select(QueueEntry))]
        assert any(flags) and not all(flags)


def test_installed_dsi_bench_review_small(tmp_path: Path) -> None:
    result = run_dsi("bench", "review", "--candidates", "500", "--repeat", "1", "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(result.stdout)["sqlite"]
    assert figures["candidates"] == 500 and 8 <= figures["requests"] <= 24  # 8 queries, 1-3 pages
    assert figures["p95_ms"] > 0 and figures["baseline_p95_ms"] > 0
