"""``dsi scheduler``: start the sources' crawls on their cron schedules."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from crawler.cli.common import (
    CLIError,
    DatabaseOption,
    SourcesOption,
    database_url,
    read_sources,
    sources_path,
)

app = typer.Typer(help="Run crawls on the sources' cron schedules.", no_args_is_help=True)


@app.command("run")
def run(
    missed: Annotated[
        str,
        typer.Option(help="Runs missed while no scheduler ran: skip, or catch-up (once)."),
    ] = "skip",
    interval: Annotated[
        float, typer.Option(min=1.0, help="Seconds between looks at the schedules.")
    ] = 30.0,
    grace: Annotated[
        float, typer.Option(min=0.0, help="Seconds a fire may be late and still be on time.")
    ] = 300.0,
    stop_timeout: Annotated[
        float, typer.Option(min=0.0, help="Seconds running crawls get to stop on SIGTERM.")
    ] = 120.0,
    once: Annotated[
        bool, typer.Option(help="Start what is due now, wait for it, and exit.")
    ] = False,
    sources: SourcesOption = None,
    database: DatabaseOption = None,
) -> None:
    """Start due crawls from the sources' `schedule` (cron, UTC) until SIGTERM or Ctrl-C.

    One run of a source at a time (a lock in the database, across machines); a failing crawl
    is logged and the scheduler carries on; on SIGTERM/SIGINT running crawls are stopped
    gracefully. Example: dsi scheduler run --sources sources.toml --missed catch-up
    """
    from crawler.scheduling import (
        MISSED_POLICIES,
        Scheduler,
        stop_on_signals,
        subprocess_launcher,
    )
    from storage.migrate import upgrade

    if missed not in MISSED_POLICIES:
        raise CLIError(f"--missed must be one of {', '.join(MISSED_POLICIES)} (got {missed!r})")
    declared = read_sources(sources)
    if not any(s.schedule for s in declared):
        raise CLIError(f"no source in {sources_path(sources)} has a schedule")
    url = database_url(database)
    upgrade(url)
    scheduler = Scheduler(
        sources=declared,
        database_url=url,
        launch=subprocess_launcher(url, sources_path(sources).resolve()),
        missed=missed,
        grace=timedelta(seconds=grace),
    )
    scheduler.run(stop_on_signals(), interval=interval, stop_timeout=stop_timeout, once=once)
