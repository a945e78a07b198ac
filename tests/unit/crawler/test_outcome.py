"""Run statuses and exit codes judged from a crawl's stats."""

from __future__ import annotations

import logging

import pytest

from crawler.logformatter import NetworkErrorsOneLine
from crawler.outcome import EXIT_CODES, Status, errors_by_kind, judge, pages, worst

ROBOTS_404 = {
    "robotstxt/response_count": 1,
    "robotstxt/response_status_count/404": 1,
    "downloader/response_status_count/404": 1,
}


def test_a_good_crawl_finishes_with_exit_0() -> None:
    stats = {"response_received_count": 11, "item_scraped_count": 30, **ROBOTS_404}
    outcome = judge("finished", stats)
    assert outcome.status == Status.FINISHED and outcome.exit_code == 0
    assert pages(stats) == 10
    assert errors_by_kind(stats) == {}  # the robots.txt 404 is not an error


def test_start_url_404_without_items_failed() -> None:
    stats = {
        "response_received_count": 2,
        **ROBOTS_404,
        "downloader/response_status_count/404": 2,
    }
    outcome = judge("finished", stats)
    assert outcome.status == Status.FAILED and outcome.exit_code == 3
    assert "http/404=1" in outcome.reason


def test_connection_refused_everywhere_failed() -> None:
    stats = {"downloader/exception_type_count/scrapy.exceptions.DownloadConnectionRefusedError": 3}
    outcome = judge("finished", stats)
    assert outcome.status == Status.FAILED
    assert "download/DownloadConnectionRefusedError=3" in outcome.reason


def test_private_network_refusal() -> None:
    stats = {
        "dsi/network/private_refused": 1,
        "downloader/exception_type_count/scrapy.exceptions.IgnoreRequest": 1,
    }
    outcome = judge("finished", stats)
    assert outcome.status == Status.REFUSED and outcome.exit_code == 5
    assert errors_by_kind(stats) == {}
    assert "allow_private_network" in outcome.reason


def test_pages_without_items_empty_unless_expected() -> None:
    stats = {"response_received_count": 4}
    assert judge("finished", stats).status == Status.EMPTY
    assert judge("finished", stats).exit_code == 6
    assert judge("finished", stats, may_be_empty=True).status == Status.FINISHED


def test_lost_data_makes_the_run_incomplete() -> None:
    stats = {"response_received_count": 4, "item_scraped_count": 9, "dsi/lost/truncated": 2}
    outcome = judge("finished", stats)
    assert outcome.status == Status.INCOMPLETE and outcome.exit_code == 4
    assert "lost/truncated=2" in outcome.reason


def test_spooled_items_incomplete_until_replayed() -> None:
    stats = {"response_received_count": 4, "item_scraped_count": 9, "dsi/store/spooled": 9}
    assert judge("finished", stats).status == Status.INCOMPLETE
    assert judge("finished", stats, spool_replayed=True).status == Status.FINISHED


@pytest.mark.parametrize(
    ("reason", "status"),
    [("shutdown", Status.INTERRUPTED), ("incomplete", Status.FAILED), ("cancelled", Status.FAILED)],
)
def test_finish_reasons(reason: str, status: Status) -> None:
    assert judge(reason, {"item_scraped_count": 5}).status == status


def test_codes_are_distinct_and_worst_wins() -> None:
    assert len(set(EXIT_CODES.values())) == len(EXIT_CODES)
    assert 1 not in EXIT_CODES.values() and 2 not in EXIT_CODES.values()
    assert worst(["finished", "empty", "failed"]) == Status.FAILED
    assert worst(["finished", "incomplete"]) == Status.INCOMPLETE
    assert worst([]) == Status.FINISHED


def test_network_errors_are_logged_as_one_line() -> None:
    from scrapy.exceptions import DownloadConnectionRefusedError

    try:
        raise DownloadConnectionRefusedError("111: Connection refused.")
    except DownloadConnectionRefusedError:
        import sys

        record = logging.LogRecord(
            "scrapy.core.scraper",
            logging.ERROR,
            __file__,
            1,
            "Error downloading %s",
            ("<GET http://x/>",),
            sys.exc_info(),
        )
    assert NetworkErrorsOneLine().filter(record)
    assert record.exc_info is None
    assert record.getMessage() == "Error downloading <GET http://x/>: 111: Connection refused."


def test_bugs_keep_their_traceback() -> None:
    try:
        raise KeyError("x")
    except KeyError:
        import sys

        record = logging.LogRecord(
            "scrapy.core.scraper", logging.ERROR, __file__, 1, "m", (), sys.exc_info()
        )
    NetworkErrorsOneLine().filter(record)
    assert record.exc_info is not None


def test_a_late_worker_of_a_distributed_crawl_finishes() -> None:
    joined = {"dsi/frontier/joined": 1}
    outcome = judge("finished", joined)
    assert outcome.status == Status.FINISHED and "distributed" in outcome.reason
    assert judge("finished", {}).status == Status.FAILED  # alone, fetching nothing is a failure
    refused = {**joined, "downloader/exception_type_count/x.DownloadConnectionRefusedError": 2}
    assert judge("finished", refused).status == Status.FAILED
