"""The relevance corpus: real DSI and ordinary texts, each with its source, genre and language.

Shipped in ``classifiers/data/relevance/`` (sources, licences and attribution in its README):
ordinary organisation self-descriptions, dataset descriptions and job adverts (label 0), DSI
project / organisation texts and volunteer-role adverts from outside DSI4EU (label 1); plus the
DSI4EU sample itself (``classifiers/data/dsi4eu``: every project and organisation with text,
label 1; the spam/test records of ``quality.json``, label 0).

Each record also says what it shows of the two sides of DSI (``classifiers.lexicon``), per source
(:data:`SOURCE_SIDES`): a DSI text has a social purpose *and* digital means; a commercial software
company has digital means only; a non-digital charity or social service has a social purpose only;
an ordinary dataset description has neither. ``None`` = not known for that source (a lobby register
mixes companies and associations; job adverts mix software and other jobs): the record trains
relevance but not that side's head.

The sandbox (``sandbox/``) is a demo and test bed: none of its text is ever training data
(``tests/unit/classifiers/test_training_data.py`` fails on any 8-word run shared with it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from classifiers.dataset import Dataset
from crawler.text import fold_accents

RELEVANCE_DIR = Path(__file__).parent / "data" / "relevance"
CORPUS_FILES = ("negatives.jsonl", "positives.jsonl", "extra.jsonl")
#: source of curator decisions: ``decision:<id>``, each its own small source, so that a
#: decision weighs as much as a whole small source (sources count by the square root of size)
DECISION_SOURCE = "decision:"

#: source key -> (social purpose, digital means) shown by the ordinary texts of that source;
#: positives (label 1) are always (True, True)
SOURCE_SIDES: dict[str, tuple[bool | None, bool | None]] = {
    # commercial software / tech companies and generic software tools: digital, not social
    "remoteintech": (False, True),
    "cttl_generic": (False, True),
    # community organisations, charities, public social services: social, not digital
    "ohana_smc": (True, False),
    # lobby register: companies, federations, unions and associations (social side unknown)
    "an_lobby": (None, False),
    # ordinary job adverts: software and non-software jobs at ordinary employers
    "skillspan": (False, None),
    # DSI4EU spam and test records
    "dsi4eu_spam": (False, None),
}
#: sources of ordinary dataset descriptions: neither a social purpose nor digital means
DATASET_SOURCES = frozenset(
    {
        "musterdatenkatalog",
        "rdatasets",
        "fivethirtyeight",
        "gfdrr_rdl",
        "pudding",
        "kokes_od",
        "bdin_it",
        "argdocs_es",
    }
)


class CorpusError(ValueError):
    """A corpus file is unreadable or a record lacks a field (names file and line)."""


@dataclass(slots=True, frozen=True)
class TextRecord:
    """One labelled text of the relevance corpus."""

    text: str
    label: bool
    source: str
    genre: str = ""
    language: str = ""

    def sides(self) -> tuple[bool | None, bool | None]:
        """(social purpose, digital means) this record shows, ``None`` where unknown."""
        if self.label:
            return (True, True)
        if self.source.startswith(DECISION_SOURCE):
            # a curator's rejection: whatever side it lacks, both heads learn to score it low
            return (False, False)
        if self.source in DATASET_SOURCES or self.genre == "dataset":
            return (False, False)
        return SOURCE_SIDES.get(self.source, (None, None))


def text_key(text: str) -> str:
    """Hash of a text's folded words: the same text with other spacing/case/accents -> same key."""
    words = fold_accents(text).split()
    return hashlib.sha1(" ".join(words).encode("utf-8")).hexdigest()[:16]


def json_object(line: str) -> dict[str, Any]:
    """One JSON-lines line as an object; ``ValueError`` saying what is wrong otherwise."""
    try:
        row = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg})") from None
    if not isinstance(row, dict):
        raise ValueError("expected a JSON object")
    return row


def read_jsonl(path: Path) -> list[TextRecord]:
    """Labelled lines ``{"text", "label", "source"|"id", "genre"?, "language"?}`` of one file."""
    out = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise CorpusError(f"{path}: cannot read ({exc.strerror})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json_object(line)
        except ValueError as exc:
            raise CorpusError(f"{path}:{n}: {exc}") from None
        text, label = row.get("text"), row.get("label")
        if not isinstance(text, str) or label not in (0, 1, True, False):
            raise CorpusError(f"{path}:{n}: needs a string 'text' and a 0/1 'label'")
        source = str(row.get("source_key") or str(row.get("id", "")).split(":")[0] or path.stem)
        out.append(
            TextRecord(
                text=text,
                label=bool(label),
                source=source,
                genre=str(row.get("genre") or ""),
                language=str(row.get("language") or ""),
            )
        )
    return out


def shipped_corpus(files: Sequence[str] = CORPUS_FILES) -> list[TextRecord]:
    """The shipped real relevance texts (without DSI4EU, see :func:`dsi4eu_records`)."""
    records: list[TextRecord] = []
    for name in files:
        path = RELEVANCE_DIR / name
        if path.exists():
            records.extend(read_jsonl(path))
    return records


def dsi4eu_records(dataset: Dataset) -> list[TextRecord]:
    """DSI4EU projects/organisations with text (label 1) and its spam/test records (label 0)."""
    out = []
    for r in dataset.records:
        if r.spam:
            if r.text.strip():
                out.append(TextRecord(text=r.text, label=False, source="dsi4eu_spam"))
            continue
        if r.has_text():
            genre = "org" if r.kind == "organisation" else "project"
            out.append(TextRecord(text=r.text, label=True, source="dsi4eu", genre=genre))
    return out


def exclude_sources(records: Iterable[TextRecord], sources: Iterable[str]) -> list[TextRecord]:
    """Records whose source is not in ``sources`` (for a split held out by source)."""
    drop = set(sources)
    return [r for r in records if r.source not in drop]
