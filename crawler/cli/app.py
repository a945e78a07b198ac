"""The ``dsi`` application: wires the command groups; errors become one line and exit 1."""

from __future__ import annotations

import os
import sys

import typer

from crawler.cli import candidates, db, export, maindb, sources
from crawler.cli import classify as classify_cmd
from crawler.cli import crawl as crawl_cmd
from crawler.cli import demo as demo_cmd
from crawler.cli import review as review_cmd
from crawler.cli import sandbox as sandbox_cmd
from crawler.cli import users as users_cmd
from crawler.cli.common import CLIError, setup_logging

app = typer.Typer(
    name="dsi",
    help="dsi-crawler: find and measure digital social innovation from job adverts, open data "
    "and the web.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(export.app, name="export")
app.add_typer(maindb.app, name="maindb")
app.add_typer(candidates.app, name="candidates")
app.add_typer(sandbox_cmd.app, name="sandbox")
app.add_typer(sources.app, name="sources")
app.add_typer(review_cmd.app, name="review")
app.add_typer(users_cmd.app, name="users")
app.command(name="crawl")(crawl_cmd.crawl)
app.command(name="train")(classify_cmd.train)
app.command(name="evaluate")(classify_cmd.evaluate)
app.command(name="classify")(classify_cmd.classify)
app.add_typer(classify_cmd.bench_app, name="bench")
classify_cmd.bench_app.command(name="review")(review_cmd.bench_review)
classify_cmd.bench_app.command(name="resolve")(maindb.bench_resolve)
app.command(name="demo")(demo_cmd.demo)


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logs on stderr."),
) -> None:
    setup_logging(verbose)
    if verbose:
        os.environ["DSI_LOG_LEVEL"] = "DEBUG"


def _user_errors() -> tuple[type[BaseException], ...]:
    from classifiers.registry import ModelError
    from crawler.sources import SourceError
    from storage.maindb import MainDbError
    from storage.session import StorageUnavailable

    return (
        ModelError,
        CLIError,
        MainDbError,
        SourceError,
        StorageUnavailable,
        FileNotFoundError,
        PermissionError,
        ValueError,
    )


def main(argv: list[str] | None = None) -> None:
    """Entry point of the installed ``dsi`` script."""
    if argv is not None:
        sys.argv = ["dsi", *argv]
    try:
        app(prog_name="dsi")
    except _user_errors() as exc:
        typer.echo(f"Error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
