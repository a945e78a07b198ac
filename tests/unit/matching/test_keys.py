"""Registrable domains from the bundled Public Suffix List; social handles."""

from __future__ import annotations

import pytest

from matching.keys import is_shared_host, own_domain, registrable_domain, social_key


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.barnardos.org.uk/about-us", "barnardos.org.uk"),
        ("http://shop.example.com.au", "example.com.au"),
        ("https://www.wien.gv.at/kultur", "wien.gv.at"),
        ("https://graz.gv.at", "graz.gv.at"),
        ("thethingsnetwork.org", "thethingsnetwork.org"),
        ("https://okfn.github.io/x", "okfn.github.io"),  # private suffix: one site per account
        ("http://www.sfs.tu-dortmund.de/cms/de/", "tu-dortmund.de"),
        ("http://127.0.0.1:8001/page", "127.0.0.1:8001"),
        ("http://localhost:8000", "localhost:8000"),
        ("", None),
        ("not a url", None),
        ("http://", None),
    ],
)
def test_registrable_domain(url: str, expected: str | None) -> None:
    assert registrable_domain(url) == expected


def test_two_councils_under_gv_at_are_two_domains() -> None:
    # "the last two labels" would make both "gv.at"
    assert registrable_domain("https://www.wien.gv.at") != registrable_domain("https://graz.gv.at")


def test_no_network_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("tldextract tried the network")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert registrable_domain("https://a.b.example.co.uk") == "example.co.uk"


def test_shared_platforms_are_nobodys_website() -> None:
    assert is_shared_host("https://www.linkedin.com/company/open-knowledge")
    assert own_domain("https://www.linkedin.com/company/open-knowledge") is None
    assert own_domain("https://okfn.org") == "okfn.org"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.linkedin.com/company/Open-Knowledge/", "linkedin:company/open-knowledge"),
        ("http://twitter.com/OKFN?lang=de", "x:okfn"),
        ("https://x.com/okfn", "x:okfn"),
        ("https://twitter.com/intent/tweet?text=hi", None),
        ("https://okfn.org", None),
    ],
)
def test_social_key(url: str, expected: str | None) -> None:
    assert social_key(url) == expected
