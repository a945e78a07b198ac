"""Backup and restore of the whole database, the same on SQLite and PostgreSQL.

A backup is a JSON Lines file (gzip-compressed when its name ends in ``.gz``): a header with the
format and the schema revision, one line per row (``{"table": ..., "row": {...}}``, tables in
dependency order), and a closing line with the row counts, so a truncated file is recognised.
Rows are read in one transaction (repeatable read on PostgreSQL): the backup is consistent while
crawls keep writing. Because it is plain data, a SQLite backup restores into PostgreSQL and back.

Restore goes into a database with no rows (it is migrated to the newest schema first) at the
backup's revision, in one transaction: all rows or none; PostgreSQL id sequences are moved past
the restored ids.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Table, func, insert, select, text
from sqlalchemy.engine import Connection

from storage.migrate import current_revision, upgrade
from storage.models import Base, UTCDateTime, utcnow
from storage.session import get_engine

FORMAT = "dsi-backup/1"
_BATCH = 500


class BackupError(ValueError):
    """A backup file that cannot be restored here (damaged, other revision, target not empty)."""


@contextmanager
def _open(path: Path, mode: str, *, gz: bool | None = None) -> Iterator[IO[str]]:
    """The file as text; gzip-compressed when ``gz`` (default: the name ends in ``.gz``)."""
    if path.suffix == ".gz" if gz is None else gz:
        with gzip.open(path, mode + "t", encoding="utf-8") as fh:
            yield fh  # type: ignore[misc]  # text mode: a TextIOWrapper
    else:
        with path.open(mode, encoding="utf-8") as fh:
            yield fh


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _dump_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


def _load_value(table: Table, column: str, value: Any) -> Any:
    if value is not None and isinstance(table.c[column].type, UTCDateTime):
        return datetime.fromisoformat(value)
    return value


def backup(url: str, path: Path) -> dict[str, int]:
    """Write every row of the database at ``url`` to ``path``; returns rows per table."""
    revision = current_revision(url)
    if revision is None:
        raise BackupError("the database has no schema yet: nothing to back up")
    counts: dict[str, int] = {}
    engine = get_engine(url)
    options = {"isolation_level": "REPEATABLE READ"} if engine.dialect.name == "postgresql" else {}
    tmp = path.with_name(path.name + ".part")
    with (
        engine.connect().execution_options(**options) as conn,
        conn.begin(),
        _open(tmp, "w", gz=path.suffix == ".gz") as out,
    ):
        header = {"format": FORMAT, "revision": revision, "dialect": engine.dialect.name,
                  "created_at": utcnow().isoformat()}  # fmt: skip
        out.write(json.dumps(header) + "\n")
        for table in _tables():
            n = 0
            for row in conn.execute(select(table).order_by(*table.primary_key.columns)):
                data = {k: _dump_value(v) for k, v in row._mapping.items()}
                out.write(json.dumps({"table": table.name, "row": data}, ensure_ascii=True) + "\n")
                n += 1
            counts[table.name] = n
        out.write(json.dumps({"end": True, "counts": counts}) + "\n")
    tmp.replace(path)  # a backup file exists only once it is complete
    return counts


def _header(fh: IO[str], path: Path) -> dict[str, Any]:
    try:
        header = json.loads(fh.readline() or "{}")
    except ValueError:
        header = {}
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"{path} is not a dsi backup ({FORMAT})")
    return header


def _rows(fh: IO[str], path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(table, row)`` of each line; BackupError for a damaged or cut-short file."""
    for number, line in enumerate(fh, start=2):
        try:
            record = json.loads(line)
            if record.get("end"):
                return
            yield str(record["table"]), dict(record["row"])
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BackupError(f"{path}: line {number} is not a backup row") from None
    raise BackupError(f"{path} is incomplete (no end line): the backup was cut short")


def restore(url: str, path: Path) -> dict[str, int]:
    """Load a backup into the empty database at ``url``; returns rows per table."""
    tables = {t.name: t for t in _tables()}
    counts = dict.fromkeys(tables, 0)
    with _open(path, "r") as fh:
        header = _header(fh, path)
        upgrade(url)
        here = current_revision(url)
        if header.get("revision") != here:
            raise BackupError(
                f"the backup is at schema revision {header.get('revision')}, the database at {here}"
            )
        with get_engine(url).begin() as conn:
            for existing in tables.values():
                if conn.execute(select(func.count()).select_from(existing)).scalar():
                    raise BackupError(f"the database is not empty (table {existing.name} has rows)")
            batch: list[dict[str, Any]] = []
            current: Table | None = None
            for name, row in _rows(fh, path):
                if name not in tables:
                    raise BackupError(f"{path}: unknown table {name!r}")
                table = tables[name]
                if table is not current or len(batch) >= _BATCH:
                    if current is not None and batch:
                        conn.execute(insert(current), batch)
                    current, batch = table, []
                batch.append({k: _load_value(table, k, v) for k, v in row.items()})
                counts[name] += 1
            if current is not None and batch:
                conn.execute(insert(current), batch)
            if conn.dialect.name == "postgresql":
                _advance_sequences(conn, list(tables.values()))
    return counts


def _advance_sequences(conn: Connection, tables: list[Table]) -> None:
    """Move each table's id sequence past the restored ids."""
    for table in tables:
        if "id" not in table.c:
            continue
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f'COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM "{table.name}"'
            )
        )
