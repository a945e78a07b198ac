"""The website spider renders a JavaScript-only page in real headless Chromium (scrapy-playwright)
in a real ``dsi crawl`` process, and only that page's site goes through the browser."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import Item
from storage.session import session_scope
from tests.conftest import ROOT, run_dsi
from tests.integration.website_sites.server import running_web


@pytest.mark.browser
@pytest.mark.slow
def test_js_site_rendered_in_chromium(sqlite_url: str, chromium: Path) -> None:
    with running_web() as (urls, _sites):
        result = run_dsi(
            "crawl",
            "--spider",
            "website",
            "--url",
            urls["js"],
            "--url",
            urls["dorf"],
            "--allow-private-network",
            "--json",
            "--database",
            sqlite_url,
            env={"DSI_CHROMIUM_PATH": str(chromium)},
            cwd=ROOT,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    summary: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["items"] == 2
    with session_scope(sqlite_url) as session:
        rows = {
            r.fields["site"]: r.fields
            for r in session.scalars(select(Item).where(Item.spider == "website"))
        }
    js = rows[urls["js"].rstrip("/")]
    plain = rows[urls["dorf"].rstrip("/")]
    assert js["rendered_with_browser"] is True
    assert "Rendered by the browser on every visit" in js["main_text"]
    assert "Founded in 2019 by renters" in js["main_text"]  # the about page, rendered too
    assert js["name"] == "Tidewater Tenants Union"
    assert js["emails"] == ["organise@tenants-example.org.uk"]
    assert js["social_links"] == {"x": "https://x.com/tidewater_tu"}
    assert plain["rendered_with_browser"] is False
    assert "playwright/request_count" in result.stderr
