"""Score texts without a database: JSON lines in, one JSON result per line out, same order.

Input lines: ``{"id": ..., "text": "...", "kind": "job|website|dataset" (optional),
"title": "..." (optional), "language": "xx" (optional)}``. The title, when the text does not
already start with it, is put in front (titles carry the subject). Output lines:
``{"id", "relevance", "relevant", "technologies": {label: p}, "areas": {label: p},
"model_version", "social_purpose", "digital_means"}`` (+ ``"why"``/``"against"`` with
``explain``). Labels are given for relevant texts only.

Scoring runs in batches; with ``workers > 1`` batches are spread over forked processes that share
the loaded model (copy-on-write), results kept in input order.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from classifiers.corpus import json_object
from classifiers.predict import Prediction, Predictor

KINDS = ("job", "website", "dataset")
BATCH = 512


class InputLineError(ValueError):
    """A malformed input line (the message names its line number)."""


@dataclass(slots=True, frozen=True)
class TextItem:
    line: int
    id: Any
    text: str
    language: str | None = None


def parse_line(line: str, number: int) -> TextItem:
    """One input line -> :class:`TextItem`; anything malformed -> :class:`InputLineError`."""
    try:
        row = json_object(line)
    except ValueError as exc:
        raise InputLineError(f"line {number}: {exc}") from None
    if "id" not in row:
        raise InputLineError(f"line {number}: no 'id'")
    text = row.get("text")
    if not isinstance(text, str):
        raise InputLineError(f"line {number}: 'text' must be a string")
    kind = row.get("kind")
    if kind is not None and kind not in KINDS:
        raise InputLineError(f"line {number}: 'kind' must be one of {', '.join(KINDS)}")
    title = row.get("title")
    if title is not None and not isinstance(title, str):
        raise InputLineError(f"line {number}: 'title' must be a string")
    if title and not text.lstrip().startswith(title.strip()):
        text = f"{title.strip()}\n{text}"
    language = row.get("language")
    return TextItem(
        line=number,
        id=row["id"],
        text=text,
        language=language if isinstance(language, str) and language else None,
    )


@dataclass(slots=True)
class ReadResult:
    items: list[TextItem]
    bad: list[str]


def parse_all(lines: Iterable[str], *, skip_bad: bool = False) -> ReadResult:
    """All items, and the errors of skipped lines (with ``skip_bad``; else the first raises)."""
    items: list[TextItem] = []
    bad: list[str] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            items.append(parse_line(line, number))
        except InputLineError as exc:
            if not skip_bad:
                raise
            bad.append(str(exc))
    return ReadResult(items=items, bad=bad)


def result_row(item: TextItem, pred: Prediction, version: str, explain: bool) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": item.id,
        "relevance": pred.relevance,
        "relevant": pred.is_relevant,
        "technologies": pred.technologies,
        "areas": pred.areas,
        "model_version": version,
        "social_purpose": pred.explanation.get("social_purpose"),
        "digital_means": pred.explanation.get("digital_means"),
    }
    if explain:
        row["why"] = pred.explanation.get("why", "")
        row["against"] = pred.explanation.get("relevance_against", [])
    if pred.warnings:
        row["warnings"] = pred.warnings
    return row


_WORKER: Predictor | None = None


def _score(args: tuple[list[TextItem], bool]) -> list[dict[str, Any]]:
    items, explain = args
    assert _WORKER is not None
    preds = _WORKER.predict(
        [i.text for i in items],
        languages=[i.language for i in items],
        detect_language=False,
        explain=explain,
        uncertainty=False,
    )
    return [result_row(i, p, _WORKER.version, explain) for i, p in zip(items, preds, strict=True)]


def score_items(
    predictor: Predictor,
    items: list[TextItem],
    *,
    explain: bool = False,
    workers: int = 1,
    batch: int = BATCH,
) -> Iterator[dict[str, Any]]:
    """Result rows in input order; ``workers > 1`` forks that many scoring processes."""
    global _WORKER
    _WORKER = predictor
    chunks = [(items[i : i + batch], explain) for i in range(0, len(items), batch)]
    if workers <= 1 or len(chunks) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for chunk in chunks:
            yield from _score(chunk)
        return
    with multiprocessing.get_context("fork").Pool(min(workers, len(chunks))) as pool:
        for rows in pool.imap(_score, chunks):
            yield from rows
