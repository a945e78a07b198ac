"""``dsi crawl``: run one declared source, or an ad-hoc one."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from crawler.cli.common import (
    CLIError,
    DatabaseOption,
    JsonOption,
    SourcesOption,
    database_url,
    read_sources,
)
from crawler.sources import SPIDERS, Source, adhoc_source, find_source

if TYPE_CHECKING:
    from crawler.runner import CrawlResult


def parse_options(pairs: list[str]) -> dict[str, object]:
    """``key=value`` pairs (values parsed as TOML scalars where they can be)."""
    from crawler.sources import toml_scalar

    out: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise CLIError(f"--option expects key=value, got {pair!r}")
        out[key.strip()] = toml_scalar(value)
    return out


def summarise(results: list[CrawlResult]) -> list[dict[str, object]]:
    """One summary per crawl; errors are this crawl's own (by kind), never another's."""
    from crawler.outcome import errors_by_kind, items, pages

    summaries: list[dict[str, object]] = []
    for r in results:
        errors = errors_by_kind(r.stats)
        summaries.append(
            {
                "source": r.source,
                "spider": r.spider,
                "status": r.outcome.status.value,
                "finish_reason": r.finish_reason,
                "pages": pages(r.stats),
                "items": items(r.stats),
                "dropped": r.stats.get("item_dropped_count", 0),
                "errors": sum(errors.values()),
                "stored": r.stats.get("dsi/store/written", 0),
                "spooled": r.stats.get("dsi/store/spooled", 0),
                "run_id": r.stats.get("dsi/run_id"),
                "reason": r.outcome.reason,
                "errors_by_kind": errors,
            }
        )
    return summaries


def check_redis(source: Source, redis_url: str, frontier: str | None) -> None:
    """A distributed crawl needs a spider that can share its crawl (``frontier``, see
    :mod:`crawler.frontier`) and a Redis that answers."""
    if frontier is None:
        raise CLIError(
            f"--distributed crawls jobs and website sources only ({source.name} is "
            f"{source.spider}: its spider keeps per-portal state in memory)"
        )
    if not redis_url:
        raise CLIError("--distributed needs DSI_REDIS_URL (e.g. redis://127.0.0.1:6379/0)")
    import redis

    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()
    except (redis.RedisError, ValueError) as exc:
        raise CLIError(f"Redis unreachable ({redis_url}): {exc}") from exc


def exit_for(results: list[CrawlResult]) -> None:
    """Exit with the worst crawl's code (0 only when every crawl finished)."""
    from crawler.outcome import EXIT_CODES, worst

    code = EXIT_CODES[worst(r.outcome.status for r in results)]
    if code:
        raise typer.Exit(code)


def crawl(
    name: Annotated[
        str | None, typer.Argument(help="Name of a source in the sources file.")
    ] = None,
    spider: Annotated[
        str | None, typer.Option(help=f"Ad-hoc crawl: {' | '.join(SPIDERS)}.")
    ] = None,
    url: Annotated[
        list[str] | None, typer.Option(help="Ad-hoc crawl: start URL (repeatable).")
    ] = None,
    option: Annotated[
        list[str] | None,
        typer.Option(
            "--option", "-o", help="Ad-hoc spider option key=value (repeatable), e.g. api=ckan."
        ),
    ] = None,
    allow_private_network: Annotated[
        bool, typer.Option(help="Ad-hoc crawl: allow loopback/private addresses.")
    ] = False,
    max_pages: Annotated[int | None, typer.Option(help="Override the page budget.")] = None,
    distributed: Annotated[
        bool,
        typer.Option(
            help="Share the crawl frontier in Redis ($DSI_REDIS_URL) with other workers of this "
            "source (jobs: by page; website: by site); also resumes after kill -9."
        ),
    ] = False,
    fresh: Annotated[
        bool,
        typer.Option(
            help="Start over: drop what is left of an interrupted crawl of this source instead "
            "of resuming it."
        ),
    ] = False,
    sources: SourcesOption = None,
    database: DatabaseOption = None,
    as_json: JsonOption = False,
) -> None:
    """Crawl one source from the sources file, or an ad-hoc one, into the database.

    A jobs source's crawl frontier is kept in the database as it changes: a crawl stopped
    (Ctrl-C, SIGTERM) or killed (kill -9) resumes where it was on its next run; --fresh starts
    over.

    Exit codes: 0 finished, 1 error of the command, 3 failed, 4 incomplete, 5 refused
    (private-network guard), 6 empty (no item), 7 interrupted.

    Examples: dsi crawl sandbox-jobs --sources sandbox.toml;
    dsi crawl --spider opendata --url http://127.0.0.1:8765/ckan/ -o api=ckan
    --allow-private-network
    """
    source: Source
    if name and (spider or url):
        raise CLIError("give a source NAME or --spider/--url, not both")
    if name:
        source = find_source(read_sources(sources), name)
    elif spider and url:
        opts = parse_options(option or [])
        opts["allow_private_network"] = allow_private_network
        source = adhoc_source(spider, url, **opts)
    else:
        raise CLIError("give a source NAME, or --spider and --url for an ad-hoc crawl")
    if max_pages is not None:
        from dataclasses import replace

        source = replace(source, max_pages=max_pages)
    from crawler.runner import check_sources, crawl_sources, frontier_mode, project_settings
    from crawler.scheduling import SourceBusy, SourceLock
    from storage.migrate import upgrade

    db_url = database_url(database)
    settings = project_settings(db_url, DSI_PROGRESS=True)
    check_sources([source], settings)
    upgrade(db_url)
    if distributed:  # the workers share the frontier: no run lock
        if fresh:
            raise CLIError(
                "--fresh applies to a crawl's frontier in the database, not --distributed"
            )
        check_redis(source, settings.get("DSI_REDIS_URL"), frontier_mode(settings, source))
        results = crawl_sources([source], settings, distributed=True)
    else:
        try:
            with SourceLock(db_url, source.name):  # one run of a source at a time, anywhere
                durable = settings.getbool("DSI_FRONTIER_DURABLE")
                results = crawl_sources([source], settings, durable=durable, fresh=fresh)
        except SourceBusy as exc:
            raise CLIError(str(exc)) from exc
    summary = summarise(results)
    if as_json:
        typer.echo(json.dumps(summary[0]))
    else:
        for s in summary:
            typer.echo(
                " ".join(f"{k}={v}" for k, v in s.items() if k not in ("reason", "errors_by_kind"))
            )
    exit_for(results)
