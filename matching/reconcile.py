"""The W3C Reconciliation Service API (v0.2), as plain dicts in and out.

OpenRefine (and any reconciliation client) sends batches of queries::

    {"q0": {"query": "Fab Lab Palermo", "type": "organisation", "limit": 3,
            "properties": [{"pid": "country", "v": "Italy"}, {"pid": "city", "v": "Palermo"},
                           {"pid": "website", "v": "fablabpalermo.org"}]}}

and gets, per query id, ``{"result": [{"id", "name", "score" (0-100), "match", "type",
"features"}]}``. ``match`` is true for the entry the matcher accepts (above its threshold);
``features`` carry the calibrated score and the reasons.
"""

from __future__ import annotations

from typing import Any

from matching.index import Matcher
from matching.records import Record

__all__ = [
    "ORGANISATION_TYPE",
    "PROPERTIES",
    "ReconcileError",
    "answer",
    "manifest",
    "parse_queries",
]

ORGANISATION_TYPE = {"id": "organisation", "name": "Organisation"}
#: the properties a query may give, and what they mean to the matcher
PROPERTIES = {
    "country": "Country (ISO code or a name in any language)",
    "city": "City or region (any language)",
    "website": "Website (any page of it)",
    "social": "Social profile URL (LinkedIn, X, Mastodon...)",
}
MAX_LIMIT = 25


class ReconcileError(ValueError):
    """A malformed reconciliation request; the message says what is wrong."""


def manifest(
    base_url: str, name: str = "DSI map (digitalsocial.eu) organisations"
) -> dict[str, Any]:
    """The service manifest (``GET /``)."""
    base = base_url.rstrip("/")
    return {
        "versions": ["0.1", "0.2"],
        "name": name,
        "identifierSpace": "https://digitalsocial.eu/organisations/",
        "schemaSpace": "http://schema.org/",
        "defaultTypes": [ORGANISATION_TYPE],
        "view": {"url": f"{base}/view/{{{{id}}}}"},
        "preview": {"url": f"{base}/preview?id={{{{id}}}}", "width": 420, "height": 160},
        "batchSize": 50,
    }


def _property_values(props: Any, key: str) -> dict[str, list[str]]:
    if props is None:
        return {}
    if not isinstance(props, list):
        raise ReconcileError(f"{key}: 'properties' must be a list")
    out: dict[str, list[str]] = {}
    for prop in props:
        if not isinstance(prop, dict):
            raise ReconcileError(f"{key}: each property must be an object")
        pid = prop.get("pid") or prop.get("p")
        if pid not in PROPERTIES:
            raise ReconcileError(
                f"{key}: unknown property {pid!r}: use one of {', '.join(PROPERTIES)}"
            )
        values = prop.get("v")
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, dict):  # {"id": ..., "name": ...} reconciled values
                value = value.get("name") or value.get("id")
            if isinstance(value, str | int | float) and str(value).strip():
                out.setdefault(str(pid), []).append(str(value).strip())
    return out


def parse_queries(batch: Any) -> dict[str, tuple[Record, int]]:
    """Query id -> (record, limit), from a batch object; raises :class:`ReconcileError`."""
    if not isinstance(batch, dict) or not batch:
        raise ReconcileError("'queries' must be a JSON object of queries keyed by id")
    out: dict[str, tuple[Record, int]] = {}
    for key, query in batch.items():
        if isinstance(query, str):
            query = {"query": query}
        if not isinstance(query, dict):
            raise ReconcileError(f"{key}: a query must be an object")
        text = query.get("query")
        if not isinstance(text, str) or not text.strip():
            raise ReconcileError(f"{key}: 'query' must be a non-empty string")
        kind = query.get("type")
        if kind not in (None, "", ORGANISATION_TYPE["id"]):
            raise ReconcileError(f"{key}: unknown type {kind!r}: this service has 'organisation'")
        limit = query.get("limit", 3)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ReconcileError(f"{key}: 'limit' must be a positive integer")
        props = _property_values(query.get("properties"), str(key))
        first = {pid: values[0] for pid, values in props.items() if pid != "social"}
        record = Record(
            id=str(key),
            name=text.strip(),
            country=first.get("country"),
            city=first.get("city"),
            website=first.get("website"),
            social=tuple(props.get("social", ())),
        )
        out[str(key)] = (record, min(limit, MAX_LIMIT))
    return out


def answer(matcher: Matcher, queries: dict[str, tuple[Record, int]]) -> dict[str, Any]:
    """The response to a batch: per query id, its candidates best first."""
    response: dict[str, Any] = {}
    for key, (record, limit) in queries.items():
        result = matcher.match(record, limit=limit)
        response[key] = {
            "result": [
                {
                    "id": candidate.id,
                    "name": candidate.name,
                    "score": round(candidate.score * 100, 1),
                    "match": candidate.id == result.match,
                    "type": [ORGANISATION_TYPE],
                    "description": "; ".join(candidate.reasons),
                    "features": [{"id": "calibrated_score", "value": candidate.score}],
                }
                for candidate in result.candidates
            ]
        }
    return response
