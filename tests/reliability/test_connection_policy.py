"""The connection-time address check belongs to each crawl (issue #24): a crawl that allows
private addresses does not open them to another crawl of the same process."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from tests.conftest import ROOT


class Recorder(BaseHTTPRequestHandler):
    paths: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Recorder.paths.append(self.path)
        body = b"<html><body>internal</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def internal_server() -> Iterator[int]:
    """A loopback server standing for the operator's internal network; records each path."""
    Recorder.paths = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_a_crawl_allowing_private_addresses_does_not_open_them_to_another(
    internal_server: int,
) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "tests.reliability.two_crawls", str(internal_server)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["trusting"]["received"] == [200]
    assert report["guarded"]["received"] == []
    assert Recorder.paths == ["/trusting"]  # nothing of the guarded crawl arrived
    refused = report["guarded"]["network"]
    assert refused["dsi/network/refused_at_connect"] >= 1
    assert refused["dsi/network/refused/loopback"] >= 1
    assert "dsi/network/refused_at_connect" not in report["trusting"]["network"]
    assert "connection refused by the network policy: localhost:" in proc.stderr
