"""``dsi train``, ``dsi evaluate``, ``dsi classify`` and ``dsi bench classify``."""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer

from crawler.cli.common import CLIError, DatabaseOption, JsonOption, database_url, echo_err

logger = logging.getLogger(__name__)

ModelDirOption = Annotated[
    Path | None,
    typer.Option(
        "--model-dir",
        help="Model folder (default: $DSI_MODEL_DIR or var/models).",
        show_default=False,
    ),
]
UnknownOption = Annotated[
    str | None,
    typer.Option(
        "--unknown-labels",
        help="Tags not in the taxonomy: 'error' (train default) "
        "or 'skip' (evaluate default; counted and reported).",
        show_default=False,
    ),
]
QualityOption = Annotated[
    Path | None,
    typer.Option(
        "--quality",
        help="quality.json with spam/test ids (default: the shipped DSI4EU one).",
        show_default=False,
    ),
]

bench_app = typer.Typer(help="Throughput benchmarks.", no_args_is_help=True)


def _model_dir(option: Path | None) -> Path:
    from classifiers.registry import default_model_dir

    return option or default_model_dir()


def _unknown(value: str | None, default: str) -> Any:
    value = value or default
    if value not in ("error", "skip"):
        raise CLIError(f"--unknown-labels must be 'error' or 'skip', not {value!r}")
    return value


def _load(paths: list[Path], unknown: Any, quality: Path | None) -> Any:
    from classifiers.dataset import DEFAULT_QUALITY, load_export

    dataset = load_export(paths, quality=quality or DEFAULT_QUALITY, unknown=unknown)
    for (task, tag), n in sorted(dataset.unknown_labels.items()):
        echo_err(f"warning: unknown {task} label {tag!r} skipped ({n}x)")
    return dataset


def _fmt(report: dict[str, Any]) -> str:
    return (
        f"micro-F1 {report['micro_f1']:.3f}  macro-F1 {report['macro_f1']:.3f}  "
        f"p@1 {report['p_at_1']:.3f}  Brier {report['brier']:.3f}  ECE {report['ece']:.3f}"
    )


def train(
    from_: Annotated[
        list[Path] | None,
        typer.Option(
            "--from",
            help="Export file(s) in the "
            "digitalsocial.eu format (projects, organisations or mixed).",
            show_default=False,
        ),
    ] = None,
    decisions: Annotated[
        bool, typer.Option("--decisions", help="Add curator decisions from the database.")
    ] = False,
    cv: Annotated[
        int,
        typer.Option(
            "--cv",
            help="Instead of training: K-fold cross-validation "
            "of our model vs. the TF-IDF+LR baseline.",
        ),
    ] = 0,
    database: DatabaseOption = None,
    model_dir: ModelDirOption = None,
    unknown_labels: UnknownOption = None,
    quality: QualityOption = None,
    activate: Annotated[bool, typer.Option(help="Make the new model the active one.")] = True,
    as_json: JsonOption = False,
) -> None:
    """Train and save a new model version (or cross-validate with --cv K).

    Example: dsi train --from ../shared/data/dsi4eu/projects.json --decisions
    Example: dsi train --from ../shared/data/dsi4eu/projects.json --cv 5 --json
    """
    from classifiers.dataset import SHIPPED_PROJECTS

    paths = from_ or [SHIPPED_PROJECTS]
    dataset = _load(paths, _unknown(unknown_labels, "error"), quality)
    if cv:
        if cv < 2:
            raise CLIError("--cv needs at least 2 folds")
        from classifiers.train import cross_validate

        result = cross_validate(dataset, folds=cv)
        if as_json:
            typer.echo(json.dumps(result))
            return
        typer.echo(
            f"{cv}-fold cross-validation (iterative multi-label stratified) on "
            f"{', '.join(map(str, paths))}"
        )
        for task in ("technology", "area"):
            typer.echo(f"{task} ({result[task]['samples']} labelled records)")
            for name in ("ours", "baseline", "baseline_tuned"):
                typer.echo(f"  {name:15s} {_fmt(result[task][name])}")
        return
    from classifiers.registry import save_model
    from classifiers.train import train as train_model

    examples = []
    if decisions:
        from crawler.classify_items import decision_examples
        from storage.decisions import training_rows
        from storage.session import session_scope

        with session_scope(database_url(database)) as session:
            examples = decision_examples(training_rows(session))
        echo_err(f"using {len(examples)} curator decisions")
    trained = train_model(dataset, decisions=examples)
    info = save_model(trained, _model_dir(model_dir), activate=activate)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "version": info.version,
                    "path": str(info.path),
                    "seconds": round(trained.seconds, 2),
                    "metrics": trained.metrics,
                }
            )
        )
        return
    typer.echo(
        f"model {info.version} saved to {info.path}"
        f"{' (active)' if activate else ''} in {trained.seconds:.1f}s"
    )
    for task in ("technology", "area", "dsi_focus"):
        if task in trained.metrics:
            typer.echo(f"  {task} (out-of-fold): {_fmt(trained.metrics[task])}")
    rel = trained.metrics.get("relevance", {})
    if rel:
        typer.echo(
            f"  relevance (out-of-fold, mostly synthetic negatives): F1 {rel['f1']:.3f} "
            f"AUC {rel['roc_auc']:.3f} threshold {rel['threshold']}"
        )


