"""The matcher: an index of database entries, blocking, scoring, the decision.

Blocking keeps the cost proportional to the new items: each entry is indexed under its
registrable domain, its social handles and, per name word, the word itself and the word minus
any one letter (so one typo still finds it). A query only meets the entries that share a
key, ranked by the weight of what they share; the best :attr:`Matcher.block_size` are scored
with the model. Words that index too many entries (generic ones: "lab", "university") only
add weight to entries already found through rarer keys.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from matching.features import Prepared, compare, prepare
from matching.model import MatchModel, load_model
from matching.names import FORM_WORDS, STOP_WORDS, NameVariant, TermWeights, core_of, split_joined
from matching.records import Record

__all__ = ["MatchResult", "Matcher", "ScoredCandidate"]

_EXACT_KEY_BONUS = 1000.0


@dataclass(frozen=True, slots=True)
class ScoredCandidate:
    id: str
    name: str
    score: float
    reasons: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "score": self.score,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class MatchResult:
    id: str
    #: the entry's id when the best candidate's score reaches the threshold, else None
    match: str | None
    score: float
    candidates: tuple[ScoredCandidate, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "match": self.match,
            "score": self.score,
            "candidates": [c.to_dict() for c in self.candidates],
        }


def _word_keys(token: str) -> set[str]:
    """The word and, from four letters on, the word minus one letter: two words share a key
    when one edit (a letter left out, added, changed, or two swapped) turns one into the
    other (symmetric deletion, as in SymSpell)."""
    keys = {f"w:{token}"}
    if 4 <= len(token) <= 16:
        keys.update(f"w:{token[:i]}{token[i + 1 :]}" for i in range(len(token)))
    return keys


class Matcher:
    """Match records against a fixed set of entries (see module docstring).

    ``threshold`` defaults to the model's; ``limit`` candidates are returned per query.
    """

    #: blocked entries sharing less than this share of the best one's weight are not scored
    BLOCK_FLOOR = 0.5

    def __init__(
        self,
        entries: Iterable[Record],
        model: MatchModel | None = None,
        *,
        threshold: float | None = None,
        limit: int = 5,
        block_size: int = 10,
    ) -> None:
        self.model = model or load_model()
        self.threshold = self.model.threshold if threshold is None else threshold
        if not 0.0 <= self.threshold <= 1.0:
            raise ValueError(f"threshold must be between 0 and 1, got {self.threshold}")
        self.limit = limit
        self.block_size = block_size
        self.entries: list[Prepared] = [prepare(r) for r in entries]
        self.weights = TermWeights({t for v in p.variants for t in v.tokens} for p in self.entries)
        self._index: dict[str, list[int]] = defaultdict(list)
        for i, p in enumerate(self.entries):
            for key in self._keys(p):
                self._index[key].append(i)
        self._cap = max(200, len(self.entries) // 100)
        self._sets: dict[str, frozenset[int]] = {}

    def add(self, record: Record) -> None:
        """One more entry (the word weights take it into account)."""
        prepared = prepare(record)
        self.entries.append(prepared)
        self.weights.add({t for v in prepared.variants for t in v.tokens})
        for key in self._keys(prepared):
            self._index[key].append(len(self.entries) - 1)
            self._sets.pop(key, None)
        self._cap = max(200, len(self.entries) // 100)

    @staticmethod
    def _keys(p: Prepared) -> set[str]:
        keys = {f"d:{p.domain}"} if p.domain else set()
        keys |= {f"h:{s}" for s in p.socials}
        for v in p.variants:
            for token in v.tokens:
                if token not in STOP_WORDS:
                    keys.update(_word_keys(token))
        return keys

    def _posting_set(self, key: str) -> frozenset[int]:
        found = self._sets.get(key)
        if found is None:
            found = self._sets[key] = frozenset(self._index[key])
        return found

    def block(self, query: Prepared) -> list[int]:
        """Indices of the entries worth scoring against ``query``, best first."""
        scores: dict[int, float] = defaultdict(float)
        for key in ([f"d:{query.domain}"] if query.domain else []) + [
            f"h:{s}" for s in query.socials
        ]:
            for i in self._index.get(key, ()):
                scores[i] += _EXACT_KEY_BONUS
        # sorted: the sums below do not depend on the order of a set (hash seed)
        tokens = sorted({t for v in query.variants for t in v.tokens if t not in STOP_WORDS})
        crowded: list[tuple[float, str]] = []
        for token in tokens:
            weight = self.weights(token)
            hit: set[int] = set()
            exact = f"w:{token}"
            # the word itself when the database has it, else the word give or take a typo
            for key in [exact] if exact in self._index else sorted(_word_keys(token)):
                posting = self._index.get(key)
                if not posting:
                    continue
                if len(posting) > self._cap:
                    crowded.append((weight, key))
                else:
                    hit.update(posting)
            for i in hit:
                scores[i] += weight
        for weight, key in crowded:
            members = self._posting_set(key)
            if not scores:  # only generic words: the crowded key itself, capped
                for i in self._index[key][: self._cap]:
                    scores[i] += weight
                continue
            for i in list(scores):
                if i in members:
                    scores[i] += weight
        best = heapq.nlargest(self.block_size, scores.items(), key=lambda kv: (kv[1], -kv[0]))
        if not best:
            return []
        # entries sharing far less than the best one cannot be the same organisation
        floor = best[0][1] * self.BLOCK_FLOOR
        return [i for i, score in best if score >= floor]

    def _known(self, part: str) -> bool:
        """A word of the database (or a legal form, a stop word), give or take one typo."""
        if part in STOP_WORDS or part in FORM_WORDS or f"w:{part}" in self._index:
            return True
        return len(part) >= 5 and any(
            f"w:{part[:i]}{part[i + 1 :]}" in self._index for i in range(len(part))
        )

    def with_splits(self, query: Prepared) -> Prepared:
        """The query with one more reading per name whose unknown words are two database
        words written as one ("ThinkCommons", "MakerversityLtd")."""
        variants = list(query.variants)
        forms = list(query.forms)
        for variant in query.variants:
            words: list[str] = []
            changed = False
            for token in variant.tokens:
                split = None if f"w:{token}" in self._index else split_joined(token, self._known)
                if split:
                    words.extend(split)
                    changed = True
                else:
                    words.append(token)
            if changed:
                core, found = core_of(words, query.country)
                if core and NameVariant(core) not in variants:
                    variants.append(NameVariant(core))
                forms.extend(f for f in found if f not in forms)
        if len(variants) == len(query.variants):
            return query
        return replace(query, variants=tuple(variants), forms=tuple(forms))

    def match(self, record: Record, *, limit: int | None = None) -> MatchResult:
        """The best entries for ``record`` (``limit`` of them, default :attr:`limit`)."""
        query = self.with_splits(prepare(record))
        scored: list[ScoredCandidate] = []
        for i in self.block(query):
            entry = self.entries[i]
            comparison = compare(query, entry, self.weights)
            score = round(self.model.probability(comparison.values), 4)
            scored.append(
                ScoredCandidate(entry.record.id, entry.record.name, score, comparison.reasons)
            )
        scored.sort(key=lambda c: (-c.score, c.id))
        top = scored[: self.limit if limit is None else limit]
        best = top[0] if top else None
        matched = best.id if best is not None and best.score >= self.threshold else None
        return MatchResult(
            id=record.id, match=matched, score=best.score if best else 0.0, candidates=tuple(top)
        )

    def match_many(self, records: Sequence[Record]) -> list[MatchResult]:
        return [self.match(r) for r in records]
