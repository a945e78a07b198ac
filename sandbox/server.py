"""The sandbox web server: the main portal plus one origin (port) per organisation website.

Usage::

    from sandbox.server import SandboxServer
    with SandboxServer(port=0) as sb:
        sb.base_url        # portal: job board, ATS feeds, CKAN, DCAT, Socrata
        sb.site_urls       # one URL per organisation website, each on its own port
        sb.demo_sources()  # crawler.sources.Source objects for every sandbox source
        sb.requests        # [(port, method, path_and_query), ...] fetched so far
        sb.ckan.touch(dataset_id)  # mutate the CKAN catalogue (incremental-crawl tests)

Every port is a stdlib :class:`~http.server.ThreadingHTTPServer` bound to 127.0.0.1 and served
from a daemon thread. HEAD is answered like GET without a body; ``If-Modified-Since`` gives 304
where a page has a ``Last-Modified`` date. The URL layout is in :mod:`sandbox.portal`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, ClassVar

from sandbox.http import App, Request, Response, http_date, not_modified_since

if TYPE_CHECKING:
    from crawler.sources import Source
    from sandbox.content.ckan import CkanCatalogue
    from sandbox.portal import PortalApp

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
#: Default seed of all generated content; the same seed gives the same bytes.
DEFAULT_SEED = 2026


class RequestLog:
    """Thread-safe list of ``(port, method, path_and_query)`` for every request served."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[tuple[int, str, str]] = []

    def add(self, port: int, method: str, target: str) -> None:
        with self._lock:
            self._entries.append((port, method, target))

    def snapshot(self) -> list[tuple[int, str, str]]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class _Handler(BaseHTTPRequestHandler):
    """Dispatches to the port's app; one subclass per port carries ``app`` and ``log``."""

    app: ClassVar[App]
    log: ClassVar[RequestLog]
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return "sandbox/1.0"

    timeout = 10  # idle keep-alive connections close, so stop() leaves no busy threads

    def do_GET(self) -> None:
        self._serve(with_body=True)

    def do_HEAD(self) -> None:
        self._serve(with_body=False)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self._serve(with_body=True)

    def _serve(self, *, with_body: bool) -> None:
        port = int(self.server.server_address[1])  # type: ignore[index]
        self.log.add(port, self.command, self.path)
        request = Request(
            method=self.command,
            target=self.path,
            headers={k.lower(): v for k, v in self.headers.items()},
        )
        try:
            response = self.app.handle(request)
        except Exception:  # a bug in content generation must not kill the port
            logger.exception("sandbox: error while serving %s on port %s", self.path, port)
            response = Response(
                status=500, body=b"Internal Server Error", content_type="text/plain; charset=utf-8"
            )
        status, body = response.status, response.body
        if (
            response.last_modified is not None
            and status == 200
            and not_modified_since(request, response.last_modified)
        ):
            status, body = 304, b""
        self.send_response(status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(body)))
        if response.last_modified is not None:
            self.send_header("Last-Modified", http_date(response.last_modified))
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if with_body and status not in (204, 304):
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        logger.debug("sandbox %s: " + format, self.server.server_address[1], *args)  # type: ignore[index]


class _PortServer:
    """One ThreadingHTTPServer on 127.0.0.1 serving one app."""

    def __init__(self, port: int, app_holder: _AppHolder, log: RequestLog) -> None:
        handler = type("SandboxHandler", (_Handler,), {"app": app_holder, "log": log})
        self.httpd = ThreadingHTTPServer((HOST, port), handler)
        self.httpd.daemon_threads = True
        self.port = int(self.httpd.server_address[1])
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> None:
        self.thread = threading.Thread(
            target=self.httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"sandbox-{self.port}",
            daemon=True,
        )
        self.thread.start()

    def request_shutdown(self) -> None:
        """Ask the serve loop to end (returns at once; :meth:`stop` waits for it)."""
        if self.thread is not None:
            threading.Thread(target=self.httpd.shutdown, daemon=True).start()

    def stop(self) -> None:
        if self.thread is not None:
            self.httpd.shutdown()
            self.thread.join(timeout=5)
            self.thread = None
        self.httpd.server_close()


class _AppHolder:
    """Binds a port before its app exists (apps need every port's URL to render links)."""

    def __init__(self) -> None:
        self.app: App | None = None

    def handle(self, request: Request) -> Response:
        if self.app is None:
            return Response(status=503, body=b"starting", content_type="text/plain; charset=utf-8")
        return self.app.handle(request)


def _bind(port: int, holder: _AppHolder, log: RequestLog, *, fallback: bool) -> _PortServer:
    try:
        return _PortServer(port, holder, log)
    except OSError:
        if not fallback or port == 0:
            raise
        logger.info("sandbox: port %s is busy, using a free port", port)
        return _PortServer(0, holder, log)


