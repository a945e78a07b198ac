"""The parsing pool: results come back, a stuck call is killed at its budget, a dead worker
is reported, and the pool keeps working after both."""

from __future__ import annotations

import asyncio
import os
import time

import pytest

from crawler.parse_pool import ParseCrashed, ParsePool, ParseTimeout


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

    try:
        asyncio.run(scenario())
    finally:
        pool.close()
