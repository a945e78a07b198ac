"""One crawl of the benchmark, in a process of its own (one Twisted reactor per process).

``python -m crawler.bench.child CONFIG.json``: ``mode`` is ``bare`` (the baseline spider,
Scrapy's defaults, no pipelines) or ``pipeline`` (the project's spider with every pipeline and
extension, as ``dsi crawl`` runs it); the probe writes the measurements to ``probe_file``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def common_settings(config: dict[str, Any]) -> dict[str, Any]:
    """The settings both crawls share: concurrency, no throttling, quiet logs, the probe."""
    return {
        "CONCURRENT_REQUESTS": config["concurrency"],
        "CONCURRENT_REQUESTS_PER_DOMAIN": config["concurrency"],
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "ROBOTSTXT_OBEY": True,
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
        "DSI_BENCH_PROBE_FILE": config["probe_file"],
        "DSI_BENCH_PROBE_INTERVAL": config.get("interval", 1.0),
    }


def run_bare(config: dict[str, Any]) -> None:
    from scrapy.crawler import CrawlerProcess

    from crawler.bench.bare import BareSpider

    settings = {
        **common_settings(config),
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "EXTENSIONS": {"crawler.bench.probe.Probe": 100},
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    }
    process = CrawlerProcess(settings)
    process.crawl(BareSpider, urls=config["urls"])
    process.start()


def run_pipeline(config: dict[str, Any]) -> None:
    from crawler.runner import crawl_sources, project_settings
    from crawler.sources import adhoc_source

    settings = project_settings(config["database_url"], **common_settings(config))
    extensions = {**settings.getdict("EXTENSIONS"), "crawler.bench.probe.Probe": 900}
    if config.get("trace_file"):  # ``--trace-memory``: see crawler.bench.memtrace
        extensions["crawler.bench.memtrace.MemoryTrace"] = 950
        settings.set("DSI_BENCH_TRACE_FILE", config["trace_file"], priority="cmdline")
        settings.set("DSI_BENCH_TRACE_AT", config["trace_at"], priority="cmdline")
    settings.set("EXTENSIONS", extensions, priority="cmdline")
    for key, value in config.get("settings", {}).items():
        settings.set(key, value, priority="cmdline")
    source = adhoc_source(
        config["spider"],
        config["urls"],
        allow_private_network=True,
        max_pages=config["max_pages"],
        **config.get("options", {}),
    )
    # as ``dsi crawl`` runs it: the jobs spider's frontier kept in the database
    durable = settings.getbool("DSI_FRONTIER_DURABLE")
    (result,) = crawl_sources([source], settings, durable=durable, fresh=True)
    Path(config["probe_file"] + ".outcome").write_text(result.outcome.status.value)


def main() -> None:
    config = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    if config["mode"] == "bare":
        run_bare(config)
    else:
        run_pipeline(config)


if __name__ == "__main__":
    main()
