"""Heavy page parsing in worker processes, off the reactor thread, under a time budget.

A spider awaits :meth:`ParsePool.run` from an ``async def`` callback: the function (pure,
module-level, picklable arguments and result) runs in one of ``workers`` processes (forked
from a fork server that preloaded and warmed the readers, :data:`PRELOAD`), so the crawl
uses every core and the reactor keeps fetching while pages are read. A call that takes
longer than ``timeout`` seconds has its worker killed and replaced and raises
:class:`ParseTimeout`; a worker that dies raises :class:`ParseCrashed`. With ``workers = 0``
the function runs in the calling thread (fixture tests, or ``DSI_PARSE_WORKERS=0``).

Each worker has a pipe of its own for calls and one for answers, both driven by the event
loop itself (no threads in the crawl's process, so nothing there competes for its GIL), and
holds up to :data:`DEPTH` calls: the next page already waits in its pipe when it finishes
one, so a worker is never idle while pages wait. (A shared queue that hands a worker one
call at a time left each worker idle ~20 % of a jobs crawl, between calls.) A worker reads
its calls in order, so the one it is reading is the oldest it holds: its clock starts when
the call before it was answered.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import fcntl
import logging
import multiprocessing
import os
import pickle
import signal
import struct
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")
#: Modules the fork server imports once, so each worker starts ready; importing
#: :mod:`crawler.parse_warm` also builds the readers' caches (gazetteer, language profiles)
#: once for all workers.
PRELOAD = ["crawler.parse_warm"]
#: Calls a worker holds at once: the one it reads and the next, already in its pipe.
DEPTH = 2
#: Kernel buffer of each pipe (Linux caps it at ``/proc/sys/fs/pipe-max-size``, 1 MB by
#: default): a whole page fits, so a call is written at once and a worker never waits for
#: the crawl's thread to hand it the rest.
PIPE_BYTES = 1 << 20
#: Workers that die before answering a call, in a row, before the pool gives up.
START_FAILURES = 3
_F_SETPIPE_SZ = 1031
_HEADER = struct.Struct("!i")
_LONG = struct.Struct("!Q")


class ParseTimeout(Exception):
    """A parsing call ran past its time budget (its worker was killed)."""


class ParseCrashed(Exception):
    """A parsing worker died during a call (or the workers cannot start)."""


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a worker (its ``__cause__``)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _frame(payload: bytes) -> bytes:
    """``multiprocessing.connection``'s framing, so a worker reads with ``recv_bytes``."""
    if len(payload) > 0x7FFFFFFF:
        return _HEADER.pack(-1) + _LONG.pack(len(payload)) + payload
    return _HEADER.pack(len(payload)) + payload


def _frames(buffer: bytearray) -> list[bytes]:
    """Take every whole frame off the front of ``buffer``."""
    out: list[bytes] = []
    while len(buffer) >= 4:
        (size,) = _HEADER.unpack_from(buffer)
        start = 4
        if size == -1:
            if len(buffer) < 12:
                break
            (size,) = _LONG.unpack_from(buffer, 4)
            start = 12
        if len(buffer) < start + size:
            break
        out.append(bytes(buffer[start : start + size]))
        del buffer[: start + size]
    return out


def _widen(fd: int) -> None:
    with contextlib.suppress(OSError):
        fcntl.fcntl(fd, _F_SETPIPE_SZ, PIPE_BYTES)


def _sent(answers: Connection, payload: bytes) -> bool:
    """Send an answer; False when the crawl has closed the pool (its end of the pipe is gone,
    e.g. a crawl that ended while this worker was still starting)."""
    try:
        answers.send_bytes(payload)
    except OSError:  # BrokenPipeError, ConnectionResetError
        return False
    return True


