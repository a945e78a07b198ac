"""``dsi maindb``: the main database (the DSI map): import, export, match."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from crawler.cli.common import CLIError, JsonOption, echo_err
from storage import maindb, migrate
from storage.session import redact, session_scope

app = typer.Typer(
    help="The main database (the DSI map): import, export, match.", no_args_is_help=True
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
            "$DSI_MATCH_THRESHOLD, else the model's tuned threshold).",
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
    matcher = Matcher(entries, threshold=match_threshold(threshold), limit=limit)
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


def match_threshold(option: float | None) -> float | None:
    """Flag > ``DSI_MATCH_THRESHOLD`` > the model's own (None)."""
    if option is not None:
        return option
    env = os.environ.get("DSI_MATCH_THRESHOLD")
    if not env:
        return None
    try:
        return float(env)
    except ValueError:
        raise CLIError(f"DSI_MATCH_THRESHOLD must be a number, got {env!r}") from None


@app.command("evaluate")
def evaluate(
    names: Annotated[
        Path | None,
        typer.Option(
            help="organisations.json in the export format (default: the shipped DSI4EU sample)."
        ),
    ] = None,
    save_model: Annotated[
        Path | None, typer.Option(help="Also write the model fitted on the fit half here.")
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the generated noise.")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Measure the matcher against a plain fuzzy matcher (rapidfuzz WRatio >= 90) on real
    organisation names with generated web noise, plus organisations left out of the database
    and look-alikes. The model is fitted on one half of the organisations (split by a hash
    of their id) and figures are reported on the other, held-out half.

    Example: dsi maindb evaluate --json
    """
    from classifiers.dataset import SHIPPED_ORGANISATIONS
    from matching.evaluate import run
    from matching.model import MatchModel

    records = read_json_records(names or SHIPPED_ORGANISATIONS)
    report = run(records, seed=seed)
    if save_model is not None:
        MatchModel.from_dict(report["model"]).save(save_model)
        echo_err(f"model written to {save_model}")
    if as_json:
        typer.echo(json.dumps(report))
        return
    typer.echo(
        f"database: {report['database_entries']} organisations; threshold {report['threshold']}"
    )
    for split, title in (("held_out", "held-out half"), ("fit_in_sample", "fit half (in-sample)")):
        part = report[split]
        for who, label in (("matcher", "matcher"), ("baseline_wratio90", "WRatio>=90")):
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
    echo_err(f"reconciliation service for {len(entries)} organisations at http://{host}:{port}/")
    uvicorn.run(create_app(entries, records), host=host, port=port, log_level="warning")


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
