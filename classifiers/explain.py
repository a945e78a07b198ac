"""Readable explanations: the words and phrases that pushed a linear score up.

Every model is a linear model over TF-IDF features, so a feature's contribution to one score is
``tfidf value x weight``. Word n-gram features are shown as they are; character n-grams are
credited to the words of the text that contain them, so a curator reads "crowdfunding" rather
than "wdfu". Platt scaling is monotonic, so the ranking of contributions holds for the
calibrated probability too.

What a curator is shown: words and word bigrams of the item's own text, never a raw char n-gram,
never a function word of any of our languages (``classifiers.stopwords``), a number or a token
with fewer than three letters. ``sign=-1`` gives the evidence *against* (for relevance: "looks
ordinary because: bank, customers, sales").
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.pipeline import Pipeline

from classifiers.features import TOKEN_PATTERN
from classifiers.stopwords import is_uninformative
from crawler.text import fold_accents

_WORD_RE = re.compile(TOKEN_PATTERN)
#: smooth idf below this = the word occurs in more than about 40 % of the training texts
COMMON_IDF = 1.0 + math.log(2.5)
MAX_IDF = 99.0


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
        if is_uninformative(term):
            return True
        words = term.split()
        return all(self.idf.get(fold_accents(w), MAX_IDF) < COMMON_IDF for w in words)

    def term_scores(
        self,
        X: sparse.csr_matrix,
        words: list[tuple[str, str]],
        row: int,
        output: int,
        n: int = 60,
        cache: dict[str, list[str]] | None = None,
    ) -> dict[str, float]:
        """Net contribution per readable term, from the ``n`` strongest features of the row.

        Word n-grams count as written in the text; char n-grams are shared among the row's
        informative words that contain them. A word can get both signs (its char n-grams push
        both ways), so only the net sum decides whether it is evidence for or against.
        ``cache`` (char n-gram -> words containing it) may be shared by calls for the same row.
        """
        start, end = X.indptr[row], X.indptr[row + 1]
        idx = X.indices[start:end]
        contrib = X.data[start:end] * self.weights[idx, output]
        if not len(contrib):
            return {}
        top = np.argpartition(-np.abs(contrib), min(n, len(contrib) - 1))[:n]
        scores: dict[str, float] = defaultdict(float)
        originals = {folded: w.lower() for w, folded in reversed(words)}
        informative = [(w, folded) for w, folded in words if not is_uninformative(w)]
        for o in top:
            c = float(contrib[o])
            name = str(self.names[idx[o]])
            kind, _, gram = name.partition("__")
            if kind == "word":
                # shown as written in the text (the vocabulary is accent-folded)
                scores[" ".join(originals.get(g, g) for g in gram.split())] += c
            elif kind == "char":
                gram = gram.strip()
                if len(gram) < 3:
                    continue
                if cache is None or gram not in cache:
                    found = [w for w, folded in informative if gram in folded]
                    if cache is None:
                        hits = found
                    else:
                        hits = cache[gram] = found
                else:
                    hits = cache[gram]
                for w in hits:
                    scores[w.lower()] += c / len(hits)
        return scores

    def pick(self, scores: dict[str, float], k: int = 5, sign: int = 1) -> list[str]:
        """The ``k`` terms with the largest ``sign * score`` > 0, readable ones only."""
        return ranked_terms(scores, k, sign, skip=self._common, keep=lambda v: v > 0)

    def top_terms(
        self,
        X: sparse.csr_matrix,
        words: list[tuple[str, str]],
        row: int,
        output: int,
        k: int = 5,
        sign: int = 1,
        cache: dict[str, list[str]] | None = None,
    ) -> list[str]:
        """The ``k`` words/phrases of row ``row`` contributing most to ``output`` (``sign=1``)
        or most against it (``sign=-1``).

        ``words`` are the row's distinct words with their folded forms (:func:`text_words`).
        """
        return self.pick(self.term_scores(X, words, row, output, 40, cache), k, sign)


def text_words(text: str, limit: int = 1000) -> list[tuple[str, str]]:
    """Distinct words of a text (the first ``limit``) with their folded forms."""
    seen = dict.fromkeys(m.group(0) for m in _WORD_RE.finditer(text))
    return [(w, fold_accents(w)) for w in list(seen)[:limit]]


@dataclass(slots=True)
class SideExplainer:
    """Evidence for each side of a two-sided relevance model, and against relevance.

    Word features are shown as written in the text; a concept feature (``concept__social__civic``)
    is shown as the words of the text that expressed it ("citoyens", "open data").
    """

    names: NDArray[np.object_]
    #: n_features x 2 (social, digital)
    weights: NDArray[np.float64]

    @classmethod
    def for_model(cls, model: Any) -> SideExplainer:
        return cls(names=model.feature_names(), weights=model.head_weights())

    def explain(
        self, M: sparse.csr_matrix, row: int, text: str, k: int = 5
    ) -> dict[str, list[str]]:
        """``{"social": [...], "digital": [...], "against": [...]}`` for row ``row`` of ``M``."""
        from classifiers.lexicon import evidence

        start, end = M.indptr[row], M.indptr[row + 1]
        idx, data = M.indices[start:end], M.data[start:end]
        contrib = data[:, None] * self.weights[idx]
        # concept feature name ``side__concept`` -> the text's words that expressed it
        concept_words = {
            f"{side}__{concept}": words
            for side, concepts in evidence(text).items()
            for concept, words in concepts.items()
        }
        originals = {folded: w.lower() for w, folded in reversed(text_words(text))}
        scores: list[dict[str, float]] = [defaultdict(float), defaultdict(float)]
        for o, j in enumerate(idx):
            kind, _, term = str(self.names[j]).partition("__")
            if kind == "word":
                shown = [" ".join(originals.get(g, g) for g in term.split())]
            elif kind == "concept" and term in concept_words:
                shown = [originals.get(w, w) for w in concept_words[term]]
            else:
                continue
            for head in (0, 1):
                for w in shown:
                    scores[head][w] += float(contrib[o, head]) / len(shown)
        against: dict[str, float] = defaultdict(float)
        for side_scores in scores:
            for term, v in side_scores.items():
                against[term] += v
        return {
            "social": _top(scores[0], k, 1),
            "digital": _top(scores[1], k, 1),
            "against": _top(against, k, -1),
        }


#: smallest contribution (in logit units) a term needs to be shown as evidence
MIN_EVIDENCE = 0.1


def _top(scores: dict[str, float], k: int, sign: int) -> list[str]:
    return ranked_terms(scores, k, sign, skip=is_uninformative, keep=lambda v: v >= MIN_EVIDENCE)


def ranked_terms(
    scores: dict[str, float],
    k: int,
    sign: int,
    *,
    skip: Callable[[str], bool],
    keep: Callable[[float], bool],
) -> list[str]:
    """The ``k`` terms with the largest ``sign * score`` that ``keep`` accepts, without the
    ``skip``ped ones and without a word already shown inside a phrase (or the reverse)."""
    ranked = sorted(
        ((t, sign * v) for t, v in scores.items() if keep(sign * v)), key=lambda kv: -kv[1]
    )
    out: list[str] = []
    for term, _ in ranked:
        if skip(term) or any(term in t.split() or t in term.split() for t in out):
            continue
        out.append(term)
        if len(out) == k:
            break
    return out
