"""``dsi runs``: the run history, with each run's stats and checks."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from crawler.cli.common import CLIError, DatabaseOption, JsonOption, database_url
from crawler.outcome import errors_by_kind, items, pages
from storage.models import CrawlRun
from storage.runs import get_run, list_runs
from storage.session import session_scope

app = typer.Typer(
    help="Run history: status, pages, items, errors, bytes and checks of every crawl.",
    invoke_without_command=True,
)


def run_summary(run: CrawlRun) -> dict[str, Any]:
    stats = dict(run.stats or {})
    return {
        "id": run.id,
        "source": run.source,
        "spider": run.spider,
        "status": run.status,
        "health": run.health,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "pages": pages(stats),
        "items": items(stats),
        "new": int(stats.get("dsi/store/new") or 0),
        "updated": int(stats.get("dsi/store/updated") or 0),
        "unchanged": int(stats.get("dsi/store/unchanged") or 0),
        "errors": errors_by_kind(stats),
        "bytes": int(stats.get("downloader/response_bytes") or 0),
        # resumed from the frontier an earlier run left; how many of its pages were in flight
        "resumed": bool(stats.get("dsi/frontier/resumed")),
        "requeued": int(stats.get("dsi/frontier/requeued") or 0),
        "reason": run.error,
    }


def _line(r: dict[str, Any]) -> str:
    errors = ",".join(f"{k}={v}" for k, v in r["errors"].items()) or "0"
    ended = r["finished_at"][:19] if r["finished_at"] else "-"
    return (
        f"{r['id']:>5} {r['source'][:24]:<24} {r['status']:<11} {r['health'] or '-':<5} "
        f"{r['started_at'][:19]}  {ended:<19} pages={r['pages']} items={r['items']} "
        f"(new {r['new']}, updated {r['updated']}, unchanged {r['unchanged']}) "
        f"errors={errors} bytes={r['bytes']}"
        + (f" resumed (requeued {r['requeued']})" if r["resumed"] else "")
    )


@app.callback()
def runs(
    ctx: typer.Context,
    source: Annotated[str | None, typer.Option(help="Only this source's runs.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many runs, latest first.")] = 20,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """List crawl runs, latest first: start, end, status, health, pages, items new/updated/
    unchanged, errors by kind and bytes.

    Example: dsi runs --source sandbox-jobs --json
    """
    if ctx.invoked_subcommand is not None:
        return
    with session_scope(database_url(database)) as session:
        rows = [run_summary(r) for r in list_runs(session, source=source, limit=limit)]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    if not rows:
        typer.echo("no runs" + (f" of {source}" if source else ""))
    for r in rows:
        typer.echo(_line(r))


@app.command()
def show(
    run_id: Annotated[int, typer.Argument(help="The run's id (see `dsi runs`).")],
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """One run: its summary, its checks against the source's history, and all its stats.

    Example: dsi runs show 12 --json
    """
    with session_scope(database_url(database)) as session:
        run = get_run(session, run_id)
        if run is None:
            raise CLIError(f"no run with id {run_id}")
        data = run_summary(run)
        data["finish_reason"] = run.finish_reason
        data["checks"] = list(run.checks or [])
        data["stats"] = dict(run.stats or {})
    if as_json:
        typer.echo(json.dumps(data, default=str))
        return
    typer.echo(_line(data))
    if data["reason"]:
        typer.echo(f"  why: {data['reason']}")
    typer.echo(f"  finish reason: {data['finish_reason']}")
    typer.echo("  checks:" if data["checks"] else "  checks: not run")
    for c in data["checks"]:
        typer.echo(f"    {c['status']:<7} {c['name']:<28} {c['message']}")
    typer.echo("  stats:")
    for key in sorted(data["stats"]):
        typer.echo(f"    {key}: {data['stats'][key]}")
