"""Agreement between curators on the overlap sample: Cohen's kappa per pair of curators."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from sklearn.metrics import cohen_kappa_score


@dataclass(slots=True, frozen=True)
class PairAgreement:
    first: str
    second: str
    items: int
    agreed: int
    #: None when undefined (fewer than two items, or both used one single verdict throughout)
    kappa: float | None


def pair_agreement(votes: Iterable[tuple[int, str, str]]) -> list[PairAgreement]:
    """Per pair of curators, over the candidates both voted on: how many, how many agreed, and
    Cohen's kappa; ``votes`` are (candidate id, curator, verdict)."""
    by_candidate: dict[int, dict[str, str]] = {}
    for candidate_id, curator, verdict in votes:
        by_candidate.setdefault(candidate_id, {})[curator] = verdict
    pairs: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for verdicts in by_candidate.values():
        for a, b in combinations(sorted(verdicts), 2):
            pairs.setdefault((a, b), []).append((verdicts[a], verdicts[b]))
    out = []
    for (a, b), rows in sorted(pairs.items()):
        left = [r[0] for r in rows]
        right = [r[1] for r in rows]
        agreed = sum(x == y for x, y in rows)
        kappa: float | None = None
        if len(rows) >= 2 and len(set(left) | set(right)) > 1:
            value = float(cohen_kappa_score(left, right))
            kappa = None if value != value else round(value, 3)  # NaN: undefined
        out.append(PairAgreement(first=a, second=b, items=len(rows), agreed=agreed, kappa=kappa))
    return out
