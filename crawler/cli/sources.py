"""``dsi sources``: check and list the declared sources."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import typer

from crawler.cli.common import JsonOption, SourcesOption, read_sources, sources_path
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


@app.command("list")
def list_sources(sources: SourcesOption = None, as_json: JsonOption = False) -> None:
    """Validate the sources file and list its sources with their next scheduled run.

    Example: dsi sources list --sources sources.toml
    """
    declared = read_sources(sources)
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
        }
        for s in declared
    ]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    typer.echo(f"{sources_path(sources)}: {len(rows)} sources")
    for r in rows:
        sched = f" schedule '{r['schedule']}' next {r['next_run']}" if r["schedule"] else ""
        typer.echo(f"  {r['name']} [{r['spider']}] {len(r['urls'])} urls{sched}")
