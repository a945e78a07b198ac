"""``dsi maindb``: the main database (the DSI map): import, export, match."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from crawler.cli.common import CLIError, JsonOption, echo_err
from storage import maindb, migrate
from storage.session import redact, session_scope

app = typer.Typer(
    help="The main database (the DSI map): import, export, match.", no_args_is_help=True
)

MainDatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--main-database",
        "-m",
        help="SQLAlchemy URL of the main database (default: $DSI_MAIN_DATABASE_URL, else the "
        "crawler's database).",
        show_default=False,
    ),
]


def main_url(option: str | None) -> str:
    """Flag > ``DSI_MAIN_DATABASE_URL`` > the crawler's database; migrated on first use."""
    url = option or maindb.main_database_url()
    migrate.upgrade(url)
    return url


def read_json_records(path: Path) -> list[Any]:
    """A JSON list of records (the export format) or JSON lines."""
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise CLIError(f"{path}: not JSON nor JSON lines ({exc})") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise CLIError(f"{path}: expected a JSON list of records")
    return data


@app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(help="organisations.json or projects.json (export format).")
    ],
    main_database: MainDatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import a digitalsocial.eu export (organisations or projects, told from the records);
    entries are inserted or updated by their record id. Bad records are listed and skipped.

    Example: dsi maindb import ../shared/data/dsi4eu/organisations.json
    """
    records = read_json_records(file)
    url = main_url(main_database)
    with session_scope(url) as session:
        summary = maindb.import_records(session, records)
    for problem in summary.errors:
        echo_err(f"skipped {problem}")
    if as_json:
        typer.echo(json.dumps(summary.to_dict()))
        return
    typer.echo(
        f"{summary.kind}s: {summary.inserted} inserted, {summary.updated} updated, "
        f"{len(summary.errors)} skipped ({redact(url)})"
    )


@app.command("export")
def export(
    kind: Annotated[
        str, typer.Option("--kind", "-k", help="organisation or project.")
    ] = "organisation",
    out: Annotated[Path | None, typer.Option(help="Write to this file (default: stdout).")] = None,
    main_database: MainDatabaseOption = None,
) -> None:
    """Export organisations (or projects) in the digitalsocial.eu format (a JSON list).

    Example: dsi maindb export --kind project --out projects.json
    """
    if kind not in maindb.KINDS:
        raise CLIError(f"unknown kind {kind!r}: use 'organisation' or 'project'")
    with session_scope(main_url(main_database)) as session:
        records = maindb.export_records(session, kind)  # type: ignore[arg-type]
    text = json.dumps(records, ensure_ascii=False, indent=1)
    if out is None:
        typer.echo(text)
        return
    out.write_text(text + "\n", encoding="utf-8")
    echo_err(f"{len(records)} {kind}s written to {out}")
