"""Multilingual evidence of the two sides of DSI: a social purpose and digital means.

Digital social innovation is *both*: people using digital tools (apps, platforms, open data,
open source, online services...) for a social purpose (citizens, communities, democracy,
inclusion, health, education, environment...). A non-digital charity has only the first side, a
commercial software company only the second; both are ordinary.

Each *concept* below is one idea spelled in the languages of the DSI4EU map (en de fr es it nl
pl pt cs sv da ro), written (in ``data/lexicon.json``) as accent-folded, lower-case word starts
(``citoyen`` matches "citoyens", "citoyenne") or whole words (``=app``). Words in a text are
mapped to these concepts,
so a weight learned from English or German training texts carries over to Polish or Italian
ones: the concept features are the part of the relevance model that does not depend on the
language the training data happened to be written in.

A third group, ``commercial``, gathers the vocabulary of selling (customers, revenue, pricing...)
that ordinary companies use and DSI projects rarely do.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from crawler.text import fold_accents

#: ``data/lexicon.json``: side -> concept -> patterns (folded). ``=word`` is a whole word, a
#: phrase may contain spaces, anything else is a word start.
LEXICON_FILE = Path(__file__).parent / "data" / "lexicon.json"
CONCEPTS: dict[str, dict[str, tuple[str, ...]]] = {
    side: {concept: tuple(terms) for concept, terms in concepts.items()}
    for side, concepts in json.loads(LEXICON_FILE.read_text(encoding="utf-8")).items()
}

#: the two sides that make DSI
SIDES = ("social", "digital")


@dataclass(slots=True, frozen=True)
class _Compiled:
    regex: re.Pattern[str]
    #: whole-word terms -> concept name ``side__concept``
    whole: dict[str, str]
    #: word-start terms -> concept name
    starts: dict[str, str]
    #: lengths of the word-start terms, longest first
    start_lengths: tuple[int, ...]
    #: concept names in a fixed order (feature columns)
    names: list[str]


_END = ""  # trie key: a term ends here


def _trie_regex(node: dict[str, dict], depth: int = 0) -> str:  # type: ignore[type-arg]
    """Alternation of the trie's branches, longer continuations first (greedy), so that
    "open data" wins over "open" and a whole word wins over a shorter word start."""
    branches = []
    end = None
    for char in sorted(node):
        if char == _END:
            end = node[char]
            continue
        branches.append(re.escape(char) + _trie_regex(node[char], depth + 1))
    if end is not None:
        # "=" terms end at a word boundary, word starts take the rest of the word
        tails = []
        if end.get("start"):
            tails.append(r"\w*")
        if end.get("whole"):
            tails.append(r"(?!\w)")
        branches.extend(tails)
    if len(branches) == 1:
        return branches[0]
    return "(?:" + "|".join(branches) + ")"


@lru_cache(maxsize=1)
def compiled() -> _Compiled:
    """One regex over every term as a character trie (fast: one branch per next character),
    plus the tables that map a match back to its concept (compiled once per process)."""
    whole: dict[str, str] = {}
    starts: dict[str, str] = {}
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for side, concepts in CONCEPTS.items():
        for concept, spellings in concepts.items():
            for term in spellings:
                is_whole = term.startswith("=")
                word = term[1:] if is_whole else term
                (whole if is_whole else starts).setdefault(word, f"{side}__{concept}")
                node = trie
                for char in word:
                    node = node.setdefault(char, {})
                node.setdefault(_END, {})["whole" if is_whole else "start"] = True
    names = [f"{side}__{concept}" for side, concepts in CONCEPTS.items() for concept in concepts]
    return _Compiled(
        regex=re.compile(r"(?<!\w)" + _trie_regex(trie)),
        whole=whole,
        starts=starts,
        start_lengths=tuple(sorted({len(t) for t in starts}, reverse=True)),
        names=names,
    )


def _concept_of(comp: _Compiled, matched: str) -> str | None:
    if matched in comp.whole:
        return comp.whole[matched]
    for n in comp.start_lengths:
        if n <= len(matched) and matched[:n] in comp.starts:
            return comp.starts[matched[:n]]
    return None


def concept_names() -> list[str]:
    """Feature names, ``side__concept``, in a fixed order."""
    return list(compiled().names)


def concept_counts(folded: str) -> dict[str, int]:
    """Concept name -> number of matches in an accent-folded lower-case text."""
    comp = compiled()
    counts: dict[str, int] = {}
    for m in comp.regex.finditer(folded):
        name = _concept_of(comp, m.group(0))
        if name:
            counts[name] = counts.get(name, 0) + 1
    return counts


def find_concepts(folded: str) -> list[tuple[str, str, str]]:
    """``(side, concept, matched word)`` for every match in an accent-folded lower-case text."""
    comp = compiled()
    out = []
    for m in comp.regex.finditer(folded):
        name = _concept_of(comp, m.group(0))
        if name:
            side, _, concept = name.partition("__")
            out.append((side, concept, m.group(0)))
    return out


def evidence(text: str) -> dict[str, dict[str, list[str]]]:
    """Side -> concept -> the distinct words of ``text`` that express it (for explanations)."""
    out: dict[str, dict[str, list[str]]] = {}
    for side, concept, word in find_concepts(fold_accents(text)):
        words = out.setdefault(side, {}).setdefault(concept, [])
        if word not in words:
            words.append(word)
    return out
