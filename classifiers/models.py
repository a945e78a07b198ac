"""Model definitions: the scikit-learn pipelines and the fitted bundle ``DSIModel``.

* Label tasks (technology, area, DSI focus): text features -> one-vs-rest calibrated logistic
  regression (class weights balanced, Platt scaling fitted on internal out-of-fold scores,
  ``ensemble=False`` so one linear model per label remains and explanations read its weights).
  Per-label thresholds come from out-of-fold predictions in ``classifiers.train``.
* Relevance: :class:`classifiers.relevance.TwoSidedRelevance` (social purpose x digital means).
* Baseline: sklearn's default ``TfidfVectorizer`` + one-vs-rest ``LogisticRegression`` at 0.5.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import Pipeline

from classifiers.features import baseline_features, text_features
from classifiers.relevance import TwoSidedRelevance

RANDOM_STATE = 0


@dataclass(slots=True, kw_only=True)
class ModelParams:
    """Hyper-parameters (chosen by 5-fold CV on the DSI4EU sample, see the classifiers README)."""

    char_ngrams: tuple[int, int] = (2, 5)
    word_ngrams: tuple[int, int] = (1, 2)
    min_df: int = 2
    max_df: float = 1.0
    max_features: int | None = 200_000
    #: label tasks whose word n-grams drop the hand-written function words
    #: (``classifiers.stopwords``); 5-fold CV: area +0.012 micro-F1, technology -0.007, so area
    #: (and DSI focus) only. Relevance always drops them.
    stop_words_tasks: tuple[str, ...] = ("area", "dsi_focus")
    #: 5-fold CV: 0.5 beats 1 (and 2, 4, 16) on micro/macro-F1 and p@1 for both tasks
    C: float = 0.5
    class_weight: str | None = "balanced"
    calibration_cv: int = 3
    threshold_folds: int = 3
    #: inverse regularisation of the two relevance heads
    relevance_C: float = 2.0
    relevance_max_features: int = 60_000
    #: weight of the multilingual concept features against the word TF-IDF
    relevance_concept_weight: float = 1.0
    #: folds (split by source) for the relevance calibration and threshold
    relevance_folds: int = 3
    #: outer folds of the nested relevance cross-validation (``dsi train``); 0 = one per source
    relevance_cv: int = 5
    #: F-beta of the operating threshold: beta < 1 weighs precision above recall
    relevance_beta: float = 0.5
    #: every labelled record has at least one label: predict the top one when none passes
    at_least_one: bool = True
    #: most labels given per text and task: F1-optimal thresholds of weakly learnable labels are
    #: low, so without a cap a project got about ten technologies (DSI4EU: 3.3 on average).
    #: 5-fold CV: technology cap 4 -> micro-F1 0.419 -> 0.489, macro 0.343 -> 0.261; an area
    #: cap of 5 cost micro- and macro-F1 (0.532 -> 0.528, 0.501 -> 0.458), so areas have none
    max_labels: dict[str, int] = field(default_factory=lambda: {"technology": 4})
    #: copies of each curator decision in the training set (decisions are trusted labels)
    decision_weight: int = 3
    random_state: int = RANDOM_STATE

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelParams:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        for key in ("char_ngrams", "word_ngrams", "stop_words_tasks"):
            if key in known:
                known[key] = tuple(known[key])
        return cls(**known)


def _calibrated_lr(C: float, class_weight: str | None, cv: int, random_state: int) -> Any:
    return CalibratedClassifierCV(
        LogisticRegression(
            C=C,
            class_weight=class_weight,
            solver="liblinear",
            dual=True,
            max_iter=2000,
            random_state=random_state,
        ),
        method="sigmoid",
        cv=cv,
        ensemble=False,
    )


def label_pipeline(params: ModelParams, task: str = "") -> Pipeline:
    return Pipeline(
        [
            (
                "features",
                text_features(
                    char_ngrams=params.char_ngrams,
                    word_ngrams=params.word_ngrams,
                    min_df=params.min_df,
                    max_df=params.max_df,
                    max_features=params.max_features,
                    stop_words=task in params.stop_words_tasks,
                ),
            ),
            (
                "clf",
                OneVsRestClassifier(
                    _calibrated_lr(
                        params.C,
                        params.class_weight,
                        params.calibration_cv,
                        params.random_state,
                    )
                ),
            ),
        ]
    )


def baseline_pipeline(random_state: int = RANDOM_STATE) -> Pipeline:
    """Plain TF-IDF + logistic regression, sklearn defaults, threshold 0.5."""
    return Pipeline(
        [
            ("features", baseline_features()),
            (
                "clf",
                OneVsRestClassifier(LogisticRegression(max_iter=1000, random_state=random_state)),
            ),
        ]
    )


def cap_labels(pred: NDArray[np.bool_], P: NDArray[np.float64], cap: int) -> NDArray[np.bool_]:
    """Keep the ``cap`` most probable of each row's predicted labels (``cap`` 0: all)."""
    pred = np.asarray(pred, dtype=bool)
    if not cap or not pred.shape[0] or pred.sum(axis=1).max() <= cap:
        return pred
    order = np.argsort(-np.where(pred, P, -np.inf), axis=1)
    keep = np.zeros_like(pred)
    np.put_along_axis(keep, order[:, :cap], True, axis=1)
    return pred & keep


@dataclass(slots=True, kw_only=True)
class TaskModel:
    """A fitted multi-label task: the pipeline over its learnable labels, plus thresholds."""

    task: str
    labels: list[str]
    learnable: list[bool]
    train_counts: list[int]
    thresholds: list[float]
    pipeline: Pipeline | None = None
    at_least_one: bool = True
    #: records the task was trained on (label priors = train_counts / train_size)
    train_size: int = 0
    #: at most this many labels per text, the most probable (0: no cap)
    max_labels: int = 0

    def priors(self) -> NDArray[np.float64]:
        """Share of training records carrying each label (0 when unknown)."""
        counts = np.asarray(self.train_counts, dtype=np.float64)
        size = getattr(self, "train_size", 0)
        return counts / size if size else np.zeros_like(counts)

    def predict_proba(self, texts: list[str]) -> NDArray[np.float64]:
        """``len(texts) x len(labels)`` calibrated probabilities; 0 for unlearnable labels."""
        out = np.zeros((len(texts), len(self.labels)), dtype=np.float64)
        if self.pipeline is None or not texts:
            return out
        cols = np.flatnonzero(self.learnable)
        out[:, cols] = self.pipeline.predict_proba(texts)
        return out

    def decide(self, P: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Thresholded labels (with the top label kept when none passes, if configured)."""
        learn = np.asarray(self.learnable, dtype=bool)
        pred = (np.asarray(self.thresholds) <= P) & learn
        if self.at_least_one and learn.any() and P.shape[0]:
            none = ~pred.any(axis=1)
            top = np.argmax(np.where(learn, P, -np.inf), axis=1)
            pred[np.flatnonzero(none), top[none]] = True
        return cap_labels(pred, P, getattr(self, "max_labels", 0))


@dataclass(slots=True, kw_only=True)
class DSIModel:
    """Everything ``dsi classify`` needs: relevance + label tasks (+ what they were fitted on)."""

    params: ModelParams
    tasks: dict[str, TaskModel]
    relevance: TwoSidedRelevance
    #: Platt scaling (a, b) of the relevance score, fitted on out-of-fold scores
    relevance_calibration: tuple[float, float]
    relevance_threshold: float
    languages: dict[str, int] = field(default_factory=dict)
    #: ``corpus.text_key`` of every relevance training text (to warn on evaluation overlap)
    training_keys: frozenset[str] = frozenset()
