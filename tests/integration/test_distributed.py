"""`dsi crawl NAME --distributed`: workers sharing a durable frontier in the real Redis, writing
to one database; kill -9 then restart; failed fetches retried, not marked seen forever."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.test import get_crawler

from crawler.frontier import LEASE_META, FailedFetchMiddleware, LeasedScheduler, frontier_keys
from storage.items import count_items
from storage.session import session_scope
from tests.conftest import REDIS_URL, ROOT, run_dsi, service_missing

pytestmark = pytest.mark.redis


@pytest.fixture
def redis_namespace() -> Iterator[str]:
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.RedisError as exc:
        service_missing("Redis", str(exc))
    namespace = f"dsi-test-{uuid.uuid4().hex[:10]}"
    yield namespace
    keys = list(client.scan_iter(f"{namespace}:*"))
    if keys:
        client.delete(*keys)


def fetched(namespace: str, source: str) -> dict[str, int]:
    import redis

    client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    return {k: int(v) for k, v in client.hgetall(f"{namespace}:{source}:fetched").items()}


def leased_urls(namespace: str, source: str) -> set[str]:
    """The URLs of the requests some worker holds (taken, not yet done)."""
    import redis
    from scrapy_redis import picklecompat

    client = redis.Redis.from_url(REDIS_URL)
    return {
        picklecompat.loads(m)["url"] for m in client.zrange(f"{namespace}:{source}:leases", 0, -1)
    }


def leftovers(namespace: str, source: str) -> list[str]:
    import redis

    client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    return sorted(client.scan_iter(f"{namespace}:{source}:*"))


def sources_file(sandbox: Any, tmp_path: Path) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(sandbox.sources_toml(), encoding="utf-8")
    return path


def worker(
    sources: Path, database: str, env: dict[str, str], source: str = "sandbox-jobs"
) -> subprocess.Popen[str]:
    exe = Path(sys.executable).parent / "dsi"
    args = [str(exe), "crawl", source, "--sources", str(sources), "--distributed"]
    return subprocess.Popen(
        [*args, "--json", "--database", database],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(proc: subprocess.Popen[str]) -> dict[str, Any]:
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-3000:]
    assert "Traceback" not in err
    summary: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return summary


@pytest.fixture(scope="module")
def reference(sandbox: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The same source crawled by one plain (not distributed) process."""
    from storage.migrate import upgrade

    tmp = tmp_path_factory.mktemp("reference")
    url = f"sqlite:///{tmp / 'db.sqlite3'}"
    upgrade(url)
    served = len(sandbox.requests)
    proc = run_dsi(
        "crawl",
        "sandbox-jobs",
        "--sources",
        str(sources_file(sandbox, tmp)),
        "--json",
        "--database",
        url,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    summary: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    with session_scope(url) as s:
        summary["stored_items"] = count_items(s)
    summary["stored_urls"] = stored_urls(url)
    summary["page_urls"] = {
        f"http://127.0.0.1:{port}{target}"
        for port, _method, target in sandbox.requests[served:]
        if target != "/robots.txt"
    }
    return summary


def stored_urls(database: str) -> set[str]:
    from sqlalchemy import select

    from storage.models import Item

    with session_scope(database) as s:
        return set(s.scalars(select(Item.url)))


@pytest.mark.slow
@pytest.mark.postgres
def test_two_workers_fetch_every_page_once(
    sandbox: Any,
    postgres_server_url: str,
    redis_namespace: str,
    tmp_path: Path,
    reference: dict[str, Any],
) -> None:
    from sqlalchemy import create_engine, text

    from storage.migrate import upgrade

    schema = f"t_{uuid.uuid4().hex[:10]}"
    with create_engine(postgres_server_url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    database = f"{postgres_server_url}?options=-csearch_path%3D{schema}"
    upgrade(database)
    sources = sources_file(sandbox, tmp_path)
    env = {"DSI_REDIS_URL": REDIS_URL, "DSI_FRONTIER_NAMESPACE": redis_namespace}
    started = time.monotonic()
    workers = [worker(sources, database, env) for _ in range(2)]
    a, b = (finish(w) for w in workers)
    seconds = time.monotonic() - started
    counts = fetched(redis_namespace, "sandbox-jobs")
    assert counts and set(counts.values()) == {1}, {u: n for u, n in counts.items() if n > 1}
    assert a["pages"] + b["pages"] == len(counts)
    assert set(counts) == reference["page_urls"]  # every page the plain crawl fetched
    # Each page is parsed once, so every item is scraped or dropped once; the adverts that the
    # plain crawl dropped as repeats (a tracking-query copy, a partner mirror: the same
    # canonical URL) are kept by both workers when the two copies go to different workers;
    # storage makes them one row (below).
    made = reference["items"] + reference["dropped"]
    assert a["items"] + a["dropped"] + b["items"] + b["dropped"] == made
    assert reference["items"] <= a["items"] + b["items"] <= made
    assert stored_urls(database) == reference["stored_urls"]  # the union is complete
    with session_scope(database) as s:
        assert count_items(s) == reference["stored_items"]
    assert leftovers(redis_namespace, "sandbox-jobs") == [
        f"{redis_namespace}:sandbox-jobs:fetched",
        f"{redis_namespace}:sandbox-jobs:seeded",  # expires: late workers do not start again
    ]
    print(
        f"2 workers: {len(counts)} pages in {seconds:.1f}s; split {a['pages']}/{b['pages']}; "
        f"items {a['items']}+{b['items']} (plain crawl {reference['items']}, "
        f"{reference['dropped']} dropped)"
    )


@pytest.mark.slow
def test_kill_9_then_restart_refetches_only_what_was_in_flight(
    sandbox: Any,
    sqlite_url: str,
    redis_namespace: str,
    tmp_path: Path,
    reference: dict[str, Any],
) -> None:
    sources = sources_file(sandbox, tmp_path)
    env = {
        "DSI_REDIS_URL": REDIS_URL,
        "DSI_FRONTIER_NAMESPACE": redis_namespace,
        "DSI_FRONTIER_LEASE_SECONDS": "5",
    }
    first = worker(sources, sqlite_url, env)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.2)
        with session_scope(sqlite_url) as s:
            if count_items(s) >= 15:
                break
    assert first.poll() is None, "the crawl ended before it could be killed"
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    served = fetched(redis_namespace, "sandbox-jobs")
    in_flight = leased_urls(redis_namespace, "sandbox-jobs")
    before = sum(served.values())
    assert 0 < before < reference["pages"]

    summary = finish(worker(sources, sqlite_url, env))
    counts = fetched(redis_namespace, "sandbox-jobs")
    refetched = sum(n - 1 for n in counts.values())
    assert set(counts) == reference["page_urls"]  # every page the plain crawl fetched
    # After the restart, a page is fetched once if it was in flight at the kill (leased: being
    # fetched, or fetched with its items not yet stored) or not fetched yet, else not at all.
    after = {url: n - served.get(url, 0) for url, n in counts.items()}
    assert after == {url: int(url in in_flight or url not in served) for url in counts}
    assert before + summary["pages"] == len(counts) + refetched
    urls = stored_urls(sqlite_url)
    assert urls == reference["stored_urls"], {  # none lost, none duplicated
        "lost": sorted(reference["stored_urls"] - urls),
        "extra": sorted(urls - reference["stored_urls"]),
    }
    with session_scope(sqlite_url) as s:
        assert count_items(s) == reference["stored_items"]
    print(
        f"kill -9 after {before} pages, {len(in_flight)} in flight: "
        f"{refetched} page(s) fetched again"
    )


def leased_scheduler(namespace: str) -> LeasedScheduler:
    from scrapy import Spider

    crawler = get_crawler(
        Spider,
        settings_dict={
            "REDIS_URL": REDIS_URL,
            "DSI_FRONTIER_PREFIX": f"{namespace}:src",
            "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
            "SCHEDULER_PERSIST": True,
            "DSI_FRONTIER_POLL_SECONDS": 0,  # no timer left behind: the tests call poll()
        },
    )
    spider = Spider(name="jobs")
    spider.crawler = crawler
    spider.settings = crawler.settings
    crawler.spider = spider
    scheduler = LeasedScheduler.from_crawler(crawler)
    scheduler.open(spider)
    return scheduler


class CommandLog:
    """A Redis client that records the commands sent through it."""

    def __init__(self, server: Any) -> None:
        self.server = server
        self.commands: list[str] = []

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self.server, name)
        if not callable(attr):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            self.commands.append(name)
            return attr(*args, **kwargs)

        return call


