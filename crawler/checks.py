"""Checks after every run, against the source's own history (like Spidermon's monitors, local).

The baseline of a metric is its median over the source's last good (``finished``) runs, at most
:attr:`Thresholds.history` of them. The checks:

``zero_items``
    no item at all (``fail``; ``warn`` for a source without history or one that may be empty);
``item_count``
    items below the baseline by ``item_drop_warn`` (``warn``) or ``item_drop_fail`` (``fail``);
``coverage/<field>``
    the share of items with the field filled (``dsi/fields/<field>`` stats, e.g.
    ``location_country``) down by ``coverage_drop_warn`` / ``coverage_drop_fail`` points, for
    fields at least ``coverage_min`` filled in the baseline;
``error_rate``
    errors per request (:func:`crawler.outcome.errors_by_kind`) above the baseline by
    ``error_rate_warn`` / ``error_rate_fail`` points;
``dsi_positive_rate``
    the share of the run's items the classifier found relevant (``dsi/classify/positive`` over
    ``dsi/classify/scored``, written by ``dsi classify``) moved by ``positive_shift_warn`` /
    ``positive_shift_fail`` points either way; ``skipped`` until items are scored.

A check without enough history is ``skipped``. The run's health is its worst check.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from crawler.outcome import as_int, errors_by_kind, items

FIELD_PREFIX = "dsi/fields/"
#: set in the stats of a run that resumed an interrupted crawl (crawler.frontier.sql_queue)
RESUMED = "dsi/frontier/resumed"
_RANK = {"ok": 0, "skipped": 0, "warn": 1, "fail": 2}


@dataclass(frozen=True, slots=True)
class Thresholds:
    history: int = 5
    item_drop_warn: float = 0.3
    item_drop_fail: float = 0.5
    coverage_min: float = 0.2
    coverage_drop_warn: float = 0.15
    coverage_drop_fail: float = 0.3
    error_rate_warn: float = 0.05
    error_rate_fail: float = 0.2
    positive_shift_warn: float = 0.1
    positive_shift_fail: float = 0.25
    #: scored items needed before the positive rate is compared
    positive_min_scored: int = 20


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    #: ok | warn | fail | skipped
    status: str
    value: float | None
    baseline: float | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def error_rate(stats: Mapping[str, Any]) -> float:
    requests = as_int(stats.get("downloader/request_count")) - as_int(
        stats.get("robotstxt/request_count")
    )
    errors = sum(errors_by_kind(stats).values())
    return errors / requests if requests > 0 else (1.0 if errors else 0.0)


def coverage(stats: Mapping[str, Any]) -> dict[str, float]:
    """Share of items with each field filled."""
    n = items(stats)
    if n <= 0:
        return {}
    return {
        key.removeprefix(FIELD_PREFIX): min(1.0, as_int(value) / n)
        for key, value in stats.items()
        if key.startswith(FIELD_PREFIX)
    }


def positive_rate(stats: Mapping[str, Any], minimum: int) -> float | None:
    scored = as_int(stats.get("dsi/classify/scored"))
    if scored < max(1, minimum):
        return None
    return as_int(stats.get("dsi/classify/positive")) / scored


def _median(values: Sequence[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def _level(excess: float, warn: float, fail: float) -> str:
    if excess >= fail:
        return "fail"
    if excess >= warn:
        return "warn"
    return "ok"


def run_checks(
    stats: Mapping[str, Any],
    history: Sequence[Mapping[str, Any]],
    *,
    may_be_empty: bool = False,
    thresholds: Thresholds | None = None,
) -> list[Check]:
    """The checks of one run's ``stats`` against the stats of the source's last good runs."""
    t = thresholds or Thresholds()
    # a resumed run holds only the rest of an interrupted crawl: no baseline, no count check
    resumed = bool(stats.get(RESUMED))
    past = [h for h in history if not h.get(RESUMED)][: t.history]
    out: list[Check] = []
    n = items(stats)
    base_items = _median([float(items(h)) for h in past])

    if n == 0:
        lenient = may_be_empty or resumed or not base_items
        out.append(
            Check(
                "zero_items",
                "warn" if lenient else "fail",
                0,
                base_items,
                "no item"
                + (f" (usually {base_items:g})" if base_items else " (no history to compare)"),
            )
        )
    else:
        out.append(Check("zero_items", "ok", n, base_items, f"{n} items"))

    if resumed:
        out.append(Check("item_count", "skipped", n, base_items, "resumed an interrupted crawl"))
    elif base_items is None or base_items <= 0:
        out.append(Check("item_count", "skipped", n, base_items, "no good run to compare with"))
    else:
        drop = max(0.0, 1 - n / base_items)
        level = (
            "ok" if may_be_empty and n == 0 else _level(drop, t.item_drop_warn, t.item_drop_fail)
        )
        out.append(
            Check(
                "item_count",
                level,
                n,
                base_items,
                f"{n} items, median of the last {len(past)} good runs {base_items:g} "
                f"({-drop:+.0%})",
            )
        )

    now_cov = coverage(stats)
    # runs recorded before fields were counted have no coverage: they are not a baseline
    counted = [h for h in past if items(h) > 0 and any(k.startswith(FIELD_PREFIX) for k in h)]
    if n > 0 and counted:
        fields = sorted({f for h in counted for f in coverage(h)})
        for field_name in fields:
            base = _median([coverage(h).get(field_name, 0.0) for h in counted])
            if base is None or base < t.coverage_min:
                continue
            value = now_cov.get(field_name, 0.0)
            out.append(
                Check(
                    f"coverage/{field_name}",
                    _level(base - value, t.coverage_drop_warn, t.coverage_drop_fail),
                    round(value, 4),
                    round(base, 4),
                    f"{field_name} filled in {value:.0%} of items (usually {base:.0%})",
                )
            )

    rate = error_rate(stats)
    base_rate = _median([error_rate(h) for h in past])
    reference = base_rate or 0.0
    out.append(
        Check(
            "error_rate",
            "skipped"
            if base_rate is None
            else _level(rate - reference, t.error_rate_warn, t.error_rate_fail),
            round(rate, 4),
            None if base_rate is None else round(base_rate, 4),
            f"{rate:.1%} of requests failed (usually {reference:.1%})",
        )
    )

    pos = positive_rate(stats, t.positive_min_scored)
    base_pos = _median([positive_rate(h, t.positive_min_scored) for h in past])
    if pos is None or base_pos is None:
        out.append(
            Check(
                "dsi_positive_rate",
                "skipped",
                pos,
                base_pos,
                "not enough scored items (run `dsi classify`)",
            )
        )
    else:
        out.append(
            Check(
                "dsi_positive_rate",
                _level(abs(pos - base_pos), t.positive_shift_warn, t.positive_shift_fail),
                round(pos, 4),
                round(base_pos, 4),
                f"{pos:.0%} of scored items relevant (usually {base_pos:.0%})",
            )
        )
    return out


def health(checks: Sequence[Check | Mapping[str, Any]]) -> str:
    """ok | warn | fail: the worst check."""
    worst = 0
    for check in checks:
        status = check.status if isinstance(check, Check) else str(check.get("status"))
        worst = max(worst, _RANK.get(status, 0))
    return {0: "ok", 1: "warn", 2: "fail"}[worst]


def failing(checks: Sequence[Check]) -> list[Check]:
    return [c for c in checks if c.status == "fail"]