def evaluate_records(dataset: Any, model: Any) -> dict[str, Any]:
    """The evaluation JSON: per task the metrics of ``model`` on the labelled records."""
    from classifiers.evaluate import multilabel_report
    from classifiers.train import task_matrix

    out: dict[str, Any] = {}
    names = {"technology": "technology", "area": "area", "dsi_focus": "dsi_focus"}
    for key, task in names.items():
        tm = model.tasks.get(task)
        if tm is None:
            continue
        recs = dataset.labelled(task)
        texts, Y = task_matrix(recs, task, tm.labels)
        P = tm.predict_proba(texts) if recs else np.zeros((0, len(tm.labels)))
        pred = tm.decide(P).astype(float)
        report = multilabel_report(
            Y, pred, tm.labels, [0.5] * len(tm.labels), tm.learnable, train_counts=tm.train_counts
        )
        calibrated = multilabel_report(Y, P, tm.labels, tm.thresholds, tm.learnable)
        for k in ("p_at_1", "brier", "ece"):
            report[k] = calibrated[k]
        for j, label in enumerate(tm.labels):
            report["labels"][label]["threshold"] = tm.thresholds[j] if tm.learnable[j] else None
        report["no_text"] = sum(not r.has_text() for r in recs)
        out[key] = report
    return out


def evaluate(
    on: Annotated[
        list[Path],
        typer.Option("--on", help="Labelled export file(s) in the digitalsocial.eu format."),
    ],
    model_dir: ModelDirOption = None,
    unknown_labels: UnknownOption = None,
    quality: QualityOption = None,
    as_json: JsonOption = False,
) -> None:
    """Score the active model on labelled data: micro/macro-F1, p@1, per label, calibration.

    Records with no text beyond a name are scored on the name (the model's prior if empty) and
    counted; spam ids (quality.json) are left out; records unlabelled for a task are skipped.

    Example: dsi evaluate --on heldout.json --json
    """
    from classifiers.registry import load_active

    dataset = _load(on, _unknown(unknown_labels, "skip"), quality)
    info, model = load_active(_model_dir(model_dir))
    result = evaluate_records(dataset, model)
    result["model_version"] = info.version
    result["records"] = len(dataset.records)
    result["spam_excluded"] = sum(r.spam for r in dataset.records)
    result["unknown_labels"] = {f"{t}:{n}": c for (t, n), c in dataset.unknown_labels.items()}
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(
        f"model {info.version} on {', '.join(map(str, on))} ({len(dataset.records)} records)"
    )
    for task in ("technology", "area", "dsi_focus"):
        if task not in result:
            continue
        rep = result[task]
        typer.echo(f"{task}: {rep['samples']} samples ({rep['no_text']} without text)  {_fmt(rep)}")
        for label, m in rep["labels"].items():
            thr = "-" if m["threshold"] is None else f"{m['threshold']:.3f}"
            note = "" if m["learnable"] else "  (not learnable: < 5 training examples)"
            typer.echo(
                f"  {label:45s} P {m['precision']:.3f} R {m['recall']:.3f} "
                f"F1 {m['f1']:.3f} support {m['support']:4d} threshold {thr}{note}"
            )


