"""Bounds on the work one page may cause: parsers stop at these and say so.

A parser that hits a bound keeps what it read so far and adds the problem code
``capped_<name>`` (:func:`capped`); spiders count it as ``dsi/caps/<name>`` in the crawl's
stats (:meth:`spiders.base.DSISpider.count_problems`). Hostile pages (100,000 links, JSON-LD
whose ``@id`` references multiply, a 9 MB string) so cost a bounded amount of work.
"""

from __future__ import annotations

__all__ = [
    "MAX_JSONLD_DEPTH",
    "MAX_JSONLD_NODES",
    "MAX_JSONLD_STRING",
    "MAX_LINKS_PER_PAGE",
    "MAX_REF_EXPANSION",
    "cap_name",
    "capped",
]

#: Links (anchors, ``data-href`` cards, state URLs) read from one page.
MAX_LINKS_PER_PAGE = 2_000
#: Objects and arrays kept from one page's JSON-LD.
MAX_JSONLD_NODES = 5_000
#: Nesting kept in JSON-LD (deeper values are dropped).
MAX_JSONLD_DEPTH = 12
#: Characters kept of one JSON-LD string.
MAX_JSONLD_STRING = 20_000
#: Objects copied when ``{"@id": ...}`` references are replaced by their nodes, per page.
MAX_REF_EXPANSION = 5_000

_PREFIX = "capped_"


def capped(name: str) -> str:
    """The problem code of a bound that was hit (``capped_links_per_page``)."""
    return _PREFIX + name


def cap_name(problem: str) -> str | None:
    """The bound a problem code names, or None for other problems."""
    return problem[len(_PREFIX) :] if problem.startswith(_PREFIX) else None
