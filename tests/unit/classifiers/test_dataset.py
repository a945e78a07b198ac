from __future__ import annotations

import json
from pathlib import Path

import pytest

from classifiers.dataset import (
    SHIPPED_PROJECTS,
    ExportFormatError,
    UnknownLabelError,
    load_export,
    parse_records,
    strip_html,
)
from classifiers.taxonomy import load_taxonomy

from .conftest import tiny_export


def test_strip_html_keeps_text_and_decodes_entities():
    assert (
        strip_html("<p>Fundaci&oacute;n <b>abierta</b></p><p>dos</p>") == "Fundación abierta\ndos"
    )


def test_taxonomy_maps_2017_names_case_insensitively():
    tax = load_taxonomy()
    assert tax.map_tag("area", "Education and skills") == ["Skills and learning"]
    assert tax.map_tag("technology", "OPEN DATA") == ["Open data"]
    assert tax.map_tag("technology", "no such tag") is None
    assert len(tax.labels["technology"]) == 18 and len(tax.labels["area"]) == 10


def test_parse_records_labels_and_text():
    ds = parse_records(tiny_export(2), source="t")
    rec = ds.records[0]
    assert rec.kind == "project" and "<p>" not in rec.text
    assert rec.labels["technology"] == ["Crowdsourcing, crowdmapping and crowdfunding"]
    assert rec.labels["area"] == ["Digital democracy"]


def test_unlabelled_task_is_missing_not_negative():
    data = tiny_export(2)
    data[0]["technology"] = [{"id": "1", "name": "21"}]  # dropped on purpose by the mapping
    data[1]["technology"] = []
    ds = parse_records(data, source="t")
    assert "technology" not in ds.records[0].labels
    assert "technology" not in ds.records[1].labels
    assert len(ds.labelled("technology")) == len(data) - 2


def test_unknown_label_is_an_error_naming_record_and_label():
    data = tiny_export(2)
    data[3]["support_tags"].append({"id": "x", "name": "Underwater basket weaving"})
    with pytest.raises(UnknownLabelError, match=r"record #3 \(project_id=4\).*Underwater"):
        parse_records(data, source="t")
    ds = parse_records(data, source="t", unknown="skip")
    assert ds.unknown_labels[("area", "Underwater basket weaving")] == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"projects": []}, "expected a JSON list"),
        ([1, 2], r"record #0: expected a JSON object"),
        ([{"name": "x"}], r"record #0: neither project_id nor organisation_id"),
        ([{"project_id": "abc"}], "project_id must be an integer"),
        (
            [{"project_id": 5, "technology": "Open data"}],
            r"project_id=5.*'technology' must be a list",
        ),
        ([{"project_id": 5, "support_tags": ["Science"]}], r"support_tags\[0\] must be an object"),
        ([{"project_id": 5, "long_description": 12}], "'long_description' must be a string"),
    ],
)
def test_wrong_shape_errors_name_the_record(data, message):
    with pytest.raises(ExportFormatError, match=message):
        parse_records(data, source="t")


def test_not_json_is_a_clear_error(tmp_path: Path):
    path = tmp_path / "x.json"
    path.write_bytes(b"\x00\x01garbage")
    with pytest.raises(ExportFormatError, match="not a JSON export"):
        load_export(path)


def test_shipped_sample_loads_with_spam_flagged_and_orgs_mixed(tmp_path: Path):
    ds = load_export(SHIPPED_PROJECTS)
    assert len(ds.records) == 537
    assert sum(r.spam for r in ds.records) == 24
    assert not ds.unknown_labels
    # a file mixing organisations and projects loads too
    orgs = json.loads((SHIPPED_PROJECTS.parent / "organisations.json").read_text())[:5]
    mixed = tmp_path / "mixed.json"
    mixed.write_text(json.dumps(orgs + tiny_export(1)))
    kinds = {r.kind for r in load_export(mixed).records}
    assert kinds == {"organisation", "project"}
