"""Which pages are handed to the RDFa and microdata readers (they are slow)."""

from __future__ import annotations

from spiders.parsers.structured import _has_rdfa, extract_structured

OG = (
    '<meta property="og:title" content="Developer"><meta property=og:type content=website>'
    "<meta property='twitter:card' content='summary'>"
)
JSONLD = '<script type="application/ld+json">{"@context":"https://schema.org"}</script>'


def test_opengraph_meta_tags_alone_are_not_rdfa() -> None:
    assert not _has_rdfa(f"<html><head>{OG}{JSONLD}</head><body></body></html>")


def test_real_rdfa_is_still_read() -> None:
    page = (
        f'<html><head>{OG}</head><body vocab="https://schema.org/">'
        '<div typeof="JobPosting"><h1 property="title">Civic tech developer</h1></div>'
        "</body></html>"
    )
    assert _has_rdfa(page)
    found = extract_structured(page, "https://example.org/jobs/1")
    assert any(syntax == "rdfa" for syntax, _ in found.nodes)
    plain_property = '<html><body vocab="http://schema.org/"><span property="name">X</span></body>'
    assert _has_rdfa(plain_property)
