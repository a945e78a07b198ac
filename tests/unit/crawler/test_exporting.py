"""Score columns and Parquet types of ``dsi export items`` (no database)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from crawler.exporting import column_kinds, write_parquet
from storage.models import ItemScore
from storage.research import score_values


def test_score_values_without_explanation_order_or_flag() -> None:
    score = ItemScore(
        item_id=1,
        model_version="v",
        relevance=0.7,
        technologies={"a": 0.2, "b": 0.9},
        areas={},
        explanation={"relevance_threshold": 0.65},
    )
    values = score_values(score)
    assert values["relevant"] is True  # 0.7 >= 0.65 when the flag is absent
    assert values["technologies"] == ["b", "a"]  # by probability
    assert score_values(None) == dict.fromkeys(values)


def test_parquet_types_and_odd_values(tmp_path: Path) -> None:
    kinds = column_kinds("jobs")
    assert kinds["salary_min"] == "float" and kinds["remote"] == "bool"
    assert kinds["first_seen"] == "timestamp" and kinds["technologies"] == "list"
    path = tmp_path / "x.parquet"
    records = [
        {"url": "u1", "salary_min": "not a number", "remote": True, "title": 5},
        {"url": "u2", "salary_min": 10, "first_seen": "2026-01-05T10:00:00+00:00"},
    ]
    assert write_parquet(records, path, "jobs", batch_size=1) == 2
    frame = pd.read_parquet(path)
    assert frame["salary_min"].isna().tolist() == [True, False]  # a bad value is not a crash
    assert frame["title"].tolist() == ["5", None]
    assert frame["first_seen"].iloc[1] == pd.Timestamp("2026-01-05T10:00:00Z")
    assert write_parquet([], tmp_path / "empty.parquet", "jobs") == 0
    assert list(pd.read_parquet(tmp_path / "empty.parquet").columns)[:2] == ["url", "source"]
