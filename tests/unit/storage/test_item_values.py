"""What the store writes of an item's values: unstorable characters removed, sizes bounded.

The fast paths (one JSON encoding instead of a walk of every value) must give the walk's
answer: each case is checked against the module's plain recursive walks."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from storage.items import (
    MAX_STORED_CHARS,
    MAX_STORED_ENTRIES,
    _cut,
    _storable_walk,
    bounded,
    prepared,
    storable,
)

#: the plain walks, as written before the fast paths: the answers those must give
reference_storable = _storable_walk
reference_bounded = _cut


def as_json(value: Any) -> str:
    """Tuples and lists are the same to the store (both JSON arrays)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


STRINGS = [
    "plain",
    "",
    "Ünïcödé – ok",
    "nul \x00 inside",
    "lone \ud800 surrogate",
    "low \udfff too",
    "a backslash and u0000: \\u0000 is text, not a NUL",
    "\x00",
    "emoji 🙂 is a pair, not a lone surrogate",
]

CASES: list[Any] = [
    {"title": "x", "tags": ["a", "b"], "n": 3, "ok": True, "none": None, "f": 1.5},
    {"k\x00ey": "value", "nested": {"deep": ["x\ud800", ("t", "u")]}},
    [{"a": s} for s in STRINGS],
    {s: s for s in STRINGS},
    ("a", ("b", "c")),
    {1: "int key", 2: {3: ["x\x00"]}},
    {"when": __import__("datetime").date(2025, 3, 1), "s": "a\x00"},  # not JSON: walked
    {"set": {1, 2}},  # not JSON: walked as the reference does
]


@pytest.mark.parametrize("value", CASES + STRINGS)
def test_storable_gives_the_walks_answer(value: Any) -> None:
    assert as_json(storable(value)) == as_json(reference_storable(value))


def test_storable_on_generated_values() -> None:
    rng = random.Random(7)
    alphabet = ["a", "é", " ", "\x00", "\ud800", "\udc00", "\\", "u", "0", "🙂", '"']

    def make(depth: int) -> Any:
        kind = rng.randrange(6 if depth < 4 else 3)
        if kind == 0:
            return "".join(rng.choice(alphabet) for _ in range(rng.randrange(8)))
        if kind == 1:
            return rng.choice([0, 1.5, None, True, "text"])
        if kind == 2:
            return "".join(rng.choice(alphabet[:3]) for _ in range(rng.randrange(5)))
        if kind == 3:
            return [make(depth + 1) for _ in range(rng.randrange(4))]
        if kind == 4:
            return tuple(make(depth + 1) for _ in range(rng.randrange(3)))
        return {key(i): make(depth + 1) for i in range(3)}

    def key(i: int) -> str:
        return "".join(rng.choice(alphabet) for _ in range(3)) + str(i)

    for _ in range(2_000):
        value = {"v": make(0)}
        assert as_json(storable(value)) == as_json(reference_storable(value))


def test_a_clean_value_is_given_back_as_is() -> None:
    value = {"a": ["b", {"c": "d"}]}
    assert storable(value) is value
    assert bounded(value) == (value, 0)


def entries(n: int) -> list[int]:
    return [1] * n


@pytest.mark.parametrize(
    "value",
    [
        entries(MAX_STORED_ENTRIES),
        entries(MAX_STORED_ENTRIES + 1),
        {"deep": {"list": entries(MAX_STORED_ENTRIES + 1)}},
        {str(i): i for i in range(MAX_STORED_ENTRIES + 1)},
        {"in a list": [{"x": entries(MAX_STORED_ENTRIES + 7)}]},
        "x" * MAX_STORED_CHARS,
        {"s": "x" * MAX_STORED_CHARS},
        {"s": "x" * (MAX_STORED_CHARS + 1)},
        {"s": ["é" * (MAX_STORED_CHARS + 1)], "t": entries(MAX_STORED_ENTRIES + 1)},
        {"many small": ["ab" * 20] * 3_000},  # long JSON, nothing to cut
        {"tuple": tuple(entries(MAX_STORED_ENTRIES + 1))},
    ],
    ids=lambda v: f"{type(v).__name__}-{len(json.dumps(v))}",
)
def test_bounded_gives_the_walks_answer(value: Any) -> None:
    got, cuts = bounded(value)
    want, want_cuts = reference_bounded(value)
    assert cuts == want_cuts
    assert as_json(got) == as_json(want)


@pytest.mark.parametrize(
    "value",
    [
        *CASES[:6],
        {"s": "x\x00" * MAX_STORED_CHARS, "t": entries(MAX_STORED_ENTRIES + 1)},
        {"s": ["\ud800" + "y" * 20_000], "small": "ok"},
        {"many": ["ab\x00"] * (MAX_STORED_ENTRIES + 2)},
        {"clean but long": ["ab" * 20] * 3_000},
    ],
    ids=lambda v: f"{type(v).__name__}-{len(json.dumps(v))}",
)
def test_prepared_is_bounded_then_storable(value: Any) -> None:
    got, cuts = prepared(value)
    cut, want_cuts = reference_bounded(value)
    assert cuts == want_cuts
    assert as_json(got) == as_json(reference_storable(cut))


def test_cuts_are_counted() -> None:
    value = {"a": "x" * (MAX_STORED_CHARS + 1), "b": entries(MAX_STORED_ENTRIES + 1)}
    got, cuts = bounded(value)
    assert cuts == 2
    assert len(got["a"]) == MAX_STORED_CHARS and len(got["b"]) == MAX_STORED_ENTRIES
