"""The ``opendata`` spider against the sandbox portals (real ``dsi crawl`` processes), and its
repository over SQLite and PostgreSQL.

The incremental test runs its own sandbox: it mutates the CKAN catalogue, which the session's
shared sandbox must not see.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.items import ItemRow, upsert_items
from storage.models import CrawlRun, Item
from storage.opendata import (
    COMPLETE_STAT,
    WATERMARKS_STAT,
    last_complete_run,
    mark_deleted,
    stored_dataset_urls,
)
from storage.runs import finish_run, start_run
from storage.session import session_scope
from tests.conftest import crawl_adhoc

PORTAL = "https://portal.example/"


def _complete_run(session: Session) -> None:
    """A finished, complete run of ``src`` whose watermark for the portal is 2024-05-01."""
    run = start_run(session, source="src", spider="opendata")
    finish_run(
        session,
        run.id,
        status="finished",
        stats={COMPLETE_STAT: 1, WATERMARKS_STAT: {PORTAL: "2024-05-01T00:00:00+00:00"}},
    )


def _row(name: str, *, kind: str = "dataset", portal: str = PORTAL) -> ItemRow:
    url = f"{portal}{'dataset' if kind == 'dataset' else 'organization'}/{name}"
    fields = {
        "url": url,
        "kind": kind,
        "dataset_id": f"id-{name}",
        "portal_url": portal,
        "title": name.title(),
        "deleted": False,
    }
    return ItemRow(
        source="src",
        spider="opendata",
        url=url,
        fields=fields,
        raw={},
        warnings=[],
        title=name.title(),
    )


def test_repository_state_and_deletion_marks(database_url: str) -> None:
    with session_scope(database_url) as session:
        upsert_items(
            session,
            [
                _row("a"),
                _row("b"),
                _row("org", kind="publisher"),
                _row("c", portal="https://other.example/"),
            ],
        )
        _complete_run(session)
        partial = start_run(session, source="src", spider="opendata")
        finish_run(session, partial.id, status="finished", stats={})  # not complete
        failed = start_run(session, source="src", spider="opendata")
        finish_run(session, failed.id, status="failed", stats={COMPLETE_STAT: 1})
    with session_scope(database_url) as session:
        run = last_complete_run(session, "src")
        assert run is not None and run.watermarks == {PORTAL: "2024-05-01T00:00:00+00:00"}
        assert last_complete_run(session, "other-source") is None
        stored = stored_dataset_urls(session, "src", PORTAL)
        assert stored == {f"{PORTAL}dataset/a": "id-a", f"{PORTAL}dataset/b": "id-b"}
        before = {
            i.url: (i.last_seen, i.times_seen, i.title) for i in session.scalars(select(Item))
        }
        assert mark_deleted(session, "src", [f"{PORTAL}dataset/b", f"{PORTAL}dataset/zz"]) == 1
    with session_scope(database_url) as session:
        items = {i.url: i for i in session.scalars(select(Item))}
        gone = items[f"{PORTAL}dataset/b"]
        assert gone.fields["deleted"] is True
        assert (gone.last_seen, gone.times_seen, gone.title) == before[gone.url]
        assert items[f"{PORTAL}dataset/a"].fields["deleted"] is False
        assert stored_dataset_urls(session, "src", PORTAL) == {f"{PORTAL}dataset/a": "id-a"}
        assert mark_deleted(session, "src", [f"{PORTAL}dataset/b"]) == 0  # already marked


# --- sandbox crawls ------------------------------------------------------------------------------
def crawl(url: str, database: str, *options: str, exit_code: int = 0) -> dict[str, Any]:
    return crawl_adhoc("opendata", url, database, *options, exit_code=exit_code)


def items(database: str, **where: Any) -> list[dict[str, Any]]:
    with session_scope(database) as session:
        rows = list(session.scalars(select(Item).where(Item.spider == "opendata")))
        out = [dict(r.fields) | {"_times_seen": r.times_seen} for r in rows]
    return [f for f in out if all(f.get(k) == v for k, v in where.items())]


def last_run(database: str) -> CrawlRun:
    with session_scope(database) as session:
        run = session.scalars(select(CrawlRun).order_by(CrawlRun.id.desc())).first()
        assert run is not None
        session.expunge(run)
        return run


def ckan_calls(paths: list[str]) -> list[tuple[str, dict[str, list[str]]]]:
    out = []
    for target in paths:
        parts = urlsplit(target)
        if "/api/3/action/" in parts.path:
            out.append((parts.path.rsplit("/", 1)[1], parse_qs(parts.query)))
    return out


@pytest.fixture
def own_sandbox() -> Iterator[Any]:
    from sandbox.server import SandboxServer

    with SandboxServer(port=0) as server:
        yield server


@pytest.mark.slow
def test_ckan_full_then_incremental_run(own_sandbox: Any, sqlite_url: str) -> None:
    sb = own_sandbox
    url = sb.base_url + "/ckan/"
    sb.clear_requests()
    first = crawl(url, sqlite_url, "api=ckan")
    full_calls = ckan_calls(list(sb.requested_paths()))
    run1 = last_run(sqlite_url)
    assert run1.status == "finished", run1.stats
    assert run1.stats.get(COMPLETE_STAT) == 1
    public = [i for i in sb.ckan.dataset_ids() if not sb.ckan.get(i)["private"]]
    datasets = items(sqlite_url, kind="dataset")
    assert sorted(d["dataset_id"] for d in datasets) == sorted(public)
    assert all(d["url"].startswith(url + "dataset/") for d in datasets)
    showcases = items(sqlite_url, kind="showcase")
    assert len(showcases) == len(sb.ckan.showcases)
    assert all(s["showcase_url"] and s["linked_dataset_ids"] for s in showcases)
    assert len(items(sqlite_url, kind="publisher")) == len(sb.ckan.organizations)
    assert first["items"] == len(datasets) + len(showcases) + len(sb.ckan.organizations)

    # change one dataset, delete one, add one
    changed_id, deleted_id = public[3], public[10]
    sb.ckan.touch(changed_id, title="Renamed for the incremental test")
    deleted_url = url + "dataset/" + sb.ckan.get(deleted_id)["name"]
    sb.ckan.delete(deleted_id)
    added = sb.ckan.add("Neighbourhood repair cafés", tags=["repair"])
    sb.clear_requests()
    second = crawl(url, sqlite_url, "api=ckan")
    inc_calls = ckan_calls(list(sb.requested_paths()))
    run2 = last_run(sqlite_url)
    assert run2.status == "finished" and run2.stats.get(COMPLETE_STAT) == 1, run2.stats

    searches = [q for action, q in inc_calls if action == "package_search" and "fl" not in q]
    assert len(searches) == 1  # only the changes: one page
    assert "metadata_modified:[" in searches[0]["fq"][0]
    assert not [a for a, _ in inc_calls if a in ("package_show", "ckanext_showcase_package_list")]
    listing = [q for action, q in inc_calls if action == "package_search" and "fl" in q]
    assert len(listing) == 1
    assert second["items"] < 10 + len(sb.ckan.organizations)

    by_id = {d["dataset_id"]: d for d in items(sqlite_url, kind="dataset")}
    assert by_id[changed_id]["title"] == "Renamed for the incremental test"
    assert by_id[added["id"]]["deleted"] is False
    assert by_id[deleted_id]["deleted"] is True and by_id[deleted_id]["url"] == deleted_url
    assert sum(1 for d in by_id.values() if d["deleted"]) == 1
    assert run2.stats.get("dsi/opendata/deleted") == 1
    assert len(inc_calls) < len(full_calls)
    print(f"\nCKAN requests: full run {len(full_calls)}, incremental run {len(inc_calls)}")


@pytest.mark.slow
def test_ckan_detected_without_api_option(sandbox: Any, sqlite_url: str) -> None:
    summary = crawl(sandbox.base_url + "/ckan/", sqlite_url)
    assert "CKAN 2.10.4 detected" in summary["log"]
    run = last_run(sqlite_url)
    assert run.status == "finished" and run.stats.get("dsi/opendata/detected/ckan") == 1
    assert len(items(sqlite_url, kind="dataset")) > 50


@pytest.mark.slow
@pytest.mark.parametrize(
    ("twin", "problem", "status"),
    [
        ("ckan-broken", "dsi/parse/opendata/not_json", "failed"),
        ("ckan-drifting", "dsi/parse/opendata/count_changed", "failed"),
        ("ckan-flaky", None, "finished"),
    ],
)
def test_misbehaving_ckan(
    sandbox: Any, sqlite_url: str, twin: str, problem: str | None, status: str
) -> None:
    summary = crawl(
        f"{sandbox.base_url}/{twin}/",
        sqlite_url,
        "api=ckan",
        "rows=20",
        exit_code=3 if status == "failed" else 0,  # crawler.outcome.EXIT_CODES
    )
    run = last_run(sqlite_url)
    assert run.status == status, (run.finish_reason, run.stats)
    if problem:
        assert run.stats.get(problem), run.stats
        assert run.finish_reason == "incomplete"
        assert "incomplete" in summary["log"]
    datasets = items(sqlite_url, kind="dataset")
    ids = [d["dataset_id"] for d in datasets]
    assert len(ids) == len(set(ids))  # never duplicated
    if twin != "ckan-broken":  # every dataset arrives despite drift and 503s
        public = [i for i in sandbox.ckan.dataset_ids() if not sandbox.ckan.get(i)["private"]]
        assert set(public) <= set(ids)


@pytest.mark.slow
@pytest.mark.parametrize("suffix", ["catalog.ttl", "catalog.rdf", "catalog.jsonld"])
def test_dcat_catalogue_all_pages(sandbox: Any, sqlite_url: str, suffix: str) -> None:
    crawl(f"{sandbox.base_url}/dcat/{suffix}", sqlite_url, "api=dcat")
    run = last_run(sqlite_url)
    assert run.status == "finished", run.stats
    datasets = items(sqlite_url, kind="dataset")
    from sandbox.content.dcat import DCAT_COUNT

    assert len(datasets) == DCAT_COUNT
    assert any(d["themes"] for d in datasets) and any(d["publisher"] for d in datasets)
    assert items(sqlite_url, kind="publisher")


@pytest.mark.slow
def test_dcat_invalid_document_is_reported(sandbox: Any, sqlite_url: str) -> None:
    summary = crawl(f"{sandbox.base_url}/dcat/broken.ttl", sqlite_url, "api=dcat", exit_code=3)
    run = last_run(sqlite_url)
    assert run.status == "failed" and run.finish_reason == "incomplete"
    assert run.stats.get("dsi/parse/opendata/invalid_rdf") or run.stats.get(
        "dsi/parse/opendata/rdf_salvaged"
    )
    assert "DCAT catalogue" in summary["log"]


@pytest.mark.slow
def test_socrata_discovery(sandbox: Any, sqlite_url: str) -> None:
    crawl(f"{sandbox.base_url}/socrata/api/catalog/v1", sqlite_url)
    run = last_run(sqlite_url)
    assert run.status == "finished", run.stats
    datasets = items(sqlite_url, kind="dataset")
    assert datasets and all(d["url"].startswith("http") for d in datasets)
    assert len({d["dataset_id"] for d in datasets}) == len(datasets)


def test_spider_starts_from_the_state_read_before_the_crawl(sqlite_url: str) -> None:
    """The runner reads the state (``crawler.seeds``); the lower bound is the earlier of the
    last complete start and the portal's watermark."""
    from crawler.seeds import HarvestState, spider_arguments
    from spiders.opendata import OpendataSpider
    from tests.spiders.harness import make_spider

    with session_scope(sqlite_url) as session:
        upsert_items(session, [_row("a")])
        _complete_run(session)

    def spider(**options: Any) -> OpendataSpider:
        probe: OpendataSpider = make_spider(OpendataSpider, name="src", urls=[PORTAL], **options)
        args = spider_arguments(probe.dsi_source, sqlite_url)
        assert isinstance(args["harvest_state"], HarvestState)
        made: OpendataSpider = make_spider(
            OpendataSpider, name="src", urls=[PORTAL], spider_args=args, **options
        )
        return made

    first = spider(api="ckan", since_margin=60)
    portal = first.portals[PORTAL]
    assert portal.stored == {f"{PORTAL}dataset/a": "id-a"}
    assert portal.since == datetime(2024, 5, 1, tzinfo=UTC) - timedelta(seconds=60)
    assert [r for r in first.start_requests_for_source() if r.meta["dsi_role"] == "listing"]

    assert spider(api="ckan", incremental=False).portals[PORTAL].since is None


