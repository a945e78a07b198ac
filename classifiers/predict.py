"""Batch prediction: relevance, labels above their thresholds, explanation, uncertainty.

Bad input never raises here: empty or binary-looking text gets relevance 0, no labels and
uncertainty 0 (no evidence, nothing for a curator to teach) and is flagged; very long text is
cut (``features.DEFAULT_MAX_CHARS``) and flagged; text in a language the training data did not
contain is flagged. Flags go in ``warnings`` and in the explanation, so a curator sees why a
score is weak. Labels and their explanations are given for relevant items only (thresholds per
label, else the top label); the relevance explanation (evidence for, and ``relevance_against``)
for every item with text. Relevance reads the first ``RELEVANCE_CHARS`` characters, labels the
first ``LABEL_CHARS``; items with relevance below ``LABEL_MIN_RELEVANCE`` skip label work.

Uncertainty (for the active-learning review queue) is ``0.7 * u_rel + 0.3 * u_labels``, where
``u_rel = 1 - |2 p - 1|`` for the relevance probability and ``u_labels`` is the mean over learnable
labels of ``1 - |p - t| / max(t, 1 - t)`` (closeness to each label's threshold; 0 for items that
skip label work). Items near the
accept/reject boundary, whose curator decision teaches the model most, come first.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from classifiers.explain import Explainer, SideExplainer, text_words
from classifiers.features import (
    DEFAULT_MAX_CHARS,
    LABEL_CHARS,
    RELEVANCE_CHARS,
    clean_text,
    is_binaryish,
)
from classifiers.models import DSIModel
from classifiers.relevance import apply_platt, combine
from crawler.text import detect_language as detect_text_language

logger = logging.getLogger(__name__)

#: ScoreRow field -> task name in the model
TASK_FIELDS = {"technologies": "technology", "areas": "area", "focus": "dsi_focus"}
MIN_LANGUAGE_CHARS = 40
#: below this relevance no label probabilities are computed (uncertainty uses relevance only)
LABEL_MIN_RELEVANCE = 0.1


@dataclass(slots=True, kw_only=True)
class Prediction:
    relevance: float
    technologies: dict[str, float] = field(default_factory=dict)
    areas: dict[str, float] = field(default_factory=dict)
    focus: dict[str, float] = field(default_factory=dict)
    explanation: dict[str, Any] = field(default_factory=dict)
    uncertainty: float = 0.0
    language: str | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def is_relevant(self) -> bool:
        return bool(self.explanation.get("relevant"))


class Predictor:
    """Wraps a :class:`DSIModel` with its explainers (built once, reused for every batch)."""

    def __init__(self, model: DSIModel, version: str = "") -> None:
        self.model = model
        self.version = version
        self._relevance = SideExplainer.for_model(model.relevance)
        self._tasks = {
            name: Explainer.for_pipeline(t.pipeline)
            for name, t in model.tasks.items()
            if t.pipeline is not None
        }

    def predict(
        self,
        texts: Sequence[str],
        *,
        languages: Sequence[str | None] | None = None,
        detect_language: bool = True,
        explain: bool = True,
        top_terms: int = 5,
        uncertainty: bool = True,
    ) -> list[Prediction]:
        """Score a batch of texts (one :class:`Prediction` per text, same order)."""
        if not texts:
            return []
        raw = [t if isinstance(t, str) else "" if t is None else str(t) for t in texts]
        warnings: list[list[str]] = [[] for _ in raw]
        for i, t in enumerate(raw):
            if is_binaryish(t):
                warnings[i].append("binary-looking text ignored")
            elif not t.strip():
                warnings[i].append("empty text: not scored")
            elif len(t) > DEFAULT_MAX_CHARS:
                warnings[i].append(f"long text cut to {DEFAULT_MAX_CHARS} characters")
        cleaned = [clean_text(t) for t in raw]
        langs: list[str | None] = list(languages) if languages is not None else [None] * len(raw)
        known = set(self.model.languages)
        for i, t in enumerate(cleaned):
            if langs[i] is None and detect_language and len(t) >= MIN_LANGUAGE_CHARS:
                langs[i] = detect_text_language(t)
            if langs[i] and known and langs[i] not in known:
                warnings[i].append(f"language {langs[i]!r} not in the training data")
        empty = np.asarray([not t.strip() for t in cleaned], dtype=bool)
        X = np.asarray(cleaned, dtype=object)
        # texts are cleaned once above: one shared feature pass for both relevance heads
        rel_X = self.model.relevance.transform_texts([t[:RELEVANCE_CHARS] for t in cleaned])
        logits = self.model.relevance.side_logits(rel_X)
        sides = 1.0 / (1.0 + np.exp(-logits))
        rel = apply_platt(combine(logits), self.model.relevance_calibration)
        rel[empty] = 0.0
        threshold = self.model.relevance_threshold
        relevant = (rel >= threshold) & ~empty
        # label work only where it can matter: relevant items get labels; items near the
        # threshold need label probabilities for their uncertainty; clearly irrelevant ones skip
        # (with ``uncertainty=False`` only relevant items: nobody reads the others' labels)
        floor = min(LABEL_MIN_RELEVANCE, threshold) if uncertainty else threshold
        scored = np.flatnonzero((rel >= floor) & ~empty)
        X_lab = np.asarray([t[:LABEL_CHARS] for t in X[scored]], dtype=object)
        task_probs: dict[str, np.ndarray] = {}
        task_pred: dict[str, np.ndarray] = {}
        task_X: dict[str, Any] = {}
        #: tasks sharing one fitted feature pipeline transform the texts once
        by_features: dict[int, Any] = {}
        for name, tm in self.model.tasks.items():
            P = np.zeros((len(X), len(tm.labels)))
            if tm.pipeline is not None and len(scored):
                features = self._tasks[name].features
                if id(features) not in by_features:
                    by_features[id(features)] = features.named_steps["union"].transform(X_lab)
                Xf = by_features[id(features)]
                task_X[name] = Xf
                cols = np.flatnonzero(tm.learnable)
                P[np.ix_(scored, cols)] = tm.pipeline.named_steps["clf"].predict_proba(Xf)
            task_probs[name] = P
            # labels (thresholds, top-1 fallback) only for items that are about DSI at all
            pred_labels = tm.decide(P)
            pred_labels[~relevant] = False
            task_pred[name] = pred_labels
        row_of = {int(i): r for r, i in enumerate(scored)}
        priors = {name: tm.priors() for name, tm in self.model.tasks.items()}
        out = []
        for i in range(len(X)):
            # no usable text: no evidence either way, so not relevant and nothing to learn
            p = float(rel[i])
            pred = Prediction(relevance=round(p, 4), language=langs[i], warnings=warnings[i])
            u_labels = []
            explanation: dict[str, Any] = {
                "relevant": bool(relevant[i]),
                "relevance_threshold": threshold,
            }
            words = text_words(cleaned[i]) if explain and cleaned[i] else []
            explanation["social_purpose"] = round(float(sides[i, 0]), 4)
            explanation["digital_means"] = round(float(sides[i, 1]), 4)
            if explain and cleaned[i]:
                ev = self._relevance.explain(rel_X, i, cleaned[i][:RELEVANCE_CHARS], top_terms)
                explanation["social"] = ev["social"]
                explanation["digital"] = ev["digital"]
                explanation["relevance"] = ev["social"] + [
                    w for w in ev["digital"] if w not in ev["social"]
                ]
                explanation["relevance_against"] = ev["against"]
                explanation["why"] = (
                    f"social: {', '.join(ev['social']) or '-'}; "
                    f"digital: {', '.join(ev['digital']) or '-'}"
                )
            for attr, name in TASK_FIELDS.items():
                task = self.model.tasks.get(name)
                if task is None:
                    continue
                row = task_probs[name][i]
                # most distinctive first: probability above the label's prior, so that frequent
                # labels (predicted for most items) do not always head the list
                picked = sorted(
                    np.flatnonzero(task_pred[name][i]), key=lambda j: -(row[j] - priors[name][j])
                )
                chosen = {task.labels[j]: round(float(row[j]), 4) for j in picked}
                setattr(pred, attr, chosen)
                if chosen:
                    # a list keeps the order where JSON objects may not (PostgreSQL JSONB)
                    explanation.setdefault("label_order", {})[name] = list(chosen)
                if i in row_of:
                    for j in np.flatnonzero(task.learnable):
                        thr = float(task.thresholds[j])
                        u_labels.append(1 - abs(float(row[j]) - thr) / max(thr, 1 - thr))
                if explain and cleaned[i] and chosen:
                    ex = self._tasks[name]
                    learn_cols = [int(c) for c in np.flatnonzero(task.learnable)]
                    cache: dict[str, list[str]] = {}
                    explanation[name] = {
                        label: ex.top_terms(
                            task_X[name],
                            words,
                            row_of[i],
                            learn_cols.index(task.labels.index(label)),
                            top_terms,
                            cache=cache,
                        )
                        for label in chosen
                    }
            if pred.warnings:
                explanation["warnings"] = pred.warnings
            pred.explanation = explanation
            u_rel = 1 - abs(2 * p - 1)
            u_lab = float(np.mean(u_labels)) if u_labels else 0.0
            pred.uncertainty = round(0.7 * u_rel + 0.3 * u_lab, 4)
            out.append(pred)
        return out
