"""ATS feeds: Greenhouse, Lever, Workable, Recruitee, Personio."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from html import unescape

from tests.unit.sandbox.conftest import call, call_json


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
