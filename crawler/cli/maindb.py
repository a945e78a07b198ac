"""``dsi maindb``: the main database (the DSI map): import, export, match."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.orm import Session

from crawler.cli.common import CLIError, DatabaseOption, JsonOption, database_url, echo_err
from storage import maindb, migrate
from storage.match_tuning import (
    labelled_decisions,
    outcomes_of,
    save_threshold,
    threshold_history,
    tuned_threshold,
)
from storage.models import MatchThreshold
from storage.session import redact, session_scope

app = typer.Typer(
    help="The main database (the DSI map): import, export, match, tune the threshold.",
    no_args_is_help=True,
)

MainDatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--main-database",
        "-m",
        help="SQLAlchemy URL of the main database (default: $DSI_MAIN_DATABASE_URL, else the "
        "crawler's database).",
        show_default=False,
    ),
]


def main_url(option: str | None) -> str:
    """Flag > ``DSI_MAIN_DATABASE_URL`` > the crawler's database; migrated on first use."""
    url = option or maindb.main_database_url()
    migrate.upgrade(url)
    return url


def read_json_records(path: Path) -> list[Any]:
    """A JSON list of records (the export format) or JSON lines."""
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError as exc:
            raise CLIError(f"{path}: not JSON nor JSON lines ({exc})") from None
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise CLIError(f"{path}: expected a JSON list of records")
    return data


