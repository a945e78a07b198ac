"""Readable explanations: the words and phrases that pushed a linear score up.

Every model is a linear model over TF-IDF features, so a feature's contribution to one score is
``tfidf value x weight``. Word n-gram features are shown as they are; character n-grams are
credited to the words of the text that contain them, so a curator reads "crowdfunding" rather
than "wdfu". Platt scaling is monotonic, so the ranking of contributions holds for the
calibrated probability too.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.pipeline import Pipeline

from classifiers.features import TOKEN_PATTERN

_WORD_RE = re.compile(TOKEN_PATTERN)
#: smooth idf below this = the word occurs in more than about 40 % of the training texts
COMMON_IDF = 1.0 + math.log(2.5)
MAX_IDF = 99.0


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _linear_weights(clf: Any) -> NDArray[np.float64] | None:
    """``coef_`` row of a (calibrated) binary linear classifier, or None if constant."""
    if hasattr(clf, "calibrated_classifiers_"):
        clf = clf.calibrated_classifiers_[0].estimator
    coef = getattr(clf, "coef_", None)
    return None if coef is None else np.asarray(coef, dtype=np.float64).ravel()


@dataclass(slots=True)
class Explainer:
    """Pre-computed weight matrix (features x outputs) and feature names for one pipeline."""

    features: Pipeline
    names: NDArray[np.object_]
    weights: NDArray[np.float64]  # n_features x n_outputs
    #: word -> idf of the word vectorizer: very common words (function words in any language)
    #: are not shown, without a stop-word list
    idf: dict[str, float]

    @classmethod
    def for_pipeline(cls, pipeline: Pipeline) -> Explainer:
        features = pipeline.named_steps["features"]
        clf = pipeline.named_steps["clf"]
        names = features.named_steps["union"].get_feature_names_out()
        estimators = getattr(clf, "estimators_", None) or [clf]
        cols = []
        for est in estimators:
            w = _linear_weights(est)
            cols.append(np.zeros(len(names)) if w is None else w)
        word = features.named_steps["union"].transformer_list[0][1]
        idf = {term: float(word.idf_[j]) for term, j in word.vocabulary_.items() if " " not in term}
        return cls(features=features, names=names, weights=np.column_stack(cols), idf=idf)

    def _common(self, term: str) -> bool:
        words = term.split()
        return all(len(w) < 3 or self.idf.get(_fold(w), MAX_IDF) < COMMON_IDF for w in words)

    def top_terms(
        self,
        X: sparse.csr_matrix,
        words: list[tuple[str, str]],
        row: int,
        output: int,
        k: int = 5,
    ) -> list[str]:
        """The ``k`` words/phrases of row ``row`` contributing most to ``output``.

        ``words`` are the row's distinct words with their folded forms (:func:`text_words`).
        """
        start, end = X.indptr[row], X.indptr[row + 1]
        idx = X.indices[start:end]
        contrib = X.data[start:end] * self.weights[idx, output]
        top = np.argpartition(-contrib, min(40, len(contrib) - 1))[:40] if len(contrib) else idx
        order = top[np.argsort(-contrib[top])] if len(contrib) else top
        scores: dict[str, float] = defaultdict(float)
        for o in order:
            c = float(contrib[o])
            if c <= 0:
                break
            name = str(self.names[idx[o]])
            kind, _, gram = name.partition("__")
            if kind == "word":
                scores[gram] += c
            elif kind == "char":
                gram = gram.strip()
                if len(gram) < 3:
                    continue
                hits = [w for w, folded in words if gram in folded]
                for w in hits:
                    scores[w.lower()] += c / len(hits)
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        out: list[str] = []
        for term, _ in ranked:
            # skip common words and a word already shown inside a phrase (or the reverse)
            if self._common(term) or any(term in t.split() or t in term.split() for t in out):
                continue
            out.append(term)
            if len(out) == k:
                break
        return out


def text_words(text: str, limit: int = 2000) -> list[tuple[str, str]]:
    """Distinct words of a text (the first ``limit``) with their folded forms."""
    seen = dict.fromkeys(m.group(0) for m in _WORD_RE.finditer(text))
    return [(w, _fold(w)) for w in list(seen)[:limit]]
