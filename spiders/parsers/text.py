"""Plain text from HTML and clean short text fields.

Shared by every spider: ``html_to_text`` for descriptions and page bodies, ``tree_to_text`` for
an lxml tree a caller has already parsed (the page is parsed once), ``clean_text`` for short
fields (titles, names, places), ``truncate`` for display/storage limits. They accept anything
(malformed markup, control characters, lone surrogates) and never raise.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from lxml import etree
from lxml import html as lxml_html

logger = logging.getLogger(__name__)

__all__ = ["clean_text", "html_to_text", "tree_to_text", "truncate"]

#: Elements whose content is never text a reader sees.
_DROPPED_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "canvas",
    "select",
    "datalist",
)

_DROPPED_SET = frozenset(_DROPPED_TAGS)

#: Elements that start a new line (block-level elements and table rows).
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
        "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
        "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html",
        "legend", "li", "main", "menu", "nav", "ol", "option", "p", "pre", "section", "summary",
        "table", "tbody", "tfoot", "thead", "title", "tr", "ul",
    }
)  # fmt: skip

#: Cells are separated by a space so ``<td>a</td><td>b</td>`` does not become ``ab``.
_CELL_TAGS = frozenset({"td", "th"})

#: An entity with its semicolon: named, decimal or hexadecimal.
_ENTITY_RE = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});")
#: A tag escaped once or more (``&lt;p&gt;``, ``&amp;lt;p&amp;gt;``): markup stored as text.
_ESCAPED_TAG_RE = re.compile(r"&(?:amp;)*lt;/?[A-Za-z][A-Za-z0-9]*(?:\s|/|&(?:amp;)*gt;)")
_REAL_TAG_RE = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9:-]*|!--)")
_XML_DECL_RE = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)

#: C0/C1 control characters except tab and newline, and lone surrogates.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
#: Invisible characters that only get in the way: zero-width space, word joiner, BOM, soft
#: hyphen, bidi marks/embeddings, U+FFFD left by bad decoding (ZWJ/ZWNJ stay: they matter in
#: Indic/Persian scripts and emoji).
_INVISIBLE_RE = re.compile(
    r"[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\ufeff\ufffd\ufffe]"
)
_HSPACE_RE = re.compile(r"[^\S\n]+")
_ANY_SPACE_RE = re.compile(r"\s+")
_MANY_NEWLINES_RE = re.compile(r"\n{2,}")

#: How many levels of escaping we undo (``&amp;amp;amp;`` is the worst seen in feeds).
_MAX_UNESCAPE_ROUNDS = 4

_PARSER = lxml_html.HTMLParser(
    encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
)


def _decode_entities(text: str) -> str:
    """Decode entities repeatedly while the text still contains some (double escaping)."""
    for _ in range(_MAX_UNESCAPE_ROUNDS):
        if "&" not in text or not _ENTITY_RE.search(text):
            break
        text = _ENTITY_RE.sub(lambda m: html_lib.unescape(m.group(0)), text)
    return text


def _strip_controls(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_RE.sub("", text)
    return _INVISIBLE_RE.sub("", text)


def _as_str(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


def clean_text(value: str | None) -> str:
    """A short field cleaned for storage: one line, entities decoded, NFC, no control chars.

    Markup is not removed (use :func:`html_to_text` for that): a title such as
    ``"Developer <Python>"`` keeps its text.

    >>> clean_text("  Caf&eacute;\\n  &amp;amp; Bar\\x00 ")
    'Café & Bar'
    """
    text = _as_str(value)
    if not text:
        return ""
    text = _strip_controls(text)
    text = _decode_entities(text)
    # Decoding may produce control characters (``&#0;`` is replaced, ``&#127;`` is not).
    text = _strip_controls(text)
    text = unicodedata.normalize("NFC", text)
    return _ANY_SPACE_RE.sub(" ", text).strip()


def _normalise_lines(text: str) -> str:
    text = _strip_controls(text)
    text = unicodedata.normalize("NFC", text)
    text = _HSPACE_RE.sub(" ", text)
    lines = (line.strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _fallback_text(markup: str) -> str:
    """Tag-stripping by regular expression when lxml cannot parse the input at all."""
    markup = re.sub(
        r"<(script|style|noscript|template)\b.*?</\1\s*>", " ", markup, flags=re.S | re.I
    )
    markup = re.sub(r"<br\s*/?>|</?(?:p|div|li|tr|h[1-6])\b[^>]*>", "\n", markup, flags=re.I)
    markup = re.sub(r"<[^>]*>", " ", markup)
    return markup


def _raw_text(
    root: etree._Element,
    skip: Callable[[Any], bool] | None = None,
    source_newlines: bool = True,
) -> str:
    """The text of ``root`` with line breaks for blocks, without changing the tree.

    Iterative (no recursion limit on deeply nested "div soup"). Dropped elements
    (:data:`_DROPPED_TAGS`) and elements with ``hidden`` lose their content but keep the text
    that follows them (their tail); the root's own tail is not part of its text.
    """
    parts: list[str] = []
    # a newline in the markup is a space to a reader (kept by default for line-based parsers)
    fix: Callable[[str], str] = (lambda t: t) if source_newlines else _unwrap
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        element, closing = stack.pop()
        tag = element.tag
        name = tag.lower() if isinstance(tag, str) else ""
        if closing:
            if name in _BLOCK_TAGS:
                parts.append("\n")
            elif name in _CELL_TAGS:
                parts.append(" ")
            if element is not root and element.tail:
                parts.append(fix(element.tail))
            continue
        if (
            not name  # comments, processing instructions, entities
            or name in _DROPPED_SET
            or (element.get("hidden") is not None and name not in ("html", "body"))
            or (skip is not None and element is not root and skip(element))
        ):
            if element is not root and element.tail:
                parts.append(fix(element.tail))
            continue
        if name == "br" or name in _BLOCK_TAGS:
            parts.append("\n")
        if element.text:
            parts.append(element.text if name == "pre" else fix(element.text))
        stack.append((element, True))
        stack.extend((child, False) for child in reversed(element))
    return "".join(parts)


def _unwrap(text: str) -> str:
    return text.replace("\r", " ").replace("\n", " ")


def tree_to_text(
    root: etree._Element,
    *,
    skip: Callable[[Any], bool] | None = None,
    source_newlines: bool = True,
) -> str:
    """Plain text of an already parsed lxml element (a page's ``<body>``, an ``<address>``):
    one line per block, as :func:`html_to_text` gives, without modifying the tree (so the same
    tree can serve structured data, links and main-text extraction). ``skip(element)`` leaves
    out further elements (navigation, a cookie banner) with their content.
    ``source_newlines=False`` reads line breaks inside the markup's text as spaces (as a
    browser shows them; lines then come only from blocks and ``<br>``). Never raises."""
    try:
        return _normalise_lines(_raw_text(root, skip, source_newlines))
    except (AttributeError, TypeError, ValueError) as exc:  # not an element
        logger.debug("tree_to_text: cannot read %r: %s", type(root).__name__, exc)
        return ""


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment or page: one line per block, entities decoded.

    Scripts, styles, ``<noscript>``, ``<template>``, ``<head>`` and hidden elements are
    dropped; paragraphs, list items, headings, table rows and ``<br>`` become line breaks;
    blank lines are removed and runs of spaces collapsed. Markup that a feed escaped once or
    twice (``&lt;p&gt;``) is unescaped first; entities left in the text (``&amp;amp;``) are
    decoded. Never raises: unparseable input falls back to a regex tag strip.
    """
    markup = _as_str(html)
    if not markup or markup.isspace():
        return ""
    markup = _CONTROL_RE.sub("", markup)
    if not _REAL_TAG_RE.search(markup) and _ESCAPED_TAG_RE.search(markup):
        markup = _decode_entities(markup)  # markup stored as escaped text (RSS descriptions)
    markup = _XML_DECL_RE.sub("", markup)
    if "<" not in markup:
        return _normalise_lines(_decode_entities(markup))
    try:
        root = lxml_html.document_fromstring(markup.encode("utf-8", "replace"), parser=_PARSER)
        text = _raw_text(root)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError, TypeError) as exc:
        logger.debug("html_to_text: lxml failed (%s), stripping tags by regex", exc)
        text = _fallback_text(markup)
    return _normalise_lines(_decode_entities(text))


def truncate(text: str, limit: int, *, ellipsis: str = "…") -> str:
    """``text`` cut to at most ``limit`` characters, at a word boundary when one is near.

    The ellipsis counts towards the limit. A cut inside a long word (no space in the last
    third of the allowed length) happens mid-word rather than losing most of the text.
    """
    text = _as_str(text)
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    if len(ellipsis) >= limit:
        return text[:limit]
    room = limit - len(ellipsis)
    cut = text[:room]
    if not text[room].isspace():
        space = max(cut.rfind(" "), cut.rfind("\n"), cut.rfind("\t"))
        if space >= room * 2 // 3:
            cut = cut[:space]
    return cut.rstrip(" \t\n,;:.-–—") + ellipsis
