"""`dsi maindb import|export|match|evaluate` end to end (CliRunner; SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from classifiers.dataset import SHIPPED_ORGANISATIONS, SHIPPED_PROJECTS
from crawler.cli.app import app
from tests.conftest import run_dsi

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr; an exception the `dsi` script turns into one line
    ``Error: ...`` comes back as that line."""
    result = runner.invoke(app, list(args))
    err = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        err += f"Error: {result.exception}"
    return result.exit_code, result.stdout, err


def test_import_export_round_trip_through_the_cli(database_url: str, tmp_path: Path) -> None:
    code, out, _ = invoke(
        "maindb", "import", str(SHIPPED_ORGANISATIONS), "-m", database_url, "--json"
    )
    assert code == 0 and json.loads(out)["inserted"] == 818
    code, out, _ = invoke("maindb", "import", str(SHIPPED_PROJECTS), "-m", database_url)
    assert code == 0 and out.startswith("projects: 537 inserted")
    target = tmp_path / "orgs.json"
    code, _, err = invoke("maindb", "export", "--out", str(target), "-m", database_url)
    assert code == 0 and "818 organisations written" in err
    original = json.loads(SHIPPED_ORGANISATIONS.read_text(encoding="utf-8"))
    assert json.loads(target.read_text(encoding="utf-8")) == sorted(
        original, key=lambda r: r["organisation_id"]
    )
    code, out, _ = invoke("maindb", "export", "--kind", "project", "-m", database_url)
    assert code == 0 and len(json.loads(out)) == 537


def test_match_one_line_per_query_in_order(sqlite_url: str, tmp_path: Path) -> None:
    assert invoke("maindb", "import", str(SHIPPED_ORGANISATIONS), "-m", sqlite_url)[0] == 0
    queries = tmp_path / "q.jsonl"
    lines = [
        {"id": "a", "name": "Home | Blender Foundation", "country": "Nederland"},
        {"id": "b", "name": "Zzyzx Qwerty Collective"},
        {"id": "c", "name": "barnardos", "website": "https://www.barnardos.org.uk/jobs"},
        {"id": 4, "name": "Fablab Palermo", "city": "Palermo", "country": "IT"},
    ]
    queries.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n", encoding="utf-8")
    out = tmp_path / "m.jsonl"
    code, _, err = invoke(
        "maindb", "match", "--in", str(queries), "--out", str(out), "-m", sqlite_url
    )
    assert code == 0, err
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["a", "b", "c", 4]  # ids echoed as given
    assert set(rows[0]) == {"id", "match", "score", "candidates"}
    assert rows[0]["match"] == 585  # organisation_id, an integer as in the export format
    assert rows[1]["match"] is None and rows[1]["score"] < 0.2
    assert rows[2]["match"] == 1203
    assert rows[3]["match"] == 1134
    top = rows[0]["candidates"][0]
    assert set(top) == {"id", "name", "score", "reasons"} and top["name"] == "Blender Foundation"
    assert 0 <= top["score"] <= 1 and top["reasons"]


def test_match_threshold_flag_and_env(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert invoke("maindb", "import", str(SHIPPED_ORGANISATIONS), "-m", sqlite_url)[0] == 0
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        json.dumps({"id": "a", "name": "Blender Foundation"}) + "\n", encoding="utf-8"
    )
    code, out, _ = invoke(
        "maindb", "match", "--in", str(queries), "--threshold", "1", "-m", sqlite_url
    )
    assert code == 0 and json.loads(out)["match"] is None
    monkeypatch.setenv("DSI_MATCH_THRESHOLD", "0.01")
    code, out, _ = invoke("maindb", "match", "--in", str(queries), "-m", sqlite_url)
    assert code == 0 and json.loads(out)["match"] == 585
    monkeypatch.setenv("DSI_MATCH_THRESHOLD", "high")
    code, _, err = invoke("maindb", "match", "--in", str(queries), "-m", sqlite_url)
    assert code == 1 and "DSI_MATCH_THRESHOLD must be a number" in err


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 2: not JSON"),
        ('{"name": "x"}', "line 2: 'id' is missing"),
        ('{"id": "x", "name": " "}', "line 2: 'name' is missing or empty"),
        ('{"id": "x", "name": "y", "country": ["DE"]}', "line 2: 'country' must be text"),
        ("[1, 2]", "line 2: expected a JSON object"),
    ],
)
def test_malformed_query_lines_name_their_line(
    sqlite_url: str, tmp_path: Path, line: str, message: str
) -> None:
    queries = tmp_path / "q.jsonl"
    queries.write_text('{"id": "ok", "name": "Fine"}\n' + line + "\n", encoding="utf-8")
    out = tmp_path / "m.jsonl"
    code, _, err = invoke(
        "maindb", "match", "--in", str(queries), "--out", str(out), "-m", sqlite_url
    )
    assert code == 1 and message in err
    assert not out.exists()  # nothing half-written