def serve(calls: Connection, answers: Connection) -> None:
    """A worker's loop: read a call, answer ``(True, result)`` or ``(False, exception,
    traceback)``, until the crawl closes the pipe of calls (or of answers)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the crawl decides when workers stop
    if not _sent(answers, pickle.dumps(("ready", os.getpid()))):
        return
    while True:
        try:
            data = calls.recv_bytes()
        except (EOFError, OSError):
            return
        try:
            fn, args, kwargs = pickle.loads(data)
            answer: tuple[Any, ...] = (True, fn(*args, **kwargs))
        except Exception as exc:
            answer = (False, exc, traceback.format_exc())
        try:
            payload = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
        except Exception as exc:
            error = RuntimeError(f"parsing result cannot be sent back: {exc!r}")
            payload = pickle.dumps((False, error, traceback.format_exc()))
        if not _sent(answers, payload):
            return


@dataclass(eq=False)
class _Call:
    payload: bytes
    future: asyncio.Future[Any]


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    calls_fd: int
    answers_fd: int
    held: collections.deque[_Call] = field(default_factory=collections.deque)
    outgoing: bytearray = field(default_factory=bytearray)
    incoming: bytearray = field(default_factory=bytearray)
    ready: bool = False
    answered: int = 0
    #: when the call it reads now (``held[0]``) started
    clock: float = 0.0
    writing: bool = False


def _start_worker(context: Any) -> tuple[multiprocessing.process.BaseProcess, int, int]:
    """Fork one worker from the fork server (blocking: the first start waits for the fork
    server's preload), with its two pipes; returns the crawl's ends."""
    calls_r, calls_w = context.Pipe(duplex=False)
    answers_r, answers_w = context.Pipe(duplex=False)
    for conn in (calls_w, answers_r):
        _widen(conn.fileno())
    process = context.Process(
        target=serve, args=(calls_r, answers_w), name="dsi-parse", daemon=True
    )
    try:
        process.start()
    finally:
        calls_r.close()
        answers_w.close()
    calls_fd, answers_fd = os.dup(calls_w.fileno()), os.dup(answers_r.fileno())
    calls_w.close()
    answers_r.close()
    os.set_blocking(calls_fd, False)
    os.set_blocking(answers_fd, False)
    return process, calls_fd, answers_fd


class ParsePool:
    def __init__(self, workers: int, timeout: float) -> None:
        self.workers = max(0, workers)
        self.timeout = timeout
        self._loop: asyncio.AbstractEventLoop | None = None
        self._context: Any = None
        self._threads: concurrent.futures.ThreadPoolExecutor | None = None
        self._starting: list[concurrent.futures.Future[Any]] = []
        self._pool: list[_Worker] = []
        self._waiting: collections.deque[_Call] = collections.deque()
        self._timer: asyncio.TimerHandle | None = None
        self._failed_starts = 0
        self._broken: BaseException | None = None

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

    # -- calls --------------------------------------------------------------------------

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if not self.workers:
            return fn(*args, **kwargs)
        if self._broken is not None:
            raise ParseCrashed(f"parsing workers cannot start ({self._broken})")
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self._start(loop)
        payload = _frame(pickle.dumps((fn, args, kwargs), pickle.HIGHEST_PROTOCOL))
        call = _Call(payload, loop.create_future())
        self._waiting.append(call)
        self._dispatch()
        result: T = await call.future
        return result

    def _dispatch(self) -> None:
        while self._waiting:
            ready = [w for w in self._pool if w.ready and len(w.held) < DEPTH]
            if not ready:
                return
            worker = min(ready, key=lambda w: len(w.held))
            call = self._waiting.popleft()
            if call.future.done():  # its caller went away
                continue
            if not worker.held:
                worker.clock = time.monotonic()
            worker.held.append(call)
            worker.outgoing += call.payload
            self._write(worker)

    def _write(self, worker: _Worker) -> None:
        assert self._loop is not None
        try:
            while worker.outgoing:
                sent = os.write(worker.calls_fd, worker.outgoing)
                del worker.outgoing[:sent]
        except BlockingIOError:
            pass
        except OSError:  # the worker is gone: its answers pipe tells how
            worker.outgoing.clear()
        if worker.outgoing and not worker.writing:
            self._loop.add_writer(worker.calls_fd, self._write, worker)
            worker.writing = True
        elif not worker.outgoing and worker.writing:
            self._loop.remove_writer(worker.calls_fd)
            worker.writing = False

    def _read(self, worker: _Worker) -> None:
        try:
            while True:
                chunk = os.read(worker.answers_fd, 1 << 20)
                if not chunk:
                    self._died(worker)
                    return
                worker.incoming += chunk
        except BlockingIOError:
            pass
        except OSError:
            self._died(worker)
            return
        for frame in _frames(worker.incoming):
            self._answer(worker, frame)

    def _answer(self, worker: _Worker, frame: bytes) -> None:
        try:
            answer = pickle.loads(frame)
        except Exception as exc:
            answer = (False, RuntimeError(f"parsing result cannot be read: {exc!r}"), "")
        if answer[0] == "ready":
            worker.ready = True
            self._dispatch()
            return
        if not worker.held:
            return
        call = worker.held.popleft()
        worker.clock = time.monotonic()
        worker.answered += 1
        self._failed_starts = 0
        if not call.future.done():
            if answer[0] is True:
                call.future.set_result(answer[1])
            else:
                error = answer[1]
                if answer[2]:
                    error.__cause__ = RemoteTraceback(answer[2])
                call.future.set_exception(error)
        self._dispatch()

    # -- workers coming and going -------------------------------------------------------

    def _start(self, loop: asyncio.AbstractEventLoop) -> None:
        """Start the workers, in a thread: the fork server's imports and warm-up
        (:mod:`crawler.parse_warm`) take seconds, and the crawl's thread goes on fetching
        meanwhile (pages to read wait for the workers)."""
        self.close()
        self._loop = loop
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(PRELOAD)
        self._threads = concurrent.futures.ThreadPoolExecutor(1, "parse-pool-start")
        for _ in range(self.workers):
            self._spawn()
        self._arm()

    def _spawn(self) -> None:
        assert self._threads is not None and self._loop is not None
        loop = self._loop
        started = self._threads.submit(_start_worker, self._context)
        self._starting.append(started)

        def attach(done: concurrent.futures.Future[Any]) -> None:
            if not loop.is_closed():
                with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                    loop.call_soon_threadsafe(self._attach, done)

        started.add_done_callback(attach)

    def _attach(self, started: concurrent.futures.Future[Any]) -> None:
        if started not in self._starting:  # the pool closed meanwhile (close() ends it)
            return
        self._starting.remove(started)
        assert self._loop is not None
        try:
            process, calls_fd, answers_fd = started.result()
        except Exception as error:
            self._give_up(error)
            return
        worker = _Worker(process, calls_fd, answers_fd)
        self._pool.append(worker)
        self._loop.add_reader(answers_fd, self._read, worker)

    def _died(self, worker: _Worker) -> None:
        """The worker's answers pipe ended: it died. Its current call fails, the calls it
        held but had not begun go back to the front of the line, and a new worker starts."""
        self._retire(worker)
        worker.process.join(1.0)
        code = worker.process.exitcode
        self._fail_current(worker, ParseCrashed(f"parsing worker died (exit code {code})"))
        if worker.answered == 0:
            self._failed_starts += 1
            if self._failed_starts >= START_FAILURES:
                self._give_up(RuntimeError(f"{self._failed_starts} workers died at start"))
                return
        self._spawn()

    def _fail_current(self, worker: _Worker, error: Exception) -> None:
        """A retired worker's current call fails with ``error``; the calls it held but had
        not begun go back to the front of the line, in order."""
        if worker.held:
            call = worker.held.popleft()
            if not call.future.done():
                call.future.set_exception(error)
        self._waiting.extendleft(reversed(worker.held))
        worker.held.clear()

    def _retire(self, worker: _Worker, kill: bool = False) -> None:
        if worker not in self._pool:
            return
        self._pool.remove(worker)
        if self._loop is not None and not self._loop.is_closed():
            self._loop.remove_reader(worker.answers_fd)
            if worker.writing:
                self._loop.remove_writer(worker.calls_fd)
        for fd in (worker.calls_fd, worker.answers_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        if kill and worker.process.pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(worker.process.pid, signal.SIGKILL)
            worker.process.join(5.0)

    def _give_up(self, exc: BaseException) -> None:
        logger.error("parsing workers cannot start: %s", exc)
        self._broken = exc
        calls = list(self._waiting)
        self._waiting.clear()
        for call in calls:
            if not call.future.done():
                call.future.set_exception(ParseCrashed(f"parsing workers cannot start ({exc})"))

    def _arm(self) -> None:
        assert self._loop is not None
        self._timer = self._loop.call_later(min(1.0, self.timeout / 4), self._check)

    def _check(self) -> None:
        """Kill each worker whose current call ran past the budget, and start another."""
        now = time.monotonic()
        for worker in list(self._pool):
            if worker.held and worker.ready and now - worker.clock > self.timeout:
                self._retire(worker, kill=True)
                self._fail_current(
                    worker, ParseTimeout(f"parsing took more than {self.timeout:g} s")
                )
                self._spawn()
        self._arm()

    def close(self) -> None:
        """Stop the workers (each ends once it sees its pipe of calls close; one still
        reading is killed after a moment). Calls still waiting fail with
        :class:`ParseCrashed`; a later :meth:`run` starts the pool again."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._threads is not None:
            self._threads.shutdown(wait=True)  # a start under way ends before the stop
            self._threads = None
        starting, self._starting = self._starting, []
        workers = list(self._pool)
        for started in starting:
            with contextlib.suppress(Exception):
                workers.append(_Worker(*started.result()))
                self._pool.append(workers[-1])
        for worker in workers:
            self._retire(worker)
        deadline = time.monotonic() + 2.0
        for worker in workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.exitcode is None and worker.process.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(worker.process.pid, signal.SIGKILL)
                worker.process.join(5.0)
            for call in worker.held:
                self._waiting.append(call)
        calls = list(self._waiting)
        self._waiting.clear()
        for call in calls:
            if not call.future.done() and not call.future.get_loop().is_closed():
                call.future.set_exception(ParseCrashed("parsing pool closed"))
        self._loop = None
