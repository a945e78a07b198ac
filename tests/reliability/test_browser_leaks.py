"""The rendering browser leaks nothing through its own network paths (issue #24): WebRTC
(STUN/TURN over UDP) and DNS prefetch / preconnect are not requests the browser guard can
intercept, so Chromium is launched unable to use them (``DSI_CHROMIUM_OFFLINE_ARGS``).

A hostile JavaScript page tries an ``RTCPeerConnection`` with STUN and TURN servers on a UDP
port of 127.0.0.1 opened here (and one named STUN server), ``<link rel=dns-prefetch>`` and
``<link rel=preconnect>`` to names, and a preconnect to a TCP port of 127.0.0.1 opened here.
Chromium runs with a net log (a wrapper around ``DSI_CHROMIUM_PATH``): no datagram and no
connection may arrive, and Chromium may resolve no name at all."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from storage.models import Item
from storage.session import session_scope
from tests.integration.website_sites.server import Site, serve
from tests.reliability.test_browser_ssrf import crawl_only, html

pytestmark = [pytest.mark.browser, pytest.mark.slow]

NAMES = ("leak-prefetch.example.org", "leak-preconnect.example.org", "leak-stun.example.org")


def hostile_page(udp: int, tcp: int) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Loading…</title>
<link rel="dns-prefetch" href="//{NAMES[0]}">
<link rel="preconnect" href="https://{NAMES[1]}">
<link rel="preconnect" href="http://127.0.0.1:{tcp}">
</head><body>
<noscript>You need to enable JavaScript to run this app.</noscript>
<div id="root"></div>
<script>
(function () {{
  var root = document.getElementById("root");
  root.innerHTML = "<h1>Quay Commons</h1><p>Quay Commons is a civic technology cooperative " +
    "that builds open tools for tenants and neighbourhood councils, publishes open data " +
    "about repairs and helps residents organise together across the city.</p>";
  var servers = [{{urls: "stun:127.0.0.1:{udp}"}},
                 {{urls: "turn:127.0.0.1:{udp}?transport=udp", username: "u", credential: "p"}},
                 {{urls: "stun:{NAMES[2]}:{udp}"}}];
  var Peer = window.RTCPeerConnection || window.webkitRTCPeerConnection;
  try {{
    var pc = new Peer({{iceServers: servers, iceCandidatePoolSize: 2}});
    pc.createDataChannel("x");
    pc.createOffer().then(function (o) {{ return pc.setLocalDescription(o); }});
    root.insertAdjacentHTML("beforeend", "<p>The peer connection gathers candidates.</p>");
  }} catch (e) {{}}
}})();
</script></body></html>"""


class Listeners:
    """A UDP and a TCP port on 127.0.0.1 counting what arrives."""

    def __init__(self) -> None:
        self.udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.udp.bind(("127.0.0.1", 0))
        self.tcp = socket.socket()
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(16)
        self.datagrams = self.connections = 0
        for target in (self._read_udp, self._accept_tcp):
            threading.Thread(target=target, daemon=True).start()

    def _read_udp(self) -> None:
        while True:
            try:
                self.udp.recvfrom(4096)
            except OSError:
                return
            self.datagrams += 1

    def _accept_tcp(self) -> None:
        while True:
            try:
                conn, _ = self.tcp.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.udp.close()
        self.tcp.close()


@pytest.fixture
def listeners() -> Iterator[Listeners]:
    ears = Listeners()
    yield ears
    ears.close()


def net_log_events(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """``(event type, params)`` of Chromium's net log (closed or cut short by the shutdown)."""
    text = path.read_text(encoding="utf-8", errors="replace").rstrip().rstrip(",")
    try:
        log = json.loads(text)
    except json.JSONDecodeError:
        log = json.loads(text + ("]}" if not text.endswith("]") else "}"))
    types = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    return [(types.get(e["type"], "?"), e.get("params") or {}) for e in log["events"]]


def test_webrtc_and_dns_prefetch_reach_nothing(
    sqlite_url: str, chromium: Path, listeners: Listeners, tmp_path: Path
) -> None:
    net_log = tmp_path / "netlog.json"
    wrapper = tmp_path / "chromium"
    wrapper.write_text(
        f'#!/bin/sh\nexec "{chromium}" --log-net-log="{net_log}" '
        '--net-log-capture-mode=Everything "$@"\n',
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    site = Site()
    site.routes = {"/": lambda: html(hostile_page(*listeners_ports(listeners)))}
    with serve({"site": site}) as urls:
        result = crawl_only(urls["site"], sqlite_url, wrapper)
    assert result.returncode == 0, result.stderr[-3000:]
    with session_scope(sqlite_url) as session:
        (profile,) = [r.fields for r in session.scalars(select(Item))]
    assert profile["rendered_with_browser"] is True
    assert "The peer connection gathers candidates." in profile["main_text"]  # the script ran

    assert (listeners.datagrams, listeners.connections) == (0, 0)
    events = net_log_events(net_log)
    assert events, "Chromium wrote no net log"
    assert not [p for t, p in events if t.startswith("DNS_TRANSACTION")]  # no DNS query at all
    asked = {p["host"] for t, p in events if t == "HOST_RESOLVER_MANAGER_REQUEST" and "host" in p}
    assert all(host.endswith("://~notfound") for host in asked), asked  # the proxy's name only
    assert not [p for t, p in events if t in ("UDP_BYTES_SENT", "TCP_CONNECT")]
    assert not [name for name in NAMES if name in json.dumps(events)]


def listeners_ports(ears: Listeners) -> tuple[int, int]:
    return ears.udp.getsockname()[1], ears.tcp.getsockname()[1]
