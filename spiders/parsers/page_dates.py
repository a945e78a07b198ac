"""Dates an organisation's page shows: when it was last updated, news dates, the copyright year.

:func:`page_date` reads one date and keeps it only when it is plausible for a website (from
1995 to tomorrow); :func:`text_dates` finds dates in running text ("Last updated: 3 March
2025", "Stand: 01.02.2025", news dates in a dozen languages); :func:`copyright_year` is the
latest year of a page's copyright notices.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from spiders.parsers.dates import parse_date

__all__ = ["MAX_TEXT_DATES", "MIN_DATE", "copyright_year", "page_date", "text_dates"]

#: Dates found in running text that are tried per page (parse_date can be slow on odd input).
MAX_TEXT_DATES = 25
#: Plausible dates on a site start here (older ones are history, not activity).
MIN_DATE = date(1995, 1, 1)
_COPYRIGHT_RE = re.compile(
    r"(?:©|\(c\)|copyright|&copy;)\s*(?:[^\d\n]{0,40}?)?"
    r"(?:(?:19|20)\d{2}\s*(?:[-–—/]|bis|to|à|a)\s*)?((?:19|20)\d{2})",
    re.IGNORECASE,
)
_UPDATED_RE = re.compile(
    r"(?:last\s+(?:updated|modified|changed)|updated(?:\s+on)?|zuletzt\s+(?:aktualisiert|"
    r"geändert)|aktualisiert(?:\s+am)?|stand|mis\s+à\s+jour(?:\s+le)?|dernière\s+mise\s+à\s+jour|"
    r"actualizad[oa](?:\s+el)?|última\s+actualización|aggiornat[oa](?:\s+il)?|"
    r"ultimo\s+aggiornamento|bijgewerkt(?:\s+op)?|laatst\s+bijgewerkt|zaktualizowan[oay]|"
    r"ostatnia\s+aktualizacja|uppdaterad|senast\s+uppdaterad|opdateret|oppdatert|päivitetty|"
    r"atualizado(?:\s+em)?)\s*[:\-–]?\s*(.{6,40})",
    re.IGNORECASE,
)
_MONTH_WORD = r"[^\W\d_]{3,12}\.?"
_TEXT_DATE_RE = re.compile(
    r"\b(?:\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}\.\s?\d{1,2}\.\s?\d{4}"
    r"|\d{1,2}/\d{1,2}/\d{4}"
    rf"|\d{{1,2}}\.?\s(?:de\s)?{_MONTH_WORD},?\s(?:de\s)?\d{{4}}"
    rf"|{_MONTH_WORD}\s\d{{1,2}},?\s\d{{4}})\b"
)


def page_date(value: str, now: datetime, languages: list[str] | None = None) -> date | None:
    """The date ``value`` names, when it is a plausible date of a site's activity."""
    found = parse_date(value[:40], now=now, languages=languages)
    if found is None or found < MIN_DATE or found > now.date() + timedelta(days=1):
        return None
    return found


def text_dates(lines: list[str], now: datetime, language: str | None = None) -> list[date]:
    """Plausible dates in a page's text lines: "last updated" lines and short lines with a
    date (at most ``MAX_TEXT_DATES`` tried: parse_date can be slow on odd input)."""
    found_dates: list[date] = []
    languages = [language] if language else None
    tried = 0
    for line in lines:
        if tried >= MAX_TEXT_DATES:
            break
        if len(line) > 400:
            continue
        match = _UPDATED_RE.search(line)
        candidates = []
        if match is not None:
            inner = _TEXT_DATE_RE.search(match.group(1))
            candidates.append(inner.group(0) if inner else match.group(1))
        if len(line) <= 120:
            candidates.extend(m.group(0) for m in _TEXT_DATE_RE.finditer(line))
        for candidate in candidates[:3]:
            tried += 1
            found = page_date(candidate, now, languages)
            if found:
                found_dates.append(found)
    return found_dates


def copyright_year(lines: list[str], now: datetime) -> int | None:
    """The latest year of the page's copyright notices ("© 2019-2024"), up to this year."""
    best: int | None = None
    for line in lines:
        if len(line) > 300:
            continue
        for match in _COPYRIGHT_RE.finditer(line):
            year = int(match.group(1))
            if MIN_DATE.year <= year <= now.year and (best is None or year > best):
                best = year
    return best
