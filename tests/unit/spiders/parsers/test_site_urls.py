"""Site keys and spider-trap URLs."""

from __future__ import annotations

from spiders.parsers.site_urls import site_key, trap_reason


def test_site_key_and_trap_reason() -> None:
    assert site_key("http://www.Example.org:80/x") == "example.org"
    assert site_key("https://127.0.0.1:8443/") == "127.0.0.1:8443"
    assert site_key("mailto:x@y.z") is None
    assert trap_reason("http://e.org/events/calendar/?month=2025-06") == "calendar"
    assert trap_reason("http://e.org/agenda/2025-07/") == "calendar"
    assert trap_reason("http://e.org/report.pdf") == "file"
    assert trap_reason("http://e.org/a/b/a/b/a/b/") == "repeating_path"
    assert trap_reason("http://e.org/" + "x" * 400) == "too_long"
    assert trap_reason("http://e.org/about?print=1") == "query"
    assert trap_reason("http://e.org/2024/03/05/") is None
    assert trap_reason("http://e.org/ueber-uns/") is None
