from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crawler.cli.app import app
from storage.items import ItemRow, upsert_items
from storage.models import Candidate, ItemScore
from storage.session import session_scope
from tests.conftest import run_dsi
from tests.unit.classifiers.conftest import tiny_export

runner = CliRunner()


@pytest.fixture
def env(tmp_path: Path, monkeypatch):
    export = tmp_path / "export.json"
    export.write_text(json.dumps(tiny_export()), encoding="utf-8")
    monkeypatch.setenv("DSI_MODEL_DIR", str(tmp_path / "models"))
    return export


def _invoke(*args):
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def _store_items(url):
    rows = [
        ItemRow(
            source="board",
            spider="jobs",
            url="https://jobs.example/1",
            warnings=[],
            raw={},
            fields={
                "source": "board",
                "url": "https://jobs.example/1",
                "title": "Developer for our crowdfunding and petitions platform",
                "hiring_organization": "Civic Crowd gGmbH",
                "description": "citizens crowdmap reports petitions participation vote",
            },
        ),
        ItemRow(
            source="board",
            spider="jobs",
            url="https://jobs.example/2",
            warnings=[],
            raw={},
            fields={
                "source": "board",
                "url": "https://jobs.example/2",
                "title": "Accountant",
                "hiring_organization": "Harlow Logistics Ltd",
                "hiring_organization_url": "https://www.harlow.example",
                "description": "You will process invoices. Competitive salary.",
            },
        ),
        ItemRow(
            source="web",
            spider="website",
            url="https://air.example/",
            warnings=[],
            raw={},
            fields={
                "source": "web",
                "url": "https://air.example/",
                "site": "https://air.example",
                "name": "Air Watch",
                "main_text": "air quality sensors arduino "
                "measurements pollution climate monitoring citizens",
            },
        ),
        ItemRow(
            source="portal",
            spider="opendata",
            url="https://data.example/s/1",
            warnings=[],
            raw={},
            fields={
                "source": "portal",
                "url": "https://data.example/s/1",
                "portal_url": "https://data.example",
                "kind": "showcase",
                "dataset_id": "s1",
                "title": "Learn map",
                "description": "",
                "showcase_url": None,
            },
        ),
    ]
    with session_scope(url) as s:
        upsert_items(s, rows)


def test_train_evaluate_contract(env):
    out = json.loads(_invoke("train", "--from", str(env), "--json"))
    assert out["version"]
    result = json.loads(_invoke("evaluate", "--on", str(env), "--json"))
    for task, absent, label in (
        ("technology", "Robotics", "Online learning and MOOCs"),
        ("area", "Science", "Skills and learning"),
    ):
        rep = result[task]
        for key in ("micro_f1", "macro_f1", "p_at_1", "samples", "brier", "ece", "labels"):
            assert key in rep
        assert rep["labels"][absent]["support"] == 0  # unlearnable labels still listed
        assert rep["labels"][absent]["threshold"] is None
        lab = rep["labels"][label]
        assert {"precision", "recall", "f1", "support", "threshold"} <= set(lab)
        # project 16 is a spam id in the shipped quality.json: left out of the evaluation
        assert result["spam_excluded"] == 1
        assert lab["support"] == 11
        assert rep["micro_f1"] > 0.8  # the tiny topics are easy; a broken model is not
    text = _invoke("evaluate", "--on", str(env))
    assert "not learnable" in text


def test_cv_prints_ours_and_baseline(env):
    out = json.loads(_invoke("train", "--from", str(env), "--cv", "3", "--json"))
    for task in ("technology", "area"):
        assert {"ours", "baseline", "baseline_tuned"} <= set(out[task])


def test_classify_is_idempotent_and_decisions_change_predictions(env, sqlite_url):
    _invoke("train", "--from", str(env))
    _store_items(sqlite_url)
    first = json.loads(_invoke("classify", "--database", sqlite_url, "--json"))
    assert first["scored"] == 4
    with session_scope(sqlite_url) as s:
        before = {(c.kind, c.key): (c.relevance, c.technologies) for c in s.query(Candidate)}
        assert set(before) == {
            ("organisation", "name:civic crowd"),
            ("organisation", "harlow.example"),
            ("organisation", "air.example"),
            ("project", "name:learn map"),
        }
        scores = {sc.item_id: sc for sc in s.query(ItemScore)}
        assert all(sc.model_version == first["model_version"] for sc in scores.values())
        civic = next(
            sc
            for sc in scores.values()
            if sc.technologies.get("Crowdsourcing, crowdmapping and crowdfunding")
        )
        assert civic.explanation["technology"]
    again = json.loads(_invoke("classify", "--database", sqlite_url, "--json"))
    assert again["scored"] == 0
    json.loads(_invoke("classify", "--all", "--database", sqlite_url, "--json"))
    with session_scope(sqlite_url) as s:
        after = {(c.kind, c.key): (c.relevance, c.technologies) for c in s.query(Candidate)}
        assert after == before and s.query(ItemScore).count() == 4
        air = s.query(Candidate).filter_by(key="air.example").one()
        air_before = air.relevance
        from storage.decisions import record_decision

        record_decision(s, decision="reject", candidate_id=air.id)
        civic_cand = s.query(Candidate).filter_by(key="name:civic crowd").one()
        record_decision(
            s,
            decision="relabel",
            candidate_id=civic_cand.id,
            technologies=["Online learning and MOOCs"],
            areas=["Skills and learning"],
        )
        civic_item = s.query(ItemScore).filter_by(item_id=1).one()
    _invoke("train", "--from", str(env), "--decisions", "--database", sqlite_url)
    _invoke("classify", "--all", "--database", sqlite_url)
    with session_scope(sqlite_url) as s:
        air = s.query(Candidate).filter_by(key="air.example").one()
        civic_cand = s.query(Candidate).filter_by(key="name:civic crowd").one()
        assert air.relevance < air_before - 0.1
        assert "Online learning and MOOCs" not in civic_item.technologies
        assert "Online learning and MOOCs" in civic_cand.technologies


def test_bench_reports_ratio(env):
    _invoke("train", "--from", str(env))
    out = json.loads(_invoke("bench", "classify", "--items", "100", "--json"))
    assert out["items_per_s"] > 0 and out["ratio_to_baseline"] > 0


def test_installed_dsi_reports_bad_exports_in_one_line(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"project_id": 3, "technology": "Open data"}]))
    result = run_dsi("train", "--from", str(bad), env={"DSI_MODEL_DIR": str(tmp_path / "m")})
    assert result.returncode == 1
    assert result.stderr.strip().startswith("Error:") and "project_id=3" in result.stderr
    assert "Traceback" not in result.stderr


def test_evaluate_without_model_is_a_clear_error(env):
    result = runner.invoke(app, ["evaluate", "--on", str(env)])
    assert result.exit_code != 0
    assert "no active model" in str(result.exception)


@pytest.mark.parametrize(
    ("url", "host", "org_host"),
    [
        ("https://www.example.org/jobs", "example.org", "example.org"),
        ("http://127.0.0.1:8781/", "127.0.0.1:8781", "127.0.0.1:8781"),
        ("https://example.org:443/", "example.org", "example.org"),
        ("https://www.linkedin.com/company/acme", "linkedin.com", None),
        ("https://github.com/acme", "github.com", None),
        ("not a url", None, None),
    ],
)
def test_candidate_hosts(url, host, org_host):
    from crawler.classify_items import host_of, organisation_host

    assert host_of(url) == host
    assert organisation_host(url) == org_host
