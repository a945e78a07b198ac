from __future__ import annotations

import numpy as np
import pytest

from classifiers.corpus import DATASET_SOURCES, TextRecord, shipped_corpus
from classifiers.evaluate import ece
from classifiers.models import ModelParams
from classifiers.relevance import apply_platt, balanced_weights, platt
from classifiers.train import fit_relevance, with_languages


def test_platt_recovers_a_known_calibration():
    rng = np.random.default_rng(0)
    scores = rng.normal(0, 2, 20_000)
    truth = 1 / (1 + np.exp(-(0.5 * scores - 1)))
    y = rng.random(len(scores)) < truth
    a, b = platt(scores, y, np.ones(len(y)))
    assert a == pytest.approx(0.5, abs=0.05) and b == pytest.approx(-1, abs=0.1)
    p = apply_platt(np.array([-50.0, 0.0, 50.0]), (a, b))
    assert 0 < p[0] < p[1] < p[2] < 1  # monotonic, never exactly 0 or 1


def test_weights_balance_labels_within_each_language():
    y = np.array([1, 1, 1, 0, 1, 0, 0, 0, 0, 0], dtype=bool)
    langs = ["cs", "cs", "cs", "cs", "en", "en", "en", "en", "en", "it"]
    sources = ["p1", "p1", "p1", "n1", "p2", "n2", "n2", "n2", "n2", "n3"]
    w = balanced_weights(y, sources, langs)
    ratios = []
    for lang in ("cs", "en"):
        mask = np.array([x == lang for x in langs])
        ratios.append(w[mask & y].sum() / w[mask & ~y].sum())
    # the odds of a positive are the same in every language: a language is no evidence
    assert ratios[0] == pytest.approx(ratios[1])
    # a language seen under one label only weighs less than its share
    assert w[9] < w[4]
    assert w[y].sum() == pytest.approx(w[~y].sum())


def test_records_say_which_side_they_show():
    assert TextRecord(text="x", label=True, source="civicdatalab").sides() == (True, True)
    assert TextRecord(text="x", label=False, source="remoteintech").sides() == (False, True)
    assert TextRecord(text="x", label=False, source="ohana_smc").sides() == (True, False)
    dataset = next(iter(DATASET_SOURCES))
    assert TextRecord(text="x", label=False, source=dataset).sides() == (False, False)
    assert TextRecord(text="x", label=False, source="decision:4").sides() == (False, False)
    assert TextRecord(text="x", label=False, source="unknown").sides() == (None, None)


@pytest.mark.slow
def test_calibrated_on_held_out_folds_with_a_precision_first_threshold():
    records = with_languages(shipped_corpus())
    fit = fit_relevance(records, ModelParams())
    y = np.array([r.label for r in records])
    # out-of-fold probabilities are calibrated (balanced classes) and rank well
    w = balanced_weights(y, [r.source for r in records], [r.language for r in records])
    assert ece(y, fit.oof, weights=w) < 0.1
    from sklearn.metrics import roc_auc_score

    assert roc_auc_score(y, fit.oof, sample_weight=w) > 0.85
    flagged = fit.oof >= fit.threshold
    precision = w[flagged & y].sum() / w[flagged].sum()
    recall = w[flagged & y].sum() / w[y].sum()
    assert precision > recall > 0.5  # precision first, with a useful recall
    # no mass ties at the top
    top = np.sort(fit.oof)[-50:]
    assert len(np.unique(top)) > 45
