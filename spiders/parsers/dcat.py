"""DCAT / DCAT-AP catalogues (Turtle, RDF/XML, JSON-LD) -> :class:`OpenDataRecord` (rdflib).

Pure functions: :func:`parse_catalog` turns one response body into a :class:`CatalogPage`
(graph, Hydra paging links, problems met); :func:`catalog_records` reads the datasets and their
publishers from it. Language-tagged literals are chosen by preference (the source's language,
the catalogue's, untagged, English); publishers may be blank nodes, ``foaf:Agent`` with
``foaf:name``/``skos:prefLabel`` or ``vcard:Organization``; themes that are EU data-theme URIs
get their labels, local SKOS concepts their ``skos:prefLabel``; EU language, country and
file-type URIs become codes; licence URIs SPDX-style names. A ``dcat:CatalogRecord``
(``foaf:primaryTopic``) supplies ``issued``/``modified`` a dataset lacks, and the catalogue's
``dct:language``/``dct:spatial`` are defaults for its datasets. What one page taught (catalogue
defaults, publisher names) is kept in a :class:`CatalogMemory` for the next pages. Remote
JSON-LD contexts are never fetched: they are replaced by the usual DCAT prefixes. Broken Turtle
and RDF/XML are salvaged block by block (or by lxml's recovering parser) and the datasets read
that way carry a warning.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS
from rdflib.term import Node

from crawler.items import OpenDataRecord
from crawler.text import detect_language
from crawler.urls import readable_url
from spiders.parsers.opendata_fields import (
    country_of,
    dedupe,
    http_url,
    iso_datetime,
    iso_day,
    language_code,
    license_label,
    normalise_formats,
    plain_text,
    short_text,
    slug,
    theme_label,
)

logger = logging.getLogger(__name__)

DCAT = Namespace("http://www.w3.org/ns/dcat#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
LOCN = Namespace("http://www.w3.org/ns/locn#")

#: What a remote ``@context`` is replaced with (prefixes only: nothing is fetched).
_LOCAL_CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "dcterms": str(DCTERMS),
    "foaf": str(FOAF),
    "hydra": str(HYDRA),
    "vcard": str(VCARD),
    "skos": str(SKOS),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "locn": str(LOCN),
    "adms": "http://www.w3.org/ns/adms#",
    "schema": "http://schema.org/",
}
_FORMATS_BY_TYPE = (
    ("turtle", "turtle"),
    ("n3", "n3"),
    ("n-triples", "nt"),
    ("ld+json", "json-ld"),
    ("rdf+xml", "xml"),
    ("/xml", "xml"),
    ("trig", "trig"),
)
_FORMATS_BY_SUFFIX = (
    (".ttl", "turtle"),
    (".n3", "n3"),
    (".nt", "nt"),
    (".jsonld", "json-ld"),
    (".json", "json-ld"),
    (".rdf", "xml"),
    (".xml", "xml"),
    (".owl", "xml"),
)
_RDF_LINK_RE = re.compile(
    r"<link\b[^>]*\btype=[\"'](?:text/turtle|application/rdf\+xml|application/ld\+json)[\"']"
    r"[^>]*>",
    re.I,
)
_ANCHOR_RE = re.compile(r"<a\b[^>]*>", re.I)
_HREF_RE = re.compile(r"\bhref=[\"']([^\"']+)[\"']", re.I)
_RDF_HREF_RE = re.compile(
    r"(?:\.(?:ttl|rdf|jsonld|n3|nt)(?:\?[^#]*)?|[?&]format=(?:ttl|turtle|rdf|jsonld|json-ld))$",
    re.I,
)
_DIRECTIVE_RE = re.compile(r"^\s*(@prefix|@base|PREFIX|BASE)\b", re.I)
_BLOCK_SPLIT_RE = re.compile(r"\n[ \t]*\n")


class DcatError(ValueError):
    """A catalogue page that could not be read at all; ``problem`` is the stats key suffix."""

    def __init__(self, problem: str, message: str) -> None:
        super().__init__(message)
        self.problem = problem


@dataclass(slots=True)
class CatalogPage:
    """One parsed catalogue document."""

    url: str
    graph: Graph
    format: str
    #: Problems met while parsing (salvaged blocks, ignored remote contexts).
    warnings: list[str] = field(default_factory=list)
    #: True when the document was invalid and only parts of it could be read.
    salvaged: bool = False
    next_url: str | None = None
    #: A next-page link that is not a readable URL (paging cannot go on from here).
    bad_next_url: str | None = None
    total_items: int | None = None


# --- parsing --------------------------------------------------------------------------------
def guess_format(body: bytes, *, url: str = "", content_type: str = "") -> str | None:
    """rdflib's format name from the content type, the URL suffix or the body."""
    ctype = content_type.lower().split(";", 1)[0]
    for marker, fmt in _FORMATS_BY_TYPE:
        if marker in ctype:
            return fmt
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    for suffix, fmt in _FORMATS_BY_SUFFIX:
        if path.endswith(suffix):
            return fmt
    head = body.lstrip()[:2000]
    if head.startswith((b"{", b"[")):
        return "json-ld"
    if head.startswith(b"<?xml") or b"<rdf:RDF" in head:
        return "xml"
    if head[:1] == b"<" and b"<html" in head.lower():
        return None
    if re.search(rb"@prefix|PREFIX\s|^\s*<[^>]+>\s*<", head, re.I):
        return "turtle"
    return None


