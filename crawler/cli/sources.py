"""``dsi sources``: check and list the declared sources."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import typer

from crawler.cli.common import (
    DatabaseOption,
    JsonOption,
    SourcesOption,
    database_url,
    echo_err,
    read_sources,
    sources_path,
)
from crawler.sources import Source

app = typer.Typer(help="Check and list declared sources.", no_args_is_help=True)


def next_run(source: Source, now: datetime | None = None) -> str | None:
    """The next time the source's cron schedule fires (UTC), if it has one."""
    if not source.schedule:
        return None
    from croniter import croniter

    base = now or datetime.now(UTC)
    nxt: datetime = croniter(source.schedule, base).get_next(datetime)
    return nxt.isoformat()


def source_health(url: str) -> dict[str, dict[str, Any]] | None:
    """Each source's latest run: status, health and failing checks (None: database unreadable)."""
    from sqlalchemy.exc import SQLAlchemyError

    from storage.runs import latest_by_source
    from storage.session import StorageUnavailable, session_scope

    try:
        with session_scope(url) as session:
            return {
                name: {
                    "run_id": run.id,
                    "status": run.status,
                    "health": run.health,
                    "finished_at": run.finished_at.isoformat() if run.finished_at else None,
                    "failing": [
                        c["name"] for c in run.checks or [] if c.get("status") in ("warn", "fail")
                    ],
                }
                for name, run in latest_by_source(session).items()
            }
    except (StorageUnavailable, SQLAlchemyError) as exc:
        echo_err(f"warning: no health shown, the run history cannot be read: {exc}")
        return None


@app.command("list")
def list_sources(
    sources: SourcesOption = None, database: DatabaseOption = None, as_json: JsonOption = False
) -> None:
    """Validate the sources file and list its sources with their next scheduled run and their
    health (the latest run's status and checks).

    Example: dsi sources list --sources sources.toml
    """
    declared = read_sources(sources)
    latest = source_health(database_url(database)) or {}
    rows: list[dict[str, Any]] = [
        {
            "name": s.name,
            "spider": s.spider,
            "urls": list(s.urls),
            "schedule": s.schedule,
            "next_run": next_run(s),
            "max_pages": s.max_pages,
            "allow_private_network": s.allow_private_network,
            "options": dict(s.options),
            "last_run": latest.get(s.name),
        }
        for s in declared
    ]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    typer.echo(f"{sources_path(sources)}: {len(rows)} sources")
    for r in rows:
        sched = f" schedule '{r['schedule']}' next {r['next_run']}" if r["schedule"] else ""
        last = r["last_run"]
        state = (
            f" last run {last['run_id']} {last['status']}, health {last['health'] or '-'}"
            + (f" ({', '.join(last['failing'])})" if last["failing"] else "")
            if last
            else " never run"
        )
        typer.echo(f"  {r['name']} [{r['spider']}] {len(r['urls'])} urls{sched};{state}")
