"""Database work retried while the database is unavailable (the store pipeline's semantics).

``with_retry`` runs ``work(session)`` in one transaction; on
:class:`~storage.session.StorageUnavailable` it waits 0.5 s, 2 s, 5 s and tries again, calling
``on_retry`` each time, and raises the last error when the database stays away. Call it from a
worker thread, never on the reactor.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from sqlalchemy.orm import Session

from storage.session import StorageUnavailable, session_scope

__all__ = ["RETRY_DELAYS", "with_retry"]

T = TypeVar("T")

#: Seconds waited before each new attempt.
RETRY_DELAYS: tuple[float, ...] = (0.5, 2.0, 5.0)


def with_retry(
    database_url: str,
    work: Callable[[Session], T],
    *,
    delays: Sequence[float] = RETRY_DELAYS,
    on_retry: Callable[[StorageUnavailable], None] | None = None,
) -> T:
    """``work`` in a transaction, retried after each delay while the database is unavailable."""
    last: StorageUnavailable | None = None
    for delay in (0.0, *delays):
        if delay:
            time.sleep(delay)
        try:
            with session_scope(database_url) as session:
                return work(session)
        except StorageUnavailable as exc:
            last = exc
            if on_retry is not None:
                on_retry(exc)
    assert last is not None
    raise last
