"""Structured data of a page as plain schema.org-like nodes: JSON-LD, microdata and RDFa.

Generic, shared by every spider::

    nodes = extract_nodes(html, url)              # [(syntax, node), ...]
    postings = find_typed(nodes, "JobPosting")    # [(syntax, node), ...]

A node is a dict in compact JSON-LD shape: ``{"@type": "JobPosting", "title": ..., ...}`` whatever
the syntax it came from (microdata and RDFa are converted), with ``@graph`` and top-level lists
flattened and ``{"@id": ...}`` references resolved to the node they point at.

Cost matters (see the performance notes in the README): JSON-LD is read with ``json.loads`` of
the ``<script type="application/ld+json">`` blocks, with a lenient repair for the broken JSON
real sites publish (trailing commas, comments, raw newlines in strings, HTML-escaped quotes,
several objects in one block, missing closing brackets). Microdata and RDFa go through extruct
only when the page carries their markers (``itemscope``/``itemtype``; ``typeof=``/``property=``
with ``vocab=``/``prefix=``/schema.org), since they cost tens of milliseconds per page.
"""

from __future__ import annotations

import html as html_lib
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spiders.parsers.limits import (
    MAX_JSONLD_DEPTH,
    MAX_JSONLD_NODES,
    MAX_JSONLD_STRING,
    MAX_REF_EXPANSION,
    capped,
)

logger = logging.getLogger(__name__)

__all__ = [
    "Extraction",
    "extract_jsonld",
    "extract_nodes",
    "extract_structured",
    "find_typed",
    "loads_lenient",
    "loads_lenient_ex",
    "node_types",
]

