"""Statistics for the reports: Wilson intervals, small-cell suppression that totals cannot undo,
and Kaplan–Meier survival of adverts with right-censoring.

Suppression (``suppress``) works on a count table *with its margins* (row totals, column
totals, grand total), because a reader sees those too:

1. primary: every cell (margins included) with ``0 < count < minimum`` is hidden;
2. secondary: while some row or column of the table-with-margins has exactly one hidden cell,
   the smallest visible cell of that line is hidden as well (interior cells before totals);
3. audit: for every hidden cell, the smallest and largest value it can take given everything
   published (each line sums to its total, counts are not negative) are computed by linear
   programming — what someone differencing the totals could learn. A cell whose range is a
   single value is exposed; then the smallest visible cell sharing a line with it is hidden and
   the audit runs again.

The constraint matrix of a table with margins is totally unimodular, so the linear
programme's bounds are the integer bounds: a cell that passes the audit cannot be recovered.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

#: the default smallest count shown (1-9 are hidden)
MIN_COUNT = 10
TOTAL = "total"


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a proportion; ``(nan, nan)`` with no trials."""
    if trials <= 0:
        return (float("nan"), float("nan"))
    from scipy.stats import norm

    z = float(norm.ppf(0.5 + confidence / 2))
    p = successes / trials
    denom = 1 + z * z / trials
    centre = (p + z * z / (2 * trials)) / denom
    half = z * np.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denom
    return (max(0.0, float(centre - half)), min(1.0, float(centre + half)))


@dataclass(slots=True)
class SuppressedTable:
    """A count table with its margins (``total`` row and column) and which cells are hidden."""

    counts: pd.DataFrame
    #: True where hidden because the count itself is small
    primary: pd.DataFrame
    #: True where hidden so that a small count cannot be recovered from the others
    secondary: pd.DataFrame
    minimum: int

    @property
    def hidden(self) -> pd.DataFrame:
        return self.primary | self.secondary

    def published(self) -> pd.DataFrame:
        """The counts as published: hidden cells are ``<NA>``."""
        return self.counts.astype("Int64").mask(self.hidden)


def with_margins(counts: pd.DataFrame) -> pd.DataFrame:
    """``counts`` plus a ``total`` column and a ``total`` row."""
    table = counts.astype(int).copy()
    table[TOTAL] = table.sum(axis=1)
    table.loc[TOTAL] = table.sum(axis=0)
    return table


def suppress(
    counts: pd.DataFrame,
    minimum: int = MIN_COUNT,
    *,
    forced: frozenset[tuple[object, object]] = frozenset(),
) -> SuppressedTable:
    """Hide small cells of ``counts`` (no margins; they are added) and enough others that
    no hidden cell can be recovered from the published cells and totals.

    ``forced``: ``(row, column)`` cells of the table with margins to hide whatever their
    value, because another table hides the same figure or a sum it is part of."""
    if minimum < 1:
        raise ValueError("the minimum count must be at least 1")
    table = with_margins(counts)
    values = table.to_numpy()
    primary = (values > 0) & (values < minimum)
    hidden = primary.copy()
    for row, col in forced:
        hidden[table.index.get_loc(row), table.columns.get_loc(col)] = True
    while True:
        _complete_lines(values, hidden)
        exposed = exposed_cells(values, hidden)
        if not exposed:
            break
        if not _hide_neighbour(values, hidden, exposed[0]):
            break  # everything around it is hidden already: nothing more to do
    return SuppressedTable(
        counts=table,
        primary=pd.DataFrame(primary, index=table.index, columns=table.columns),
        secondary=pd.DataFrame(hidden & ~primary, index=table.index, columns=table.columns),
        minimum=minimum,
    )


def _lines(shape: tuple[int, int]) -> list[list[tuple[int, int]]]:
    """Cells of each row and each column of a table with margins (last row/column = totals)."""
    rows, cols = shape
    return [[(r, c) for c in range(cols)] for r in range(rows)] + [
        [(r, c) for r in range(rows)] for c in range(cols)
    ]


def _rank(values: np.ndarray, cell: tuple[int, int]) -> tuple[bool, int]:
    """Sort key of a cell to hide next: interior before margins, then smallest."""
    rows, cols = values.shape
    margin = cell[0] == rows - 1 or cell[1] == cols - 1
    return (margin, int(values[cell]))


