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


def test_train_evaluate_contract(env, tmp_path):
    out = json.loads(_invoke("train", "--from", str(env), "--json"))
    assert out["version"]
    # relevance figures come from nested cross-validation split by source
    rel = out["metrics"]["relevance"]
    assert "split by source" in rel["note"]
    assert 0 <= rel["roc_auc"] <= 1 and "org" in rel["false_positive_rate_by_genre"]
    assert set(rel["recall_by_source"]) >= {"dsi4eu", "civicdatalab"}
    # evaluated on other texts than it was trained on: the same topics, another draw
    heldout = tmp_path / "heldout.json"
    heldout.write_text(json.dumps(tiny_export(seed=1)), encoding="utf-8")
    result = json.loads(_invoke("evaluate", "--on", str(heldout), "--json"))
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
        assert rep["micro_f1"] > 0.8  # unseen texts of the easy tiny topics
    text = _invoke("evaluate", "--on", str(heldout))
    assert "not learnable" in text


def test_cv_prints_ours_and_baseline(env):
    out = json.loads(_invoke("train", "--from", str(env), "--cv", "3", "--json"))
    for task in ("technology", "area"):
        assert {"ours", "baseline", "baseline_tuned"} <= set(out[task])


def test_classify_is_idempotent_and_decisions_change_predictions(env, sqlite_url):
    _invoke("train", "--from", str(env), "--no-relevance-cv")
    _store_items(sqlite_url)
    first = json.loads(_invoke("classify", "--database", sqlite_url, "--json"))
    assert first["scored"] == 4
    with session_scope(sqlite_url) as s:
        before = {(c.kind, c.key): (c.relevance, c.technologies) for c in s.query(Candidate)}
        assert set(before) == {
            ("organisation", "name:civic crowd"),
            ("organisation", "domain:harlow.example"),
            ("organisation", "domain:air.example"),
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
        air = s.query(Candidate).filter_by(key="domain:air.example").one()
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
    _invoke("train", "--from", str(env), "--no-relevance-cv", "--decisions", "-d", sqlite_url)
    _invoke("classify", "--all", "--database", sqlite_url)
    with session_scope(sqlite_url) as s:
        air = s.query(Candidate).filter_by(key="domain:air.example").one()
        civic_cand = s.query(Candidate).filter_by(key="name:civic crowd").one()
        assert air.relevance < air_before - 0.1
        assert "Online learning and MOOCs" not in civic_item.technologies
        assert "Online learning and MOOCs" in civic_cand.technologies


def test_bench_reports_ratio(env):
    _invoke("train", "--from", str(env), "--no-relevance-cv")
    out = json.loads(
        _invoke("bench", "classify", "--items", "600", "--batch-size", "100", "--json")
    )
    assert out["items"] == 600 and out["batch_size"] == 100 and out["workers"] >= 1
    rates = [out[k] for k in ("items_per_s", "items_per_s_one_process", "baseline_items_per_s")]
    assert all(0 < r < float("inf") for r in rates)
    assert out["ratio_to_baseline"] == round(out["items_per_s"] / out["baseline_items_per_s"], 3)


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_classify_texts_without_a_database(env, tmp_path):
    _invoke("train", "--from", str(env), "--no-relevance-cv")
    texts = tmp_path / "texts.jsonl"
    rows = [
        {"id": "a", "text": "Bakery in Lyon: breads and cakes since 1961.", "kind": "website"},
        {
            "id": 7,
            "title": "Civic app developer",
            "text": "Volunteers build an open source app so citizens can report potholes "
            "to the city council online and crowdmap petitions for a vote.",
            "kind": "job",
        },
        {"id": "c", "text": "Traffic counts per hour, CSV, updated yearly.", "kind": "dataset"},
    ]
    texts.write_text("\n".join(json.dumps(r) for r in rows) + "\n\n", encoding="utf-8")
    out = tmp_path / "scores.jsonl"
    _invoke("classify", "--in", str(texts), "--out", str(out), "--workers", "1")
    got = _lines(out)
    assert [g["id"] for g in got] == ["a", 7, "c"]
    for g in got:
        assert set(g) >= {"id", "relevance", "relevant", "technologies", "areas", "model_version"}
        assert 0 <= g["relevance"] <= 1
        assert g["relevant"] == (g["relevance"] >= _threshold())
    assert got[1]["relevance"] > max(got[0]["relevance"], got[2]["relevance"])
    assert got[1]["relevant"] and got[1]["technologies"] and got[1]["areas"]
    assert not got[0]["technologies"] and not got[2]["areas"]
    # stdout, explanations, and the same scores from two worker processes
    lines = [
        json.loads(x) for x in _invoke("classify", "--in", str(texts), "--explain").splitlines()
    ]
    assert [x["relevance"] for x in lines] == [g["relevance"] for g in got]
    assert lines[1]["why"].startswith("social: ")


def _threshold() -> float:
    from classifiers.registry import default_model_dir, load_active

    return load_active(default_model_dir())[1].relevance_threshold


def test_classify_in_names_the_bad_line_or_skips_it(env, tmp_path):
    _invoke("train", "--from", str(env), "--no-relevance-cv")
    texts = tmp_path / "texts.jsonl"
    texts.write_text(
        '{"id": 1, "text": "an open data app for citizens"}\n'
        "{not json\n"
        '{"id": 3, "text": 5}\n'
        '{"id": 4, "text": "a bakery", "kind": "shop"}\n'
        '{"id": 5, "text": "a civic tech platform"}\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["classify", "--in", str(texts)])
    assert result.exit_code == 1
    assert "line 2: not JSON" in str(result.exception)
    out = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["classify", "--in", str(texts), "--out", str(out), "--skip-bad"])
    assert result.exit_code == 0, result.output
    assert [g["id"] for g in _lines(out)] == [1, 5]
    assert "skipped 3 malformed line(s)" in result.stderr
    assert "line 4: 'kind' must be one of" in result.stderr


def test_installed_dsi_classify_in_bad_file_is_one_line(tmp_path):
    result = run_dsi("classify", "--in", str(tmp_path / "missing.jsonl"))
    assert result.returncode == 1
    assert result.stderr.strip().startswith("Error:") and "Traceback" not in result.stderr


def test_evaluate_relevance_file_reports_per_genre_and_warns_on_overlap(env, tmp_path):
    from classifiers.corpus import shipped_corpus

    _invoke("train", "--from", str(env), "--no-relevance-cv")
    labelled = tmp_path / "relevance.jsonl"
    rows = [
        {
            "text": "Ledgerly is a SaaS platform for enterprise customers' invoices and revenue.",
            "label": 0,
            "genre": "org",
            "language": "en",
        },
        {
            "text": "The food pantry hands out groceries to families; volunteers sort donations.",
            "label": 0,
            "genre": "org",
            "language": "en",
        },
        {
            "text": "Traffic counts per hour at the city's counting stations, CSV, yearly.",
            "label": 0,
            "genre": "dataset",
            "language": "en",
        },
        {
            "text": "An open source app that lets citizens report potholes to the council online.",
            "label": 1,
            "genre": "project",
            "language": "en",
        },
        {
            "text": "Una plataforma digital abierta para la participación ciudadana en el barrio.",
            "label": 1,
            "genre": "project",
            "language": "es",
        },
    ]
    labelled.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--on", str(labelled), "--json"])
    assert result.exit_code == 0, result.output
    rep = json.loads(result.stdout)
    assert rep["samples"] == 5 and rep["positives"] == 2 and rep["overlap_with_training"] == 0
    assert set(rep["false_positive_rate_by_genre"]) == {"org", "dataset"}
    assert set(rep["false_positive_rate_by_language"]) == {"en"}
    assert "roc_auc_org" in rep and "warning" not in result.stderr
    # a training text in the evaluation file: figures are not held out, and it says so
    seen = shipped_corpus()[0]
    rows.append({"text": seen.text, "label": int(seen.label)})
    labelled.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--on", str(labelled)])
    assert result.exit_code == 0
    assert "1 of 6 evaluation texts are in the model's training data" in result.stderr
    assert "flagged by genre" in result.stdout


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
    ("url", "keys", "website"),
    [
        ("https://www.example.org/jobs", ["domain:example.org"], "https://www.example.org/jobs"),
        ("http://127.0.0.1:8781/", ["domain:127.0.0.1:8781"], "http://127.0.0.1:8781/"),
        ("https://example.org:443/", ["domain:example.org"], "https://example.org:443/"),
        ("https://www.linkedin.com/company/acme", ["social:linkedin:company/acme"], None),
        ("https://github.com/acme", ["social:github:acme"], None),
        ("not a url", ["name:acme"], None),
    ],
)
def test_candidate_identity_of_an_employer_url(url, keys, website):
    """An employer's own site is its website; a social page is a social link, never its
    website; anything else leaves the name as its identity."""
    from crawler.classify_items import candidate_refs
    from storage.models import Item

    fields = {"hiring_organization": "Acme GmbH", "hiring_organization_url": url}
    item = Item(spider="jobs", url="https://board.example/1", fields=fields)
    (ref,) = candidate_refs(item)
    assert list(ref.all_keys) == keys
    assert ref.website == website
