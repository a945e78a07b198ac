"""Options and helpers shared by the ``dsi`` commands."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from crawler.sources import DEFAULT_SOURCES_FILE, Source, load_sources
from storage.session import default_database_url

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database",
        "-d",
        help="SQLAlchemy URL (default: $DSI_DATABASE_URL or sqlite:///var/dsi.sqlite3).",
        show_default=False,
    ),
]
SourcesOption = Annotated[
    Path | None,
    typer.Option(
        "--sources",
        "-s",
        help="Sources TOML file (default: $DSI_SOURCES or ./sources.toml).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object (for machines).")]


class CLIError(Exception):
    """A user-facing error: printed as one line ``Error: ...``, exit 1."""


def database_url(option: str | None) -> str:
    """Flag > env var > default."""
    return option or default_database_url()


def sources_path(option: Path | None) -> Path:
    if option is not None:
        return option
    env = os.environ.get("DSI_SOURCES")
    return Path(env) if env else DEFAULT_SOURCES_FILE


def read_sources(option: Path | None) -> list[Source]:
    return load_sources(sources_path(option))


def setup_logging(verbose: bool = False) -> None:
    """Logs go to stderr; results go to stdout."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def echo_err(message: str) -> None:
    typer.echo(message, err=True)


def active_model_version(model_dir: Path | None) -> str | None:
    """The active model's version id in ``model_dir`` (default ``$DSI_MODEL_DIR``), or None."""
    from classifiers.registry import ModelError, active_info, default_model_dir

    try:
        return active_info(model_dir or default_model_dir()).version
    except ModelError:
        return None
