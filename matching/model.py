"""The calibrated score: a logistic regression over :data:`matching.features.FEATURES`.

Fitted (:func:`fit_model`, scikit-learn) on labelled pairs; saved as plain JSON (coefficients,
intercept, threshold, how it was fitted) so loading runs no pickled code and a curator can read
what each feature weighs. :func:`tune_threshold` picks the confidence above which the best
candidate is a match, from labelled queries (generated ones, or curators' decisions).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from matching.features import FEATURES

__all__ = ["DEFAULT_MODEL", "MatchModel", "fit_model", "load_model", "tune_threshold"]

DEFAULT_MODEL = Path(__file__).with_name("data") / "matcher.json"


@dataclass(frozen=True, slots=True)
class MatchModel:
    coefficients: tuple[float, ...]
    intercept: float
    threshold: float
    features: tuple[str, ...] = FEATURES
    metadata: dict[str, Any] = field(default_factory=dict)

    def probability(self, values: Sequence[float]) -> float:
        z = self.intercept + sum(c * v for c, v in zip(self.coefficients, values, strict=True))
        return 1.0 / (1.0 + math.exp(-z))

    def contributions(self, values: Sequence[float]) -> dict[str, float]:
        """Each feature's share of the log-odds (non-zero ones)."""
        return {
            name: round(c * v, 3)
            for name, c, v in zip(self.features, self.coefficients, values, strict=True)
            if c * v
        }

    def with_threshold(self, threshold: float) -> MatchModel:
        return MatchModel(
            self.coefficients, self.intercept, threshold, self.features, self.metadata
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": list(self.features),
            "coefficients": [round(c, 6) for c in self.coefficients],
            "intercept": round(self.intercept, 6),
            "threshold": round(self.threshold, 4),
            "metadata": self.metadata,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> MatchModel:
        if tuple(data.get("features", ())) != FEATURES:
            raise ValueError("the model was fitted on other features; refit it")
        return cls(
            coefficients=tuple(float(c) for c in data["coefficients"]),
            intercept=float(data["intercept"]),
            threshold=float(data["threshold"]),
            metadata=dict(data.get("metadata") or {}),
        )

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=1) + "\n", encoding="utf-8")


def load_model(path: Path = DEFAULT_MODEL) -> MatchModel:
    """A model saved by :meth:`MatchModel.save`; its features must be today's."""
    try:
        return MatchModel.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def fit_model(
    rows: Sequence[Sequence[float]], labels: Sequence[int], metadata: dict[str, Any] | None = None
) -> MatchModel:
    """Logistic regression (L2, C=1, fixed solver) on labelled pairs; threshold 0.5 until
    :func:`tune_threshold` says otherwise."""
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) < 2:
        raise ValueError("fitting needs matching and non-matching pairs")
    lr = LogisticRegression(C=1.0, max_iter=1000, solver="lbfgs")
    lr.fit([list(r) for r in rows], list(labels))
    return MatchModel(
        coefficients=tuple(float(c) for c in lr.coef_[0]),
        intercept=float(lr.intercept_[0]),
        threshold=0.5,
        metadata=dict(metadata or {}),
    )


def tune_threshold(
    outcomes: Sequence[tuple[float, bool, bool]], *, false_match_weight: float = 3.0
) -> float:
    """The threshold that maximises right answers, a false match costing
    ``false_match_weight`` times a missed one.

    ``outcomes``: per labelled query, ``(best candidate's score, the best candidate is the
    right entry, the query has a right entry at all)``. Above the threshold the query is
    matched to its best candidate (right or a false match), below it is left unmatched (right
    when there is no entry, else missed).
    """
    if not outcomes:
        raise ValueError("no labelled queries to tune on")
    cuts = sorted({round(s, 4) for s, _, _ in outcomes} | {0.5})
    best_cut, best_cost = 0.5, math.inf
    for cut in cuts:
        cost = 0.0
        for score, right, exists in outcomes:
            if score >= cut:
                cost += 0.0 if right else false_match_weight
            else:
                cost += 1.0 if exists else 0.0
        if cost < best_cost or (cost == best_cost and abs(cut - 0.5) < abs(best_cut - 0.5)):
            best_cut, best_cost = cut, cost
    return best_cut
