"""Relevance = social purpose × digital means: two heads over one shared feature pass.

A text is about digital social innovation when it shows *both* a social purpose and digital
means. :class:`TwoSidedRelevance` learns each side as its own logistic-regression head over the
same features (word 1-2-gram TF-IDF, accent-folded, function words of 12 languages dropped; and
the multilingual concepts of :mod:`classifiers.lexicon`). The raw score is the log of the product
of the two heads' probabilities, so a text strong on one side only (a commercial SaaS company, a
non-digital charity, an ordinary dataset) stays low; a small share of the heads' summed logits
keeps texts that are strong on both sides in order (:func:`combine`). ``classifiers.train``
calibrates that score (Platt, on held-out folds) and picks the operating threshold.

Training weights (:func:`balanced_weights`): every source counts by the square root of its size
(a 500-text source does not drown a 20-text one); within each language the two labels weigh the
same (so "Czech" or "German" is no evidence); a language seen under one label only is weighed
down; the two labels weigh the same overall.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.base import BaseEstimator, ClassifierMixin, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion

from classifiers.features import TOKEN_PATTERN, clean_texts
from classifiers.lexicon import SIDES, concept_counts, concept_names
from classifiers.stopwords import stop_word_list
from crawler.text import fold_accents

#: weight of a language seen under one label only, relative to a balanced one
ONE_SIDED_LANGUAGE_WEIGHT = 0.3
#: weight of the side logits' sum in the score (breaks ties among texts strong on both sides)
TIE_BREAK = 0.05
#: sentinel for "this side is not known for the record"
UNKNOWN = -1


class ConceptFeatures(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Accent-folded texts -> log(1 + count) per lexicon concept, plus per-side aggregates.

    Aggregates: log(1 + distinct social concepts), the same for digital, their product (both
    sides present) and log(1 + commercial words).
    """

    def fit(self, X: Any, y: Any = None) -> ConceptFeatures:
        self.names_ = [
            *concept_names(),
            "both__social",
            "both__digital",
            "both__product",
            "both__commercial",
        ]
        return self

    def transform(self, X: Any) -> sparse.csr_matrix:
        names = concept_names()
        index = {name: j for j, name in enumerate(names)}
        n_concepts = len(names)
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        for i, text in enumerate(X):
            sides: Counter[str] = Counter()
            for name, c in concept_counts(str(text)).items():
                rows.append(i)
                cols.append(index[name])
                vals.append(float(np.log1p(c)))
                side = name.partition("__")[0]
                sides[side] += 1 if side in SIDES else c
            social, digital = np.log1p(sides["social"]), np.log1p(sides["digital"])
            for j, v in enumerate(
                (social, digital, social * digital, np.log1p(sides["commercial"]))
            ):
                if v:
                    rows.append(i)
                    cols.append(n_concepts + j)
                    vals.append(float(v))
        return sparse.csr_matrix(
            (vals, (rows, cols)), shape=(len(X), n_concepts + 4), dtype=np.float64
        )

    def get_feature_names_out(self, input_features: Any = None) -> NDArray[np.object_]:
        return np.asarray(self.names_, dtype=object)


def fold_texts(texts: Sequence[str]) -> list[str]:
    """Lower case without accents, once for the word and the concept features."""
    return [fold_accents(t) for t in texts]


def word_features(max_features: int) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer="word",
        token_pattern=TOKEN_PATTERN,
        ngram_range=(1, 2),
        min_df=2,
        max_df=0.5,
        stop_words=stop_word_list(),
        sublinear_tf=True,
        strip_accents=None,  # texts come folded (one pass for both feature kinds)
        lowercase=False,
        max_features=max_features,
        dtype=np.float64,
    )


def balanced_weights(
    labels: Sequence[bool] | NDArray[Any],
    sources: Sequence[str],
    languages: Sequence[str],
) -> NDArray[np.float64]:
    """Sample weights: sources by sqrt(size), labels balanced within each language and overall."""
    y = np.asarray(labels, dtype=bool)
    src = np.asarray(sources, dtype=object)
    lang = np.asarray(languages, dtype=object)
    w = np.ones(len(y), dtype=np.float64)
    for key, n in Counter(zip(src, y, strict=True)).items():
        mask = (src == key[0]) & (y == key[1])
        w[mask] = np.sqrt(n) / n
    for language in set(lang):
        pos, neg = (lang == language) & y, (lang == language) & ~y
        wp, wn = w[pos].sum(), w[neg].sum()
        if wp > 0 and wn > 0:
            mean = np.sqrt(wp * wn)
            w[pos] *= mean / wp
            w[neg] *= mean / wn
        else:
            w[pos | neg] *= ONE_SIDED_LANGUAGE_WEIGHT
    for side in (True, False):
        total = w[y == side].sum()
        if total > 0:
            w[y == side] *= len(y) / 2 / total
    return w


