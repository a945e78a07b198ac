"""The rendering browser obeys the network policy (issue #24, finding 1).

A hostile JavaScript page on the one allowed origin tries every way a page can reach another
origin: navigation, fetch, XHR, an iframe, a script, an image, a form, a popup, a beacon, a
WebSocket, a redirect of its own origin, and numeric spellings of 127.0.0.1. The refused origin
(also on 127.0.0.1: only ``DSI_NETWORK_ALLOW`` tells them apart) must receive no request at all
and nothing of it may be stored."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import Item
from storage.session import session_scope
from tests.conftest import ROOT, run_dsi
from tests.integration.website_sites.server import Page, Site, serve

SECRET = "INTERNAL-ONLY-PAYROLL-TEXT"


def hostile_page(refused: str) -> str:
    port = refused.rstrip("/").rsplit(":", 1)[1]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Loading…</title>
<link rel="prefetch" href="{refused}secret?via=prefetch">
<script src="{refused}secret.js?via=script"></script>
</head><body>
<noscript>You need to enable JavaScript to run this app.</noscript>
<div id="root"></div>
<iframe src="{refused}secret?via=iframe"></iframe>
<img src="{refused}secret.png?via=img">
<form id="f" method="post" action="{refused}secret?via=form"><input name="a" value="1"></form>
<script>
(function () {{
  var root = document.getElementById("root");
  root.innerHTML = "<h1>Harbour Commons</h1><p>Harbour Commons is a civic technology " +
    "cooperative that builds open tools for tenants and neighbourhood councils, publishes " +
    "open data about repairs and helps residents organise together across the city.</p>";
  function keep(t) {{ root.insertAdjacentHTML("beforeend", "<p>" + t + "</p>"); }}
  var targets = ["{refused}secret?via=fetch", "http://2130706433:{port}/secret?via=decimal",
                 "http://0x7f000001:{port}/secret?via=hex", "http://127.1:{port}/secret?via=short",
                 "/bounce"];
  targets.forEach(function (u) {{
    fetch(u).then(function (r) {{ return r.text(); }}).then(keep).catch(function () {{}});
  }});
  var x = new XMLHttpRequest();
  x.open("GET", "{refused}secret?via=xhr"); x.onload = function () {{ keep(x.responseText); }};
  x.send();
  try {{ new WebSocket("ws://127.0.0.1:{port}/secret?via=ws"); }} catch (e) {{}}
  try {{ window.open("{refused}secret?via=popup"); }} catch (e) {{}}
  try {{ navigator.sendBeacon("{refused}secret?via=beacon", "x"); }} catch (e) {{}}
  setTimeout(function () {{ document.getElementById("f").submit(); }}, 30);
  setTimeout(function () {{ location.href = "{refused}secret?via=navigate"; }}, 60);
}})();
</script></body></html>"""


def crawl_only(site: str, database: str, chromium: Path) -> subprocess.CompletedProcess[str]:
    """`dsi crawl` of the website at ``site`` (a 127.0.0.1 server), that origin alone allowed
    by ``DSI_NETWORK_ALLOW``, rendering with ``chromium``."""
    port = site.rstrip("/").rsplit(":", 1)[1]
    return run_dsi(
        "crawl", "--spider", "website", "--url", site, "--json", "--database", database,
        env={"DSI_CHROMIUM_PATH": str(chromium), "DSI_NETWORK_ALLOW": f"127.0.0.1:{port}"},
        cwd=ROOT,
    )  # fmt: skip


def html(body: str) -> Page:
    return 200, "text/html; charset=utf-8", body.encode(), {}


@pytest.mark.browser
@pytest.mark.slow
def test_hostile_page_cannot_reach_a_refused_origin(sqlite_url: str, chromium: Path) -> None:
    refused, allowed = Site(), Site()
    refused.routes = {"/secret": lambda: html(f"<p>{SECRET}</p>")}
    with serve({"allowed": allowed, "refused": refused}) as urls:
        allowed.routes = {
            "/": lambda: html(hostile_page(urls["refused"])),
            "/bounce": lambda: (302, "text/html", b"", {"Location": urls["refused"] + "secret"}),
        }
        result = crawl_only(urls["allowed"], sqlite_url, chromium)
    assert result.returncode == 0, result.stderr[-3000:]
    assert refused.requests == [], refused.requests  # not one request reached it
    summary: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["items"] == 1
    with session_scope(sqlite_url) as session:
        rows = [r.fields for r in session.scalars(select(Item).where(Item.spider == "website"))]
    assert len(rows) == 1
    profile = rows[0]
    assert profile["rendered_with_browser"] is True
    assert "Harbour Commons is a civic technology cooperative" in profile["main_text"]
    assert SECRET not in json.dumps(profile)
    assert profile["site"] == urls["allowed"].rstrip("/")
    log = result.stderr
    assert "browser: network policy refused" in log
    assert "'dsi/network/refused/websocket'" in log
    assert "'dsi/network/refused/loopback'" in log
    assert "Telnet" not in log  # no remote-control console in a crawl
    assert "/bounce" in "".join(allowed.requests)  # the redirect was fetched, its target refused
