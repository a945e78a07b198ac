"""Job-advert trends: deduplicated adverts per week or month, their DSI-relevant share, their
technologies, social areas, countries and regions, stock and flow, and how long adverts live.

Definitions (one advert = one dedupe group, see ``reports.data.job_adverts``):

* **new** in a period: adverts first seen in it (the flow in); **ended**: adverts last seen in
  it and not seen by their source's latest crawl (the flow out); **stock** at a period's end:
  adverts first seen by then and still seen at or after it (or still live);
* **relevant**: new adverts the model judges DSI-relevant at its threshold; the **share** is
  relevant / scored new adverts, with a 95 % Wilson interval;
* **lifetime**: last seen − first seen, in days; adverts still live are right-censored, so
  the survival curve is Kaplan–Meier's, not the mean of finished adverts;
* the **window's effect**: the stock a fixed window would give (each advert counted for W days
  after it was first seen, as analyses without last-seen dates assume) beside the measured one;
* a **series break** is flagged in a period where a source starts or stops being crawled.

Every published count table goes through ``reports.stats.suppress``; stock and fixed-window
stocks are sums of flows, so they are hidden from the first period whose flows are hidden on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from reports.places import REGION_ORDER, UNKNOWN, region_of
from reports.stats import (
    MIN_COUNT,
    TOTAL,
    SuppressedTable,
    Survival,
    kaplan_meier,
    suppress,
    wilson_interval,
)

Period = Literal["week", "month"]
#: fixed advert lifetimes compared with the measured stock (days)
WINDOWS = (30, 60, 90)
_FREQ = {"week": "W-SUN", "month": "M"}
#: the four breakdowns of new adverts
BREAKDOWNS = ("technology", "area", "country", "region")


@dataclass(slots=True)
class Trends:
    period: Period
    minimum: int
    #: per period: new, relevant, share with Wilson interval, ended, stock, window stocks
    series: pd.DataFrame
    #: counts behind ``series`` as suppressed tables: relevance split, and flows
    relevance: SuppressedTable
    flows: SuppressedTable
    #: breakdown name -> period x category counts of new adverts (suppressed)
    by: dict[str, SuppressedTable] = field(default_factory=dict)
    #: country / region -> adverts, relevant, share and interval over the whole span
    shares: dict[str, pd.DataFrame] = field(default_factory=dict)
    survival: Survival | None = None
    #: per period: sources added and removed
    breaks: pd.DataFrame = field(default_factory=pd.DataFrame)


def period_index(start: pd.Timestamp, end: pd.Timestamp, period: Period) -> pd.PeriodIndex:
    return pd.period_range(
        _naive(start).to_period(_FREQ[period]), _naive(end).to_period(_FREQ[period])
    )


def _naive(ts: pd.Timestamp) -> pd.Timestamp:
    return ts.tz_convert("UTC").tz_localize(None) if ts.tzinfo else ts


def _periods(values: pd.Series, period: Period) -> pd.Series:
    naive = pd.to_datetime(values, utc=True).dt.tz_localize(None)
    return pd.Series(naive.dt.to_period(_FREQ[period]), index=values.index)


def label(p: pd.Period) -> str:
    """``2026-03`` for a month, ``2026-03-02`` (its Monday) for a week."""
    return str(p) if p.freqstr.startswith("M") else p.start_time.date().isoformat()


def trends(
    adverts: pd.DataFrame,
    run_frame: pd.DataFrame,
    *,
    period: Period = "month",
    minimum: int = MIN_COUNT,
) -> Trends:
    """Trend tables of deduplicated adverts (``reports.data.job_adverts``)."""
    if period not in _FREQ:
        raise ValueError(f"unknown period {period!r}: use week or month")
    if adverts.empty:
        raise ValueError("no job adverts stored: crawl a jobs source first")
    ads = adverts.copy()
    ads["p_first"] = _periods(ads["first_seen"], period)
    ads["p_last"] = _periods(ads["last_seen"], period)
    index = period_index(ads["first_seen"].min(), ads["last_seen"].max(), period)
    labels = [label(p) for p in index]

    new = ads.groupby("p_first").size().reindex(index, fill_value=0)
    relevant_new = ads[ads["relevant"].fillna(False).astype(bool)].groupby("p_first").size()
    scored_new = ads[ads["relevance"].notna()].groupby("p_first").size()
    relevant_new = relevant_new.reindex(index, fill_value=0)
    scored_new = scored_new.reindex(index, fill_value=0)
    split = pd.DataFrame(
        {
            "relevant": relevant_new.to_numpy(),
            "not relevant": (scored_new - relevant_new).to_numpy(),
            "unscored": (new - scored_new).to_numpy(),
        },
        index=labels,
    )
    ended = ads[~ads["live"]].groupby("p_last").size().reindex(index, fill_value=0)
    flow_counts = pd.DataFrame({"new": new.to_numpy(), "ended": ended.to_numpy()}, index=labels)

    by_counts = {name: _breakdown(ads, name, index, labels) for name in BREAKDOWNS}
    tables = _suppress_together({"relevance": split, "flows": flow_counts, **by_counts}, minimum)
    relevance, flows = tables.pop("relevance"), tables.pop("flows")

    series = pd.DataFrame(index=pd.Index(labels, name="period"))
    series["new"] = relevance.published()["total"].iloc[:-1]
    series["relevant"] = relevance.published()["relevant"].iloc[:-1]
    shown = ~(relevance.hidden["relevant"] | relevance.hidden["not relevant"]).iloc[:-1]
    lows, highs, shares = [], [], []
    for rel, scored, ok in zip(relevant_new, scored_new, shown, strict=True):
        low, high = wilson_interval(int(rel), int(scored))
        good = ok and scored > 0
        shares.append(rel / scored if good else np.nan)
        lows.append(low if good else np.nan)
        highs.append(high if good else np.nan)
    series["share"] = shares
    series["share_low"] = lows
    series["share_high"] = highs
    series["ended"] = flows.published()["ended"].iloc[:-1]
    end_times = [min(p.end_time, _naive(ads["last_seen"].max())) for p in index]
    stock = [_stock(ads, t) for t in end_times]
    flow_hidden = flows.hidden[["new", "ended"]].iloc[:-1].any(axis=1).cummax().to_numpy()
    series["stock"] = pd.array(stock, dtype="Int64")
    series.loc[flow_hidden, "stock"] = pd.NA
    for w in WINDOWS:
        col = pd.array([_window_stock(ads, t, w) for t in end_times], dtype="Int64")
        series[f"stock_if_{w}_days"] = col
        series.loc[flow_hidden, f"stock_if_{w}_days"] = pd.NA
    breaks = source_breaks(ads, run_frame, index, period)
    series["series_break"] = [bool(x) for x in breaks["break"]]

    durations = ads["lifetime_days"].to_numpy(dtype=float)
    survival = kaplan_meier(durations, ~ads["live"].to_numpy(dtype=bool))
    return Trends(
        period=period,
        minimum=minimum,
        series=series,
        relevance=relevance,
        flows=flows,
        by=tables,
        shares=region_shares(
            ads,
            minimum,
            hidden_totals={
                name: _hidden_column_totals(tables[name]) for name in ("country", "region")
            },
        ),
        survival=survival,
        breaks=breaks,
    )


def _breakdown(
    ads: pd.DataFrame, name: str, index: pd.PeriodIndex, labels: list[str]
) -> pd.DataFrame:
    """Period x category counts of new adverts (labels: relevant adverts' labels)."""
    if name in ("technology", "area"):
        col = "technologies" if name == "technology" else "areas"
        exploded = ads[["p_first", col]].explode(col).dropna(subset=[col])
        counts = exploded.groupby(["p_first", col]).size().unstack(fill_value=0)
    else:
        values = ads[name].fillna("unknown")
        counts = ads.assign(_cat=values).groupby(["p_first", "_cat"]).size().unstack(fill_value=0)
        if name == "region":
            order = [r for r in REGION_ORDER if r in counts.columns]
            counts = counts[order]
    counts = counts.reindex(index, fill_value=0)
    counts.index = pd.Index(labels, name="period")
    counts.columns = [str(c) for c in counts.columns]
    return counts.astype(int)


Forced = dict[str, set[tuple[object, object]]]


def _suppress_together(counts: dict[str, pd.DataFrame], minimum: int) -> dict[str, SuppressedTable]:
    """Suppress the period tables together: those that publish the same row totals (new
    adverts per period) hide the same totals, and a region's cell and its countries' cells
    never leave a single hidden one (a region is the sum of its countries)."""
    shared = ("relevance", "country", "region")
    forced: Forced = {name: set() for name in counts}
    while True:
        tables = {
            name: suppress(frame, minimum, forced=frozenset(forced[name]))
            for name, frame in counts.items()
        }
        wanted: Forced = {name: set() for name in counts}
        for name in shared:
            for label, is_hidden in tables[name].hidden["total"].iloc[:-1].items():
                if is_hidden:
                    for other in shared:
                        wanted[other].add((label, "total"))
        for name, cell in hierarchy_cells(tables["country"], tables["region"], by="columns"):
            wanted[name].add(cell)
        if all(wanted[name] <= forced[name] for name in counts):
            return tables
        for name in counts:
            forced[name] |= wanted[name]


def hierarchy_cells(
    country: SuppressedTable, region: SuppressedTable, *, by: Literal["columns", "rows"]
) -> list[tuple[str, tuple[object, object]]]:
    """Cells to hide so that no region leaves a single hidden cell among its own cell and its
    countries' cells (categories are the tables' ``columns`` or ``rows``): ``(table, cell)``
    with ``table`` ``"country"`` or ``"region"``."""
    out: list[tuple[str, tuple[object, object]]] = []
    other_axis = country.counts.index if by == "columns" else country.counts.columns
    categories = country.counts.columns if by == "columns" else country.counts.index
    regions = region.counts.columns if by == "columns" else region.counts.index
    for key in other_axis:
        for r in regions:
            if r == TOTAL:
                continue
            members: list[tuple[str, tuple[object, object], SuppressedTable]] = [
                ("country", _cell(key, c, by), country)
                for c in categories
                if c != TOTAL and region_of(None if c == UNKNOWN else str(c)) == r
            ]
            members.append(("region", _cell(key, r, by), region))
            hidden = [m for m in members if _at(m[2].hidden, m[1])]
            shown = [m for m in members if not _at(m[2].hidden, m[1])]
            if len(hidden) == 1 and shown:
                name, cell, _table = min(shown, key=lambda m: int(_at(m[2].counts, m[1])))
                out.append((name, cell))
    return out


def _at(frame: pd.DataFrame, cell: tuple[object, object]) -> Any:
    row, col = cell
    return frame.to_numpy()[frame.index.get_loc(row), frame.columns.get_loc(col)]


def _cell(key: object, category: object, by: str) -> tuple[object, object]:
    return (key, category) if by == "columns" else (category, key)


def _stock(ads: pd.DataFrame, at: pd.Timestamp) -> int:
    first = ads["first_seen"].dt.tz_convert("UTC").dt.tz_localize(None)
    last = ads["last_seen"].dt.tz_convert("UTC").dt.tz_localize(None)
    return int(((first <= at) & ((last >= at) | ads["live"])).sum())


def _window_stock(ads: pd.DataFrame, at: pd.Timestamp, days: int) -> int:
    first = ads["first_seen"].dt.tz_convert("UTC").dt.tz_localize(None)
    return int(((first <= at) & (first > at - pd.Timedelta(days=days))).sum())


def source_breaks(
    ads: pd.DataFrame, run_frame: pd.DataFrame, index: pd.PeriodIndex, period: Period
) -> pd.DataFrame:
    """Per period: sources crawled for the first time (added) and no longer crawled (removed).

    A source is crawled in the periods between its first and its last recorded run (without
    runs: its adverts' first and last sightings). The first period has no break."""
    if len(run_frame):
        spans = run_frame.groupby("source")["started_at"].agg(["min", "max"])
    else:
        spans = ads.groupby("source").agg(min=("first_seen", "min"), max=("last_seen", "max"))
    first = _periods(spans["min"], period)
    last = _periods(spans["max"], period)
    rows = []
    for i, p in enumerate(index):
        added = sorted(str(s) for s in spans.index[first == p]) if i else []
        removed = sorted(str(s) for s in spans.index[last == index[i - 1]]) if i else []
        rows.append(
            {
                "period": label(p),
                "added": ",".join(added),
                "removed": ",".join(removed),
                "break": bool(added or removed),
            }
        )
    return pd.DataFrame(rows, columns=["period", "added", "removed", "break"])


def _hidden_column_totals(table: SuppressedTable) -> frozenset[object]:
    totals = table.hidden.loc[TOTAL].drop(TOTAL)
    return frozenset(col for col, is_hidden in totals.items() if is_hidden)


def _share_counts(ads: pd.DataFrame, name: str) -> pd.DataFrame:
    cat = ads[name].fillna(UNKNOWN)
    scored = ads["relevance"].notna()
    rel = ads["relevant"].fillna(False).astype(bool)
    counts = pd.DataFrame(
        {
            "relevant": rel.groupby(cat).sum(),
            "not relevant": (scored & ~rel).groupby(cat).sum(),
            "unscored": (~scored).groupby(cat).sum(),
        }
    ).astype(int)
    if name == "region":
        counts = counts.reindex([r for r in REGION_ORDER if r in counts.index])
    return counts


def category_shares(
    ads: pd.DataFrame,
    name: str,
    minimum: int,
    *,
    forced: frozenset[tuple[object, object]] = frozenset(),
) -> pd.DataFrame:
    """Over the whole span, per value of column ``name``: adverts, relevant, share and its
    Wilson interval (small counts suppressed with their complements)."""
    counts = _share_counts(ads, name)
    return _shares(counts, suppress(counts, minimum, forced=forced))


def region_shares(
    ads: pd.DataFrame,
    minimum: int,
    *,
    hidden_totals: dict[str, frozenset[object]] | None = None,
) -> dict[str, pd.DataFrame]:
    """``category_shares`` per country and per region, suppressed together (a region is the
    sum of its countries); ``hidden_totals``: per ``country``/``region``, categories whose
    total another table hides."""
    counts = {name: _share_counts(ads, name) for name in ("country", "region")}
    forced: Forced = {
        name: {(c, TOTAL) for c in (hidden_totals or {}).get(name, frozenset())} for name in counts
    }
    while True:
        tables = {
            name: suppress(frame, minimum, forced=frozenset(forced[name]))
            for name, frame in counts.items()
        }
        wanted: Forced = {name: set() for name in counts}
        for name, cell in hierarchy_cells(tables["country"], tables["region"], by="rows"):
            wanted[name].add(cell)
        if all(wanted[name] <= forced[name] for name in counts):
            return {name: _shares(counts[name], tables[name]) for name in counts}
        for name in counts:
            forced[name] |= wanted[name]


def _shares(counts: pd.DataFrame, table: SuppressedTable) -> pd.DataFrame:
    published = table.published().iloc[:-1]
    out = pd.DataFrame(index=counts.index)
    out["adverts"] = published[TOTAL]
    out["relevant"] = published["relevant"]
    shares, lows, highs = [], [], []
    for key in counts.index:
        r = int(counts.loc[key, "relevant"])
        n = r + int(counts.loc[key, "not relevant"])
        ok = not (table.hidden.loc[key, "relevant"] or table.hidden.loc[key, "not relevant"])
        low, high = wilson_interval(r, n)
        shares.append(r / n if ok and n else np.nan)
        lows.append(low if ok and n else np.nan)
        highs.append(high if ok and n else np.nan)
    out["share"], out["share_low"], out["share_high"] = shares, lows, highs
    return out


__all__ = [
    "BREAKDOWNS",
    "WINDOWS",
    "Trends",
    "category_shares",
    "hierarchy_cells",
    "label",
    "region_shares",
    "source_breaks",
    "trends",
]
