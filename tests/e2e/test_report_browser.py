"""The HTML report opens from disk in real headless Chromium with every non-file request
refused: charts show, tables are there, crawled text stays text. The screenshot is kept in
``var/screenshots/report.png``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reports.build import write_reports
from reports.data import load
from storage.candidates import CandidateRef, upsert_candidate
from storage.session import session_scope
from tests.conftest import ROOT
from tests.integration.test_reports import build

SCREENSHOT = ROOT / "var" / "screenshots" / "report.png"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.mark.browser
def test_report_page_in_headless_chromium(sqlite_url: str, tmp_path: Path, chromium: Path) -> None:
    from playwright.sync_api import sync_playwright

    build(sqlite_url)
    with session_scope(sqlite_url) as s:
        # a crawled name with markup that would fetch something if it were not escaped
        upsert_candidate(
            s,
            CandidateRef(
                kind="organisation",
                key="evil",
                name='<img src="http://192.0.2.1/x.png"><script>document.title="owned"</script>',
                country="DE",
            ),
        )
    with session_scope(sqlite_url) as s:
        harvest = load(s)
    written = write_reports(harvest, tmp_path / "rep", minimum=1)
    refused: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), headless=True, args=FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})

            def only_files(route) -> None:  # type: ignore[no-untyped-def]
                if route.request.url.startswith("file://"):
                    route.continue_()
                else:
                    refused.append(route.request.url)
                    route.abort()

            page.route("**/*", only_files)
            page.goto(written.page.as_uri())
            page.wait_for_load_state("load")
            title = page.title()
            headings = page.locator("h2").all_inner_texts()
            images = page.evaluate(
                "Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth])"
            )
            tables = page.locator("table").count()
            caveat = page.inner_text("#caveats")
            evil_text = page.locator("text=document.title").count()
            page.screenshot(path=str(tmp_path / "report.png"), full_page=False)
        finally:
            browser.close()
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(tmp_path / "report.png", SCREENSHOT)
    assert refused == []  # nothing but the page itself was asked for
    assert title == "DSI activity from the harvest"  # the crawled script did not run
    assert evil_text >= 1  # ... it is shown as text
    assert headings == ["Job-advert trends per month", "Geography", "Network"]
    assert len(images) >= 8
    assert all(complete and width > 300 for _alt, complete, width in images), images
    assert tables >= 10
    assert "ROC-AUC of about 0.75" in caveat
    assert SCREENSHOT.stat().st_size > 20_000
