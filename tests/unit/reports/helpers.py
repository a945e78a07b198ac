"""A small constructed harvest with known answers (no database)."""

from __future__ import annotations

import pandas as pd

from reports.data import Harvest
from reports.places import region_of


def candidate(id_, kind, name, country, site=None, relevance=0.8, status="pending", city=None):
    return {
        "id": id_,
        "kind": kind,
        "key": name.lower(),
        "name": name,
        "website": f"https://{site}/" if site else None,
        "site": site,
        "country": country,
        "region": None,
        "city": city,
        "relevance": relevance,
        "technologies": [],
        "areas": [],
        "model_version": "v1",
        "status": status,
        "evidence": 1,
    }


def advert(group, country, relevant, city=None):
    return {
        "group": group,
        "country": country,
        "region": region_of(country),
        "city": city,
        "relevance": 0.9 if relevant else 0.1,
        "relevant": relevant,
        "relevance_threshold": 0.5,
    }


def harvest() -> Harvest:
    candidates = pd.DataFrame(
        [
            candidate(1, "organisation", "Alpha", "DE", "alpha.org", status="accepted"),
            candidate(2, "organisation", "Beta", "FR", "beta.org", relevance=0.2),
            candidate(3, "project", "Project P", "DE", city="Berlin"),
            candidate(
                4, "organisation", "Gamma", "DE", "gamma.org", status="accepted", city="Berlin"
            ),
            candidate(5, "organisation", "Delta", "EE", relevance=None),
        ]
    )
    links = pd.DataFrame(
        {
            "from_site": ["alpha.org", "beta.org", "beta.org", "gamma.org"],
            "to_site": ["beta.org", "alpha.org", "gamma.org", "other.net"],
        }
    )
    evidence = pd.DataFrame({"candidate_id": [1, 3, 4, 3, 5], "item_id": [100, 100, 101, 101, 102]})
    websites = pd.DataFrame(
        {
            "site_key": ["alpha.org"],
            "name": ["Alpha e.V."],
            "country": ["DE"],
            "city": ["Berlin"],
            "relevant": [True],
        }
    )
    adverts = pd.DataFrame(
        [
            advert("a", "DE", True, "Berlin"),
            advert("b", "DE", False, "Munich"),
            advert("c", "EE", True, "Tallinn"),
            advert("d", None, False),
        ]
    )
    return Harvest(
        model_version="v1",
        threshold=0.5,
        adverts=adverts,
        candidates=candidates,
        websites=websites,
        links=links,
        evidence=evidence,
        runs=pd.DataFrame(columns=["source", "started_at"]),
    )
