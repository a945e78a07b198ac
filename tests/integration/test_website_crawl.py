"""Real crawls of the ``website`` spider (a ``dsi crawl`` process each) on 127.0.0.1 sites."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from storage.links import links_from
from storage.models import Item, SiteLink
from storage.session import session_scope
from tests.conftest import run_dsi
from tests.integration.website_sites.server import (
    Page,
    Site,
    closed_port_url,
    running_web,
    serve,
)


def _profiles(url: str) -> dict[str, dict[str, Any]]:
    with session_scope(url) as session:
        rows = session.scalars(select(Item).where(Item.spider == "website")).all()
        return {row.fields["site"]: row.fields for row in rows}


def _run(*args: str, exit_code: int = 0) -> dict[str, Any]:
    from tests.conftest import ROOT

    result = run_dsi(
        "crawl", "--spider", "website", *args, "--allow-private-network", "--json", cwd=ROOT
    )
    assert result.returncode == exit_code, result.stderr[-3000:]
    summary: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return summary


@pytest.mark.slow
def test_crawl_small_web(sqlite_url: str) -> None:
    dead = closed_port_url()
    with running_web() as (urls, sites):
        started = time.perf_counter()
        summary = _run(
            "--url",
            urls["civic"],
            "--url",
            urls["verein"],
            "--url",
            urls["dorf"],
            "--url",
            dead,
            "-o",
            "render_js=false",
            "--database",
            sqlite_url,
        )
        elapsed = time.perf_counter() - started
    # the dead domain's profile is emitted (its warnings say why) and dropped: nothing to store
    assert summary["items"] == 3 and summary["dropped"] == 1, summary
    profiles = _profiles(sqlite_url)
    civic = profiles[urls["civic"].rstrip("/")]
    verein = profiles[urls["verein"].rstrip("/")]
    dorf = profiles[urls["dorf"].rstrip("/")]
    assert dead.rstrip("/") not in profiles
    # extraction through the real stack
    assert civic["name"] == "Commonplace Civic Lab CIC"
    assert civic["social_links"]["x"] == "https://x.com/commonplacelab"
    assert civic["city"] == "Manchester" and civic["country"] == "GB"
    assert (verein["language"] == "de" and verein["city"] == "Leipzig") or verein["city"] is None
    assert "Genossenschaft für" in dorf["main_text"]
    # robots.txt, redirect loop, 500, huge page, PDF: bounded, recorded, never fatal
    assert "/our-team" not in sites["civic"].requests
    assert sites["civic"].requests.count("/contact") <= 6
    assert any("redirect_loop" in w for w in civic["warnings"])
    assert any("http_500" in w for w in civic["warnings"])
    assert any("too_large" in w for w in verein["warnings"])
    assert "/projekte/" in sites["verein"].requests
    assert not any(p.endswith("/projekte/") for p in verein["pages"])
    # links between the two sites are edges
    with session_scope(sqlite_url) as session:
        civic_key = urls["civic"].removeprefix("http://").rstrip("/")
        verein_key = urls["verein"].removeprefix("http://").rstrip("/")
        assert verein_key in links_from(session, civic_key)
        assert civic_key in links_from(session, verein_key)
        assert session.scalar(select(SiteLink.source).limit(1))
    print(f"\nsmall web: {summary['pages']} responses in {elapsed:.1f}s (process included)")


@pytest.mark.slow
def test_dead_domain_only(sqlite_url: str) -> None:
    # no page could be read: the run failed (exit 3)
    summary = _run("--url", closed_port_url(), "--database", sqlite_url, exit_code=3)
    # the profile saying the site is unreachable is dropped by validate: no empty profile
    assert summary["items"] == 0 and summary["dropped"] == 1 and summary["stored"] == 0
    assert summary["finish_reason"] == "finished"
    assert _profiles(sqlite_url) == {}


@pytest.mark.slow
def test_sandbox_crawl(request: pytest.FixtureRequest, sqlite_url: str) -> None:
    """The whole sandbox web: every site gets a profile, nothing hangs, traps stay bounded."""
    sandbox = request.getfixturevalue("sandbox")
    site_urls = list(sandbox.site_urls)
    args: list[str] = []
    for url in site_urls:
        args += ["--url", url]
    started = time.perf_counter()
    summary = _run(*args, "--max-pages", "2000", "--database", sqlite_url)
    elapsed = time.perf_counter() - started
    profiles = _profiles(sqlite_url)
    assert summary["items"] >= len(site_urls) - 2, summary
    assert len(profiles) >= len(site_urls) - 2
    assert summary["pages"] <= len(site_urls) * 10
    named = [p for p in profiles.values() if p["name"]]
    assert len(named) >= len(profiles) * 0.7
    rendered = [p["site"] for p in profiles.values() if p["rendered_with_browser"]]
    with session_scope(sqlite_url) as session:
        edges = session.scalar(select(SiteLink.id).limit(1))
    assert edges is not None
    print(
        f"\nsandbox: {len(profiles)} profiles, {summary['pages']} responses in {elapsed:.1f}s "
        f"({summary['pages'] / elapsed:.1f} responses/s incl. process start); "
        f"rendered with browser: {rendered}"
    )


# --- crawls that stop early: every site still gets its profile ---------------------------------
_SECTIONS = ("ueber-uns", "impressum", "kontakt", "projekte", "team", "aktuelles")


def _page(title: str, body: str, links: str = "") -> Page:
    html = (
        f"<!DOCTYPE html><html lang='de'><head><title>{title}</title></head><body>"
        f"<nav>{links}</nav><main><h1>{title}</h1><p>{body}</p></main></body></html>"
    )
    return 200, "text/html; charset=utf-8", html.encode(), {}


def _section_site(name: str, slow: threading.Event | None = None) -> Site:
    links = "".join(f"<a href='/{s}/'>{s}</a>" for s in _SECTIONS)
    text = (
        f"{name} ist ein gemeinnütziger Verein, der offene Software für Nachbarschaften "
        "entwickelt und Reparaturcafés in der ganzen Stadt organisiert."
    )
    site = Site()
    site.routes["/"] = lambda: _page(f"Startseite – {name}", text, links)

    def section(s: str) -> Callable[[], Page]:
        def answer() -> Page:
            if slow is not None and s == "ueber-uns":
                slow.wait(30)  # held until the test has stopped the crawl
            return _page(f"{s} – {name}", f"{s}: {text}")

        return answer

    for s in _SECTIONS:
        site.routes[f"/{s}/"] = section(s)
    return site


@pytest.mark.slow
def test_page_budget_gives_every_site_a_profile(sqlite_url: str) -> None:
    sites = {f"s{i}": _section_site(f"Verein {i}") for i in range(3)}
    with serve(sites) as urls:
        args: list[str] = []
        for url in urls.values():
            args += ["--url", url]
        summary = _run(
            *args, "--max-pages", "12", "-o", "render_js=false", "--database", sqlite_url
        )
    # without the spider's own budget, CLOSESPIDER_PAGECOUNT would cut sites half-way
    assert summary["finish_reason"] == "finished", summary
    profiles = _profiles(sqlite_url)
    assert len(profiles) == 3
    assert all(p["pages"] and p["name"] for p in profiles.values())
    assert sum(len(s.requests) for s in sites.values()) <= 12  # robots.txt included
    assert any(
        any("page budget of the crawl reached" in w for w in p["warnings"])
        for p in profiles.values()
    )


@pytest.mark.slow
def test_sigterm_keeps_partial_profiles(sqlite_url: str) -> None:
    import signal
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import ROOT

    release = threading.Event()
    sites = {"slow": _section_site("Verein Langsam", slow=release)}
    lines: list[str] = []
    with serve(sites) as urls:
        exe = Path(sys.executable).parent / "dsi"
        proc = subprocess.Popen(
            [str(exe), "crawl", "--spider", "website", "--url", urls["slow"],
             "--allow-private-network", "--json", "-o", "render_js=false",
             "--database", sqlite_url],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        assert proc.stderr is not None and proc.stdout is not None
        reader = threading.Thread(target=lambda: lines.extend(proc.stderr or []), daemon=True)
        reader.start()
        try:
            deadline = time.monotonic() + 60
            while "/ueber-uns/" not in sites["slow"].requests:  # the slow page is in flight
                assert time.monotonic() < deadline and proc.poll() is None, "".join(lines)
                time.sleep(0.05)
            proc.send_signal(signal.SIGTERM)
            while not any("unfinished when the crawl stopped (shutdown)" in ln for ln in lines):
                assert time.monotonic() < deadline, "".join(lines[-30:])
                time.sleep(0.05)
        finally:
            release.set()
        out, _ = proc.communicate(timeout=60)
        reader.join(timeout=10)
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["finish_reason"] == "shutdown", summary
    (profile,) = _profiles(sqlite_url).values()
    assert profile["name"] == "Verein Langsam"
    assert urls["slow"] in profile["pages"]
    assert not any(p.endswith("/ueber-uns/") for p in profile["pages"])
    assert any("crawl stopped (shutdown)" in w for w in profile["warnings"])
