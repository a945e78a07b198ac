"""The ``dsi`` application: wires the command groups; errors become one line and exit 1."""

from __future__ import annotations

import os
import sys

import typer

from crawler.cli import bench as bench_cmd
from crawler.cli import candidates, db, export, maindb, report, sources
from crawler.cli import classify as classify_cmd
from crawler.cli import crawl as crawl_cmd
from crawler.cli import demo as demo_cmd
from crawler.cli import review as review_cmd
from crawler.cli import runs as runs_cmd
from crawler.cli import sandbox as sandbox_cmd
from crawler.cli import scheduler as scheduler_cmd
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
app.add_typer(report.app, name="report")
app.add_typer(sandbox_cmd.app, name="sandbox")
app.add_typer(sources.app, name="sources")
app.add_typer(runs_cmd.app, name="runs")
app.add_typer(scheduler_cmd.app, name="scheduler")
app.add_typer(review_cmd.app, name="review")
app.add_typer(users_cmd.app, name="users")
app.command(name="crawl")(crawl_cmd.crawl)
app.command(name="train")(classify_cmd.train)
app.command(name="evaluate")(classify_cmd.evaluate)
app.command(name="classify")(classify_cmd.classify)
app.add_typer(classify_cmd.bench_app, name="bench")
_bench = classify_cmd.bench_app.command
_bench(name="review", short_help="Review queue page latency (p95) at many candidates.")(
    review_cmd.bench_review
)
_bench(name="resolve", short_help="Resolving items against a large main database vs. brute force.")(
    maindb.bench_resolve
)
_bench(
    name="crawl", short_help="Pages/s, CPU and memory of each spider's pipeline vs. bare Scrapy."
)(bench_cmd.bench_crawl)
_bench(name="store", short_help="Rows/s of the idempotent bulk upsert vs. a plain INSERT.")(
    bench_cmd.bench_store
)
app.command(name="demo")(demo_cmd.demo)


@app.callback()
def _root(
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Debug logs on stderr."),
) -> None:
    setup_logging(verbose)
    if verbose:
        os.environ["DSI_LOG_LEVEL"] = "DEBUG"


def user_errors() -> tuple[type[BaseException], ...]:
    from sqlalchemy.exc import SQLAlchemyError

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
        SQLAlchemyError,
        OSError,
    )


def one_line(exc: BaseException) -> str:
    """An exception as one line, its cause kept (``connection refused``), never a traceback."""
    from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

    if isinstance(exc, DBAPIError) and exc.orig is not None:
        text = f"database error: {exc.orig}"
    elif isinstance(exc, NoSuchModuleError | ArgumentError):
        text = f"bad database URL: {exc}"
    else:
        text = str(exc) or exc.__class__.__name__
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return " ".join(lines[:2]) if lines else exc.__class__.__name__


def main(argv: list[str] | None = None) -> None:
    """Entry point of the installed ``dsi`` script: every error is one line ``Error: ...``,
    exit 1 (usage errors included); crawl outcomes have their own codes (see ``dsi crawl``)."""
    from typer._click import exceptions as click

    args = sys.argv[1:] if argv is None else argv
    try:
        code = app(args=args, prog_name="dsi", standalone_mode=False)
    except click.NoArgsIsHelpError as exc:
        typer.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        sys.exit(0)
    except click.UsageError as exc:
        hint = f" (see: {exc.ctx.command_path} --help)" if exc.ctx else ""
        typer.echo(f"Error: {one_line(exc)}{hint}", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        typer.echo(f"Error: {one_line(exc)}", err=True)
        sys.exit(1)
    except user_errors() as exc:
        typer.echo(f"Error: {one_line(exc)}", err=True)
        sys.exit(1)
    except (KeyboardInterrupt, typer.Abort):
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
