from __future__ import annotations

import numpy as np

from classifiers.evaluate import ece, iterative_stratified_folds, multilabel_report


def test_iterative_folds_partition_and_stratify():
    rng = np.random.default_rng(0)
    Y = rng.random((200, 6)) < np.array([0.5, 0.3, 0.1, 0.05, 0.03, 0.2])
    folds = iterative_stratified_folds(Y, 5, 0)
    tests = np.concatenate([te for _, te in folds])
    assert sorted(tests.tolist()) == list(range(200))
    for tr, te in folds:
        assert not set(tr) & set(te)
        # every label with >= 5 examples appears in every test fold
        for j in range(6):
            if Y[:, j].sum() >= 5:
                assert Y[te, j].sum() >= 1


def test_multilabel_report_known_values():
    Y = np.array([[1, 0, 0], [0, 1, 0], [1, 1, 0]], dtype=bool)
    P = np.array([[0.9, 0.2, 0.0], [0.6, 0.7, 0.0], [0.4, 0.8, 0.0]])
    rep = multilabel_report(Y, P, ["a", "b", "c"], [0.5, 0.5, 0.5], [True, True, False])
    # a: tp1 fp1 fn1 ; b: tp2 fp0 fn0 -> micro P=3/4 R=3/4
    assert rep["micro_f1"] == 0.75
    assert rep["labels"]["a"]["f1"] == 0.5 and rep["labels"]["b"]["f1"] == 1.0
    assert rep["labels"]["c"]["support"] == 0 and rep["labels"]["c"]["threshold"] is None
    assert rep["macro_f1"] == 0.75  # over labels with support
    assert rep["p_at_1"] == 1.0  # a, b, b: all correct
    assert rep["samples"] == 3


def test_ece_zero_when_perfectly_calibrated_and_positive_otherwise():
    y = np.array([0, 1] * 50)
    assert ece(y, np.full(100, 0.5)) == 0.0
    assert ece(y, np.full(100, 0.9)) > 0.3
