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
from crawler.progress import Progress, counted, steps_from_logs

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
    relevance_cv: Annotated[
        bool,
        typer.Option(
            "--relevance-cv/--no-relevance-cv",
            help="Nested cross-validation of relevance split by source (its figures; ~3 min).",
        ),
    ] = True,
    relevance_folds: Annotated[
        int,
        typer.Option(
            "--relevance-folds",
            help="Outer folds of the relevance cross-validation (0: leave one source out).",
        ),
    ] = 5,
    exclude_source: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude-source",
            help="Leave this relevance source out of training (repeatable; to hold it out).",
            show_default=False,
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Train and save a new model version (or cross-validate the label tasks with --cv K).

    Relevance trains on the shipped real texts (classifiers/data/relevance) and the export;
    its printed figures come from nested cross-validation split by source.

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

        with steps_from_logs(f"{cv}-fold cross-validation", "classifiers"):
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
    from classifiers.corpus import exclude_sources, shipped_corpus

    corpus = exclude_sources(shipped_corpus(), exclude_source or [])
    if "dsi4eu" in (exclude_source or []):
        raise CLIError("--exclude-source dsi4eu: DSI4EU comes from --from; pass another export")
    from classifiers.models import ModelParams

    with steps_from_logs("training", "classifiers"):
        trained = train_model(
            dataset,
            decisions=examples,
            params=ModelParams(relevance_cv=relevance_folds),
            relevance_corpus=corpus,
            relevance_cv=relevance_cv,
        )
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
    if "roc_auc" in rel:
        typer.echo(
            f"  relevance (nested cross-validation split by source): ROC-AUC {rel['roc_auc']:.3f}"
            f" (organisation texts {rel.get('roc_auc_org', float('nan')):.3f}), "
            f"precision {rel['precision']:.3f} recall {rel['recall']:.3f}, "
            f"ordinary texts flagged {rel['false_positive_rate']:.3f}"
        )
        for genre, rate in rel.get("false_positive_rate_by_genre", {}).items():
            typer.echo(f"    flagged {genre:10s} {rate}")
    typer.echo(f"  relevance threshold {rel.get('threshold')}")


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

    A JSON-lines file of {"text", "label" (0/1), "genre"?, "language"?, "source"?} is a
    relevance evaluation instead: ROC-AUC (all, and organisation texts), precision and recall
    at the threshold, the share of ordinary texts flagged per genre, language and source, with
    a warning when its texts overlap the model's training data.

    Example: dsi evaluate --on heldout.json --json
    Example: dsi evaluate --on relevance-heldout.jsonl
    """
    from classifiers.registry import load_active

    if all(path.suffix == ".jsonl" for path in on):
        _evaluate_relevance(on, _model_dir(model_dir), as_json)
        return

    dataset = _load(on, _unknown(unknown_labels, "skip"), quality)
    info, model = load_active(_model_dir(model_dir))
    with steps_from_logs("evaluation", "classifiers"):
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


def _evaluate_relevance(paths: list[Path], model_dir: Path, as_json: bool) -> None:
    from classifiers.corpus import CorpusError, read_jsonl, text_key
    from classifiers.evaluate import relevance_report
    from classifiers.predict import Predictor
    from classifiers.registry import load_active

    try:
        records = [r for path in paths for r in read_jsonl(path)]
    except CorpusError as exc:
        raise CLIError(str(exc)) from None
    if not records:
        raise CLIError(f"{', '.join(map(str, paths))}: no labelled lines")
    info, model = load_active(model_dir)
    preds = Predictor(model, info.version).predict(
        [r.text for r in records],
        languages=[r.language or None for r in records],
        detect_language=False,
        explain=False,
    )
    report = relevance_report(
        np.asarray([r.label for r in records], dtype=bool),
        np.asarray([p.relevance for p in preds]),
        model.relevance_threshold,
        genres=[r.genre or "-" for r in records],
        languages=[r.language or "-" for r in records],
        sources=[r.source for r in records],
    )
    overlap = sum(text_key(r.text) in model.training_keys for r in records)
    report["model_version"] = info.version
    report["overlap_with_training"] = overlap
    if overlap:
        echo_err(
            f"warning: {overlap} of {len(records)} evaluation texts are in the model's "
            "training data: these figures are not held out"
        )
    if as_json:
        typer.echo(json.dumps(report))
        return
    typer.echo(f"model {info.version} on {', '.join(map(str, paths))} ({len(records)} texts)")
    typer.echo(
        f"relevance: ROC-AUC {report['roc_auc']:.3f}"
        + (f" (organisation texts {report['roc_auc_org']:.3f})" if "roc_auc_org" in report else "")
        + f"  precision {report['precision']:.3f} recall {report['recall']:.3f}"
        f" at threshold {model.relevance_threshold}"
    )
    typer.echo(f"  ordinary texts flagged: {report['false_positive_rate']}")
    for key in ("genre", "language", "source"):
        rates = report.get(f"false_positive_rate_by_{key}", {})
        if rates:
            typer.echo(f"  flagged by {key}: " + ", ".join(f"{k} {v}" for k, v in rates.items()))
        recalls = report.get(f"recall_by_{key}", {})
        if recalls:
            typer.echo(f"  recall by {key}: " + ", ".join(f"{k} {v}" for k, v in recalls.items()))


def classify(
    in_: Annotated[
        Path | None,
        typer.Option(
            "--in",
            help="Score the texts of a JSON-lines file ('-' for stdin) without a database: "
            'lines {"id", "text", "kind"?, "title"?, "language"?}.',
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="With --in: write results here (default stdout).", show_default=False
        ),
    ] = None,
    skip_bad: Annotated[
        bool,
        typer.Option("--skip-bad", help="With --in: skip malformed lines (counted on stderr)."),
    ] = False,
    explain: Annotated[
        bool, typer.Option("--explain", help="With --in: add 'why' and 'against' to each line.")
    ] = False,
    workers: Annotated[
        int, typer.Option(help="With --in: scoring processes (default: the CPUs).")
    ] = 0,
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
    """Score stored items with the active model and update the candidates, or score a file.

    With --in, each input line gives one output line in the same order: {"id", "relevance",
    "relevant", "technologies", "areas", "model_version", "social_purpose", "digital_means"}.
    A malformed line stops with an error naming its line number (or --skip-bad). With no
    active model, one is trained from the shipped data first.

    Example: dsi classify --all --json
    Example: dsi classify --in texts.jsonl --out scores.jsonl
    """
    if in_ is not None:
        _classify_file(in_, out, _model_dir(model_dir), skip_bad, explain, workers)
        return
    from crawler.classify_items import classify_stored_items
    from storage import migrate
    from storage.maindb import main_database_url

    url = database_url(database)
    main = main_database_url(url)
    if main != url:
        migrate.upgrade(main)
    with Progress("classify", unit="items") as progress:
        summary = classify_stored_items(
            url,
            _model_dir(model_dir),
            pending_only=pending,
            batch_size=batch_size,
            top=top,
            on_batch=progress.advance,
            main_database_url=main,
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


def _active_or_trained(model_dir: Path) -> tuple[Any, Any]:
    from classifiers.registry import ModelError, ensure_model, load_active

    try:
        return load_active(model_dir)
    except ModelError:
        echo_err(f"no usable model in {model_dir}: training one from the shipped data (~40 s)")
        ensure_model(model_dir)
        return load_active(model_dir)


def _classify_file(
    path: Path, out: Path | None, model_dir: Path, skip_bad: bool, explain: bool, workers: int
) -> None:
    import os
    import sys

    from classifiers.batch import InputLineError, parse_all, score_items
    from classifiers.predict import Predictor

    try:
        if str(path) == "-":
            lines = sys.stdin.read().splitlines()
        else:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
        parsed = parse_all(lines, skip_bad=skip_bad)
    except InputLineError as exc:
        raise CLIError(f"{path}: {exc}") from None
    except OSError as exc:
        raise CLIError(f"{path}: cannot read ({exc.strerror})") from None
    for problem in parsed.bad[:20]:
        echo_err(f"skipped {problem}")
    if parsed.bad:
        echo_err(f"skipped {len(parsed.bad)} malformed line(s)")
    info, model = _active_or_trained(model_dir)
    predictor = Predictor(model, info.version)
    rows = score_items(
        predictor, parsed.items, explain=explain, workers=workers or os.cpu_count() or 1
    )
    target = out.open("w", encoding="utf-8") if out else None
    try:
        with Progress("classify", total=len(parsed.items), unit="texts") as progress:
            for row in counted(rows, progress):
                line = json.dumps(row, ensure_ascii=False)
                if target:
                    target.write(line + "\n")
                else:
                    typer.echo(line)
    finally:
        if target:
            target.close()
    if out:
        echo_err(f"scored {len(parsed.items)} texts with model {info.version} -> {out}")


@bench_app.command(
    name="classify", short_help="Items/s of batch scoring with the active model vs. TF-IDF+LR."
)
def bench_classify(
    items: Annotated[int, typer.Option(help="Texts to score.")] = 4000,
    batch_size: Annotated[int, typer.Option(help="Texts per batch.")] = 512,
    workers: Annotated[int, typer.Option(help="Scoring processes (default: the CPUs).")] = 0,
    model_dir: ModelDirOption = None,
    as_json: JsonOption = False,
) -> None:
    """Items/s of batch scoring with the active model vs. the bare TF-IDF+LR baseline.

    Texts are the shipped real relevance texts (ordinary and DSI; cycled to --items), scored as
    `dsi classify --in` does (relevance for all, labels for relevant ones, no explanations,
    known languages not detected again, batches over --workers processes). The baseline, one
    TF-IDF+LR model trained in the same run on the same texts, scores them in one process.
    Also reported: one process, and with explanations.

    Example: dsi bench classify --items 4000 --json
    """
    import os

    from classifiers.batch import TextItem, score_items
    from classifiers.corpus import shipped_corpus
    from classifiers.models import baseline_pipeline
    from classifiers.predict import Predictor
    from classifiers.registry import load_active

    info, model = load_active(_model_dir(model_dir))
    corpus = shipped_corpus()
    texts = [corpus[(i * 7919) % len(corpus)].text for i in range(items)]
    batch = [TextItem(line=i, id=i, text=t) for i, t in enumerate(texts)]
    predictor = Predictor(model, info.version)
    cpus = workers or os.cpu_count() or 1

    def rate(fn: Any) -> float:
        start = time.perf_counter()
        fn()
        return len(texts) / (time.perf_counter() - start)

    ours = rate(lambda: list(score_items(predictor, batch, workers=cpus, batch=batch_size)))
    single = rate(lambda: list(score_items(predictor, batch, workers=1, batch=batch_size)))
    explained = rate(
        lambda: list(score_items(predictor, batch, workers=1, batch=batch_size, explain=True))
    )
    X = np.asarray([r.text for r in corpus], dtype=object)
    y = np.asarray([[r.label, not r.label] for r in corpus], dtype=bool)
    base = baseline_pipeline().fit(X, y)
    arr = np.asarray(texts, dtype=object)
    baseline = rate(
        lambda: [
            base.predict_proba(arr[i : i + batch_size]) for i in range(0, len(arr), batch_size)
        ]
    )
    result = {
        "model_version": info.version,
        "items": len(texts),
        "batch_size": batch_size,
        "workers": cpus,
        "items_per_s": round(ours, 1),
        "items_per_s_one_process": round(single, 1),
        "items_per_s_with_explanations": round(explained, 1),
        "baseline_items_per_s": round(baseline, 1),
        "ratio_to_baseline": round(ours / baseline, 3),
        "note": "ours = relevance (two heads) + labels for relevant texts; baseline = one "
        "TF-IDF+LR model, one process",
    }
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(f"{len(texts)} real texts, batch {batch_size}, {cpus} worker(s)")
    typer.echo(
        f"  ours:     {ours:8.1f} items/s ({single:.1f} in one process, "
        f"{explained:.1f} with explanations)"
    )
    typer.echo(f"  baseline: {baseline:8.1f} items/s   ratio {ours / baseline:.3f}")
