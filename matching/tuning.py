"""Tuning the match threshold on labelled queries (curators' decisions), with a guard.

A labelled query is an :class:`Outcome`: the best entry's score, whether that entry is the
right one, whether a right entry exists at all. :func:`tune` picks the threshold that
:func:`matching.model.tune_threshold` picks on all of them, but only adopts it when, picked
the same way on k-1 folds and applied to the k-th (cross-validation), it costs less than the
threshold in use on the same queries; otherwise the threshold in use is kept (a few lucky
pairs do not move it). Figures before and after are precision (right matches among matches),
recall (right matches among queries that have a right entry) and the false-match rate (false
matches among all queries).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from matching.model import tune_threshold

__all__ = ["FALSE_MATCH_WEIGHT", "Outcome", "Tuning", "figures", "tune"]

#: a false match costs this many missed matches (as in :func:`matching.model.tune_threshold`)
FALSE_MATCH_WEIGHT = 3.0


@dataclass(frozen=True, slots=True)
class Outcome:
    #: the best entry's score when the query was matched
    score: float
    #: that best entry is the right one
    right: bool
    #: the query has a right entry (False: the right answer is "no match")
    exists: bool

    def as_tuple(self) -> tuple[float, bool, bool]:
        return (self.score, self.right, self.exists)


def _counts(outcomes: Sequence[Outcome], threshold: float) -> dict[str, int]:
    matched = right_matches = false_matches = missed = right = 0
    for o in outcomes:
        if o.score >= threshold:
            matched += 1
            if o.right:
                right_matches += 1
                right += 1
            else:
                false_matches += 1
        elif o.exists:
            missed += 1
        else:
            right += 1
    return {
        "queries": len(outcomes),
        "with_entry": sum(o.exists for o in outcomes),
        "matched": matched,
        "right_matches": right_matches,
        "false_matches": false_matches,
        "missed": missed,
        "right": right,
    }


def _rates(counts: dict[str, int]) -> dict[str, Any]:
    def share(a: int, b: int) -> float | None:
        return round(a / b, 4) if b else None

    return {
        **counts,
        "precision": share(counts["right_matches"], counts["matched"]),
        "recall": share(counts["right_matches"], counts["with_entry"]),
        "false_match_rate": share(counts["false_matches"], counts["queries"]),
        "accuracy": share(counts["right"], counts["queries"]),
    }


def _cost(counts: dict[str, int]) -> float:
    return counts["false_matches"] * FALSE_MATCH_WEIGHT + counts["missed"]


def figures(outcomes: Sequence[Outcome], threshold: float) -> dict[str, Any]:
    """Counts, precision, recall, false-match rate and accuracy at ``threshold``."""
    return _rates(_counts(outcomes, threshold))


@dataclass(slots=True)
class Tuning:
    current: float
    #: the threshold picked on all queries (in-sample)
    candidate: float
    #: the candidate is adopted (it beat the current threshold under cross-validation)
    adopted: bool
    reason: str
    folds: int
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    cross_validated: dict[str, Any] = field(default_factory=dict)

    @property
    def threshold(self) -> float:
        return self.candidate if self.adopted else self.current

    def to_dict(self) -> dict[str, Any]:
        return {
            "current": self.current,
            "candidate": self.candidate,
            "adopted": self.adopted,
            "threshold": self.threshold,
            "reason": self.reason,
            "folds": self.folds,
            "before": self.before,
            "after": self.after,
            "cross_validated": self.cross_validated,
        }


def tune(outcomes: Sequence[Outcome], current: float, *, folds: int = 5) -> Tuning:
    """Pick a threshold on ``outcomes`` and adopt it only if it beats ``current`` under
    ``folds``-fold cross-validation (folds by position: query i is in fold i mod k, so keep
    the order stable, e.g. by candidate id)."""
    if not outcomes:
        raise ValueError("no labelled queries to tune on")
    k = max(2, min(folds, len(outcomes)))
    tuples = [o.as_tuple() for o in outcomes]
    candidate = tune_threshold(tuples, false_match_weight=FALSE_MATCH_WEIGHT)
    held: dict[str, int] = {}
    for fold in range(k):
        train = [t for i, t in enumerate(tuples) if i % k != fold]
        test = [o for i, o in enumerate(outcomes) if i % k == fold]
        if not train or not test:
            continue
        cut = tune_threshold(train, false_match_weight=FALSE_MATCH_WEIGHT)
        for key, value in _counts(test, cut).items():
            held[key] = held.get(key, 0) + value
    before = _counts(outcomes, current)
    tuning = Tuning(
        current=current,
        candidate=candidate,
        adopted=False,
        reason="",
        folds=k,
        before=_rates(before),
        after=figures(outcomes, candidate),
        cross_validated=_rates(held),
    )
    cv_cost, current_cost = _cost(held), _cost(before)
    if candidate == current:
        tuning.reason = "the threshold in use is already the best on these decisions"
    elif cv_cost < current_cost:
        tuning.adopted = True
        tuning.reason = (
            f"cross-validated cost {cv_cost:g} < {current_cost:g} of the threshold in use "
            f"(a false match counts {FALSE_MATCH_WEIGHT:g}, a missed match 1)"
        )
    else:
        tuning.reason = (
            f"kept: cross-validated cost {cv_cost:g} is not below {current_cost:g} of the "
            "threshold in use (the new threshold would only fit these decisions)"
        )
    return tuning
