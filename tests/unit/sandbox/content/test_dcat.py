"""The DCAT catalogue: three serialisations with Hydra paging, and a broken twin."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, RDF

from tests.unit.sandbox.conftest import BASE, call


@pytest.mark.parametrize(
    ("suffix", "fmt"), [("ttl", "turtle"), ("rdf", "xml"), ("jsonld", "json-ld")]
)
def test_dcat_parses_and_pages(portal, suffix, fmt):
    graph = Graph()
    graph.parse(data=call(portal, f"/dcat/catalog.{suffix}").body, format=fmt)
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(datasets) == 40
    hydra = "http://www.w3.org/ns/hydra/core#"
    nxt = graph.value(URIRef(f"{BASE}/dcat/catalog.{suffix}"), URIRef(hydra + "next"))
    assert str(nxt) == f"{BASE}/dcat/catalog.{suffix}?page=2"
    page2 = Graph()
    page2.parse(data=call(portal, f"/dcat/catalog.{suffix}?page=2").body, format=fmt)
    assert len(set(page2.subjects(RDF.type, DCAT.Dataset))) == 30
    text = call(portal, "/dcat/catalog.ttl").body.decode()
    assert "data-theme/" in text and "@de" in text and "foaf:name" in text


def test_dcat_broken_is_invalid(portal):
    with pytest.raises(Exception, match=r"(?i)bad syntax|expected"):
        Graph().parse(data=call(portal, "/dcat/broken.ttl").body, format="turtle")
