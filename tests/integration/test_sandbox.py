"""The sandbox web over real HTTP: ports, headers, request log, the CLI."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from email.utils import formatdate
from pathlib import Path

import pytest

from crawler.sources import parse_sources
from sandbox.server import SandboxServer


def fetch(url: str, *, method: str = "GET", headers: dict[str, str] | None = None):
    request = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def test_each_kind_of_url_over_http(sandbox):
    base = sandbox.base_url
    assert base.startswith("http://127.0.0.1:")
    kinds = {
        "/robots.txt": "text/plain",
        "/jobs/": "text/html",
        "/jobs/sitemap.xml": "application/xml",
        "/ckan/api/3/action/package_search?rows=1": "application/json",
        "/dcat/catalog.ttl": "text/turtle",
        "/dcat/catalog.rdf": "application/rdf+xml",
        "/dcat/catalog.jsonld": "application/ld+json",
        "/socrata/api/catalog/v1?limit=1": "application/json",
        "/ats/greenhouse/v1/boards/civicpulse/jobs?content=true": "application/json",
        "/ats/lever/v0/postings/kiezkompass?mode=json": "application/json",
        "/ats/workable/api/accounts/opencare?details=true": "application/json",
        "/ats/recruitee/api/offers/": "application/json",
        "/ats/personio/xml": "text/xml",
    }
    for path, ctype in kinds.items():
        status, headers, body = fetch(base + path)
        assert status == 200, path
        assert headers["Content-Type"].startswith(ctype), path
        assert body
    assert json.loads(fetch(base + "/ckan/api/3/action/package_search?rows=1")[2])["success"]


def test_sites_are_separate_origins(sandbox):
    urls = sandbox.site_urls
    assert 25 <= len(urls) <= 35
    ports = {int(u.rsplit(":", 1)[1].strip("/")) for u in urls}
    assert len(ports) == len(urls) and sandbox.port not in ports
    for url in urls[:6]:
        status, headers, _body = fetch(url)
        assert status == 200 and headers["Content-Type"].startswith("text/html")
        assert b"Sitemap:" in fetch(url + "robots.txt")[2]
    assert urls[1] in fetch(urls[0])[2].decode()  # DSI sites link to each other


def test_head_last_modified_and_304(sandbox):
    url = sandbox.base_url + "/jobs/" + sandbox.portal.jobs.advert_slugs()[0] + ".html"
    status, headers, body = fetch(url, method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    assert headers["Last-Modified"]
    status, _headers, body = fetch(url, headers={"If-Modified-Since": formatdate(usegmt=True)})
    assert status == 304 and body == b""


def test_request_log_records_port_method_and_path(sandbox):
    sandbox.clear_requests()
    fetch(sandbox.base_url + "/jobs/?page=2")
    fetch(sandbox.site_urls[3] + "robots.txt", method="HEAD")
    log = sandbox.requests
    assert (sandbox.port, "GET", "/jobs/?page=2") in log
    assert (sandbox.ports[4], "HEAD", "/robots.txt") in log


def test_demo_sources_and_toml(sandbox):
    sources = sandbox.demo_sources()
    names = {s.name for s in sources}
    assert names == {
        "sandbox-jobs",
        "sandbox-greenhouse",
        "sandbox-lever",
        "sandbox-ckan",
        "sandbox-dcat",
        "sandbox-socrata",
        "sandbox-opendatasoft",
        "sandbox-udata",
        "sandbox-arcgis",
        "sandbox-websites",
    }
    assert all(s.allow_private_network for s in sources)
    by_name = {s.name: s for s in sources}
    assert by_name["sandbox-ckan"].option("api") == "ckan"
    assert by_name["sandbox-ckan"].urls == (sandbox.base_url + "/ckan/",)
    assert list(by_name["sandbox-websites"].urls) == sandbox.site_urls
    text = sandbox.sources_toml()
    tomllib.loads(text)
    assert parse_sources(text) == sources


def test_fixed_port_puts_sites_on_following_ports():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # choose a base well away from the probe to reduce clashes with other tests
    base = 20_000 + port % 20_000
    try:
        server = SandboxServer(port=base).start()
    except OSError:
        pytest.skip(f"port {base} busy")
    try:
        assert server.port == base
        expected = [base + n for n in range(1, len(server.site_urls) + 1)]
        # ports that were busy fall back to free ones; most should be consecutive
        assert sum(p == e for p, e in zip(server.ports[1:], expected, strict=True)) >= 25
    finally:
        server.stop()
    with pytest.raises(OSError), socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        SandboxServer(port=busy.getsockname()[1]).start()


def test_normal_size_starts_fast_and_stops_cleanly():
    began = time.perf_counter()
    server = SandboxServer(port=0).start()
    ports = server.ports
    server.stop()
    assert time.perf_counter() - began < 5  # generous: shared CI machines
    assert server.started_in is not None
    with pytest.raises(OSError):
        fetch(f"http://127.0.0.1:{ports[0]}/robots.txt")


def test_scale_variant_serves_deep_pages():
    with SandboxServer(port=0, scale=100_000) as server:
        from sandbox.generator import advert

        slug = advert(server.seed, 99_999).slug
        status, _h, body = fetch(f"{server.base_url}/jobs/{slug}.html")
        assert status == 200 and b"<h1" in body
        assert fetch(f"{server.base_url}/jobs/?page={server.portal.jobs.page_count}")[0] == 200
        first = fetch(f"{server.base_url}/jobs/{slug}.html")[2]
        assert first == body


def test_cli_serve_subprocess(tmp_path: Path):
    exe = Path(sys.executable).parent / "dsi"
    target = tmp_path / "sandbox.toml"
    proc = subprocess.Popen(
        [str(exe), "sandbox", "serve", "--write-sources", str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        assert first.startswith("sandbox: http://127.0.0.1:"), first
        base = first.removeprefix("sandbox: ")
        assert proc.stdout.readline().strip() == f"sources: {target}"
        assert fetch(base + "/robots.txt")[0] == 200
        assert {s.name for s in parse_sources(target.read_text())} >= {"sandbox-jobs"}
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.browser
def test_js_site_renders_in_headless_chromium(sandbox, chromium):
    from playwright.sync_api import sync_playwright

    url = sandbox.site_url("repair-map")
    assert b"Repair caf" not in fetch(url)[2].split(b"<script")[0]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(chromium), headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.startswith("http://127.0.0.1:")
                    else route.abort()
                ),
            )
            page.goto(url)
            page.wait_for_selector("#app[data-rendered=true]")
            text = page.inner_text("#app")
        finally:
            browser.close()
    assert "Repair café finder" in text and "Repair Map Cooperative" in text
