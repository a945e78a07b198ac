"""Two first crawls on a new PostgreSQL database do not race in the migration (issue #24,
finding 7): upgrades are serialised by an advisory lock, so every concurrent upgrade ends well
and the schema is created once."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import text

from tests.conftest import ROOT

UPGRADE = "import sys; from storage.migrate import upgrade; upgrade(sys.argv[1])"


@pytest.mark.postgres
def test_concurrent_first_upgrades_all_succeed(empty_postgres_url: str) -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", UPGRADE, empty_postgres_url],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [(p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in processes]
    failures = [err[-600:] for code, err in results if code != 0]
    assert failures == [], failures
    from storage.migrate import current_revision
    from storage.session import get_engine

    try:
        assert current_revision(empty_postgres_url) is not None
        with get_engine(empty_postgres_url).connect() as conn:
            versions = conn.execute(text("SELECT count(*) FROM alembic_version")).scalar()
        assert versions == 1
    finally:
        get_engine(empty_postgres_url).dispose()
