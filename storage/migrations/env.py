"""Alembic environment: uses the URL handed over by ``storage.migrate`` and batch mode on SQLite.

On PostgreSQL every migration run first takes a transaction-level advisory lock, so two
processes that upgrade the same database at once (two first crawls) run one after the other:
the second finds the schema at head and does nothing.
"""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import text

from storage.models import Base
from storage.session import get_engine

config = context.config
url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
target_metadata = Base.metadata
#: The advisory lock key of schema migrations ("dsi-migrate" as a 63-bit number).
MIGRATION_LOCK_KEY = 0x6473692D6D696772


def _serialise(connection: Any) -> None:
    """Wait for any other migration of this PostgreSQL database (released at commit)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})


def run_migrations_offline() -> None:
    context.configure(
        url=url, target_metadata=target_metadata, literal_binds=True, render_as_batch=True
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            _serialise(connection)
            context.run_migrations()
        return
    engine = get_engine(str(url))
    with engine.connect() as conn:
        context.configure(
            connection=conn,
            target_metadata=target_metadata,
            render_as_batch=True,
            compare_type=True,
        )
        with context.begin_transaction():
            _serialise(conn)
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