class TwoSidedRelevance(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Social-purpose head × digital-means head over one shared feature pass.

    ``fit(X, y, sides=..., sources=..., languages=...)``: ``sides`` is an ``n x 2`` array of
    1 / 0 / -1 (unknown) for (social, digital); rows with -1 do not train that head.
    ``decision_function`` is ``log p_social + log p_digital`` (uncalibrated).
    """

    def __init__(
        self,
        C: float = 1.0,
        max_features: int = 60_000,
        concept_weight: float = 1.0,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.max_features = max_features
        self.concept_weight = concept_weight
        self.random_state = random_state

    def _union(self) -> FeatureUnion:
        return FeatureUnion(
            [("word", word_features(self.max_features)), ("concept", ConceptFeatures())],
            transformer_weights={"word": 1.0, "concept": self.concept_weight},
        )

    def fit(
        self,
        X: Any,
        y: Any,
        *,
        sides: Any = None,
        sources: Sequence[str] | None = None,
        languages: Sequence[str] | None = None,
    ) -> TwoSidedRelevance:
        texts = fold_texts(clean_texts(X))
        labels = np.asarray(y, dtype=bool)
        n = len(texts)
        side_labels = (
            np.column_stack([labels, labels]).astype(int)
            if sides is None
            else np.asarray(sides, dtype=int).reshape(n, 2)
        )
        src = list(sources) if sources is not None else ["all"] * n
        langs = list(languages) if languages is not None else [""] * n
        self.features_ = self._union().fit(texts)
        M = self.features_.transform(texts)
        self.heads_: list[LogisticRegression] = []
        for j, _side in enumerate(SIDES):
            known = side_labels[:, j] != UNKNOWN
            target = side_labels[known, j].astype(bool)
            if target.all() or not target.any():
                raise ValueError(f"the {_side} head needs texts with and without it")
            weights = balanced_weights(
                target,
                [src[i] for i in np.flatnonzero(known)],
                [langs[i] for i in np.flatnonzero(known)],
            )
            head = LogisticRegression(
                C=self.C, max_iter=3000, solver="liblinear", random_state=self.random_state
            )
            head.fit(M[known], target, sample_weight=weights)
            self.heads_.append(head)
        self.classes_ = np.array([False, True])
        return self

    def transform_texts(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The shared features of already-cleaned texts (folded once, one pass, both heads)."""
        return self.features_.transform(fold_texts(texts))

    def side_proba(self, M: sparse.csr_matrix) -> NDArray[np.float64]:
        """``n x 2`` probabilities (social purpose, digital means) from shared features."""
        return np.asarray(1.0 / (1.0 + np.exp(-self.side_logits(M))), dtype=np.float64)

    def side_logits(self, M: sparse.csr_matrix) -> NDArray[np.float64]:
        """``n x 2`` decision values (social purpose, digital means)."""
        return np.column_stack([h.decision_function(M) for h in self.heads_])

    def score_features(self, M: sparse.csr_matrix) -> NDArray[np.float64]:
        return combine(self.side_logits(M))

    def decision_function(self, X: Any) -> NDArray[np.float64]:
        return self.score_features(self.transform_texts(clean_texts(X)))

    def feature_names(self) -> NDArray[np.object_]:
        return np.asarray(self.features_.get_feature_names_out(), dtype=object)

    def head_weights(self) -> NDArray[np.float64]:
        """``n_features x 2`` coefficients of the (social, digital) heads."""
        return np.column_stack([np.asarray(h.coef_).ravel() for h in self.heads_])


def combine(logits: NDArray[np.float64]) -> NDArray[np.float64]:
    """Score of ``n x 2`` side logits: ``log p_social + log p_digital`` (a soft AND: a weak side
    costs about its logit), plus ``TIE_BREAK`` x their sum, so that texts strong on both sides
    keep an order instead of all reaching the product's ceiling of 0."""
    log_p = -np.logaddexp(0.0, -logits)
    return np.asarray(log_p.sum(axis=1) + TIE_BREAK * logits.sum(axis=1), dtype=np.float64)


def platt(scores: NDArray[Any], y: NDArray[Any], weights: NDArray[Any]) -> tuple[float, float]:
    """Platt scaling ``p = 1 / (1 + exp(-(a * s + b)))`` fitted on out-of-fold scores."""
    lr = LogisticRegression(C=1e4, max_iter=1000)
    lr.fit(np.asarray(scores).reshape(-1, 1), np.asarray(y, dtype=bool), sample_weight=weights)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def apply_platt(scores: NDArray[Any], ab: tuple[float, float]) -> NDArray[np.float64]:
    a, b = ab
    z = np.clip(a * np.asarray(scores, dtype=np.float64) + b, -35, 35)
    return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)