def test_a_failed_fetch_is_retried_not_seen_forever(redis_namespace: str) -> None:
    scheduler = leased_scheduler(redis_namespace)
    crawler = scheduler.crawler
    assert crawler is not None
    spider = crawler.spider
    keys = frontier_keys(f"{redis_namespace}:src")
    request = Request("http://127.0.0.1:9/advert/1")
    assert scheduler.enqueue_request(request)
    assert not scheduler.enqueue_request(Request("http://127.0.0.1:9/advert/1"))  # seen
    taken = scheduler.next_request()
    assert taken is not None and taken.meta[LEASE_META]
    assert scheduler.server.zcard(keys["leases"]) == 1 and len(scheduler.queue) == 0
    # the fetch fails for good (after its retries): lease back, fingerprint forgotten
    FailedFetchMiddleware(crawler).process_exception(taken, ConnectionRefusedError(), spider)
    assert scheduler.server.zcard(keys["leases"]) == 0
    assert scheduler.enqueue_request(Request("http://127.0.0.1:9/advert/1"))  # tried again
    # a lease whose worker died is queued again
    scheduler.lease_seconds = -1
    assert scheduler.next_request() is not None
    assert scheduler.requeue_expired() == 1 and len(scheduler.queue) == 1


def test_a_request_is_marked_seen_and_queued_in_one_step(redis_namespace: str) -> None:
    """A worker killed between marking a link seen and queueing it would lose the page for
    good (no later link queues it again): both happen in one Redis call, with the release of
    the lease a retry or a redirect carries."""
    scheduler = leased_scheduler(redis_namespace)
    keys = frontier_keys(f"{redis_namespace}:src")
    server = scheduler.server
    log = CommandLog(server)
    scheduler.server = log
    assert scheduler.enqueue_request(Request("http://127.0.0.1:9/advert/1"))
    assert log.commands == ["eval"]
    assert server.scard(keys["seen"]) == 1 and server.zcard(keys["requests"]) == 1
    assert not scheduler.enqueue_request(Request("http://127.0.0.1:9/advert/1"))
    assert server.zcard(keys["requests"]) == 1
    assert scheduler.enqueue_request(Request("http://127.0.0.1:9/advert/1", dont_filter=True))
    assert server.zcard(keys["requests"]) == 2  # dont_filter: queued again, as in Scrapy
    # a retry: queued again and its old lease given back, in the same call
    scheduler.server = server
    taken = scheduler.next_request()
    assert taken is not None and server.zcard(keys["leases"]) == 1
    log.commands.clear()
    scheduler.server = log
    retry = taken.replace(dont_filter=True)
    retry.meta["retry_times"] = 1
    assert scheduler.enqueue_request(retry)
    assert log.commands == ["eval"] and server.zcard(keys["leases"]) == 0
    # a redirect to a page already seen: not queued, its lease given back
    scheduler.server = server
    taken = scheduler.next_request()
    assert taken is not None
    redirected = taken.replace(url="http://127.0.0.1:9/advert/1", dont_filter=False)
    queued = server.zcard(keys["requests"])
    assert not scheduler.enqueue_request(redirected)
    assert server.zcard(keys["leases"]) == 0 and server.zcard(keys["requests"]) == queued


