"""Plain text for every part of the project: HTML to text, short fields, accent folding and
the language of a text. Pure (lxml, langdetect, pycountry; no Scrapy, no SQL): spiders, the
crawler and the classifiers share it.

* :func:`html_to_text` for descriptions and page bodies, :func:`tree_to_text` for an lxml tree a
  caller has already parsed (the page is parsed once), :func:`element_text` for one element as
  a single line (blocks and adjacent links kept apart, unlike lxml's ``text_content()``, which
  runs "Home</a><a>About" together), :func:`clean_text` for short fields
  (titles, names, places: one line, whitespace collapsed), :func:`truncate` for display and
  storage limits. They accept anything (malformed markup, control characters, lone
  surrogates) and never raise.
* :func:`fold_accents`: lower case without accents, the key for matching words across
  spellings (``"Über"`` -> ``"uber"``, ``"Łódź"`` -> ``"lodz"``).
* :func:`detect_language`: ISO 639-1 code of a text (langdetect, deterministic, thread-safe; its
  trials in numpy, :mod:`crawler.language_trials`). It
  reads at most ``MAX_CHARS`` characters (langdetect's cost grows with the text), trusts the
  text over the page's ``lang`` attribute (often wrong: templates say ``en`` on pages written in
  German), and falls back to that hint only for texts too short to judge.
  :func:`normalise_language_code` turns tags such as ``"en-GB"`` or ``"deu"`` into ``"en"``,
  ``"de"``.
"""

from __future__ import annotations

import html as html_lib
import logging
import re
import threading
import unicodedata
from collections.abc import Callable
from typing import Any

import pycountry
from langdetect import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException
from lxml import etree
from lxml import html as lxml_html

from crawler.language_trials import detect_probabilities

logger = logging.getLogger(__name__)

__all__ = [
    "MAX_CHARS",
    "MIN_LETTERS",
    "clean_text",
    "detect_language",
    "element_text",
    "fold_accents",
    "html_to_text",
    "normalise_language_code",
    "tree_to_text",
    "truncate",
]


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
#: Inline elements that a page lays out as separate items (menus of bare links, buttons,
#: icons): a space separates one from an element right after it (``<a>Home</a><a>About</a>``).
_ITEM_TAGS = frozenset({"a", "button", "img", "input", "label"})

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
            elif not element.tail and element is not root:
                nxt = element.getnext()
                if nxt is not None and (
                    name in _ITEM_TAGS or (isinstance(nxt.tag, str) and nxt.tag in _ITEM_TAGS)
                ):
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


def element_text(element: etree._Element) -> str:
    """The text of one element on one line, blocks and adjacent items separated by a space
    (``<dd>Berlin</dd><dd>Vollzeit</dd>`` -> ``"Berlin Vollzeit"``, where lxml's
    ``text_content()`` gives ``"BerlinVollzeit"``). Scripts, styles and hidden elements are
    left out. Never raises."""
    try:
        if len(element) == 0 and isinstance(element.tag, str):  # a leaf: its own text
            if element.tag.lower() in _DROPPED_SET:
                return ""
            return clean_text(element.text)
    except TypeError:
        return ""
    return clean_text(tree_to_text(element, source_newlines=False).replace("\n", " "))


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


# --- accent folding ------------------------------------------------------------------------

#: Letters NFKD does not decompose, spelt as a reader without them would.
_FOLD_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
)


