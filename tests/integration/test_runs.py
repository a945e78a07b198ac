"""Run history, checks against the source's history, alerts, and `dsi runs` (SQLite and
PostgreSQL)."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from crawler.cli.app import app
from crawler.monitoring import Alerts, check_run
from storage.runs import finish_run, start_run
from storage.session import session_scope


def good_stats(items: int, country: int) -> dict[str, Any]:
    return {
        "item_scraped_count": items,
        "response_received_count": 10,
        "downloader/request_count": 10,
        "downloader/response_bytes": 12345,
        "dsi/fields/title": items,
        "dsi/fields/location_country": country,
        "dsi/store/new": 2,
        "dsi/store/unchanged": items - 2,
        "downloader/response_status_count/404": 1,
    }


def record(url: str, source: str, status: str, stats: dict[str, Any]) -> int:
    with session_scope(url) as s:
        run = start_run(s, source=source, spider="jobs")
        finish_run(s, run.id, status=status, stats=stats, finish_reason="finished")
        return run.id


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    received: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/alerts", received
    server.shutdown()
    server.server_close()


def test_checks_compare_with_history_and_alert(
    database_url: str, webhook: tuple[str, list[dict[str, Any]]], tmp_path: Path
) -> None:
    hook, received = webhook
    for _ in range(3):
        record(database_url, "board", "finished", good_stats(100, 90))
    record(database_url, "board", "failed", good_stats(5, 0))  # not a good run: no baseline
    record(database_url, "other", "finished", good_stats(1000, 0))  # another source
    out = tmp_path / "alert.json"
    command = f"{sys.executable} -c \"import sys; open({str(out)!r}, 'w').write(sys.stdin.read())\""
    alerts = Alerts(command=command, webhook=hook)

    ok_id = record(database_url, "board", "finished", good_stats(97, 85))
    checks = check_run(database_url, ok_id, alerts=alerts)
    assert all(c.status in ("ok", "skipped") for c in checks)
    assert received == [] and not out.exists()

    bad_id = record(database_url, "board", "finished", good_stats(45, 10))
    checks = {c.name: c for c in check_run(database_url, bad_id, alerts=alerts)}
    assert checks["item_count"].status == "fail" and checks["item_count"].baseline == 100
    assert checks["coverage/location_country"].status == "fail"
    (alert,) = received
    assert alert["run_id"] == bad_id and alert["health"] == "fail" and alert["source"] == "board"
    assert {c["name"] for c in alert["checks"]} >= {"item_count", "coverage/location_country"}
    assert json.loads(out.read_text())["run_id"] == bad_id

    runner = CliRunner()
    listing = runner.invoke(app, ["runs", "--source", "board", "--json", "-d", database_url])
    assert listing.exit_code == 0, listing.output
    rows = json.loads(listing.output)
    assert [r["id"] for r in rows][:2] == [bad_id, ok_id]
    assert rows[0]["health"] == "fail" and rows[1]["health"] == "ok"
    assert rows[0]["errors"] == {"http/404": 1} and rows[0]["bytes"] == 12345
    assert (rows[0]["new"], rows[0]["unchanged"], rows[0]["items"]) == (2, 43, 45)
    assert {r["source"] for r in rows} == {"board"}

    show = runner.invoke(app, ["runs", "show", str(bad_id), "-d", database_url])
    assert show.exit_code == 0, show.output
    assert "fail    item_count" in show.output and "dsi/fields/location_country: 10" in show.output


def test_unreachable_alerts_are_logged_not_raised(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    run_id = record(database_url, "board", "finished", {"item_scraped_count": 0})
    alerts = Alerts(webhook="http://127.0.0.1:9/none", command="/no/such/command")
    checks = check_run(database_url, run_id, alerts=alerts, thresholds=None)
    assert {c.name: c.status for c in checks}["zero_items"] == "warn"  # no history
    alerts_on_warn = Alerts(
        webhook="http://127.0.0.1:9/none", command="/no/such/command", on="warn"
    )
    check_run(database_url, run_id, alerts=alerts_on_warn)
    assert "alert webhook" in caplog.text and "alert command" in caplog.text


def test_sources_list_shows_health(database_url: str, tmp_path: Path) -> None:
    path = tmp_path / "sources.toml"
    path.write_text(
        '[[source]]\nname = "board"\nspider = "jobs"\nurls = ["https://a.org/jobs/"]\n'
        '[[source]]\nname = "new"\nspider = "jobs"\nurls = ["https://b.org/jobs/"]\n',
        encoding="utf-8",
    )
    run_id = record(database_url, "board", "finished", good_stats(10, 10))
    check_run(database_url, run_id)
    result = CliRunner().invoke(
        app, ["sources", "list", "--json", "--sources", str(path), "-d", database_url]
    )
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(result.output)}
    assert rows["board"]["last_run"]["health"] == "ok"
    assert rows["board"]["last_run"]["status"] == "finished"
    assert rows["new"]["last_run"] is None


def test_runs_show_unknown_id(sqlite_url: str) -> None:
    result = CliRunner().invoke(app, ["runs", "show", "99", "-d", sqlite_url])
    assert result.exit_code == 1
