"""The review app in real headless Chromium (Playwright): sign in, filter, open a candidate,
accept, reject, merge, bulk-reject a query, undo; hostile crawled text never runs; screenshots
of the main pages are kept under tests/e2e/artifacts/ (ignored by git)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from review.app import create_app
from storage import maindb
from storage.session import session_scope
from tests.review_data import PASSWORD, XSS_NAME, seed

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture
def review_server(sqlite_url: str) -> Iterator[tuple[str, str, dict[str, int]]]:
    """The app on a free 127.0.0.1 port (uvicorn in a thread), seeded."""
    ids = seed(sqlite_url)
    app = create_app(sqlite_url, overlap_share=0.0)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "the review app did not start"
    yield f"http://127.0.0.1:{port}", sqlite_url, ids
    server.should_exit = True
    thread.join(timeout=10)
    sock.close()


@pytest.fixture
def page(chromium: Path) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        context = browser.new_page().context
        tab = context.pages[0]
        tab.set_default_timeout(15_000)
        yield tab
        context.close()
        browser.close()


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def sign_in(page: Any, base: str, username: str = "bob") -> None:
    page.goto(f"{base}/")
    assert page.url.endswith("/login")
    shot(page, "login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    try:
        page.wait_for_url(f"{base}/", timeout=60_000)  # a password hash is slow when loaded
    except Exception as exc:  # say where the browser is and what it shows
        shown = page.locator("body").inner_text()[:500]
        raise AssertionError(f"{username} not signed in: at {page.url}: {shown!r}") from exc


@pytest.mark.browser
@pytest.mark.slow
def test_curator_session_in_chromium(review_server: Any, page: Any) -> None:
    base, url, ids = review_server
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, base)
    assert page.locator("tr.row").count() == len(ids) - 1  # every seeded candidate
    shot(page, "queue")

    # filter: the French shops only
    page.fill("input[name=country]", "FR")
    page.click("#apply-filters")
    page.wait_for_url("**country=FR**")
    assert page.locator("tr.row").count() == 3

    # back to everything, by relevance; keys j + Enter open the first candidate
    page.goto(f"{base}/?order=relevance")
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/candidates/{ids['Tenants Data Commons']}**")
    assert "open data" in page.locator("#explain-for").inner_text()
    assert "forklift" in page.locator("#explain-against").inner_text()
    sides = page.locator("#sides").inner_text()
    assert "Social purpose 0.93" in sides and "Digital means 0.88" in sides
    shot(page, "candidate")

    # accept with an edited name (the form), then the next candidate opens
    page.fill("input[name=edit_name]", "Tenants' Data Commons")
    page.click("#accept")
    page.wait_for_url(f"**/candidates/{ids['Repair Cafe Network']}**")
    with session_scope(url) as session:
        names = [r["organisation_name"] for r in maindb.export_records(session, "organisation")]
    assert "Tenants' Data Commons" in names

    # merge the Repair Cafe Network into its main-database match with the m key
    assert "same country NL" in page.locator("#matches").inner_text()
    page.keyboard.press("m")
    page.wait_for_url(f"**/candidates/{ids['Civic Budget Map']}**")
    # reject the next one with the r key
    page.keyboard.press("r")
    page.wait_for_url(lambda u: f"/candidates/{ids['Civic Budget Map']}" not in u)
    # u undoes the last decision (the reject) and shows that candidate again
    page.keyboard.press("u")
    page.wait_for_url(f"**/candidates/{ids['Civic Budget Map']}")
    assert page.locator("#status").inner_text() == "pending"

    # bulk-reject a filtered query: dry run first, then confirm
    page.goto(f"{base}/?source=spam-fr")
    page.click("#bulk summary")
    page.fill("#bulk input[name=reason]", "online shop")
    page.click("#bulk-preview")
    assert "3 candidates match" in page.locator("#bulk-count").inner_text()
    shot(page, "bulk-preview")
    page.click("#bulk-confirm")
    assert "3 candidates decided" in page.locator("#bulk-done").inner_text()
    page.goto(f"{base}/?source=spam-fr")
    assert page.locator("tr.row").count() == 0

    # the audit log shows everything; undo the bulk action as one step from there
    page.goto(f"{base}/audit")
    shot(page, "audit")
    audit = page.locator("#audit").inner_text()
    assert "accept" in audit and "merge" in audit and "undo" in audit
    page.locator("tr", has_text="online shop").first.locator("button.undo-entry").click()
    page.wait_for_url(f"{base}/audit")
    page.goto(f"{base}/?source=spam-fr")
    assert page.locator("tr.row").count() == 3
    assert errors == []


@pytest.mark.browser
@pytest.mark.slow
def test_stored_xss_through_crawled_text_does_not_run(review_server: Any, page: Any) -> None:
    base, _, ids = review_server
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, base, "ada")
    hostile = ids[XSS_NAME]
    page.goto(f"{base}/?q=script")
    assert page.locator("tr.row").count() == 1
    page.goto(f"{base}/candidates/{hostile}")
    page.hover("#evidence")
    page.mouse.move(10, 10)
    shot(page, "candidate-hostile")
    assert page.evaluate("() => window.__xss") is None
    # the text is shown as text; no element came from it
    assert XSS_NAME in page.locator("#candidate-name").inner_text()
    assert (
        page.locator("main script, main svg, main img, main [onerror], main [onload]").count() == 0
    )
    # javascript: links are never links: not the website, not the evidence
    hrefs = page.eval_on_selector_all("a", "els => els.map(e => e.getAttribute('href'))")
    assert not any(h and h.strip().lower().startswith("javascript:") for h in hrefs)
    external = page.locator("a[target=_blank]")
    for i in range(external.count()):
        assert external.nth(i).get_attribute("rel") == "noopener noreferrer"
        assert external.nth(i).get_attribute("href").startswith(("http://", "https://"))
    # an inline script injected into the page is blocked by the Content-Security-Policy
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.__xss = 8'; document.body.appendChild(s); }"
    )
    assert page.evaluate("() => window.__xss") is None
    page.goto(f"{base}/admin")
    shot(page, "admin")
    assert dialogs == []


@pytest.mark.browser
@pytest.mark.slow
def test_a_stranger_in_chromium_sees_only_the_sign_in_page(review_server: Any, page: Any) -> None:
    base, _, ids = review_server
    for path in ("/", f"/candidates/{ids['Acme Logistics']}", "/audit", "/admin"):
        page.goto(f"{base}{path}")
        assert page.url == f"{base}/login"
    page.goto(f"{base}/api/queue")
    assert "sign in first" in page.content()