class IdleEngine:
    """What :meth:`LeasedScheduler.poll` uses of Scrapy's engine: a worker with nothing to fetch;
    ``crawl`` schedules as the engine does (through the scheduler)."""

    def __init__(self, scheduler: LeasedScheduler) -> None:
        self.scheduler, self.running, self.crawled = scheduler, True, []
        assert scheduler.crawler is not None
        self.spider = scheduler.crawler.spider
        self.downloader = type("Downloader", (), {"active": set()})()

    def crawl(self, request: Request) -> None:
        self.crawled.append(request)
        assert self.scheduler.enqueue_request(request)


def test_an_idle_worker_takes_work_without_waiting_for_the_heartbeat(
    redis_namespace: str,
) -> None:
    scheduler = leased_scheduler(redis_namespace)
    assert scheduler.crawler is not None and scheduler._poller is None
    engine = IdleEngine(scheduler)
    scheduler.crawler.engine = engine  # type: ignore[assignment]
    keys = frontier_keys(f"{redis_namespace}:src")
    scheduler.poll()
    assert engine.crawled == []  # nothing queued: nothing to do
    other = leased_scheduler(redis_namespace)  # another worker queues a link
    assert other.enqueue_request(Request("http://127.0.0.1:9/advert/1"))
    engine.downloader.active.add(Request("http://127.0.0.1:9/busy"))
    scheduler.poll()
    assert engine.crawled == [] and len(scheduler.queue) == 1  # busy: the engine asks itself
    engine.downloader.active.clear()
    scheduler.poll()
    assert [r.url for r in engine.crawled] == ["http://127.0.0.1:9/advert/1"]
    # taken with its lease, handed to the engine, not queued in Redis again
    assert len(scheduler.queue) == 0 and scheduler.server.zcard(keys["leases"]) == 1
    assert scheduler.has_pending_requests()
    taken = scheduler.next_request()
    assert taken is engine.crawled[0] and taken.meta[LEASE_META]
    assert not scheduler.has_pending_requests() and scheduler.next_request() is None
    # an expired lease is left to the idle check (it may be this worker's own page, still
    # waiting for its items to be written)
    assert scheduler.enqueue_request(Request("http://127.0.0.1:9/advert/2"))
    other.lease_seconds = -1
    assert other.next_request() is not None and len(scheduler.queue) == 0
    scheduler.poll()
    assert len(engine.crawled) == 1
    with pytest.raises(DontCloseSpider):
        scheduler.spider_idle(engine.spider)
    scheduler.poll()
    assert [r.url for r in engine.crawled][1:] == ["http://127.0.0.1:9/advert/2"]
    scheduler.ready.clear()
    # Redis gone: logged, and the worker goes on (the engine's heartbeat asks again)
    import redis

    scheduler.server = redis.Redis.from_url("redis://127.0.0.1:9/0", socket_connect_timeout=1)
    scheduler.poll()
    assert len(engine.crawled) == 2


