"""``dsi db``: schema migrations and database status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from crawler.cli.common import DatabaseOption, JsonOption, database_url
from storage import backup as backups
from storage import migrate
from storage.items import counts_by_spider
from storage.runs import recent_runs
from storage.session import redact, session_scope

app = typer.Typer(help="Database schema and status.", no_args_is_help=True)


@app.command()
def upgrade(database: DatabaseOption = None, revision: str = "head") -> None:
    """Create or migrate the schema to the latest revision (idempotent).

    Example: dsi db upgrade --database postgresql+psycopg://postgres@127.0.0.1/test
    """
    url = database_url(database)
    migrate.upgrade(url, revision)
    typer.echo(f"{redact(url)} at revision {migrate.current_revision(url)}")


@app.command()
def status(database: DatabaseOption = None, as_json: JsonOption = False) -> None:
    """Show the schema revision, items per spider and the latest crawl runs.

    Example: dsi db status --json
    """
    url = database_url(database)
    revision = migrate.current_revision(url)
    if revision is None:
        raise typer.BadParameter("the database has no schema yet: run `dsi db upgrade`")
    with session_scope(url) as session:
        counts = counts_by_spider(session)
        runs = [
            {
                "id": r.id,
                "source": r.source,
                "spider": r.spider,
                "status": r.status,
                "started_at": r.started_at.isoformat(),
                "finished_at": r.finished_at.isoformat() if r.finished_at else None,
                "pages": r.stats.get("response_received_count", 0),
                "items": r.stats.get("item_scraped_count", 0),
            }
            for r in recent_runs(session, 10)
        ]
    if as_json:
        typer.echo(json.dumps({"revision": revision, "items": counts, "runs": runs}))
        return
    typer.echo(f"database: {redact(url)} (revision {revision})")
    typer.echo("items: " + (", ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "none"))
    for r in runs:
        typer.echo(
            f"run {r['id']}: {r['source']} [{r['spider']}] {r['status']} "
            f"pages={r['pages']} items={r['items']} started {r['started_at']}"
        )


FileArgument = Annotated[Path, typer.Argument(help="The backup file (.jsonl, or .jsonl.gz).")]


@app.command()
def backup(
    file: FileArgument, database: DatabaseOption = None, as_json: JsonOption = False
) -> None:
    """Write every row of the database to FILE (JSON Lines; gzip when FILE ends in .gz).

    The rows are read in one transaction, so crawls may keep running. The file is the same for
    SQLite and PostgreSQL and restores into either.

    Example: dsi db backup var/backup-2026-11-28.jsonl.gz
    """
    url = database_url(database)
    counts = backups.backup(url, file)
    _report("backed up", counts, file, as_json)


@app.command()
def restore(
    file: FileArgument, database: DatabaseOption = None, as_json: JsonOption = False
) -> None:
    """Load a backup written by `dsi db backup` into an empty database (all rows or none).

    The database is migrated first and must be at the backup's schema revision.

    Example: dsi db restore var/backup-2026-11-28.jsonl.gz --database sqlite:///var/restored.sqlite3
    """
    url = database_url(database)
    if not file.exists():
        raise FileNotFoundError(f"no backup file {file}")
    counts = backups.restore(url, file)
    _report("restored", counts, file, as_json)


def _report(what: str, counts: dict[str, int], file: Path, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps({"file": str(file), "rows": counts, "total": sum(counts.values())}))
        return
    detail = ", ".join(f"{k}={v}" for k, v in counts.items() if v) or "no rows"
    typer.echo(f"{what} {sum(counts.values())} rows ({detail}): {file}")
