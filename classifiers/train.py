"""Training and cross-validation of the DSI classifiers.

Label tasks are trained on the records labelled for the task (missing = not used, never negative),
spam ids excluded; labels with fewer than ``MIN_EXAMPLES`` examples are not learned (kept in the
model's label list with their counts and never predicted). Thresholds per label maximise F1 on
out-of-fold predictions (iterative multi-label stratified folds), never hard-coded.

Relevance (``P(about digital social innovation)``) is trained on:

* positives: DSI4EU projects and organisations with text beyond a name, spam excluded, plus the
  same texts framed as job adverts / websites / dataset descriptions (``classifiers.synthetic``);
* multilingual synthetic positives (``synthetic.multilingual_positives``, 0.4 times as many as
  the real ones) so that "not English" is not learned as "not DSI";
* negatives: the spam/test records of ``quality.json``; synthetic ordinary job adverts,
  organisation websites and dataset descriptions (``synthetic.negatives``, seven languages) and
  harder ones (``synthetic.hard_negatives``, ten languages: banks, retail, logistics, hospitals'
  administration, hotels, factories, commercial software/web/marketing agencies, corporate sites
  that talk about "digital", "data", "platform", "community", budgets and statistics) -- as many
  as all positives, half of each kind, 60 % English (about the English share of the positives, so
  that the language is no evidence);
* curator decisions (``--decisions``): accept/relabel -> positive, reject -> negative, each
  repeated ``decision_weight`` times.

So the score means: *how much more this text reads like a DSI4EU entry than like an ordinary
advert, website or dataset, or like the spam the platform received* -- with balanced classes,
calibrated on out-of-fold data. It is a ranking for curators, not the share of DSI in the wild.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.base import clone
from sklearn.model_selection import StratifiedGroupKFold

from classifiers.dataset import Dataset, Record
from classifiers.evaluate import (
    MIN_EXAMPLES,
    binary_report,
    iterative_stratified_folds,
    multilabel_report,
)
from classifiers.features import RELEVANCE_CHARS
from classifiers.models import (
    DSIModel,
    ModelParams,
    TaskModel,
    baseline_pipeline,
    label_pipeline,
    relevance_pipeline,
)
from classifiers.synthetic import (
    hard_negatives,
    load_hardbank,
    load_phrasebank,
    multilingual_positives,
    negatives,
    wrap_positive,
)
from classifiers.taxonomy import LABEL_TASKS, Taxonomy, load_taxonomy

logger = logging.getLogger(__name__)

RELEVANCE_TRAIN_CHARS = RELEVANCE_CHARS
#: multilingual synthetic positives per real positive
SYNTHETIC_POSITIVE_SHARE = 0.4
#: share of English among the synthetic negatives: about the share of English among all
#: positives, so that the language itself is no evidence either way
NEGATIVE_ENGLISH_SHARE = 0.6


def language_cycle(languages: Sequence[str], english_share: float) -> list[str]:
    """A cycle of language codes in which English has ``english_share`` of the places."""
    others = [lang for lang in languages if lang != "en"]
    if "en" not in languages or not others:
        return list(languages)
    n_en = max(1, round(len(others) * english_share / (1 - english_share)))
    return ["en"] * n_en + others


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
    out = []
    for j in range(Y.shape[1]):
        y = Y[:, j].astype(bool)
        best_t, best_f = 0.5, -1.0
        for t in THRESHOLD_GRID:
            pred = P[:, j] >= t
            tp = float((pred & y).sum())
            denom = 2 * tp + float((pred & ~y).sum()) + float((~pred & y).sum())
            f = 2 * tp / denom if denom else 0.0
            if f > best_f:
                best_t, best_f = float(t), f
        out.append(best_t)
    return out


def _oof_proba(
    make: Any, texts: list[str], Y: NDArray[np.bool_], folds: int, seed: int
) -> NDArray[np.float64]:
    X = np.asarray(texts, dtype=object)
    P = np.zeros(Y.shape, dtype=np.float64)
    for tr, te in iterative_stratified_folds(Y, folds, seed):
        P[te] = make().fit(X[tr], Y[tr]).predict_proba(X[te])
    return P


def fit_task(
    task: str, texts: list[str], Y: NDArray[np.bool_], labels: Sequence[str], params: ModelParams
) -> tuple[TaskModel, dict[str, Any]]:
    """Fit one multi-label task; thresholds from out-of-fold predictions."""
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
    pipeline = label_pipeline(params, task).fit(np.asarray(texts, dtype=object), Yl)
    model = TaskModel(
        task=task,
        labels=list(labels),
        learnable=[bool(x) for x in learn],
        train_counts=[int(c) for c in counts],
        thresholds=thresholds,
        pipeline=pipeline,
        at_least_one=params.at_least_one,
        train_size=len(texts),
    )
    oof = multilabel_report(Y, P, labels, thresholds, learn, train_counts=counts)
    oof["note"] = "out-of-fold on the training data, used to choose the thresholds"
    return model, oof


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


def relevance_data(
    dataset: Dataset, decisions: Sequence[Record], params: ModelParams
) -> tuple[list[str], NDArray[np.bool_], list[str]]:
    """Texts, labels and groups (wrapped copies share their original's group)."""
    texts: list[str] = []
    ys: list[bool] = []
    groups: list[str] = []
    n_pos = 0
    for r in dataset.records:
        if r.spam:
            if r.text.strip():
                texts.append(r.text)
                ys.append(False)
                groups.append(f"{r.kind}:{r.id}")
            continue
        if not r.has_text():
            continue
        texts.append(r.text)
        ys.append(True)
        groups.append(f"{r.kind}:{r.id}")
        n_pos += 1
        body = r.text[len(r.name) :].strip()
        if len(body) >= 50:
            texts.append(wrap_positive(r.name, body, seed=r.id))
            ys.append(True)
            groups.append(f"{r.kind}:{r.id}")
            n_pos += 1
    multi = multilingual_positives(
        max(int(n_pos * SYNTHETIC_POSITIVE_SHARE), 10), seed=params.random_state
    )
    texts.extend(multi)
    ys.extend([True] * len(multi))
    groups.extend(f"synthetic-positive:{i}" for i in range(len(multi)))
    n_neg = max(n_pos + len(multi), 30)
    synth = negatives(
        n_neg // 2,
        seed=params.random_state,
        languages=language_cycle(list(load_phrasebank()), NEGATIVE_ENGLISH_SHARE),
    ) + hard_negatives(
        n_neg - n_neg // 2,
        seed=params.random_state,
        languages=language_cycle(list(load_hardbank()), NEGATIVE_ENGLISH_SHARE),
    )
    texts.extend(synth)
    ys.extend([False] * len(synth))
    groups.extend(f"synthetic:{i}" for i in range(len(synth)))
    for d in decisions:
        for k in range(params.decision_weight):
            texts.append(d.text)
            ys.append(not d.spam)
            groups.append(f"decision:{d.id}")
            del k
    return texts, np.asarray(ys, dtype=bool), groups


def fit_relevance(
    texts: list[str], y: NDArray[np.bool_], groups: list[str], params: ModelParams
) -> tuple[Any, float, dict[str, Any]]:
    # the head of a text carries its subject; cutting keeps training fast
    X = np.asarray([t[:RELEVANCE_TRAIN_CHARS] for t in texts], dtype=object)
    folds = min(params.threshold_folds, int(y.sum()), int((~y).sum()))
    threshold = 0.5
    report: dict[str, Any] = {}
    if folds >= 2:
        P = np.zeros(len(y))
        cv = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=params.random_state)
        for tr, te in cv.split(X, y, groups):
            P[te] = relevance_pipeline(params).fit(X[tr], y[tr]).predict_proba(X[te])[:, 1]
        threshold = best_thresholds(y[:, None], P[:, None])[0]
        report = binary_report(y, P, threshold)
        spam = np.array([g.startswith(("project:", "decision:")) for g in groups]) & ~y
        report["spam_rejected"] = (
            round(float((P[spam] < threshold).mean()), 4) if spam.any() else None
        )
        report["note"] = (
            "out-of-fold (grouped so a text and its genre-framed copy share a "
            "fold); negatives are mostly synthetic, so this overstates real-world "
            "precision"
        )
    pipeline = relevance_pipeline(params).fit(X, y)
    return pipeline, threshold, report