_JSONLD_RE = re.compile(
    r"<script\b(?P<attrs>[^>]*?)>(?P<body>.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)
_JSONLD_TYPE_RE = re.compile(r"""type\s*=\s*["']?\s*application/ld\+json""", re.IGNORECASE)
#: The markers below are searched in the lower-cased page, each at the start of a word
#: (:func:`_word_search`): a pattern that starts with a literal is found by a fast scan, where
#: ``\b...`` with ``re.IGNORECASE`` walks the whole page position by position.
_MICRODATA_RE = re.compile(r"item(?:scope|type)\b")
#: RDFa markers; ``property="og:…"`` (OpenGraph, Twitter, Facebook meta tags on nearly every page)
#: is not one, so pages with those alone are not handed to the (slow) RDFa reader.
_RDFA_TYPEOF_RE = re.compile(r"typeof\s*=")
_RDFA_PROPERTY_RE = re.compile(
    r"property\s*=\s*(?![\"']?\s*(?:og|fb|twitter|article|al|profile|book|music|video):)"
)
_RDFA_VOCAB_RE = re.compile(r"(?:vocab|prefix)\s*=")
_SCHEMA_PREFIX_RE = re.compile(r"^(?:https?://)?(?:www\.)?schema\.org/", re.IGNORECASE)
_TRAILING_COMMA_RE = re.compile(r",(\s*[}\]])")
_BLOCK_COMMENT_RE = re.compile(r"/\*.*?\*/", re.DOTALL)
_MAX_DEPTH = MAX_JSONLD_DEPTH


@dataclass(slots=True)
class Extraction:
    """What :func:`extract_structured` found, with the problems met on the way."""

    nodes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    #: Short problem codes (``jsonld_repaired``, ``jsonld_unreadable``, ``microdata_failed``...).
    problems: list[str] = field(default_factory=list)


# --- lenient JSON ---------------------------------------------------------------------------
def _strip_line_comments(text: str) -> str:
    """Remove ``// ...`` comments outside strings (URLs inside strings are kept)."""
    out: list[str] = []
    in_str = False
    escape = False
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if in_str:
            out.append(ch)
            if escape:
                escape = False
            elif ch == "\\":
                escape = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
            out.append(ch)
        elif ch == "/" and i + 1 < n and text[i + 1] == "/":
            while i < n and text[i] != "\n":
                i += 1
            continue
        else:
            out.append(ch)
        i += 1
    return "".join(out)


def _close_brackets(text: str) -> str:
    """Append the closing brackets a truncated document is missing."""
    stack: list[str] = []
    in_str = False
    escape = False
    for ch in text:
        if in_str:
            if escape:
                escape = False
            elif ch == "\\":
                escape = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "{[":
            stack.append("}" if ch == "{" else "]")
        elif ch in "}]" and stack:
            stack.pop()
    tail = '"' if in_str else ""
    return text.rstrip().rstrip(",") + tail + "".join(reversed(stack))


def _decode_all(text: str) -> list[Any]:
    """Every JSON value in ``text`` (several objects in one block are allowed)."""
    decoder = json.JSONDecoder(strict=False)
    values: list[Any] = []
    i = 0
    n = len(text)
    while i < n:
        while i < n and text[i] in " \t\r\n;,":
            i += 1
        if i >= n:
            break
        value, i = decoder.raw_decode(text, i)
        values.append(value)
    return values


def loads_lenient(text: str) -> tuple[list[Any], bool]:
    """Parse JSON as published on the web; returns (values, repaired).

    Raises ``ValueError`` when nothing can be read. :func:`loads_lenient_ex` also says
    whether the repair lost data (a prefix kept).
    """
    values, how = loads_lenient_ex(text)
    return values, how != "clean"


def loads_lenient_ex(text: str) -> tuple[list[Any], str]:
    """Like :func:`loads_lenient`; the second value is ``clean``, ``repaired`` (nothing lost)
    or ``partial`` (only a prefix of the document could be read). JSON nested too deep for the
    decoder is unreadable (``ValueError``), like any other malformed JSON."""
    try:
        return _loads_lenient(text)
    except RecursionError:
        raise ValueError("JSON nested too deep") from None


def _loads_lenient(text: str) -> tuple[list[Any], str]:
    text = text.strip().lstrip("\ufeff")
    if text.startswith("<!--"):
        text = text[4:]
    if text.endswith("-->"):
        text = text[:-3]
    text = text.strip()
    if text.startswith("<![CDATA["):
        text = text[9:]
    if text.endswith("]]>"):
        text = text[:-3]
    text = text.strip()
    if not text:
        raise ValueError("empty")
    try:
        return _decode_all(text), "clean"
    except ValueError:
        pass
    repaired = text
    if "&quot;" in repaired or "&#34;" in repaired:
        repaired = html_lib.unescape(repaired)
    repaired = _BLOCK_COMMENT_RE.sub("", repaired)
    repaired = _strip_line_comments(repaired)
    repaired = _TRAILING_COMMA_RE.sub(r"\1", repaired)
    for candidate in (repaired, _close_brackets(repaired)):
        try:
            return _decode_all(candidate), "repaired"
        except ValueError:
            continue
    # last resort: the longest prefix that parses once its brackets are closed
    decoder = json.JSONDecoder(strict=False)
    start = min((i for i in (repaired.find("{"), repaired.find("[")) if i >= 0), default=-1)
    if start >= 0:
        for end in range(len(repaired), start, -max(1, len(repaired) // 50)):
            try:
                value, _ = decoder.raw_decode(_close_brackets(repaired[start:end]))
            except ValueError:
                continue
            return [value], "partial"
    raise ValueError("unreadable JSON")


# --- JSON-LD ----------------------------------------------------------------------------------
def extract_jsonld(html: str) -> tuple[list[Any], list[str]]:
    """The parsed JSON-LD blocks of a page and problem codes."""
    values: list[Any] = []
    problems: list[str] = []
    if "ld+json" not in html and "LD+JSON" not in html.upper():
        return values, problems
    for match in _JSONLD_RE.finditer(html):
        if not _JSONLD_TYPE_RE.search(match.group("attrs")):
            continue
        body = match.group("body")
        if not body.strip():
            continue
        try:
            parsed, how = loads_lenient_ex(body)
        except ValueError:
            problems.append("jsonld_unreadable")
            continue
        if how != "clean":
            problems.append(f"jsonld_{how}")
        values.extend(parsed)
    return _bounded(values, problems), problems


def _bounded(values: list[Any], problems: list[str]) -> list[Any]:
    """The JSON-LD values cut to the page bounds (:mod:`spiders.parsers.limits`): objects and
    arrays, nesting and string length; each bound hit is one ``capped_jsonld_*`` problem."""
    budget = [MAX_JSONLD_NODES]
    hit: set[str] = set()

    def cut(value: Any, depth: int) -> Any:
        if isinstance(value, str):
            if len(value) > MAX_JSONLD_STRING:
                hit.add("jsonld_string")
                return value[:MAX_JSONLD_STRING]
            return value
        if not isinstance(value, dict | list):
            return value
        if depth > MAX_JSONLD_DEPTH:
            hit.add("jsonld_depth")
            return None
        if budget[0] <= 0:
            hit.add("jsonld_nodes")
            return None
        budget[0] -= 1
        if isinstance(value, list):
            return [x for x in (cut(v, depth + 1) for v in value) if x is not None]
        return {str(k)[:200]: cut(v, depth + 1) for k, v in value.items()}

    out = [cut(v, 0) for v in values]
    problems.extend(capped(name) for name in sorted(hit))
    return [v for v in out if v is not None]


# --- microdata / RDFa (extruct, only when markers are present) --------------------------------
def _short_type(value: Any) -> Any:
    if isinstance(value, str):
        return _SCHEMA_PREFIX_RE.sub("", value)
    if isinstance(value, list):
        return [_short_type(v) for v in value]
    return value


def _microdata_node(item: Any, depth: int = 0) -> Any:
    if not isinstance(item, dict) or depth > _MAX_DEPTH:
        return item
    if "properties" not in item and "type" not in item:
        return item
    node: dict[str, Any] = {}
    types = item.get("type")
    if types:
        short = _short_type(types)
        node["@type"] = short[0] if isinstance(short, list) and len(short) == 1 else short
    if item.get("id"):
        node["@id"] = item["id"]
    for key, value in (item.get("properties") or {}).items():
        if isinstance(value, list):
            node[key] = [_microdata_node(v, depth + 1) for v in value]
        else:
            node[key] = _microdata_node(value, depth + 1)
    if "value" in item and "properties" not in item:
        node["value"] = item["value"]
    return node


def _rdfa_key(key: str) -> str:
    key = _SCHEMA_PREFIX_RE.sub("", key)
    if key.startswith(("http://", "https://")):
        return key.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return key


def _rdfa_nodes(expanded: list[Any]) -> list[dict[str, Any]]:
    """Expanded JSON-LD (extruct's RDFa output) -> compact nodes with references resolved."""
    by_id: dict[str, dict[str, Any]] = {
        n["@id"]: n for n in expanded if isinstance(n, dict) and isinstance(n.get("@id"), str)
    }
    referenced: set[str] = set()

    def value_of(v: Any, seen: frozenset[str], depth: int) -> Any:
        if not isinstance(v, dict):
            return v
        if "@value" in v:
            return v["@value"]
        ref = v.get("@id")
        if isinstance(ref, str):
            if ref in by_id and ref not in seen and depth < _MAX_DEPTH:
                referenced.add(ref)
                return convert(by_id[ref], seen | {ref}, depth + 1)
            return ref
        if "@list" in v and isinstance(v["@list"], list):
            return [value_of(x, seen, depth) for x in v["@list"]]
        return v

    def convert(raw: dict[str, Any], seen: frozenset[str], depth: int) -> dict[str, Any]:
        node: dict[str, Any] = {}
        for key, value in raw.items():
            if key == "@type":
                short = [_rdfa_key(t) for t in value] if isinstance(value, list) else value
                if isinstance(short, list) and len(short) == 1:
                    short = short[0]
                node["@type"] = short
            elif key == "@id":
                if isinstance(value, str) and not value.startswith("_:"):
                    node["@id"] = value  # blank-node ids are random per parse: not kept
            elif key.startswith("http"):
                vals = value if isinstance(value, list) else [value]
                converted = [value_of(v, seen, depth) for v in vals]
                name = _rdfa_key(key)
                node[name] = converted[0] if len(converted) == 1 else converted
        return node

    converted = [
        (n.get("@id"), convert(n, frozenset({n.get("@id", "")}), 0))
        for n in expanded
        if isinstance(n, dict) and n.get("@type")
    ]
    # top-level nodes only: typed nodes nobody points at (nested ones are inside their parent)
    return [node for node_id, node in converted if node_id not in referenced]


def _word_search(pattern: re.Pattern[str], text: str) -> bool:
    """Whether ``pattern`` matches ``text`` at the start of a word (``\\b`` before it)."""
    for match in pattern.finditer(text):
        start = match.start()
        if start == 0:
            return True
        before = text[start - 1]
        if not (before.isalnum() or before == "_"):
            return True
    return False


def _has_microdata(low: str) -> bool:
    return _word_search(_MICRODATA_RE, low)


def _has_rdfa(low: str) -> bool:
    marked = _word_search(_RDFA_TYPEOF_RE, low) or _word_search(_RDFA_PROPERTY_RE, low)
    return marked and ("schema.org" in low or _word_search(_RDFA_VOCAB_RE, low))


def _extruct_nodes(html: str, url: str, syntax: str, doc: Any = None) -> list[dict[str, Any]]:
    """Microdata read from ``doc`` (the page already parsed by lxml) when given, else from a
    parse of its own; RDFa always parses the page again (pyRdfa walks a DOM-like tree)."""
    from extruct.utils import parse_xmldom_html

    if syntax == "microdata":
        from extruct.w3cmicrodata import MicrodataExtractor

        tree = doc if doc is not None else parse_xmldom_html(html, encoding="utf-8")
        items = MicrodataExtractor().extract_items(tree, url)
        return [n for n in (_microdata_node(i) for i in items) if isinstance(n, dict)]
    from extruct.rdfa import RDFaExtractor

    tree = parse_xmldom_html(html, encoding="utf-8")
    expanded = list(RDFaExtractor().extract_items(tree, base_url=url))
    return _rdfa_nodes(expanded)


# --- flattening -------------------------------------------------------------------------------
def _flatten(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Top-level nodes: lists and ``@graph`` containers opened."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(value, list):
        for v in value:
            yield from _flatten(v, depth + 1)
    elif isinstance(value, dict):
        graph = value.get("@graph")
        if graph is not None:
            yield from _flatten(graph, depth + 1)
            rest = {k: v for k, v in value.items() if k not in ("@graph", "@context")}
            if rest.get("@type"):
                yield rest
        else:
            yield value


def _resolve_refs(nodes: list[dict[str, Any]], problems: list[str]) -> list[dict[str, Any]]:
    """Replace ``{"@id": x}`` stubs by the node with that ``@id`` (JSON-LD graphs use them).

    A reference inside its own node (a cycle) stays a stub. Every object and array the
    expansion writes counts against :data:`~spiders.parsers.limits.MAX_REF_EXPANSION` per
    page, so references that multiply (each node citing the next many times) cost bounded
    work and output; past the bound, references stay stubs (``capped_jsonld_references``)."""
    by_id = {n["@id"]: n for n in nodes if isinstance(n.get("@id"), str) and len(n) > 1}
    if not by_id:
        return nodes
    budget = [MAX_REF_EXPANSION]
    hit: list[bool] = [False]

    def resolve(value: Any, seen: frozenset[str], depth: int) -> Any:
        if not isinstance(value, dict | list):
            return value
        if budget[0] <= 0 or depth > _MAX_DEPTH:
            # past a bound: stubs stay stubs, objects keep their scalars, arrays are emptied
            hit[0] = hit[0] or budget[0] <= 0
            budget[0] -= 1
            if isinstance(value, list):
                return []
            return {k: v for k, v in value.items() if not isinstance(v, dict | list)}
        budget[0] -= 1
        if isinstance(value, list):
            return [resolve(v, seen, depth + 1) for v in value]
        ref = value.get("@id")
        if isinstance(ref, str) and len(value) == 1 and ref in by_id and ref not in seen:
            return resolve(by_id[ref], seen | {ref}, depth + 1)
        return {k: resolve(v, seen, depth + 1) for k, v in value.items()}

    out = [resolve(n, frozenset({n.get("@id", "")}), 0) for n in nodes]
    if hit[0]:
        problems.append(capped("jsonld_references"))
    return out


def extract_structured(
    html: str,
    url: str,
    *,
    syntaxes: Iterable[str] = ("json-ld", "microdata", "rdfa"),
    doc: Any = None,
) -> Extraction:
    """All structured-data nodes of a page, with problem codes (never raises). ``doc``: the
    page parsed by ``lxml.html`` already, so microdata is read without parsing it again
    (read before anything changes the tree)."""
    wanted = set(syntaxes)
    result = Extraction()
    if "json-ld" in wanted:
        values, problems = extract_jsonld(html)
        result.problems.extend(problems)
        nodes = [n for n in _flatten(values)]
        result.nodes.extend(("json-ld", n) for n in _resolve_refs(nodes, result.problems))
    low = html.lower() if wanted & {"microdata", "rdfa"} else ""
    for syntax, present in (("microdata", _has_microdata), ("rdfa", _has_rdfa)):
        if syntax not in wanted or not present(low):
            continue
        try:
            found = _extruct_nodes(html, url, syntax, doc)
        except Exception as exc:  # extruct/lxml/rdflib raise many kinds on broken markup
            logger.debug("%s extraction failed on %s: %s", syntax, url, exc)
            result.problems.append(f"{syntax}_failed")
            continue
        result.nodes.extend((syntax, n) for n in _flatten(found))
    return result


def extract_nodes(html: str, url: str) -> list[tuple[str, dict[str, Any]]]:
    """``(syntax, node)`` for every structured-data node of the page (``json-ld`` first)."""
    return extract_structured(html, url).nodes


def node_types(node: dict[str, Any]) -> set[str]:
    """The node's ``@type`` values without the schema.org prefix."""
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {_SCHEMA_PREFIX_RE.sub("", v) for v in values if isinstance(v, str)}


def find_typed(
    nodes: Iterable[tuple[str, dict[str, Any]]], type_name: str, *, deep: bool = True
) -> list[tuple[str, dict[str, Any]]]:
    """Nodes of a schema.org type, including ones nested inside others (``ItemList``,
    ``mainEntity``, ...) when ``deep``. A node inside a found node is not returned twice."""
    found: list[tuple[str, dict[str, Any]]] = []
    seen: set[int] = set()

    def walk(syntax: str, value: Any, depth: int) -> None:
        if depth > _MAX_DEPTH:
            return
        if isinstance(value, list):
            for v in value:
                walk(syntax, v, depth + 1)
            return
        if not isinstance(value, dict):
            return
        if type_name in node_types(value):
            if id(value) not in seen:
                seen.add(id(value))
                found.append((syntax, value))
            return
        if deep:
            for key, v in value.items():
                if key != "@context":
                    walk(syntax, v, depth + 1)

    for syntax, node in nodes:
        walk(syntax, node, 0)
    return found
