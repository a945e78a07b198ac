"""``dsi bench review``: queue-page latency with many generated candidates.

A fresh database (an SQLite file in a temporary folder, or a temporary schema on PostgreSQL) gets
``n`` generated candidates and their queue rows; a signed-in client then asks for queue pages
through the whole app (middleware, session lookup, query, template) in several orders, with and
without filters and search, first and later pages. The baseline, measured in the same run on the
same database, is the naive way: OFFSET paging plus a COUNT of the filtered query on every page.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from storage.models import Candidate, QueueEntry, utcnow
from storage.review_queue import expected_value_reason, tokens

COUNTRIES = ("GB", "DE", "FR", "IT", "ES", "NL", "AT", "BE", "SE", "PL")
CITIES = ("london", "berlin", "paris", "milano", "madrid", "amsterdam", "wien", "gent")
TECHS = ("open data", "open hardware", "artificial intelligence", "crowdfunding", "blockchain")
AREAS = ("health and care", "digital democracy", "skills and learning", "culture and arts")
WORDS = ("civic", "lab", "data", "commons", "tenants", "repair", "cafe", "open", "city", "map")


@contextmanager
def bench_database(postgres_url: str | None) -> Iterator[str]:
    """A migrated empty database: a temporary SQLite file, or a temporary PostgreSQL schema."""
    from storage.migrate import upgrade
    from storage.session import get_engine

    if postgres_url is None:
        with tempfile.TemporaryDirectory(prefix="dsi-bench-") as folder:
            url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            upgrade(url)
            yield url
            get_engine(url).dispose()
        return
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    rendered = (
        make_url(postgres_url)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    try:
        upgrade(rendered)
        yield rendered
    finally:
        get_engine(rendered).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def generate(url: str, n: int, seed: int = 7) -> None:
    """``n`` candidates with queue rows (flat inserts in chunks)."""
    from storage.session import get_engine

    rng = random.Random(seed)
    now = utcnow()
    engine = get_engine(url)
    with engine.begin() as conn:
        for start in range(0, n, 5000):
            cands: list[dict[str, Any]] = []
            rows: list[dict[str, Any]] = []
            for i in range(start + 1, min(n, start + 5000) + 1):
                name = " ".join(rng.choice(WORDS) for _ in range(3)).title() + f" {i}"
                rel, unc = rng.random(), rng.random()
                nov = rng.choice((1.0, 1.0, 1.0, rng.random()))
                country, city = rng.choice(COUNTRIES), rng.choice(CITIES)
                tech = rng.sample(TECHS, rng.randint(0, 2))
                area = rng.sample(AREAS, rng.randint(0, 2))
                cands.append(
                    {
                        "id": i,
                        "kind": "organisation",
                        "key": f"bench-{i}",
                        "name": name,
                        "website": f"https://example-{i}.org",
                        "country": country,
                        "city": city,
                        "relevance": rel,
                        "technologies": {t: 0.9 for t in tech},
                        "areas": {a: 0.8 for a in area},
                        "explanation": {},
                        "uncertainty": unc,
                        "status": "pending",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                rows.append(
                    {
                        "candidate_id": i,
                        "status": "pending",
                        "kind": "organisation",
                        "relevance": rel,
                        "uncertainty": unc,
                        "novelty": nov,
                        "expected_value": rel * unc * nov,
                        "reason": expected_value_reason(rel, unc, nov, "generated"),
                        "country": country,
                        "city": city,
                        "languages": tokens([rng.choice(("en", "de", "fr", "it"))]),
                        "sources": tokens([f"source-{rng.randint(1, 40)}"]),
                        "spiders": tokens([rng.choice(("jobs", "opendata", "website"))]),
                        "technologies": tokens(tech),
                        "areas": tokens(area),
                        "liveliness": rng.random(),
                        "first_seen": now,
                        "last_seen": now,
                        "search_text": f"{name.lower()} evidence text about {' '.join(tech)}",
                        "overlap": False,
                    }
                )
            conn.execute(insert(Candidate), cands)
            conn.execute(insert(QueueEntry), rows)
        conn.execute(text("ANALYZE"))  # fresh statistics, as a live database has


QUERIES: tuple[dict[str, str], ...] = (
    {"order": "expected_value"},
    {"order": "uncertainty"},
    {"order": "relevance"},
    {"order": "expected_value", "country": "DE"},
    {"order": "uncertainty", "technology": "open data"},
    {"order": "expected_value", "min_score": "0.5", "max_score": "0.9"},
    {"order": "relevance", "spider": "jobs", "language": "de"},
    {"order": "expected_value", "q": "commons"},
)


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def _timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def measure(url: str, repeat: int = 5, pages: int = 3) -> dict[str, Any]:
    """p95 (ms) of queue pages through the app, and of the naive OFFSET + COUNT baseline."""
    import warnings

    with warnings.catch_warnings():  # starlette would rather have a renamed httpx fork
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    from review.app import create_app
    from review.auth import hash_password
    from storage.review_queue import QueueFilter, _conditions
    from storage.review_users import add_user
    from storage.session import session_scope

    with session_scope(url) as session:
        add_user(session, "bench", hash_password("bench-password-1"), "curator")
    client = TestClient(create_app(url), base_url="http://127.0.0.1")
    login_page = client.get("/login").text
    token = login_page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    client.post(
        "/login", data={"username": "bench", "password": "bench-password-1", "csrf_token": token}
    )
    ours: list[float] = []
    for params in QUERIES:
        after: str | None = None
        for _ in range(pages):
            query = {**params, **({"after": after} if after else {})}
            api = client.get("/api/queue", params=query).json()
            ours += _timed(partial(_get_ok, client, query), repeat)
            after = api.get("next")
            if not after:
                break
    baseline: list[float] = []
    from storage.session import get_engine

    engine = get_engine(url)
    for params in QUERIES:
        order = getattr(QueueEntry, params["order"])
        filters = QueueFilter(
            country=params.get("country"),
            technology=params.get("technology"),
            min_score=float(params["min_score"]) if "min_score" in params else None,
            max_score=float(params["max_score"]) if "max_score" in params else None,
            spider=params.get("spider"),
            language=params.get("language"),
            q=params.get("q"),
        )
        cond = _conditions(filters)
        for page in range(pages):

            def naive(page: int = page, cond: Any = cond, order: Any = order) -> None:
                with engine.connect() as conn:
                    conn.execute(select(func.count()).select_from(QueueEntry).where(*cond)).one()
                    conn.execute(
                        select(QueueEntry, Candidate)
                        .join(Candidate, Candidate.id == QueueEntry.candidate_id)
                        .where(*cond)
                        .order_by(order.desc(), QueueEntry.candidate_id)
                        .offset(page * 50 + 2000)
                        .limit(50)
                    ).all()

            baseline += _timed(naive, repeat)
    p95, base = _p95(ours), _p95(baseline)
    return {
        "requests": len(ours),
        "p95_ms": round(p95, 1),
        "median_ms": round(statistics.median(ours), 1),
        "baseline_p95_ms": round(base, 1),
        "ratio_to_baseline": round(p95 / base, 3) if base else None,
    }


def _get_ok(client: Any, query: dict[str, str]) -> None:
    response = client.get("/", params=query)
    if response.status_code != 200:
        raise RuntimeError(f"queue page answered {response.status_code}")
