"""The de-duplication pipeline: repeats of a URL dropped, duplicates counted."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import JobAdvert

TEXT = "We are hiring a developer for our civic reporting platform."


# --- pipeline ---------------------------------------------------------------------------------
def _job(url: str, text: str = TEXT, org: str = "Acme") -> JobAdvert:
    return JobAdvert(
        source="s", url=url, title="Civic Tech Developer", hiring_organization=org, description=text
    )


def test_pipeline_drops_same_url_repeats_and_counts_duplicates() -> None:
    from crawler.pipelines.dedupe import DedupePipeline

    crawler = get_crawler(settings_dict={"DSI_DEDUPE_REGROUP": False})
    crawler.stats.open_spider()
    pipe = DedupePipeline.from_crawler(crawler)
    pipe.process_item(_job("https://a.example/jobs/1"))
    with pytest.raises(DropItem):
        pipe.process_item(_job("https://a.example/jobs/1?utm_source=x"))
    pipe.process_item(_job("https://b.example/jobs/9"))  # same content elsewhere: kept
    other = object()
    assert pipe.process_item(other) is other  # not a job advert: untouched
    stats = crawler.stats.get_stats()
    assert stats["dsi/dedupe/dropped_same_url"] == 1
    assert stats["dsi/dedupe/exact"] == 1


def test_pipeline_can_be_switched_off() -> None:
    from scrapy.exceptions import NotConfigured

    from crawler.pipelines.dedupe import DedupePipeline

    with pytest.raises(NotConfigured):
        DedupePipeline.from_crawler(get_crawler(settings_dict={"DSI_DEDUPE_ENABLED": False}))


def test_signatures_computed_ahead_do_not_outlive_their_items() -> None:
    from scrapy import Spider, signals

    from crawler.dedupe import AheadBook, signature
    from crawler.pipelines.dedupe import DedupePipeline

    crawler = get_crawler(settings_dict={"DSI_DEDUPE_REGROUP": False})
    crawler.stats.open_spider()
    spider = Spider(name="jobs")
    spider.dedupe_ahead = AheadBook()  # type: ignore[attr-defined]
    pipe = DedupePipeline.from_crawler(crawler)
    jobs = [_job(f"https://a.example/jobs/{n}") for n in (1, 1, 2)]
    sigs = [signature(url=j.url, employer="Acme", title=j.title, description=TEXT) for j in jobs]
    for job, sig in zip(jobs, sigs, strict=True):
        spider.dedupe_ahead.put(job, sig)  # type: ignore[attr-defined]
    kept = sigs[0]
    pipe.process_item(jobs[0], spider)
    with pytest.raises(DropItem):  # a repeat: its signature goes with it
        pipe.process_item(jobs[1], spider)
    # the first one's stays for the store pipeline, which keeps it with the advert
    assert spider.dedupe_ahead.take(jobs[0]) is kept  # type: ignore[attr-defined]
    assert len(spider.dedupe_ahead) == 1  # type: ignore[attr-defined]
    # dropped before this pipeline (e.g. by validation): forgotten on Scrapy's signal
    crawler.signals.send_catch_log(
        signals.item_dropped, item=jobs[2], response=None, exception=DropItem("x"), spider=spider
    )
    assert len(spider.dedupe_ahead) == 0  # type: ignore[attr-defined]
    assert len(pipe.index) == 1
