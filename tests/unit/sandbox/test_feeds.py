from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, RDF

from tests.unit.sandbox.conftest import BASE, call, call_json


def test_greenhouse_board_and_job(portal):
    data = call_json(portal, "/ats/greenhouse/v1/boards/civicpulse/jobs?content=true")
    assert data["meta"]["total"] == len(data["jobs"]) >= 3
    job = data["jobs"][0]
    for key in (
        "id",
        "internal_job_id",
        "title",
        "updated_at",
        "location",
        "absolute_url",
        "content",
        "departments",
        "offices",
        "metadata",
        "requisition_id",
    ):
        assert key in job
    assert "&lt;p&gt;" in job["content"] and "<p>" in unescape(job["content"])
    short = call_json(portal, "/ats/greenhouse/v1/boards/civicpulse/jobs")["jobs"][0]
    assert "content" not in short
    one = call_json(portal, f"/ats/greenhouse/v1/boards/civicpulse/jobs/{job['id']}")
    assert one["id"] == job["id"]
    assert call(portal, "/ats/greenhouse/v1/boards/nobody/jobs").status == 404


def test_lever_workable_recruitee(portal):
    lever = call_json(portal, "/ats/lever/v0/postings/kiezkompass?mode=json")
    assert isinstance(lever, list) and len(lever) >= 3
    assert {
        "id",
        "text",
        "categories",
        "createdAt",
        "hostedUrl",
        "lists",
        "descriptionPlain",
    } <= set(lever[0])
    assert isinstance(lever[0]["createdAt"], int)
    assert len(call_json(portal, "/ats/lever/v0/postings/kiezkompass?mode=json&limit=2")) == 2
    workable = call_json(portal, "/ats/workable/api/accounts/opencare?details=true")
    assert workable["name"] and "description" in workable["jobs"][0]
    assert "description" not in call_json(portal, "/ats/workable/api/accounts/opencare")["jobs"][0]
    offers = call_json(portal, "/ats/recruitee/api/offers/")["offers"]
    assert {
        "id",
        "slug",
        "title",
        "description",
        "requirements",
        "city",
        "country_code",
        "published_at",
        "careers_url",
    } <= set(offers[0])
    one = call_json(portal, f"/ats/recruitee/api/offers/{offers[0]['slug']}")
    assert one["offer"]["id"] == offers[0]["id"]


def test_personio_xml(portal):
    response = call(portal, "/ats/personio/xml")
    assert response.content_type.startswith("text/xml")
    root = ET.fromstring(response.body)
    assert root.tag == "workzag-jobs"
    positions = root.findall("position")
    assert len(positions) >= 3
    first = positions[0]
    for tag in ("id", "name", "office", "department", "employmentType", "schedule", "createdAt"):
        assert first.find(tag) is not None, tag
    assert first.find("jobDescriptions/jobDescription/value").text.startswith("<")


@pytest.mark.parametrize(
    ("suffix", "fmt"), [("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld")]
)
def test_dcat_parses_and_pages(portal, suffix, fmt):
    graph = Graph()
    graph.parse(data=call(portal, f"/dcat/catalog.{suffix}").body, format=fmt)
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 40
    hydra = "http://www.w3.org/ns/hydra/core#"
    nxt = graph.value(URIRef(f"{BASE}/dcat/catalog.{suffix}"), URIRef(hydra + "next"))
    assert str(nxt) == f"{BASE}/dcat/catalog.{suffix}?page=2"
    page2 = Graph()
    page2.parse(data=call(portal, f"/dcat/catalog.{suffix}?page=2").body, format=fmt)
    assert len(set(page2.subjects(RDF.type, DCAT.Dataset))) == 30
    text = call(portal, "/dcat/catalog.ttl").body.decode()
    assert "data-theme/" in text and "@de" in text and "foaf:name" in text


def test_dcat_broken_is_invalid(portal):
    with pytest.raises(Exception, match=r"(?i)bad syntax|expected"):
        Graph().parse(data=call(portal, "/dcat/broken.ttl").body, format="turtle")


def test_socrata_shape_and_paging(portal):
    data = call_json(portal, "/socrata/api/catalog/v1?limit=10&offset=5")
    assert data["resultSetSize"] >= 40 and len(data["results"]) == 10
    first = data["results"][0]
    assert {"resource", "classification", "metadata", "permalink", "link"} <= set(first)
    assert {"name", "id", "description", "updatedAt", "type"} <= set(first["resource"])
    assert first["permalink"].startswith(BASE + "/socrata/d/")
    assert call(portal, first["permalink"].removeprefix(BASE)).status == 200
    empty = call_json(portal, "/socrata/api/catalog/v1?domains=elsewhere.example")
    assert empty["resultSetSize"] == 0
    only = call_json(portal, "/socrata/api/catalog/v1?only=dataset&limit=100")["results"]
    assert all(r["resource"]["type"] == "dataset" for r in only)
    json.dumps(data)
