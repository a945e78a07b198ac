"""The Socrata discovery API: shape and paging."""

from __future__ import annotations

import json

from tests.unit.sandbox.conftest import BASE, call, call_json


def test_socrata_shape_and_paging(portal):
    data = call_json(portal, "/socrata/api/catalog/v1?limit=10&offset=5")
    assert data["resultSetSize"] >= 40 and len(data["results"]) == 10
    first = data["results"][0]
    assert {"resource", "classification", "metadata", "permalink", "link"} <= set(first)
    assert {"name", "id", "description", "updatedAt", "type"} <= set(first["resource"])
    assert first["permalink"].startswith(BASE + "/socrata/d/")
    assert call(portal, first["permalink"].removeprefix(BASE)).status == 200
    empty = call_json(portal, "/socrata/api/catalog/v1?domains=elsewhere.example")
    assert empty["resultSetSize"] == 0
    only = call_json(portal, "/socrata/api/catalog/v1?only=dataset&limit=100")["results"]
    assert all(r["resource"]["type"] == "dataset" for r in only)
    json.dumps(data)
