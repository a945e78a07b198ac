from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from sandbox.content.ckan import CLOCK_START, CkanApp, ckan_time
from sandbox.content.common import Context
from sandbox.content.datasets import virtual_id
from tests.unit.sandbox.conftest import BASE, call, call_json, site_urls

API = "/ckan/api/3/action/"
PACKAGE_KEYS = {
    "id",
    "name",
    "title",
    "notes",
    "organization",
    "groups",
    "tags",
    "extras",
    "resources",
    "license_id",
    "license_title",
    "metadata_created",
    "metadata_modified",
    "url",
    "author",
    "maintainer",
    "private",
    "state",
    "type",
}


@pytest.fixture
def ckan() -> CkanApp:
    return CkanApp(Context(base_url=BASE, site_urls=site_urls()))


def _search(ckan, **params):
    query = "&".join(f"{k}={quote(str(v))}" for k, v in params.items())
    data = call_json(ckan, f"{API}package_search?{query}")
    assert data["success"] is True and data["help"].startswith(BASE)
    return data["result"]


def test_package_search_shape(ckan):
    result = _search(ckan, rows=3)
    assert 60 <= result["count"] <= 120
    assert len(result["results"]) == 3
    pkg = result["results"][0]
    assert set(pkg) >= PACKAGE_KEYS
    assert pkg["resources"][0]["format"] and pkg["resources"][0]["package_id"] == pkg["id"]
    assert {"key": "language", "value": pkg["extras"][0]["value"]} in pkg["extras"]
    assert pkg["organization"]["is_organization"] is True


def test_paging_sort_and_private(ckan):
    total = _search(ckan, rows=0)["count"]
    ids = []
    for start in range(0, total, 25):
        ids += [p["id"] for p in _search(ckan, rows=25, start=start, sort="id asc")["results"]]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) == total
    with_private = _search(ckan, rows=0, include_private="true")["count"]
    assert with_private == total + 2
    mods = [
        p["metadata_modified"]
        for p in _search(ckan, rows=1000, sort="metadata_modified asc")["results"]
    ]
    assert mods == sorted(mods)


def test_fq_modified_range_and_fields(ckan):
    everything = _search(ckan, rows=1000)["results"]
    since = _search(ckan, rows=1000, fq="metadata_modified:[2025-01-01T00:00:00Z TO *]")
    expected = [p for p in everything if p["metadata_modified"] >= "2025-01-01T00:00:00"]
    assert since["count"] == len(expected) > 0
    org = everything[0]["organization"]["name"]
    by_org = _search(ckan, rows=1000, fq=f"organization:{org}")["results"]
    assert by_org and all(p["organization"]["name"] == org for p in by_org)
    csv = _search(ckan, rows=1000, fq="res_format:CSV")["results"]
    assert all(any(r["format"] == "CSV" for r in p["resources"]) for p in csv)
    title_word = everything[0]["title"].split()[0]
    assert _search(ckan, q=title_word)["count"] >= 1


def test_errors_have_ckan_shape(ckan):
    missing = call(ckan, f"{API}package_show?id=does-not-exist")
    assert missing.status == 404
    body = json.loads(missing.body)
    assert body["success"] is False and body["error"]["__type"] == "Not Found Error"
    no_id = call(ckan, f"{API}package_show")
    assert no_id.status == 409 and json.loads(no_id.body)["error"]["id"] == ["Missing value"]
    bad = call(ckan, f"{API}package_search?fq=nonsense_field:1")
    assert bad.status == 409
    assert call(ckan, f"{API}no_such_action").status == 400


def test_show_lists_and_showcases(ckan):
    pkg = _search(ckan, rows=1)["results"][0]
    shown = call_json(ckan, f"{API}package_show?id={pkg['name']}")["result"]
    assert shown["id"] == pkg["id"]
    orgs = call_json(ckan, f"{API}organization_list")["result"]
    assert orgs == sorted(orgs) and len(orgs) >= 6
    full = call_json(ckan, f"{API}organization_list?all_fields=true&limit=2&offset=1")["result"]
    assert [o["name"] for o in full] == orgs[1:3] and "package_count" in full[0]
    org = call_json(ckan, f"{API}organization_show?id={orgs[0]}")["result"]
    assert org["name"] == orgs[0]
    groups = call_json(ckan, f"{API}group_list")["result"]
    assert call_json(ckan, f"{API}group_show?id={groups[0]}")["result"]["name"] == groups[0]
    showcases = call_json(ckan, f"{API}ckanext_showcase_list")["result"]
    urls = {s["url"] for s in showcases}
    assert len(urls & set(site_urls().values())) >= 5
    linked = call_json(
        ckan, f"{API}ckanext_showcase_package_list?showcase_id={showcases[0]['id']}"
    )["result"]
    assert linked and all("resources" in p for p in linked)


def test_touch_delete_add_move_the_clock(ckan):
    since = ckan_time(CLOCK_START).replace("T", "T")[:19] + "Z"
    fq = f"metadata_modified:[{since} TO *]"
    assert _search(ckan, fq=fq)["count"] == 0
    victim, other = ckan.catalogue.dataset_ids()[:2]
    ckan.catalogue.touch(victim, title="Renamed")
    added = ckan.catalogue.add("Neue Ladesäulen", tags=["mobility"])
    changed = _search(ckan, fq=fq, sort="metadata_modified asc")
    assert [p["id"] for p in changed["results"]] == [victim, added["id"]]
    assert changed["results"][0]["title"] == "Renamed"
    total = _search(ckan, rows=0)["count"]
    ckan.catalogue.delete(other)
    assert _search(ckan, rows=0)["count"] == total - 1
    assert call(ckan, f"{API}package_show?id={other}").status == 404


def test_misbehaving_twins(ckan):
    broken = call(ckan, "/ckan-broken/api/3/action/package_search")
    assert broken.status == 200 and broken.content_type.startswith("text/html")
    with pytest.raises(json.JSONDecodeError):
        json.loads(
            call(
                ckan, f"/ckan-broken/api/3/action/package_show?id={ckan.catalogue.dataset_ids()[0]}"
            ).body
        )
    counts = [
        call_json(ckan, "/ckan-drifting/api/3/action/package_search?rows=1")["result"]["count"]
        for _ in range(2)
    ]
    assert counts[1] == counts[0] + 1
    statuses = [call(ckan, "/ckan-flaky/api/3/action/package_search").status for _ in range(4)]
    assert statuses == [200, 503, 200, 503]


def test_scale_catalogue_selects_arithmetically():
    ckan = CkanApp(Context(base_url=BASE, site_urls=site_urls(), scale=100_000))
    result = _search(ckan, rows=5, start=99_990, sort="metadata_modified asc")
    assert result["count"] == 100_000 + 94  # plus the public curated datasets
    fq = "metadata_modified:[2019-11-01T00:00:00Z TO 2019-11-02T00:00:00Z]"
    window = _search(ckan, rows=1000, fq=fq, sort="id asc")
    assert 100 < window["count"] < 200
    assert all(
        p["metadata_modified"].startswith(("2019-11-01", "2019-11-02")) for p in window["results"]
    )
    shown = call_json(ckan, f"{API}package_show?id={virtual_id(99_999)}")["result"]
    assert shown["id"] == virtual_id(99_999)
    assert call_json(ckan, f"{API}package_show?id={shown['name']}")["result"] == shown