def test_a_start_url_is_queued_once_and_marked_seen(redis_namespace: str) -> None:
    first = leased_scheduler(redis_namespace)
    start = Request("http://127.0.0.1:9/jobs/", meta={"is_start_request": True})
    assert first.seeding and first.enqueue_request(start)
    assert not first.enqueue_request(Request("http://127.0.0.1:9/jobs/"))  # a later link
    second = leased_scheduler(redis_namespace)  # a worker that joins: does not seed again
    assert not second.seeding
    assert not second.enqueue_request(start.replace(meta={"is_start_request": True}))
    assert len(second.queue) == 1


WEBSITES = 6


def websites_file(sandbox: Any, tmp_path: Path) -> Path:
    """A small website source: the first sandbox sites, without rendering (no browser)."""
    path = tmp_path / "websites.toml"
    urls = ", ".join(f'"{u}"' for u in sandbox.site_urls[:WEBSITES])
    path.write_text(
        '[[source]]\nname = "sites"\nspider = "website"\n'
        f"urls = [{urls}]\nallow_private_network = true\nmax_pages = 300\nrender_js = false\n",
        encoding="utf-8",
    )
    return path


def profiles(database: str) -> dict[str, dict[str, Any]]:
    from sqlalchemy import select

    from storage.models import Item

    with session_scope(database) as s:
        return {r.url: dict(r.fields) for r in s.scalars(select(Item))}


