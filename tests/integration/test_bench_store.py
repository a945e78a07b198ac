"""A tiny run of the store benchmark: the upsert is idempotent and the report adds up
(no timing is asserted)."""

from __future__ import annotations

import pytest

from crawler.bench.store import bench_store, make_rows


def test_rows_are_deterministic_and_distinct() -> None:
    rows = make_rows(50)
    assert [r.url for r in rows] == [r.url for r in make_rows(50)]
    assert len({r.url for r in rows}) == 50


@pytest.mark.postgres
def test_store_bench_on_sqlite_and_postgresql(postgres_server_url: str) -> None:
    entries = bench_store(200, 50, postgres_server_url)
    assert [e["database"] for e in entries] == ["sqlite", "postgresql"]
    for entry in entries:
        assert entry["rows_stored_after_two_upserts"] == 200  # the second upsert added none
        rates = entry["upsert_new_rows_per_s"] / entry["baseline"]["rows_per_s"]
        assert abs(entry["ratio"] - rates) < 0.01
