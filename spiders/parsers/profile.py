"""One profile per organisation website, merged from the facts of its pages.

:func:`build_profile` merges the :class:`~spiders.parsers.page_facts.PageFacts` of a site:
name from schema.org Organization > ``og:site_name`` > schema.org WebSite > title heuristics
(:func:`name_from_titles`); description from the home page; addresses preferring a structured
schema.org one, then imprint/contact pages (an unsplittable schema.org address string comes
last); social links one per platform, LinkedIn member profiles (``/in/``) left out;
liveliness per :mod:`spiders.parsers.liveliness`. How each page's text was read is kept in the
profile's ``raw["text_sources"]``.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from crawler.items import WebsiteProfile
from crawler.text import truncate
from spiders.parsers.contact import pick_emails, resolve_address
from spiders.parsers.liveliness import LivelinessInput, liveliness
from spiders.parsers.page_facts import PageFacts
from spiders.parsers.page_kinds import KIND_RANK, TEXT_KINDS
from spiders.parsers.site_urls import origin, site_key
from spiders.parsers.social import pick_social_links

logger = logging.getLogger(__name__)

__all__ = ["SiteOutcome", "build_profile", "name_from_titles"]

#: Characters of main text kept per profile.
MAIN_TEXT_LIMIT = 20_000
#: Outlinks kept per profile.
MAX_OUTLINKS = 200
_TITLE_SPLIT_RE = re.compile(r"\s+[|–—\-:·•»/]\s+|\s*[|·•»]\s*")
_GENERIC_TITLE_RE = re.compile(
    r"^(?:home|homepage|home page|start|startseite|accueil|page d'accueil|inicio|portada|"
    r"home ?page|pagina principale|benvenuti|welkom|strona glowna|strona główna|startsida|"
    r"hjem|forside|etusivu|welcome|willkommen|bienvenue|bienvenido|bienvenidos|index|"
    r"main page|úvod|úvodní stránka|domů|hlavná stránka|úvodná stránka|kezdőlap|főoldal|"
    r"pagina inicial|página inicial|início|inicio|pagina iniziale|home-pagina|startpagina|"
    r"acasă|prima pagină|αρχική|etusivu|начало)$",
    re.IGNORECASE,
)
_WELCOME_RE = re.compile(
    r"^(?:welcome to|willkommen bei|willkommen auf|bienvenue (?:chez|sur|à)|bienvenid[oa]s? a|"
    r"benvenut[io] (?:su|a|in)|welkom bij|welkom op|witamy w|välkommen till)\s+",
    re.IGNORECASE,
)


@dataclass(slots=True, kw_only=True)
class SiteOutcome:
    """What the crawl of one site produced, for :func:`build_profile`."""

    source: str
    seed_url: str
    home_url: str | None = None
    pages: list[PageFacts] = field(default_factory=list)
    pages_tried: int = 0
    pages_ok: int = 0
    reachable: bool = True
    rendered: bool = False
    warnings: list[str] = field(default_factory=list)


def _title_parts(title: str) -> list[str]:
    return [p.strip() for p in _TITLE_SPLIT_RE.split(title) if p and p.strip()]


def _in_a_sentence(part: str, text: str) -> bool:
    """True when ``part`` is written inside a longer line of ``text`` (a name used in the
    page's sentences), not only as a line of its own (a tagline shown as the headline)."""
    low = part.casefold()
    return any(low in line.casefold() and len(line) > len(part) + 3 for line in text.split("\n"))


def name_from_titles(
    home_title: str | None, other_titles: Iterable[str], body_text: str = ""
) -> str | None:
    """The site's name from page titles: the part every page title repeats ("About | Name"),
    else the home title without "Home"/"Welcome to", else the part the page's text uses in its
    sentences (``body_text``; "Name – Tagline": the tagline is only the headline), else the
    shortest part."""
    if not home_title:
        return None
    parts = _title_parts(home_title)
    if not parts:
        return None
    others = [t for t in other_titles if t and t != home_title]
    if others:
        counts: Counter[str] = Counter()
        for title in others:
            for part in set(_title_parts(title)):
                counts[part] += 1
        shared = [
            p
            for p in parts
            if counts.get(p, 0) >= max(1, (len(others) + 1) // 2) and not _GENERIC_TITLE_RE.match(p)
        ]
        if shared:
            return shared[0]
    meaningful = [p for p in parts if not _GENERIC_TITLE_RE.match(p)]
    if not meaningful:
        return None
    if len(meaningful) == 1:
        return _WELCOME_RE.sub("", meaningful[0]).strip() or None
    used = [p for p in meaningful if body_text and _in_a_sentence(p, body_text)]
    if len(used) == 1:
        return _WELCOME_RE.sub("", used[0]).strip() or None
    # "Name – a tagline of many words": the shorter part is the name
    shortest = min(meaningful, key=lambda p: (len(p.split()), meaningful.index(p)))
    return _WELCOME_RE.sub("", shortest).strip() or None


def _kind_order(facts: PageFacts, home_url: str | None) -> tuple[int, str]:
    if facts.url == home_url or facts.kind == "home":
        return (-1, facts.url)
    return (KIND_RANK.get(facts.kind, 9), facts.url)


def build_profile(outcome: SiteOutcome, *, now: datetime | None = None) -> WebsiteProfile:
    """Merge the facts of a site's pages into one profile."""
    now = now or datetime.now()
    if now.tzinfo is not None:
        now = now.replace(tzinfo=None)
    pages = sorted(outcome.pages, key=lambda f: _kind_order(f, outcome.home_url))
    home = pages[0] if pages and pages[0].kind == "home" else None
    home_url = (
        (home.canonical if home and home.canonical else None)
        or outcome.home_url
        or outcome.seed_url
    )
    site = origin(home_url) or origin(outcome.seed_url) or outcome.seed_url
    warnings = list(outcome.warnings)
    for page in pages:
        warnings.extend(w for w in page.warnings if w not in warnings)

    title = None
    if home is not None:
        title = home.title or home.og_title
    orgs = sorted(
        ((score + (1 if p is home else 0), n, d) for p in pages for score, n, d in p.organizations),
        key=lambda t: -t[0],
    )
    name = orgs[0][1] if orgs else None
    if not name:
        name = next((p.og_site_name for p in pages if p.og_site_name), None)
    if not name:
        name = next((p.website_name for p in pages if p.website_name), None)
    if not name:
        home_title = home.title if home else (pages[0].title if pages else None)
        name = name_from_titles(
            home_title,
            (p.title or "" for p in pages[1:]),
            body_text=home.main_text if home else "",
        )

    description = None
    if home is not None:
        description = home.description or home.og_description
    if not description and orgs:
        description = next((d for _, _, d in orgs if d), None)
    if not description:
        description = next(
            (p.description or p.og_description for p in pages if p.description or p.og_description),
            None,
        )

    text_pages = [p for p in pages if p.kind in TEXT_KINDS and p.main_text]
    main_text = "\n\n".join(p.main_text for p in text_pages)
    main_text = (
        truncate(main_text, MAIN_TEXT_LIMIT) if len(main_text) > MAIN_TEXT_LIMIT else main_text
    )
    language = next((p.language for p in text_pages if p.language), None)
    if language is None and home is not None:
        language = home.lang_attr

    socials = pick_social_links(s for p in pages for s in p.social)
    site_host = urlsplit(site).hostname if site else None
    emails = pick_emails((e for p in pages for e in p.emails), site_host)

    schema_addresses = [p.schema_address for p in pages if p.schema_address]
    # a schema.org address without postcode or locality (one unsplittable string) comes
    # after the addresses read from imprint/contact pages
    address = next((a for a in schema_addresses if a.locality or a.postal_code), None)
    if address is None:
        by_kind = {"imprint": 0, "contact": 1, "about": 2, "home": 3}
        text_pages_addr = sorted(
            (p for p in pages if p.text_address), key=lambda p: by_kind.get(p.kind, 4)
        )
        address = text_pages_addr[0].text_address if text_pages_addr else None
    if address is None and schema_addresses:
        address = schema_addresses[0]
    city = country = address_text = None
    if address is not None:
        try:
            resolved = resolve_address(address)
        except Exception as exc:  # the gazetteer must never cost the profile
            logger.debug("resolve_address failed for %r: %s", address.text, exc)
            resolved = address
        address_text, city, country = resolved.text or None, resolved.city, resolved.country

    outlinks: list[str] = []
    own = site_key(site) if site else None
    for page in pages:
        for out in page.outlinks:
            if out not in outlinks and site_key(out) != own:
                outlinks.append(out)
    outlinks = sorted(outlinks)[:MAX_OUTLINKS]

    dates = [d for p in pages for d in p.dates]
    last = max(dates) if dates else None
    copyright_year = max((p.copyright_year for p in pages if p.copyright_year), default=None)
    score = liveliness(
        LivelinessInput(
            reachable=outcome.reachable and bool(pages),
            last_updated=last,
            copyright_year=copyright_year,
            pages_ok=outcome.pages_ok,
            pages_tried=outcome.pages_tried,
        ),
        now.date(),
    )
    visited = [p.url for p in pages]
    return WebsiteProfile(
        source=outcome.source,
        url=home_url,
        site=site,
        title=title,
        description=description,
        name=name,
        main_text=main_text,
        language=language,
        social_links=socials,
        emails=emails,
        address=address_text,
        city=city,
        country=country,
        outlinks=outlinks,
        last_updated=last.isoformat() if last else None,
        rendered_with_browser=outcome.rendered,
        liveliness=score,
        pages=visited,
        warnings=warnings,
        raw={
            "copyright_year": copyright_year,
            "pages_tried": outcome.pages_tried,
            "pages_ok": outcome.pages_ok,
            "kinds": {p.url: p.kind for p in pages},
            # how each text page's main text was read (trafilatura, state:__NEXT_DATA__ ...)
            "text_sources": {p.url: p.text_source for p in pages if p.text_source},
        },
    )
