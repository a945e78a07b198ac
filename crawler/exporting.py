"""Turn stored items into export records (JSON lines or CSV) with the spiders' fixed fields."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, Any

from crawler.items import export_fields
from storage.models import Item


def export_record(item: Item, columns: list[str]) -> dict[str, Any]:
    fields = item.fields or {}
    storage = {
        "first_seen": item.first_seen.isoformat() if item.first_seen else None,
        "last_seen": item.last_seen.isoformat() if item.last_seen else None,
        "dedupe_group": item.dedupe_group,
        "warnings": item.warnings or [],
    }
    return {col: storage[col] if col in storage else fields.get(col) for col in columns}


def iter_records(items: Iterable[Item], spider: str) -> Iterator[dict[str, Any]]:
    columns = export_fields(spider)
    for item in items:
        yield export_record(item, columns)


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
        n += 1
    return n


def _csv_cell(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if value is None:
        return ""
    return value


def write_csv(records: Iterable[dict[str, Any]], out: IO[str], spider: str) -> int:
    writer = csv.DictWriter(out, fieldnames=export_fields(spider), lineterminator="\n")
    writer.writeheader()
    n = 0
    for record in records:
        writer.writerow({k: _csv_cell(v) for k, v in record.items()})
        n += 1
    return n
