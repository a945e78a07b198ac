"""Geography of a constructed harvest: counts, regions, per million, the DSI4EU finding."""

from __future__ import annotations

import pandas as pd
import pytest

from reports.data import export_format_frame
from reports.geography import dsi4eu_places, geography
from reports.places import country_code, country_populations, region_of, region_populations
from reports.trends import region_shares
from tests.unit.reports.helpers import harvest


def test_regions_and_codes() -> None:
    assert region_of("DE") == "Western" and region_of("ee") == "Baltic"
    assert region_of("RS") == "Balkan" and region_of("US") == "outside Europe"
    assert region_of(None) == "unknown"
    assert country_code("United Kingdom") == "GB" and country_code("Czech Republic") == "CZ"
    assert country_code("Estonia") == "EE" and country_code("nowhere") is None
    pops = country_populations()
    assert region_populations()["Baltic"] == pops["EE"] + pops["LV"] + pops["LT"]


def test_counts_and_per_million() -> None:
    geo = geography(harvest(), minimum=1)
    c = geo.countries
    assert c.loc["DE", "adverts"] == 2 and c.loc["DE", "relevant_adverts"] == 1
    assert c.loc["EE", "relevant_adverts"] == 1 and c.loc["unknown", "adverts"] == 1
    assert c.loc["DE", "accepted"] == 2  # Alpha and Gamma
    assert c.loc["DE", "relevant_candidates"] == 3 and c.loc["FR", "relevant_candidates"] == 0
    ee = country_populations()["EE"]
    assert c.loc["EE", "relevant_adverts_per_million"] == pytest.approx(1e6 / ee, abs=1e-3)
    r = geo.regions
    assert r.loc["Baltic", "relevant_adverts"] == 1 and r.loc["Western", "adverts"] == 2
    assert r.loc["Baltic", "relevant_adverts_per_million"] == pytest.approx(
        1e6 / region_populations()["Baltic"], abs=1e-3
    )
    # the shipped DSI4EU sample: 207 of its organisations are in the United Kingdom
    assert c.loc["GB", "dsi4eu"] == 207 == (dsi4eu_places()["country"] == "GB").sum()
    berlin = geo.cities.loc[("DE", "Berlin")]
    assert berlin["adverts"] == 1 and berlin["population"] > 3_000_000


def test_finding_per_measure() -> None:
    f = geography(harvest(), minimum=1).finding
    # one relevant advert in Estonia, one in Germany: per inhabitant the Baltic is denser
    assert not f.loc["relevant_adverts", "dense_above_thin"]
    # DSI4EU's own sample shows its finding
    assert f.loc["dsi4eu", "dense_above_thin"]
    assert f.loc["relevant_adverts", "big_city_share"] == pytest.approx(0.5)  # Berlin; Tallinn


def test_main_database_is_a_measure_when_there_is_one() -> None:
    h = harvest()
    assert "main_database" not in geography(h).regions.columns
    h.main = export_format_frame(
        [
            {"organisation_id": 1, "organisation_name": "A", "country": "Latvia", "region": "Riga"},
            {"organisation_id": 2, "organisation_name": "B", "country": "Spain"},
        ],
        "organisation",
    )
    geo = geography(h)
    assert geo.regions.loc["Baltic", "main_database"] == 1
    assert geo.countries.loc["ES", "main_database"] == 1
    assert geo.cities.loc[("LV", "Riga"), "main_database"] == 1
    assert "main_database" in geo.finding.index


def test_small_advert_counts_hidden_as_in_the_trend_tables() -> None:
    h = harvest()
    geo = geography(h, minimum=2)
    shares = region_shares(h.adverts, 2)["country"]
    # Estonia has one advert: hidden here as in trends_share_by_country
    assert pd.isna(geo.countries.loc["EE", "adverts"]) and pd.isna(shares.loc["EE", "adverts"])
    assert pd.isna(geo.regions.loc["Baltic", "relevant_adverts"])
    assert pd.isna(geo.cities.loc[("EE", "Tallinn"), "adverts"])
    # organisations are not suppressed
    assert geo.countries.loc["DE", "accepted"] == 2
