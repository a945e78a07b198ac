"""Metrics and cross-validation for the multi-label tasks and the relevance score.

Per task we report micro-F1, macro-F1, precision@1, per-label precision/recall/F1/support and the
label's threshold, and calibration (Brier score and expected calibration error over every
sample x learnable label probability). Definitions, so the numbers can be compared:

* **samples**: records labelled for the task (at least one mapped label), spam ids excluded.
  Records with no text beyond a name are *kept*: the model scores the name alone (or, with no
  name, falls back to the label priors), so they count as the model would see them in use.
  ``no_text`` says how many there were.
* **micro_f1 / macro_f1**: thresholded predictions vs. labels. Labels the model could not learn
  (< ``MIN_EXAMPLES`` training examples) are never predicted; they still count in micro-F1
  and in macro-F1 if present in the evaluated data (macro is over labels with support > 0 there).
* **p_at_1**: share of samples whose highest-probability label is one of their labels.
* **brier / ece**: on the calibrated per-label probabilities (ECE with 10 equal-width bins).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

MIN_EXAMPLES = 5


def iterative_stratified_folds(
    Y: NDArray[Any], n_splits: int = 5, random_state: int = 0
) -> list[tuple[NDArray[np.int64], NDArray[np.int64]]]:
    """Multi-label stratified K-fold (Sechidis et al. 2011, iterative stratification).

    Rare labels are placed first, each example into the fold that most lacks its label, so every
    fold gets a fair share of every label. Returns ``(train_idx, test_idx)`` pairs.
    """
    Y = np.asarray(Y, dtype=bool)
    n, _ = Y.shape
    if n < n_splits:
        raise ValueError(f"cannot make {n_splits} folds from {n} samples")
    rng = np.random.default_rng(random_state)
    desired_total = np.full(n_splits, n / n_splits)
    desired = np.tile(Y.sum(axis=0) / n_splits, (n_splits, 1)).astype(float)
    fold_of = np.full(n, -1)
    remaining = Y.copy()
    unassigned = np.ones(n, dtype=bool)
    while True:
        counts = remaining[unassigned].sum(axis=0)
        if not counts.any():
            break
        label = int(np.argmin(np.where(counts > 0, counts, np.iinfo(np.int64).max)))
        for i in np.flatnonzero(unassigned & remaining[:, label]):
            d = desired[:, label]
            best = np.flatnonzero(d == d.max())
            if len(best) > 1:
                t = desired_total[best]
                best = best[t == t.max()]
            f = int(rng.choice(best))
            fold_of[i] = f
            unassigned[i] = False
            desired[f] -= Y[i]
            desired_total[f] -= 1
    for i in np.flatnonzero(unassigned):
        best = np.flatnonzero(desired_total == desired_total.max())
        f = int(rng.choice(best))
        fold_of[i] = f
        desired_total[f] -= 1
    idx = np.arange(n)
    return [(idx[fold_of != f], idx[fold_of == f]) for f in range(n_splits)]


def ece(
    y_true: NDArray[Any], prob: NDArray[Any], bins: int = 10, weights: NDArray[Any] | None = None
) -> float:
    """Expected calibration error of binary probabilities (equal-width bins), optionally with
    sample weights (e.g. the class-balanced weights a score was calibrated for)."""
    y = np.asarray(y_true, dtype=float).ravel()
    p = np.asarray(prob, dtype=float).ravel()
    if p.size == 0:
        return 0.0
    w = np.ones_like(p) if weights is None else np.asarray(weights, dtype=float).ravel()
    which = np.minimum((p * bins).astype(int), bins - 1)
    total = 0.0
    for b in range(bins):
        mask = which == b
        if mask.any():
            wb = w[mask]
            gap = np.average(p[mask], weights=wb) - np.average(y[mask], weights=wb)
            total += wb.sum() / w.sum() * abs(gap)
    return float(total)


def _prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def multilabel_report(
    Y: NDArray[Any],
    P: NDArray[Any],
    labels: Sequence[str],
    thresholds: Sequence[float],
    learnable: Sequence[bool] | NDArray[Any],
    *,
    train_counts: Sequence[int] | NDArray[Any] | None = None,
) -> dict[str, Any]:
    """The per-task metrics object of the evaluation JSON contract."""
    Y = np.asarray(Y, dtype=bool)
    P = np.asarray(P, dtype=float)
    learn = np.asarray(learnable, dtype=bool)
    thr = np.asarray(thresholds, dtype=float)
    pred = (thr <= P) & learn
    n = Y.shape[0]
    per_label: dict[str, Any] = {}
    tps = fps = fns = 0.0
    macro = []
    for j, label in enumerate(labels):
        tp = float((pred[:, j] & Y[:, j]).sum())
        fp = float((pred[:, j] & ~Y[:, j]).sum())
        fn = float((~pred[:, j] & Y[:, j]).sum())
        tps, fps, fns = tps + tp, fps + fp, fns + fn
        precision, recall, f1 = _prf(tp, fp, fn)
        support = int(Y[:, j].sum())
        if support > 0:
            macro.append(f1)
        entry: dict[str, Any] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": support,
            "predicted": int(pred[:, j].sum()),
            "threshold": round(float(thr[j]), 4) if learn[j] else None,
            "learnable": bool(learn[j]),
        }
        if train_counts is not None:
            entry["train_examples"] = int(train_counts[j])
        per_label[label] = entry
    micro = _prf(tps, fps, fns)
    if n and learn.any():
        top = np.argmax(np.where(learn, P, -np.inf), axis=1)
        p_at_1 = float(Y[np.arange(n), top].mean())
        brier = float(np.mean((P[:, learn] - Y[:, learn]) ** 2))
        calib = ece(Y[:, learn], P[:, learn])
    else:
        p_at_1 = brier = calib = 0.0
    return {
        "samples": int(n),
        "micro_f1": round(micro[2], 4),
        "micro_precision": round(micro[0], 4),
        "micro_recall": round(micro[1], 4),
        "macro_f1": round(float(np.mean(macro)) if macro else 0.0, 4),
        "p_at_1": round(p_at_1, 4),
        "brier": round(brier, 4),
        "ece": round(calib, 4),
        "labels": per_label,
    }


def binary_report(y: NDArray[Any], p: NDArray[Any], threshold: float = 0.5) -> dict[str, Any]:
    """Relevance metrics: precision/recall/F1 at the threshold, ROC AUC, Brier, ECE."""
    from sklearn.metrics import roc_auc_score

    y = np.asarray(y, dtype=bool)
    p = np.asarray(p, dtype=float)
    pred = p >= threshold
    precision, recall, f1 = _prf(
        float((pred & y).sum()), float((pred & ~y).sum()), float((~pred & y).sum())
    )
    auc = float(roc_auc_score(y, p)) if 0 < y.sum() < len(y) else float("nan")
    return {
        "samples": len(y),
        "positives": int(y.sum()),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "roc_auc": round(auc, 4),
        "brier": round(float(np.mean((p - y) ** 2)), 4),
        "ece": round(ece(y, p), 4),
        "threshold": round(threshold, 4),
    }


def _share(mask: NDArray[np.bool_], of: NDArray[np.bool_]) -> float | None:
    n = int(of.sum())
    return round(float((mask & of).sum()) / n, 4) if n else None


def relevance_report(
    y: NDArray[Any],
    p: NDArray[Any],
    threshold: float | NDArray[Any],
    *,
    genres: Sequence[str] = (),
    languages: Sequence[str] = (),
    sources: Sequence[str] = (),
) -> dict[str, Any]:
    """Relevance on labelled real texts: ROC-AUC (all, and organisation-genre negatives against
    all positives), precision / recall at the threshold, and the false-positive rate (share of
    ordinary texts flagged) per genre, language and source, recall per source.

    ``threshold`` may be one number or one per text (nested cross-validation: each fold's own).
    """
    from sklearn.metrics import roc_auc_score

    y = np.asarray(y, dtype=bool)
    p = np.asarray(p, dtype=float)
    thr = np.broadcast_to(np.asarray(threshold, dtype=float), p.shape)
    flagged = p >= thr
    out = binary_report(y, p, float(np.mean(thr)) if len(thr) else 0.5)
    precision, recall, f1 = _prf(
        float((flagged & y).sum()), float((flagged & ~y).sum()), float((~flagged & y).sum())
    )
    out.update(precision=round(precision, 4), recall=round(recall, 4), f1=round(f1, 4))
    out["false_positive_rate"] = _share(flagged, ~y)
    groups = {
        "genre": np.asarray(genres, dtype=object),
        "language": np.asarray(languages, dtype=object),
        "source": np.asarray(sources, dtype=object),
    }
    for name, values in groups.items():
        if len(values) != len(y):
            continue
        out[f"false_positive_rate_by_{name}"] = {
            str(v): _share(flagged, ~y & (values == v)) for v in sorted(set(values[~y]))
        }
        out[f"recall_by_{name}"] = {
            str(v): _share(flagged, y & (values == v)) for v in sorted(set(values[y]))
        }
    genre = groups["genre"]
    if len(genre) == len(y):
        org = y | (genre == "org")
        if 0 < y[org].sum() < org.sum() and (~y[org]).any():
            out["roc_auc_org"] = round(float(roc_auc_score(y[org], p[org])), 4)
    return out