class SandboxServer:
    """The whole sandbox web: the portal on ``port`` and the websites on the next ports.

    ``port=0`` picks free ports. With a fixed port the sites go on ``port+1``, ``port+2``, ...
    when those are free (else on free ports). ``scale=N`` adds N generated job adverts and N
    generated CKAN datasets, computed on the fly from ``seed`` (for benchmarks).
    """

    def __init__(self, port: int = 0, *, scale: int = 0, seed: int = DEFAULT_SEED) -> None:
        if port < 0 or port > 65535:
            raise ValueError(f"not a port number: {port}")
        if scale < 0:
            raise ValueError(f"scale must be >= 0 (got {scale})")
        self.port_requested = port
        self.scale = scale
        self.seed = seed
        self.log = RequestLog()
        self._servers: list[_PortServer] = []
        self._site_keys: list[str] = []
        self._portal: PortalApp | None = None
        self.started_in: float | None = None

    # -- life cycle -------------------------------------------------------------------------
    def start(self) -> SandboxServer:
        if self._servers:
            return self
        from sandbox.content.sites import SITES, SiteApp
        from sandbox.portal import PortalApp

        began = time.perf_counter()
        portal_holder = _AppHolder()
        try:
            self._servers.append(
                _bind(self.port_requested, portal_holder, self.log, fallback=False)
            )
            site_holders: list[_AppHolder] = []
            for offset, _spec in enumerate(SITES, start=1):
                holder = _AppHolder()
                wanted = self.port_requested + offset if self.port_requested else 0
                if wanted > 65535:
                    wanted = 0
                self._servers.append(_bind(wanted, holder, self.log, fallback=True))
                site_holders.append(holder)
            site_urls = {
                spec.key: srv.url + "/" for spec, srv in zip(SITES, self._servers[1:], strict=True)
            }
            self._site_keys = [spec.key for spec in SITES]
            self._portal = PortalApp(self.base_url, site_urls, seed=self.seed, scale=self.scale)
            portal_holder.app = self._portal
            for spec, holder in zip(SITES, site_holders, strict=True):
                holder.app = SiteApp(spec, site_urls, portal_url=self.base_url)
            for server in self._servers:
                server.start()
        except BaseException:
            self.stop()
            raise
        self.started_in = time.perf_counter() - began
        logger.info(
            "sandbox: %s and %d sites up in %.2fs", self.base_url, len(SITES), self.started_in
        )
        return self

    def stop(self) -> None:
        for server in self._servers:  # all serve loops wind down in parallel
            server.request_shutdown()
        for server in self._servers:
            try:
                server.stop()
            except OSError:  # pragma: no cover - closing a dead socket
                logger.debug("sandbox: error closing port %s", server.port, exc_info=True)
        self._servers = []

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses --------------------------------------------------------------------------
    def _require(self) -> list[_PortServer]:
        if not self._servers:
            raise RuntimeError("the sandbox is not running: call start() or use `with`")
        return self._servers

    @property
    def port(self) -> int:
        return self._require()[0].port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` of the portal (no trailing slash)."""
        return self._require()[0].url

    @property
    def site_urls(self) -> list[str]:
        """The organisation websites, ``http://127.0.0.1:PORT/`` each, in a fixed order."""
        return [srv.url + "/" for srv in self._require()[1:]]

    def site_url(self, key: str) -> str:
        """The URL of one website by its key (see :data:`sandbox.content.sites.SITES`)."""
        return dict(zip(self._site_keys, self.site_urls, strict=True))[key]

    @property
    def site_keys(self) -> list[str]:
        return list(self._site_keys)

    @property
    def ports(self) -> list[int]:
        return [srv.port for srv in self._require()]

    # -- test helpers -----------------------------------------------------------------------
    @property
    def requests(self) -> list[tuple[int, str, str]]:
        """Every request so far as ``(port, method, path_and_query)``."""
        return self.log.snapshot()

    def clear_requests(self) -> None:
        self.log.clear()

    def requested_paths(self, port: int | None = None) -> Iterator[str]:
        """Paths (with query) requested on ``port`` (default: the portal)."""
        wanted = self.port if port is None else port
        return (target for p, _m, target in self.requests if p == wanted)

    @property
    def portal(self) -> PortalApp:
        self._require()
        assert self._portal is not None
        return self._portal

    @property
    def ckan(self) -> CkanCatalogue:
        """The CKAN catalogue: ``touch``, ``delete``, ``add`` for incremental-crawl tests."""
        return self.portal.ckan

    # -- sources ----------------------------------------------------------------------------
    def demo_sources(self) -> list[Source]:
        """Every sandbox source as :class:`crawler.sources.Source` (private network allowed)."""
        from sandbox.sources import demo_sources

        return demo_sources(self.base_url, self.site_urls, portal=self.portal)

    def sources_toml(self) -> str:
        """The demo sources as a ``sources.toml`` text (for ``dsi crawl NAME --sources FILE``)."""
        from sandbox.sources import sources_toml

        return sources_toml(self.demo_sources())
