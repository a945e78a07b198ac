"""``dsi candidates``: the candidate organisations and projects, from the terminal."""

from __future__ import annotations

import csv
import io
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from crawler.cli.common import CLIError, DatabaseOption, JsonOption, database_url, echo_err
from storage.candidates import evidence_counts, evidence_items, keys_of, list_candidates
from storage.models import Candidate
from storage.session import session_scope

app = typer.Typer(
    help="Candidate organisations and projects for the main database.", no_args_is_help=True
)

STATUSES = ("pending", "accepted", "rejected", "merged", "snoozed")


class Format(StrEnum):
    json = "json"
    csv = "csv"


StatusOption = Annotated[
    str | None,
    typer.Option("--status", help=f"Only this status ({', '.join(STATUSES)}).", show_default=False),
]
KindOption = Annotated[
    str | None,
    typer.Option("--kind", help="Only organisations or projects.", show_default=False),
]
#: columns of ``list`` and ``export``, in order
COLUMNS = (
    "id", "kind", "status", "name", "website", "country", "city", "relevance", "technologies",
    "areas", "social_links", "evidence", "match_id", "match_best_id", "match_score",
    "match_reasons",
)  # fmt: skip


def _check(status: str | None, kind: str | None) -> None:
    if status is not None and status not in STATUSES:
        raise CLIError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
    if kind is not None and kind not in ("organisation", "project"):
        raise CLIError(f"unknown kind {kind!r}: use 'organisation' or 'project'")


def _row(c: Candidate, evidence: int) -> dict[str, Any]:
    return {
        "id": c.id,
        "kind": c.kind,
        "status": c.status,
        "name": c.name,
        "website": c.website,
        "country": c.country,
        "city": c.city,
        "relevance": c.relevance,
        "technologies": list((c.technologies or {}).keys()),
        "areas": list((c.areas or {}).keys()),
        "social_links": dict(c.social_links or {}),
        "evidence": evidence,
        "match_id": c.match_id,
        "match_best_id": c.match_best_id,
        "match_score": c.match_score,
        "match_reasons": list(c.match_reasons or []),
    }


def _rows(
    url: str, status: str | None, kind: str | None, limit: int | None
) -> list[dict[str, Any]]:
    _check(status, kind)
    with session_scope(url) as session:
        found = list_candidates(session, status=status, kind=kind, limit=limit)
        counts = evidence_counts(session, [c.id for c in found])
        return [_row(c, counts.get(c.id, 0)) for c in found]


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        flat = dict(row)
        flat["technologies"] = "; ".join(row["technologies"])
        flat["areas"] = "; ".join(row["areas"])
        flat["social_links"] = " ".join(row["social_links"].values())
        flat["match_reasons"] = "; ".join(row["match_reasons"])
        writer.writerow(flat)
    return buffer.getvalue()


@app.command("list")
def list_(
    status: StatusOption = None,
    kind: KindOption = None,
    limit: Annotated[int, typer.Option(help="At most this many.")] = 100,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """List candidates (one per organisation or project) with their main-database match.

    Example: dsi candidates list --status pending --kind organisation
    """
    rows = _rows(database_url(database), status, kind, limit)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    for r in rows:
        match = (
            f"match {r['match_id']} ({r['match_score']:.2f})"
            if r["match_id"] is not None
            else "new"
        )
        relevance = f"{r['relevance']:.2f}" if r["relevance"] is not None else "-"
        typer.echo(
            f"{r['id']:>5}  {r['kind'][:3]}  {r['status']:<8}  {relevance:>4}  {r['name'][:50]:<50}"
            f"  {r['website'] or '-'}  [{r['evidence']} items, {match}]"
        )
    if not rows:
        echo_err("no candidates")


@app.command("show")
def show(
    candidate_id: Annotated[int, typer.Argument(help="The candidate's id.")],
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one candidate: fields, identity keys, social links, evidence items and why it
    matches (or not) a main-database entry.

    Example: dsi candidates show 12 --json
    """
    with session_scope(database_url(database)) as session:
        candidate = session.get(Candidate, candidate_id)
        if candidate is None:
            raise CLIError(f"no candidate {candidate_id}")
        items = evidence_items(session, candidate_id)
        detail = _row(candidate, len(items))
        detail["keys"] = keys_of(session, candidate_id)
        detail["items"] = [
            {"id": i.id, "spider": i.spider, "source": i.source, "url": i.url, "title": i.title}
            for i in items
        ]
    if as_json:
        typer.echo(json.dumps(detail, ensure_ascii=False))
        return
    for key in ("id", "kind", "status", "name", "website", "country", "city", "relevance"):
        typer.echo(f"{key}: {detail[key]}")
    typer.echo("social: " + (" ".join(detail["social_links"].values()) or "-"))
    typer.echo("keys: " + " ".join(detail["keys"]))
    if detail["match_score"] is None:
        typer.echo("main database: no entry comes close")
    else:
        verdict = (
            f"entry {detail['match_id']}"
            if detail["match_id"] is not None
            else f"no match (closest: entry {detail['match_best_id']}, below the threshold)"
        )
        typer.echo(f"main database: {verdict} (best score {detail['match_score']:.2f})")
        for reason in detail["match_reasons"]:
            typer.echo(f"  - {reason}")
    typer.echo(f"evidence ({len(detail['items'])} items):")
    for item in detail["items"]:
        typer.echo(f"  {item['id']:>6} {item['spider']:<8} {item['title'] or ''}  {item['url']}")


@app.command("export")
def export(
    status: StatusOption = None,
    kind: KindOption = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.json,
    out: Annotated[Path | None, typer.Option(help="Write to this file (default: stdout).")] = None,
    database: DatabaseOption = None,
) -> None:
    """Export candidates as JSON (a list) or CSV (one row each; lists joined with "; ").

    Example: dsi candidates export --status accepted --format csv --out accepted.csv
    """
    rows = _rows(database_url(database), status, kind, None)
    text = (
        json.dumps(rows, ensure_ascii=False, indent=1) + "\n"
        if format == Format.json
        else _csv(rows)
    )
    if out is None:
        typer.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    echo_err(f"{len(rows)} candidates written to {out}")
