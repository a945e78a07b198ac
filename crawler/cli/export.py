"""``dsi export``: write stored data out."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from crawler.cli.common import DatabaseOption, database_url, echo_err
from crawler.exporting import iter_records, write_csv, write_jsonl
from crawler.progress import Progress, counted
from storage.items import iter_items
from storage.session import session_scope

app = typer.Typer(help="Export stored data.", no_args_is_help=True)


class SpiderName(StrEnum):
    jobs = "jobs"
    opendata = "opendata"
    website = "website"


class Format(StrEnum):
    jsonl = "jsonl"
    csv = "csv"


@app.command()
def items(
    spider: Annotated[SpiderName, typer.Option(help="Which spider's items.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.jsonl,
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    out: Annotated[Path | None, typer.Option(help="Write to this file (default: stdout).")] = None,
    database: DatabaseOption = None,
) -> None:
    """Export stored items with the spider's fixed field names, one record per item.

    Example: dsi export items --spider jobs --format csv --out jobs.csv
    """
    url = database_url(database)
    fh = out.open("w", encoding="utf-8", newline="") if out else sys.stdout
    try:
        with session_scope(url) as session:
            records = iter_records(
                iter_items(session, spider=spider.value, source=source), spider.value
            )
            with Progress(f"export {spider.value}", unit="items") as progress:
                if format is Format.csv:
                    n = write_csv(counted(records, progress), fh, spider.value)
                else:
                    n = write_jsonl(counted(records, progress), fh)
    finally:
        if out:
            fh.close()
    echo_err(f"exported {n} {spider.value} items" + (f" to {out}" if out else ""))
