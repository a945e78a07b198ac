"""The sandbox is a demo and test bed, never training data: no 8-word run of sandbox text may
appear in any file the classifiers train on."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from classifiers.corpus import RELEVANCE_DIR, read_jsonl
from crawler.text import fold_accents

ROOT = Path(__file__).resolve().parents[3]
RUN = 8
_WORD = re.compile(r"\w+")


def runs(text: str, n: int = RUN) -> Iterator[tuple[str, ...]]:
    words = _WORD.findall(fold_accents(text))
    for i in range(len(words) - n + 1):
        yield tuple(words[i : i + n])


def sandbox_strings(root: Path) -> Iterator[str]:
    """Every string literal of the sandbox's Python files, and its other text files."""
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "__pycache__" in path.parts:
            continue
        if path.suffix == ".py":
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    yield node.value
        elif path.suffix in (".html", ".txt", ".json", ".md", ".xml", ".ttl", ".csv"):
            yield path.read_text(encoding="utf-8", errors="replace")


def training_texts(data_dir: Path) -> Iterator[tuple[str, str]]:
    """(file, text) for every text the classifiers train on."""
    for path in sorted(data_dir.rglob("*.jsonl")):
        for rec in read_jsonl(path):
            yield path.name, rec.text
    for path in sorted(data_dir.rglob("*.json")):
        for text in _strings(json.loads(path.read_text(encoding="utf-8"))):
            yield path.name, text


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def overlaps(sandbox: Iterable[str], training: Iterable[tuple[str, str]]) -> list[str]:
    seen = {r for text in sandbox for r in runs(text)}
    found = []
    for name, text in training:
        for r in runs(text):
            if r in seen:
                found.append(f"{name}: {' '.join(r)}")
                break
    return found


def test_the_checker_finds_a_shared_run():
    sandbox = ["Pastry shop Dupont bakes cakes, tarts and breads for every party since 1952."]
    training = [("neg.jsonl", "Our Pastry shop dupont bakes cakes tarts and breads for weddings.")]
    found = overlaps(sandbox, training)
    assert found == ["neg.jsonl: pastry shop dupont bakes cakes tarts and breads"]
    assert overlaps(sandbox, [("neg.jsonl", "A pastry shop that bakes cakes and tarts.")]) == []


@pytest.mark.slow
def test_no_sandbox_text_in_training_data():
    texts = list(sandbox_strings(ROOT / "sandbox"))
    assert len(texts) > 500  # the sandbox's phrase banks were read
    data_dir = ROOT / "classifiers" / "data"
    assert (RELEVANCE_DIR / "negatives.jsonl").exists()
    assert overlaps(texts, training_texts(data_dir)) == []
