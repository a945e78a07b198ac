"""Identity of a site and the URLs not worth following on it.

:func:`site_key` names a site (host without ``www.``, plus a non-default port), :func:`origin`
gives ``scheme://host[:port]``; canonical URLs come from :func:`crawler.urls.web_url`.
:func:`trap_reason` says why a same-site URL should not be followed (calendars, files, deep or
repeating paths, endless query variants); :func:`is_file_url` knows the file extensions that
are never pages (Scrapy's ``IGNORED_EXTENSIONS`` plus a few).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from scrapy.linkextractors import IGNORED_EXTENSIONS

from crawler.urls import split_origin

__all__ = [
    "MAX_URL_LENGTH",
    "SKIPPED_EXTENSIONS",
    "is_file_path",
    "is_file_url",
    "origin",
    "site_key",
    "trap_reason",
]

#: Longest URL followed (longer ones are traps or tracking junk).
MAX_URL_LENGTH = 300
#: Extensions of files that are never pages: Scrapy's list plus data, feed, calendar and font
#: files.
SKIPPED_EXTENSIONS = frozenset(IGNORED_EXTENSIONS) | {
    "atom", "avif", "csv", "eot", "epub", "gz", "ical", "ics", "json", "mjs", "mkv", "rtf",
    "tgz", "ttf", "txt", "vcf", "woff", "woff2", "xml",
}  # fmt: skip
_CALENDAR_RE = re.compile(
    r"(?:calendar|kalender|calendrier|calendario|kalendarz|kalenteri|agenda|events?|"
    r"veranstaltungen|termine|evenements|eventos|eventi|evenementen|wydarzenia)"
    r"(?:[/?].*)?(?:\d{4}[-/]\d{1,2}|[?&](?:month|year|date|day|week|ical|tribe-bar-date|"
    r"cal|mois|monat|mes)=)",
    re.IGNORECASE,
)
_DATE_PATH_RE = re.compile(r"/(?:19|20)\d\d/(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])/?$")
_QUERY_TRAP_PARAMS = re.compile(
    r"^(?:month|year|date|day|week|cal|ical|tribe-bar-date|outlook-ical|"
    r"print|replytocom|share|sort|order|orderby|filter|view|format|display)$",
    re.IGNORECASE,
)


def is_file_url(url: str) -> bool:
    """Whether the URL's path ends in the extension of a file that is never a page."""
    try:
        return is_file_path(urlsplit(url).path)
    except ValueError:
        return False


def is_file_path(path: str) -> bool:
    """Whether a URL path ends in the extension of a file that is never a page."""
    last = path.rsplit("/", 1)[-1]
    return "." in last and last.rsplit(".", 1)[-1].lower() in SKIPPED_EXTENSIONS


def site_key(url: str) -> str | None:
    """The identity of a site: host without ``www.``, plus a non-default port.

    ``http://www.Example.org/about`` and ``https://example.org`` are one site
    (``"example.org"``); ``http://127.0.0.1:8001`` and ``:8002`` are two.
    """
    found = split_origin(url)
    if found is None:
        return None
    host, port = found.host, found.port
    if host.startswith("www."):
        host = host[4:]
    return f"{host}:{port}" if port else host


def origin(url: str) -> str | None:
    """``scheme://host[:port]`` (lower case, default port dropped)."""
    found = split_origin(url)
    return str(found) if found is not None else None


def trap_reason(url: str) -> str | None:
    """Why a same-site URL should not be followed (``"too_long"``, ``"calendar"``,
    ``"file"``, ``"deep_path"``, ``"repeating_path"``, ``"query"``, ``"unreadable"``), or
    None."""
    if len(url) > MAX_URL_LENGTH:
        return "too_long"
    try:
        parts = urlsplit(url)
    except ValueError:  # not a readable URL: never followed
        return "unreadable"
    path = parts.path
    if is_file_url(url):
        return "file"
    if _CALENDAR_RE.search(path + ("?" + parts.query if parts.query else "")):
        return "calendar"
    if _DATE_PATH_RE.search(path) and not parts.query:
        return None  # a dated article (/2024/03/05/) is fine
    segments = [s for s in path.split("/") if s]
    if len(segments) > 8:
        return "deep_path"
    if len(segments) >= 4 and len(set(segments)) <= len(segments) // 2:
        return "repeating_path"
    if parts.query:
        keys = [k for k, _ in parse_qsl(parts.query, keep_blank_values=True)]
        if len(keys) > 3 or any(_QUERY_TRAP_PARAMS.match(k) for k in keys):
            return "query"
    return None
