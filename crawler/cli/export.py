"""``dsi export``: write stored data out."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from crawler.cli.classify import ModelDirOption
from crawler.cli.common import (
    CLIError,
    DatabaseOption,
    active_model_version,
    database_url,
    echo_err,
)
from crawler.exporting import iter_records, write_csv, write_jsonl, write_parquet
from crawler.progress import Progress, counted
from storage.research import NoScores, choose_model_version, iter_scored_items
from storage.session import session_scope

app = typer.Typer(help="Export stored data.", no_args_is_help=True)


class SpiderName(StrEnum):
    jobs = "jobs"
    opendata = "opendata"
    website = "website"


class Format(StrEnum):
    jsonl = "jsonl"
    csv = "csv"
    parquet = "parquet"


@app.command()
def items(
    spider: Annotated[SpiderName, typer.Option(help="Which spider's items.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.jsonl,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    out: Annotated[
        Path | None,
        typer.Option(help="Write to this file (default: stdout; required for Parquet)."),
    ] = None,
    relevant_only: Annotated[
        bool,
        typer.Option(
            "--relevant-only", help="Only items the model judges DSI-relevant (at its threshold)."
        ),
    ] = False,
    model_version: Annotated[
        str | None,
        typer.Option(
            help="Scores of this model version (default: the active model if it scored "
            "anything here, else the most recently scored version).",
            show_default=False,
        ),
    ] = None,
    database: DatabaseOption = None,
    model_dir: ModelDirOption = None,
) -> None:
    """Export stored items with the spider's fixed field names, one record per item, plus
    times_seen and one model version's relevance, relevant, technologies, areas, model_version
    and relevance_threshold (empty for unscored items).

    Example: dsi export items --spider jobs --format parquet --relevant-only --out jobs.parquet
    """
    if format is Format.parquet and out is None:
        raise CLIError("--format parquet needs --out FILE (Parquet is binary)")
    url = database_url(database)
    with session_scope(url) as session:
        try:
            version = choose_model_version(
                session, requested=model_version, active=active_model_version(model_dir)
            )
        except NoScores as exc:
            raise CLIError(str(exc)) from None
        if version is None and relevant_only:
            raise CLIError("--relevant-only: no item is scored yet; run `dsi classify` first")
        rows = iter_scored_items(session, model_version=version, spider=spider.value, source=source)
        records = iter_records(rows, spider.value, relevant_only=relevant_only)
        with Progress(f"export {spider.value}", unit="items") as progress:
            shown = counted(records, progress)
            if format is Format.parquet:
                assert out is not None
                n = write_parquet(shown, out, spider.value)
            else:
                fh = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
                try:
                    if format is Format.csv:
                        n = write_csv(shown, fh, spider.value)
                    else:
                        n = write_jsonl(shown, fh)
                finally:
                    if out:
                        fh.close()
    scored = f", scores of model {version}" if version else ", no scores yet"
    echo_err(f"exported {n} {spider.value} items{scored}" + (f" to {out}" if out else ""))
