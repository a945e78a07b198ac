"""The DSI4EU taxonomy: canonical labels per task and the raw-tag -> canonical mapping.

A raw tag is looked up by its exact ``name``; failing that, by a case- and space-insensitive
match (``"Open Data"`` finds ``"open data"``). An empty mapping list means the tag is dropped on
purpose; a name that is not in the table at all is *unknown* (see ``classifiers.dataset``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_TAXONOMY = DATA_DIR / "dsi4eu" / "taxonomy.json"

#: Our short task names -> the taxonomy's task names.
TASKS: dict[str, str] = {
    "technology": "technology",
    "area": "area_of_society",
    "dsi_focus": "dsi_focus",
}
#: Tasks a model is trained and evaluated on (``dsi_focus`` is optional and kept as a third task).
LABEL_TASKS: tuple[str, ...] = ("technology", "area", "dsi_focus")


class TaxonomyError(ValueError):
    """The taxonomy file is missing or malformed."""


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


@dataclass(slots=True)
class Taxonomy:
    """Canonical labels and the mapping from raw tag names, per task (our short task names)."""

    labels: dict[str, list[str]]
    record_fields: dict[str, str]
    mapping: dict[str, dict[str, list[str]]]
    source: str = ""
    _folded: dict[str, dict[str, list[str]]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for task, table in self.mapping.items():
            folded: dict[str, list[str]] = {}
            for raw, canon in table.items():
                folded.setdefault(_norm(raw), canon)
            for label in self.labels[task]:
                folded.setdefault(_norm(label), [label])
            self._folded[task] = folded

    def map_tag(self, task: str, name: str) -> list[str] | None:
        """Canonical labels for a raw tag; ``[]`` = dropped on purpose; ``None`` = unknown."""
        table = self.mapping[task]
        if name in table:
            return list(table[name])
        return self._folded[task].get(_norm(name))


def load_taxonomy(path: Path | str = DEFAULT_TAXONOMY) -> Taxonomy:
    """Read ``taxonomy.json`` (the shipped copy by default)."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise TaxonomyError(f"taxonomy file not found: {path}") from None
    except json.JSONDecodeError as exc:
        raise TaxonomyError(f"{path}: not JSON ({exc})") from None
    try:
        labels = {ours: list(data["labels"][theirs]) for ours, theirs in TASKS.items()}
        fields = {ours: str(data["record_fields"][theirs]) for ours, theirs in TASKS.items()}
        mapping = {
            ours: {str(k): [str(x) for x in v] for k, v in data["mapping"][theirs].items()}
            for ours, theirs in TASKS.items()
        }
    except (KeyError, TypeError, AttributeError) as exc:
        raise TaxonomyError(f"{path}: missing or malformed taxonomy section {exc}") from None
    for task, table in mapping.items():
        for raw, canon in table.items():
            bad = [c for c in canon if c not in labels[task]]
            if bad:
                raise TaxonomyError(
                    f"{path}: mapping[{TASKS[task]}][{raw!r}] -> {bad} not a canonical label"
                )
    return Taxonomy(
        labels=labels, record_fields=fields, mapping=mapping, source=str(data.get("name", ""))
    )
