"""``dsi review``: the curator review web app, and its benchmark (``dsi bench review``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

import typer

from crawler.cli.common import DatabaseOption, JsonOption, database_url, echo_err

app = typer.Typer(help="Curator review web app.", no_args_is_help=True)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    secure_cookies: Annotated[
        bool, typer.Option(help="Send cookies only over HTTPS (behind a TLS proxy).")
    ] = False,
    database: DatabaseOption = None,
) -> None:
    """Serve the review app: sign in, the queue, candidates, decisions, undo, audit, agreement.

    Add people first with `dsi users add`. The JSON API is described at /openapi.json.
    Settings: DSI_REVIEW_SESSION_HOURS (12), DSI_REVIEW_OVERLAP (0.05, the share of candidates
    two curators decide independently), DSI_REVIEW_LOGIN_ATTEMPTS/_WINDOW (5 per 300 s).

    Example: dsi review serve --host 127.0.0.1 --port 8000
    """
    import uvicorn

    from classifiers.taxonomy import load_taxonomy
    from crawler import settings
    from review.app import create_app
    from storage.review_queue import mark_overlap, refresh_queue, unqueued_ids
    from storage.session import session_scope

    url = database_url(database)
    with session_scope(url) as session:
        added = refresh_queue(session, unqueued_ids(session))
        mark_overlap(session, settings.DSI_REVIEW_OVERLAP)
    if added:
        echo_err(f"queued {added} new candidates")
    app_ = create_app(
        url,
        session_hours=settings.DSI_REVIEW_SESSION_HOURS,
        overlap_share=settings.DSI_REVIEW_OVERLAP,
        login_attempts=settings.DSI_REVIEW_LOGIN_ATTEMPTS,
        login_window=settings.DSI_REVIEW_LOGIN_WINDOW,
        secure_cookies=secure_cookies,
        label_check=_known_label(load_taxonomy()),
    )
    echo_err(f"review app on http://{host}:{port}/")
    uvicorn.run(app_, host=host, port=port, log_level="warning", server_header=False)


def _known_label(taxonomy: Any) -> Callable[[str, str], bool]:
    """Whether `dsi train --decisions` can read a label a curator typed."""

    def known(task: str, name: str) -> bool:
        return taxonomy.map_tag(task, name) is not None

    return known


@app.command()
def reindex(database: DatabaseOption = None) -> None:
    """Rebuild every candidate's queue row (priorities, facets, search text).

    `dsi classify` keeps the rows of the candidates it scores current; run this after changing
    candidates by other means.

    Example: dsi review reindex
    """
    from storage.review_queue import refresh_queue
    from storage.session import session_scope

    with session_scope(database_url(database)) as session:
        n = refresh_queue(session)
    typer.echo(f"{n} queue rows rebuilt")


def bench_review(
    candidates: Annotated[int, typer.Option(help="Generated candidates.")] = 100_000,
    postgres: Annotated[
        str | None,
        typer.Option(help="Also measure on PostgreSQL (a temporary schema in this database)."),
    ] = None,
    repeat: Annotated[int, typer.Option(help="Requests per page.")] = 5,
    as_json: JsonOption = False,
) -> None:
    """Queue-page p95 latency at --candidates generated candidates, SQLite (and PostgreSQL).

    Pages go through the whole app (session, query, template): 8 queries (each order, filters,
    search) x 3 pages (keyset) x --repeat. Baseline in the same run and database: OFFSET paging
    40 pages deep plus a COUNT of the query on every page, without rendering.

    Example: dsi bench review --candidates 100000 --postgres postgresql+psycopg://postgres@127.0.0.1/test
    """
    from review.bench import bench_database, generate, measure

    results = {}
    for name, pg in (("sqlite", None), ("postgresql", postgres)):
        if name == "postgresql" and not pg:
            continue
        with bench_database(pg) as url:
            generate(url, candidates)
            results[name] = {"candidates": candidates, **measure(url, repeat=repeat)}
    if as_json:
        typer.echo(json.dumps(results))
        return
    for name, r in results.items():
        typer.echo(
            f"{name}: {r['candidates']} candidates, {r['requests']} queue pages: "
            f"p95 {r['p95_ms']} ms (median {r['median_ms']} ms); baseline p95 "
            f"{r['baseline_p95_ms']} ms, ratio {r['ratio_to_baseline']}"
        )
