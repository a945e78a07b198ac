"""Where DSI activity is: per country, European region and city, in counts and per million
inhabitants, from job adverts, candidates and website profiles, beside the DSI4EU map's sample.

Measures (columns of every table):

* ``adverts``: deduplicated job adverts; ``relevant_adverts``: those judged DSI-relevant;
* ``accepted``: candidate organisations and projects a curator accepted (or merged);
* ``relevant_candidates``: candidates at or above the model's threshold, any status;
* ``relevant_websites``: website profiles judged DSI-relevant;
* ``dsi4eu``: organisations of the DSI4EU sample shipped with the classifier (818 records of the
  digitalsocial.eu export), the reference the harvest is checked against;
* ``main_database``: organisations of the main database (the curated DSI map), when this
  installation has one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from classifiers.taxonomy import DATA_DIR
from reports.data import Harvest, export_format_frame
from reports.places import (
    OUTSIDE,
    REGION_ORDER,
    REGIONS,
    UNKNOWN,
    city_population,
    country_populations,
    region_of,
    region_populations,
)
from reports.stats import MIN_COUNT
from reports.trends import category_shares, region_shares

MEASURES = (
    "adverts",
    "relevant_adverts",
    "accepted",
    "relevant_candidates",
    "relevant_websites",
    "dsi4eu",
)
#: the DSI4EU finding: dense here ...
DENSE = ("Western", "Southern")
#: ... thin there
THIN = ("Eastern", "Northern", "Baltic", "Balkan")
BIG_CITY = 1_000_000
DSI4EU_ORGANISATIONS = DATA_DIR / "dsi4eu" / "organisations.json"


@cache
def dsi4eu_places() -> pd.DataFrame:
    """``country, city`` of each organisation in the shipped DSI4EU sample."""
    records = json.loads(DSI4EU_ORGANISATIONS.read_text(encoding="utf-8"))
    return export_format_frame(records, "organisation")[["country", "city"]]


@dataclass(slots=True)
class Geography:
    countries: pd.DataFrame
    regions: pd.DataFrame
    cities: pd.DataFrame
    #: per measure: is activity per million higher in every dense region than in every thin one
    finding: pd.DataFrame


def places(harvest: Harvest) -> dict[str, pd.DataFrame]:
    """Measure -> its ``country, city`` rows."""
    ads = harvest.adverts
    cands = harvest.candidates
    sites = harvest.websites
    threshold = harvest.threshold
    relevant_cands = (
        cands[cands["relevance"].notna() & (cands["relevance"] >= threshold)]
        if threshold is not None
        else cands.iloc[0:0]
    )
    relevant_ads = ads[ads["relevant"].fillna(False).astype(bool)]
    relevant_sites = sites[sites["relevant"].fillna(False).astype(bool)]
    out = {
        "adverts": ads[["country", "city"]],
        "relevant_adverts": relevant_ads[["country", "city"]],
        "accepted": cands[cands["status"].isin(["accepted", "merged"])][["country", "city"]],
        "relevant_candidates": relevant_cands[["country", "city"]],
        "relevant_websites": relevant_sites[["country", "city"]],
        "dsi4eu": dsi4eu_places(),
    }
    if harvest.main is not None:
        orgs = harvest.main[harvest.main["kind"] == "organisation"]
        out["main_database"] = orgs[["country", "city"]]
    return {k: v.reset_index(drop=True) for k, v in out.items()}


def geography(harvest: Harvest, minimum: int = MIN_COUNT) -> Geography:
    """Counts and per-million figures; advert counts below ``minimum`` are hidden as in the
    trend tables (the same cells as ``trends_share_by_region``/``country``)."""
    by_measure = places(harvest)
    measures = list(by_measure)
    country_counts = pd.DataFrame(
        {m: rows["country"].fillna(UNKNOWN).value_counts() for m, rows in by_measure.items()}
    ).fillna(0)
    country_counts = country_counts.reindex(columns=measures, fill_value=0).astype(int)
    pops = country_populations()
    countries = _hide_small_adverts(country_counts, harvest.adverts, "country", minimum)
    countries.insert(0, "region", [region_of(c if c != UNKNOWN else None) for c in countries.index])
    countries.insert(1, "population", [pops.get(str(c)) for c in countries.index])
    _per_million(countries, measures)
    countries = countries.sort_values(["relevant_adverts", "adverts"], ascending=False)
    countries.index.name = "country"

    regions = country_counts.groupby(
        [region_of(c if c != UNKNOWN else None) for c in country_counts.index]
    ).sum()
    regions = regions.reindex([r for r in REGION_ORDER if r in regions.index])
    regions = _hide_small_adverts(regions, harvest.adverts, "region", minimum)
    region_pops = region_populations()
    regions.insert(0, "population", [region_pops.get(str(r)) for r in regions.index])
    _per_million(regions, measures)
    regions.index.name = "region"

    cities = _cities(by_measure, harvest.adverts, minimum)
    return Geography(
        countries=countries,
        regions=regions,
        cities=cities,
        finding=density_finding(regions, cities, measures),
    )


def _per_million(frame: pd.DataFrame, measures: list[str]) -> None:
    population = pd.to_numeric(frame["population"], errors="coerce")
    for m in measures:
        counts = pd.to_numeric(frame[m], errors="coerce").astype(float)
        frame[f"{m}_per_million"] = (counts / population * 1e6).round(3)


def _hide_small_adverts(
    counts: pd.DataFrame, adverts: pd.DataFrame, by: str, minimum: int
) -> pd.DataFrame:
    """``counts`` with its ``adverts`` and ``relevant_adverts`` columns as the suppressed
    per-``by`` table of the trends publishes them (``<NA>`` where hidden)."""
    out = counts.astype("Int64")
    if adverts.empty or minimum <= 1:
        return out
    published = region_shares(adverts, minimum)[by]
    for col, source in (("adverts", "adverts"), ("relevant_adverts", "relevant")):
        known = out.index.isin(published.index)
        out.loc[known, col] = published[source].reindex(out.index[known]).to_numpy()
    return out


def _cities(
    by_measure: dict[str, pd.DataFrame], adverts: pd.DataFrame, minimum: int
) -> pd.DataFrame:
    frames = []
    for m, rows in by_measure.items():
        known = rows.dropna(subset=["country", "city"])
        counts = known.groupby(["country", "city"]).size().rename(m)
        frames.append(counts)
    table = pd.concat(frames, axis=1).fillna(0).astype(int)
    measures = list(by_measure)
    table = table.reindex(columns=measures, fill_value=0)
    if not adverts.empty and minimum > 1:
        located = adverts.dropna(subset=["country", "city"])
        keyed = located.assign(place=located["country"] + "|" + located["city"])
        published = category_shares(keyed, "place", minimum).drop(index="unknown", errors="ignore")
        table = table.astype("Int64")
        keys = [f"{country}|{city}" for country, city in table.index]
        listed = [key in published.index for key in keys]
        chosen = [key for key in keys if key in published.index]
        table.loc[listed, "adverts"] = published.loc[chosen, "adverts"].to_numpy()
        table.loc[listed, "relevant_adverts"] = published.loc[chosen, "relevant"].to_numpy()
    table["population"] = [city_population(c, name) for c, name in table.index]
    table["region"] = [region_of(c) for c, _ in table.index]
    _per_million(table, measures)
    table = table.sort_values(["relevant_adverts", "adverts", "dsi4eu"], ascending=False)
    table.index.names = ["country", "city"]
    return table


def density_finding(
    regions: pd.DataFrame, cities: pd.DataFrame, measures: list[str]
) -> pd.DataFrame:
    """Per measure: per-million activity in the dense and thin regions, whether every dense
    region is above every thin one (the DSI4EU finding), and the share of city-level activity
    in cities of a million or more inhabitants."""
    rows = []
    in_big = cities["population"].fillna(0) >= BIG_CITY
    for m in measures:
        per = regions[f"{m}_per_million"]
        dense = [float(per.get(r, np.nan)) for r in DENSE]
        thin = [float(per.get(r, 0.0)) for r in THIN]
        total = int(regions[m].drop([OUTSIDE, UNKNOWN], errors="ignore").fillna(0).sum())
        located = int(cities.loc[cities["population"].notna(), m].fillna(0).sum())
        rows.append(
            {
                "measure": m,
                "in_europe": total,
                **{f"{r}_per_million": per.get(r, np.nan) for r in REGIONS},
                # None: a hidden count leaves it open
                "dense_above_thin": (
                    None
                    if np.isnan(np.asarray([*dense, *thin], dtype=float)).any()
                    else bool(total) and min(dense) > max(thin)
                ),
                "big_city_share": (
                    round(float(cities.loc[in_big, m].fillna(0).sum()) / located, 3)
                    if located
                    else np.nan
                ),
            }
        )
    return pd.DataFrame(rows).set_index("measure")


__all__ = [
    "DENSE",
    "MEASURES",
    "THIN",
    "Geography",
    "density_finding",
    "dsi4eu_places",
    "geography",
]
