"""Kinds of pages on an organisation's site, told by URL and anchor text.

:func:`link_kind` names the page a same-site link leads to: ``about``, ``imprint``,
``contact``, ``projects``, ``team``, ``news`` (words in the main European languages, accents
folded) or ``lang`` for a language home such as ``/de/``. :data:`KIND_RANK` orders the pages to
fetch, :data:`KIND_LIMITS` caps them per site and :data:`TEXT_KINDS` are the pages whose main
text goes into the profile.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from crawler.text import fold_accents

__all__ = ["KIND_LIMITS", "KIND_RANK", "TEXT_KINDS", "link_kind"]

_LANG_ROOT_RE = re.compile(r"^/[a-z]{2}(?:[-_][a-zA-Z]{2})?/?$")

#: Words (in URL path segments or anchor texts, accent-folded, lower case) naming page kinds.
_KIND_WORDS: dict[str, tuple[str, ...]] = {
    "imprint": (
        "impressum",
        "imprint",
        "legal notice",
        "legal-notice",
        "legalnotice",
        "legal",
        "mentions legales",
        "mentions-legales",
        "mentionslegales",
        "aviso legal",
        "aviso-legal",
        "avisolegal",
        "nota legal",
        "nota-legal",
        "note legali",
        "note-legali",
        "colofon",
        "colophon",
        "stopka redakcyjna",
        "informacion legal",
        "informacoes legais",
        "anbieterkennzeichnung",
        "offenlegung",
        "rechtliches",
        "juridisch",
        "kolofon",
        "tiraz",
        "redaktion",
    ),
    "about": (
        "about",
        "about us",
        "about-us",
        "aboutus",
        "who we are",
        "who-we-are",
        "ueber uns",
        "ueber-uns",
        "uber uns",
        "uber-uns",
        "ueberuns",
        "wir",
        "wer wir sind",
        "wer-wir-sind",
        "verein",
        "qui sommes nous",
        "qui-sommes-nous",
        "a propos",
        "a-propos",
        "apropos",
        "quienes somos",
        "quienes-somos",
        "sobre nosotros",
        "sobre-nosotros",
        "nosotros",
        "chi siamo",
        "chi-siamo",
        "over ons",
        "over-ons",
        "overons",
        "wie zijn wij",
        "wie-zijn-wij",
        "o nas",
        "o-nas",
        "onas",
        "om oss",
        "om-oss",
        "omoss",
        "om os",
        "om-os",
        "om oss",
        "sobre",
        "sobre nos",
        "sobre-nos",
        "quem somos",
        "quem-somos",
        "mission",
        "organisation",
        "organization",
        "the association",
        "association",
        "l association",
        "stiftung",
        "fundacion",
        "fondation",
        "fondazione",
        "stichting",
        "our story",
        "o-nas",
        "o nás",
        "meista",
        "tietoa meista",
        "rolunk",
        "despre noi",
        "om",
    ),
    "contact": (
        "contact",
        "contact us",
        "contact-us",
        "contactus",
        "contacts",
        "kontakt",
        "kontakty",
        "contacto",
        "contactanos",
        "contatti",
        "contatto",
        "contactez nous",
        "contactez-nous",
        "nous contacter",
        "kontakta oss",
        "kontakta",
        "yhteystiedot",
        "get in touch",
        "get-in-touch",
        "anfahrt",
        "so finden sie uns",
        "where to find us",
        "kontaktai",
        "contactos",
    ),
    "projects": (
        "projects",
        "project",
        "projekte",
        "projekt",
        "projets",
        "projet",
        "proyectos",
        "proyecto",
        "progetti",
        "progetto",
        "projecten",
        "project",
        "projekty",
        "projektit",
        "projetos",
        "our work",
        "our-work",
        "unsere arbeit",
        "what we do",
        "what-we-do",
        "was wir tun",
        "programmes",
        "programs",
        "initiatives",
        "portfolio",
        "work",
        "activities",
        "aktivitaten",
        "activites",
        "actividades",
        "attivita",
        "activiteiten",
        "dzialania",
        "verksamhet",
    ),
    "team": (
        "team",
        "our team",
        "unser team",
        "people",
        "staff",
        "mitarbeiter",
        "equipe",
        "l equipe",
        "notre equipe",
        "equipo",
        "nuestro equipo",
        "squadra",
        "il team",
        "medewerkers",
        "ons team",
        "zespol",
        "nasz zespol",
        "personal",
        "personeel",
        "board",
        "vorstand",
        "members",
        "mitglieder",
        "membres",
        "miembros",
        "leden",
    ),
    "news": (
        "news",
        "blog",
        "aktuelles",
        "neuigkeiten",
        "actualites",
        "actualite",
        "nouvelles",
        "noticias",
        "novedades",
        "notizie",
        "novita",
        "nieuws",
        "actueel",
        "aktualnosci",
        "nyheter",
        "uutiset",
        "press",
        "presse",
        "journal",
        "updates",
    ),
}
#: Lower ranks are fetched first.
KIND_RANK: dict[str, int] = {
    "seed": -1,
    "about": 0,
    "imprint": 1,
    "contact": 2,
    "lang": 3,
    "projects": 4,
    "team": 5,
    "news": 6,
}
#: At most this many pages of each kind per site.
KIND_LIMITS: dict[str, int] = {
    "seed": 1,
    "about": 2,
    "imprint": 1,
    "contact": 1,
    "lang": 1,
    "projects": 2,
    "team": 1,
    "news": 1,
}
#: Pages whose main text goes into the profile.
TEXT_KINDS = frozenset({"home", "about", "lang", "seed"})

_KIND_INDEX: dict[str, str] = {}
for _kind in ("imprint", "contact", "about", "team", "projects", "news"):
    for _word in _KIND_WORDS[_kind]:
        _KIND_INDEX.setdefault(_word, _kind)
_SEGMENT_SPLIT_RE = re.compile(r"[\s_\-.+]+")


def _fold(text: str) -> str:
    folded = fold_accents(text).replace("&", " ")
    return re.sub(r"[^\w\s\-]+", " ", folded).strip()


def _kind_of_phrase(phrase: str) -> str | None:
    folded = _fold(phrase)
    if not folded or len(folded) > 40:
        return None
    if folded in _KIND_INDEX:
        return _KIND_INDEX[folded]
    spaced = _SEGMENT_SPLIT_RE.sub(" ", folded)
    if spaced in _KIND_INDEX:
        return _KIND_INDEX[spaced]
    # a short phrase made of a kind word plus filler ("Über uns", "Our projects")
    words = spaced.split()
    if len(words) <= 3:
        for word in words:
            kind = _KIND_INDEX.get(word)
            if kind is not None and word not in ("wir", "om", "sobre", "work", "legal"):
                return kind
    return None


def link_kind(url: str, anchor: str = "") -> str | None:
    """The kind of page a same-site link leads to (``about``, ``imprint``, ``contact``,
    ``projects``, ``team``, ``news``, ``lang`` for a language home such as ``/de/``), or None."""
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return None
    if _LANG_ROOT_RE.match(path):
        return "lang"
    segments = [s for s in path.split("/") if s]
    # the last meaningful segment names the page (/de/ueber-uns/, /about/team.html)
    for segment in reversed(segments[-2:]):
        stem = segment.rsplit(".", 1)[0] if "." in segment else segment
        kind = _kind_of_phrase(stem)
        if kind is not None:
            return kind
    if anchor:
        return _kind_of_phrase(anchor)
    return None
