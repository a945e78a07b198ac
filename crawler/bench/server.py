"""The benchmark web: pre-rendered pages served from a process of their own on 127.0.0.1.

Every page is rendered once at start (:mod:`crawler.bench.pages`, :mod:`crawler.bench.portal`)
and kept as bytes; an asyncio HTTP/1.1 server (keep-alive, ``Content-Length``) answers from that
table, one port for the job board, one for the open-data portal and one per organisation
website. The server counts its requests and the CPU seconds of its process, so a report can
give its capacity (requests per CPU second) beside the crawl rates.

Usage::

    with BenchWeb(adverts=3000, sites=300, datasets=60000) as web:
        web.board_url, web.portal_url, web.site_urls
    web.served   # ServerStats once stopped
"""

from __future__ import annotations

import asyncio
import multiprocessing as mp
import resource
import socket
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from types import TracebackType

from crawler.bench.pages import (
    LISTING_SIZE,
    SITE_PAGES,
    SITE_SECTIONS,
    Board,
    advert_page,
    advert_path,
    listing_page,
    site_page,
)
from crawler.bench.portal import PORTAL_ROWS, portal_key, render_portal

HOST = "127.0.0.1"
ROBOTS = b"User-agent: *\nAllow: /\n"


@dataclass(frozen=True, slots=True)
class ServerStats:
    requests: int
    bytes: int
    cpu_seconds: float
    pages: int
    render_seconds: float

    @property
    def capacity(self) -> float:
        """Requests per CPU second of the server process (what it could serve flat out)."""
        return self.requests / self.cpu_seconds if self.cpu_seconds > 0 else 0.0


def render_board(board: Board) -> dict[str, bytes]:
    """path -> bytes of every page of the board."""
    pages: dict[str, bytes] = {}
    paths = [advert_path(board, i) for i in range(board.adverts)]
    for i, path in enumerate(paths):
        pages[path] = advert_page(board, i).encode("utf-8")
    for n in range(1, board.listings + 1):
        chunk = paths[(n - 1) * LISTING_SIZE : n * LISTING_SIZE]
        pages[board.listing_path(n)] = listing_page(board, n, chunk).encode("utf-8")
    return pages


def render_site(seed: int, site: int, base_url: str) -> dict[str, bytes]:
    paths = ["/", *(p for p, _ in SITE_SECTIONS)]
    return {
        path: site_page(seed, site, n, base_url).encode("utf-8") for n, path in enumerate(paths)
    }


@dataclass(frozen=True, slots=True)
class _Table:
    """The pages of one origin: request path -> key (``route``) -> bytes of the body."""

    pages: dict[str, bytes]
    content_type: bytes = b"text/html; charset=utf-8"
    route: Callable[[str], str] | None = None


class _Http(asyncio.Protocol):
    def __init__(self, table: _Table, counter: list[int]) -> None:
        self.table = table
        self.counter = counter
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while b"\r\n\r\n" in self.buffer:
            head, _, self.buffer = self.buffer.partition(b"\r\n\r\n")
            line = head.split(b"\r\n", 1)[0].split(b" ")
            path = line[1].decode("latin-1") if len(line) > 1 else "/"
            self._answer(line[0], path)

    def _answer(self, method: bytes, path: str) -> None:
        assert self.transport is not None
        key = self.table.route(path) if self.table.route is not None else path
        if path == "/robots.txt":
            body, status, ctype = ROBOTS, b"200 OK", b"text/plain"
        elif key in self.table.pages:
            body, status, ctype = self.table.pages[key], b"200 OK", self.table.content_type
        else:
            body, status, ctype = b"not found", b"404 Not Found", b"text/plain"
        self.counter[0] += 1
        self.counter[1] += len(body)
        head = (
            b"HTTP/1.1 "
            + status
            + b"\r\nContent-Type: "
            + ctype
            + b"\r\nContent-Length: "
            + str(len(body)).encode()
            + b"\r\nConnection: keep-alive\r\n\r\n"
        )
        self.transport.write(head if method == b"HEAD" else head + body)


def _bound_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((HOST, 0))
    sock.listen(256)
    return sock


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _serve(conn: Connection, seed: int, adverts: int, sites: int, datasets: int) -> None:
    """The server process: bind, render, say the URLs, serve until told to stop."""
    import time

    board_sock = _bound_socket()
    board_url = f"http://{HOST}:{board_sock.getsockname()[1]}"
    portal_sock = _bound_socket()
    portal_url = f"http://{HOST}:{portal_sock.getsockname()[1]}/"
    site_socks = [_bound_socket() for _ in range(sites)]
    site_urls = [f"http://{HOST}:{s.getsockname()[1]}/" for s in site_socks]
    started = time.perf_counter()
    tables, socks = [], []
    if adverts:
        tables.append(_Table(render_board(Board(board_url, adverts, seed))))
        socks.append(board_sock)
    else:
        board_sock.close()
    if datasets:
        pages = render_portal(portal_url, datasets, seed)
        tables.append(_Table(pages, b"application/json;charset=utf-8", portal_key))
        socks.append(portal_sock)
    else:
        portal_sock.close()
    for n, (sock, url) in enumerate(zip(site_socks, site_urls, strict=True)):
        tables.append(_Table(render_site(seed, n, url)))
        socks.append(sock)
    render_seconds = time.perf_counter() - started
    counter = [0, 0]

    async def main() -> None:
        loop = asyncio.get_running_loop()
        servers = [
            await loop.create_server(lambda t=table: _Http(t, counter), sock=sock)  # type: ignore[misc]
            for sock, table in zip(socks, tables, strict=True)
        ]
        conn.send((board_url, portal_url, site_urls))
        cpu0 = _cpu()
        await loop.run_in_executor(None, conn.recv)
        for server in servers:
            server.close()
        total = sum(len(t.pages) for t in tables)
        conn.send(ServerStats(counter[0], counter[1], _cpu() - cpu0, total, render_seconds))

    asyncio.run(main())


class BenchWeb:
    """The benchmark web in a child process (see the module docstring)."""

    def __init__(
        self, *, adverts: int = 0, sites: int = 0, datasets: int = 0, seed: int = 2026
    ) -> None:
        if min(adverts, sites, datasets) < 0 or not (adverts or sites or datasets):
            raise ValueError("the benchmark web needs adverts, sites or datasets (all >= 0)")
        self.adverts, self.sites, self.datasets, self.seed = adverts, sites, datasets, seed
        self.board_url = ""
        self.portal_url = ""
        self.site_urls: list[str] = []
        self.served: ServerStats | None = None
        self._conn: Connection | None = None
        self._process: mp.process.BaseProcess | None = None

    @property
    def pages(self) -> int:
        """Pages a full crawl fetches (robots.txt not counted)."""
        board = Board(self.board_url, self.adverts, self.seed).pages if self.adverts else 0
        portal = -(-self.datasets // PORTAL_ROWS) + 2 if self.datasets else 0
        return board + portal + self.sites * SITE_PAGES

    def start(self) -> None:
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        self._process = ctx.Process(
            target=_serve,
            args=(child, self.seed, self.adverts, self.sites, self.datasets),
            daemon=True,
        )
        self._process.start()
        self._conn = parent
        self.board_url, self.portal_url, self.site_urls = parent.recv()

    def stop(self) -> ServerStats:
        assert self._conn is not None and self._process is not None
        self._conn.send("stop")
        self.served = self._conn.recv()
        self._process.join(10)
        return self.served

    def __enter__(self) -> BenchWeb:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._process is not None and self._process.is_alive():
            if exc_type is None:
                self.stop()
            else:
                self._process.kill()
