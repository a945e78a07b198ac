"""Load a digitalsocial.eu export (projects, organisations, or a file mixing both).

The export is a JSON list of records (see ``data/dsi4eu/README.md``). Each record becomes a
:class:`Record`: its text (name + descriptions, HTML stripped, plus the free-text
``who_we_help_tags``/``tags``), and per task the canonical labels mapped through the taxonomy.

Decisions, documented:

* **Wrong shape** (not a list, a record that is not an object, no ``project_id`` /
  ``organisation_id``, a text field that is not a string, a tag field that is not a list of
  ``{"id", "name"}`` objects): :class:`ExportFormatError` naming the record. Nothing is trained on
  a file we do not understand.
* **Unknown labels** (a raw tag name that the taxonomy does not list, even case-insensitively):
  with ``unknown="error"`` (the default for training) :class:`UnknownLabelError` naming the record
  and the tag; with ``unknown="skip"`` (the default for evaluation) the tag is ignored, counted in
  :attr:`Dataset.unknown_labels` and reported. A record left with no known label for a task is
  unlabelled for that task.
* **Unlabelled for a task** (no mapped label): the task's labels are *missing* (``None``), never an
  all-negative row.
* **Spam/test records** (ids in ``quality.json``): flagged ``spam``; their tags are not used as
  labels, and they serve as relevance negatives.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from classifiers.taxonomy import DATA_DIR, LABEL_TASKS, Taxonomy, load_taxonomy
from crawler.text import html_to_text

DEFAULT_QUALITY = DATA_DIR / "dsi4eu" / "quality.json"
SHIPPED_PROJECTS = DATA_DIR / "dsi4eu" / "projects.json"
SHIPPED_ORGANISATIONS = DATA_DIR / "dsi4eu" / "organisations.json"

UnknownPolicy = Literal["error", "skip"]

_TAG_RE = re.compile(r"<[^>]*>")
_SPACE_RE = re.compile(r"[ \t\r\f\v]+")
_BLANK_LINES_RE = re.compile(r"\n\s*\n+")


class ExportFormatError(ValueError):
    """The export is not in the digitalsocial.eu format; the message names the record."""


class UnknownLabelError(ExportFormatError):
    """A raw tag the taxonomy does not know (with ``unknown="error"``)."""


def strip_html(text: str) -> str:
    """Plain text from a description that may contain HTML markup and entities."""
    return html_to_text(text) if "<" in text or "&" in text else text.strip()


@dataclass(slots=True, kw_only=True)
class Record:
    """One project or organisation from an export, ready for the classifiers."""

    kind: str  # project | organisation
    id: int
    name: str
    text: str
    #: task -> canonical labels; a task absent here is unlabelled (missing, not negative)
    labels: dict[str, list[str]] = field(default_factory=dict)
    spam: bool = False
    website: str = ""
    country: str = ""

    @property
    def ref(self) -> str:
        return f"{self.kind} {self.id} ({self.name[:40]!r})"

    def has_text(self) -> bool:
        """True when there is more than a name to read."""
        return len(self.text.strip()) > len(self.name.strip())


@dataclass(slots=True)
class Dataset:
    records: list[Record]
    #: (task, raw tag) -> times seen, for tags skipped as unknown
    unknown_labels: Counter[tuple[str, str]] = field(default_factory=Counter)
    sources: list[str] = field(default_factory=list)
    sha256: str = ""

    def labelled(self, task: str, *, include_spam: bool = False) -> list[Record]:
        return [r for r in self.records if task in r.labels and (include_spam or not r.spam)]

    def summary(self) -> dict[str, Any]:
        kinds = Counter(r.kind for r in self.records)
        out: dict[str, Any] = {
            "records": len(self.records),
            "kinds": dict(kinds),
            "with_text": sum(r.has_text() for r in self.records),
            "spam": sum(r.spam for r in self.records),
            "sha256": self.sha256,
            "sources": self.sources,
        }
        for task in LABEL_TASKS:
            recs = self.labelled(task)
            counts = Counter(label for r in recs for label in r.labels[task])
            out[task] = {"labelled": len(recs), "label_counts": dict(counts.most_common())}
        out["unknown_labels"] = {f"{t}:{n}": c for (t, n), c in self.unknown_labels.items()}
        return out


def load_quality(path: Path | str | None = DEFAULT_QUALITY) -> set[int]:
    """Project ids judged spam or test entries (``quality.json``); empty when no file."""
    if path is None:
        return set()
    path = Path(path)
    if not path.exists():
        return set()
    data = json.loads(path.read_text(encoding="utf-8"))
    ids = data.get("suspected_spam_or_test_project_ids", {}) if isinstance(data, dict) else {}
    return {int(k) for k in ids}


def _record_id(raw: dict[str, Any], where: str) -> tuple[str, int]:
    for kind, key in (("project", "project_id"), ("organisation", "organisation_id")):
        if key in raw:
            value = raw[key]
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise ExportFormatError(f"{where}: {key} must be an integer, got {value!r}")
            try:
                return kind, int(value)
            except ValueError:
                raise ExportFormatError(
                    f"{where}: {key} must be an integer, got {value!r}"
                ) from None
    keys = ", ".join(sorted(raw)[:8]) or "no keys"
    raise ExportFormatError(
        f"{where}: neither project_id nor organisation_id (keys: {keys}); "
        "is this a digitalsocial.eu export?"
    )


def _text_field(raw: dict[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ExportFormatError(
            f"{where}: field {key!r} must be a string, got {type(value).__name__}"
        )
    return value


def _tag_names(raw: dict[str, Any], key: str, where: str) -> list[str]:
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ExportFormatError(
            f"{where}: field {key!r} must be a list of {{id, name}} objects, "
            f"got {type(value).__name__}"
        )
    names = []
    for i, tag in enumerate(value):
        if not isinstance(tag, dict) or not isinstance(tag.get("name"), str):
            raise ExportFormatError(
                f"{where}: {key}[{i}] must be an object with a string 'name', got {tag!r:.80}"
            )
        names.append(tag["name"])
    return names


def _free_tags(raw: dict[str, Any], key: str, where: str) -> list[str]:
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ExportFormatError(
            f"{where}: field {key!r} must be a list, got {type(value).__name__}"
        )
    return [
        v if isinstance(v, str) else str(v.get("name", "")) if isinstance(v, dict) else str(v)
        for v in value
    ]


def parse_record(
    raw: Any,
    index: int,
    taxonomy: Taxonomy,
    *,
    spam_ids: set[int],
    unknown: UnknownPolicy,
    unknown_counts: Counter[tuple[str, str]],
) -> Record:
    """One export record -> :class:`Record`; raises :class:`ExportFormatError` naming it."""
    where = f"record #{index}"
    if not isinstance(raw, dict):
        raise ExportFormatError(f"{where}: expected a JSON object, got {type(raw).__name__}")
    kind, rid = _record_id(raw, where)
    where = f"record #{index} ({kind}_id={rid})"
    name_key = "project_name" if kind == "project" else "organisation_name"
    name = strip_html(_text_field(raw, name_key, where))
    parts = [name]
    for key in ("short_description", "long_description", "social_impact"):
        parts.append(strip_html(_text_field(raw, key, where)))
    free = _free_tags(raw, "who_we_help_tags" if kind == "project" else "tags", where)
    if free:
        parts.append(", ".join(t.strip() for t in free if t.strip()))
    text = "\n".join(p for p in parts if p)
    labels: dict[str, list[str]] = {}
    spam = kind == "project" and rid in spam_ids
    if kind == "project":
        for task in LABEL_TASKS:
            mapped: list[str] = []
            for tag in _tag_names(raw, taxonomy.record_fields[task], where):
                canon = taxonomy.map_tag(task, tag)
                if canon is None:
                    if unknown == "error":
                        raise UnknownLabelError(
                            f"{where}: unknown {task} label {tag!r} (not in the taxonomy "
                            "mapping; fix the export or pass --unknown-labels skip)"
                        )
                    unknown_counts[(task, tag)] += 1
                    continue
                mapped.extend(c for c in canon if c not in mapped)
            if mapped:
                labels[task] = mapped
    return Record(
        kind=kind,
        id=rid,
        name=name,
        text=text,
        labels=labels,
        spam=spam,
        website=_text_field(raw, "website", where).strip(),
        country=_text_field(raw, "country", where).strip(),
    )


def parse_records(
    data: Any,
    taxonomy: Taxonomy | None = None,
    *,
    spam_ids: Iterable[int] = (),
    unknown: UnknownPolicy = "error",
    source: str = "<data>",
) -> Dataset:
    """Records from already-decoded JSON (a list, as exported)."""
    taxonomy = taxonomy or load_taxonomy()
    if isinstance(data, dict):
        raise ExportFormatError(
            f"{source}: expected a JSON list of records, got an object with keys {sorted(data)[:6]}"
        )
    if not isinstance(data, list):
        raise ExportFormatError(
            f"{source}: expected a JSON list of records, got {type(data).__name__}"
        )
    counts: Counter[tuple[str, str]] = Counter()
    spam = set(spam_ids)
    records = []
    for i, raw in enumerate(data):
        try:
            records.append(
                parse_record(
                    raw, i, taxonomy, spam_ids=spam, unknown=unknown, unknown_counts=counts
                )
            )
        except ExportFormatError as exc:
            raise type(exc)(f"{source}: {exc}") from None
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return Dataset(
        records=records,
        unknown_labels=counts,
        sources=[source],
        sha256=hashlib.sha256(blob).hexdigest(),
    )


def load_export(
    paths: Path | str | Sequence[Path | str],
    taxonomy: Taxonomy | None = None,
    *,
    quality: Path | str | None = DEFAULT_QUALITY,
    unknown: UnknownPolicy = "error",
) -> Dataset:
    """Read one or more export files (projects, organisations or mixed) into one dataset."""
    if isinstance(paths, str | Path):
        paths = [paths]
    taxonomy = taxonomy or load_taxonomy()
    spam_ids = load_quality(quality)
    merged = Dataset(records=[])
    digest = hashlib.sha256()
    for path in paths:
        path = Path(path)
        try:
            blob = path.read_bytes()
        except FileNotFoundError:
            raise FileNotFoundError(f"export file not found: {path}") from None
        try:
            data = json.loads(blob.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ExportFormatError(f"{path}: not a JSON export ({exc})") from None
        part = parse_records(data, taxonomy, spam_ids=spam_ids, unknown=unknown, source=str(path))
        merged.records.extend(part.records)
        merged.unknown_labels.update(part.unknown_labels)
        merged.sources.append(str(path))
        digest.update(part.sha256.encode())
    merged.sha256 = digest.hexdigest()
    return merged
