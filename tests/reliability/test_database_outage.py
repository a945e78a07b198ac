"""A PostgreSQL outage in the middle of a crawl, made by cutting a TCP proxy between the crawl
and the shared server (the server itself keeps running): the store pipeline retries, spools
what it cannot write and the next run replays it; nothing is lost and every run says honestly
how it ended."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from storage.items import count_items
from storage.models import CrawlRun
from storage.session import get_engine, session_scope
from tests.reliability.crawls import SOURCE, sources_file, start_crawl, wait_until
from tests.reliability.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.slow, pytest.mark.postgres]

#: seconds the database stays away in the outage the crawl rides out
OUTAGE = 4.0


@pytest.fixture
def databases(postgres_server_url: str) -> Iterator[tuple[str, str, TcpProxy]]:
    """A throwaway schema: its URL straight to the server, its URL through a proxy, the proxy."""
    from storage.migrate import upgrade

    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    server = make_url(postgres_server_url)
    proxy = TcpProxy((server.host or "127.0.0.1", server.port or 5432)).start()
    options = f"?options=-csearch_path%3D{schema}"
    direct = postgres_server_url + options
    via = server.set(port=proxy.port).render_as_string(hide_password=False) + options
    upgrade(direct)
    yield direct, via, proxy
    proxy.cut()
    get_engine(direct).dispose()
    with admin.connect() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def stored(url: str) -> int:
    with session_scope(url) as s:
        return count_items(s)


def runs(url: str) -> list[CrawlRun]:
    with session_scope(url) as s:
        found = list(s.scalars(select(CrawlRun).order_by(CrawlRun.id)))
        s.expunge_all()
        return found


def finish(proc: Any) -> tuple[int, dict[str, Any], str]:
    out, err = proc.communicate(timeout=600)
    assert "Traceback" not in err, err[-3000:]
    return proc.returncode, json.loads(out.strip().splitlines()[-1]), err


def crawl_then_cut(board: Any, folder: Path, databases: tuple[str, str, TcpProxy]) -> Any:
    """A crawl through the proxy, cut once 20 items are stored; the running process."""
    direct, via, proxy = databases
    proc = start_crawl(sources_file(board, folder), via, {"DSI_SPOOL_DIR": str(folder / "spool")})
    wait_until(proc, lambda: stored(direct) >= 20)
    proxy.cut()
    return proc


def test_an_outage_mid_crawl_is_ridden_out(
    board: Any,
    reference: dict[str, Any],
    databases: tuple[str, str, TcpProxy],
    crawl_folder: Path,
) -> None:
    direct, _via, proxy = databases
    proc = crawl_then_cut(board, crawl_folder, databases)
    time.sleep(OUTAGE)
    proxy.restore()
    code, summary, err = finish(proc)
    assert code == 0, err[-3000:]
    assert summary["status"] == "finished" and summary["spooled"] == 0
    assert "database unavailable, will retry" in err
    assert stored(direct) == reference["stored_items"]  # 0 lost
    (run,) = runs(direct)
    assert run.status == "finished"
    assert run.stats["dsi/store/retries"] >= 1
    assert not list((crawl_folder / "spool").iterdir())


def test_an_outage_until_the_end_is_spooled_and_replayed(
    board: Any,
    reference: dict[str, Any],
    databases: tuple[str, str, TcpProxy],
    crawl_folder: Path,
) -> None:
    direct, via, proxy = databases
    spool = crawl_folder / "spool"
    env = {"DSI_SPOOL_DIR": str(spool)}
    proc = crawl_then_cut(board, crawl_folder, databases)  # not restored before the end
    code, summary, err = finish(proc)
    assert code == 4, err[-3000:]  # incomplete: items are in the spool
    assert summary["status"] == "incomplete" and summary["spooled"] > 0
    assert (spool / f"{SOURCE}.jsonl").exists() and (spool / f"{SOURCE}.run-ends.jsonl").exists()
    assert [r.status for r in runs(direct)] == ["running"]  # its end could not be written

    proxy.restore()
    code, again, err = finish(start_crawl(sources_file(board, crawl_folder), via, env))
    assert code == 0 and again["status"] == "finished", err[-3000:]
    assert stored(direct) == reference["stored_items"]  # 0 lost
    first, second = runs(direct)
    # the first run's items all reached the database (replayed): it finished
    assert first.status == "finished" and first.stats["dsi/store/spooled"] == summary["spooled"]
    assert second.status == "finished" and second.stats["dsi/store/replayed"] == summary["spooled"]
    assert not list(spool.iterdir())
    print(
        f"outage until the end: {summary['spooled']} items spooled, replayed by the next run; "
        f"{stored(direct)} stored, 0 lost"
    )
