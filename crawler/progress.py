"""Progress of long steps on stderr: a live display on a terminal (rich), plain lines otherwise.

:class:`Progress` counts work (pages, items, texts) with a rate and extra fields (errors);
:func:`steps_from_logs` shows the INFO steps a library logs (training, cross-validation) as they
happen. Off a terminal a plain line is written every ``interval`` seconds and at the end, so
logs of unattended runs stay readable.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from types import TracebackType
from typing import IO, Any, TypeVar

T = TypeVar("T")

_lock = threading.Lock()
_live: Any = None  # the one rich Progress shared by every display on the terminal
_users = 0


def on_terminal(stream: IO[str] | None = None) -> bool:
    stream = stream or sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)())


def _acquire_live() -> Any:
    global _live, _users
    with _lock:
        if _live is None:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )
            from rich.progress import Progress as RichProgress

            _live = RichProgress(
                SpinnerColumn(),
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[detail]}"),
                TimeElapsedColumn(),
                console=Console(stderr=True),
            )
            _live.start()
        _users += 1
        return _live


def _release_live() -> None:
    global _live, _users
    with _lock:
        _users -= 1
        if _users <= 0 and _live is not None:
            _live.stop()
            _live, _users = None, 0


class Progress:
    """``with Progress("classify", unit="items") as p: p.advance(n, errors=0)``."""

    def __init__(
        self,
        label: str,
        *,
        total: int | None = None,
        unit: str = "items",
        stream: IO[str] | None = None,
        interval: float = 10.0,
        live: bool | None = None,
    ) -> None:
        self.label, self.total, self.unit = label, total, unit
        self.stream = stream or sys.stderr
        self.interval = interval
        self.live = on_terminal(self.stream) if live is None else live
        self.completed = 0
        self.fields: dict[str, Any] = {}
        self.step_text = ""
        self.started = time.monotonic()
        self._last_line = self.started
        self._task: Any = None

    def rate(self) -> float:
        elapsed = time.monotonic() - self.started
        return self.completed / elapsed if elapsed > 0 else 0.0

    def describe(self) -> str:
        done = f"{self.completed}/{self.total}" if self.total else str(self.completed)
        extra = " ".join(f"{k}={v}" for k, v in self.fields.items())
        parts = [f"{done} {self.unit}", f"{self.rate():.1f}/s", extra, self.step_text]
        return " ".join(p for p in parts if p)

    def _detail(self) -> str:
        extra = " ".join(f"{k}={v}" for k, v in self.fields.items())
        return " ".join(p for p in (f"{self.rate():.1f} {self.unit}/s", extra, self.step_text) if p)

    def _show(self, final: bool = False) -> None:
        if self.live:
            if self._task is not None:
                _live_progress = _live
                if _live_progress is not None:
                    _live_progress.update(
                        self._task,
                        completed=self.completed,
                        total=self.total,
                        detail=self._detail(),
                    )
            return
        now = time.monotonic()
        if final or now - self._last_line >= self.interval:
            self._last_line = now
            elapsed = now - self.started
            self.stream.write(f"{self.label}: {self.describe()} [{elapsed:.0f}s]\n")
            self.stream.flush()

    def update(self, completed: int | None = None, **fields: Any) -> None:
        if completed is not None:
            self.completed = completed
        self.fields.update(fields)
        self._show()

    def advance(self, n: int = 1, **fields: Any) -> None:
        self.update(self.completed + n, **fields)

    def step(self, text: str) -> None:
        self.step_text = text
        if not self.live:
            self._last_line = 0.0  # a new step is always shown
        self._show()

    def __enter__(self) -> Progress:
        if self.live:
            live = _acquire_live()
            self._task = live.add_task(self.label, total=self.total, detail="")
        self.started = time.monotonic()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._show(final=True)
        if self.live:
            _release_live()


def counted(items: Iterable[T], progress: Progress) -> Iterator[T]:
    """``items``, advancing ``progress`` by one for each."""
    for item in items:
        yield item
        progress.advance()


class _StepHandler(logging.Handler):
    def __init__(self, progress: Progress) -> None:
        super().__init__(logging.INFO)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            logging.getLogger().handle(record)  # warnings still reach the normal log
        else:
            self.progress.completed += 1
            self.progress.step(record.getMessage())


@contextmanager
def steps_from_logs(label: str, *loggers: str, stream: IO[str] | None = None) -> Iterator[Progress]:
    """Show the INFO messages of ``loggers`` (e.g. ``classifiers``) as the steps of ``label``."""
    with Progress(label, unit="steps", stream=stream, interval=0.0) as progress:
        targets = [logging.getLogger(name) for name in loggers]
        saved = [(t.level, t.propagate) for t in targets]
        handler = _StepHandler(progress)
        for t in targets:
            t.addHandler(handler)
            t.setLevel(logging.INFO)
            t.propagate = False
        try:
            yield progress
        finally:
            for t, (level, propagate) in zip(targets, saved, strict=True):
                t.removeHandler(handler)
                t.setLevel(level)
                t.propagate = propagate