def looks_like_rdf(body: bytes, *, url: str = "", content_type: str = "") -> bool:
    """True for RDF content types and bodies (used by API detection): the content decides,
    whatever the URL's extension or a generic content type (``application/json``,
    ``text/plain``, ``application/octet-stream``) say."""
    ctype = content_type.lower()
    if any(marker in ctype for marker in ("turtle", "rdf+xml", "ld+json", "n-triples", "n3")):
        return True
    head = body.lstrip()[:3000]
    if head.startswith(b"<!") or b"<html" in head.lower():
        return False
    if head.startswith((b"{", b"[")):  # JSON-LD: a context or graph and DCAT terms
        return (b'"@context"' in head or b'"@graph"' in head) and (
            b"dcat" in head.lower() or b'"Dataset"' in head
        )
    return (
        b"<rdf:RDF" in head
        or b"@prefix" in head
        or re.search(rb"^\s*PREFIX\s+\w*:", head, re.M) is not None
        or b"http://www.w3.org/ns/dcat" in head
    )


def catalogue_links(html: str, base_url: str) -> list[str]:
    """Catalogue URLs an HTML page points to: ``<link rel="alternate">`` with an RDF type
    first, then links to files with an RDF extension (``catalog.ttl``, ``?format=rdf``)."""
    found: list[str] = []
    for pattern, strict in ((_RDF_LINK_RE, False), (_ANCHOR_RE, True)):
        for tag in pattern.findall(html):
            href = _HREF_RE.search(tag)
            if not href:
                continue
            try:
                url = urljoin(base_url, href.group(1).replace("&amp;", "&").strip())
            except ValueError:  # not a readable URL (``http://[::1``)
                continue
            if (
                url.startswith(("http://", "https://"))
                and readable_url(url)
                and (not strict or _RDF_HREF_RE.search(url.split("#", 1)[0]))
            ):
                found.append(url)
    return dedupe(found)


def _without_remote_contexts(value: Any, warnings: list[str]) -> Any:
    """A JSON-LD document whose remote ``@context`` references are replaced by prefixes."""
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key == "@context":
                out[key] = _local_context(item, warnings)
            else:
                out[key] = _without_remote_contexts(item, warnings)
        return out
    if isinstance(value, list):
        return [_without_remote_contexts(item, warnings) for item in value]
    return value


