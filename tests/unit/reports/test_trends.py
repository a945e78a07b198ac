"""Trend tables on constructed adverts with known counts, lifetimes and a source added."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from reports.data import deduplicate
from reports.trends import trends


def ts(day: str) -> pd.Timestamp:
    return pd.Timestamp(f"2026-{day}T12:00:00Z")


def member(item_id, source, first, last, relevance, group=None, techs=(), country=None):
    return {
        "item_id": item_id,
        "source": source,
        "url": f"https://{source}.example/{item_id}",
        "first_seen": ts(first),
        "last_seen": ts(last),
        "times_seen": 1,
        "dedupe_group": group,
        "title": f"advert {item_id}",
        "hiring_organization": None,
        "location_city": None,
        "location_country": country,
        "relevance": relevance,
        "relevant": relevance >= 0.5,
        "technologies": list(techs),
        "areas": [],
        "model_version": "v1",
        "relevance_threshold": 0.5,
    }


MEMBERS = pd.DataFrame(
    [
        member(1, "a", "01-05", "02-01", 0.9, techs=["open data"], country="DE"),
        member(2, "a", "01-05", "03-01", 0.2, country="FR"),
        member(3, "a", "01-05", "01-05", 0.8, techs=["apps"], country="DE"),
        member(4, "b", "02-01", "03-01", 0.7, techs=["open data", "apps"], country="EE"),
        # one job on both boards: counted once, live because board b still shows it
        member(5, "a", "02-01", "02-01", 0.3, group="g", country="Estonia"),
        member(6, "b", "02-01", "03-01", 0.6, group="g", techs=["apps"]),
    ]
)
RUNS = pd.DataFrame(
    {
        "source": ["a", "a", "a", "b", "b"],
        "started_at": [ts("01-05"), ts("02-01"), ts("03-01"), ts("02-01"), ts("03-01")],
    }
)
# the crawls start at noon; the adverts are seen a moment later
RUNS["started_at"] = RUNS["started_at"] - pd.Timedelta(minutes=1)


def adverts() -> pd.DataFrame:
    return deduplicate(MEMBERS, RUNS)


def test_deduplicated_adverts() -> None:
    ads = adverts().set_index("group")
    assert len(ads) == 5
    g = ads.loc["g"]
    assert g["members"] == 2 and g["sources"] == "a,b" and g["live"]
    assert g["first_seen"] == ts("02-01") and g["last_seen"] == ts("03-01")
    assert g["relevance"] == 0.6 and g["relevant"] and g["technologies"] == ["apps"]
    assert g["country"] == "EE" and g["region"] == "Baltic"  # the name became a code
    assert ads.loc["item:1", "region"] == "Western"
    assert ads["live"].to_dict() == {
        "item:1": False,
        "item:2": True,
        "item:3": False,
        "item:4": True,
        "g": True,
    }
    assert ads.loc["item:2", "lifetime_days"] == 55


def test_counts_stock_flow_and_breaks() -> None:
    t = trends(adverts(), RUNS, period="month", minimum=1)
    s = t.series
    assert list(s.index) == ["2026-01", "2026-02", "2026-03"]
    assert s["new"].tolist() == [3, 2, 0]
    assert s["relevant"].tolist() == [2, 2, 0]
    assert s.loc["2026-01", "share"] == pytest.approx(2 / 3)
    assert s.loc["2026-01", "share_low"] == pytest.approx(0.2077, abs=1e-4)
    assert np.isnan(s.loc["2026-03", "share"])  # nothing new, no share
    assert s["ended"].tolist() == [1, 1, 0]
    assert s["stock"].tolist() == [2, 3, 3]
    assert s["stock_if_30_days"].tolist() == [3, 2, 2]  # the last period ends at the last crawl
    assert s["stock_if_60_days"].tolist() == [3, 5, 5]
    assert s["series_break"].tolist() == [False, True, False]
    assert t.breaks.loc[1, "added"] == "b" and t.breaks.loc[1, "removed"] == ""
    tech = t.by["technology"].published()
    assert tech.loc["2026-01", "open data"] == 1 and tech.loc["2026-02", "apps"] == 2
    region = t.by["region"].published()
    assert list(region.columns) == ["Western", "Baltic", "total"]
    assert region.loc["2026-02", "Baltic"] == 2
    assert t.shares["region"].loc["Western", "adverts"] == 3


def test_lifetimes_are_kaplan_meier_with_censoring() -> None:
    km = trends(adverts(), RUNS, minimum=1).survival
    assert km is not None
    # ended adverts: 0 days (1 of 5 at risk), 27 days (1 of 4): 0.8, then 0.6
    assert km.times.tolist() == [0, 27]
    assert km.survival.tolist() == pytest.approx([0.8, 0.6])
    assert (km.observed, km.censored) == (2, 3)
    assert km.median() is None  # most adverts are still online
    # the naive mean of finished adverts says 13.5 days: the censored ones are much longer


def test_small_cells_hidden_consistently() -> None:
    t = trends(adverts(), RUNS, period="month", minimum=3)
    s = t.series
    assert pd.isna(s.loc["2026-02", "new"])  # 2 new adverts: below 3
    region = t.by["region"].published()
    assert pd.isna(region.loc["2026-02", "total"])  # the same total hidden in every table
    assert pd.isna(s.loc["2026-02", "stock"]) and pd.isna(s.loc["2026-03", "stock"])
    assert np.isnan(s.loc["2026-02", "share"])


def test_weekly_periods_and_errors() -> None:
    t = trends(adverts(), RUNS, period="week", minimum=1)
    assert t.series.index[0] == "2026-01-05"  # the Monday of the first week
    assert t.series["new"].sum() == 5
    with pytest.raises(ValueError, match="no job adverts"):
        trends(adverts().iloc[0:0], RUNS)
    with pytest.raises(ValueError, match="unknown period"):
        trends(adverts(), RUNS, period="year")  # type: ignore[arg-type]


def test_a_country_hidden_alone_in_its_region_cannot_be_recovered() -> None:
    # 20 adverts in Germany, 3 in France (hidden), 15 in Estonia: Western = DE + FR, so France
    # would be Western minus Germany unless one more cell of the region is hidden
    countries = ["DE"] * 20 + ["FR"] * 3 + ["EE"] * 15
    members = pd.DataFrame(
        [
            member(i, "a", "01-05", "01-05", 0.9 if i % 2 else 0.1, country=c)
            for i, c in enumerate(countries)
        ]
    )
    ads = deduplicate(members, RUNS)
    t = trends(ads, RUNS, minimum=5)
    for country, region in (
        (t.by["country"].published(), t.by["region"].published()),
        (
            t.shares["country"][["adverts"]].T,
            t.shares["region"][["adverts"]].T,
        ),
    ):
        for row in country.index:
            fr, de = country.loc[row, "FR"], country.loc[row, "DE"]
            western = region.loc[row, "Western"]
            assert pd.isna(fr)  # 3 < 5
            assert pd.isna(de) or pd.isna(western), (row, de, western)
