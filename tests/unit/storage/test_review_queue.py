"""The pure parts of the review queue: facet tokens, the overlap sample, cursors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.models import QueueEntry
from storage.review_queue import (
    QueueError,
    _decode_cursor,
    encode_cursor,
    expected_value_reason,
    in_overlap,
    tokens,
)


def test_tokens_are_sorted_unique_lower_and_pipe_safe() -> None:
    assert tokens(["Jobs-DE", "jobs-de", None, " ", "a|b"]) == "|a b|jobs-de|"
    assert tokens([]) == "|"


def test_overlap_share_is_stable_and_about_right() -> None:
    picked = [i for i in range(1, 20_001) if in_overlap(i, 0.05)]
    assert 0.04 < len(picked) / 20_000 < 0.06
    assert picked == [i for i in range(1, 20_001) if in_overlap(i, 0.05)]
    assert not any(in_overlap(i, 0.0) for i in range(1, 1000))
    assert all(in_overlap(i, 1.0) for i in range(1, 1000))


def test_cursors_round_trip_and_bad_ones_are_errors() -> None:
    row = QueueEntry(candidate_id=42, expected_value=0.1 + 0.2)
    assert _decode_cursor(encode_cursor(row, "expected_value")) == (0.1 + 0.2, 42)
    when = datetime(2026, 5, 1, 12, tzinfo=UTC)
    row.last_seen = when
    assert _decode_cursor(encode_cursor(row, "last_seen")) == (when, 42)
    for bad in ("", "x", "f1.0:abc", "fzz:1", "t:1", "n:1"):
        with pytest.raises(QueueError, match="bad cursor"):
            _decode_cursor(bad)


def test_reason_names_the_three_factors() -> None:
    assert expected_value_reason(0.5, 0.5, 1.0, "no match") == (
        "relevance 0.50 × uncertainty 0.50 × novelty 1.00 (no match) = 0.250"
    )
