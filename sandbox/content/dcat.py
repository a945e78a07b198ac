"""A DCAT-AP catalogue in Turtle, RDF/XML and JSON-LD, paged with Hydra.

``B`` = the portal's base URL::

    B/dcat/catalog.ttl[?page=N]     text/turtle
    B/dcat/catalog.rdf[?page=N]     application/rdf+xml
    B/dcat/catalog.jsonld[?page=N]  application/ld+json
    B/dcat/broken.ttl               invalid Turtle (for parser-error tests)

Every format is paged the same way (:data:`PAGE_SIZE` datasets a page, :data:`DCAT_COUNT` in
all): page 1 is the URL without ``?page``; the page resource is a
``hydra:PartialCollectionView`` (and the older ``hydra:PagedCollection``) with ``hydra:next``
/ ``hydra:nextPage``, ``first``, ``last`` and ``hydra:totalItems``. Serialisations are built
with rdflib on first request and cached.
"""

from __future__ import annotations

import threading
from typing import Any

from sandbox.content.common import Context
from sandbox.content.datasets import LICENSES, Dataset, make_dataset
from sandbox.http import Request, Response, not_found

DCAT_COUNT = 70
PAGE_SIZE = 40
EU = "http://publications.europa.eu/resource/authority/"
ISO3 = {"DE": "DEU", "NL": "NLD", "FR": "FRA", "ES": "ESP", "IT": "ITA"}
LANG3 = {"de": "DEU", "nl": "NLD", "fr": "FRA", "es": "SPA", "it": "ITA", "en": "ENG"}
FORMATS = {
    ".ttl": ("turtle", "text/turtle; charset=utf-8"),
    ".rdf": ("xml", "application/rdf+xml; charset=utf-8"),
    ".jsonld": ("json-ld", "application/ld+json; charset=utf-8"),
}

BROKEN_TTL = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .

<{base}/dcat/catalog> a dcat:Catalog ;
    dct:title "Kaputter Katalog"@de ;
    dcat:dataset <{base}/dcat/dataset/a1>, <{base}/dcat/dataset/a2> .

<{base}/dcat/dataset/a1> a dcat:Dataset ;
    dct:title "Luftqualität 2024"@de
    dct:description "Semikolon fehlt in der Zeile davor" .

<{base}/dcat/dataset/a2> a dcat:Dataset ;
    dct:title "Unclosed string ;
    dcat:keyword "air" .
