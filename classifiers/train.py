"""Training and cross-validation of the DSI classifiers.

Label tasks are trained on the records labelled for the task (missing = not used, never negative),
spam ids excluded; labels with fewer than ``MIN_EXAMPLES`` examples are not learned (kept in the
model's label list with their counts and never predicted). Thresholds per label maximise F1 on
out-of-fold predictions (iterative multi-label stratified folds), never hard-coded.

Relevance (``P(about digital social innovation)``) is trained on real texts only
(``classifiers.corpus``): ordinary organisation, dataset and job-advert texts as negatives, DSI
texts from DSI4EU and beyond as positives, curator decisions (``--decisions``: accept/relabel ->
positive, reject -> negative, each ``decision_weight`` times). The model has two heads, social
purpose and digital means (``classifiers.relevance``); the score is their product, Platt-calibrated
on out-of-fold scores of folds split by source, and the operating threshold maximises F-beta
(beta = ``relevance_beta`` < 1: a curator's time is the scarce resource, so precision first).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import Pipeline

from classifiers.corpus import (
    DECISION_SOURCE,
    TextRecord,
    dsi4eu_records,
    shipped_corpus,
    text_key,
)
from classifiers.dataset import Dataset, Record
from classifiers.evaluate import (
    MIN_EXAMPLES,
    iterative_stratified_folds,
    multilabel_report,
    relevance_report,
)
from classifiers.features import RELEVANCE_CHARS, clean_texts
from classifiers.models import (
    DSIModel,
    ModelParams,
    TaskModel,
    baseline_pipeline,
    cap_labels,
    label_pipeline,
)
from classifiers.relevance import UNKNOWN, TwoSidedRelevance, apply_platt, balanced_weights, platt
from classifiers.taxonomy import LABEL_TASKS, Taxonomy, load_taxonomy
from crawler.text import detect_language

logger = logging.getLogger(__name__)

RELEVANCE_TRAIN_CHARS = RELEVANCE_CHARS
#: the label tasks share features built as for this task (function words dropped)
SHARED_FEATURES_TASK = "area"
#: sources up to this size are held out whole in the calibration folds
SMALL_SOURCE = 60


THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)
#: decision fields -> task names
DECISION_TASKS = {"technologies": "technology", "areas": "area"}


class TrainingError(ValueError):
    """The data cannot train a model (no labelled records, a task with nothing learnable...)."""


@dataclass(slots=True, kw_only=True)
class DecisionExample:
    """A curator decision as training data (read from the database by the CLI)."""

    id: int
    decision: str  # accept | reject | relabel
    text: str
    technologies: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True)
class TrainResult:
    model: DSIModel
    #: out-of-fold metrics measured while choosing thresholds (per task + relevance)
    metrics: dict[str, Any]
    summary: dict[str, Any]
    seconds: float


def task_matrix(
    records: Sequence[Record], task: str, labels: Sequence[str]
) -> tuple[list[str], NDArray[np.bool_]]:
    texts = [r.text for r in records]
    Y = np.array(
        [[label in r.labels.get(task, ()) for label in labels] for r in records], dtype=bool
    ).reshape(len(records), len(labels))
    return texts, Y


def best_thresholds(Y: NDArray[Any], P: NDArray[Any]) -> list[float]:
    """Per column, the grid threshold with the best F1 (ties: the lower threshold)."""
    ones = np.ones(Y.shape[0])
    return [fbeta_threshold(Y[:, j].astype(bool), P[:, j], ones) for j in range(Y.shape[1])]


def fbeta_threshold(
    y: NDArray[np.bool_], p: NDArray[Any], weights: NDArray[Any], beta: float = 1.0
) -> float:
    """The grid threshold maximising weighted F-beta (ties: the lower threshold; beta < 1
    favours precision)."""
    beta2 = beta**2
    best_t, best_f = 0.5, -1.0
    for t in THRESHOLD_GRID:
        pred = p >= t
        tp = float(weights[pred & y].sum())
        fp = float(weights[pred & ~y].sum())
        fn = float(weights[~pred & y].sum())
        denom = (1 + beta2) * tp + beta2 * fn + fp
        f = (1 + beta2) * tp / denom if denom else 0.0
        if f > best_f:
            best_t, best_f = float(t), f
    return best_t


def _oof_proba(
    make: Any, texts: list[str], Y: NDArray[np.bool_], folds: int, seed: int
) -> NDArray[np.float64]:
    X = np.asarray(texts, dtype=object)
    P = np.zeros(Y.shape, dtype=np.float64)
    for tr, te in iterative_stratified_folds(Y, folds, seed):
        P[te] = make().fit(X[tr], Y[tr]).predict_proba(X[te])
    return P


def fit_task(
    task: str,
    texts: list[str],
    Y: NDArray[np.bool_],
    labels: Sequence[str],
    params: ModelParams,
    features: Any = None,
) -> tuple[TaskModel, dict[str, Any]]:
    """Fit one multi-label task; thresholds from out-of-fold predictions.

    ``features``: an already fitted feature pipeline shared by all label tasks (one vectoriser
    pass at scoring time instead of one per task); without it the task fits its own.
    """
    counts = Y.sum(axis=0).astype(int)
    learn = (counts >= MIN_EXAMPLES) & (counts <= len(texts) - MIN_EXAMPLES)
    if not learn.any():
        raise TrainingError(
            f"{task}: no label has {MIN_EXAMPLES}+ examples ({len(texts)} labelled records)"
        )
    cols = np.flatnonzero(learn)
    Yl = Y[:, cols]
    folds = min(params.threshold_folds, int(Yl.sum(axis=0).min()))
    P = np.zeros(Y.shape)
    thresholds = [1.0] * len(labels)
    if folds >= 2:
        P[:, cols] = _oof_proba(
            lambda: label_pipeline(params, task), texts, Yl, folds, params.random_state
        )
        for j, t in zip(cols, best_thresholds(Yl, P[:, cols]), strict=True):
            thresholds[j] = t
    else:
        for j in cols:
            thresholds[j] = 0.5
    X = np.asarray(texts, dtype=object)
    if features is None:
        pipeline = label_pipeline(params, task).fit(X, Yl)
    else:
        clf = label_pipeline(params, task).named_steps["clf"].fit(features.transform(X), Yl)
        pipeline = Pipeline([("features", features), ("clf", clf)])
    model = TaskModel(
        task=task,
        labels=list(labels),
        learnable=[bool(x) for x in learn],
        train_counts=[int(c) for c in counts],
        thresholds=thresholds,
        pipeline=pipeline,
        at_least_one=params.at_least_one,
        train_size=len(texts),
        max_labels=params.max_labels.get(task, 0),
    )
    oof = multilabel_report(Y, P, labels, thresholds, learn, train_counts=counts)
    oof["note"] = "out-of-fold on the training data, used to choose the thresholds"
    return model, oof


def shared_label_features(
    dataset: Dataset, decisions: Sequence[Record], tasks: Sequence[str], params: ModelParams
) -> Any:
    """One feature pipeline for every label task, fitted on all their texts (or None)."""
    texts = {
        r.text for task in tasks for r in [*dataset.labelled(task), *decisions] if task in r.labels
    }
    if not texts:
        return None
    features = label_pipeline(params, SHARED_FEATURES_TASK).named_steps["features"]
    return features.fit(np.asarray(sorted(texts), dtype=object))


def _decision_labels(decision: DecisionExample, taxonomy: Taxonomy) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for attr, task in DECISION_TASKS.items():
        mapped: list[str] = []
        for raw in getattr(decision, attr) or []:
            canon = taxonomy.map_tag(task, str(raw))
            if canon is None:
                raise TrainingError(f"decision {decision.id}: unknown {task} label {raw!r}")
            mapped.extend(c for c in canon if c not in mapped)
        if mapped:
            out[task] = mapped
    return out


def decision_records(
    decisions: Sequence[DecisionExample], taxonomy: Taxonomy
) -> tuple[list[Record], list[Record]]:
    """(label-task records, relevance records) from curator decisions; bad ones are errors."""
    labelled: list[Record] = []
    relevance: list[Record] = []
    for d in decisions:
        if d.decision not in ("accept", "reject", "relabel"):
            raise TrainingError(f"decision {d.id}: unknown decision {d.decision!r}")
        if not d.text.strip():
            logger.warning("decision %s has no text; skipped", d.id)
            continue
        rec = Record(
            kind="decision",
            id=d.id,
            name="",
            text=d.text,
            labels=_decision_labels(d, taxonomy),
            spam=d.decision == "reject",
        )
        relevance.append(rec)
        if d.decision in ("accept", "relabel") and rec.labels:
            labelled.append(rec)
    return labelled, relevance


def relevance_records(
    dataset: Dataset,
    decisions: Sequence[Record],
    params: ModelParams,
    corpus: Sequence[TextRecord] | None = None,
) -> list[TextRecord]:
    """Real relevance texts: the shipped corpus, DSI4EU, curator decisions (each x weight)."""
    records = list(shipped_corpus() if corpus is None else corpus)
    records.extend(dsi4eu_records(dataset))
    for d in decisions:
        rec = TextRecord(text=d.text, label=not d.spam, source=f"{DECISION_SOURCE}{d.id}")
        records.extend([rec] * params.decision_weight)
    return with_languages(records)


def with_languages(records: Sequence[TextRecord]) -> list[TextRecord]:
    """Records whose language is unknown get the detected one (``und`` when undecidable)."""
    out = []
    for r in records:
        if r.language:
            out.append(r)
        else:
            out.append(replace(r, language=detect_language(r.text) or "und"))
    return out


def _sides(records: Sequence[TextRecord]) -> NDArray[np.int64]:
    return np.array(
        [[UNKNOWN if s is None else int(s) for s in r.sides()] for r in records], dtype=np.int64
    )


@dataclass(slots=True, kw_only=True)
class RelevanceFit:
    model: TwoSidedRelevance
    calibration: tuple[float, float]
    threshold: float
    #: out-of-fold (by source) calibrated probabilities the threshold was chosen on
    oof: NDArray[np.float64]


def _fit_two_sided(records: Sequence[TextRecord], params: ModelParams) -> TwoSidedRelevance:
    return TwoSidedRelevance(
        C=params.relevance_C,
        max_features=params.relevance_max_features,
        concept_weight=params.relevance_concept_weight,
        random_state=params.random_state,
    ).fit(
        np.asarray([r.text[:RELEVANCE_TRAIN_CHARS] for r in records], dtype=object),
        [r.label for r in records],
        sides=_sides(records),
        sources=[r.source for r in records],
        languages=[r.language for r in records],
    )


def _group_folds(
    records: Sequence[TextRecord], groups: Sequence[str], folds: int
) -> list[tuple[Any, Any]]:
    """GroupKFold over ``groups`` (``folds <= 0``: one fold per group), keeping only folds whose
    training part has both labels."""
    y = np.asarray([r.label for r in records], dtype=bool)
    distinct = len(set(groups))
    n = distinct if folds <= 0 else min(folds, distinct)
    return [
        (tr, te)
        for tr, te in GroupKFold(n_splits=n).split(groups, y, groups)
        if y[tr].any() and not y[tr].all()
    ]


def _source_folds(records: Sequence[TextRecord], folds: int) -> list[tuple[Any, Any]]:
    """Folds split by source (a source is never on both sides), each with both labels;
    ``folds=0``: leave one source out."""
    return _group_folds(records, [r.source for r in records], folds)


def _calibration_folds(records: Sequence[TextRecord], folds: int) -> list[tuple[Any, Any]]:
    """Folds for calibration: a small source (<= ``SMALL_SOURCE`` texts) is held out whole; a
    large one (one kind of text from many organisations) is split into thirds, so that held-out
    texts come from organisations the fold never saw while every kind of text stays in training
    (a kind held out whole leaves scores no calibration can read)."""
    counts = Counter(r.source for r in records)
    groups = [
        r.source
        if counts[r.source] <= SMALL_SOURCE
        else f"{r.source}#{int(text_key(r.text), 16) % 3}"
        for r in records
    ]
    return _group_folds(records, groups, folds)


def fit_relevance(records: Sequence[TextRecord], params: ModelParams) -> RelevanceFit:
    """Two-sided model on all records; Platt calibration and threshold from held-out folds."""
    y = np.asarray([r.label for r in records], dtype=bool)
    scores = np.zeros(len(records))
    covered = np.zeros(len(records), dtype=bool)
    for tr, te in _calibration_folds(records, params.relevance_folds):
        part = _fit_two_sided([records[i] for i in tr], params)
        scores[te] = part.decision_function([records[i].text[:RELEVANCE_TRAIN_CHARS] for i in te])
        covered[te] = True
    weights = balanced_weights(y, [r.source for r in records], [r.language for r in records])
    if covered.sum() and 0 < y[covered].sum() < covered.sum():
        ab = platt(scores[covered], y[covered], weights[covered])
    else:
        ab = (1.0, 0.0)
    oof = apply_platt(scores, ab)
    threshold = fbeta_threshold(y[covered], oof[covered], weights[covered], params.relevance_beta)
    model = _fit_two_sided(records, params)
    return RelevanceFit(model=model, calibration=ab, threshold=threshold, oof=oof)


def cross_validate_relevance(
    records: Sequence[TextRecord], params: ModelParams, folds: int = 5
) -> dict[str, Any]:
    """Nested cross-validation split by source: each outer fold fits, calibrates and picks its
    threshold on its own training sources only, then scores sources it has never seen."""
    p = np.full(len(records), np.nan)
    thresholds = np.zeros(len(records))
    splits = _source_folds(records, folds)
    for k, (tr, te) in enumerate(splits, 1):
        logger.info("relevance cross-validation: fold %d of %d", k, len(splits))
        fit = fit_relevance([records[i] for i in tr], params)
        cleaned = clean_texts([records[i].text[:RELEVANCE_TRAIN_CHARS] for i in te])
        p[te] = apply_platt(fit.model.decision_function(cleaned), fit.calibration)
        thresholds[te] = fit.threshold
    done = ~np.isnan(p)
    scored = [records[int(i)] for i in np.flatnonzero(done)]
    report = relevance_report(
        np.asarray([r.label for r in scored], dtype=bool),
        p[done],
        thresholds[done],
        genres=[r.genre for r in scored],
        languages=[r.language for r in scored],
        sources=[r.source for r in scored],
    )
    kind = "leave-one-source-out" if folds <= 0 else f"{len(splits)}-fold"
    report["note"] = (
        f"nested {kind} cross-validation split by source: every text scored by a model "
        "that never saw its source, with that model's own calibration and threshold"
    )
    return report


def train(
    dataset: Dataset,
    *,
    decisions: Sequence[DecisionExample] = (),
    params: ModelParams | None = None,
    taxonomy: Taxonomy | None = None,
    tasks: Sequence[str] = LABEL_TASKS,
    relevance_corpus: Sequence[TextRecord] | None = None,
    relevance_cv: bool = False,
) -> TrainResult:
    """Fit relevance and the label tasks on an export (+ curator decisions).

    Relevance trains on the shipped real corpus (or ``relevance_corpus``) plus the export's
    texts; ``relevance_cv`` adds nested cross-validation figures split by source (slower).
    """
    start = time.perf_counter()
    params = params or ModelParams()
    taxonomy = taxonomy or load_taxonomy()
    dec_labelled, dec_relevance = decision_records(decisions, taxonomy)
    fitted: dict[str, TaskModel] = {}
    metrics: dict[str, Any] = {}
    shared = shared_label_features(dataset, dec_labelled, tasks, params)
    for task in tasks:
        recs = dataset.labelled(task)
        for d in dec_labelled:
            if task in d.labels:
                recs.extend([d] * params.decision_weight)
        if not recs:
            if task == "dsi_focus":
                continue
            raise TrainingError(
                f"no record in {', '.join(dataset.sources)} is labelled for "
                f"{task}: is this a project export?"
            )
        labels = taxonomy.labels[task]
        texts, Y = task_matrix(recs, task, labels)
        logger.info("training %s on %d records", task, len(recs))
        try:
            fitted[task], metrics[task] = fit_task(task, texts, Y, labels, params, shared)
        except TrainingError as exc:
            if task != "dsi_focus":
                raise
            logger.warning("DSI focus (optional) not trained: %s", exc)
    records = relevance_records(dataset, dec_relevance, params, relevance_corpus)
    y = np.asarray([r.label for r in records], dtype=bool)
    if y.all() or not y.any():
        raise TrainingError("relevance needs positives and negatives")
    if relevance_cv:
        metrics["relevance"] = cross_validate_relevance(records, params, params.relevance_cv)
    logger.info("training relevance on %d real texts", len(records))
    fit = fit_relevance(records, params)
    metrics.setdefault("relevance", {})["threshold"] = fit.threshold
    languages = dict(Counter(r.language for r in records).most_common())
    model = DSIModel(
        params=params,
        tasks=fitted,
        relevance=fit.model,
        relevance_calibration=fit.calibration,
        relevance_threshold=fit.threshold,
        languages=languages,
        training_keys=frozenset(text_key(r.text) for r in records),
    )
    summary = dataset.summary()
    summary["languages"] = languages
    summary["decisions"] = dict(Counter(d.decision for d in decisions))
    summary["relevance_examples"] = {
        "positive": int(y.sum()),
        "negative": int((~y).sum()),
        "sources": dict(Counter(r.source for r in records).most_common()),
    }
    return TrainResult(
        model=model, metrics=metrics, summary=summary, seconds=time.perf_counter() - start
    )


def cross_validate(
    dataset: Dataset,
    *,
    folds: int = 5,
    params: ModelParams | None = None,
    taxonomy: Taxonomy | None = None,
    tasks: Sequence[str] = ("technology", "area"),
) -> dict[str, Any]:
    """K-fold (iterative multi-label stratified) figures: ours vs. the plain baseline.

    ``baseline`` is TF-IDF (sklearn defaults) + one-vs-rest LogisticRegression at 0.5;
    ``baseline_tuned`` is the same model with our out-of-fold thresholds and top-1 rule, to show
    how much of the gain is thresholding and how much is the features/calibrated model.
    """
    params = params or ModelParams()
    taxonomy = taxonomy or load_taxonomy()
    out: dict[str, Any] = {"folds": folds, "params": params.to_dict()}
    for task in tasks:
        recs = dataset.labelled(task)
        labels = taxonomy.labels[task]
        texts, Y = task_matrix(recs, task, labels)
        counts = Y.sum(axis=0)
        X = np.asarray(texts, dtype=object)
        n = len(labels)
        P = {k: np.zeros(Y.shape) for k in ("ours", "baseline", "baseline_tuned")}
        T = {k: np.zeros(Y.shape) for k in P}
        learn_all = counts >= MIN_EXAMPLES
        for tr, te in iterative_stratified_folds(Y, folds, params.random_state):
            learn = (Y[tr].sum(axis=0) >= MIN_EXAMPLES) & learn_all
            cols = np.flatnonzero(learn)
            # as shipped: features shared by the label tasks, fitted on the fold's texts
            shared = label_pipeline(params, SHARED_FEATURES_TASK).named_steps["features"]
            shared.fit(X[tr])
            model, _ = fit_task(task, list(X[tr]), Y[tr], labels, params, shared)
            P["ours"][te] = model.predict_proba(list(X[te]))
            T["ours"][te] = model.thresholds
            base = clone(baseline_pipeline(params.random_state)).fit(X[tr], Y[tr][:, cols])
            P["baseline"][np.ix_(te, cols)] = base.predict_proba(X[te])
            T["baseline"][te] = 0.5
            inner = _oof_proba(
                lambda: baseline_pipeline(params.random_state),
                list(X[tr]),
                Y[tr][:, cols],
                params.threshold_folds,
                params.random_state,
            )
            P["baseline_tuned"][np.ix_(te, cols)] = P["baseline"][np.ix_(te, cols)]
            thr = np.ones(n)
            thr[cols] = best_thresholds(Y[tr][:, cols], inner)
            T["baseline_tuned"][te] = thr
        task_out: dict[str, Any] = {"samples": len(recs)}
        for key in P:
            top1 = key != "baseline" and params.at_least_one
            cap = params.max_labels.get(task, 0) if key == "ours" else 0
            task_out[key] = _report_per_sample_thresholds(
                Y, P[key], T[key], labels, learn_all, counts, top1, cap
            )
        out[task] = task_out
    return out


def _report_per_sample_thresholds(
    Y: NDArray[Any],
    P: NDArray[Any],
    T: NDArray[Any],
    labels: Sequence[str],
    learn: NDArray[np.bool_],
    counts: NDArray[Any],
    top1: bool,
    cap: int = 0,
) -> dict[str, Any]:
    """Like ``multilabel_report`` but each fold had its own thresholds (rows of ``T``); with
    ``cap`` at most that many labels per text (the most probable), as the model decides."""
    pred = (P >= T) & learn
    if top1:
        none = ~pred.any(axis=1)
        top = np.argmax(np.where(learn, P, -np.inf), axis=1)
        pred[np.flatnonzero(none), top[none]] = True
    pred = cap_labels(pred, P, cap)
    # pred as probabilities 1/0 with threshold 0.5 reuses the one report function
    report = multilabel_report(
        Y, pred.astype(float), labels, [0.5] * len(labels), learn, train_counts=counts
    )
    calibrated = multilabel_report(Y, P, labels, [0.5] * len(labels), learn)
    for key in ("p_at_1", "brier", "ece"):
        report[key] = calibrated[key]
    mean_thr = np.where(learn, T.mean(axis=0), np.nan)
    for j, label in enumerate(labels):
        report["labels"][label]["threshold"] = round(float(mean_thr[j]), 4) if learn[j] else None
    return report