#: combining marks (the accents NFKD splits off), removed in one C-speed pass
_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold_accents(text: str) -> str:
    """Lower case without accents: casefolded, marks removed, ``ł``/``ø``/``æ`` spelt out
    (``"Über"`` -> ``"uber"``, ``"Straße"`` -> ``"strasse"``, ``"Łódź"`` -> ``"lodz"``).
    Punctuation and spacing are left as they are."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_FOLD_LETTERS))
    return _COMBINING_MARKS.sub("", decomposed)


# --- language --------------------------------------------------------------------------------


#: Characters of input langdetect reads; more costs time and changes nothing in practice.
MAX_CHARS = 2000
#: Below this many letters the text alone is not trusted: the hint wins when there is one.
MIN_LETTERS = 40
#: Without a hint, texts with at least this many letters are still tried, but only a
#: confident answer (``SHORT_TEXT_MIN_PROB``) is returned.
MIN_LETTERS_NO_HINT = 15
SHORT_TEXT_MIN_PROB = 0.95

# Deterministic results: langdetect samples n-grams at random; every Detector seeds its own
# ``random.Random`` from this class attribute (so no global random state is touched).
DetectorFactory.seed = 0

_factory: DetectorFactory | None = None
_factory_lock = threading.Lock()

#: Deprecated or langdetect-specific codes -> ISO 639-1.
_CODE_ALIASES = {
    "iw": "he",
    "in": "id",
    "ji": "yi",
    "jw": "jv",
    "mo": "ro",
    "sh": "sr",
    "nb": "no",
    "nn": "no",
}
_TAG_SPLIT_RE = re.compile(r"[-_\s.;,]")
_URL_EMAIL_RE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")


def _get_factory() -> DetectorFactory:
    """The profiles, loaded once (about 0.2 s) under a lock so threads share one factory."""
    global _factory
    if _factory is None:
        with _factory_lock:
            if _factory is None:
                from langdetect.detector_factory import PROFILES_DIRECTORY

                factory = DetectorFactory()
                factory.load_profile(PROFILES_DIRECTORY)
                factory.set_seed(0)
                _factory = factory
    return _factory


def normalise_language_code(code: str | None) -> str | None:
    """``"en-GB"``, ``"EN_us"``, ``"deu"``, ``"zh-cn"`` -> ``"en"``, ``"en"``, ``"de"``, ``"zh"``.

    None for anything that is not a known ISO 639 language (``"x-default"``, ``""``).
    """
    if not code or not isinstance(code, str):
        return None
    primary = _TAG_SPLIT_RE.split(code.strip().lower(), maxsplit=1)[0]
    if not primary.isascii() or not primary.isalpha():
        return None
    primary = _CODE_ALIASES.get(primary, primary)
    if len(primary) == 2:
        return primary if pycountry.languages.get(alpha_2=primary) is not None else None
    if len(primary) == 3:
        lang = pycountry.languages.get(alpha_3=primary)
        if lang is None:  # bibliographic codes: "ger", "fre", "dut"
            lang = pycountry.languages.get(bibliographic=primary)
        alpha_2 = getattr(lang, "alpha_2", None) if lang is not None else None
        return _CODE_ALIASES.get(alpha_2, alpha_2) if alpha_2 else None
    return None


def _sample(text: str) -> str:
    """The first ``MAX_CHARS`` characters, cut at a space, without URLs and e-mail addresses."""
    if len(text) > MAX_CHARS + 200:
        cut = text[: MAX_CHARS + 200]
        cut = _URL_EMAIL_RE.sub(" ", cut)
        text = cut[:MAX_CHARS]
        space = text.rfind(" ")
        if space > MAX_CHARS // 2:
            text = text[:space]
        return text
    return _URL_EMAIL_RE.sub(" ", text)


def _count_letters(text: str, stop: int) -> int:
    count = 0
    for ch in text:
        if ch.isalpha():
            count += 1
            if count >= stop:
                break
    return count


def detect_language(text: str, hint: str | None = None) -> str | None:
    """ISO 639-1 code of ``text`` (``"de"``, ``"zh"``), or None when it cannot be told.

    ``hint`` (an HTML ``lang`` attribute such as ``"en-GB"``) is used only when the text has
    fewer than ``MIN_LETTERS`` letters. Without a hint, short texts (``MIN_LETTERS_NO_HINT``
    letters or more) are answered only when langdetect is confident. Never raises.
    """
    if not text or not isinstance(text, str):
        return None
    sample = _sample(text)
    letters = _count_letters(sample, MIN_LETTERS)
    if letters == 0:
        return None
    short = letters < MIN_LETTERS
    if short:
        hinted = normalise_language_code(hint)
        if hinted is not None:
            return hinted
        if letters < MIN_LETTERS_NO_HINT:
            return None
    try:
        candidates = detect_probabilities(_get_factory().create(), sample)
    except LangDetectException:
        return None
    except Exception:  # langdetect is not hardened against odd input
        logger.debug("langdetect failed on %r", sample[:80], exc_info=True)
        return None
    if not candidates:
        return None
    best = candidates[0]
    if short and best.prob < SHORT_TEXT_MIN_PROB:
        return None
    return normalise_language_code(str(best.lang))
