"""``dsi demo``: the main job on embedded defaults (sandbox web -> crawl -> SQLite -> classify)."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from crawler.cli.common import DatabaseOption, JsonOption, database_url, echo_err
from crawler.cli.crawl import summarise
from storage.items import counts_by_spider
from storage.session import redact, session_scope

DEMO_PORT = 8765


def demo(
    port: Annotated[
        int,
        typer.Option(
            help="Port of the sandbox web (sites on the next ports). "
            "Fixed so that repeated demos merge into the same rows."
        ),
    ] = DEMO_PORT,
    classify: Annotated[bool, typer.Option(help="Score the items and build candidates.")] = True,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Start the bundled sandbox web, crawl all demo sources, store, classify, and summarise.

    Example: dsi demo   (then: dsi export items --spider jobs --format csv)
    """
    from crawler.runner import crawl_sources, project_settings
    from sandbox.server import SandboxServer

    url = database_url(database)
    with SandboxServer(port=port) as sandbox:
        if sandbox.base_url != f"http://127.0.0.1:{port}":
            echo_err(
                f"port {port} is busy: sandbox on {sandbox.base_url} (rows from demos on "
                "other ports do not merge)"
            )
        echo_err(f"sandbox web on {sandbox.base_url} with {len(sandbox.site_urls)} sites")
        sources = sandbox.demo_sources()
        settings = project_settings(url, LOG_LEVEL="WARNING")
        results = summarise(crawl_sources(sources, settings))
    summary: dict[str, Any] = {
        "database": redact(url),
        "sources": results,
        "pages_fetched": sum(int(r["pages"]) for r in results),  # type: ignore[call-overload]
    }
    with session_scope(url) as session:
        summary["items"] = counts_by_spider(session)
    if classify:
        summary["classification"] = _classify(url)
    if as_json:
        typer.echo(json.dumps(summary, default=str))
    else:
        _print_summary(summary)


def _classify(url: str) -> dict[str, Any]:
    """Train from the shipped DSI4EU sample if no model is active, then score pending items."""
    from classifiers.registry import default_model_dir, ensure_model
    from crawler.classify_items import classify_stored_items
    from storage.candidates import count_candidates

    model_dir = default_model_dir()
    info = ensure_model(model_dir)
    result = classify_stored_items(url, model_dir, pending_only=True, main_database_url=url)
    with session_scope(url) as session:
        candidates = count_candidates(session)
    return {
        "model_version": info.version,
        "scored": result.scored,
        "relevant": result.relevant,
        "candidates": candidates,
        "top": [
            {
                "name": c.name,
                "kind": c.kind,
                "relevance": c.relevance,
                "technologies": c.technologies,
                "areas": c.areas,
                "explanation": c.explanation,
                "website": c.website,
            }
            for c in result.top
        ],
    }


def _print_summary(summary: dict[str, Any]) -> None:
    typer.echo(f"database: {summary['database']}")
    typer.echo(f"pages fetched: {summary['pages_fetched']}")
    for r in summary["sources"]:
        typer.echo(
            f"  {r['source']:<20} {r['spider']:<9} pages={r['pages']:<5} "
            f"items={r['items']:<5} dropped={r['dropped']} errors={r['errors']} "
            f"({r['finish_reason']})"
        )
    items = summary["items"]
    typer.echo("items stored: " + ", ".join(f"{k}={v}" for k, v in sorted(items.items())))
    cls = summary.get("classification")
    if not cls:
        return
    candidates = ", ".join(f"{k}={v}" for k, v in sorted(cls["candidates"].items()))
    typer.echo(
        f"model: {cls['model_version']}  items scored now: {cls['scored']} "
        f"(relevant: {cls['relevant']})  candidates: {candidates or 'none'}"
    )
    typer.echo("top candidates:")
    for c in cls["top"]:
        tech = ", ".join(c.get("technologies", [])[:3]) or "-"
        areas = ", ".join(c.get("areas", [])[:3]) or "-"
        why = ", ".join(c.get("explanation", [])[:5])
        typer.echo(
            f"  {c['relevance']:.2f}  {c['kind']:<12} {c['name'][:40]:<40} "
            f"tech: {tech} | areas: {areas} | why: {why}"
        )