def _complete_lines(values: np.ndarray, hidden: np.ndarray) -> None:
    """Hide cells until no line has exactly one hidden cell."""
    changed = True
    while changed:
        changed = False
        for line in _lines(values.shape):
            shown = [cell for cell in line if not hidden[cell]]
            if len(line) - len(shown) == 1 and shown:
                hidden[min(shown, key=lambda cell: _rank(values, cell))] = True
                changed = True


def _hide_neighbour(values: np.ndarray, hidden: np.ndarray, cell: tuple[int, int]) -> bool:
    options = [
        other
        for line in _lines(values.shape)
        if cell in line
        for other in line
        if not hidden[other]
    ]
    if not options:
        return False
    hidden[min(options, key=lambda other: _rank(values, other))] = True
    return True


def cell_bounds(values: np.ndarray, hidden: np.ndarray) -> dict[tuple[int, int], tuple[int, int]]:
    """For each hidden cell of a table with margins: the smallest and largest value consistent
    with the published cells (each line sums to its total; counts are not negative)."""
    from scipy.optimize import linprog

    unknown = [(int(r), int(c)) for r, c in np.argwhere(hidden)]
    if not unknown:
        return {}
    index = {cell: k for k, cell in enumerate(unknown)}
    equations: list[np.ndarray] = []
    rhs: list[float] = []
    for line in _lines(values.shape):
        coef = np.zeros(len(unknown))
        known = 0.0
        for cell in line:
            # a line's cells add up to its last cell, the line's total
            sign = -1.0 if cell == line[-1] else 1.0
            if cell in index:
                coef[index[cell]] += sign
            else:
                known += sign * float(values[cell])
        if coef.any():
            equations.append(coef)
            rhs.append(-known)
    a_eq = np.vstack(equations)
    b_eq = np.asarray(rhs)
    bounds: dict[tuple[int, int], tuple[int, int]] = {}
    for cell, k in index.items():
        objective = np.zeros(len(unknown))
        objective[k] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        lo = round(float(low.fun)) if low.status == 0 else 0
        hi = round(-float(high.fun)) if high.status == 0 else int(values.max())
        bounds[cell] = (lo, hi)
    return bounds


def exposed_cells(values: np.ndarray, hidden: np.ndarray) -> list[tuple[int, int]]:
    """Hidden cells whose value the published cells and totals pin down exactly."""
    return [cell for cell, (lo, hi) in cell_bounds(values, hidden).items() if lo == hi]


@dataclass(slots=True)
class Survival:
    """Kaplan–Meier estimate: S(t) just after each event time."""

    times: np.ndarray
    survival: np.ndarray
    at_risk: np.ndarray
    events: np.ndarray
    observed: int
    censored: int

    def median(self) -> float | None:
        """The first time S(t) <= 0.5; None when more than half are still alive (censored)."""
        below = np.flatnonzero(self.survival <= 0.5)
        return float(self.times[below[0]]) if len(below) else None

    def at(self, t: float) -> float:
        """S(t): the share still alive after ``t``."""
        before = np.flatnonzero(self.times <= t)
        return float(self.survival[before[-1]]) if len(before) else 1.0

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "days": self.times,
                "at_risk": self.at_risk,
                "ended": self.events,
                "survival": self.survival,
            }
        )


def kaplan_meier(durations: np.ndarray, ended: np.ndarray) -> Survival:
    """Kaplan–Meier survival from durations and whether the end was observed (False = still
    alive at the last observation: right-censored)."""
    durations = np.asarray(durations, dtype=float)
    ended = np.asarray(ended, dtype=bool)
    if durations.shape != ended.shape:
        raise ValueError("durations and ended differ in length")
    if len(durations) and (np.isnan(durations).any() or (durations < 0).any()):
        raise ValueError("durations must be non-negative numbers")
    times = np.unique(durations[ended])
    at_risk = np.asarray([(durations >= t).sum() for t in times], dtype=int)
    events = np.asarray([((durations == t) & ended).sum() for t in times], dtype=int)
    survival = np.cumprod(1.0 - events / np.maximum(at_risk, 1))
    return Survival(
        times=times,
        survival=survival,
        at_risk=at_risk,
        events=events,
        observed=int(ended.sum()),
        censored=int((~ended).sum()),
    )


__all__ = [
    "MIN_COUNT",
    "TOTAL",
    "SuppressedTable",
    "Survival",
    "cell_bounds",
    "exposed_cells",
    "kaplan_meier",
    "suppress",
    "wilson_interval",
    "with_margins",
]
