"""``dsi report``: researchers' reports (tables, charts, one HTML page) from the harvest."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from crawler.cli.classify import ModelDirOption
from crawler.cli.common import (
    CLIError,
    DatabaseOption,
    JsonOption,
    active_model_version,
    database_url,
    echo_err,
)

app = typer.Typer(
    help="Researchers' reports: job-advert trends, geography, network.", no_args_is_help=True
)


class PeriodName(StrEnum):
    week = "week"
    month = "month"


OutOption = Annotated[
    Path, typer.Option("--out", "-o", help="Folder to write into (created).", show_default=False)
]
PeriodOption = Annotated[PeriodName, typer.Option(help="Trend periods.")]
MinimumOption = Annotated[
    int,
    typer.Option(
        "--min-count", help="Smallest count shown in trend tables (smaller ones are hidden)."
    ),
]
VersionOption = Annotated[
    str | None,
    typer.Option(
        help="Scores of this model version (default: the active model if it scored anything "
        "here, else the most recently scored version).",
        show_default=False,
    ),
]


def _run(
    kinds: tuple[str, ...],
    out: Path,
    period: PeriodName,
    minimum: int,
    model_version: str | None,
    database: str | None,
    model_dir: Path | None,
    as_json: bool,
) -> None:
    from reports.build import write_reports
    from reports.data import load, read_main_database
    from storage.research import NoScores
    from storage.session import session_scope

    if minimum < 1:
        raise CLIError("--min-count must be at least 1")
    if out.exists() and not out.is_dir():
        raise CLIError(f"{out} exists and is not a folder")
    url = database_url(database)
    # the main database: DSI_MAIN_DATABASE_URL, else the crawler's database
    main_url = os.environ.get("DSI_MAIN_DATABASE_URL") or url
    main = read_main_database(main_url) if set(kinds) & {"geography", "network"} else None
    with session_scope(url) as session:
        try:
            harvest = load(
                session,
                model_version=model_version,
                active=active_model_version(model_dir),
                main=main,
            )
        except NoScores as exc:
            raise CLIError(str(exc)) from None
    if kinds == ("trends",) and harvest.adverts.empty:
        raise CLIError("no job adverts stored: crawl a jobs source first")
    written = write_reports(harvest, out, kinds, period=period.value, minimum=minimum)  # type: ignore[arg-type]
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "page": str(written.page),
                    "files": [str(p) for p in written.files],
                    "skipped": written.skipped,
                    "model_version": harvest.model_version,
                    "relevance_threshold": harvest.threshold,
                }
            )
        )
        return
    for kind, why in written.skipped.items():
        echo_err(f"left out {kind}: {why}")
    typer.echo(f"wrote {len(written.files)} files; open {written.page}")


def _periodic(kinds: tuple[str, ...], doc: str) -> Callable[..., None]:
    """A command writing reports that include trends (trends, all)."""

    def command(
        out: OutOption,
        period: PeriodOption = PeriodName.month,
        min_count: MinimumOption = 10,
        model_version: VersionOption = None,
        database: DatabaseOption = None,
        model_dir: ModelDirOption = None,
        as_json: JsonOption = False,
    ) -> None:
        _run(kinds, out, period, min_count, model_version, database, model_dir, as_json)

    command.__doc__ = doc
    return command


app.command(name="trends")(
    _periodic(
        ("trends",),
        """Deduplicated job adverts per week or month: totals, DSI-relevant count and share
    (Wilson intervals), by technology, social area, country and region; stock, flow and
    lifetimes (Kaplan–Meier); small counts suppressed so that totals cannot reveal them.

    Example: dsi report trends --period week --out reports/
    """,
    )
)
app.command(name="all")(
    _periodic(
        ("trends", "geography", "network"),
        """Trends, geography and network in one folder with one HTML page (report.html).

    Example: dsi report all --out reports/ && xdg-open reports/report.html
    """,
    )
)


def _single(kind: str, doc: str) -> Callable[..., None]:
    """A command writing one report that has no period (geography, network)."""

    def command(
        out: OutOption,
        model_version: VersionOption = None,
        database: DatabaseOption = None,
        model_dir: ModelDirOption = None,
        as_json: JsonOption = False,
    ) -> None:
        _run((kind,), out, PeriodName.month, 10, model_version, database, model_dir, as_json)

    command.__doc__ = doc
    return command


app.command(name="geography")(
    _single(
        "geography",
        """Activity per country, European region and city, in counts and per million
    inhabitants, beside the DSI4EU sample.

    Example: dsi report geography --out reports/
    """,
    )
)
app.command(name="network")(
    _single(
        "network",
        """Organisations and projects linked by website links, shared projects and
    co-mentions: size, components, degrees, communities, central actors, cross-country edges;
    GraphML and GEXF.

    Example: dsi report network --out reports/
    """,
    )
)
