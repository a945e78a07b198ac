"""Liveliness score of a site."""

from __future__ import annotations

from datetime import date

from spiders.parsers.liveliness import LivelinessInput, liveliness


def test_liveliness_formula() -> None:
    today = date(2025, 6, 1)
    assert liveliness(LivelinessInput(reachable=False), today) == 0.0
    fresh = LivelinessInput(
        reachable=True,
        last_updated=date(2025, 5, 1),
        copyright_year=2025,
        pages_ok=4,
        pages_tried=4,
    )
    assert liveliness(fresh, today) == 1.0
    stale = LivelinessInput(
        reachable=True,
        last_updated=date(2020, 1, 1),
        copyright_year=2019,
        pages_ok=1,
        pages_tried=4,
    )
    assert liveliness(stale, today) == 0.075
    assert liveliness(fresh, today) > liveliness(stale, today)
