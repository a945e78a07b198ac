"""Review-app test data written for the tests: candidates with evidence, one main-database
organisation, users, and a signed-in TestClient."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from storage import maindb
from storage.models import Candidate, CandidateEvidence, Item
from storage.review_queue import refresh_queue
from storage.review_users import add_user
from storage.session import session_scope

PASSWORD = "correct horse battery"
XSS_NAME = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'
XSS_TEXT = (
    '<svg onload="window.__xss = 3"><a href="javascript:window.__xss = 4">click</a>'
    '<div onmouseover="window.__xss = 5">hover</div>'
)

#: (name, kind, country, city, relevance, uncertainty, spider, source, language, text)
CANDIDATES: tuple[tuple[Any, ...], ...] = (
    ("Tenants Data Commons", "organisation", "GB", "Leeds", 0.91, 0.30, "website", "web-gb", "en",
     "Open data for renters and housing repairs"),
    ("Repair Cafe Network", "organisation", "NL", "Utrecht", 0.72, 0.80, "jobs", "jobs-nl", "nl",
     "Volunteer coordinator for repair cafes, open hardware"),
    ("Acme Logistics", "organisation", "DE", "Hamburg", 0.08, 0.15, "jobs", "jobs-de", "de",
     "Warehouse forklift driver, shifts"),
    ("Civic Budget Map", "project", "IT", "Torino", 0.64, 0.95, "opendata", "ckan-it", "it",
     "Participatory budgeting dataset and map"),
    ("Bulk Spam Shop 1", "organisation", "FR", "Lyon", 0.05, 0.10, "website", "spam-fr", "fr",
     "Discount sneakers"),
    ("Bulk Spam Shop 2", "organisation", "FR", "Lyon", 0.04, 0.10, "website", "spam-fr", "fr",
     "Discount sneakers"),
    ("Bulk Spam Shop 3", "organisation", "FR", "Lyon", 0.03, 0.10, "website", "spam-fr", "fr",
     "Discount sneakers"),
    (XSS_NAME, "organisation", "GB", "London", 0.50, 0.50, "website", "hostile", "en", XSS_TEXT),
)  # fmt: skip


def seed(url: str) -> dict[str, int]:
    """Candidates (name -> id) with one evidence item each and queue rows, plus the main-database
    organisation "Repair Cafe Foundation" matched to "Repair Cafe Network" (key ``maindb``)."""
    now = datetime(2026, 10, 1, tzinfo=UTC)
    ids: dict[str, int] = {}
    with session_scope(url) as session:
        entry = maindb.create_entry(
            session,
            "organisation",
            {
                "organisation_name": "Repair Cafe Foundation",
                "website": "",
                "country": "Netherlands",
            },
        )
        ids["maindb"] = entry
        for n, (name, kind, country, city, rel, unc, spider, source, lang, text) in enumerate(
            CANDIDATES
        ):
            hostile = source == "hostile"
            url_ = "javascript:window.__xss = 6" if hostile else f"https://{source}.example/{n}"
            item = Item(
                source=source,
                spider=spider,
                url=url_,
                url_key=hashlib.sha1(url_.encode()).hexdigest(),
                title=(XSS_NAME if hostile else f"{name} evidence"),
                language=lang,
                content_hash=hashlib.sha1(text.encode()).hexdigest(),
                fields={"description": text, "name": name},
                raw={},
                warnings=[],
                fetched_at=now,
                first_seen=now - timedelta(days=30 + n),
                last_seen=now,
            )
            session.add(item)
            session.flush()
            cand = Candidate(
                kind=kind,
                key=f"key-{n}",
                name=name,
                website=("javascript:window.__xss = 7" if hostile else f"https://{source}.example"),
                country=country,
                city=city,
                relevance=rel,
                uncertainty=unc,
                technologies={"open data": 0.8} if "data" in text.lower() else {},
                areas={},
                explanation={
                    "relevance": ["open data", "renters"] if not hostile else [XSS_TEXT],
                    "relevance_against": ["forklift"],
                    "social": ["renters"] if not hostile else [XSS_TEXT],
                    "digital": ["open data"],
                    "social_purpose": 0.93,
                    "digital_means": 0.88,
                },
                model_version="test-1",
                status="pending",
            )
            if name == "Repair Cafe Network":
                cand.match_id = cand.match_best_id = entry
                cand.match_score = 0.83
                cand.match_reasons = ["name similarity 0.86 (Cafe, Repair)", "same country NL"]
            session.add(cand)
            session.flush()
            session.add(CandidateEvidence(candidate_id=cand.id, item_id=item.id, role="profile"))
            ids[name] = cand.id
        session.flush()
        refresh_queue(session)
        add_user(session, "ada", _hash(), "admin")
        add_user(session, "bob", _hash(), "curator")
        add_user(session, "cyd", _hash(), "curator")
    return ids


_HASH: list[str] = []


def _hash() -> str:
    from review.auth import hash_password

    if not _HASH:
        _HASH.append(hash_password(PASSWORD))
    return _HASH[0]


def csrf_from(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def signed_in(client: Any, username: str = "bob") -> str:
    """Sign the TestClient in; returns the session's CSRF token for API calls."""
    token = csrf_from(client.get("/login").text)
    answer = client.post(
        "/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    me = client.get("/api/me").json()
    csrf: str = me["csrf_token"]
    return csrf
