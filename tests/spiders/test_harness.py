"""The fixture harness drives every kind of callback and answers unmapped URLs on request."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from tests.spiders.harness import follow


class Recorder:
    """Callbacks of every shape; each records what it saw."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self.failures: list[tuple[str, str]] = []

    def sync_gen(self, response: Response, n: int = 0) -> Iterator[Any]:
        self.seen.append(f"sync:{response.url}")
        yield {"n": n, "url": response.url}
        yield Request("http://h.example/async", callback=self.async_gen, errback=self.failed)

    async def async_gen(self, response: Response) -> AsyncIterator[Any]:
        await asyncio.to_thread(lambda: None)  # a worker thread needs a running loop
        self.seen.append(f"asyncgen:{response.url}")
        yield {"url": response.url}
        yield Request("http://h.example/coro", callback=self.coro, errback=self.failed)
        yield Request("http://h.example/missing", callback=self.coro, errback=self.failed)

    async def coro(self, response: Response) -> list[Any]:
        await asyncio.sleep(0)
        self.seen.append(f"coro:{response.url}")
        return [{"url": response.url}]

    def failed(self, failure: Failure) -> list[Any]:
        request = failure.request  # type: ignore[attr-defined]
        if failure.check(HttpError):
            assert isinstance(failure.value, HttpError)
            self.failures.append((request.url, str(failure.value.response.status)))
        elif failure.check(DNSLookupError):
            self.failures.append((request.url, "dns"))
        return [{"failed": request.url}]


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>hi</p></body></html>", encoding="utf-8")
    return path


def _responses(page: Path) -> dict[str, Path]:
    return {f"http://h.example/{name}": page for name in ("start", "async", "coro")}


def test_follow_drives_sync_async_and_coroutine_callbacks(page: Path) -> None:
    rec = Recorder()
    start = Request("http://h.example/start", callback=rec.sync_gen, cb_kwargs={"n": 7})
    log: list[Request] = []
    items = follow([start], _responses(page), log=log)
    assert rec.seen == [
        "sync:http://h.example/start",
        "asyncgen:http://h.example/async",
        "coro:http://h.example/coro",
    ]
    assert items[0] == {"n": 7, "url": "http://h.example/start"}
    assert {"url": "http://h.example/coro"} in items
    assert rec.failures == [] and [r.url for r in log][-1] == "http://h.example/coro"


@pytest.mark.parametrize(("missing", "reason"), [("404", "404"), ("dns", "dns")])
def test_unmapped_urls_go_to_the_errback(page: Path, missing: str, reason: str) -> None:
    rec = Recorder()
    start = Request("http://h.example/start", callback=rec.sync_gen)
    items = follow([start], _responses(page), missing=missing)
    assert rec.failures == [("http://h.example/missing", reason)]
    assert {"failed": "http://h.example/missing"} in items


def test_status_map_and_default_drop(page: Path) -> None:
    rec = Recorder()
    start = Request("http://h.example/start", callback=rec.sync_gen)
    follow([start], _responses(page), status={"http://h.example/async": 503})
    assert rec.failures == [("http://h.example/async", "503")]
    rec = Recorder()
    follow([Request("http://h.example/start", callback=rec.sync_gen)], _responses(page))
    assert rec.failures == []  # unmapped URLs are dropped by default (backward compatible)
    with pytest.raises(ValueError, match="missing"):
        follow([], {}, missing="sometimes")
