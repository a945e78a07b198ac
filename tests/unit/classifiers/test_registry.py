from __future__ import annotations

import json

import pytest

from classifiers.predict import Predictor
from classifiers.registry import (
    ModelError,
    active_info,
    list_models,
    load_active,
    read_metadata,
    save_model,
)


def test_save_load_roundtrip_with_metadata(tmp_path, tiny_trained):
    info = save_model(tiny_trained, tmp_path)
    meta = read_metadata(info.path)
    for key in (
        "version",
        "created",
        "data_hash",
        "training_data",
        "parameters",
        "metrics",
        "thresholds",
        "libraries",
        "artifact_sha256",
    ):
        assert key in meta
    assert meta["thresholds"]["technology"]["Robotics"] is None  # not learnable
    loaded_info, model = load_active(tmp_path)
    assert loaded_info.version == info.version
    text = ["crowdfunding petitions"]
    assert (
        Predictor(model).predict(text, detect_language=False)[0].relevance
        == Predictor(tiny_trained.model).predict(text, detect_language=False)[0].relevance
    )


def test_versions_accumulate_and_active_moves(tmp_path, tiny_trained):
    first = save_model(tiny_trained, tmp_path)
    second = save_model(tiny_trained, tmp_path, activate=False)
    assert active_info(tmp_path).version == first.version
    assert {m.version for m in list_models(tmp_path)} == {first.version, second.version}


def test_refuses_tampered_or_foreign_models(tmp_path, tiny_trained):
    with pytest.raises(ModelError, match="no active model"):
        load_active(tmp_path)
    info = save_model(tiny_trained, tmp_path)
    (info.path / "model.joblib").write_bytes(b"not our pickle")
    with pytest.raises(ModelError, match="SHA-256"):
        load_active(tmp_path)
    meta = json.loads((info.path / "metadata.json").read_text())
    meta["format"] = "someone-else/1"
    (info.path / "metadata.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match="not a dsi-crawler-model"):
        load_active(tmp_path)
