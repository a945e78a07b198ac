"""Cohen's kappa per pair of curators."""

from __future__ import annotations

import pytest

from review.agreement import pair_agreement


def test_kappa_per_pair_by_hand() -> None:
    votes = [
        (1, "bob", "accept"), (1, "cyd", "accept"),
        (2, "bob", "reject"), (2, "cyd", "reject"),
        (3, "bob", "accept"), (3, "cyd", "reject"),
        (4, "bob", "reject"), (4, "cyd", "reject"),
        (5, "ada", "accept"), (5, "bob", "accept"),
    ]  # fmt: skip
    pairs = {(p.first, p.second): p for p in pair_agreement(votes)}
    bc = pairs[("bob", "cyd")]
    # observed 3/4; expected: bob accept 1/2, cyd accept 1/4 -> 1/2*1/4 + 1/2*3/4 = 1/2
    assert (bc.items, bc.agreed) == (4, 3)
    assert bc.kappa == pytest.approx((0.75 - 0.5) / (1 - 0.5))
    ab = pairs[("ada", "bob")]
    assert (ab.items, ab.agreed, ab.kappa) == (1, 1, None)  # one item: undefined


def test_kappa_undefined_when_one_verdict_throughout() -> None:
    votes = [(i, who, "reject") for i in range(3) for who in ("bob", "cyd")]
    [pair] = pair_agreement(votes)
    assert pair.agreed == 3 and pair.kappa is None
    assert pair_agreement([]) == []