def detect_languages(
    texts: Sequence[str], min_chars: int = 50, sample: int = 150
) -> dict[str, int]:
    """langdetect counts over (an evenly spaced sample of) texts long enough to judge."""
    from langdetect import DetectorFactory, detect
    from langdetect.lang_detect_exception import LangDetectException

    DetectorFactory.seed = 0
    counts: Counter[str] = Counter()
    long_enough = [t for t in texts if len(t) >= min_chars]
    step = max(1, len(long_enough) // sample)
    for t in long_enough[::step]:
        try:
            counts[detect(t[:1000])] += 1
        except LangDetectException:
            counts["unknown"] += 1
    return dict(counts.most_common())


def train(
    dataset: Dataset,
    *,
    decisions: Sequence[DecisionExample] = (),
    params: ModelParams | None = None,
    taxonomy: Taxonomy | None = None,
    tasks: Sequence[str] = LABEL_TASKS,
) -> TrainResult:
    """Fit relevance and the label tasks on an export (+ curator decisions)."""
    start = time.perf_counter()
    params = params or ModelParams()
    taxonomy = taxonomy or load_taxonomy()
    dec_labelled, dec_relevance = decision_records(decisions, taxonomy)
    fitted: dict[str, TaskModel] = {}
    metrics: dict[str, Any] = {}
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
            fitted[task], metrics[task] = fit_task(task, texts, Y, labels, params)
        except TrainingError as exc:
            if task != "dsi_focus":
                raise
            logger.warning("DSI focus (optional) not trained: %s", exc)
    texts, y, groups = relevance_data(dataset, dec_relevance, params)
    if y.all() or not y.any():
        raise TrainingError("relevance needs positives and negatives")
    relevance, threshold, metrics["relevance"] = fit_relevance(texts, y, groups, params)
    languages = detect_languages([r.text for r in dataset.records if not r.spam])
    model = DSIModel(
        params=params,
        tasks=fitted,
        relevance=relevance,
        relevance_threshold=threshold,
        languages=languages,
    )
    summary = dataset.summary()
    summary["languages"] = languages
    summary["decisions"] = dict(Counter(d.decision for d in decisions))
    summary["relevance_examples"] = {"positive": int(y.sum()), "negative": int((~y).sum())}
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
            model, _ = fit_task(task, list(X[tr]), Y[tr], labels, params)
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
            task_out[key] = _report_per_sample_thresholds(
                Y, P[key], T[key], labels, learn_all, counts, top1
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
) -> dict[str, Any]:
    """Like ``multilabel_report`` but each fold had its own thresholds (rows of ``T``)."""
    pred = (P >= T) & learn
    if top1:
        none = ~pred.any(axis=1)
        top = np.argmax(np.where(learn, P, -np.inf), axis=1)
        pred[np.flatnonzero(none), top[none]] = True
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
