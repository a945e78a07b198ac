"""Items as stored: their fields without the raw payload."""

from __future__ import annotations

from dataclasses import asdict

from crawler.items import JobAdvert, OpenDataRecord


def test_fields_dict_is_asdict_without_raw_and_copies_lists() -> None:
    raw = {"resources": [{"url": "https://x.example/a.csv", "extras": [{"k": "v"}]}]}
    record = OpenDataRecord(
        source="s",
        url="https://x.example/dataset/1",
        portal_url="https://x.example/",
        kind="dataset",
        dataset_id="1",
        title="Trees",
        tags=["trees"],
        raw=raw,
    )
    expected = asdict(record)
    expected.pop("raw")
    data = record.fields_dict()
    assert data == expected and "raw" not in data
    assert data["tags"] == record.tags and data["tags"] is not record.tags
    assert record.raw is raw  # the item itself is untouched
    job = JobAdvert(source="s", url="https://j.example/1", title="Dev", raw={"a": 1})
    assert job.fields_dict()["title"] == "Dev" and "raw" not in job.fields_dict()
