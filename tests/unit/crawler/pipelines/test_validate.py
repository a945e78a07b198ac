"""The validate pipeline: items without a URL or title are dropped and counted."""

from __future__ import annotations

import pytest
from scrapy import Spider
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.items import JobAdvert, OpenDataRecord, WebsiteProfile
from crawler.pipelines.validate import ValidatePipeline


def test_validate_drops_and_counts() -> None:
    crawler = get_crawler(Spider)
    crawler.stats.open_spider()
    pipe = ValidatePipeline.from_crawler(crawler)
    job = JobAdvert(source="s1", url="https://a.org/jobs/1", title="Job 1")
    assert pipe.process_item(job) is job
    with pytest.raises(DropItem):
        pipe.process_item(JobAdvert(source="s1", url="https://a.org/x", title=""))
    with pytest.raises(DropItem):
        pipe.process_item(JobAdvert(source="s1", url="mailto:x@a.org", title="t"))
    with pytest.raises(DropItem):
        pipe.process_item({"title": "a dict"})
    # website profiles are named by name or site, datasets by title
    pipe.process_item(WebsiteProfile(source="s1", url="https://a.org/", site="https://a.org"))
    pipe.process_item(
        OpenDataRecord(
            source="s1",
            url="https://d.org/dataset/x",
            portal_url="https://d.org",
            kind="dataset",
            dataset_id="x",
            title="Air quality",
        )
    )
    stats = crawler.stats.get_stats()
    assert stats["dsi/validate/dropped/no_title"] == 1
    assert stats["dsi/validate/dropped/no_url"] == 1
    assert stats["dsi/validate/dropped/not_a_dsi_item"] == 1