def _local_context(context: Any, warnings: list[str]) -> Any:
    if isinstance(context, str):
        warnings.append(f"remote JSON-LD context not fetched: {context[:100]}")
        return dict(_LOCAL_CONTEXT)
    if isinstance(context, list):
        parts = [_local_context(c, warnings) for c in context]
        return [p for p in parts if p is not None]
    if isinstance(context, dict):
        if "@import" in context:
            warnings.append(f"remote JSON-LD context not fetched: {str(context['@import'])[:100]}")
        # term definitions may carry their own (scoped) contexts: clean those too
        return {key: _scoped(value, warnings) for key, value in context.items() if key != "@import"}
    return context


def _scoped(definition: Any, warnings: list[str]) -> Any:
    """A term definition with its scoped ``@context`` (if any) made local."""
    if isinstance(definition, dict) and "@context" in definition:
        return {**definition, "@context": _local_context(definition["@context"], warnings)}
    return definition


class _OfflineContexts:
    """rdflib's JSON-LD context loader, closed: any context URL (``http``, ``file``...) that
    reaches it, should the clean-up above miss one, reads as an empty context. Nothing is
    fetched by the parsers (the crawler fetches through Scrapy and its network policy only)."""

    installed = False

    @classmethod
    def install(cls) -> None:
        if cls.installed:
            return
        from rdflib.plugins.shared.jsonld import context as jsonld_context

        def refuse(
            self: jsonld_context.Context,
            source: str,
            base: str | None,
            referenced_contexts: set[str],
        ) -> Any:
            logger.warning("JSON-LD context %s not fetched", str(source)[:100])
            return {"@context": {}}

        jsonld_context.Context._fetch_context = refuse  # type: ignore[method-assign]
        cls.installed = True


_OfflineContexts.install()


def _parse_into(graph: Graph, data: bytes | str, fmt: str, url: str, warnings: list[str]) -> None:
    if fmt == "json-ld":
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        doc = _without_remote_contexts(json.loads(text), warnings)
        graph.parse(data=json.dumps(doc), format="json-ld", publicID=url)
    else:
        graph.parse(data=data, format=fmt, publicID=url)


def _salvage_turtle(text: str, url: str, fmt: str) -> tuple[Graph, int, int]:
    """Parse a Turtle document block by block (blank-line separated, prefixes repeated)."""
    header = "\n".join(line for line in text.splitlines() if _DIRECTIVE_RE.match(line))
    graph = Graph()
    good = bad = 0
    for block in _BLOCK_SPLIT_RE.split(text):
        body = "\n".join(line for line in block.splitlines() if not _DIRECTIVE_RE.match(line))
        if not body.strip() or (body.lstrip().startswith("#") and "\n" not in body.strip()):
            continue
        block_graph = Graph()
        try:
            block_graph.parse(data=f"{header}\n{body}\n", format=fmt, publicID=url)
        except Exception:  # rdflib raises many exception types for bad input
            bad += 1
            continue
        good += 1
        for triple in block_graph:
            graph.add(triple)
    return graph, good, bad


def _salvage_xml(body: bytes, url: str) -> Graph:
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(body, parser=parser)
    if root is None:
        raise ValueError("nothing recoverable")
    graph = Graph()
    graph.parse(data=etree.tostring(root), format="xml", publicID=url)
    return graph


