"""A generated catalogue that tests can change while the sandbox runs (thread-safe): rename
a dataset (it becomes modified now), delete one. Used by the OpenDataSoft, uData and ArcGIS
Hub portals."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime

from sandbox.content.datasets import Dataset, make_dataset


@dataclass(frozen=True, slots=True)
class Entry:
    """A dataset as the portal shows it now."""

    index: int
    dataset: Dataset
    title: str
    modified: datetime


class MutableCatalogue:
    def __init__(self, seed: int, family: str, count: int) -> None:
        self._lock = threading.Lock()
        self._datasets = [make_dataset(seed, i, family=family) for i in range(count)]
        self._changes: dict[int, tuple[str, datetime]] = {}
        self._deleted: set[int] = set()

    def entries(self) -> list[Entry]:
        with self._lock:
            out = []
            for i, ds in enumerate(self._datasets):
                if i in self._deleted:
                    continue
                title, modified = self._changes.get(i, (ds.title, ds.modified))
                out.append(Entry(i, ds, title, modified))
            return out

    def touch(self, index: int, title: str) -> None:
        """Rename dataset ``index``; it is modified now."""
        with self._lock:
            self._changes[index] = (title, datetime.now(UTC).replace(microsecond=0))

    def delete(self, index: int) -> None:
        with self._lock:
            self._deleted.add(index)
