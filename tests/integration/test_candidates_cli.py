"""`dsi candidates list|show|export` on a database with resolved candidates."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from typer.testing import CliRunner

from crawler.cli.app import app
from crawler.resolve import CandidateResolver
from storage.candidates import list_candidates, set_status
from storage.session import session_scope
from tests.integration.test_candidate_identity import ITEMS, _resolve_all

runner = CliRunner()


def _db(url: str) -> dict[str, int]:
    _resolve_all(url, CandidateResolver(), ITEMS)
    with session_scope(url) as session:
        ids = {c.name.split(" ")[0] + c.name.split(" ")[-1]: c.id for c in list_candidates(session)}
        set_status(session, ids["BrightlineLtd"], "accepted")
    return ids


def test_list_show_export(database_url: str, tmp_path: Path) -> None:
    ids = _db(database_url)
    result = runner.invoke(app, ["candidates", "list", "-d", database_url, "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert len(rows) == 3 and {r["status"] for r in rows} == {"pending", "accepted"}
    offene = next(r for r in rows if r["name"].startswith("Offene Stadt e.V."))
    assert offene["evidence"] == 4 and offene["website"] == "https://www.offenestadt.de"
    assert offene["social_links"]["linkedin"].endswith("/offene-stadt")

    result = runner.invoke(app, ["candidates", "list", "-d", database_url, "--status", "accepted"])
    assert result.exit_code == 0 and "Brightline Accounting Ltd" in result.stdout
    assert "Offene" not in result.stdout

    result = runner.invoke(app, ["candidates", "show", str(offene["id"]), "-d", database_url])
    assert result.exit_code == 0
    assert "keys: domain:offenestadt.de" in result.stdout
    assert (
        "evidence (4 items)" in result.stdout
        and "linkedin.com/company/offene-stadt" in result.stdout
    )

    out = tmp_path / "c.csv"
    result = runner.invoke(
        app, ["candidates", "export", "-d", database_url, "--format", "csv", "--out", str(out)]
    )
    assert result.exit_code == 0 and "3 candidates written" in result.stderr
    table = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [int(r["id"]) for r in table] == sorted(ids.values())
    assert table[0].keys() >= {"name", "website", "social_links", "match_id", "match_reasons"}

    result = runner.invoke(
        app, ["candidates", "export", "-d", database_url, "--status", "accepted"]
    )
    assert [r["name"] for r in json.loads(result.stdout)] == ["Brightline Accounting Ltd"]


def test_bad_arguments_are_clear(sqlite_url: str) -> None:
    result = runner.invoke(app, ["candidates", "list", "-d", sqlite_url, "--status", "done"])
    assert result.exit_code == 1 and "unknown status 'done'" in str(result.exception)
    result = runner.invoke(app, ["candidates", "show", "99", "-d", sqlite_url])
    assert result.exit_code == 1 and "no candidate 99" in str(result.exception)