def test_import_errors_are_one_line(sqlite_url: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('[{"name": "neither kind"}]', encoding="utf-8")
    code, _, err = invoke("maindb", "import", str(bad), "-m", sqlite_url)
    assert code == 1 and err.startswith("Error: cannot tell organisations from projects")
    bad.write_text("{{{", encoding="utf-8")
    code, _, err = invoke("maindb", "import", str(bad), "-m", sqlite_url)
    assert code == 1 and "not JSON" in err


def test_installed_dsi_maindb_round_trip(tmp_path: Path) -> None:
    """A real `dsi` process, with the main database given by DSI_MAIN_DATABASE_URL."""
    url = f"sqlite:///{tmp_path / 'main.sqlite3'}"
    env = {"DSI_MAIN_DATABASE_URL": url, "DSI_DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}"}
    proc = run_dsi("maindb", "import", str(SHIPPED_ORGANISATIONS), env=env)
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "o.json"
    proc = run_dsi("maindb", "export", "--out", str(out), env=env)
    assert proc.returncode == 0, proc.stderr
    assert len(json.loads(out.read_text(encoding="utf-8"))) == 818
    assert not (tmp_path / "c.sqlite3").exists()  # the crawler's database was not touched


@pytest.mark.slow
def test_evaluate_reports_held_out_figures() -> None:
    code, out, err = invoke("maindb", "evaluate", "--json")
    assert code == 0, err
    report = json.loads(out)
    held_out = report["held_out"]
    assert held_out["matcher"]["queries"] > 500
    # the shipped model is the one fitted on the fit half (same code, same seed)
    shipped = json.loads(
        (Path(__file__).resolve().parents[2] / "matching" / "data" / "matcher.json").read_text()
    )
    assert report["model"]["coefficients"] == shipped["coefficients"]
    assert report["threshold"] == shipped["threshold"]
    assert held_out["matcher"]["right"] >= 0.97 and held_out["matcher"]["false_matches"] <= 0.02
    assert held_out["matcher"]["right"] > held_out["baseline_wratio90"]["right"]


@pytest.mark.slow
def test_evaluate_projects_against_the_baseline() -> None:
    code, out, err = invoke("maindb", "evaluate", "--kind", "projects", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["kind"] == "projects" and report["database_entries"] > 300
    held_out = report["held_out"]
    assert set(held_out["matcher"]["by_kind"]) == {"noisy", "absent", "look_alike"}
    assert held_out["matcher"]["queries"] == held_out["baseline_wratio90"]["queries"] > 500
    assert held_out["also_model"]["queries"] == held_out["matcher"]["queries"]  # shipped model
    assert held_out["matcher"]["right"] > held_out["baseline_wratio90"]["right"]
    assert held_out["matcher"]["false_matches"] < held_out["baseline_wratio90"]["false_matches"]


def test_evaluate_refuses_a_file_of_the_other_kind() -> None:
    code, _, err = invoke(
        "maindb", "evaluate", "--kind", "projects", "--names", str(SHIPPED_ORGANISATIONS)
    )
    assert code != 0 and "holds organisations: use --kind organisations" in err
    code, _, err = invoke("maindb", "evaluate", "--kind", "people")
    assert code != 0 and "unknown kind 'people'" in err


def test_bench_resolve_reports_against_its_baseline() -> None:
    code, out, err = invoke(
        "bench", "resolve", "--entries", "3000", "--items", "300", "--sample", "20", "--json"
    )
    assert code == 0, err
    result = json.loads(out)
    assert (result["entries"], result["items"], result["baseline_sample"]) == (3000, 300, 20)
    assert result["total_seconds"] > 0 and result["baseline_seconds_estimated"] > 0
    assert result["speedup"] > 0 and result["cpu_seconds"] > 0
    assert 0 < result["matched"] <= 300
