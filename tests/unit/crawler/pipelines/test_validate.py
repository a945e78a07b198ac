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
    # website profiles are named by title, name or (when a page was read) site
    pipe.process_item(
        WebsiteProfile(
            source="s1", url="https://a.org/", site="https://a.org", pages=["https://a.org/"]
        )
    )
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


def test_unreachable_site_stores_no_empty_profile() -> None:
    """A site none of whose pages could be read yields a profile without title or pages (its
    warnings say why); it is dropped, never stored empty (issue #19)."""
    from tests.spiders.website_cases import crawl_case

    items, _, _ = crawl_case("dead_home")
    (profile,) = items
    assert profile.pages == [] and profile.title is None and profile.warnings
    crawler = get_crawler(Spider)
    crawler.stats.open_spider()
    with pytest.raises(DropItem):
        ValidatePipeline.from_crawler(crawler).process_item(profile)
    assert crawler.stats.get_value("dsi/validate/dropped/no_title") == 1
