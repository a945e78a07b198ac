"""The review app through its HTTP interface (FastAPI TestClient) on SQLite and PostgreSQL:
sign-in, security headers, CSRF, the queue, decisions with promotion, undo, bulk, agreement."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from review.app import create_app
from storage import maindb
from storage.models import AuditEntry, Decision, Promotion
from storage.session import session_scope
from tests.review_data import PASSWORD, csrf_from, seed, signed_in


@pytest.fixture
def app_db(database_url: str) -> Iterator[tuple[Any, str, dict[str, int]]]:
    ids = seed(database_url)
    app = create_app(database_url, overlap_share=0.0, login_attempts=3, login_window=60)
    yield app, database_url, ids


def client_for(app: Any) -> TestClient:
    return TestClient(app, base_url="http://127.0.0.1")


def decide(client: TestClient, csrf: str, candidate_id: int, body: dict[str, Any]) -> Any:
    """POST a decision through the JSON API."""
    return client.post(
        f"/api/candidates/{candidate_id}/decision", headers={"X-CSRF-Token": csrf}, json=body
    )


def test_every_route_refuses_a_stranger(app_db: Any) -> None:
    app, _, ids = app_db
    client = client_for(app)
    cid = ids["Tenants Data Commons"]
    for path in (
        "/",
        f"/candidates/{cid}",
        "/audit",
        "/admin",
        "/api/queue",
        "/api/me",
        f"/api/candidates/{cid}",
        "/api/audit",
        "/api/agreement",
        "/openapi.json",
        "/api/disagreements",
    ):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code in (303, 401), path
        if path.startswith("/api") or path == "/openapi.json":
            assert answer.json() == {"error": {"status": 401, "message": "sign in first"}}
        else:
            assert answer.headers["location"] == "/login"
    for path in (
        f"/candidates/{cid}/decide",
        "/undo",
        "/bulk",
        "/logout",
        f"/api/candidates/{cid}/decision",
        "/api/undo",
        "/api/bulk",
    ):
        answer = client.post(path, json={"action": "accept"}, follow_redirects=False)
        assert answer.status_code == 401, path
    # every registered route is in the lists above (a new route must be added here)
    from review import api, pages

    routers = [*api.router.routes, *pages.router.routes, *app.routes]
    paths = {getattr(r, "path", "") for r in routers} - {"/login", "/static", ""}
    assert paths <= {
        "/",
        "/candidates/{candidate_id}",
        "/audit",
        "/admin",
        "/api/queue",
        "/api/me",
        "/api/candidates/{candidate_id}",
        "/api/audit",
        "/api/agreement",
        "/openapi.json",
        "/api/disagreements",
        "/candidates/{candidate_id}/decide",
        "/undo",
        "/bulk",
        "/logout",
        "/api/candidates/{candidate_id}/decision",
        "/api/undo",
        "/api/bulk",
    }
    assert client.get("/static/review.js").status_code == 200
    assert client.get("/login").status_code == 200


def test_security_headers_and_cookies(app_db: Any) -> None:
    app, _, _ = app_db
    client = client_for(app)
    page = client.get("/login")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in page.text  # only the static script file
    signed_in(client)
    cookie = next(c for c in client.cookies.jar if c.name == "dsi_review_session")
    assert cookie.has_nonstandard_attr("HttpOnly")


def test_sign_in_is_rate_limited_and_disabled_users_cannot_sign_in(app_db: Any) -> None:
    app, url, _ = app_db
    client = client_for(app)
    for _ in range(3):
        token = csrf_from(client.get("/login").text)
        bad = client.post(
            "/login", data={"username": "bob", "password": "wrong password!", "csrf_token": token}
        )
        assert bad.status_code == 401
    token = csrf_from(client.get("/login").text)
    blocked = client.post(
        "/login", data={"username": "bob", "password": PASSWORD, "csrf_token": token}
    )
    assert blocked.status_code == 429
    from storage.review_users import set_active

    assert "Too many failed sign-ins" in blocked.text
    other = client_for(create_app(url))  # the address is blocked too: another app instance
    signed_in(other, "cyd")
    with session_scope(url) as session:
        set_active(session, "cyd", False)
    assert other.get("/api/me").status_code == 401  # the session ended with the user


def test_csrf_is_required_on_every_state_change(app_db: Any) -> None:
    app, _, ids = app_db
    client = client_for(app)
    csrf = signed_in(client)
    cid = ids["Acme Logistics"]
    refused = client.post(f"/api/candidates/{cid}/decision", json={"action": "reject"})
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == "missing or wrong CSRF token"
    wrong = decide(client, "0" * 64, cid, {"action": "reject"})
    assert wrong.status_code == 403
    form = client.post(f"/candidates/{cid}/decide", data={"action": "reject"})
    assert form.status_code == 403
    foreign = client.post(
        f"/api/candidates/{cid}/decision",
        json={"action": "reject"},
        headers={"X-CSRF-Token": csrf, "Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403
    assert foreign.json()["error"]["message"] == "cross-origin request refused"
    ok = decide(client, csrf, cid, {"action": "reject"})
    assert ok.status_code == 200, ok.text


def test_queue_orders_filters_search_and_keyset_pages(app_db: Any) -> None:
    app, _, ids = app_db
    client = client_for(app)
    signed_in(client)
    rows = client.get("/api/queue", params={"order": "relevance"}).json()["rows"]
    assert [r["name"] for r in rows[:2]] == ["Tenants Data Commons", "Repair Cafe Network"]
    by_uncertainty = client.get("/api/queue", params={"order": "uncertainty"}).json()["rows"]
    assert by_uncertainty[0]["name"] == "Civic Budget Map"
    ev = client.get("/api/queue").json()["rows"]
    assert ev[0]["name"] == "Civic Budget Map"  # 0.64 x 0.95 x 1.0
    repair = next(r for r in ev if r["name"] == "Repair Cafe Network")
    assert "main-database match" in repair["reason"] and repair["novelty"] == pytest.approx(0.17)

    def names(**params: str) -> list[str]:
        return [r["name"] for r in client.get("/api/queue", params=params).json()["rows"]]

    assert names(country="fr") == ["Bulk Spam Shop 1", "Bulk Spam Shop 2", "Bulk Spam Shop 3"]
    assert names(spider="opendata") == ["Civic Budget Map"]
    assert names(source="jobs-de") == ["Acme Logistics"]
    assert names(language="nl", order="relevance") == ["Repair Cafe Network"]
    assert names(technology="open data", order="relevance")[0] == "Tenants Data Commons"
    assert names(min_score="0.6", max_score="0.8", order="relevance") == [
        "Repair Cafe Network",
        "Civic Budget Map",
    ]
    assert names(q="forklift") == ["Acme Logistics"]
    assert names(q="100%_") == []
    assert names(city="torino") == ["Civic Budget Map"]
    assert names(seen_from="2026-09-01") != []
    assert names(seen_to="2026-01-01") == []
    first = client.get("/api/queue", params={"limit": 3}).json()
    second = client.get("/api/queue", params={"limit": 3, "after": first["next"]}).json()
    seen = [r["id"] for r in first["rows"]] + [r["id"] for r in second["rows"]]
    assert len(seen) == len(set(seen)) == 6
    bad = client.get("/api/queue", params={"after": "garbage"})
    assert bad.status_code == 400 and "bad cursor" in bad.json()["error"]["message"]
    assert client.get("/api/queue", params={"min_score": "high"}).status_code == 400
    page = client.get("/", params={"country": "FR"})
    assert page.status_code == 200 and "Bulk Spam Shop 2" in page.text
    assert ids  # the queue page renders


def test_accept_with_edits_promotes_and_undo_restores(app_db: Any) -> None:
    app, url, ids = app_db
    client = client_for(app)
    csrf = signed_in(client, "bob")
    cid = ids["Tenants Data Commons"]
    edits = {"name": "Tenants' Data Commons", "areas": ["Cities and urban development"]}
    answer = decide(client, csrf, cid, {"action": "accept", "edits": edits})
    assert answer.status_code == 200, answer.text
    entry = answer.json()["entry"]
    assert entry["before"]["status"] == "pending" and entry["after"]["status"] == "accepted"
    assert entry["after"]["name"] == "Tenants' Data Commons"
    promoted = entry["after"]["promotion"]
    with session_scope(url) as session:
        record = maindb.get_entry(session, "organisation", promoted["entry_id"])
        assert record is not None
        assert record["organisation_name"] == "Tenants' Data Commons"
        assert record["country"] == "United Kingdom" and record["region"] == "Leeds"
        decision = session.scalars(select(Decision).where(Decision.candidate_id == cid)).one()
        assert decision.decision == "relabel" and decision.curator == "bob"
        assert decision.areas == ["Cities and urban development"]
        prov = session.scalars(select(Promotion)).one()
        assert prov.items[0]["url"] == "https://web-gb.example/0" and prov.curator == "bob"
    again = decide(client, csrf, cid, {"action": "reject"})
    assert again.status_code == 409 and "undo that decision first" in again.text
    undone = client.post("/api/undo", headers={"X-CSRF-Token": csrf}, json={})
    assert undone.status_code == 200, undone.text
    assert undone.json()[0]["undoes"] == entry["id"]
    with session_scope(url) as session:
        assert maindb.get_entry(session, "organisation", promoted["entry_id"]) is None
        assert session.scalar(select(func.count()).select_from(Decision)) == 0
        actions = [a for (a,) in session.execute(select(AuditEntry.action).order_by(AuditEntry.id))]
        assert actions == ["accept", "undo"]  # append-only: the accept entry is still there
    detail = client.get(f"/api/candidates/{cid}").json()
    assert detail["status"] == "pending" and detail["name"] == "Tenants Data Commons"


def test_merge_into_match_and_undo(app_db: Any) -> None:
    app, url, ids = app_db
    client = client_for(app)
    csrf = signed_in(client)
    cid = ids["Repair Cafe Network"]
    detail = client.get(f"/api/candidates/{cid}").json()
    assert detail["matches"][0]["id"] == ids["maindb"]
    assert "same country NL" in detail["matches"][0]["reasons"]
    merged = decide(client, csrf, cid, {"action": "merge", "merge_into": ids["maindb"]})
    assert merged.status_code == 200, merged.text
    with session_scope(url) as session:
        record = maindb.get_entry(session, "organisation", ids["maindb"])
        assert record is not None and record["website"] == "https://jobs-nl.example"
        assert record["region"] == "Utrecht"
    assert client.get(f"/api/candidates/{cid}").json()["status"] == "merged"
    entry_id = merged.json()["entry"]["id"]
    assert (
        client.post(
            "/api/undo", headers={"X-CSRF-Token": csrf}, json={"entry_id": entry_id}
        ).status_code
        == 200
    )
    with session_scope(url) as session:
        record = maindb.get_entry(session, "organisation", ids["maindb"])
        assert record is not None and record["website"] == "" and record["region"] == ""
    missing = decide(client, csrf, cid, {"action": "merge", "merge_into": 999999})
    assert missing.status_code == 409 and "no organisation 999999" in missing.text
    assert client.get(f"/api/candidates/{cid}").json()["status"] == "pending"


def test_bulk_reject_dry_run_then_one_undoable_step(app_db: Any) -> None:
    app, url, _ = app_db
    client = client_for(app)
    csrf = signed_in(client)
    body = {"action": "reject", "filters": {"source": "spam-fr"}, "reason": "shop"}
    dry = client.post("/api/bulk", headers={"X-CSRF-Token": csrf}, json=body).json()
    assert dry["count"] == 3 and dry["batch"] is None and len(dry["preview"]) == 3
    assert len(client.get("/api/queue", params={"source": "spam-fr"}).json()["rows"]) == 3
    done = client.post(
        "/api/bulk", headers={"X-CSRF-Token": csrf}, json={**body, "dry_run": False}
    ).json()
    assert done["count"] == 3 and done["batch"]
    assert client.get("/api/queue", params={"source": "spam-fr"}).json()["rows"] == []
    with session_scope(url) as session:
        assert session.scalar(select(func.count()).select_from(Decision)) == 3
    undone = client.post("/api/undo", headers={"X-CSRF-Token": csrf}, json={})
    assert len(undone.json()) == 3
    assert len(client.get("/api/queue", params={"source": "spam-fr"}).json()["rows"]) == 3
    with session_scope(url) as session:
        assert session.scalar(select(func.count()).select_from(Decision)) == 0


def test_snooze_hides_until_due(app_db: Any) -> None:
    app, _, ids = app_db
    client = client_for(app)
    csrf = signed_in(client)
    cid = ids["Acme Logistics"]
    bad = decide(client, csrf, cid, {"action": "snooze", "snooze_days": 0})
    assert bad.status_code == 409
    decide(client, csrf, cid, {"action": "snooze", "snooze_days": 3})
    assert cid not in [r["id"] for r in client.get("/api/queue").json()["rows"]]
    snoozed = client.get("/api/queue", params={"status": "snoozed"}).json()["rows"]
    assert [r["id"] for r in snoozed] == [cid]


def test_overlap_sample_votes_and_kappa(database_url: str) -> None:
    ids = seed(database_url)
    app = create_app(database_url, overlap_share=1.0)
    from storage.review_queue import mark_overlap

    with session_scope(database_url) as session:
        mark_overlap(session, 1.0)
    bob, cyd, ada = client_for(app), client_for(app), client_for(app)
    tokens = {c: signed_in(c, name) for c, name in ((bob, "bob"), (cyd, "cyd"), (ada, "ada"))}
    plan = {  # candidate: (bob's verdict, cyd's verdict)
        "Acme Logistics": ("reject", "reject"),
        "Bulk Spam Shop 1": ("reject", "reject"),
        "Tenants Data Commons": ("accept", "accept"),
        "Civic Budget Map": ("accept", "reject"),
    }
    for name, (b, c) in plan.items():
        cid = ids[name]
        first = decide(bob, tokens[bob], cid, {"action": b}).json()
        assert first["vote_only"] is True
        assert cid not in [r["id"] for r in bob.get("/api/queue").json()["rows"]]
        assert cid in [r["id"] for r in cyd.get("/api/queue").json()["rows"]]
        second = decide(cyd, tokens[cyd], cid, {"action": c}).json()
        assert second["vote_only"] is (b != c) and second["disagreement"] is (b != c)
    assert bob.get("/api/agreement").status_code == 403  # admins only
    pairs = ada.get("/api/agreement").json()
    assert pairs == [{"first": "bob", "second": "cyd", "items": 4, "agreed": 3, "kappa": 0.5}]
    disagreements = ada.get("/api/disagreements").json()
    assert [d["id"] for d in disagreements] == [ids["Civic Budget Map"]]
    page = ada.get("/admin")
    assert page.status_code == 200 and "0.500" in page.text and "Civic Budget Map" in page.text
    resolved = decide(ada, tokens[ada], ids["Civic Budget Map"], {"action": "reject"})
    assert resolved.json()["vote_only"] is False
    assert ada.get("/api/disagreements").json() == []


def test_openapi_describes_the_api_for_signed_in_users(app_db: Any) -> None:
    app, _, _ = app_db
    client = client_for(app)
    signed_in(client)
    spec = client.get("/openapi.json").json()
    assert {
        "/api/queue",
        "/api/candidates/{candidate_id}/decision",
        "/api/undo",
        "/api/bulk",
        "/api/audit",
    } <= set(spec["paths"])
    assert "/login" not in spec["paths"]


def test_typed_labels_must_be_in_the_taxonomy(database_url: str) -> None:
    from classifiers.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    ids = seed(database_url)
    app = create_app(
        database_url,
        overlap_share=0.0,
        label_check=lambda task, name: taxonomy.map_tag(task, name) is not None,
    )
    client = client_for(app)
    csrf = signed_in(client)
    cid = ids["Civic Budget Map"]
    bad = decide(
        client,
        csrf,
        cid,
        {"action": "accept", "edits": {"areas": ["Digital democracy", "Sneakers"]}},
    )
    assert bad.status_code == 409
    assert bad.json()["error"]["message"] == "unknown area label(s): Sneakers"
    assert client.get(f"/api/candidates/{cid}").json()["status"] == "pending"
    good = decide(
        client, csrf, cid, {"action": "accept", "edits": {"areas": ["Digital democracy"]}}
    )
    assert good.status_code == 200, good.text


def test_decisions_become_labelled_match_pairs(app_db: Any) -> None:
    from storage.match_tuning import labelled_decisions

    def pairs(session: Any) -> list[tuple[int, int | None, str]]:
        return [(d.candidate_id, d.suggested, d.label) for d in labelled_decisions(session)]

    app, url, ids = app_db
    client = client_for(app)
    csrf = signed_in(client)
    repair, tenants = ids["Repair Cafe Network"], ids["Tenants Data Commons"]
    decide(
        client,
        csrf,
        repair,
        {"action": "accept"},  # accepted as new although matched: not that entry
    )
    with session_scope(url) as session:
        assert pairs(session) == [(repair, ids["maindb"], "new")]
    client.post("/api/undo", headers={"X-CSRF-Token": csrf}, json={})
    decide(client, csrf, repair, {"action": "merge", "merge_into": ids["maindb"]})
    decide(
        client,
        csrf,
        tenants,
        {"action": "reject"},  # no match: no pair
    )
    with session_scope(url) as session:
        assert pairs(session) == [(repair, ids["maindb"], "match")]


def test_sessions_expire_and_disabled_users_cannot_sign_in(app_db: Any) -> None:
    from sqlalchemy import update

    from storage.models import ReviewSession, utcnow
    from storage.review_users import set_active

    app, url, _ = app_db
    client = client_for(app)
    signed_in(client)
    assert client.get("/api/me").status_code == 200
    with session_scope(url) as session:
        session.execute(update(ReviewSession).values(expires_at=utcnow()))
    assert client.get("/api/me").status_code == 401
    with session_scope(url) as session:
        set_active(session, "cyd", False)
    token = csrf_from(client.get("/login").text)
    refused = client.post(
        "/login", data={"username": "cyd", "password": PASSWORD, "csrf_token": token}
    )
    assert refused.status_code == 401 and "Wrong user name or password" in refused.text