def test_unreadable_state_means_a_full_run(tmp_path: Any) -> None:
    from crawler.seeds import HarvestState, harvest_state
    from crawler.sources import source_from_mapping

    source = source_from_mapping({"name": "src", "spider": "opendata", "urls": [PORTAL]})
    assert harvest_state(source, f"sqlite:///{tmp_path}/empty.sqlite3") == HarvestState()


def test_spider_and_storage_agree_on_the_run_stats() -> None:
    from spiders import opendata

    assert (opendata.COMPLETE_STAT, opendata.WATERMARKS_STAT) == (COMPLETE_STAT, WATERMARKS_STAT)


@pytest.mark.slow
def test_socrata_from_the_portal_home(sandbox: Any, sqlite_url: str) -> None:
    """``<home>/api/catalog/v1?domains=127.0.0.1`` is empty on a bare address: asked again."""
    crawl(f"{sandbox.base_url}/socrata/", sqlite_url, "api=socrata")
    run = last_run(sqlite_url)
    assert run.status == "finished", run.stats
    assert run.stats.get("dsi/opendata/socrata_domain_retry") == 1
    datasets = items(sqlite_url, kind="dataset")
    assert datasets and len({d["dataset_id"] for d in datasets}) == len(datasets)
    assert all(d["portal_url"] == f"{sandbox.base_url}/socrata/" for d in datasets)


