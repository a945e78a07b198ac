"""Checks of a run against the median of the source's last good runs."""

from __future__ import annotations

from typing import Any

from crawler.checks import Thresholds, health, run_checks


def stats(
    items: int,
    *,
    country: int | None = None,
    errors: int = 0,
    requests: int = 100,
    scored: int = 0,
    positive: int = 0,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "item_scraped_count": items,
        "downloader/request_count": requests,
        "dsi/fields/title": items,
    }
    if country is not None:
        out["dsi/fields/location_country"] = country
    if errors:
        out["downloader/response_status_count/500"] = errors
    if scored:
        out["dsi/classify/scored"] = scored
        out["dsi/classify/positive"] = positive
    return out


HISTORY = [stats(100, country=90, errors=1, scored=50, positive=10) for _ in range(3)]


def by_name(checks: list[Any]) -> dict[str, Any]:
    return {c.name: c for c in checks}


def test_a_run_like_its_history_is_ok() -> None:
    checks = run_checks(stats(98, country=88, errors=1, scored=50, positive=11), HISTORY)
    assert health(checks) == "ok", [c for c in checks if c.status != "ok"]
    assert by_name(checks)["item_count"].baseline == 100


def test_zero_items_fails() -> None:
    checks = by_name(run_checks(stats(0), HISTORY))
    assert checks["zero_items"].status == "fail"
    assert checks["item_count"].status == "fail"


def test_zero_items_only_warns_without_history_or_when_expected() -> None:
    assert by_name(run_checks(stats(0), []))["zero_items"].status == "warn"
    checks = by_name(run_checks(stats(0), HISTORY, may_be_empty=True))
    assert checks["zero_items"].status == "warn" and checks["item_count"].status == "ok"


def test_item_count_drop() -> None:
    assert by_name(run_checks(stats(65), HISTORY))["item_count"].status == "warn"
    assert by_name(run_checks(stats(40), HISTORY))["item_count"].status == "fail"


def test_field_coverage_drop() -> None:
    checks = by_name(run_checks(stats(100, country=40), HISTORY))
    assert checks["coverage/location_country"].status == "fail"
    assert checks["coverage/location_country"].baseline == 0.9
    assert (
        by_name(run_checks(stats(100, country=72), HISTORY))["coverage/location_country"].status
        == "warn"
    )


def test_runs_without_field_counts_are_no_coverage_baseline() -> None:
    old = [{"item_scraped_count": 100, "downloader/request_count": 100}]
    checks = by_name(run_checks(stats(100, country=10), old))
    assert "coverage/location_country" not in checks


def test_error_rate() -> None:
    assert by_name(run_checks(stats(100, errors=8), HISTORY))["error_rate"].status == "warn"
    assert by_name(run_checks(stats(100, errors=30), HISTORY))["error_rate"].status == "fail"


def test_dsi_positive_rate_shift_either_way() -> None:
    up = by_name(run_checks(stats(100, scored=50, positive=30), HISTORY))
    assert up["dsi_positive_rate"].status == "fail"
    down = by_name(run_checks(stats(100, scored=50, positive=4), HISTORY))
    assert down["dsi_positive_rate"].status == "warn"
    unscored = by_name(run_checks(stats(100), HISTORY))
    assert unscored["dsi_positive_rate"].status == "skipped"


def test_only_the_last_good_runs_count() -> None:
    history = [stats(100)] * 2 + [stats(10)] * 10  # latest first
    checks = by_name(run_checks(stats(95), history, thresholds=Thresholds(history=3)))
    assert checks["item_count"].baseline == 100


def test_a_resumed_run_is_not_held_to_a_whole_crawls_item_count() -> None:
    resumed = {**stats(20, country=18, errors=0), "dsi/frontier/resumed": 1}
    checks = by_name(run_checks(resumed, HISTORY))
    assert checks["item_count"].status == "skipped"
    assert checks["zero_items"].status == "ok"
    # nor is a later whole run compared with the resumed one's few items
    later = by_name(run_checks(stats(100, country=90), [resumed, *HISTORY]))
    assert later["item_count"].status == "ok" and later["item_count"].baseline == 100
