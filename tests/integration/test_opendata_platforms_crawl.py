"""OpenDataSoft, uData and ArcGIS Hub crawls against the sandbox (real ``dsi crawl``
processes): full runs, detection, incremental runs with deletion marks, and reuses handed on
as showcases (``seed = "showcases"`` of the website spider).

The incremental tests run their own sandbox: they change its catalogues.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sandbox.content.arcgis import ArcgisApp
from sandbox.content.opendatasoft import ODS_COUNT
from sandbox.content.reuses import REUSES
from sandbox.content.udata import UDATA_COUNT
from storage.opendata import COMPLETE_STAT
from storage.seeds import showcase_urls
from storage.session import session_scope
from tests.integration.test_opendata_crawl import crawl, items, last_run

pytestmark = pytest.mark.slow


@pytest.fixture
def own_sandbox() -> Iterator[Any]:
    from sandbox.server import SandboxServer

    with SandboxServer(port=0) as server:
        yield server


def _complete(database: str) -> dict[str, Any]:
    run = last_run(database)
    assert run.status == "finished" and run.stats.get(COMPLETE_STAT) == 1, (
        run.finish_reason,
        run.stats,
    )
    return dict(run.stats)


def test_udata_full_then_incremental_run(own_sandbox: Any, sqlite_url: str) -> None:
    sb = own_sandbox
    url = sb.base_url + "/udata/"
    first = crawl(url, sqlite_url, "api=udata", "rows=10")
    _complete(sqlite_url)
    datasets = items(sqlite_url, kind="dataset")
    assert len(datasets) == len({d["dataset_id"] for d in datasets}) == UDATA_COUNT
    showcases = items(sqlite_url, kind="showcase")
    assert len(showcases) == len(REUSES)
    assert all(s["linked_dataset_ids"] for s in showcases)
    sites = {s["showcase_url"] for s in showcases}
    assert set(sb.site_urls) & sites  # reuses pointing at sandbox websites
    publishers = items(sqlite_url, kind="publisher")
    assert publishers and all(p["title"] for p in publishers)
    assert first["items"] == len(datasets) + len(showcases) + len(publishers)
    with session_scope(sqlite_url) as session:  # what ``seed = "showcases"`` hands on
        assert set(sb.site_urls) & set(showcase_urls(session))

    catalogue = sb.portal.udata.catalogue
    entries = catalogue.entries()
    catalogue.touch(entries[4].index, "Jeu renommé pour le test incrémental")
    catalogue.delete(entries[9].index)
    gone_url = sb.portal.udata.dataset(entries[9])["page"]
    sb.clear_requests()
    second = crawl(url, sqlite_url, "api=udata", "rows=10")
    stats = _complete(sqlite_url)
    paths = list(sb.requested_paths())
    dataset_pages = [p for p in paths if "/api/1/datasets/" in p]
    assert stats.get("dsi/opendata/udata_datasets_stopped_at_bound") == 1
    assert stats.get("dsi/opendata/deleted") == 1
    # the changed datasets (one page) and the cheap id listing (every page)
    assert len(dataset_pages) == 1 + -(-(UDATA_COUNT - 1) // 10)
    changed = [d for d in items(sqlite_url, kind="dataset") if d["title"].startswith("Jeu renommé")]
    assert len(changed) == 1
    deleted = [d for d in items(sqlite_url, kind="dataset") if d["deleted"]]
    assert [d["url"] for d in deleted] == [gone_url]
    assert second["items"] < first["items"] // 2


def test_udata_detected_by_its_version_endpoint(sandbox: Any, sqlite_url: str) -> None:
    summary = crawl(sandbox.base_url + "/udata/", sqlite_url)
    stats = _complete(sqlite_url)
    assert stats.get("dsi/opendata/detected/udata") == 1, summary["log"][-2000:]
    assert len(items(sqlite_url, kind="dataset")) == UDATA_COUNT


def test_opendatasoft_full_then_incremental_run(own_sandbox: Any, sqlite_url: str) -> None:
    sb = own_sandbox
    url = sb.base_url + "/ods/"
    first = crawl(url, sqlite_url, "api=opendatasoft")
    _complete(sqlite_url)
    datasets = items(sqlite_url, kind="dataset")
    assert len(datasets) == ODS_COUNT
    assert all(d["url"].startswith(url + "explore/dataset/") for d in datasets)
    assert any(d["themes"] for d in datasets) and all(d["publisher"] for d in datasets)
    showcases = items(sqlite_url, kind="showcase")
    assert showcases and all(s["showcase_url"] and s["linked_dataset_ids"] for s in showcases)
    assert set(sb.site_urls) & {s["showcase_url"] for s in showcases}

    catalogue = sb.portal.ods.catalogue
    entries = catalogue.entries()
    catalogue.touch(entries[2].index, "Renamed for the incremental test")
    catalogue.delete(entries[5].index)
    gone = url + "explore/dataset/" + sb.portal.ods.dataset_id(entries[5]) + "/"
    second = crawl(url, sqlite_url, "api=opendatasoft")
    stats = _complete(sqlite_url)
    assert stats.get("dsi/opendata/deleted") == 1
    assert stats.get("dsi/opendata/unchanged_skipped", 0) >= ODS_COUNT - 5
    by_url = {d["url"]: d for d in items(sqlite_url, kind="dataset")}
    assert by_url[gone]["deleted"] is True
    assert any(d["title"] == "Renamed for the incremental test" for d in by_url.values())
    assert second["items"] < first["items"] // 2


def test_arcgis_hub_search_api_and_dcat_us_feed(sandbox: Any, sqlite_url: str) -> None:
    app: ArcgisApp = sandbox.portal.arcgis
    data_items = [
        e for e in app.catalogue.entries() if app.item_type(e) != "Web Mapping Application"
    ]
    crawl(sandbox.base_url + "/arcgis/", sqlite_url, "api=arcgis")
    stats = _complete(sqlite_url)
    datasets = items(sqlite_url, kind="dataset")
    assert len(datasets) == len(data_items)
    assert stats.get("dsi/opendata/arcgis_skipped/web-mapping-application")
    assert items(sqlite_url, kind="publisher")
    assert all(d["modified"] and d["language"] for d in datasets)

    # the feed, detected from the URL as DCAT: the same portal, so an incremental run that
    # lists every dataset and emits only those within the overlap margin of the newest
    crawl(sandbox.base_url + "/arcgis/data.json", sqlite_url)
    stats = _complete(sqlite_url)
    assert stats.get("dsi/opendata/dcat_us_catalogues") == 1
    emitted = stats.get("dsi/opendata/datasets", 0)
    assert stats.get("dsi/opendata/unchanged_skipped") == len(data_items) - emitted
    assert emitted < 3
    crawl(sandbox.base_url + "/arcgis/data.json", sqlite_url, "incremental=false")
    stats = _complete(sqlite_url)
    assert stats.get("dsi/opendata/datasets") == len(data_items)
    # the feed's landing pages are the search API's pages: the same items, updated
    assert len(items(sqlite_url, kind="dataset")) == len(data_items)
