"""The text of a page: the lines a reader sees, and its main text.

:func:`visible_lines` reads the page as a reader sees it (the tree is not changed).
:func:`main_text` prefers the page's one marked main region (``<main>``, ``role="main"``, a
single ``<article>``) without navigation, banners and share bars; else trafilatura (the costly
step, last because it prunes the tree); else the visible lines.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from lxml import etree

from crawler.text import tree_to_text

logger = logging.getLogger(__name__)

__all__ = ["MIN_MARKED_MAIN_TEXT", "main_text", "visible_lines"]

#: A marked main region (``<main>``) with at least this much text is the page's main text
#: (trafilatura, about ten times costlier, runs only on pages without one).
MIN_MARKED_MAIN_TEXT = 200


def visible_lines(tree: Any) -> list[str]:
    """Text lines of the page as a reader sees them (the tree is not changed)."""
    body = tree.find("body")
    root = body if body is not None else tree
    return tree_to_text(root).split("\n")


_BOILERPLATE_TAGS = frozenset({"nav", "header", "footer", "aside", "form", "dialog", "button"})
_BOILERPLATE_RE = re.compile(
    r"cookie|consent|gdpr|banner|newsletter|share|social|breadcrumb|skip-link|screen-reader|"
    r"visually-hidden|sr-only|menu|navbar|sidebar|widget|modal|popup",
    re.IGNORECASE,
)


def _is_boilerplate(element: Any) -> bool:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag.lower() in _BOILERPLATE_TAGS:
        return True
    if element.get("role") in ("navigation", "banner", "contentinfo", "complementary", "dialog"):
        return True
    if element.get("aria-hidden") == "true":
        return True
    marks = f"{element.get('class') or ''} {element.get('id') or ''}"
    return bool(marks.strip()) and bool(_BOILERPLATE_RE.search(marks))


def _marked_main_text(tree: Any) -> str | None:
    """The text of the page's one marked main region (``<main>``, ``role="main"`` or a single
    ``<article>``) without navigation, banners and share bars, when it is long enough to be
    the page's content; None when the page marks no such region (then trafilatura decides)."""
    try:
        mains = tree.xpath("//main | //*[@role='main']")
        if not mains:
            mains = tree.xpath("//article")
    except (etree.XPathError, ValueError):
        return None
    if len(mains) != 1:
        return None
    text = tree_to_text(mains[0], skip=_is_boilerplate, source_newlines=False)
    return text if len(text) >= MIN_MARKED_MAIN_TEXT else None


def main_text(tree: Any, fallback_lines: list[str]) -> tuple[str, str]:
    """(main text, how): the page's marked main region when it has one (cheap), else
    trafilatura on the page's tree (it prunes the tree: call last), else the visible lines."""
    marked = _marked_main_text(tree)
    if marked is not None:
        return marked, "main_element"
    import trafilatura

    try:
        text = trafilatura.extract(
            tree, include_comments=False, include_tables=True, favor_recall=True, deduplicate=True
        )
    except Exception as exc:  # trafilatura is not hardened against every tree
        logger.debug("trafilatura failed: %s", exc)
        text = None
    if text:
        return text.strip(), "trafilatura"
    return "\n".join(fallback_lines).strip(), "visible_text"
