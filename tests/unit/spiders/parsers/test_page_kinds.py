"""Kinds of links a website crawl follows first (about, imprint, contact...)."""

from __future__ import annotations

import pytest

from spiders.parsers.page_kinds import link_kind


@pytest.mark.parametrize(
    ("url", "anchor", "kind"),
    [
        ("http://e.org/ueber-uns/", "", "about"),
        ("http://e.org/qui-sommes-nous", "", "about"),
        ("http://e.org/chi-siamo.html", "", "about"),
        ("http://e.org/o-nas/", "", "about"),
        ("http://e.org/page-12", "Über uns", "about"),
        ("http://e.org/impressum", "", "imprint"),
        ("http://e.org/mentions-legales/", "", "imprint"),
        ("http://e.org/aviso-legal", "", "imprint"),
        ("http://e.org/colofon", "", "imprint"),
        ("http://e.org/kontakt", "", "contact"),
        ("http://e.org/projekte/", "", "projects"),
        ("http://e.org/de/", "", "lang"),
        ("http://e.org/shop", "Shop", None),
    ],
)
def test_link_kind(url: str, anchor: str, kind: str | None) -> None:
    assert link_kind(url, anchor) == kind
