"""The project settings: environment read once, storage never imported."""

from __future__ import annotations

import importlib
import sys

import pytest


def _fresh_settings(monkeypatch: pytest.MonkeyPatch, url: str | None) -> object:
    if url is None:
        monkeypatch.delenv("DSI_DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("DSI_DATABASE_URL", url)
    monkeypatch.delitem(sys.modules, "crawler.settings", raising=False)
    return importlib.import_module("crawler.settings")


@pytest.mark.parametrize("url", [None, "postgresql+psycopg://u@127.0.0.1/db"])
def test_database_url_is_storages_default(monkeypatch: pytest.MonkeyPatch, url: str | None) -> None:
    from storage.session import default_database_url

    settings = _fresh_settings(monkeypatch, url)
    assert default_database_url() == settings.DSI_DATABASE_URL  # type: ignore[attr-defined]