@pytest.mark.slow
def test_socrata_second_run_marks_deletions_and_skips_unchanged(
    own_sandbox: Any, sqlite_url: str
) -> None:
    """A second run of a complete Socrata source: a stored dataset the listing no longer has is
    marked deleted; datasets unchanged since the first run are listed but not emitted again."""
    url = own_sandbox.base_url + "/socrata/api/catalog/v1"
    first = crawl(url, sqlite_url)
    run1 = last_run(sqlite_url)
    assert run1.status == "finished" and run1.stats.get(COMPLETE_STAT) == 1, run1.stats
    datasets = items(sqlite_url, kind="dataset")
    assert first["items"] == len(datasets) > 0
    portal = datasets[0]["portal_url"]
    with session_scope(sqlite_url) as session:
        source = session.scalars(select(Item.source).where(Item.spider == "opendata")).first()
        assert source is not None
        gone_url = f"{portal}d/gone-0000"
        fields: dict[str, Any] = {"url": gone_url, "kind": "dataset", "dataset_id": "gone-0000"}
        fields |= {"portal_url": portal, "title": "Gone", "deleted": False}
        upsert_items(
            session,
            [
                ItemRow(
                    source=source,
                    spider="opendata",
                    url=gone_url,
                    fields=fields,
                    raw={},
                    warnings=[],
                    title="Gone",
                )
            ],
        )
    second = crawl(url, sqlite_url)
    run2 = last_run(sqlite_url)
    assert run2.status == "finished" and run2.stats.get(COMPLETE_STAT) == 1, run2.stats
    assert run2.stats.get("dsi/opendata/deleted") == 1
    # only what changed within the overlap margin before the newest ``updatedAt`` comes again
    newest = max(datetime.fromisoformat(d["modified"]) for d in datasets)
    recent = [
        d
        for d in datasets
        if datetime.fromisoformat(d["modified"]) >= newest - timedelta(seconds=600)
    ]
    assert second["items"] == len(recent) < len(datasets)
    assert run2.stats.get("dsi/opendata/unchanged_skipped") == len(datasets) - len(recent)
    gone = [d for d in items(sqlite_url, kind="dataset") if d["deleted"]]
    assert [d["url"] for d in gone] == [f"{portal}d/gone-0000"]
