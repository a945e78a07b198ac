"""Charts of the reports (matplotlib, Agg backend: no display needed), each saved as PNG and SVG
with a footnote naming the model version, its threshold and the suppression rule."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from reports.geography import DENSE, Geography
from reports.stats import Survival
from reports.trends import WINDOWS, Trends


@dataclass(slots=True, frozen=True)
class Chart:
    name: str
    title: str
    png: Path
    svg: Path


def footnote(model_version: str | None, threshold: float | None, minimum: int | None) -> str:
    model = (
        f"model {model_version}, relevance threshold {threshold:.3f}"
        if (model_version and threshold is not None)
        else "no classifier scores"
    )
    hidden = (
        f"; counts 1-{minimum - 1} hidden (with what would reveal them)"
        if minimum and minimum > 1
        else ""
    )
    return model + hidden


def _save(fig: Figure, folder: Path, name: str, title: str, note: str) -> Chart:
    fig.suptitle(title, fontsize=11)
    fig.text(0.01, 0.01, note, fontsize=7, color="#444444")
    fig.tight_layout(rect=(0, 0.04, 1, 0.95))
    folder.mkdir(parents=True, exist_ok=True)
    png, svg = folder / f"{name}.png", folder / f"{name}.svg"
    fig.savefig(png, dpi=110)
    fig.savefig(svg)
    plt.close(fig)
    return Chart(name=name, title=title, png=png, svg=svg)


def _breaks(ax: Axes, trends: Trends) -> None:
    for i, is_break in enumerate(trends.series["series_break"]):
        if is_break:
            ax.axvline(i - 0.5, color="#b00", linestyle="--", linewidth=1)
            ax.text(i - 0.45, ax.get_ylim()[1] * 0.95, "sources changed", color="#b00", fontsize=7)


def trend_charts(trends: Trends, folder: Path, note: str) -> list[Chart]:
    s = trends.series
    x = np.arange(len(s))
    labels = list(s.index)
    step = max(1, len(labels) // 12)
    charts = []

    fig, ax = plt.subplots(figsize=(8, 3.6))
    new = s["new"].astype("Float64").fillna(np.nan).to_numpy(dtype=float)
    rel = s["relevant"].astype("Float64").fillna(np.nan).to_numpy(dtype=float)
    ax.bar(x - 0.2, new, width=0.4, label="new adverts (deduplicated)", color="#7a9cc6")
    ax.bar(x + 0.2, rel, width=0.4, label="of which DSI-relevant", color="#d9822b")
    ax.set_xticks(x[::step], labels[::step], rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("adverts")
    ax.legend(fontsize=8)
    _breaks(ax, trends)
    charts.append(_save(fig, folder, "trends_counts", f"New job adverts per {trends.period}", note))

    fig, ax = plt.subplots(figsize=(8, 3.6))
    share = s["share"].to_numpy(dtype=float)
    low = share - s["share_low"].to_numpy(dtype=float)
    high = s["share_high"].to_numpy(dtype=float) - share
    ax.errorbar(x, share, yerr=[low, high], fmt="o", capsize=3, color="#d9822b")
    ax.set_ylim(0, 1)
    ax.set_xticks(x[::step], labels[::step], rotation=45, ha="right", fontsize=8)
    ax.set_ylabel("DSI-relevant share (95 % Wilson)")
    _breaks(ax, trends)
    charts.append(
        _save(fig, folder, "trends_share", "Share of new adverts judged DSI-relevant", note)
    )

    fig, ax = plt.subplots(figsize=(8, 3.6))
    ax.plot(
        x,
        s["stock"].astype("Float64").to_numpy(dtype=float, na_value=np.nan),
        "k-o",
        label="measured (first to last seen)",
    )
    for w in WINDOWS:
        col = s[f"stock_if_{w}_days"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
        ax.plot(x, col, "--", label=f"if every advert lived {w} days")
    ax.set_xticks(x[::step], labels[::step], rotation=45, ha="right", fontsize=8)
    ax.set_ylabel(f"adverts online at the {trends.period}'s end")
    ax.legend(fontsize=8)
    charts.append(
        _save(fig, folder, "trends_stock", "Stock of adverts: measured against fixed windows", note)
    )

    if trends.survival is not None:
        charts.append(_survival_chart(trends.survival, folder, note))

    tech = trends.by["technology"].published().drop(index="total", columns="total")
    if tech.shape[1]:
        top = tech.sum().sort_values(ascending=False).index[:8]
        fig, ax = plt.subplots(figsize=(8, 3.6))
        for label in top:
            ax.plot(
                x,
                tech[label].astype("Float64").to_numpy(dtype=float, na_value=np.nan),
                "-o",
                label=str(label),
            )
        ax.set_xticks(x[::step], labels[::step], rotation=45, ha="right", fontsize=8)
        ax.set_ylabel("DSI-relevant adverts")
        ax.legend(fontsize=7, ncol=2)
        charts.append(
            _save(fig, folder, "trends_technology", "DSI-relevant adverts by technology", note)
        )
    return charts


def _survival_chart(km: Survival, folder: Path, note: str) -> Chart:
    fig, ax = plt.subplots(figsize=(6, 3.6))
    times = np.concatenate([[0.0], km.times])
    surv = np.concatenate([[1.0], km.survival])
    ax.step(times, surv, where="post", color="#2b6cb0")
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("days since first seen")
    ax.set_ylabel("share of adverts still online")
    median = km.median()
    ax.set_title(
        f"{km.observed} ended, {km.censored} still online (censored); median "
        + (f"{median:.0f} days" if median is not None else "not reached"),
        fontsize=8,
    )
    return _save(
        fig, folder, "trends_lifetime", "How long adverts stay online (Kaplan–Meier)", note
    )


def geography_charts(geo: Geography, folder: Path, note: str) -> list[Chart]:
    regions = geo.regions.drop(index=["outside Europe", "unknown"], errors="ignore")
    measures = ["relevant_adverts", "relevant_candidates", "dsi4eu"]
    fig, axes = plt.subplots(1, len(measures), figsize=(10, 3.8))
    for ax, m in zip(axes, measures, strict=True):
        values = regions[f"{m}_per_million"].fillna(0)
        colours = ["#d9822b" if r in DENSE else "#7a9cc6" for r in regions.index]
        ax.bar(range(len(values)), values.to_numpy(dtype=float), color=colours)
        ax.set_xticks(range(len(values)), list(regions.index), rotation=45, ha="right", fontsize=8)
        ax.set_title(m.replace("_", " ") + " per million", fontsize=9)
    charts = [
        _save(fig, folder, "geography_regions", "Activity per million inhabitants by region", note)
    ]
    countries = geo.countries[geo.countries["population"].notna()]
    top = countries.sort_values("adverts", ascending=False).head(15)
    if len(top):
        fig, ax = plt.subplots(figsize=(8, 3.8))
        x = np.arange(len(top))
        ax.bar(
            x - 0.2,
            top["adverts_per_million"].to_numpy(dtype=float),
            0.4,
            label="adverts",
            color="#7a9cc6",
        )
        ax.bar(
            x + 0.2,
            top["relevant_adverts_per_million"].to_numpy(dtype=float),
            0.4,
            label="DSI-relevant adverts",
            color="#d9822b",
        )
        ax.set_xticks(x, list(top.index), fontsize=8)
        ax.set_ylabel("per million inhabitants")
        ax.legend(fontsize=8)
        charts.append(
            _save(fig, folder, "geography_countries", "Job adverts per million by country", note)
        )
    return charts


def network_charts(graph: nx.Graph, degrees: pd.DataFrame, folder: Path, note: str) -> list[Chart]:
    charts = []
    fig, ax = plt.subplots(figsize=(8, 6))
    shown = (
        graph.subgraph(n for n in graph if graph.degree(n)) if graph.number_of_edges() else graph
    )
    if shown.number_of_nodes():
        pos = nx.spring_layout(shown, seed=1, k=1.5 / max(1, np.sqrt(shown.number_of_nodes())))
        colours = [shown.nodes[n].get("community", -1) for n in shown]
        sizes = [30 + 25 * shown.degree(n) for n in shown]
        nx.draw_networkx_edges(shown, pos, ax=ax, alpha=0.3)
        nx.draw_networkx_nodes(shown, pos, ax=ax, node_color=colours, cmap="tab20", node_size=sizes)
        top = sorted(shown, key=lambda n: -shown.degree(n))[:8]
        nx.draw_networkx_labels(
            shown,
            pos,
            labels={n: str(shown.nodes[n]["label"])[:28] for n in top},
            font_size=7,
            ax=ax,
        )
    ax.set_axis_off()
    ax.set_title("colour: community (Louvain); size: degree; isolated nodes left out", fontsize=8)
    charts.append(_save(fig, folder, "network", "Organisations and projects, connected", note))

    fig, ax = plt.subplots(figsize=(6, 3.6))
    ax.bar(degrees["degree"].to_numpy(), degrees["nodes"].to_numpy(), color="#7a9cc6")
    ax.set_xlabel("degree (connections)")
    ax.set_ylabel("nodes")
    charts.append(_save(fig, folder, "network_degrees", "Degree distribution", note))
    return charts


__all__ = ["Chart", "footnote", "geography_charts", "network_charts", "trend_charts"]
