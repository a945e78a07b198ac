"""How alive a website looks, as one number from 0 (dead) to 1 (lively) curators can sort by.

Formula (all parts in 0..1)::

    liveliness = 0.5 * recency + 0.2 * copyright + 0.3 * links      (0.0 if the site is down)

* ``recency`` — age of the most recent plausible date on the site (``last_updated``):
  1.0 up to :data:`FRESH_DAYS` (half a year) old, then falling linearly to 0.0 at
  :data:`STALE_DAYS` (three years); 0.0 when no date was found.
* ``copyright`` — the newest year in a copyright notice (``© 2019–2025``): 1.0 for this year
  (or later), 0.75 last year, 0.4 two years ago, 0.15 three years ago, else 0.0; 0.0 when there
  is none. It weighs less than ``recency`` because many sites print the current year by script.
* ``links`` — share of the site's pages we tried that answered with a usable page (a broken
  about/contact/imprint link is a sign of neglect); 0.0 when nothing was tried.

The result is rounded to three decimals so re-crawls of an unchanged site compare equal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

__all__ = ["FRESH_DAYS", "STALE_DAYS", "LivelinessInput", "liveliness"]

W_RECENCY = 0.5
W_COPYRIGHT = 0.2
W_LINKS = 0.3
FRESH_DAYS = 182
STALE_DAYS = 3 * 365
_COPYRIGHT_BY_AGE = {0: 1.0, 1: 0.75, 2: 0.4, 3: 0.15}


@dataclass(slots=True, frozen=True)
class LivelinessInput:
    """What the score is computed from."""

    reachable: bool
    last_updated: date | None = None
    copyright_year: int | None = None
    pages_ok: int = 0
    pages_tried: int = 0


def recency(last_updated: date | None, today: date) -> float:
    if last_updated is None:
        return 0.0
    age = (today - last_updated).days
    if age <= FRESH_DAYS:
        return 1.0
    if age >= STALE_DAYS:
        return 0.0
    return 1.0 - (age - FRESH_DAYS) / (STALE_DAYS - FRESH_DAYS)


def copyright_score(year: int | None, today: date) -> float:
    if year is None:
        return 0.0
    return _COPYRIGHT_BY_AGE.get(max(0, today.year - year), 0.0)


def links_score(ok: int, tried: int) -> float:
    if tried <= 0:
        return 0.0
    return max(0.0, min(1.0, ok / tried))


def liveliness(facts: LivelinessInput, today: date) -> float:
    """The score described in the module docstring."""
    if not facts.reachable:
        return 0.0
    score = (
        W_RECENCY * recency(facts.last_updated, today)
        + W_COPYRIGHT * copyright_score(facts.copyright_year, today)
        + W_LINKS * links_score(facts.pages_ok, facts.pages_tried)
    )
    return round(max(0.0, min(1.0, score)), 3)
