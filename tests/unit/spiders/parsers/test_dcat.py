"""JSON-LD catalogues never make rdflib fetch anything (#24 finding 3)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from rdflib.namespace import DCTERMS, RDF

from spiders.parsers.dcat import DCAT, parse_catalog


@pytest.fixture
def context_server() -> Iterator[tuple[str, list[str]]]:
    """A local server that would hand out a JSON-LD context, recording every request."""
    requests: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            body = json.dumps({"@context": {"title": "http://purl.org/dc/terms/title"}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()


def _catalog(context: dict) -> bytes:
    return json.dumps(
        {
            "@context": context,
            "@graph": [
                {
                    "@id": "https://data.example/ds/1",
                    "@type": "dcat:Dataset",
                    "dct:title": "Air quality",
                }
            ],
        }
    ).encode()


@pytest.mark.parametrize(
    "nested",
    [
        # a context inside a term definition (scoped context)
        lambda url: {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "dct:title": {"@id": "http://purl.org/dc/terms/title", "@context": f"{url}/term"},
        },
        # a type-scoped context
        lambda url: {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "dcat:Dataset": {
                "@id": "http://www.w3.org/ns/dcat#Dataset",
                "@context": [f"{url}/type", {"x": "http://x.example/"}],
            },
        },
        # an imported context
        lambda url: {
            "@import": f"{url}/import",
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
        },
        # a file URL that never ends
        lambda url: {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "dct:title": {"@id": "http://purl.org/dc/terms/title", "@context": "file:///dev/zero"},
        },
    ],
)
def test_nested_contexts_are_never_fetched(context_server, nested):
    url, requests = context_server
    page = parse_catalog(
        _catalog(nested(url)),
        url="http://127.0.0.1:1/catalog.jsonld",
        content_type="application/ld+json",
    )
    assert requests == []
    datasets = list(page.graph.subjects(RDF.type, DCAT.Dataset))
    assert [str(d) for d in datasets] == ["https://data.example/ds/1"]
    assert str(page.graph.value(datasets[0], DCTERMS.title)) == "Air quality"


def test_rdflib_itself_refuses_remote_contexts(context_server):
    """Even a context our clean-up missed is not fetched: rdflib's loader is closed."""
    from rdflib import Graph

    import spiders.parsers.dcat  # noqa: F401  (closes rdflib's context loader)

    url, requests = context_server
    doc = {"@context": f"{url}/ctx", "@id": "https://x.example/1", "title": "T"}
    Graph().parse(data=json.dumps(doc), format="json-ld")
    assert requests == []
