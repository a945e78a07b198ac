"""``dsi report``: tables (CSV), charts (PNG + SVG) and one HTML page for trends, geography and
the network, written into one folder."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import pandas as pd

from reports.charts import Chart, footnote, geography_charts, network_charts, trend_charts
from reports.data import Harvest
from reports.geography import DENSE, THIN, geography
from reports.html import Section, write_page
from reports.network import build_graph, node_table, summarise, write_graph
from reports.stats import MIN_COUNT
from reports.trends import Period, trends

Kind = Literal["trends", "geography", "network"]
KINDS: tuple[Kind, ...] = ("trends", "geography", "network")
PAGE = "report.html"

#: what the classifier's relevance figures are worth (classifiers/README.md, shipped model)
CLASSIFIER_CAVEAT = (
    "DSI-relevant means: the classifier's calibrated relevance is at or above its threshold. "
    "It is a model's judgement, not a curator's. For the model trained from the shipped data, "
    "classifiers/README.md measures a held-out ROC-AUC of about 0.75 on 3,826 real texts, and "
    "only about 0.64 when telling ordinary organisations' texts from DSI texts: ordinary "
    "employers are often mistaken for DSI and some DSI is missed. Read shares of DSI-relevant "
    "adverts as an indicator of direction and of differences between groups measured the same "
    "way, not as a census; the Wilson intervals cover sampling noise only, not the model's error."
)


@dataclass(slots=True)
class Written:
    folder: Path
    page: Path
    files: list[Path] = field(default_factory=list)
    #: kinds left out, with why
    skipped: dict[str, str] = field(default_factory=dict)


def write_reports(
    harvest: Harvest,
    folder: Path,
    kinds: Sequence[Kind] = KINDS,
    *,
    period: Period = "month",
    minimum: int = MIN_COUNT,
) -> Written:
    """Write the chosen reports into ``folder`` (created), with ``report.html`` over them."""
    folder.mkdir(parents=True, exist_ok=True)
    charts_dir = folder / "charts"
    out = Written(folder=folder, page=folder / PAGE)
    sections: list[Section] = []
    note = footnote(harvest.model_version, harvest.threshold, minimum)
    plain_note = footnote(harvest.model_version, harvest.threshold, None)
    if "trends" in kinds:
        if harvest.adverts.empty:
            out.skipped["trends"] = "no job adverts stored"
        else:
            sections.append(_trends(harvest, folder, charts_dir, out, period, minimum, note))
    if "geography" in kinds:
        sections.append(_geography(harvest, folder, charts_dir, out, minimum, note))
    if "network" in kinds:
        sections.append(_network(harvest, folder, charts_dir, out, plain_note))
    intro = [
        f"Generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC from {len(harvest.adverts)} "
        f"deduplicated job adverts, {len(harvest.candidates)} candidates, "
        f"{len(harvest.websites)} website profiles and {len(harvest.links)} site links.",
        "Scores: "
        + (
            f"model {harvest.model_version}, relevance threshold {harvest.threshold}."
            if harvest.model_version
            else "none (run `dsi classify`): DSI-relevant counts are empty."
        ),
        *(f"Left out: {kind}: {why}." for kind, why in out.skipped.items()),
    ]
    write_page(out.page, "DSI activity from the harvest", intro, [CLASSIFIER_CAVEAT], sections)
    meta = {
        "generated": datetime.now(UTC).isoformat(),
        "model_version": harvest.model_version,
        "relevance_threshold": harvest.threshold,
        "minimum_count": minimum,
        "period": period,
        "kinds": [k for k in kinds if k not in out.skipped],
        "skipped": out.skipped,
    }
    (folder / "report.json").write_text(json.dumps(meta, indent=2), encoding="utf-8")
    out.files += [out.page, folder / "report.json"]
    return out


def _csv(frame: pd.DataFrame, path: Path, out: Written, *, index: bool = True) -> None:
    frame.to_csv(path, index=index)
    out.files.append(path)


def _charts(charts: list[Chart], out: Written) -> list[Chart]:
    for chart in charts:
        out.files += [chart.png, chart.svg]
    return charts


def _trends(
    harvest: Harvest,
    folder: Path,
    charts_dir: Path,
    out: Written,
    period: Period,
    minimum: int,
    note: str,
) -> Section:
    t = trends(harvest.adverts, harvest.runs, period=period, minimum=minimum)
    _csv(t.series, folder / "trends_series.csv", out)
    for name, table in t.by.items():
        _csv(table.published(), folder / f"trends_by_{name}.csv", out)
    for name, shares in t.shares.items():
        _csv(shares, folder / f"trends_share_by_{name}.csv", out)
    _csv(t.breaks, folder / "trends_breaks.csv", out, index=False)
    if t.survival is not None:
        _csv(t.survival.frame(), folder / "trends_lifetimes.csv", out, index=False)
    km = t.survival
    lifetimes = (
        f"Lifetimes: {km.observed} adverts ended and {km.censored} were still online at their "
        "source's latest crawl (right-censored); median lifetime "
        + (f"{km.median():.0f} days" if km.median() is not None else "not reached yet")
        + ", "
        + ", ".join(f"{km.at(w):.0%} still online after {w} days" for w in (30, 60, 90))
        + ". Lifetimes are measured between sightings: an advert seen by one crawl only "
        "lasts 0 days here, and every ended advert may have lived up to one crawl interval "
        "longer."
        if km is not None
        else ""
    )
    breaks = t.breaks[t.breaks["break"]]
    return Section(
        anchor="trends",
        title=f"Job-advert trends per {period}",
        paragraphs=[
            "One advert is one dedupe group (the same job on several boards counts once). New: "
            "first seen in the period; ended: last seen in it and gone at its source's latest "
            "crawl; stock: online at the period's end. Shares: DSI-relevant among scored new "
            "adverts, with 95 % Wilson intervals.",
            (
                f"Counts from 1 to {minimum - 1} are hidden (–), and so are as many other cells "
                "as needed for no hidden count to be recoverable from the totals (audited by "
                "linear programming); stock is hidden from the first period whose flows are "
                "hidden."
                if minimum > 1
                else "No count is hidden (minimum count 1)."
            ),
            lifetimes,
            "Series breaks (sources added or removed): "
            + (
                "; ".join(
                    f"{period_}: +{added or '-'} / -{removed or '-'}"
                    for period_, added, removed in zip(
                        breaks["period"], breaks["added"], breaks["removed"], strict=True
                    )
                )
                or "none."
            ),
        ],
        charts=_charts(trend_charts(t, charts_dir, note), out),
        tables={
            f"Per {period}": t.series,
            "DSI-relevant share by region (whole span)": t.shares["region"],
            "New adverts by region": t.by["region"].published(),
            "DSI-relevant adverts by technology": t.by["technology"].published(),
            "DSI-relevant adverts by social area": t.by["area"].published(),
        },
    )


def _geography(
    harvest: Harvest, folder: Path, charts_dir: Path, out: Written, minimum: int, note: str
) -> Section:
    geo = geography(harvest, minimum)
    _csv(geo.countries, folder / "geography_countries.csv", out)
    _csv(geo.regions, folder / "geography_regions.csv", out)
    _csv(geo.cities, folder / "geography_cities.csv", out)
    _csv(geo.finding, folder / "geography_finding.csv", out)
    verdicts = [
        f"{str(m).replace('_', ' ')}: "
        + (
            "cannot tell (hidden counts)"
            if row.dense_above_thin is None
            else "holds"
            if row.dense_above_thin
            else "does not hold"
        )
        + f" ({row.in_europe} in Europe"
        + (
            f", {row.big_city_share:.0%} of located activity in cities of a million+"
            if pd.notna(row.big_city_share)
            else ""
        )
        + ")"
        for m, row in geo.finding.iterrows()
    ]
    return Section(
        anchor="geography",
        title="Geography",
        paragraphs=[
            "Regions (README): Western, Southern, Northern, Baltic, Eastern, Balkan; per million "
            "uses GeoNames populations (offline). The DSI4EU sample shipped with the classifier "
            "is the reference. " + _main_note(harvest),
            f"DSI4EU's finding (more activity per inhabitant in {' and '.join(DENSE)} Europe than "
            f"in the {', '.join(THIN)} regions), checked per measure: " + "; ".join(verdicts) + ".",
        ],
        charts=_charts(geography_charts(geo, charts_dir, note), out),
        tables={
            "Per region": geo.regions,
            "The DSI4EU finding per measure": geo.finding,
            "Per country": geo.countries,
            "Per city": geo.cities,
        },
    )


def _main_note(harvest: Harvest) -> str:
    if harvest.main is None:
        return (
            "No main database was read (none in this installation, or not migrated): "
            "organisations and projects are the harvest's candidates."
        )
    kinds = harvest.main["kind"].value_counts()
    return (
        f"Main database: {kinds.get('organisation', 0)} organisations and "
        f"{kinds.get('project', 0)} projects (measure main_database; in the network, joined "
        "to candidates with the same website)."
    )


def _network(harvest: Harvest, folder: Path, charts_dir: Path, out: Written, note: str) -> Section:
    graph = build_graph(harvest)
    summary = summarise(graph)
    out.files += write_graph(graph, folder)
    _csv(summary.figures, folder / "network_figures.csv", out)
    _csv(summary.degrees, folder / "network_degrees.csv", out, index=False)
    _csv(summary.central, folder / "network_central.csv", out, index=False)
    _csv(summary.communities, folder / "network_communities.csv", out, index=False)
    _csv(summary.country_pairs, folder / "network_country_pairs.csv", out, index=False)
    _csv(node_table(graph), folder / "network_nodes.csv", out, index=False)
    return Section(
        anchor="network",
        title="Network",
        paragraphs=[
            "Nodes: candidate organisations and projects, and websites that link or are linked "
            "without being a candidate. Edges: website links (direction dropped), co-mentions "
            "(one item is evidence for both), shared projects (two organisations tied to one "
            "project). Communities: Louvain (seed 0) with their modularity. GraphML and GEXF "
            "(for Gephi) are beside this page."
        ],
        charts=_charts(network_charts(graph, summary.degrees, charts_dir, note), out),
        tables={
            "Figures": summary.figures,
            "Edges by kind": summary.edge_kinds,
            "Central actors": summary.central,
            "Communities": summary.communities,
            "Cross-country edges": summary.country_pairs,
        },
    )


__all__ = ["CLASSIFIER_CAVEAT", "KINDS", "PAGE", "Written", "write_reports"]
