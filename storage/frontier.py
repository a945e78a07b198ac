"""Repository of the durable crawl frontier (``frontier_requests``): one source's requests,
their leases and the fingerprints already seen, so a crawl killed at any moment resumes.

The crawler keeps the frontier in memory while it runs and writes its changes here in batches
(:class:`FrontierChanges`, one transaction each); this module only stores and reads them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from storage.models import FrontierRequest
from storage.session import dialect_insert

QUEUED, LEASED, DONE = "queued", "leased", "done"
_CHUNK = 500  # keys per IN (...) list


@dataclass(slots=True)
class QueuedRequest:
    key: str
    fingerprint: str
    priority: int
    seq: int
    request: bytes
    run_id: int | None = None


@dataclass(slots=True)
class FrontierChanges:
    """What changed since the last write, applied in this order: new requests, new states
    (the last state of a key wins), fingerprints forgotten (their ``done`` rows deleted)."""

    added: list[QueuedRequest] = field(default_factory=list)
    states: dict[str, str] = field(default_factory=dict)
    forgotten: set[str] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.added) + len(self.states) + len(self.forgotten)

    def merge_before(self, later: FrontierChanges) -> FrontierChanges:
        """These (unwritten) changes followed by ``later``'s, as one batch."""
        states = {**self.states, **later.states}
        return FrontierChanges(
            added=[*self.added, *later.added],
            states=states,
            forgotten=self.forgotten | later.forgotten,
        )


@dataclass(frozen=True, slots=True)
class FrontierState:
    """A source's frontier as stored: what is left to fetch and what was seen."""

    #: queued and leased requests (leased ones were in flight when their crawl died)
    pending: list[QueuedRequest]
    leased: int
    #: fingerprints of every row, done ones included (the duplicate filter)
    seen: set[str]
    next_seq: int


def _chunks(keys: Sequence[str]) -> Iterator[Sequence[str]]:
    for i in range(0, len(keys), _CHUNK):
        yield keys[i : i + _CHUNK]


def write_changes(session: Session, source: str, changes: FrontierChanges) -> None:
    """Apply one batch of frontier changes (in the caller's transaction)."""
    if changes.added:
        stmt = dialect_insert(session)(FrontierRequest).on_conflict_do_nothing(
            index_elements=["source", "key"]
        )
        session.execute(
            stmt,
            [
                {
                    "source": source,
                    "key": r.key,
                    "fingerprint": r.fingerprint,
                    "state": QUEUED,
                    "priority": r.priority,
                    "seq": r.seq,
                    "request": r.request,
                    "run_id": r.run_id,
                }
                for r in changes.added
            ],
        )
    by_state: dict[str, list[str]] = {}
    for key, state in changes.states.items():
        by_state.setdefault(state, []).append(key)
    for state, keys in by_state.items():
        values: dict[str, Any] = {"state": state}
        if state == DONE:
            values["request"] = None  # only the fingerprint is needed from now on
        for chunk in _chunks(keys):
            session.execute(
                update(FrontierRequest)
                .where(FrontierRequest.source == source, FrontierRequest.key.in_(chunk))
                .values(**values)
            )
    for chunk in _chunks(sorted(changes.forgotten)):
        session.execute(
            delete(FrontierRequest).where(
                FrontierRequest.source == source,
                FrontierRequest.state == DONE,
                FrontierRequest.fingerprint.in_(chunk),
            )
        )


def load_frontier(session: Session, source: str) -> FrontierState:
    """The source's stored frontier, pending requests in queue order."""
    pending: list[QueuedRequest] = []
    seen: set[str] = set()
    leased = 0
    next_seq = 0
    rows = session.execute(
        select(
            FrontierRequest.key,
            FrontierRequest.fingerprint,
            FrontierRequest.state,
            FrontierRequest.priority,
            FrontierRequest.seq,
            FrontierRequest.request,
            FrontierRequest.run_id,
        ).where(FrontierRequest.source == source)
    )
    for key, fingerprint, state, priority, seq, request, run_id in rows:
        seen.add(fingerprint)
        next_seq = max(next_seq, seq + 1)
        if state == DONE or request is None:
            continue
        leased += state == LEASED
        pending.append(QueuedRequest(key, fingerprint, priority, seq, request, run_id))
    pending.sort(key=lambda r: (-r.priority, r.seq))
    return FrontierState(pending=pending, leased=leased, seen=seen, next_seq=next_seq)


def frontier_counts(session: Session, source: str) -> dict[str, int]:
    """Rows of the source's frontier per state (``queued``, ``leased``, ``done``)."""
    rows = session.execute(
        select(FrontierRequest.state, func.count())
        .where(FrontierRequest.source == source)
        .group_by(FrontierRequest.state)
    )
    return {state: int(n) for state, n in rows}


def clear_frontier(session: Session, source: str) -> int:
    """Forget the source's frontier (its crawl is complete, or starts afresh)."""
    result = session.execute(delete(FrontierRequest).where(FrontierRequest.source == source))
    return int(getattr(result, "rowcount", 0) or 0)
