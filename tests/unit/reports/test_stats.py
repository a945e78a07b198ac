"""Wilson intervals, Kaplan–Meier and small-cell suppression on data with known answers."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from reports.stats import (
    TOTAL,
    exposed_cells,
    kaplan_meier,
    suppress,
    wilson_interval,
    with_margins,
)


def test_wilson_interval_known_values() -> None:
    # 8 of 10 at 95 %: Wilson's interval is 0.490-0.943 (Newcombe 1998, table I)
    low, high = wilson_interval(8, 10)
    assert low == pytest.approx(0.4902, abs=1e-4) and high == pytest.approx(0.9433, abs=1e-4)
    low, high = wilson_interval(0, 20)
    assert low == 0.0 and high == pytest.approx(0.1611, abs=1e-4)
    assert all(np.isnan(wilson_interval(0, 0)))


def test_kaplan_meier_textbook_example() -> None:
    # durations 1,2,2,3+,4,5+ (+ = still alive): S = 5/6, 5/6*3/5, *(1-1/2)
    km = kaplan_meier(np.array([1, 2, 2, 3, 4, 5]), np.array([1, 1, 1, 0, 1, 0], dtype=bool))
    assert km.times.tolist() == [1, 2, 4]
    assert km.at_risk.tolist() == [6, 5, 2]
    assert km.survival.tolist() == pytest.approx([5 / 6, 1 / 2, 1 / 4])
    assert km.median() == 2.0
    assert km.at(3.5) == pytest.approx(0.5) and km.at(0.5) == 1.0
    assert (km.observed, km.censored) == (4, 2)
    # all still alive: no median, S stays 1
    alive = kaplan_meier(np.array([3.0, 9.0]), np.array([False, False]))
    assert alive.median() is None and alive.at(100) == 1.0
    with pytest.raises(ValueError):
        kaplan_meier(np.array([-1.0]), np.array([True]))


def published_values(table) -> tuple[np.ndarray, np.ndarray]:
    return table.counts.to_numpy(), table.hidden.to_numpy()


def solutions(values: np.ndarray, hidden: np.ndarray) -> dict[tuple[int, int], set[int]]:
    """Values each hidden cell can take, found as an attacker would check them: the published
    table, and every table that differs from it by -1, 0 or +1 in hidden cells only and still
    agrees with every published cell and total (rows and columns add up; no negative counts)."""
    cells = [tuple(int(i) for i in c) for c in np.argwhere(hidden)]
    seen: dict[tuple[int, int], set[int]] = {c: {int(values[c])} for c in cells}
    for steps in itertools.product((-1, 0, 1), repeat=len(cells)):
        trial = values.copy()
        for cell, step in zip(cells, steps, strict=True):
            trial[cell] += step
        inner = trial[:-1, :-1]
        adds_up = (
            (inner.sum(axis=1) == trial[:-1, -1]).all()
            and (inner.sum(axis=0) == trial[-1, :-1]).all()
            and trial[:-1, -1].sum() == trial[-1, -1]
            and trial[-1, :-1].sum() == trial[-1, -1]
        )
        if adds_up and (trial >= 0).all():
            for cell in cells:
                seen[cell].add(int(trial[cell]))
    return seen


def test_one_small_cell_cannot_be_recovered_by_differencing() -> None:
    counts = pd.DataFrame(
        [[3, 12, 0], [11, 14, 2]], index=["2026-01", "2026-02"], columns=["DE", "FR", "IT"]
    )
    table = suppress(counts, minimum=5)
    assert table.primary.loc["2026-01", "DE"] and table.primary.loc["2026-02", "IT"]
    published = table.published()
    assert published.loc["2026-01", TOTAL] == 15  # totals stay when they are safe
    values, hidden = published_values(table)
    # no row or column with exactly one hidden cell: no single subtraction gives one back
    assert all(hidden[r].sum() != 1 for r in range(hidden.shape[0]))
    assert all(hidden[:, c].sum() != 1 for c in range(hidden.shape[1]))
    # and no combination of published figures pins a hidden cell down
    assert exposed_cells(values, hidden) == []
    for cell, possible in solutions(values, hidden).items():
        assert len(possible) >= 2, f"cell {cell} recoverable: {possible}"


def test_margin_that_is_small_is_hidden_and_protected() -> None:
    counts = pd.DataFrame([[20, 30], [1, 0]], index=["a", "b"], columns=["x", "y"])
    table = suppress(counts, minimum=3)
    assert table.primary.loc["b", "x"] and table.primary.loc["b", TOTAL]  # row total 1 too
    values, hidden = published_values(table)
    for cell, possible in solutions(values, hidden).items():
        assert len(possible) >= 2, f"cell {cell} recoverable: {possible}"


def test_naive_suppression_is_caught_by_the_audit() -> None:
    # hiding only the two small cells of one column leaves them pinned by their rows
    values = with_margins(pd.DataFrame([[2, 50], [3, 40]])).to_numpy()
    hidden = np.zeros_like(values, dtype=bool)
    hidden[0, 0] = hidden[1, 0] = True
    assert sorted(exposed_cells(values, hidden)) == [(0, 0), (1, 0)]
    assert solutions(values, hidden) == {(0, 0): {2}, (1, 0): {3}}  # the attacker's check agrees


def test_nothing_small_nothing_hidden_and_bad_minimum() -> None:
    table = suppress(pd.DataFrame([[10, 0], [12, 30]]), minimum=10)
    assert not table.hidden.to_numpy().any()
    assert table.published().loc[TOTAL, TOTAL] == 52
    with pytest.raises(ValueError):
        suppress(pd.DataFrame([[1]]), minimum=0)


def test_kaplan_meier_recovers_known_lifetimes_under_censoring() -> None:
    # adverts live a geometric number of weekly crawls (P(still online after k weeks) = 0.8**k)
    # and the observation stops at week 10: a third are still online, so censored
    rng = np.random.default_rng(7)
    start = rng.integers(0, 10, size=4000)
    weeks = rng.geometric(0.2, size=4000)
    end = np.minimum(start + weeks, 10)
    ended = start + weeks <= 10
    km = kaplan_meier((end - start) * 7.0, ended)
    for k in (1, 2, 4):
        assert km.at(7.0 * k) == pytest.approx(0.8**k, abs=0.03)
    # the naive mean over finished adverts is biased low: long-lived adverts are still online
    assert ((end - start)[ended] * 7).mean() < 7 / 0.2 - 5
