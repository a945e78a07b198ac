"""The run recorder: statuses, field counts, and run ends kept while the database is away."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from scrapy.utils.test import get_crawler

from crawler.extensions.runs import RunRecorder, filled_fields
from crawler.items import JobAdvert
from storage.models import CrawlRun
from storage.runs import start_run
from storage.session import session_scope

DEAD = "postgresql+psycopg://postgres@127.0.0.1:1/none"


def spider(name: str = "board") -> Any:
    return SimpleNamespace(name="jobs", dsi_source=SimpleNamespace(name=name))


def test_filled_fields_count_values_not_blanks() -> None:
    advert = JobAdvert(
        source="s", url="https://a.org/j/1", title="Dev", location_country="DE", remote=False
    )
    fields = filled_fields(advert)
    assert {"title", "location_country", "remote"} <= set(fields)
    assert "location_city" not in fields and "description" not in fields
    assert "url" not in fields and "raw" not in fields


def recorder(url: str, spool: Path) -> RunRecorder:
    rec = RunRecorder.from_crawler(
        get_crawler(settings_dict={"DSI_DATABASE_URL": url, "DSI_SPOOL_DIR": str(spool)})
    )
    assert rec.crawler.stats is not None
    rec.crawler.stats.open_spider(None)
    return rec


def crawl_stats() -> dict[str, Any]:
    return {
        "item_scraped_count": 3,
        "response_received_count": 2,
        "dsi/store/spooled": 3,
    }


def test_run_end_spooled_then_recorded_finished_after_replay(
    sqlite_url: str, tmp_path: Path
) -> None:
    spool = tmp_path / "spool"
    with session_scope(sqlite_url) as s:
        run_id = start_run(s, source="board", spider="jobs").id
    # the run closes while its database is unreachable: its end goes beside the spool
    down = recorder(DEAD, spool)
    down.run_id = run_id
    assert down.crawler.stats is not None
    for key, value in crawl_stats().items():
        down.crawler.stats.set_value(key, value)
    (spool).mkdir()
    (spool / "board.jsonl").write_text("{}\n")  # the items the store pipeline spooled
    down.spider_closed(spider(), "finished")
    (end,) = [json.loads(x) for x in (spool / "board.run-ends.jsonl").read_text().splitlines()]
    assert end["run_id"] == run_id

    # the next run: the pipeline replayed the items (spool gone), then the recorder opens
    (spool / "board.jsonl").unlink()
    recorder(sqlite_url, spool).spider_opened(spider())
    with session_scope(sqlite_url) as s:
        first = s.get(CrawlRun, run_id)
        assert first is not None
        assert first.status == "finished"  # complete: never "interrupted"
        assert first.stats["dsi/store/spooled"] == 3
    assert not (spool / "board.run-ends.jsonl").exists()


def test_run_end_with_items_still_spooled_is_incomplete(sqlite_url: str, tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    spool.mkdir()
    with session_scope(sqlite_url) as s:
        run_id = start_run(s, source="board", spider="jobs").id
    end = {"run_id": run_id, "reason": "finished", "stats": crawl_stats()}
    (spool / "board.run-ends.jsonl").write_text(json.dumps(end) + "\n")
    (spool / "board.jsonl").write_text("{}\n")  # not replayed: the database was down again
    recorder(sqlite_url, spool).spider_opened(spider())
    with session_scope(sqlite_url) as s:
        first = s.get(CrawlRun, run_id)
        assert first is not None and first.status == "incomplete"
        assert "spool" in (first.error or "")
