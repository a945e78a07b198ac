"""The text of a page: the lines a reader sees, and its main text.

:func:`visible_lines` reads the page as a reader sees it (the tree is not changed).
:func:`main_text` reads the page's content blocks: the one marked main region (``<main>``,
``role="main"``, a single ``<article>``) or else the body, without page chrome (headers,
footers, navigation, menus, cookie and share bars, sliders, sidebars) and without teasers
(lists of links, cards whose heading links to another page, "Latest news" blocks), starting at
the page's headline (its first ``<h1>``, else its first heading) when the text from there on
is long enough. Only when that yields too little text does trafilatura run (the costly step,
last because it prunes the tree); else the visible lines.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from lxml import etree

from crawler.text import element_text, tree_to_text

logger = logging.getLogger(__name__)

__all__ = ["MIN_MARKED_MAIN_TEXT", "MIN_TEXT_FROM_HEADLINE", "main_text", "visible_lines"]

#: A marked main region (``<main>``) with at least this much text is the page's main text.
MIN_MARKED_MAIN_TEXT = 200
#: The text from the headline on must be this long for the lines before it to be dropped.
MIN_TEXT_FROM_HEADLINE = 100


def visible_lines(tree: Any) -> list[str]:
    """Text lines of the page as a reader sees them (the tree is not changed)."""
    body = tree.find("body")
    root = body if body is not None else tree
    return tree_to_text(root).split("\n")


_BOILERPLATE_TAGS = frozenset(
    {"nav", "footer", "aside", "form", "dialog", "button", "noscript", "template"}
)
_BOILERPLATE_ROLES = frozenset(
    {"navigation", "banner", "contentinfo", "complementary", "dialog", "search"}
)
#: Class/id names of chrome, matched anywhere in a name.
_BOILERPLATE_RE = re.compile(
    r"cookie|consent|gdpr|newsletter|share|sharing|social|breadcrumb|skip-link|screen-reader|"
    r"visually-hidden|sr-only|navbar|navigation|menu|sidebar|modal|popup|slider|carousel|"
    r"swiper|slick|location-header|location-footer",
    re.IGNORECASE,
)
#: Class/id names of a page's header and footer, matched as whole names ("page-header" and
#: "entry-header" hold an article's title and stay).
_CHROME_NAMES = frozenset(
    {
        "header", "footer", "site-header", "site-footer", "masthead", "colophon", "topbar",
        "top-bar", "top-header", "main-header", "main-footer", "page-footer", "global-header",
        "global-footer", "container-header", "container-footer", "region-header",
        "region-footer", "site-nav", "top-nav", "topnav", "header-wrapper", "footer-wrapper",
    }
)  # fmt: skip
_SECTIONING = frozenset({"main", "article"})
_CONTAINERS = frozenset(
    {"div", "section", "ul", "ol", "dl", "table", "article", "li", "header", "span"}
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
#: A teaser card holds at most this much text besides its linked heading.
_MAX_TEASER_CHARS = 400
#: Share of a block's text in links from which it is a list of links.
_LINK_DENSITY = 0.5


def _tag(element: Any) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _names(element: Any) -> list[str]:
    return f"{element.get('class') or ''} {element.get('id') or ''}".split()


def _is_boilerplate(element: Any) -> bool:
    """Page chrome: navigation, headers/footers of the page, banners, share bars, sliders."""
    tag = _tag(element)
    if tag in _BOILERPLATE_TAGS:
        return True
    if tag == "header":
        return not any(_tag(a) in _SECTIONING for a in element.iterancestors())
    if element.get("role") in _BOILERPLATE_ROLES or element.get("aria-hidden") == "true":
        return True
    if element.get("data-elementor-type") in ("header", "footer", "popup"):
        return True
    names = _names(element)
    if any(n.lower() in _CHROME_NAMES for n in names):
        return True
    return bool(names) and bool(_BOILERPLATE_RE.search(" ".join(names)))


def _text_length(element: Any) -> int:
    """Characters of an element's text, spaces collapsed (cheap: no line layout)."""
    return len(" ".join("".join(element.itertext()).split()))


def _is_link_list(element: Any) -> bool:
    """A block that is mostly links (a menu, a list of related pages, a teaser grid)."""
    if _tag(element) not in _CONTAINERS or element.find(".//h1") is not None:
        return False
    links = element.xpath(".//a")
    if len(links) < 2:
        return False
    total = _text_length(element)
    return total > 0 and sum(_text_length(a) for a in links) / total >= _LINK_DENSITY


