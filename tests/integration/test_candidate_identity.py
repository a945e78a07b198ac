"""One candidate per real organisation (SQLite and PostgreSQL): a website, its LinkedIn page, a
job advert naming the employer with its LinkedIn URL and one naming it without any URL all
join one candidate; look-alikes stay apart; candidates are matched against the main database;
two writers at once never create one organisation twice."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from classifiers.dataset import SHIPPED_ORGANISATIONS
from crawler.classify_items import candidate_refs
from crawler.resolve import CandidateResolver, MainMatcher, match_candidates
from storage import maindb
from storage.candidates import evidence_items, keys_of, link_evidence, list_candidates
from storage.items import ItemRow, upsert_items
from storage.models import Candidate, Item
from storage.session import session_scope


def _item(spider: str, url: str, **fields: Any) -> ItemRow:
    return ItemRow(source="t", spider=spider, url=url, fields={"url": url, **fields}, raw={},
                   warnings=[], title=fields.get("title") or fields.get("name"))  # fmt: skip


ITEMS = [
    _item("jobs", "https://board.example/1", title="Data steward",
          hiring_organization="Offene Stadt e.V.",
          hiring_organization_url="https://www.linkedin.com/company/offene-stadt",
          location_city="Berlin", location_country="DE"),
    _item("jobs", "https://board.example/2", title="Entwickler:in",
          hiring_organization="OFFENE STADT", location_city="Berlin", location_country="DE"),
    _item("website", "https://www.offenestadt.de/", site="https://www.offenestadt.de",
          name="Offene Stadt e.V. – Freie Software für alle", city="Berlin", country="DE",
          social_links={"github": "https://github.com/offenestadt",
                        "mastodon": "https://mastodon.social/@offenestadt"}),
    _item("opendata", "https://ckan.example/organization/offene-stadt", title="Offene Stadt e.V.",
          kind="publisher", country="DE"),
    # a look-alike: another city's open-data group, not the same organisation
    _item("jobs", "https://board.example/3", title="Community manager",
          hiring_organization="Offene Stadt Hamburg e.V.",
          hiring_organization_url="https://www.offene-stadt-hamburg.de",
          location_city="Hamburg", location_country="DE"),
    # the employer's LinkedIn URL is a social link, never its website
    _item("jobs", "https://board.example/4", title="Accountant",
          hiring_organization="Brightline Accounting Ltd",
          hiring_organization_url="https://uk.linkedin.com/company/brightline-accounting",
          location_city="Manchester", location_country="GB"),
    _item("jobs", "https://board.example/5", title="Bookkeeper",
          hiring_organization="Brightline Accounting", location_country="GB",
          hiring_organization_url="https://www.brightline.co.uk/careers"),
]  # fmt: skip


def _resolve_all(url: str, resolver: CandidateResolver, rows: list[ItemRow]) -> None:
    for row in rows:
        with session_scope(url) as session:
            upsert_items(session, [row])
            item = session.query(Item).filter_by(url=row.url, source=row.source).one()
            for ref in candidate_refs(item):
                link_evidence(session, resolver.resolve(session, ref), item.id, ref.role)


def test_one_candidate_per_organisation(database_url: str) -> None:
    _resolve_all(database_url, CandidateResolver(), ITEMS)
    with session_scope(database_url) as session:
        found = {c.name: c for c in list_candidates(session, kind="organisation")}
        assert sorted(found) == [
            "Brightline Accounting Ltd",
            "Offene Stadt Hamburg e.V.",
            "Offene Stadt e.V. – Freie Software für alle",
        ]
        offene = found["Offene Stadt e.V. – Freie Software für alle"]
        assert offene.website == "https://www.offenestadt.de"  # its own site, named by it
        assert offene.social_links["linkedin"] == "https://www.linkedin.com/company/offene-stadt"
        assert offene.social_links["github"] == "https://github.com/offenestadt"
        assert len(evidence_items(session, offene.id)) == 4
        assert "domain:offenestadt.de" in keys_of(session, offene.id)
        bright = found["Brightline Accounting Ltd"]
        assert bright.website == "https://www.brightline.co.uk/careers"
        assert "linkedin.com" not in (bright.website or "")
        assert bright.social_links == {
            "linkedin": "https://uk.linkedin.com/company/brightline-accounting"
        }


def test_resolution_is_idempotent(database_url: str) -> None:
    _resolve_all(database_url, CandidateResolver(), ITEMS)
    _resolve_all(database_url, CandidateResolver(), list(reversed(ITEMS)))  # a new process
    with session_scope(database_url) as session:
        assert len(list_candidates(session)) == 3


def test_candidates_are_matched_against_the_main_database(database_url: str) -> None:
    with session_scope(database_url) as session:
        maindb.import_records(session, json.loads(SHIPPED_ORGANISATIONS.read_text("utf-8")))
    rows = [
        _item("jobs", "https://board.example/b", title="3D artist",
              hiring_organization="Blender Foundation", location_country="NL"),
        _item("jobs", "https://board.example/z", title="Baker",
              hiring_organization="Bäckerei Sonnenkorn", location_country="DE"),
    ]  # fmt: skip
    _resolve_all(database_url, CandidateResolver(), rows)
    with session_scope(database_url) as session:
        main = MainMatcher({"organisation": maindb.match_records(session, "organisation")})
        ids = [c.id for c in list_candidates(session)]
        assert match_candidates(session, ids, main) == 1
    with session_scope(database_url) as session:
        blender, baker = (session.get(Candidate, i) for i in ids)
        assert blender is not None and baker is not None
        assert blender.match_id == 585 and blender.match_score is not None
        assert any("same name" in r for r in blender.match_reasons)
        assert baker.match_id is None


def _org_rows(n: int) -> tuple[list[ItemRow], list[ItemRow]]:
    """Per organisation: its website (with no social links) and a job advert naming it with
    its LinkedIn page -- no key in common, only the matcher can join them."""
    sites, jobs = [], []
    for i in range(n):
        name = f"Civic Lab {WORDS[i]}"
        sites.append(
            _item(
                "website",
                f"https://www.{WORDS[i]}-lab.de/",
                name=name,
                site=f"https://www.{WORDS[i]}-lab.de",
                country="DE",
            )
        )
        jobs.append(
            _item(
                "jobs",
                f"https://board.example/{i}",
                title="Developer",
                hiring_organization=f"{name} e.V.",
                location_country="DE",
                hiring_organization_url=f"https://www.linkedin.com/company/{WORDS[i]}",
            )
        )
    return sites, jobs


WORDS = [
    "amsel",
    "drossel",
    "fink",
    "star",
    "meise",
    "specht",
    "kranich",
    "reiher",
    "storch",
    "schwalbe",
    "lerche",
    "taube",
    "eule",
    "falke",
    "adler",
]


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_two_writers_never_create_one_organisation_twice(database_url: str) -> None:
    """Two resolvers (as two `dsi classify` processes, one transaction per batch) take the
    same organisations' evidence at the same time: one its websites, one its job adverts
    (PostgreSQL: SQLite takes one writer at a time)."""
    sites, jobs = _org_rows(len(WORDS))
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def writer(rows: list[ItemRow]) -> None:
        try:
            barrier.wait()
            resolver = CandidateResolver()
            for start in range(0, len(rows), 5):  # batches of five items per transaction
                with session_scope(database_url) as session:
                    upsert_items(session, rows[start : start + 5])
                    for row in rows[start : start + 5]:
                        item = session.query(Item).filter_by(url=row.url).one()
                        for ref in candidate_refs(item):
                            cid = resolver.resolve(session, ref)
                            link_evidence(session, cid, item.id, ref.role)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(rows,)) for rows in (sites, jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == []
    with session_scope(database_url) as session:
        found = list_candidates(session)
        assert len(found) == len(WORDS), sorted(c.name for c in found)
        assert all(len(evidence_items(session, c.id)) == 2 for c in found)
