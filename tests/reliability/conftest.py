"""Fixtures of the reliability tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text


@pytest.fixture
def empty_postgres_url(postgres_server_url: str) -> Iterator[str]:
    """An empty schema (no tables, no alembic_version) in the session's PostgreSQL database."""
    schema = f"race_{uuid.uuid4().hex[:10]}"
    engine = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield f"{postgres_server_url}?options=-csearch_path%3D{schema}"
    with engine.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()
