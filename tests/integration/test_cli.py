"""The installed `dsi` command end to end (real processes)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_dsi


def command_paths() -> list[list[str]]:
    """Every command and sub-command of the app, from Typer's own tree."""
    import typer

    from crawler.cli.app import app

    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(cmd: object, prefix: list[str]) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, [*prefix, name])
        else:
            paths.append(prefix)

    walk(root, [])
    return paths


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paths = command_paths()
    assert ["crawl"] in paths and ["db", "upgrade"] in paths and ["export", "items"] in paths
    from typer.testing import CliRunner

    from crawler.cli.app import app

    runner = CliRunner()
    for path in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        assert "Example" in result.output, f"dsi {' '.join(path)} --help has no example"
        assert f"dsi {' '.join(path)}" in readme, f"`dsi {' '.join(path)}` missing from README"


def test_top_level_help_lists_commands() -> None:
    result = run_dsi("--help")
    assert result.returncode == 0
    for name in ("crawl", "db", "export"):
        assert re.search(rf"\b{name}\b", result.stdout)


def test_db_upgrade_and_status(database_url: str) -> None:
    up = run_dsi("db", "upgrade", "--database", database_url)
    assert up.returncode == 0, up.stderr
    assert "revision" in up.stdout
    status = run_dsi("db", "status", "--json", "--database", database_url)
    assert status.returncode == 0, status.stderr
    data = json.loads(status.stdout)
    assert data["items"] == {} and data["revision"]


def test_bad_sources_file_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "sources.toml"
    bad.write_text(
        '[[source]]\nname = "x"\nspider = "shop"\nurls = ["http://a.org/"]\n', encoding="utf-8"
    )
    result = run_dsi(
        "crawl", "x", "--sources", str(bad), "--database", f"sqlite:///{tmp_path / 'db.sqlite3'}"
    )
    assert result.returncode == 1
    assert result.stderr.strip().startswith("Error: file ")
    assert "source 'x'" in result.stderr and "field 'spider'" in result.stderr
    assert "Traceback" not in result.stderr


def test_unreachable_database_is_one_line_error() -> None:
    result = run_dsi("db", "upgrade", "--database", "postgresql+psycopg://postgres@127.0.0.1:1/x")
    assert result.returncode == 1
    assert result.stderr.strip().startswith("Error:")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["crawl"], ["crawl", "x", "--spider", "jobs"]])
def test_crawl_argument_errors(args: list[str]) -> None:
    result = run_dsi(*args)
    assert result.returncode == 1
    assert result.stderr.startswith("Error:")


def test_sources_list(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[source]]\nname = "board"\nspider = "jobs"\nurls = ["https://a.org/jobs/"]\n'
        'schedule = "0 3 * * 1"\napi = "lever"\n',
        encoding="utf-8",
    )
    result = run_dsi("sources", "list", "--json", "--sources", str(path))
    assert result.returncode == 0, result.stderr
    (row,) = json.loads(result.stdout)
    assert row["name"] == "board" and row["options"] == {"api": "lever"}
    assert row["next_run"] and "T03:00:00" in row["next_run"]


def test_bad_spider_option_stops_before_crawling(tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[source]]\nname = "portal"\nspider = "opendata"\nurls = ["http://127.0.0.1:9/"]\n'
        'api = "geonode"\n',
        encoding="utf-8",
    )
    db = tmp_path / "db.sqlite3"
    result = run_dsi("crawl", "portal", "--sources", str(path), "--database", f"sqlite:///{db}")
    assert result.returncode == 1
    assert "source 'portal', field 'api'" in result.stderr
    assert "Traceback" not in result.stderr
    assert not db.exists()  # nothing started