def classify(
    pending: Annotated[
        bool,
        typer.Option(
            "--pending/--all",
            help="Score only items without a "
            "score from the active model (default), or rescore all.",
        ),
    ] = True,
    database: DatabaseOption = None,
    model_dir: ModelDirOption = None,
    batch_size: Annotated[int, typer.Option(help="Items per batch.")] = 256,
    top: Annotated[int, typer.Option(help="Top candidates to show.")] = 10,
    as_json: JsonOption = False,
) -> None:
    """Score stored items with the active model and update the candidates.

    Example: dsi classify --all --json
    """
    from crawler.classify_items import classify_stored_items

    summary = classify_stored_items(
        database_url(database),
        _model_dir(model_dir),
        pending_only=pending,
        batch_size=batch_size,
        top=top,
    )
    if as_json:
        typer.echo(json.dumps(summary.to_dict()))
        return
    typer.echo(
        f"model {summary.model_version}: scored {summary.scored} items "
        f"({summary.relevant} relevant, {summary.warnings} with warnings), "
        f"{summary.candidates_updated} candidate updates in {summary.seconds:.1f}s"
    )
    for c in summary.top:
        typer.echo(
            f"  {c.relevance:.3f} {c.kind:12s} {c.name[:50]:50s} "
            f"{', '.join(c.technologies[:3])} | {', '.join(c.areas[:3])} "
            f"[{', '.join(c.explanation[:5])}]"
            + (f" against: [{', '.join(c.against[:3])}]" if c.against else "")
        )


@bench_app.command(name="classify")
def bench_classify(
    items: Annotated[int, typer.Option(help="Synthetic texts to score.")] = 2000,
    batch_size: Annotated[int, typer.Option(help="Texts per batch.")] = 256,
    model_dir: ModelDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Items/s of batch scoring with the active model vs. the bare TF-IDF+LR baseline.

    Texts are synthetic adverts/websites/datasets and genre-framed DSI4EU descriptions; the
    baseline is trained in the same run on the same sample. Explanations included; language
    detection measured separately (it runs only for items with no stored language).

    Example: dsi bench classify --items 2000 --json
    """
    import os

    from classifiers.dataset import SHIPPED_PROJECTS, load_export
    from classifiers.models import baseline_pipeline
    from classifiers.predict import Predictor
    from classifiers.registry import load_active
    from classifiers.synthetic import negatives, wrap_positive
    from classifiers.train import task_matrix

    info, model = load_active(_model_dir(model_dir))
    dataset = load_export(SHIPPED_PROJECTS)
    recs = [r for r in dataset.records if r.has_text() and not r.spam]
    pos = [wrap_positive(r.name, r.text, seed=r.id) for r in recs]
    pool = negatives(len(pos), seed=7) + pos
    texts = [pool[i % len(pool)] for i in range(items)]
    predictor = Predictor(model, info.version)

    def run(fn: Any) -> float:
        start = time.perf_counter()
        for i in range(0, len(texts), batch_size):
            fn(texts[i : i + batch_size])
        return len(texts) / (time.perf_counter() - start)

    ours = run(lambda b: predictor.predict(b, detect_language=False))
    ours_lang = run(lambda b: predictor.predict(b, detect_language=True))
    labelled = dataset.labelled("technology")
    tx, Y = task_matrix(labelled, "technology", model.tasks["technology"].labels)
    keep = Y.sum(axis=0) >= 5
    base = baseline_pipeline().fit(np.asarray(tx, dtype=object), Y[:, keep])
    baseline = run(lambda b: base.predict_proba(np.asarray(b, dtype=object)))
    result = {
        "model_version": info.version,
        "items": len(texts),
        "batch_size": batch_size,
        "cpus": os.cpu_count(),
        "items_per_s": round(ours, 1),
        "items_per_s_with_language_detection": round(ours_lang, 1),
        "baseline_items_per_s": round(baseline, 1),
        "ratio_to_baseline": round(ours / baseline, 3),
        "note": "ours = relevance + 3 label tasks + explanations; baseline = one TF-IDF+LR "
        "task without explanations",
    }
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(f"{len(texts)} texts, batch {batch_size}, {os.cpu_count()} CPUs")
    typer.echo(f"  ours:     {ours:8.1f} items/s ({ours_lang:.1f} with language detection)")
    typer.echo(f"  baseline: {baseline:8.1f} items/s   ratio {ours / baseline:.3f}")