@app.command("import")
def import_(
    file: Annotated[
        Path, typer.Argument(help="organisations.json or projects.json (export format).")
    ],
    main_database: MainDatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import a digitalsocial.eu export (organisations or projects, told from the records);
    entries are inserted or updated by their record id. Bad records are listed and skipped.

    Example: dsi maindb import ../shared/data/dsi4eu/organisations.json
    """
    records = read_json_records(file)
    url = main_url(main_database)
    with session_scope(url) as session:
        summary = maindb.import_records(session, records)
    for problem in summary.errors:
        echo_err(f"skipped {problem}")
    if as_json:
        typer.echo(json.dumps(summary.to_dict()))
        return
    typer.echo(
        f"{summary.kind}s: {summary.inserted} inserted, {summary.updated} updated, "
        f"{len(summary.errors)} skipped ({redact(url)})"
    )


@app.command("match")
def match(
    in_: Annotated[
        Path,
        typer.Option(
            "--in", help="Queries, one JSON object per line ('-' for stdin).", show_default=False
        ),
    ],
    out: Annotated[Path | None, typer.Option(help="Write results here (default: stdout).")] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            help="Confidence from which the best candidate is a match (default: "
            "$DSI_MATCH_THRESHOLD, else the threshold tuned on curators' decisions, else the "
            "model's; see 'dsi maindb threshold').",
            show_default=False,
        ),
    ] = None,
    limit: Annotated[int, typer.Option(help="Candidates listed per query.")] = 5,
    main_database: MainDatabaseOption = None,
) -> None:
    """Match organisations against the main database.

    Each input line {"id", "name", "city"?, "country"?, "website"?, "social"?} (country as
    ISO code or a name in any language) gives one output line, in the same order: {"id",
    "match": organisation_id or null, "score": 0-1, "candidates": [{"id", "name", "score",
    "reasons"}]}. "match" is null below the threshold. A malformed line is an error naming
    its line number, and nothing is matched.

    Example: dsi maindb match --in queries.jsonl --out matches.jsonl
    """
    from matching.index import Matcher
    from matching.queries import QueryLineError, parse_queries

    try:
        text = sys.stdin.read() if str(in_) == "-" else in_.read_text(encoding="utf-8")
        queries = parse_queries(text.splitlines())
    except QueryLineError as exc:
        raise CLIError(f"{in_}: {exc}") from None
    except OSError as exc:
        raise CLIError(f"{in_}: cannot read ({exc.strerror})") from None
    with session_scope(main_url(main_database)) as session:
        entries = maindb.match_records(session, "organisation")
        in_use = threshold_in_use(session, "organisation", threshold)
    matcher = Matcher(entries, threshold=in_use.value, limit=limit)
    lines = (
        json.dumps(_with_entry_ids(raw_id, matcher.match(q).to_dict()), ensure_ascii=False)
        for raw_id, q in queries
    )
    if out is None:
        for line in lines:
            typer.echo(line)
        return
    with out.open("w", encoding="utf-8") as handle:
        for line in lines:
            handle.write(line + "\n")
    echo_err(f"{len(queries)} queries matched against {len(entries)} organisations -> {out}")


def _with_entry_ids(raw_id: Any, row: dict[str, Any]) -> dict[str, Any]:
    """The query's id as given; the database's ids as the integers they are."""
    row["id"] = raw_id
    if row["match"] is not None:
        row["match"] = int(row["match"])
    for candidate in row["candidates"]:
        candidate["id"] = int(candidate["id"])
    return row


@dataclass(frozen=True, slots=True)
class ThresholdInUse:
    #: None: the model's own (``model``)
    value: float | None
    model: float
    #: flag | env | tuned | model
    source: str
    row: MatchThreshold | None = None

    @property
    def effective(self) -> float:
        return self.model if self.value is None else self.value

    def describe(self) -> str:
        if self.source == "flag":
            return "given with --threshold"
        if self.source == "env":
            return "from DSI_MATCH_THRESHOLD"
        if self.source == "tuned" and self.row is not None:
            cv = (self.row.figures or {}).get("cross_validated") or {}
            return (
                f"tuned on {self.row.pairs} curator decisions by {self.row.set_by} at "
                f"{self.row.at:%Y-%m-%d %H:%M} UTC (previously {self.row.previous:g}; "
                f"cross-validated precision {_pct(cv.get('precision'))}, recall "
                f"{_pct(cv.get('recall'))}, false matches {_pct(cv.get('false_match_rate'))})"
            )
        return "the model's own (matching/data/matcher.json, fitted on generated pairs)"


def _pct(value: Any) -> str:
    return "n/a" if value is None else f"{float(value):.1%}"


def threshold_in_use(session: Session, kind: str, option: float | None) -> ThresholdInUse:
    """Flag > ``DSI_MATCH_THRESHOLD`` > tuned on curators' decisions > the model's own."""
    from matching.model import load_model

    model = load_model().threshold
    if option is not None:
        if not 0.0 <= option <= 1.0:
            raise CLIError(f"--threshold must be between 0 and 1, got {option}")
        return ThresholdInUse(option, model, "flag")
    env = os.environ.get("DSI_MATCH_THRESHOLD")
    if env:
        try:
            value = float(env)
        except ValueError:
            raise CLIError(f"DSI_MATCH_THRESHOLD must be a number, got {env!r}") from None
        if not 0.0 <= value <= 1.0:
            raise CLIError(f"DSI_MATCH_THRESHOLD must be between 0 and 1, got {env!r}")
        return ThresholdInUse(value, model, "env")
    row = tuned_threshold(session, kind)
    if row is not None:
        return ThresholdInUse(row.threshold, model, "tuned", row)
    return ThresholdInUse(None, model, "model")


KindOption = Annotated[str, typer.Option("--kind", "-k", help="organisation or project.")]


def _kind(kind: str) -> maindb.Kind:
    if kind not in maindb.KINDS:
        raise CLIError(f"unknown kind {kind!r}: use 'organisation' or 'project'")
    return "project" if kind == "project" else "organisation"


@app.command("threshold")
def threshold_(
    kind: KindOption = "organisation",
    main_database: MainDatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show the match threshold in use and where it comes from ($DSI_MATCH_THRESHOLD, tuned
    on curators' decisions by 'dsi maindb tune', or the model's own), with earlier tunings.

    Example: dsi maindb threshold --kind organisation
    """
    checked = _kind(kind)
    with session_scope(main_url(main_database)) as session:
        in_use = threshold_in_use(session, checked, None)
        history: list[dict[str, Any]] = [
            {
                "threshold": r.threshold,
                "previous": r.previous,
                "pairs": r.pairs,
                "set_by": r.set_by,
                "at": r.at.isoformat(),
            }
            for r in threshold_history(session, checked)
        ]
        text = in_use.describe()
    if as_json:
        out = {
            "kind": checked,
            "threshold": in_use.effective,
            "source": in_use.source,
            "model_threshold": in_use.model,
            "description": text,
            "history": history,
        }
        typer.echo(json.dumps(out))
        return
    typer.echo(f"{checked} match threshold {in_use.effective:g}: {text}")
    for h in history:
        typer.echo(
            f"  {str(h['at'])[:16]}  {h['previous']:g} -> {h['threshold']:g}  "
            f"({h['pairs']} decisions, {h['set_by']})"
        )


@app.command("tune")
def tune(
    kind: KindOption = "organisation",
    min_pairs: Annotated[
        int, typer.Option(help="Labelled decisions needed before anything is tuned.")
    ] = 30,
    folds: Annotated[int, typer.Option(help="Cross-validation folds.")] = 5,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report only; store nothing.")] = False,
    database: DatabaseOption = None,
    main_database: MainDatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Tune the match threshold on curators' decisions in the review app: merging a candidate
    into the entry the matcher suggested says the suggestion was right; merging it into
    another entry, or accepting it as new, says it was wrong (rejections and snoozes say
    nothing about identity; undone decisions do not count). The threshold that makes the
    fewest errors (a false match costing three misses) is stored in the main database, and
    then used by 'dsi maindb match', 'dsi maindb serve' and 'dsi classify', only when it
    also beats the threshold in use under cross-validation.

    Example: dsi maindb tune --min-pairs 30 --dry-run
    """
    from matching.tuning import tune as tune_outcomes

    checked = _kind(kind)
    if min_pairs < 1 or folds < 2:
        raise CLIError("--min-pairs must be at least 1 and --folds at least 2")
    with session_scope(database_url(database)) as session:
        decisions = labelled_decisions(session, checked)
    outcomes = outcomes_of(decisions)
    labels = Counter(d.label for d in decisions)
    counted = ", ".join(f"{labels[k]} {k.replace('_', ' ')}" for k in _LABELS)
    if labels["unsuggested"]:
        counted += f"; {labels['unsuggested']} more without a suggested entry, not counted"
    if len(outcomes) < min_pairs:
        raise CLIError(
            f"only {len(outcomes)} decisions with a suggested {checked} ({counted}); "
            f"tuning needs {min_pairs} (--min-pairs): nothing changed"
        )
    url = main_url(main_database)
    with session_scope(url) as session:
        current = threshold_in_use(session, checked, None)
        result = tune_outcomes(outcomes, current.effective, folds=folds)
        report = {"kind": checked, "pairs": len(outcomes), "labels": dict(labels),
                  "current_source": current.source, **result.to_dict(),
                  "stored": False}  # fmt: skip
        if result.adopted and not dry_run:
            save_threshold(
                session, checked, result.threshold, previous=current.effective,
                pairs=len(outcomes), figures=report, set_by="dsi maindb tune",
            )  # fmt: skip
            report["stored"] = True
    if as_json:
        typer.echo(json.dumps(report))
        return
    typer.echo(f"{len(outcomes)} labelled decisions on {checked}s ({counted})")
    for title, key in (
        (f"in use {result.current:g} ({current.source})", "before"),
        (f"tuned {result.candidate:g} (in-sample)", "after"),
        (f"tuned per fold ({result.folds}-fold CV)", "cross_validated"),
    ):
        f = report[key]
        typer.echo(
            f"  {title:34} precision {_pct(f['precision'])}, recall {_pct(f['recall'])}, "
            f"false matches {_pct(f['false_match_rate'])} ({f['false_matches']}), "
            f"missed {f['missed']}"
        )
    typer.echo(f"  {result.reason}")
    if result.adopted and dry_run:
        typer.echo(f"dry run: {result.threshold:g} not stored")
    elif report["stored"]:
        typer.echo(f"threshold {result.threshold:g} stored ({redact(url)})")
    else:
        typer.echo(f"threshold stays {result.current:g}")


_LABELS = ("match", "wrong_entry", "new")


@app.command("evaluate")
def evaluate(
    names: Annotated[
        Path | None,
        typer.Option(
            help="organisations.json or projects.json in the export format (default: the "
            "shipped DSI4EU sample of --kind)."
        ),
    ] = None,
    kind: Annotated[
        str, typer.Option("--kind", "-k", help="organisations or projects.")
    ] = "organisations",
    save_model: Annotated[
        Path | None, typer.Option(help="Also write the model fitted on the fit half here.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the generated noise.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Measure the matcher against a plain fuzzy matcher (rapidfuzz WRatio >= 90) on real
    organisation (or project) names with generated web noise, plus records left out of the
    database and look-alikes. The model is fitted on one half of the records (split by a
    hash of their id) and figures are reported on the other, held-out half. For projects,
    the shipped model (fitted on organisations, used by 'dsi classify') is reported too.

    Example: dsi maindb evaluate --kind projects --json
    """
    from classifiers.dataset import SHIPPED_ORGANISATIONS, SHIPPED_PROJECTS
    from matching.evaluate import run
    from matching.model import MatchModel, load_model

    shipped = {"organisations": SHIPPED_ORGANISATIONS, "projects": SHIPPED_PROJECTS}
    if kind not in shipped:
        raise CLIError(f"unknown kind {kind!r}: use 'organisations' or 'projects'")
    records = read_json_records(names or shipped[kind])
    try:
        found = maindb.detect_kind(records)
    except maindb.MainDbError as exc:
        raise CLIError(f"{names}: {exc}") from None
    if f"{found}s" != kind:
        raise CLIError(f"{names} holds {found}s: use --kind {found}s")
    also = load_model() if kind == "projects" else None
    report = run(records, seed=seed, kind=kind, also=also)
    if save_model is not None:
        MatchModel.from_dict(report["model"]).save(save_model)
        echo_err(f"model written to {save_model}")
    if as_json:
        typer.echo(json.dumps(report))
        return
    typer.echo(f"database: {report['database_entries']} {kind}; threshold {report['threshold']}")
    rows = [("matcher", "matcher"), ("baseline_wratio90", "WRatio>=90")]
    if also is not None:
        rows.append(("also_model", "shipped"))
    for split, title in (("held_out", "held-out half"), ("fit_in_sample", "fit half (in-sample)")):
        part = report[split]
        for who, label in rows:
            f = part[who]
            kinds = ", ".join(
                f"{k} {v['right']:.1%} right/{v['false_matches']:.1%} false"
                for k, v in f["by_kind"].items()
            )
            typer.echo(
                f"{title:22} {label:11} {f['queries']} queries: {f['right']:.1%} right, "
                f"{f['false_matches']:.1%} false matches, {f['missed']:.1%} missed ({kinds})"
            )


@app.command("export")
def export(
    kind: Annotated[
        str, typer.Option("--kind", "-k", help="organisation or project.")
    ] = "organisation",
    out: Annotated[Path | None, typer.Option(help="Write to this file (default: stdout).")] = None,
    main_database: MainDatabaseOption = None,
) -> None:
    """Export organisations (or projects) in the digitalsocial.eu format (a JSON list).

    Example: dsi maindb export --kind project --out projects.json
    """
    if kind not in maindb.KINDS:
        raise CLIError(f"unknown kind {kind!r}: use 'organisation' or 'project'")
    with session_scope(main_url(main_database)) as session:
        records = maindb.export_records(session, kind)  # type: ignore[arg-type]
    text = json.dumps(records, ensure_ascii=False, indent=1)
    if out is None:
        typer.echo(text)
        return
    out.write_text(text + "\n", encoding="utf-8")
    echo_err(f"{len(records)} {kind}s written to {out}")


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    main_database: MainDatabaseOption = None,
) -> None:
    """Serve the main database's organisations as a W3C Reconciliation API service, so
    OpenRefine can reconcile a column of organisation names against the DSI map (manifest,
    queries and batch queries, previews). Add the printed URL as a reconciliation service
    in OpenRefine; properties "country", "city", "website", "social" help the matcher.

    Example: dsi maindb serve --port 8000
    """
    import uvicorn

    from crawler.reconcile_app import create_app

    with session_scope(main_url(main_database)) as session:
        entries = maindb.match_records(session, "organisation")
        records = {
            str(r["organisation_id"]): r for r in maindb.export_records(session, "organisation")
        }
        in_use = threshold_in_use(session, "organisation", None)
    echo_err(
        f"reconciliation service for {len(entries)} organisations at http://{host}:{port}/ "
        f"(threshold {in_use.effective:g}: {in_use.describe()})"
    )
    uvicorn.run(
        create_app(entries, records, threshold=in_use.value),
        host=host, port=port, log_level="warning",
    )  # fmt: skip


def bench_resolve(
    entries: Annotated[int, typer.Option(help="Main-database entries (generated).")] = 100_000,
    items: Annotated[int, typer.Option(help="New items to resolve.")] = 10_000,
    sample: Annotated[int, typer.Option(help="Items the baseline is timed on.")] = 100,
    as_json: JsonOption = False,
) -> None:
    """Resolve new items against a large generated main database (names built from the
    DSI4EU vocabulary), timed against a baseline measured in the same run: rapidfuzz WRatio
    of each item against every entry, without blocking (timed on --sample items, scaled).

    Example: dsi bench resolve --entries 100000 --items 10000
    """
    from classifiers.dataset import SHIPPED_ORGANISATIONS
    from matching.bench import run_bench

    names = [
        str(o.get("organisation_name") or "") for o in read_json_records(SHIPPED_ORGANISATIONS)
    ]
    result = run_bench(names, entries=entries, items=items, sample=sample).to_dict()
    if as_json:
        typer.echo(json.dumps(result))
        return
    typer.echo(
        f"{result['items']} items against {result['entries']} entries: "
        f"{result['total_seconds']:.1f}s, {result['cpu_seconds']:.1f}s CPU "
        f"(index {result['index_seconds']:.1f}s, "
        f"matching {result['match_seconds']:.1f}s, {result['items_per_second']:.0f} items/s), "
        f"{result['matched']} matched"
    )
    typer.echo(
        f"baseline ({result['baseline']}, timed on {result['baseline_sample']} items): "
        f"{result['baseline_seconds_estimated']:.0f}s estimated; {result['speedup']}x faster"
    )