"""


class DcatApp:
    """Routes of ``/dcat/``."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.datasets = [make_dataset(ctx.seed, i, family="dcat") for i in range(DCAT_COUNT)]
        self._cache: dict[tuple[str, int], bytes] = {}
        self._lock = threading.Lock()

    @property
    def page_count(self) -> int:
        return -(-len(self.datasets) // PAGE_SIZE)

    def handle(self, request: Request) -> Response | None:
        path = request.path
        if not path.startswith("/dcat/"):
            return None
        if path == "/dcat/broken.ttl":
            return Response(
                body=BROKEN_TTL.format(base=self.ctx.base_url).encode(),
                content_type="text/turtle; charset=utf-8",
            )
        for suffix, (fmt, ctype) in FORMATS.items():
            if path == f"/dcat/catalog{suffix}":
                page = request.int_arg("page", 1)
                if page < 1 or page > self.page_count:
                    return not_found(f"No page {page}")
                return Response(body=self.serialise(suffix, fmt, page), content_type=ctype)
        if path.startswith("/dcat/dataset/"):
            return Response(
                status=303, headers={"Location": self.ctx.base_url + "/dcat/catalog.ttl"}
            )
        return not_found()

    def serialise(self, suffix: str, fmt: str, page: int) -> bytes:
        key = (suffix, page)
        with self._lock:
            if key not in self._cache:
                graph = self.graph(suffix, page)
                data = graph.serialize(format=fmt, encoding="utf-8")
                self._cache[key] = data if isinstance(data, bytes) else data.encode()
            return self._cache[key]

    def page_url(self, suffix: str, page: int) -> str:
        base = f"{self.ctx.base_url}/dcat/catalog{suffix}"
        return base if page == 1 else f"{base}?page={page}"

    def graph(self, suffix: str, page: int) -> Any:
        from rdflib import BNode, Graph, Literal, Namespace, URIRef
        from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

        hydra = Namespace("http://www.w3.org/ns/hydra/core#")
        vcard = Namespace("http://www.w3.org/2006/vcard/ns#")
        g = Graph()
        for prefix, ns in (
            ("dcat", DCAT),
            ("dct", DCTERMS),
            ("foaf", FOAF),
            ("hydra", hydra),
            ("vcard", vcard),
            ("skos", SKOS),
        ):
            g.bind(prefix, ns)
        base = self.ctx.base_url
        catalog = URIRef(f"{base}/dcat/catalog")
        g.add((catalog, RDF.type, DCAT.Catalog))
        g.add((catalog, DCTERMS.title, Literal("Sandbox-Datenkatalog", lang="de")))
        g.add((catalog, DCTERMS.title, Literal("Sandbox data catalogue", lang="en")))
        g.add(
            (
                catalog,
                DCTERMS.description,
                Literal(
                    "Ein DCAT-AP-Katalog mit Daten von Kommunen, Behörden und Vereinen.", lang="de"
                ),
            )
        )
        g.add((catalog, DCTERMS.publisher, URIRef(f"{base}/dcat/publisher/sandbox")))
        g.add((URIRef(f"{base}/dcat/publisher/sandbox"), RDF.type, FOAF.Agent))
        g.add(
            (URIRef(f"{base}/dcat/publisher/sandbox"), FOAF.name, Literal("Sandbox Open Data Team"))
        )
        g.add((catalog, FOAF.homepage, URIRef(f"{base}/ckan/")))
        g.add((catalog, DCTERMS.modified, Literal("2026-03-01T18:00:00", datatype=XSD.dateTime)))

        view = URIRef(self.page_url(suffix, page))
        g.add((view, RDF.type, hydra.PartialCollectionView))
        g.add((view, RDF.type, hydra.PagedCollection))
        g.add((view, hydra.totalItems, Literal(len(self.datasets), datatype=XSD.integer)))
        g.add((view, hydra.itemsPerPage, Literal(PAGE_SIZE, datatype=XSD.integer)))
        g.add((view, hydra.first, URIRef(self.page_url(suffix, 1))))
        g.add((view, hydra.firstPage, URIRef(self.page_url(suffix, 1))))
        g.add((view, hydra.last, URIRef(self.page_url(suffix, self.page_count))))
        g.add((view, hydra.lastPage, URIRef(self.page_url(suffix, self.page_count))))
        if page < self.page_count:
            g.add((view, hydra.next, URIRef(self.page_url(suffix, page + 1))))
            g.add((view, hydra.nextPage, URIRef(self.page_url(suffix, page + 1))))
        if page > 1:
            g.add((view, hydra.previous, URIRef(self.page_url(suffix, page - 1))))
            g.add((view, hydra.previousPage, URIRef(self.page_url(suffix, page - 1))))

        chunk = self.datasets[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        for ds in chunk:
            self._add_dataset(g, catalog, ds, BNode=BNode, Literal=Literal, URIRef=URIRef)
        return g

    def _add_dataset(self, g: Any, catalog: Any, ds: Dataset, **rdf: Any) -> None:
        from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

        bnode, literal, uri = rdf["BNode"], rdf["Literal"], rdf["URIRef"]
        vcard = "http://www.w3.org/2006/vcard/ns#"
        base = self.ctx.base_url
        node = uri(f"{base}/dcat/dataset/{ds.id}")
        g.add((catalog, DCAT.dataset, node))
        g.add((node, RDF.type, DCAT.Dataset))
        g.add((node, DCTERMS.identifier, literal(ds.id)))
        others = [lang for lang in ("en", "de", "fr") if lang != ds.publisher.lang]
        langs = [ds.publisher.lang, *others[: 1 + (ds.index or 0) % 2]]
        for lang in langs:
            g.add((node, DCTERMS.title, literal(ds.titles[lang], lang=lang)))
        g.add((node, DCTERMS.description, literal(ds.notes, lang=ds.publisher.lang)))
        publisher = uri(f"{base}/dcat/publisher/{ds.publisher.key}")
        g.add((node, DCTERMS.publisher, publisher))
        g.add((publisher, RDF.type, FOAF.Agent))
        g.add((publisher, RDF.type, FOAF.Organization))
        g.add((publisher, FOAF.name, literal(ds.publisher.title)))
        if ds.publisher.site:
            g.add((publisher, FOAF.homepage, uri(self.ctx.site(ds.publisher.site))))
        for tag in ds.tags:
            g.add((node, DCAT.keyword, literal(tag)))
        for theme in ds.themes:
            g.add((node, DCAT.theme, uri(f"{EU}data-theme/{theme.eu_code}")))
        lic_url = LICENSES[ds.license_id][2]
        if lic_url:
            g.add((node, DCTERMS.license, uri(lic_url)))
        g.add((node, DCTERMS.issued, literal(ds.created.date().isoformat(), datatype=XSD.date)))
        g.add(
            (
                node,
                DCTERMS.modified,
                literal(ds.modified.strftime("%Y-%m-%dT%H:%M:%S"), datatype=XSD.dateTime),
            )
        )
        g.add((node, DCTERMS.language, uri(f"{EU}language/{LANG3[ds.publisher.lang]}")))
        g.add((node, DCTERMS.accrualPeriodicity, uri(f"{EU}frequency/{ds.frequency}")))
        g.add((node, DCAT.landingPage, uri(f"{base}/ckan/")))
        g.add((node, DCTERMS.spatial, uri(f"{EU}country/{ISO3[ds.publisher.country]}")))
        place = bnode()
        g.add((node, DCTERMS.spatial, place))
        g.add((place, RDF.type, DCTERMS.Location))
        g.add((place, SKOS.prefLabel, literal(ds.publisher.city)))
        contact = bnode()
        g.add((node, DCAT.contactPoint, contact))
        g.add((contact, RDF.type, uri(vcard + "Organization")))
        g.add((contact, uri(vcard + "fn"), literal(f"Open Data – {ds.publisher.title}")))
        g.add(
            (contact, uri(vcard + "hasEmail"), uri(f"mailto:opendata@{ds.publisher.key}.example"))
        )
        for res in ds.resources:
            dist = uri(f"{base}/dcat/dataset/{ds.id}/distribution/{res.id}")
            g.add((node, DCAT.distribution, dist))
            g.add((dist, RDF.type, DCAT.Distribution))
            g.add((dist, DCTERMS.title, literal(res.name, lang=ds.publisher.lang)))
            ext = res.format.upper() if res.format != "GeoJSON" else "GEOJSON"
            g.add((dist, DCTERMS.format, uri(f"{EU}file-type/{ext}")))
            g.add(
                (
                    dist,
                    DCAT.mediaType,
                    uri(f"https://www.iana.org/assignments/media-types/{res.mimetype}"),
                )
            )
            url = (
                f"{base}/ckan/dataset/{ds.id}/resource/{res.id}/download/data.{res.format.lower()}"
            )
            g.add((dist, DCAT.accessURL, uri(url)))
            g.add((dist, DCAT.downloadURL, uri(url)))
            g.add((dist, DCAT.byteSize, literal(res.size, datatype=XSD.nonNegativeInteger)))
            if lic_url:
                g.add((dist, DCTERMS.license, uri(lic_url)))
