"""The parsing pool: results come back, a stuck call is killed at its budget, a dead worker
is reported, and the pool keeps working after both; calls a dead worker held but had not begun
are read by another; errors keep their type and the worker's traceback."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import pytest

from crawler import parse_pool
from crawler.parse_pool import ParseCrashed, ParsePool, ParseTimeout, RemoteTraceback

T = TypeVar("T")


def _slow_pid(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _raise_value_error(text: str) -> None:
    raise ValueError(text)


def _unpicklable() -> Any:
    return lambda: None


def _pid_then_die(code: int) -> None:
    time.sleep(0.2)
    os._exit(code)


def _run_then_close(pool: ParsePool, scenario: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run a scenario in a fresh event loop, then stop the pool's workers whatever happened."""
    try:
        return asyncio.run(scenario())
    finally:
        pool.close()


def test_inline_when_no_workers() -> None:
    pool = ParsePool(0, 0.0)
    assert asyncio.run(pool.run(sum, [1, 2, 3])) == 6


def test_worker_results_timeouts_and_crashes() -> None:
    pool = ParsePool(1, 2.0)

    async def scenario() -> None:
        assert await pool.run(sorted, [3, 1, 2]) == [1, 2, 3]
        with pytest.raises(ParseTimeout, match="more than 2 s"):
            await pool.run(time.sleep, 30)
        with pytest.raises(ParseCrashed):
            await pool.run(os._exit, 3)
        assert await pool.run(max, [4, 9]) == 9  # a fresh worker took over

    _run_then_close(pool, scenario)


def test_many_calls_use_every_worker_and_keep_their_answers() -> None:
    pool = ParsePool(2, 30.0)

    async def scenario() -> tuple[list[int], set[int]]:
        sums = await asyncio.gather(*(pool.run(sum, range(n)) for n in range(200)))
        pids = await asyncio.gather(*(pool.run(_slow_pid, 0.05) for _ in range(8)))
        return list(sums), set(pids)

    sums, pids = _run_then_close(pool, scenario)
    assert sums == [sum(range(n)) for n in range(200)]
    assert len(pids) == 2 and os.getpid() not in pids


def test_a_crash_fails_only_the_call_being_read() -> None:
    # one worker holds DEPTH calls: the one it reads dies with it, the one waiting in its
    # pipe is read by the worker that replaces it
    pool = ParsePool(1, 30.0)

    async def scenario() -> list[Any]:
        return await asyncio.gather(
            pool.run(_pid_then_die, 5),
            pool.run(sorted, [2, 1]),
            pool.run(sorted, [4, 3]),
            return_exceptions=True,
        )

    first, second, third = _run_then_close(pool, scenario)
    assert isinstance(first, ParseCrashed) and "exit code 5" in str(first)
    assert second == [1, 2] and third == [3, 4]


def test_a_timeout_fails_only_the_call_being_read() -> None:
    pool = ParsePool(1, 1.0)

    async def scenario() -> list[Any]:
        return await asyncio.gather(
            pool.run(time.sleep, 30), pool.run(sorted, [2, 1]), return_exceptions=True
        )

    start = time.monotonic()
    stuck, after = _run_then_close(pool, scenario)
    assert isinstance(stuck, ParseTimeout) and after == [1, 2]
    assert time.monotonic() - start < 15


def test_errors_keep_their_type_and_the_workers_traceback() -> None:
    pool = ParsePool(1, 30.0)

    async def scenario() -> None:
        with pytest.raises(ValueError, match="no such page") as caught:
            await pool.run(_raise_value_error, "no such page")
        assert isinstance(caught.value.__cause__, RemoteTraceback)
        assert "_raise_value_error" in str(caught.value.__cause__)
        with pytest.raises(RuntimeError, match="cannot be sent back"):
            await pool.run(_unpicklable)
        assert await pool.run(min, [5, 2]) == 2  # the worker lives on

    _run_then_close(pool, scenario)


def test_workers_that_cannot_start_fail_the_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(context: Any) -> Any:
        raise OSError("no more processes")

    monkeypatch.setattr(parse_pool, "_start_worker", refuse)
    pool = ParsePool(2, 30.0)

    async def scenario() -> None:
        with pytest.raises(ParseCrashed, match="no more processes"):
            await pool.run(sum, [1])
        with pytest.raises(ParseCrashed, match="cannot start"):
            await pool.run(sum, [1])

    _run_then_close(pool, scenario)


def test_close_stops_the_workers_and_a_later_call_starts_them_again() -> None:
    pool = ParsePool(2, 30.0)

    async def first() -> set[int]:
        return set(await asyncio.gather(*(pool.run(_slow_pid, 0.05) for _ in range(6))))

    pids = asyncio.run(first())
    pool.close()
    deadline = time.monotonic() + 10
    while pids and time.monotonic() < deadline:
        for pid in list(pids):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                pids.discard(pid)
        time.sleep(0.05)
    assert not pids  # every worker ended
    try:
        assert asyncio.run(pool.run(max, [1, 7])) == 7
    finally:
        pool.close()


def test_frames_split_and_join() -> None:
    buffer = bytearray()
    for payload in (b"", b"a" * 10, b"b" * 70_000):
        buffer += parse_pool._frame(payload)
    buffer += parse_pool._frame(b"partial")[:6]
    frames = parse_pool._frames(buffer)
    assert frames == [b"", b"a" * 10, b"b" * 70_000]
    assert len(buffer) == 6  # the partial frame waits for the rest


def _serve_alone(calls: Any, answers: Any, others: tuple[Any, ...]) -> None:
    """A forked worker, holding only its own ends of the pipes (as the pool's do)."""
    for end in others:
        end.close()
    parse_pool.serve(calls, answers)


@pytest.mark.parametrize("closed_after", [0, 1])
def test_a_worker_whose_pool_is_gone_exits_quietly(closed_after: int) -> None:
    """A crawl that ends while a worker starts (or reads) closes the answers' pipe first: the
    worker's send fails and it leaves without a traceback, whether it was saying it is ready
    or answering a call."""
    import multiprocessing as mp
    import pickle

    ctx = mp.get_context("fork")
    call_reader, call_writer = ctx.Pipe(duplex=False)
    answer_reader, answer_writer = ctx.Pipe(duplex=False)
    others = (call_writer, answer_reader)
    worker = ctx.Process(target=_serve_alone, args=(call_reader, answer_writer, others))
    if closed_after:  # the worker says it is ready, then finds the pool gone when it answers
        worker.start()
        assert pickle.loads(answer_reader.recv_bytes())[0] == "ready"
        answer_reader.close()
        call_writer.send_bytes(pickle.dumps((os.getpid, (), {})))  # sent once nobody reads
    else:  # the pool is gone before the worker says it is ready
        answer_reader.close()
        worker.start()
    answer_writer.close()
    call_reader.close()
    worker.join(10)
    call_writer.close()
    assert worker.exitcode == 0
