"""Shared fixtures: databases (SQLite and real PostgreSQL), Chromium, the sandbox web, the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = os.environ.get(
    "DSI_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("DSI_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def service_missing(what: str, detail: str, problem: str = "is not reachable") -> None:
    """A missing service (or Chromium) fails under CI=true and skips elsewhere."""
    message = f"{what} {problem} ({detail})"
    if IN_CI:
        pytest.fail(message + " -- required under CI=true", pytrace=False)
    pytest.skip(message)


@pytest.fixture
def chromium() -> Path:
    """The Chromium the crawler uses (``DSI_CHROMIUM_PATH``, Debian's by default); a missing one
    fails under CI=true and skips elsewhere, like a missing service."""
    from crawler.settings import DSI_CHROMIUM_PATH

    path = Path(DSI_CHROMIUM_PATH)
    if not path.is_file():
        service_missing("Chromium", f"no file {path}; set DSI_CHROMIUM_PATH", "is not installed")
    return path


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session (dropped at the end)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"dsi_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # pragma: no cover - depends on the machine
        admin.dispose()
        service_missing("PostgreSQL", str(exc).splitlines()[0])
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    from storage.session import get_engine

    get_engine(url).dispose()
    get_engine.cache_clear()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _fresh_sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'dsi.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty, migrated database: SQLite file and real PostgreSQL (each test gets a clean one)."""
    from storage.migrate import upgrade

    if request.param == "sqlite":
        url = _fresh_sqlite_url(tmp_path)
        upgrade(url)
        yield url
        return
    base = request.getfixturevalue("postgres_server_url")
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:10]}"
    eng = create_engine(base, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}?options=-csearch_path%3D{schema}"
    upgrade(url)
    yield url
    from storage.session import get_engine

    get_engine(url).dispose()
    with eng.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    eng.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """An empty, migrated SQLite database."""
    from storage.migrate import upgrade

    url = _fresh_sqlite_url(tmp_path)
    upgrade(url)
    return url


@pytest.fixture(scope="session")
def sandbox() -> Iterator[object]:
    """The bundled sandbox web on free 127.0.0.1 ports, for the whole test session."""
    from sandbox.server import SandboxServer

    with SandboxServer(port=0) as server:
        yield server


def run_dsi(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """Run the installed ``dsi`` command (a real process: one Twisted reactor each)."""
    full_env = {**os.environ, **(env or {})}
    exe = Path(sys.executable).parent / "dsi"
    return subprocess.run(
        [str(exe), *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or ROOT,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def dsi() -> object:
    return run_dsi


def crawl_adhoc(
    spider: str, url: str, database: str, *options: str, exit_code: int = 0
) -> dict[str, Any]:
    """`dsi crawl --spider S --url U -o k=v ... --json` in a real process; its summary + log
    (``exit_code``: the one expected, see crawler.outcome)."""
    args = ["crawl", "--spider", spider, "--url", url, "--allow-private-network"]
    args += ["--database", database, "--json"]
    for option in options:
        args += ["-o", option]
    proc = run_dsi(*args)
    assert proc.returncode == exit_code, proc.stderr[-3000:]
    summary: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    summary["log"] = proc.stderr
    return summary


@pytest.fixture
def empty_postgres_url(postgres_server_url: str) -> Iterator[str]:
    """An empty schema (no tables, no alembic_version) in the session's PostgreSQL database."""
    from sqlalchemy import create_engine, text

    schema = f"empty_{uuid.uuid4().hex[:10]}"
    engine = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{postgres_server_url}?options=-csearch_path%3D{schema}"
    with engine.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()