def _short_error(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    reason = re.search(r"\(([^()]{3,80})\)", text)  # rdflib's BadSyntax: "(newline found ...)"
    line = re.search(r"\bline (\d+)", text)
    if reason and line:
        return f"line {line.group(1)}: {reason.group(1)}"
    return f"{type(exc).__name__}: {text[:160]}"


def parse_catalog(body: bytes, *, url: str, content_type: str = "") -> CatalogPage:
    """Parse one catalogue document; raises :class:`DcatError` when nothing can be read."""
    if not body.strip():
        raise DcatError("empty", "empty catalogue document")
    fmt = guess_format(body, url=url, content_type=content_type)
    if fmt is None:
        raise DcatError("not_rdf", f"not an RDF document ({content_type or 'no content type'})")
    warnings: list[str] = []
    graph = Graph()
    try:
        _parse_into(graph, body, fmt, url, warnings)
    except Exception as exc:  # rdflib: SyntaxError, BadSyntax, SAXParseException, ValueError...
        message = f"invalid {fmt}: {_short_error(exc)}"
        salvaged: Graph | None = None
        if fmt in ("turtle", "n3", "nt"):
            salvaged, good, bad = _salvage_turtle(body.decode("utf-8", "replace"), url, fmt)
            if good and len(salvaged):
                warnings.append(f"{message}; {good} blocks read, {bad} skipped")
            else:
                salvaged = None
        elif fmt == "xml":
            try:
                salvaged = _salvage_xml(body, url)
                warnings.append(f"{message}; read with a recovering XML parser")
            except Exception:  # nothing left to read
                salvaged = None
        if salvaged is None or not len(salvaged):
            raise DcatError("invalid_rdf", message) from exc
        page = CatalogPage(url=url, graph=salvaged, format=fmt, warnings=warnings, salvaged=True)
        _read_paging(page)
        return page
    page = CatalogPage(url=url, graph=graph, format=fmt, warnings=warnings)
    _read_paging(page)
    return page


def _read_paging(page: CatalogPage) -> None:
    """Hydra paging: ``hydra:next`` (PartialCollectionView) or ``hydra:nextPage`` (the older
    PagedCollection that ckanext-dcat writes, often with literal URLs)."""
    graph = page.graph
    for predicate in (HYDRA.next, HYDRA.nextPage, DCAT.next):
        for value in sorted(graph.objects(None, predicate), key=str):
            if isinstance(value, URIRef | Literal) and str(value).strip():
                try:
                    nxt = urljoin(page.url, str(value).strip())
                except ValueError:
                    nxt = ""
                if not nxt or not readable_url(nxt):
                    page.bad_next_url = str(value)[:200]
                    continue
                if nxt != page.url:
                    page.next_url = nxt
                    break
        if page.next_url:
            break
    for value in graph.objects(None, HYDRA.totalItems):
        try:
            page.total_items = int(str(value))
        except ValueError:
            page.warnings.append(f"hydra:totalItems is not a number: {str(value)[:40]}")
        break


# --- reading ----------------------------------------------------------------------------------
def _rank(literal: Literal, prefer: list[str]) -> tuple[int, str, str]:
    lang = (literal.language or "").lower().split("-", 1)[0]
    if lang and lang in prefer:
        return (prefer.index(lang), lang, str(literal))
    if not lang:
        return (len(prefer), "", str(literal))
    return (len(prefer) + 1, lang, str(literal))


def _best_literal(
    graph: Graph, subject: Node, predicates: Iterable[URIRef], prefer: list[str]
) -> Literal | None:
    for predicate in predicates:
        literals = [
            o
            for o in graph.objects(subject, predicate)
            if isinstance(o, Literal) and str(o).strip()
        ]
        if literals:
            return min(literals, key=lambda lit: _rank(lit, prefer))
    return None


def _text(graph: Graph, subject: Node, predicates: Iterable[URIRef], prefer: list[str]) -> str:
    found = _best_literal(graph, subject, predicates, prefer)
    return str(found) if found is not None else ""


def _prefer(*languages: str | None) -> list[str]:
    return dedupe([lang for lang in (*languages, "en") if lang])


_NAME_PREDICATES = (
    FOAF.name,
    VCARD.fn,
    VCARD["organization-name"],
    SKOS.prefLabel,
    RDFS.label,
    DCTERMS.title,
)


def _label(graph: Graph, node: Node, prefer: list[str]) -> str:
    """A readable label of a node: the literal itself, or its name/prefLabel/label."""
    if isinstance(node, Literal):
        return short_text(str(node))
    return short_text(_text(graph, node, _NAME_PREDICATES, prefer))


def _keywords(graph: Graph, subject: Node, prefer: list[str]) -> list[str]:
    literals = [o for o in graph.objects(subject, DCAT.keyword) if isinstance(o, Literal)]
    best = prefer[0] if prefer else None
    tagged = {(lit.language or "").split("-", 1)[0].lower() for lit in literals}
    chosen = next((lang for lang in prefer if lang in tagged), None)
    if chosen is None and "" not in tagged and tagged:
        chosen = sorted(tagged)[0]
    kept = [
        lit
        for lit in literals
        if (lit.language or "").split("-", 1)[0].lower() in ("", chosen or best or "")
    ]
    return dedupe(short_text(str(lit)) for lit in sorted(kept, key=str))


def _value_strings(graph: Graph, node: Node) -> list[str]:
    """A format/language/spatial value: the literal, the URI, or a blank node's rdf:value or
    label (``dct:MediaTypeOrExtent`` and the like)."""
    if isinstance(node, Literal | URIRef):
        return [str(node)]
    out = [
        str(v)
        for p in (RDF.value, RDFS.label, SKOS.prefLabel, LOCN.geographicName, DCTERMS.identifier)
        for v in graph.objects(node, p)
    ]
    return out


def _stable_key(graph: Graph, node: Node) -> tuple[int, str]:
    """A sort key that does not depend on blank-node labels (they change on every parse)."""
    if isinstance(node, URIRef | Literal):
        return (0, str(node))
    facts = sorted(f"{p} {o}" for p, o in graph.predicate_objects(node) if not isinstance(o, BNode))
    return (1, "|".join(facts))


def _raw_subject(node: Node) -> str | None:
    return str(node) if isinstance(node, URIRef) else None


def _node_key(node: Node) -> str:
    return str(node) if isinstance(node, URIRef) else f"_:{node}"


@dataclass(slots=True)
class CatalogMemory:
    """What earlier pages of a paged catalogue said that later pages may leave out."""

    language: str | None = None
    country: str | None = None
    #: publisher URI -> name (a later page may only reference an agent described before)
    publisher_names: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class _Publisher:
    key: str
    name: str
    url: str
    node: Node


def _datasets(graph: Graph) -> list[Node]:
    nodes: set[Node] = set(graph.subjects(RDF.type, DCAT.Dataset))
    nodes.update(o for o in graph.objects(None, DCAT.dataset) if not isinstance(o, Literal))
    catalogs = set(graph.subjects(RDF.type, DCAT.Catalog))
    return sorted((n for n in nodes if n not in catalogs), key=lambda n: _stable_key(graph, n))


def _catalog_value(graph: Graph, predicate: URIRef, convert: Any) -> str | None:
    """The first convertible value of ``predicate`` on the catalogue(s) of the page."""
    for catalog in sorted(graph.subjects(RDF.type, DCAT.Catalog), key=_node_key):
        for value in sorted(graph.objects(catalog, predicate), key=_node_key):
            for text in _value_strings(graph, value):
                code = convert(text)
                if code:
                    return str(code)
    return None


def _catalog_language(graph: Graph) -> str | None:
    return _catalog_value(graph, DCTERMS.language, language_code)


def _catalog_records(graph: Graph) -> dict[Node, Node]:
    """dataset -> its ``dcat:CatalogRecord`` (``foaf:primaryTopic``)."""
    records = set(graph.subjects(RDF.type, DCAT.CatalogRecord))
    records.update(o for o in graph.objects(None, DCAT.record) if not isinstance(o, Literal))
    out: dict[Node, Node] = {}
    for record in sorted(records, key=_node_key):
        for topic in graph.objects(record, FOAF.primaryTopic):
            out.setdefault(topic, record)
    return out


def _publisher_of(
    graph: Graph,
    node: Node,
    prefer: list[str],
    page_url: str,
    portal_url: str,
    names: dict[str, str] | None = None,
) -> _Publisher | None:
    for value in sorted(
        graph.objects(node, DCTERMS.publisher), key=lambda n: _stable_key(graph, n)
    ):
        name = _label(graph, value, prefer)
        if names is not None and isinstance(value, URIRef):
            if name:
                names[str(value)] = name
            else:  # described on an earlier page only
                name = names.get(str(value), "")
        if not name:
            continue
        uri = http_url(str(value)) if isinstance(value, URIRef) else None
        key = uri or f"publisher:{slug(name)}"
        url = uri or f"{portal_url}#publisher-{slug(name)}"
        return _Publisher(key=key, name=name, url=url, node=value)
    return None


def _dataset_record(
    graph: Graph,
    node: Node,
    *,
    page: CatalogPage,
    source: str,
    portal_url: str,
    country: str | None,
    language: str | None,
    catalog_language: str | None,
    catalog_country: str | None = None,
    record: Node | None = None,
    publisher_names: dict[str, str] | None = None,
) -> tuple[OpenDataRecord, _Publisher | None]:
    warnings = list(page.warnings) if page.salvaged else []
    prefer = _prefer(language, catalog_language)
    title_literal = _best_literal(graph, node, (DCTERMS.title, RDFS.label, SKOS.prefLabel), prefer)
    description_literal = _best_literal(graph, node, (DCTERMS.description,), prefer)
    title = short_text(str(title_literal)) if title_literal is not None else ""
    description = plain_text(str(description_literal)) if description_literal is not None else ""
    tagged_language = next(
        (
            language_code(lit.language)
            for lit in (description_literal, title_literal)
            if lit is not None and lit.language
        ),
        None,
    )
    identifier = short_text(_text(graph, node, (DCTERMS.identifier, DCAT.identifier), prefer))
    landing = next(
        (http_url(str(o)) for o in graph.objects(node, DCAT.landingPage) if http_url(str(o))), None
    )
    uri = http_url(str(node)) if isinstance(node, URIRef) else None
    if uri:
        url = uri
    elif landing:
        url = landing
    else:
        key = identifier or title or str(node)
        url = f"{page.url.split('#', 1)[0]}#dataset-{slug(key)}"
        warnings.append(
            "dataset is a blank node without a landing page: URL made up from the catalogue page"
        )
    dataset_id = identifier or uri or url
    if not title:
        warnings.append("no dct:title")

    themes: list[str] = []
    for value in sorted(graph.objects(node, DCAT.theme), key=lambda n: _stable_key(graph, n)):
        label = _label(graph, value, prefer) if not isinstance(value, Literal) else ""
        themes.append(label or theme_label(str(value)) or "")

    distributions = sorted(
        graph.objects(node, DCAT.distribution), key=lambda n: _stable_key(graph, n)
    )
    formats: list[str] = []
    licenses: list[str] = []
    for dist in distributions:
        for predicate in (DCTERMS.format, DCAT.mediaType):
            for value in sorted(graph.objects(dist, predicate), key=_node_key):
                formats.extend(_value_strings(graph, value))
        licenses.extend(
            _license(graph, v, prefer)
            for v in sorted(graph.objects(dist, DCTERMS.license), key=_node_key)
        )
    own_license = [_license(graph, v, prefer) for v in graph.objects(node, DCTERMS.license)]
    license_value = next((lic for lic in (*sorted(own_license), *licenses) if lic), None)

    declared_language = None
    for value in sorted(graph.objects(node, DCTERMS.language), key=_node_key):
        for text in _value_strings(graph, value):
            declared_language = declared_language or language_code(text)
    text_language = (
        declared_language
        or catalog_language
        or tagged_language
        or detect_language(f"{title}\n{description}", hint=language)
    )

    item_country = country_of(country) if country else None
    if not item_country:
        for value in sorted(
            graph.objects(node, DCTERMS.spatial), key=lambda n: _stable_key(graph, n)
        ):
            for text in _value_strings(graph, value):
                item_country = item_country or country_of(text)
    item_country = item_country or catalog_country

    issued_literal = _best_literal(graph, node, (DCTERMS.issued,), prefer)
    modified_literal = _best_literal(graph, node, (DCTERMS.modified,), prefer)
    if record is not None:  # the catalogue record's dates stand in for missing ones
        if issued_literal is None:
            issued_literal = _best_literal(graph, record, (DCTERMS.issued,), prefer)
        if modified_literal is None:
            modified_literal = _best_literal(graph, record, (DCTERMS.modified,), prefer)
    modified = iso_datetime(str(modified_literal)) if modified_literal is not None else None
    if modified_literal is not None and not modified:
        warnings.append(f"unreadable dct:modified {str(modified_literal)[:40]!r}")

    publisher = _publisher_of(graph, node, prefer, page.url, portal_url, publisher_names)
    if publisher is None and any(True for _ in graph.objects(node, DCTERMS.publisher)):
        warnings.append("dct:publisher without a name")
    item = OpenDataRecord(
        source=source,
        url=url,
        portal_url=portal_url,
        kind="dataset",
        dataset_id=dataset_id,
        title=title,
        description=description,
        publisher=publisher.name if publisher else None,
        tags=_keywords(graph, node, prefer),
        themes=dedupe(t for t in themes if t),
        license=license_value,
        issued=iso_day(str(issued_literal)) if issued_literal is not None else None,
        modified=modified,
        resources_count=len(distributions),
        formats=normalise_formats(formats),
        country=item_country,
        language=text_language,
        warnings=warnings,
        raw={
            "subject": _raw_subject(node),
            "page": page.url,
            "format": page.format,
            "landing_page": landing,
        },
    )
    return item, publisher


def _license(graph: Graph, node: Node, prefer: list[str]) -> str:
    """A readable licence: the licence document's title or label, else its URI's name."""
    label = ""
    if not isinstance(node, Literal):
        label = short_text(_text(graph, node, (DCTERMS.title, RDFS.label, SKOS.prefLabel), prefer))
    if not label and not isinstance(node, URIRef | Literal):
        label = short_text(_text(graph, node, (DCTERMS.identifier,), prefer))
    if label:
        return license_label(label) or label
    if isinstance(node, URIRef | Literal):
        return license_label(str(node)) or ""
    return ""


def catalog_records(
    page: CatalogPage,
    *,
    source: str,
    portal_url: str,
    country: str | None = None,
    language: str | None = None,
    seen_publishers: set[str] | None = None,
    memory: CatalogMemory | None = None,
) -> list[OpenDataRecord]:
    """The datasets of one catalogue page, then each publisher not in ``seen_publishers``
    (updated in place, so publishers repeated on later pages are emitted once). ``memory``
    carries catalogue defaults and publisher names from page to page (updated in place)."""
    graph = page.graph
    memory = memory if memory is not None else CatalogMemory()
    memory.language = _catalog_language(graph) or memory.language
    memory.country = _catalog_value(graph, DCTERMS.spatial, country_of) or memory.country
    catalog_language = memory.language
    catalog_country = memory.country
    records = _catalog_records(graph)
    seen = seen_publishers if seen_publishers is not None else set()
    datasets: list[OpenDataRecord] = []
    publishers: list[OpenDataRecord] = []
    for node in _datasets(graph):
        item, publisher = _dataset_record(
            graph,
            node,
            page=page,
            source=source,
            portal_url=portal_url,
            country=country,
            language=language,
            catalog_language=catalog_language,
            catalog_country=catalog_country,
            record=records.get(node),
            publisher_names=memory.publisher_names,
        )
        datasets.append(item)
        if publisher is not None and publisher.key not in seen:
            seen.add(publisher.key)
            prefer = _prefer(language, catalog_language)
            homepage = next((str(o) for o in graph.objects(publisher.node, FOAF.homepage)), None)
            publishers.append(
                OpenDataRecord(
                    source=source,
                    url=publisher.url,
                    portal_url=portal_url,
                    kind="publisher",
                    dataset_id=publisher.key,
                    title=publisher.name,
                    description=plain_text(
                        _text(graph, publisher.node, (DCTERMS.description, SKOS.definition), prefer)
                    ),
                    publisher=publisher.name,
                    country=country_of(country) if country else catalog_country,
                    language=catalog_language,
                    warnings=[]
                    if isinstance(publisher.node, URIRef)
                    else ["publisher is a blank node: URL made up from the portal and its name"],
                    raw={
                        "subject": _raw_subject(publisher.node),
                        "homepage": homepage,
                        "page": page.url,
                    },
                )
            )
    return datasets + publishers
