"""The store pipeline (driven synchronously here): batches, spool and replay."""

from __future__ import annotations

from pathlib import Path

from scrapy import Spider
from scrapy.utils.test import get_crawler

from crawler.items import JobAdvert
from crawler.pipelines.store import StorePipeline
from crawler.sources import source_from_mapping
from storage.items import count_items
from storage.session import session_scope


def make_crawler(settings: dict[str, object]):
    crawler = get_crawler(Spider, settings_dict=settings)
    crawler.spider = Spider(name="jobs")
    crawler.spider.dsi_source = source_from_mapping(  # type: ignore[attr-defined]
        {"name": "s1", "spider": "jobs", "urls": ["http://a.org/"]}
    )
    crawler.stats.open_spider(crawler.spider)
    return crawler


def advert(n: int) -> JobAdvert:
    return JobAdvert(
        source="s1",
        url=f"https://a.org/jobs/{n}",
        title=f"Job {n}",
        description="Build open-source tools for city participation.",
    )


def test_store_flushes_batches(sqlite_url: str) -> None:
    crawler = make_crawler({"DSI_DATABASE_URL": sqlite_url, "DSI_STORE_BATCH_SIZE": 1000})
    pipe = StorePipeline.from_crawler(crawler)
    for n in range(5):
        pipe.add(advert(n))
    pipe._flush()
    for n in range(5):  # the same adverts again: no duplicates
        pipe.add(advert(n))
    pipe._flush()
    with session_scope(sqlite_url) as s:
        assert count_items(s) == 5
    assert crawler.stats.get_value("dsi/store/written") == 10


def test_database_down_spools_and_replays(tmp_path: Path, sqlite_url: str) -> None:
    dead = "postgresql+psycopg://postgres@127.0.0.1:1/none"
    spool = tmp_path / "spool"
    crawler = make_crawler({"DSI_DATABASE_URL": dead, "DSI_SPOOL_DIR": str(spool)})
    pipe = StorePipeline.from_crawler(crawler)
    pipe.retry_delays = (0.0,)
    for n in range(3):
        pipe.add(advert(n))
    pipe._flush()
    assert len(pipe.buffer) == 3  # kept, not lost
    pipe._spool("s1")
    assert (spool / "s1.jsonl").read_text(encoding="utf-8").count("\n") == 3
    assert crawler.stats.get_value("dsi/store/spooled") == 3

    # next run, database back: the spool is replayed first and removed
    crawler2 = make_crawler({"DSI_DATABASE_URL": sqlite_url, "DSI_SPOOL_DIR": str(spool)})
    pipe2 = StorePipeline.from_crawler(crawler2)
    pipe2.open_spider(crawler2.spider)
    assert not (spool / "s1.jsonl").exists()
    with session_scope(sqlite_url) as s:
        assert count_items(s) == 3
    assert crawler2.stats.get_value("dsi/store/replayed") == 3


def test_items_added_during_a_write_are_not_lost(sqlite_url: str) -> None:
    """Regression: the batch is swapped out before the write, so concurrent adds survive."""
    import threading

    crawler = make_crawler({"DSI_DATABASE_URL": sqlite_url, "DSI_STORE_BATCH_SIZE": 10})
    pipe = StorePipeline.from_crawler(crawler)
    stop = threading.Event()

    def writer() -> None:
        while not stop.is_set():
            pipe._flush()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        for n in range(2000):
            pipe.add(advert(n))
    finally:
        stop.set()
        thread.join()
    pipe._flush()
    with session_scope(sqlite_url) as s:
        assert count_items(s) == 2000


def test_items_stored_is_sent_only_for_durable_items(sqlite_url: str) -> None:
    from crawler.extensions.signals import items_stored

    crawler = make_crawler({"DSI_DATABASE_URL": sqlite_url, "DSI_STORE_BATCH_SIZE": 1000})
    durable: list[object] = []

    def received(items: list[object], **kwargs: object) -> None:
        durable.extend(items)

    crawler.signals.connect(received, signal=items_stored)
    pipe = StorePipeline.from_crawler(crawler)
    first = [advert(n) for n in range(3)]
    for item in first:
        pipe.add(item)
    pipe._stored(pipe._write_or_keep(pipe._take()))
    assert durable == first
    # the database goes away: nothing is durable until the spool has it
    pipe.url = "postgresql+psycopg://postgres@127.0.0.1:1/none"
    pipe.retry_delays = (0.0,)
    pipe.add(advert(9))
    pipe._stored(pipe._write_or_keep(pipe._take()))
    assert len(durable) == 3 and len(pipe.buffer) == 1
