"""Heavy page parsing in worker processes, off the reactor thread, under a time budget.

A spider awaits :meth:`ParsePool.run` from an ``async def`` callback: the function (pure,
module-level, picklable arguments and result) runs in one of ``workers`` processes (pebble's
``ProcessPool``, forked from a clean fork server), so the crawl uses every core and the reactor
keeps fetching while pages are read. A call that takes longer than ``timeout`` seconds has its
worker killed and replaced and raises :class:`ParseTimeout`; a worker that dies raises
:class:`ParseCrashed`. With ``workers = 0`` the function runs in the calling thread (fixture
tests, or ``DSI_PARSE_WORKERS=0``).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")
#: Modules the fork server imports once, so each worker starts ready; ``warm`` also builds
#: the readers' caches (gazetteer, language profiles) once for all workers.
PRELOAD = ["spiders.parsers.job_page", "spiders.parsers.page_facts", "crawler.parse_warm"]


class ParseTimeout(Exception):
    """A parsing call ran past its time budget (its worker was killed)."""


class ParseCrashed(Exception):
    """A parsing worker died during a call."""


def _worker_pid(pause: float) -> int:
    time.sleep(pause)
    return os.getpid()


def _wait_for_workers(pool: Any, workers: int, limit: float = 30.0) -> None:
    """Return once every worker has run a call: a worker still starting when the pool is
    stopped (a crawl of a few pages) would fail to read its start-up state and print a
    traceback."""
    deadline = time.monotonic() + limit
    while True:
        calls = [pool.schedule(_worker_pid, args=(0.02,)) for _ in range(workers)]
        if len({call.result() for call in calls}) >= workers or time.monotonic() > deadline:
            return


class ParsePool:
    def __init__(self, workers: int, timeout: float) -> None:
        self.workers = max(0, workers)
        self.timeout = timeout
        self._pool: Any = None
        self._ready: concurrent.futures.Future[None] | None = None

    @classmethod
    def for_crawler(cls, crawler: Any) -> ParsePool:
        """The pool ``DSI_PARSE_WORKERS`` and ``DSI_PARSE_TIMEOUT`` ask for, started by the
        first page to read (a crawl of feeds alone never starts it) and closed with the
        spider."""
        pool = cls(
            crawler.settings.getint("DSI_PARSE_WORKERS", 0),
            crawler.settings.getfloat("DSI_PARSE_TIMEOUT", 60.0),
        )
        from scrapy import signals

        crawler.signals.connect(pool.close, signal=signals.spider_closed)
        return pool

    def start(self) -> None:
        """Start the workers in a thread of their own: the fork server's imports and warm-up
        (:mod:`crawler.parse_warm`) take seconds, and the crawl's thread goes on fetching
        meanwhile (pages to read wait for the workers). Calls after the first do nothing."""
        if not self.workers or self._ready is not None:
            return
        ready: concurrent.futures.Future[None] = concurrent.futures.Future()
        self._ready = ready

        def boot() -> None:
            try:
                from pebble import ProcessPool

                context = multiprocessing.get_context("forkserver")
                context.set_forkserver_preload(PRELOAD)
                pool = ProcessPool(max_workers=self.workers, context=context)
                _wait_for_workers(pool, self.workers)
                self._pool = pool
                ready.set_result(None)
            except BaseException as exc:  # handed to every run() that waits
                ready.set_exception(exc)

        threading.Thread(target=boot, name="parse-pool-start", daemon=True).start()

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if not self.workers:
            return fn(*args, **kwargs)
        self.start()
        assert self._ready is not None
        await asyncio.wrap_future(self._ready)
        future = self._pool.schedule(fn, args=args, kwargs=kwargs, timeout=self.timeout)
        try:
            result: T = await asyncio.wrap_future(future)
        except concurrent.futures.TimeoutError:
            raise ParseTimeout(f"parsing took more than {self.timeout:g} s") from None
        except Exception as exc:
            from pebble import ProcessExpired

            if isinstance(exc, ProcessExpired):
                raise ParseCrashed(f"parsing worker died ({exc})") from None
            raise
        return result

    def close(self) -> None:
        if self._ready is not None:
            # a start under way ends before the stop; a pool that never started has nothing
            # to stop
            with contextlib.suppress(Exception):
                self._ready.result(timeout=60)
            self._ready = None
        if self._pool is not None:
            self._pool.stop()
            self._pool.join(timeout=10)
            self._pool = None
