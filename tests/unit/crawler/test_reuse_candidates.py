"""Reuses of OpenDataSoft and uData portals are project evidence, as CKAN showcases are."""

from __future__ import annotations

from crawler.classify_items import candidate_refs
from spiders.parsers import opendatasoft, udata
from storage.models import Item


def _stored(record: object) -> Item:
    fields = record.fields_dict()  # type: ignore[attr-defined]
    return Item(source="s", spider="opendata", url=fields["url"], fields=fields)


def test_reuses_become_project_candidates_with_their_own_website() -> None:
    reuse = {
        "id": "64a1",
        "slug": "carte-des-fontaines",
        "title": "Carte des fontaines",
        "url": "https://fontaines.example.org/carte",
        "datasets": [{"id": "d1"}],
    }
    ods_reuse = {"id": "r1", "title": "Vélo-Dispo", "url": "https://velodispo.example.org/"}
    records = [
        udata.reuse_record(reuse, source="s", portal_url="https://p.example/"),
        opendatasoft.reuse_record(ods_reuse, "d1", source="s", portal_url="https://p.example/"),
    ]
    refs = [candidate_refs(_stored(r)) for r in records]
    assert [(r.kind, r.key, r.website, r.role) for (r,) in refs] == [
        (
            "project",
            "site:fontaines.example.org",
            "https://fontaines.example.org/carte",
            "showcase",
        ),
        ("project", "site:velodispo.example.org", "https://velodispo.example.org/", "showcase"),
    ]


def test_showcases_on_one_host_but_other_ports_are_other_projects() -> None:
    records = [
        udata.reuse_record(
            {"id": f"r{port}", "title": f"App {port}", "url": f"http://127.0.0.1:{port}/"},
            source="s",
            portal_url="https://p.example/",
        )
        for port in (8001, 8002)
    ]
    keys = [ref.key for r in records for ref in candidate_refs(_stored(r))]
    assert keys == ["site:127.0.0.1:8001", "site:127.0.0.1:8002"]
