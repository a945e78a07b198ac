"""Sandbox apps called directly (no sockets): fast unit tests of content and formats."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sandbox.http import Request, Response
from sandbox.portal import PortalApp

BASE = "http://127.0.0.1:9"


def site_urls() -> dict[str, str]:
    from sandbox.content.sites import SITES

    return {spec.key: f"http://127.0.0.1:{20000 + n}/" for n, spec in enumerate(SITES)}


@pytest.fixture(scope="session")
def portal() -> PortalApp:
    return PortalApp(BASE, site_urls(), seed=2026)


def call(app: Any, target: str, method: str = "GET", **headers: str) -> Response:
    response: Response = app.handle(Request(method=method, target=target, headers=headers))
    return response


def call_json(app: Any, target: str) -> Any:
    response = call(app, target)
    assert response.content_type.startswith("application/json"), response.content_type
    return json.loads(response.body)
