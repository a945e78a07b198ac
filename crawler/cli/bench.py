"""``dsi bench crawl`` (the crawl pipeline against a bare Scrapy spider on a generated web) and
``dsi bench store`` (bulk upserts against a plain INSERT)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from crawler.cli.common import CLIError, echo_err

JsonFileOption = Annotated[
    Path | None,
    typer.Option("--json", help="Write every figure, baselines and ratios, to this file."),
]

_COLUMNS = [
    ("spider", "spider"),
    ("pages", "pages"),
    ("pages_per_s", "pages/s"),
    ("baseline.pages_per_s", "bare pages/s"),
    ("ratio", "ratio"),
    ("target", "target"),
    ("seconds_after_close", "s after close"),
    ("cpu_ms_per_page", "CPU ms/page"),
    ("baseline.cpu_ms_per_page", "bare CPU ms/page"),
    ("peak_rss_mb", "peak RSS MB"),
    ("peak_pss_mb", "peak PSS MB"),
    ("baseline.peak_rss_mb", "bare RSS MB"),
    ("mb_per_10k_pages", "MB/10k pages"),
    ("pss_mb_per_10k_pages", "PSS MB/10k"),
    ("server.capacity_requests_per_cpu_s", "server req/CPU s"),
]


def bench_crawl(
    spider: Annotated[
        str,
        typer.Option(help="jobs | website | opendata | all (each kind is its own pair of crawls)."),
    ] = "all",
    pages: Annotated[
        int,
        typer.Option(help="Pages of the generated web per spider kind (20000: the full size)."),
    ] = 3000,
    concurrency: Annotated[int, typer.Option(help="Concurrent requests of both crawls.")] = 16,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            help="Store the pipeline's items here (default: a fresh SQLite file per kind); "
            "a PostgreSQL database should be a throwaway one.",
            show_default=False,
        ),
    ] = None,
    json_file: JsonFileOption = None,
    trace_memory: Annotated[
        bool,
        typer.Option(
            "--trace-memory",
            help="Also trace where the pipeline crawl's memory goes: each process's RSS, and "
            "the allocation sites of the crawl process that grew past warm-up (tracemalloc; "
            "it slows that crawl, so its speed figures are not the crawl's).",
        ),
    ] = False,
) -> None:
    """Pages/s of the whole pipeline (spider, extraction, normalisation, dedupe, database
    writes) against a bare Scrapy spider following the same links of the same pages, in the
    same run, on a generated web served from its own process on 127.0.0.1 (job adverts with a
    median of ~84 KB, organisation pages of ~50 KB, a CKAN portal's package_search pages of 20
    datasets, ~90 KB). Also: CPU ms per page; peak memory of the crawl's processes and its
    growth per 10,000 pages, as RSS (summed over the processes) and PSS (pages the parsing
    workers share with their fork server counted once); the server's capacity.

    Example: dsi bench crawl --spider jobs --pages 3000 --json bench.json
    """
    from crawler.bench.crawl import KINDS, BenchError, Plan, run_crawl_bench
    from crawler.bench.report import print_table

    kinds = list(KINDS) if spider == "all" else [spider]
    if any(k not in KINDS for k in kinds):
        raise CLIError(f"--spider must be one of {', '.join(KINDS)} or all, not {spider!r}")
    if pages < 50:
        raise CLIError(f"--pages must be at least 50 (got {pages})")
    if concurrency < 1:
        raise CLIError(f"--concurrency must be at least 1 (got {concurrency})")
    echo_err(f"crawl benchmark: {', '.join(kinds)}, {pages} pages each (a few minutes)")
    try:
        result: dict[str, Any] = run_crawl_bench(
            kinds,
            Plan(
                pages=pages,
                concurrency=concurrency,
                database_url=database_url,
                trace_memory=trace_memory,
            ),
        )
    except BenchError as exc:
        raise CLIError(str(exc)) from None
    print_table(f"dsi bench crawl ({pages} pages per kind)", result["spiders"], _COLUMNS)
    if trace_memory:
        _print_traces(result["spiders"])
    if json_file is not None:
        json_file.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        echo_err(f"figures written to {json_file}")


def _where(frames: list[str]) -> str:
    """The innermost three frames of an allocation, file names without their folders."""
    return " < ".join(frame.rsplit("/", 1)[-1] for frame in reversed(frames[-3:]))


def _print_traces(entries: list[dict[str, Any]]) -> None:
    """Each traced kind's processes and the allocation sites that grew most."""
    from crawler.bench.report import print_table

    for entry in entries:
        trace = entry.get("memory_trace")
        if not trace:
            continue
        print_table(
            f"{entry['spider']}: RSS of each process (speed figures of this run are traced)",
            trace["processes"],
            [("role", "process"), ("peak_rss_mb", "peak RSS MB"), ("mb_per_10k_pages", "MB/10k")],
        )
        pages = trace["snapshots_at_pages"]
        rows = [{**site, "where": _where(site["frames"])} for site in trace["growth"][:15]]
        span = f"pages {pages[0]} to {pages[1]}" if pages else "no snapshot"
        print_table(
            f"{entry['spider']}: crawl process allocations that grew most ({span})",
            rows,
            [("kb", "KB"), ("blocks", "blocks"), ("where", "made at (innermost first)")],
        )


def bench_store(
    rows: Annotated[int, typer.Option(help="Rows written (twice by the upsert).")] = 20000,
    batch: Annotated[int, typer.Option(help="Rows per transaction (the store's default).")] = 100,
    postgres: Annotated[
        str | None,
        typer.Option(
            "--postgres",
            help="Also measure PostgreSQL at this URL (in a throwaway schema, dropped after).",
            show_default=False,
        ),
    ] = None,
    json_file: JsonFileOption = None,
) -> None:
    """Rows/s of the store's idempotent bulk upsert (new rows, then the same rows again, as a
    re-crawl writes them) against a plain INSERT of the same rows (executemany, as the
    upsert), in the same run, on SQLite (and PostgreSQL with --postgres).

    Example: dsi bench store --rows 20000 --postgres postgresql+psycopg://postgres@127.0.0.1/test
    """
    from crawler.bench.report import print_table
    from crawler.bench.store import bench_store as measure

    if rows < 1 or batch < 1:
        raise CLIError("--rows and --batch must be at least 1")
    try:
        entries = measure(rows, batch, postgres)
    except Exception as exc:  # an unreachable database, a refused schema
        raise CLIError(f"store benchmark failed: {exc}") from None
    columns = [
        ("database", "database"),
        ("rows", "rows"),
        ("upsert_new_rows_per_s", "upsert rows/s"),
        ("upsert_again_rows_per_s", "re-upsert rows/s"),
        ("baseline.rows_per_s", "INSERT rows/s"),
        ("ratio", "ratio"),
        ("ratio_again", "ratio again"),
        ("rows_stored_after_two_upserts", "rows stored"),
    ]
    print_table(f"dsi bench store ({rows} rows, batches of {batch})", entries, columns)
    if json_file is not None:
        result = {"benchmark": "store", "databases": entries}
        json_file.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        echo_err(f"figures written to {json_file}")
