"""Repository for the main database (the DSI map): organisations and projects.

Records travel in the digitalsocial.eu export format (``../shared/data/dsi4eu``:
``organisations.json``, ``projects.json``): :func:`import_records` reads a list of them (the kind
is detected from the records), :func:`export_records` writes them back with the same keys, in
the same order, with the same values, so an import exports back without loss. Record ids are
kept (``organisation_id``, ``project_id``); entries created here get the next free id.

The same format is the interface for promotion (``review``): :func:`create_entry`,
:func:`update_entry` (returns the previous values, for undo), :func:`delete_entry` (returns the
whole record, for undo by :func:`restore_entry`) and :func:`get_entry`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from matching.keys import own_domain
from matching.records import Record
from storage.models import MainOrganisation, MainProject, utcnow
from storage.session import default_database_url

__all__ = [
    "KINDS",
    "Kind",
    "MainDbError",
    "create_entry",
    "delete_entry",
    "detect_kind",
    "export_records",
    "get_entry",
    "import_records",
    "main_database_url",
    "match_records",
    "restore_entry",
    "update_entry",
]

Kind = Literal["organisation", "project"]
KINDS: tuple[Kind, ...] = ("organisation", "project")
MainEntry = MainOrganisation | MainProject


class MainDbError(ValueError):
    """A record that does not fit the export format, or an entry that does not exist."""


def main_database_url(crawler_database: str | None = None) -> str:
    """``DSI_MAIN_DATABASE_URL``, else the crawler's database (``crawler_database``, else
    ``DSI_DATABASE_URL``...)."""
    return os.environ.get("DSI_MAIN_DATABASE_URL") or crawler_database or default_database_url()


# --- the export format: key -> column, with conversions both ways --------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise MainDbError(f"expected text, got {value!r}")
    return value


def _optional_text(value: Any) -> str | None:
    return None if value is None else _text(value)


def _coordinate(value: Any) -> float | None:
    if value in ("", None):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        try:
            return float(value)
        except (TypeError, ValueError):
            raise MainDbError(f"expected a coordinate, got {value!r}") from None
    return float(value)


def _coordinate_out(value: float | None) -> float | int | str:
    """ "" when unknown (the format's empty value); whole degrees as integers, as entered."""
    if value is None:
        return ""
    return int(value) if value.is_integer() else value


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise MainDbError(f"expected a list, got {value!r}")
    return list(value)


def _ids(value: Any) -> list[str]:
    return [str(x) for x in _list(value)]


def _same(value: Any) -> Any:
    return value


@dataclass(frozen=True, slots=True)
class _Field:
    key: str  # export key
    column: str  # model attribute
    into: Callable[[Any], Any] = _text
    out: Callable[[Any], Any] = _same


_ORGANISATION_FIELDS = (
    _Field("organisation_name", "name"),
    _Field("website", "website"),
    _Field("short_description", "short_description"),
    _Field("long_description", "long_description"),
    _Field("country", "country"),
    _Field("region", "region"),
    _Field("latitude", "latitude", _coordinate, _coordinate_out),
    _Field("longitude", "longitude", _coordinate, _coordinate_out),
    _Field("address", "address"),
    # organisation_type is two columns (see _ORGANISATION_TYPE)
    _Field("organisation_size", "size"),
    _Field("startDate", "start_date"),
    _Field("linked_project_ids", "linked_project_ids", _ids),
    _Field("tags", "tags", _list),
    _Field("networkTags", "networks", _list),
    _Field("created", "created"),
)
_PROJECT_FIELDS = (
    _Field("project_name", "name"),
    _Field("website", "website"),
    _Field("short_description", "short_description"),
    _Field("long_description", "long_description"),
    _Field("social_impact", "social_impact"),
    _Field("start_date", "start_date", _optional_text),
    _Field("end_date", "end_date", _optional_text),
    _Field("country", "country"),
    _Field("region", "region"),
    _Field("latitude", "latitude", _coordinate, _coordinate_out),
    _Field("longitude", "longitude", _coordinate, _coordinate_out),
    _Field("linked_organisation_ids", "linked_organisation_ids", _ids),
    _Field("who_we_help_tags", "who_we_help", _list),
    _Field("support_tags", "social_areas", _list),
    _Field("focus", "focus", _list),
    _Field("technology", "technologies", _list),
    _Field("creation_date", "creation_date"),
)
#: export key order of each kind (the platform's own order)
_ORDER: dict[Kind, tuple[str, ...]] = {
    "organisation": (
        "organisation_id", "organisation_name", "website", "short_description",
        "long_description", "country", "region", "latitude", "longitude", "address",
        "organisation_type", "organisation_size", "startDate", "linked_project_ids", "tags",
        "networkTags", "created",
    ),
    "project": (
        "project_id", "project_name", "website", "short_description", "long_description",
        "social_impact", "start_date", "end_date", "country", "region", "latitude",
        "longitude", "linked_organisation_ids", "who_we_help_tags", "support_tags", "focus",
        "technology", "creation_date",
    ),
}  # fmt: skip
_ID_KEY: dict[Kind, str] = {"organisation": "organisation_id", "project": "project_id"}
_NAME_KEY: dict[Kind, str] = {"organisation": "organisation_name", "project": "project_name"}
_MODEL: dict[Kind, type[MainEntry]] = {"organisation": MainOrganisation, "project": MainProject}
_FIELDS: dict[Kind, tuple[_Field, ...]] = {
    "organisation": _ORGANISATION_FIELDS,
    "project": _PROJECT_FIELDS,
}
_ORGANISATION_TYPE = "organisation_type"


def _model(kind: str) -> type[MainEntry]:
    if kind not in _MODEL:
        raise MainDbError(f"unknown kind {kind!r}: use 'organisation' or 'project'")
    return _MODEL[kind]  # type: ignore[index]


def _get(session: Session, kind: Kind, entry_id: int, *, lock: bool = False) -> MainEntry | None:
    row = session.get(_model(kind), entry_id, with_for_update=lock)
    return row if isinstance(row, MainOrganisation | MainProject) else None


def detect_kind(records: Sequence[Any]) -> Kind:
    """``organisation`` or ``project``, from the records' id keys (all must agree)."""
    kinds = set()
    for record in records:
        if isinstance(record, dict):
            kinds |= {
                kind for kind in KINDS if _ID_KEY[kind] in record or _NAME_KEY[kind] in record
            }
    if len(kinds) != 1:
        found = "both" if kinds else "neither"
        raise MainDbError(
            "cannot tell organisations from projects: records carry "
            f"{found} of organisation_id/organisation_name and project_id/project_name"
        )
    return kinds.pop()


def _columns(kind: Kind, record: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """Column values of an export-format record (only the keys present when ``partial``)."""
    values: dict[str, Any] = {}
    for f in _FIELDS[kind]:
        if f.key not in record and partial:
            continue
        try:
            values[f.column] = f.into(record.get(f.key))
        except MainDbError as exc:
            raise MainDbError(f"{f.key}: {exc}") from None
    if kind == "organisation" and (_ORGANISATION_TYPE in record or not partial):
        values.update(_organisation_type(record.get(_ORGANISATION_TYPE)))
    if "name" in values and not values["name"].strip():
        raise MainDbError(f"{_NAME_KEY[kind]} is empty")
    if "website" in values:
        values["domain"] = own_domain(values["website"]) or ""
    if "country" in values:
        values["country_code"] = _country_code(values["country"])
    known = set(_ORDER[kind])
    extra = {k: v for k, v in record.items() if k not in known}
    if extra or not partial:
        values["extra"] = extra
    return values


def _organisation_type(value: Any) -> dict[str, Any]:
    if value is None:
        return {"type_id": 0, "type_name": ""}
    if not isinstance(value, dict) or not isinstance(value.get("id", 0), int):
        raise MainDbError(f"organisation_type: expected {{'id': int, 'name': str}}, got {value!r}")
    return {"type_id": int(value.get("id", 0)), "type_name": _text(value.get("name", ""))}


def _country_code(country: str) -> str | None:
    from matching.places import country_code

    return country_code(country)


def _record(kind: Kind, row: MainEntry) -> dict[str, Any]:
    """The export-format record of a row."""
    out: dict[str, Any] = {_ID_KEY[kind]: _entry_id(kind, row)}
    for f in _FIELDS[kind]:
        out[f.key] = f.out(getattr(row, f.column))
    if isinstance(row, MainOrganisation):
        out[_ORGANISATION_TYPE] = {"id": row.type_id, "name": row.type_name}
    ordered = {key: out[key] for key in _ORDER[kind]}
    ordered.update(row.extra or {})
    return ordered


def _entry_id(kind: Kind, row: MainEntry) -> int:
    if isinstance(row, MainOrganisation):
        return row.organisation_id
    return row.project_id


def _record_id(kind: Kind, record: dict[str, Any]) -> int | None:
    value = record.get(_ID_KEY[kind])
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise MainDbError(f"{_ID_KEY[kind]}: expected an integer, got {value!r}")
    try:
        return int(value)
    except ValueError:
        raise MainDbError(f"{_ID_KEY[kind]}: expected an integer, got {value!r}") from None


# --- import and export ------------------------------------------------------------------------


@dataclass(slots=True)
class ImportSummary:
    kind: Kind
    inserted: int = 0
    updated: int = 0
    #: "record N (id X): problem" for each record that was skipped
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "inserted": self.inserted,
            "updated": self.updated,
            "errors": self.errors,
        }


def import_records(session: Session, records: Sequence[Any]) -> ImportSummary:
    """Insert or update (by record id) every record; a bad record is reported and skipped,
    never losing the others."""
    kind = detect_kind(records)
    summary = ImportSummary(kind=kind)
    for number, record in enumerate(records, start=1):
        try:
            if not isinstance(record, dict):
                raise MainDbError("not a JSON object")
            entry_id = _record_id(kind, record)
            values = _columns(kind, record, partial=False)
        except MainDbError as exc:
            ident = record.get(_ID_KEY[kind]) if isinstance(record, dict) else None
            summary.errors.append(f"record {number} (id {ident}): {exc}")
            continue
        row = _get(session, kind, entry_id) if entry_id is not None else None
        if row is None:
            _insert(session, kind, entry_id, values)
            summary.inserted += 1
        else:
            _assign(row, values)
            summary.updated += 1
    session.flush()
    _advance_sequence(session, kind)
    return summary


def _insert(session: Session, kind: Kind, entry_id: int | None, values: dict[str, Any]) -> int:
    model = _model(kind)
    row = model(**values, updated_at=utcnow())
    if entry_id is not None:
        setattr(row, _ID_KEY[kind], entry_id)
    session.add(row)
    session.flush()
    return _entry_id(kind, row)


def _assign(row: MainEntry, values: dict[str, Any]) -> None:
    for column, value in values.items():
        setattr(row, column, value)
    row.updated_at = utcnow()


def _advance_sequence(session: Session, kind: Kind) -> None:
    """PostgreSQL: move the id sequence past ids imported explicitly (SQLite needs nothing)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    model = _model(kind)
    table, column = model.__tablename__, _ID_KEY[kind]
    session.execute(
        text(
            f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
            f"COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
        )
    )


def export_records(session: Session, kind: Kind) -> list[dict[str, Any]]:
    """Every entry of ``kind`` in the export format, by id."""
    model = _model(kind)
    id_column = getattr(model, _ID_KEY[kind])
    rows = session.scalars(select(model).order_by(id_column))
    return [_record(kind, row) for row in rows if isinstance(row, MainOrganisation | MainProject)]


def count_entries(session: Session) -> dict[str, int]:
    return {
        kind: int(session.scalar(select(func.count()).select_from(_model(kind))) or 0)
        for kind in KINDS
    }


# --- single entries (promotion, merge, undo) --------------------------------------------------


def get_entry(session: Session, kind: Kind, entry_id: int) -> dict[str, Any] | None:
    """The entry in the export format, or None."""
    row = _get(session, kind, entry_id)
    return None if row is None else _record(kind, row)


def create_entry(session: Session, kind: Kind, record: dict[str, Any]) -> int:
    """A new entry from an export-format record (missing keys take empty values; the id is
    the record's if given and free, else the next one); returns its id."""
    entry_id = _record_id(kind, record)
    if entry_id is not None and _get(session, kind, entry_id) is not None:
        raise MainDbError(f"{kind} {entry_id} already exists")
    new_id = _insert(session, kind, entry_id, _columns(kind, record, partial=False))
    if entry_id is not None:
        _advance_sequence(session, kind)
    return new_id


def update_entry(
    session: Session, kind: Kind, entry_id: int, changes: dict[str, Any]
) -> dict[str, Any]:
    """Set the export-format keys in ``changes``; returns their previous values (same keys),
    which ``update_entry`` takes back to undo. The id cannot change."""
    row = _get(session, kind, entry_id, lock=True)
    if row is None:
        raise MainDbError(f"no {kind} {entry_id}")
    if _ID_KEY[kind] in changes and _record_id(kind, changes) != entry_id:
        raise MainDbError(f"{_ID_KEY[kind]} cannot change")
    before = _record(kind, row)
    values = _columns(kind, changes, partial=True)
    if "extra" in values:
        values["extra"] = {**(row.extra or {}), **values["extra"]}
    _assign(row, values)
    session.flush()
    return {key: before.get(key) for key in changes if key != _ID_KEY[kind]}


def delete_entry(session: Session, kind: Kind, entry_id: int) -> dict[str, Any]:
    """Delete an entry; returns its whole record (``restore_entry`` brings it back)."""
    row = _get(session, kind, entry_id, lock=True)
    if row is None:
        raise MainDbError(f"no {kind} {entry_id}")
    record = _record(kind, row)
    session.delete(row)
    session.flush()
    return record


def restore_entry(session: Session, kind: Kind, record: dict[str, Any]) -> int:
    """Put back a record returned by :func:`delete_entry` (same id, same values)."""
    if _record_id(kind, record) is None:
        raise MainDbError(f"cannot restore a record without {_ID_KEY[kind]}")
    return create_entry(session, kind, record)


# --- for the matcher --------------------------------------------------------------------------


def match_records(session: Session, kind: Kind = "organisation") -> list[Record]:
    """Every entry as a :class:`matching.records.Record` (id as text)."""
    model = _model(kind)
    id_column = getattr(model, _ID_KEY[kind])
    rows = session.execute(
        select(id_column, model.name, model.website, model.country_code, model.country,
               model.region).order_by(id_column)
    )  # fmt: skip
    return [
        Record(
            id=str(entry_id),
            name=name,
            website=website or None,
            country=code or country or None,
            city=region or None,
        )
        for entry_id, name, website, code, country, region in rows
    ]


def insert_many(session: Session, kind: Kind, records: Iterable[dict[str, Any]]) -> int:
    """Fast bulk insert of new export-format records (benchmarks, large imports of fresh
    databases); no upsert. Returns how many."""
    model = _model(kind)
    now = utcnow()
    rows = []
    for record in records:
        values = _columns(kind, record, partial=False)
        entry_id = _record_id(kind, record)
        if entry_id is not None:
            values[_ID_KEY[kind]] = entry_id
        rows.append({**values, "updated_at": now})
    if rows:
        session.execute(model.__table__.insert(), rows)  # type: ignore[attr-defined]
        _advance_sequence(session, kind)
    return len(rows)
