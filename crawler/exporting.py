"""Turn stored items into export records (JSON lines, CSV or Parquet) with the spiders' fixed
fields, the storage columns, and one model version's score.

Score columns (empty when the item has no score by that version): ``relevance`` (calibrated
probability), ``relevant`` (at or above the model's operating threshold), ``technologies`` and
``areas`` (labels above their thresholds, most distinctive first), ``model_version`` and
``relevance_threshold`` (read from the score, so every row says which cut it was judged by).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from dataclasses import fields
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from crawler.items import ITEM_CLASSES, export_fields
from storage.models import Item, ItemScore
from storage.research import SCORE_FIELDS, score_values

#: storage columns added after the spider's fields
COUNT_FIELDS = ("times_seen",)
_TIMESTAMPS = ("first_seen", "last_seen")


def export_columns(spider: str) -> list[str]:
    """Column order of ``dsi export items --spider SPIDER``."""
    return [*export_fields(spider), *COUNT_FIELDS, *SCORE_FIELDS]


def export_record(item: Item, columns: list[str], score: ItemScore | None = None) -> dict[str, Any]:
    fields_ = item.fields or {}
    storage = {
        "first_seen": item.first_seen.isoformat() if item.first_seen else None,
        "last_seen": item.last_seen.isoformat() if item.last_seen else None,
        "dedupe_group": item.dedupe_group,
        "warnings": item.warnings or [],
        "times_seen": item.times_seen,
        **score_values(score),
    }
    return {col: storage[col] if col in storage else fields_.get(col) for col in columns}


def iter_records(
    rows: Iterable[tuple[Item, ItemScore | None]], spider: str, *, relevant_only: bool = False
) -> Iterator[dict[str, Any]]:
    columns = export_columns(spider)
    for item, score in rows:
        record = export_record(item, columns, score)
        if relevant_only and record["relevant"] is not True:
            continue
        yield record


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        n += 1
    return n


def _csv_cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return ""
    return value


def write_csv(records: Iterable[dict[str, Any]], out: IO[str], spider: str) -> int:
    writer = csv.DictWriter(out, fieldnames=export_columns(spider), lineterminator="\n")
    writer.writeheader()
    n = 0
    for record in records:
        writer.writerow({k: _csv_cell(v) for k, v in record.items()})
        n += 1
    return n


def _kind(annotation: Any) -> str:
    """``list``, ``json``, ``bool``, ``float``, ``int`` or ``str`` for a field annotation."""
    text = str(annotation)
    for kind, marker in (("list", "list["), ("json", "dict["), ("bool", "bool")):
        if marker in text:
            return kind
    if "float" in text:
        return "float"
    return "int" if text.startswith("int") else "str"


def column_kinds(spider: str) -> dict[str, str]:
    """The Parquet kind of every export column."""
    hints = {f.name: f.type for f in fields(ITEM_CLASSES[spider])}
    kinds = {col: _kind(hints.get(col, "str")) for col in export_columns(spider)}
    kinds.update(
        warnings="list",
        times_seen="int",
        relevance="float",
        relevant="bool",
        technologies="list",
        areas="list",
        relevance_threshold="float",
        **dict.fromkeys(_TIMESTAMPS, "timestamp"),
    )
    return kinds


def _coerce(value: Any, kind: str) -> Any:
    """One value in its column's type; a value that does not fit becomes its JSON text
    (string columns) or None, so one odd record never stops an export."""
    if value is None:
        return None
    if kind == "list":
        items = value if isinstance(value, list) else [value]
        return [v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in items]
    if kind == "timestamp":
        return datetime.fromisoformat(value) if isinstance(value, str) else value
    if kind == "bool":
        return value if isinstance(value, bool) else None
    if kind in ("float", "int"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return float(value) if kind == "float" else int(value)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def write_parquet(
    records: Iterable[dict[str, Any]], path: Path, spider: str, *, batch_size: int = 2000
) -> int:
    """Write records to a Parquet file in row groups of ``batch_size`` (constant memory)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {
        "list": pa.list_(pa.string()),
        "timestamp": pa.timestamp("us", tz="UTC"),
        "bool": pa.bool_(),
        "float": pa.float64(),
        "int": pa.int64(),
        "str": pa.string(),
        "json": pa.string(),
    }
    kinds = column_kinds(spider)
    schema = pa.schema([(col, types[kind]) for col, kind in kinds.items()])
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        batch: list[dict[str, Any]] = []
        for record in records:
            batch.append({col: _coerce(record.get(col), kinds[col]) for col in kinds})
            if len(batch) >= batch_size:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                n += len(batch)
                batch = []
        if batch or n == 0:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            n += len(batch)
    return n


__all__ = [
    "SCORE_FIELDS",
    "column_kinds",
    "export_columns",
    "export_record",
    "iter_records",
    "write_csv",
    "write_jsonl",
    "write_parquet",
]
