"""``dsi db``: schema migrations and database status."""

from __future__ import annotations

import json

import typer

from crawler.cli.common import DatabaseOption, JsonOption, database_url
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