@pytest.mark.slow
@pytest.mark.postgres
def test_two_workers_share_a_website_source_site_by_site(
    sandbox: Any,
    postgres_server_url: str,
    redis_namespace: str,
    tmp_path: Path,
) -> None:
    """Each site is crawled whole by one worker: every page fetched once, every site profiled
    once, the union the same as one plain crawl's."""
    from storage.migrate import upgrade

    sources = websites_file(sandbox, tmp_path)
    plain = f"sqlite:///{tmp_path / 'plain.sqlite3'}"
    upgrade(plain)
    alone = run_dsi("crawl", "sites", "--sources", str(sources), "--json", "--database", plain)
    assert alone.returncode == 0, alone.stderr[-3000:]
    reference: dict[str, Any] = json.loads(alone.stdout.strip().splitlines()[-1])

    schema = f"t_{uuid.uuid4().hex[:10]}"
    from sqlalchemy import create_engine, text

    with create_engine(postgres_server_url, isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    database = f"{postgres_server_url}?options=-csearch_path%3D{schema}"
    upgrade(database)
    env = {
        "DSI_REDIS_URL": REDIS_URL,
        "DSI_FRONTIER_NAMESPACE": redis_namespace,
        "DSI_FRONTIER_UNITS_PER_WORKER": "4",  # so that both workers take sites
    }
    started = time.monotonic()
    workers = [worker(sources, database, env, source="sites") for _ in range(2)]
    a, b = (finish(w) for w in workers)
    seconds = time.monotonic() - started
    counts = fetched(redis_namespace, "sites")
    assert counts and set(counts.values()) == {1}, {u: n for u, n in counts.items() if n > 1}
    assert a["pages"] + b["pages"] == len(counts) == reference["pages"]
    assert a["items"] > 0 and b["items"] > 0  # both worked
    assert a["items"] + b["items"] == reference["items"] == WEBSITES  # one profile per site
    shared, alone_profiles = profiles(database), profiles(plain)
    assert shared.keys() == alone_profiles.keys()
    for url, fields in alone_profiles.items():  # the same profiles as one plain crawl's
        assert (shared[url]["name"], sorted(shared[url]["pages"])) == (
            fields["name"],
            sorted(fields["pages"]),
        )
    assert leftovers(redis_namespace, "sites") == [
        f"{redis_namespace}:sites:fetched",
        f"{redis_namespace}:sites:seeded",
    ]
    print(f"2 workers: {WEBSITES} sites, {len(counts)} pages in {seconds:.1f}s")


@pytest.mark.parametrize(
    ("spider", "redis_url", "message"),
    [
        ("opendata", REDIS_URL, "--distributed crawls jobs and website sources only"),
        ("jobs", "", "--distributed needs DSI_REDIS_URL"),
        ("jobs", "redis://127.0.0.1:1/0", "Redis unreachable (redis://127.0.0.1:1/0)"),
    ],
)
def test_distributed_refusals_are_one_line(
    spider: str, redis_url: str, message: str, tmp_path: Path
) -> None:
    result = run_dsi(
        "crawl",
        "--spider",
        spider,
        "--url",
        "http://127.0.0.1:9/",
        "--distributed",
        "--database",
        f"sqlite:///{tmp_path / 'db.sqlite3'}",
        env={"DSI_REDIS_URL": redis_url},
    )
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("Error: ") and message in line


def test_units_are_owned_by_one_worker_at_a_time(redis_namespace: str) -> None:
    """Two workers sharing units (sites) in the real Redis: one owner per unit, given back only
    once its result is stored, a dead owner's unit taken over when its lease expires."""
    import asyncio

    from scrapy import Spider

    from crawler.frontier import UnitFrontier

    settings = {
        "REDIS_URL": REDIS_URL,
        "DSI_FRONTIER_PREFIX": f"{redis_namespace}:src",
        "DSI_FRONTIER_MODE": "units",
        "DSI_FRONTIER_UNITS_PER_WORKER": 1,
    }
    crawlers = [get_crawler(Spider, settings_dict=settings) for _ in range(2)]
    for crawler in crawlers:
        crawler.stats.open_spider(None)
    a, b = (UnitFrontier.from_crawler(crawler) for crawler in crawlers)
    keys = frontier_keys(f"{redis_namespace}:src")
    units = ["http://a.test/", "http://b.test/", "http://c.test/"]

    def requests(unit: str) -> list[Request]:
        return [Request(unit)]

    async def scenario() -> None:
        on_a, on_b = a.claimed(units, requests), b.claimed(units, requests)
        assert (await anext(on_a)).url == units[0]  # a queues the units and takes one
        assert (await anext(on_b)).url == units[1]  # b joins and takes the next
        a.server.zadd(keys["leases"], {units[0]: 1})  # about to expire: a renews its lease
        a.renew()
        assert a.server.zscore(keys["leases"], units[0]) > time.time() + 60
        profile = object()
        a.finished(units[0], profile)
        assert a.server.zcard(keys["leases"]) == 2  # not given back before it is stored
        a.item_done(profile, spider=None)
        assert a.server.zcard(keys["leases"]) == 1 and not a.held
        assert (await anext(on_a)).url == units[2]
        a.server.zadd(keys["leases"], {units[2]: 0})  # a dies: its lease expires
        b.finished(units[1])
        assert (await anext(on_b)).url == units[2]  # taken over by b
        b.finished(units[2])
        with pytest.raises(StopAsyncIteration):  # nothing queued, nothing owned anywhere
            await anext(on_b)

    asyncio.run(scenario())
    stats = crawlers[1].stats
    assert stats.get_value("dsi/frontier/joined") == 1
    assert stats.get_value("dsi/frontier/requeued") == 1
    assert stats.get_value("dsi/frontier/units_claimed") == 2
    b.spider_closed(None, "finished")
    assert leftovers(redis_namespace, "src") == [keys["seeded"]]


def test_website_units_are_its_distinct_sites() -> None:
    from spiders.website import WebsiteSpider

    urls = ["http://a.test/", "http://a.test/about", "http://www.a.test/x", "http://b.test/p"]
    assert WebsiteSpider.site_seeds(urls) == ["http://a.test/", "http://b.test/p"]
