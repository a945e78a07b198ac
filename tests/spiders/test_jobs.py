"""Fixture cases of the ``jobs`` spider: each captured page/feed against its expected items."""

from __future__ import annotations

import pytest
import time_machine

from tests.spiders.harness import compare_with_expected
from tests.spiders.jobs_cases import FROZEN_NOW, Case, cases, run_case

CASES = cases()


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fixture_case(case: Case) -> None:
    with time_machine.travel(FROZEN_NOW, tick=False):
        items = run_case(case)
    for item in items:
        assert "<" not in item["description"] or "</" not in item["description"]
    compare_with_expected(items, case.expected_path)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_fixture_case_matches_hand_written_truth(case: Case) -> None:
    """Every field written down by hand for a case is extracted (see scripts/jobs_accuracy.py
    for the field-level figures)."""
    from tests.spiders.jobs_accuracy import score_case

    with time_machine.travel(FROZEN_NOW, tick=False):
        items = run_case(case)
    result = score_case(case.truth, items)
    assert result.missing_items == 0, result.details
    assert result.extra_items == 0, result.details
    assert result.wrong == [], result.details
