"""`dsi maindb serve`: the W3C Reconciliation API over the main database (FastAPI TestClient
on the shipped DSI4EU organisations; one real `dsi` process)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from classifiers.dataset import SHIPPED_ORGANISATIONS
from crawler.reconcile_app import create_app
from matching.records import Record
from tests.integration.conftest import free_port


@pytest.fixture(scope="module")
def client() -> TestClient:
    organisations = json.loads(SHIPPED_ORGANISATIONS.read_text(encoding="utf-8"))
    entries = [
        Record(id=str(o["organisation_id"]), name=o["organisation_name"],
               website=o["website"] or None, country=o["country"] or None,
               city=o["region"] or None)
        for o in organisations
    ]  # fmt: skip
    records = {str(o["organisation_id"]): o for o in organisations}
    return TestClient(create_app(entries, records))


def test_manifest(client: TestClient) -> None:
    body = client.get("/").json()
    assert "0.2" in body["versions"] and body["defaultTypes"][0]["id"] == "organisation"
    assert body["preview"]["url"] == "http://testserver/preview?id={{id}}"
    assert body["identifierSpace"] and body["schemaSpace"]


def test_batch_queries_as_openrefine_sends_them(client: TestClient) -> None:
    queries = {
        "q0": {"query": "Home | Blender Foundation", "type": "organisation", "limit": 2,
               "properties": [{"pid": "country", "v": "Nederland"}]},
        "q1": {"query": "Zzyzx Qwerty"},
        "q2": {"query": "barnardos", "properties": [{"pid": "website", "v": "barnardos.org.uk"}]},
    }  # fmt: skip
    response = client.post("/", data={"queries": json.dumps(queries)})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"q0", "q1", "q2"}
    top = body["q0"]["result"][0]
    assert (top["id"], top["name"], top["match"]) == ("585", "Blender Foundation", True)
    assert 0 <= top["score"] <= 100 and top["type"] == [
        {"id": "organisation", "name": "Organisation"}
    ]
    assert len(body["q0"]["result"]) <= 2
    assert not any(r["match"] for r in body["q1"]["result"])
    assert body["q2"]["result"][0]["id"] == "1203" and body["q2"]["result"][0]["match"]
    assert "same website domain" in body["q2"]["result"][0]["description"]


def test_get_queries_single_query_and_jsonp(client: TestClient) -> None:
    batch = json.dumps({"a": {"query": "Fablab Palermo"}})
    assert client.get("/", params={"queries": batch}).json()["a"]["result"][0]["id"] == "1134"
    single = client.get("/", params={"query": "Fablab Palermo"}).json()
    assert single["result"][0]["id"] == "1134"
    jsonp = client.get("/", params={"callback": "cb", "query": "Fablab Palermo"})
    assert jsonp.text.startswith("cb(") and jsonp.headers["content-type"].startswith(
        "application/javascript"
    )


@pytest.mark.parametrize(
    ("queries", "message"),
    [
        ("{not json", "'queries' is not JSON"),
        ("[]", "'queries' must be a JSON object"),
        ('{"q0": {"query": ""}}', "q0: 'query' must be a non-empty string"),
        ('{"q0": {"query": "x", "type": "project"}}', "q0: unknown type 'project'"),
        ('{"q0": {"query": "x", "limit": 0}}', "q0: 'limit' must be a positive integer"),
        ('{"q0": {"query": "x", "properties": [{"pid": "colour", "v": "red"}]}}',
         "q0: unknown property 'colour'"),
    ],
)  # fmt: skip
def test_bad_requests_have_one_error_shape(client: TestClient, queries: str, message: str) -> None:
    response = client.post("/", data={"queries": queries})
    assert response.status_code == 400
    assert set(response.json()) == {"error"} and message in response.json()["error"]


def test_preview_escapes_and_view(client: TestClient) -> None:
    preview = client.get("/preview", params={"id": "585"})
    assert preview.status_code == 200 and "<strong>Blender Foundation</strong>" in preview.text
    assert client.get("/preview", params={"id": "nope"}).status_code == 404
    assert client.get("/view/585").json()["organisation_name"] == "Blender Foundation"


def test_preview_never_trusts_entry_text() -> None:
    evil = {"organisation_id": 1, "organisation_name": "<script>alert(1)</script>",
            "website": "javascript:alert(1)", "region": "", "country": ""}  # fmt: skip
    app = create_app([Record(id="1", name="x")], {"1": evil})
    html = TestClient(app).get("/preview", params={"id": "1"}).text
    assert "<script>" not in html and "javascript:" not in html


def test_installed_dsi_maindb_serve(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'main.sqlite3'}"
    exe = Path(sys.executable).parent / "dsi"
    subprocess.run([str(exe), "maindb", "import", str(SHIPPED_ORGANISATIONS), "-m", url],
                   check=True, capture_output=True)  # fmt: skip
    port = free_port()
    proc = subprocess.Popen(
        [str(exe), "maindb", "serve", "--port", str(port), "-m", url],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        manifest = None
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                    manifest = json.loads(r.read())
                break
            except OSError:
                time.sleep(0.5)
        assert manifest is not None and manifest["defaultTypes"][0]["id"] == "organisation"
        query = urllib.parse.urlencode({"query": "Blender Foundation"})
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/?{query}", timeout=30) as r:
            assert json.loads(r.read())["result"][0]["id"] == "585"
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_service_uses_the_threshold_it_is_given() -> None:
    entries = [Record(id="1", name="Blender Foundation", country="NL")]
    records = {"1": {"organisation_id": 1, "organisation_name": "Blender Foundation"}}
    query = json.dumps({"q0": {"query": "Blender Foundation", "properties": [
        {"pid": "country", "v": "NL"}]}})  # fmt: skip
    for threshold, matched in ((None, True), (1.0, False)):
        client = TestClient(create_app(entries, records, threshold=threshold))
        top = client.post("/", data={"queries": query}).json()["q0"]["result"][0]
        assert top["id"] == "1" and top["match"] is matched
