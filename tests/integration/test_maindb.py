"""The main database on SQLite and real PostgreSQL: the shared DSI4EU sample round-trips through
import and export; single-entry create/update/delete/restore; the 0002_maindb migration."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import inspect

from classifiers.dataset import SHIPPED_ORGANISATIONS
from storage import maindb
from storage.migrate import current_revision, downgrade, upgrade
from storage.session import get_engine, session_scope

#: the shipped copy of the shared DSI4EU sample (byte-identical to ../shared/data/dsi4eu)
DSI4EU = SHIPPED_ORGANISATIONS.parent


def sample(name: str) -> list[dict[str, Any]]:
    path = DSI4EU / name
    if not path.is_file():
        pytest.fail(f"the shared DSI4EU sample is missing: {path}")
    data: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize(("name", "kind"), [("organisations.json", "organisation"),
                                            ("projects.json", "project")])  # fmt: skip
def test_shared_sample_round_trips_without_loss(database_url: str, name: str, kind: str) -> None:
    records = sample(name)
    with session_scope(database_url) as session:
        summary = maindb.import_records(session, records)
    assert (summary.kind, summary.inserted, summary.errors) == (kind, len(records), [])
    with session_scope(database_url) as session:
        exported = maindb.export_records(session, summary.kind)
    id_key = f"{kind}_id"
    expected = sorted(records, key=lambda r: r[id_key])
    # same records, same key order, same JSON text (types included: "" vs null, ints)
    assert json.dumps(exported, ensure_ascii=False) == json.dumps(expected, ensure_ascii=False)
    # importing the export again changes nothing
    with session_scope(database_url) as session:
        again = maindb.import_records(session, exported)
    assert (again.inserted, again.updated) == (0, len(records))


def test_bad_records_are_reported_and_never_lose_the_others(database_url: str) -> None:
    good = {
        "organisation_id": 7,
        "organisation_name": "Good Org",
        "website": "https://www.x.org.uk",
    }
    records = [
        good,
        {"organisation_id": 8, "organisation_name": "   "},
        {"organisation_id": "x9", "organisation_name": "Bad id"},
        {"organisation_id": 10, "organisation_name": "Bad lat", "latitude": "north"},
        "not an object",
    ]
    with session_scope(database_url) as session:
        summary = maindb.import_records(session, records)
    assert summary.inserted == 1
    assert [e.split(":")[0] for e in summary.errors] == [
        "record 2 (id 8)", "record 3 (id x9)", "record 4 (id 10)", "record 5 (id None)"
    ]  # fmt: skip
    with session_scope(database_url) as session:
        entry = maindb.get_entry(session, "organisation", 7)
        assert entry is not None and entry["organisation_name"] == "Good Org"
        # missing keys take the format's empty values
        assert entry["latitude"] == "" and entry["organisation_type"] == {"id": 0, "name": ""}
        row = session.get(maindb.MainOrganisation, 7)
        assert row is not None and row.domain == "x.org.uk"


def test_kind_must_be_clear() -> None:
    with pytest.raises(maindb.MainDbError, match="cannot tell"):
        maindb.detect_kind([{"organisation_id": 1}, {"project_id": 2}])
    with pytest.raises(maindb.MainDbError, match="cannot tell"):
        maindb.detect_kind([{"name": "x"}])


def test_create_update_delete_restore(database_url: str) -> None:
    with session_scope(database_url) as session:
        maindb.import_records(session, sample("organisations.json")[:5])
    with session_scope(database_url) as session:
        new_id = maindb.create_entry(
            session,
            "organisation",
            {"organisation_name": "Stichting Open Data", "website": "https://opendata.nl",
             "country": "Netherlands", "region": "Amsterdam"},
        )  # fmt: skip
        # the next id after the imported ones, also on PostgreSQL (sequence moved on)
        assert new_id > max(r["organisation_id"] for r in sample("organisations.json")[:5])
    with session_scope(database_url) as session:
        before = maindb.update_entry(
            session, "organisation", new_id, {"region": "Utrecht", "tags": ["open data"]}
        )
        assert before == {"region": "Amsterdam", "tags": []}
    with session_scope(database_url) as session:
        maindb.update_entry(session, "organisation", new_id, before)  # undo
        entry = maindb.get_entry(session, "organisation", new_id)
        assert entry is not None and (entry["region"], entry["tags"]) == ("Amsterdam", [])
    with session_scope(database_url) as session:
        record = maindb.delete_entry(session, "organisation", new_id)
        assert maindb.get_entry(session, "organisation", new_id) is None
    with session_scope(database_url) as session:
        assert maindb.restore_entry(session, "organisation", record) == new_id
        assert maindb.get_entry(session, "organisation", new_id) == record
    with session_scope(database_url) as session:
        with pytest.raises(maindb.MainDbError, match="already exists"):
            maindb.create_entry(session, "organisation", record)
        with pytest.raises(maindb.MainDbError, match="no project 424242"):
            maindb.update_entry(session, "project", 424242, {"region": "x"})
        with pytest.raises(maindb.MainDbError, match="cannot change"):
            maindb.update_entry(session, "organisation", new_id, {"organisation_id": 1})


def test_match_records_carry_iso_country_and_city(database_url: str) -> None:
    with session_scope(database_url) as session:
        maindb.import_records(session, sample("organisations.json"))
        records = {r.id: r for r in maindb.match_records(session)}
    first = records["336"]
    assert (first.name, first.country, first.city) == (
        "#3DPM (#3DPrinting Network Manchester)", "GB", "Bolton"
    )  # fmt: skip


def _head(url: str) -> str | None:
    """The newest revision (later issues' migrations may follow 0002_maindb)."""
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config

    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def test_migration_upgrades_and_downgrades(database_url: str) -> None:
    assert current_revision(database_url) == _head(database_url)
    with session_scope(database_url) as session:
        maindb.import_records(session, sample("organisations.json")[:3])
    downgrade(database_url, "0001")
    get_engine(database_url).dispose()
    tables = set(inspect(get_engine(database_url)).get_table_names())
    assert "main_organisations" not in tables and "candidate_keys" not in tables
    assert "candidates" in tables
    upgrade(database_url)
    get_engine(database_url).dispose()
    assert current_revision(database_url) == _head(database_url)
    with session_scope(database_url) as session:
        assert maindb.count_entries(session) == {"organisation": 0, "project": 0}
