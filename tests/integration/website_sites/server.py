"""A few small websites on their own 127.0.0.1 ports for real crawls of the ``website`` spider.

Pages come from ``tests/spiders/fixtures/website`` (the fixture sites) and this folder (a page
rendered by JavaScript); the servers add what files cannot: a robots.txt, a redirect loop, a
huge page, a PDF, a 500 error and links between the sites.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

HERE = Path(__file__).parent
FIXTURES = HERE.parent.parent / "spiders" / "fixtures" / "website"

Page = tuple[int, str, bytes, dict[str, str]]  # status, content type, body, headers


def _file(path: Path, ctype: str = "text/html; charset=utf-8") -> Page:
    return 200, ctype, path.read_bytes(), {}


@dataclass
class Site:
    routes: dict[str, Callable[[], Page]] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.requests.append(self.path)
            route = site.routes.get(self.path)
            if route is None:
                status, ctype, body = 404, "text/html", b"<h1>Not found</h1>"
                headers: dict[str, str] = {}
            else:
                status, ctype, body, headers = route()
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@contextmanager
def serve(sites: dict[str, Site]) -> Iterator[dict[str, str]]:
    """Start one server per site; yields name -> base URL (``http://127.0.0.1:PORT/``)."""
    servers = []
    urls = {}
    try:
        for name, site in sites.items():
            server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
            servers.append(server)
            urls[name] = f"http://127.0.0.1:{server.server_address[1]}/"
        yield urls
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()


def build_sites(other_url: Callable[[str], str]) -> dict[str, Site]:
    """The test web. ``other_url(name)`` gives another site's URL once ports are known."""
    f = FIXTURES

    def linked(path: Path, link: str, to: str) -> Page:
        """A fixture page whose ``link`` points to the test site ``to`` instead."""
        return (
            200,
            "text/html; charset=utf-8",
            path.read_bytes().replace(link.encode(), other_url(to).encode()),
            {},
        )

    civic = Site()
    civic.routes = {
        "/": lambda: linked(f / "en_civictech.html", "https://opendata.example.net/", "verein"),
        "/about-us/": lambda: _file(f / "en_civictech--about.html"),
        "/our-team": lambda: _file(f / "en_civictech--team.html"),
        "/projects/": lambda: _file(f / "en_civictech--projects.html"),
        # a redirect loop
        "/contact": lambda: (302, "text/html", b"", {"Location": "/contact?x=1"}),
        "/contact?x=1": lambda: (302, "text/html", b"", {"Location": "/contact"}),
        "/blog/": lambda: (500, "text/html", b"<h1>Internal error</h1>", {}),
        "/robots.txt": lambda: (200, "text/plain", b"User-agent: *\nDisallow: /our-team\n", {}),
    }
    verein = Site()
    huge = b"<html><body><p>" + b"Lorem ipsum dolor sit amet. " * 150_000 + b"</p></body></html>"
    verein.routes = {
        "/": lambda: linked(f / "de_verein.html", "https://www.stiftung-example.de/", "civic"),
        "/ueber-uns/": lambda: _file(f / "de_verein--ueber-uns.html"),
        "/impressum/": lambda: (200, "text/html", huge, {}),
        "/projekte/": lambda: (200, "application/pdf", b"%PDF-1.4\n" + b"0" * 200_000, {}),
    }
    dorf = Site()
    dorf.routes = {
        "/": lambda: (
            200,
            "text/html; charset=utf-8",
            f.joinpath("cp1252_site.html").read_bytes(),
            {},
        )
    }
    js = Site()
    js.routes = {
        "/": lambda: _file(HERE / "js_app.html"),
        "/about": lambda: _file(HERE / "js_about.html"),
    }
    return {"civic": civic, "verein": verein, "dorf": dorf, "js": js}


@contextmanager
def running_web() -> Iterator[tuple[dict[str, str], dict[str, Site]]]:
    urls: dict[str, str] = {}
    sites = build_sites(lambda name: urls[name])
    with serve(sites) as started:
        urls.update(started)
        yield urls, sites


def closed_port_url() -> str:
    """A URL on a 127.0.0.1 port nobody listens on (a dead domain)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"
