"""Near-duplicate grouping of job adverts: pure logic, the pipeline and the SQL regrouping."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from crawler.dedupe import DedupeIndex, content_key, employer_key, shingles
from crawler.items import JobAdvert
from crawler.urls import canonical_url

TEXT = (
    "Open Streets Collective builds open-source tools that let residents report broken "
    "pavements and propose safer crossings to their council. You will maintain our Django "
    "reporting platform, run user research with residents, and work with volunteers and city "
    "officials in three cities. We value accessibility and plain language, offer flexible "
    "hours, thirty days of holiday and a learning budget. Applications close at the end of "
    "April and interviews take place online in the first week of May."
)


def test_canonical_url_drops_tracking_and_sorts_query() -> None:
    a = canonical_url("HTTPS://Jobs.Example.org:443/jobs/x.html?utm_source=a&b=2&a=1&gclid=z#top")
    assert a == "https://jobs.example.org/jobs/x.html?a=1&b=2"
    assert canonical_url("http://example.org") == "http://example.org/"
    assert canonical_url("https://x.org/a#frag", keep_fragment=True) == "https://x.org/a#frag"


def test_employer_key_ignores_legal_forms_and_case() -> None:
    assert employer_key("Datenwerk e.V.") == employer_key("DATENWERK")
    assert employer_key("Fundacja Otwarty Kod sp. z o.o.") == employer_key("Otwarty Kod")
    assert employer_key("Green Valley Housing Co-op Ltd") == employer_key(
        "green valley housing co op"
    )
    assert employer_key(None) == ""


def test_content_key_is_insensitive_to_markup_spacing_and_case() -> None:
    assert content_key("Acme GmbH", "Dev", "Hello,  world!") == content_key(
        "ACME", "dev", "hello world"
    )
    assert content_key("Acme", "Dev", "Hello world") != content_key("Other", "Dev", "Hello world")


def test_shingles() -> None:
    assert shingles("one two three") == {"one two three"}
    assert len(shingles("a b c d e f g")) == 3
    assert shingles("") == set()


def _add(
    index: DedupeIndex,
    key: str,
    url: str,
    employer: str | None,
    text: str,
    title: str = "Civic Tech Developer",
) -> str:
    return index.add(key, url=url, employer=employer, title=title, description=text)


def test_same_canonical_url_is_one_group() -> None:
    index = DedupeIndex()
    assert _add(index, "a", "https://b.org/jobs/1?utm_source=x", "Acme", TEXT) == "new"
    assert _add(index, "b", "https://b.org/jobs/1", "Other", "different text entirely") == "url"
    assert index.group_of("a") == index.group_of("b")


def test_same_content_on_two_boards_is_one_group() -> None:
    index = DedupeIndex()
    _add(index, "a", "https://board-one.example/jobs/1", "Open Streets Collective", TEXT)
    how = _add(
        index, "b", "https://board-two.example/v/99", "OPEN STREETS COLLECTIVE Ltd", TEXT.upper()
    )
    assert how == "content"
    assert index.group_of("a") == index.group_of("b")


def test_near_duplicate_same_employer_is_grouped() -> None:
    index = DedupeIndex()
    _add(index, "a", "https://one.example/jobs/1", "Open Streets Collective", TEXT)
    reposted = TEXT.replace("end of April", "end of May").replace(
        "first week of May", "first week of June"
    )
    assert (
        _add(index, "b", "https://two.example/jobs/7", "Open Streets Collective", reposted)
        == "near"
    )
    assert index.group_of("a") == index.group_of("b")


def test_similar_text_of_another_employer_is_not_grouped() -> None:
    index = DedupeIndex()
    _add(index, "a", "https://one.example/jobs/1", "Open Streets Collective", TEXT)
    assert _add(index, "b", "https://two.example/jobs/7", "Another Org", TEXT + " Extra.") == "new"
    assert index.group_of("a") != index.group_of("b")


def test_different_jobs_of_one_employer_are_not_grouped() -> None:
    index = DedupeIndex()
    _add(index, "a", "https://one.example/jobs/1", "Acme", TEXT)
    other = (
        "Acme is hiring a finance officer to manage payroll, grants reporting and the "
        "annual audit. You will work closely with the board treasurer and our auditors, "
        "prepare monthly management accounts and look after supplier payments."
    )
    assert (
        _add(index, "b", "https://one.example/jobs/2", "Acme", other, title="Finance Officer")
        == "new"
    )
    assert index.group_of("a") != index.group_of("b")


def test_group_id_follows_the_earliest_member_and_is_transitive() -> None:
    index = DedupeIndex()
    _add(index, "a", "https://one.example/jobs/1", "Acme", TEXT)
    _add(index, "b", "https://two.example/jobs/1", "Zeta", "unrelated text about finance " * 5)
    _add(index, "c", "https://two.example/jobs/1?utm_medium=x", "Acme", TEXT)  # url of b,
    groups = index.groups()  # content of a: a, b and c are one job
    assert groups["a"] == groups["b"] == groups["c"]
    from crawler.dedupe import group_id

    assert groups["a"] == group_id("https://one.example/jobs/1")
    assert len(groups["a"]) == 40


# --- pipeline ---------------------------------------------------------------------------------
def _job(url: str, text: str = TEXT, org: str = "Acme") -> JobAdvert:
    return JobAdvert(
        source="s", url=url, title="Civic Tech Developer", hiring_organization=org, description=text
    )


def test_pipeline_drops_same_url_repeats_and_counts_duplicates() -> None:
    from crawler.pipelines.dedupe import DedupePipeline

    crawler = get_crawler(settings_dict={"DSI_DEDUPE_REGROUP": False})
    crawler.stats.open_spider()
    pipe = DedupePipeline.from_crawler(crawler)
    pipe.process_item(_job("https://a.example/jobs/1"))
    with pytest.raises(DropItem):
        pipe.process_item(_job("https://a.example/jobs/1?utm_source=x"))
    pipe.process_item(_job("https://b.example/jobs/9"))  # same content elsewhere: kept
    other = object()
    assert pipe.process_item(other) is other  # not a job advert: untouched
    stats = crawler.stats.get_stats()
    assert stats["dsi/dedupe/dropped_same_url"] == 1
    assert stats["dsi/dedupe/exact"] == 1


def test_pipeline_can_be_switched_off() -> None:
    from scrapy.exceptions import NotConfigured

    from crawler.pipelines.dedupe import DedupePipeline

    with pytest.raises(NotConfigured):
        DedupePipeline.from_crawler(get_crawler(settings_dict={"DSI_DEDUPE_ENABLED": False}))


# --- storage ----------------------------------------------------------------------------------
def test_regroup_jobs_across_sources_and_runs(database_url: str) -> None:
    from storage.items import ItemRow, upsert_items
    from storage.jobs import regroup_jobs
    from storage.models import Item
    from storage.session import session_scope

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
        upsert_items(
            session,
            [
                ItemRow(
                    source="w",
                    spider="website",
                    url="https://w.example/",
                    fields={"site": "https://w.example"},
                    raw={},
                    warnings=[],
                )
            ],
        )
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


def test_organisation_websites_for_careers_seeding(database_url: str) -> None:
    from storage.items import ItemRow, upsert_items
    from storage.jobs import organisation_websites
    from storage.models import Candidate
    from storage.session import session_scope

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
        upsert_items(
            session,
            [
                ItemRow(
                    source="w",
                    spider="website",
                    url="https://w.example/",
                    fields={"site": "https://w.example"},
                    raw={},
                    warnings=[],
                )
            ],
        )
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
