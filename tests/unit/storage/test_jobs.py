"""Job adverts in SQL: regrouping across sources and runs, organisations' websites for seeding."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from crawler.dedupe import DedupeIndex
from storage.items import ItemRow, upsert_items
from storage.jobs import organisation_websites, regroup_jobs
from storage.models import Candidate, Item, JobSignature
from storage.session import session_scope

TEXT = (
    "Radtreff Nord repairs donated bicycles with young people and gives them to families who "
    "cannot afford one. You will run our booking tool, keep the parts inventory in order, and "
    "train volunteers in four workshops across the district. We pay by the public sector scale, "
    "offer a bicycle of your own and two weeks of training. Send us a short letter and your "
    "CV by the end of April; we answer every application within two weeks."
)


def _website() -> ItemRow:
    return ItemRow(
        source="w",
        spider="website",
        url="https://w.example/",
        fields={"site": "https://w.example"},
        raw={},
        warnings=[],
    )


def test_regroup_jobs_across_sources_and_runs(database_url: str) -> None:

    t0 = datetime(2024, 3, 1, tzinfo=UTC)

    def row(source: str, url: str, org: str, text: str, day: int) -> ItemRow:
        return ItemRow(
            source=source,
            spider="jobs",
            url=url,
            raw={},
            warnings=[],
            fields={
                "title": "Civic Tech Developer",
                "hiring_organization": org,
                "description": text,
            },
            fetched_at=t0 + timedelta(days=day),
        )

    reposted = TEXT.replace("end of April", "end of May")
    with session_scope(database_url) as session:
        upsert_items(session, [row("board-a", "https://a.example/jobs/1", "Acme", TEXT, 0)])
        upsert_items(session, [row("board-b", "https://b.example/v/1", "ACME GmbH", TEXT, 3)])
        upsert_items(session, [row("board-a", "https://a.example/jobs/2", "Acme", reposted, 9)])
        upsert_items(
            session,
            [
                row(
                    "board-a",
                    "https://a.example/jobs/3",
                    "Acme",
                    "A finance officer for payroll and grant reporting.",
                    10,
                )
            ],
        )
        upsert_items(session, [_website()])
    with session_scope(database_url) as session:
        result = regroup_jobs(session, DedupeIndex())
    assert result.items == 4
    assert result.groups == 2
    assert result.changed == 4
    with session_scope(database_url) as session:
        groups = {i.url: i.dedupe_group for i in session.query(Item).filter_by(spider="jobs")}
        website_group = session.query(Item).filter_by(spider="website").one().dedupe_group
    assert (
        groups["https://a.example/jobs/1"]
        == groups["https://b.example/v/1"]
        == groups["https://a.example/jobs/2"]
    )
    assert groups["https://a.example/jobs/3"] != groups["https://a.example/jobs/1"]
    assert website_group is None
    with session_scope(database_url) as session:  # idempotent
        assert regroup_jobs(session, DedupeIndex()).changed == 0


def _advert(url: str, text: str, *, signed: bool = False, day: int = 0) -> ItemRow:
    title = "Civic Tech Developer"
    signature = DedupeIndex().sign(url=url, employer="Acme", title=title, description=text)
    return ItemRow(
        source="board",
        spider="jobs",
        url=url,
        raw={},
        warnings=[],
        fields={"title": title, "hiring_organization": "Acme", "description": text},
        fetched_at=datetime(2024, 3, 1, tzinfo=UTC) + timedelta(days=day),
        signature=signature if signed else None,
    )


def _signatures(session: Session) -> dict[str, tuple[str, bytes | None]]:
    rows = session.execute(
        select(Item.url, JobSignature.content_hash, JobSignature.minhash).join(
            JobSignature, JobSignature.item_id == Item.id
        )
    )
    return {url: (digest, minhash) for url, digest, minhash in rows}


def test_regrouping_makes_each_signature_once_and_again_when_the_text_changes(
    database_url: str,
) -> None:
    other = "A finance officer for payroll, grant reporting and the yearly audit of accounts."
    with session_scope(database_url) as session:
        upsert_items(
            session,
            [
                _advert("https://a.example/jobs/1", TEXT),
                _advert("https://a.example/jobs/2", TEXT.replace("April", "May"), day=1),
                _advert("https://a.example/jobs/3", other, day=2),
            ],
        )
    with session_scope(database_url) as session:
        first = regroup_jobs(session, DedupeIndex())
        kept = _signatures(session)
    assert (first.items, first.signed, first.groups, first.changed) == (3, 3, 2, 3)
    assert set(kept) == {f"https://a.example/jobs/{n}" for n in (1, 2, 3)}
    assert all(minhash is not None and len(minhash) == 4 * 128 for _, minhash in kept.values())
    with session_scope(database_url) as session:  # nothing changed: every signature is read
        again = regroup_jobs(session, DedupeIndex())
    assert (again.items, again.signed, again.groups, again.changed) == (3, 0, 2, 0)
    with session_scope(database_url) as session:  # advert 3 now says what advert 1 says
        upsert_items(session, [_advert("https://a.example/jobs/3", TEXT, day=2)])
    with session_scope(database_url) as session:
        changed = regroup_jobs(session, DedupeIndex())
        now = _signatures(session)
        groups = {i.url: i.dedupe_group for i in session.query(Item)}
    assert (changed.signed, changed.groups, changed.changed) == (1, 1, 1)
    assert now["https://a.example/jobs/3"][0] != kept["https://a.example/jobs/3"][0]
    assert len(set(groups.values())) == 1
    with session_scope(database_url) as session:  # another way of signing: all made again
        assert regroup_jobs(session, DedupeIndex(shingle_size=4)).signed == 3


def test_signatures_stored_with_their_adverts_are_not_made_again(database_url: str) -> None:
    rows = [
        _advert("https://a.example/jobs/1", TEXT, signed=True),
        _advert("https://a.example/jobs/2", TEXT.replace("April", "May"), signed=True, day=1),
        _advert("https://a.example/jobs/3", "Volunteer coordinator for our food bank.", day=2),
    ]
    with session_scope(database_url) as session:
        upsert_items(session, rows)
        assert set(_signatures(session)) == {rows[0].url, rows[1].url}
    with session_scope(database_url) as session:
        result = regroup_jobs(session, DedupeIndex())
    assert (result.items, result.signed, result.groups) == (3, 1, 2)
    # a signature stored for other content than the item now holds is not used
    with session_scope(database_url) as session:
        upsert_items(session, [_advert(rows[0].url, "Now a text about something else entirely.")])
        assert regroup_jobs(session, DedupeIndex()).signed == 1


def test_organisation_websites_for_careers_seeding(database_url: str) -> None:

    with session_scope(database_url) as session:
        session.add_all(
            [
                Candidate(
                    kind="organisation",
                    key="a",
                    name="A",
                    website="https://a.example/about",
                    status="pending",
                ),
                Candidate(
                    kind="organisation", key="b", name="B", website="b.example", status="accepted"
                ),
                Candidate(
                    kind="organisation",
                    key="c",
                    name="C",
                    website="https://c.example/",
                    status="rejected",
                ),
                Candidate(kind="project", key="d", name="D", website=None),
            ]
        )
        upsert_items(session, [_website()])
    with session_scope(database_url) as session:
        assert organisation_websites(session, kind="candidates") == [
            "https://a.example/",
            "https://b.example/",
        ]
        assert organisation_websites(session, kind="database") == [
            "https://b.example/",
            "https://w.example/",
        ]
        assert organisation_websites(session, kind="candidates", limit=1) == ["https://a.example/"]
        with pytest.raises(ValueError):
            organisation_websites(session, kind="nope")
