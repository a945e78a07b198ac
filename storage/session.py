"""Engines and sessions; the default database; translating a lost database into our error."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_SQLITE_PATH = Path("var") / "dsi.sqlite3"


class StorageUnavailable(RuntimeError):
    """The database cannot be reached (down, gone mid-crawl, wrong URL)."""


def default_database_url() -> str:
    """``DSI_DATABASE_URL`` or an SQLite file under ``./var/`` (created on demand)."""
    url = os.environ.get("DSI_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{DEFAULT_SQLITE_PATH}"


def _ensure_sqlite_dir(url: str) -> None:
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


@lru_cache(maxsize=8)
def get_engine(url: str) -> Engine:
    """One engine per URL per process."""
    _ensure_sqlite_dir(url)
    kwargs: dict[str, object] = {"future": True}
    if url.startswith("postgresql"):
        kwargs |= {"pool_pre_ping": True, "connect_args": {"connect_timeout": 10}}
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def session_factory(url: str) -> sessionmaker[Session]:
    return sessionmaker(bind=get_engine(url), expire_on_commit=False)


def is_connection_error(exc: BaseException) -> bool:
    """True when ``exc`` means the database went away (as opposed to a bad statement)."""
    if isinstance(exc, OperationalError):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


@contextmanager
def session_scope(url: str) -> Iterator[Session]:
    """A transaction: commit on success, roll back on error; lost databases raise ours."""
    session = session_factory(url)()
    try:
        yield session
        session.commit()
    except Exception as exc:
        session.rollback()
        if is_connection_error(exc):
            raise StorageUnavailable(
                f"database unavailable ({redact(url)}): {exc.__class__.__name__}"
            ) from exc
        raise
    finally:
        session.close()


def dialect_insert(where: Session | str) -> Any:
    """The INSERT construct with ``ON CONFLICT`` (upserts) of a session's database, or of a
    dialect by name: PostgreSQL's, else SQLite's."""
    dialect = where if isinstance(where, str) else where.get_bind().dialect.name
    return pg_insert if dialect == "postgresql" else sqlite_insert


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # pragma: no cover - a malformed URL is shown as given
        return url
