"""Query lines of ``dsi maindb match --in``: ``{"id", "name", "city"?, "country"?,
"website"?, "social"?}``, one JSON object per line."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from matching.records import Record

__all__ = ["QueryLineError", "parse_queries", "parse_query"]

_OPTIONAL = ("city", "country", "website")


class QueryLineError(ValueError):
    """A malformed query line; the message names the line."""


def _text(value: Any, field: str, number: int) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise QueryLineError(f"line {number}: '{field}' must be text, got {value!r}")
    return str(value).strip() or None


def parse_query(line: str, number: int) -> tuple[Any, Record]:
    """The line's own ``id`` value (echoed back as given) and the record to match."""
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise QueryLineError(f"line {number}: not JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise QueryLineError(f"line {number}: expected a JSON object")
    ident = _text(data.get("id"), "id", number)
    name = _text(data.get("name"), "name", number)
    if ident is None:
        raise QueryLineError(f"line {number}: 'id' is missing")
    if name is None:
        raise QueryLineError(f"line {number}: 'name' is missing or empty")
    social = data.get("social") or []
    if isinstance(social, str):
        social = [social]
    if not isinstance(social, list) or not all(isinstance(s, str) for s in social):
        raise QueryLineError(f"line {number}: 'social' must be a URL or a list of URLs")
    optional = {f: _text(data.get(f), f, number) for f in _OPTIONAL}
    return data["id"], Record(id=ident, name=name, social=tuple(social), **optional)


def parse_queries(lines: Iterable[str]) -> list[tuple[Any, Record]]:
    """Every non-blank line as a record; the first malformed line raises (nothing is lost:
    no line is matched until all are read)."""
    return [parse_query(line, n) for n, line in enumerate(lines, 1) if line.strip()]