def _is_teaser(element: Any) -> bool:
    """A card announcing another page: a short block whose heading is a link."""
    if _tag(element) not in ("article", "div", "li") or element.find(".//h1") is not None:
        return False
    heading_link = element.xpath(
        ".//*[self::h2 or self::h3 or self::h4 or self::h5][.//a[@href]] | "
        ".//a[@href][.//*[self::h2 or self::h3 or self::h4 or self::h5]]"
    )
    return bool(heading_link) and _text_length(element) <= _MAX_TEASER_CHARS


class _Pruner:
    """Which elements a page's main text leaves out (memoised, top-down)."""

    def __init__(self) -> None:
        # keyed by id(), holding the element: lxml proxies die and their ids are reused
        self._memo: dict[int, tuple[Any, bool]] = {}

    def __call__(self, element: Any) -> bool:
        key = id(element)
        if key not in self._memo:
            self._memo[key] = (element, self._skip(element))
        return self._memo[key][1]

    def _skip(self, element: Any) -> bool:
        if _is_boilerplate(element) or _is_teaser(element) or _is_link_list(element):
            return True
        if _tag(element) in _HEADINGS[1:]:
            return self._orphan_heading(element)
        return False

    def _orphan_heading(self, heading: Any) -> bool:
        """A heading over nothing but left-out blocks ("Latest news" over teasers)."""
        following = []
        for sib in heading.itersiblings():
            if _tag(sib) in _HEADINGS:
                break
            if isinstance(sib.tag, str):
                following.append(sib)
        return bool(following) and all(self(s) for s in following)

    def kept(self, element: Any, root: Any) -> bool:
        """True when neither the element nor an ancestor below ``root`` is left out."""
        for el in (element, *element.iterancestors()):
            if el is root:
                return True
            if self(el):
                return False
        return True


def _headline(root: Any, pruner: _Pruner) -> str | None:
    """The text of the page's headline: its first kept ``<h1>``, else its first heading."""
    for xpath in (".//h1", ".//h2|.//h3"):
        for heading in root.xpath(xpath):
            if pruner.kept(heading, root):
                text = element_text(heading)
                if text:
                    return text
    return None


def _blocks_text(root: Any) -> str:
    """The text of ``root``'s content blocks, from the headline on (see the module doc)."""
    pruner = _Pruner()
    text = tree_to_text(root, skip=pruner, source_newlines=False)
    headline = _headline(root, pruner)
    if headline:
        lines = text.split("\n")
        if headline in lines:
            start = lines.index(headline)
            rest = "\n".join(lines[start:])
            # a headline near the end (a site name in a last block) does not cut the text
            if len(rest) >= MIN_TEXT_FROM_HEADLINE and len(rest) * 2 >= len(text):
                return rest
    return text


def _content_root(tree: Any) -> tuple[Any, str]:
    """The marked main region when there is one, else the body."""
    try:
        mains = tree.xpath("//main | //*[@role='main']")
        if not mains:
            mains = tree.xpath("//article")
    except (etree.XPathError, ValueError):
        mains = []
    if len(mains) == 1:
        return mains[0], "main_element"
    body = tree.find("body")
    return (body if body is not None else tree), "page_blocks"


def main_text(tree: Any, fallback_lines: list[str]) -> tuple[str, str]:
    """(main text, how): the content blocks of the marked main region or the body, from the
    headline on (``main_element`` / ``page_blocks``); else trafilatura on the page's tree (it
    prunes the tree: call last); else the visible lines."""
    try:
        root, how = _content_root(tree)
        text = _blocks_text(root)
        if len(text) < MIN_MARKED_MAIN_TEXT and how == "main_element":
            body = tree.find("body")
            if body is not None:
                text, how = _blocks_text(body), "page_blocks"
    except (AttributeError, TypeError, ValueError) as exc:
        logger.debug("content blocks unreadable: %s", exc)
        text = ""
    if len(text) >= MIN_MARKED_MAIN_TEXT:
        return text, how
    import trafilatura

    try:
        found = trafilatura.extract(
            tree, include_comments=False, include_tables=True, favor_recall=True, deduplicate=True
        )
    except Exception as exc:  # trafilatura is not hardened against every tree
        logger.debug("trafilatura failed: %s", exc)
        found = None
    if found:
        return found.strip(), "trafilatura"
    if text:
        return text, how
    return "\n".join(fallback_lines).strip(), "visible_text"
