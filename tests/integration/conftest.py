"""One `dsi demo` run per test process, shared by the tests that read a whole sandbox crawl.

`dsi demo` (sandbox web -> crawl every source -> store -> classify) takes about a minute; the
tests that need its database (the demo's own idempotence check, the reports, the relevance
sanity check) each work on a *copy* of it, so none sees another's writes. With ``pytest -n``
the run is made once for all workers: the first to need it makes it under a file lock in the
run's shared temporary directory, the others read it (pytest-xdist's documented pattern)."""

from __future__ import annotations

import json
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from tests.conftest import run_dsi


def free_port() -> int:
    """A port free on 127.0.0.1 now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def free_port_block(n: int = 32) -> int:
    """A port P such that P..P+n look free now (the sandbox falls back to free ports anyway)."""
    for _ in range(50):
        base = free_port()
        if base + n >= 65535:
            continue
        ok = True
        for p in range(base, base + n):
            with socket.socket() as t:
                try:
                    t.bind(("127.0.0.1", p))
                except OSError:
                    ok = False
                    break
        if ok:
            return base
    raise RuntimeError("no free block of ports")


@dataclass(frozen=True)
class DemoRun:
    """A finished `dsi demo`: its directory (database, models, spool), port and JSON summary."""

    directory: Path
    port: int
    summary: dict[str, Any]

    def copy(self, dest: Path) -> tuple[str, dict[str, str]]:
        """A private copy in ``dest``: (database URL, environment for further `dsi` calls)."""
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copy2(self.directory / "demo.sqlite3", dest / "demo.sqlite3")
        shutil.copytree(self.directory / "models", dest / "models", dirs_exist_ok=True)
        env = {"DSI_MODEL_DIR": str(dest / "models"), "DSI_SPOOL_DIR": str(dest / "spool")}
        return f"sqlite:///{dest / 'demo.sqlite3'}", env


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> DemoRun:
    shared = tmp_path_factory.getbasetemp()
    if worker_id != "master":  # every xdist worker has its own basetemp under one parent
        shared = shared.parent
    directory = shared / "demo-run"
    with FileLock(str(shared / "demo-run.lock")):
        done = directory / "summary.json"
        if done.is_file():
            saved = json.loads(done.read_text(encoding="utf-8"))
            return DemoRun(directory, saved["port"], saved["summary"])
        directory.mkdir(exist_ok=True)
        port = free_port_block()
        env = {
            "DSI_MODEL_DIR": str(directory / "models"),
            "DSI_SPOOL_DIR": str(directory / "spool"),
        }
        db = f"sqlite:///{directory / 'demo.sqlite3'}"
        result = run_dsi(
            "demo", "--json", "--port", str(port), "--database", db, env=env, timeout=900
        )
        assert result.returncode == 0, result.stderr[-4000:]
        summary = json.loads(result.stdout)
        done.write_text(json.dumps({"port": port, "summary": summary}), encoding="utf-8")
        return DemoRun(directory, port, summary)
