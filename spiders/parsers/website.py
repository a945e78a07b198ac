"""Organisation websites: one page -> :class:`PageFacts`; the facts of a site's pages -> one
:class:`~crawler.items.WebsiteProfile`.

Pure functions (no Scrapy): the spider routes requests, this module reads pages.

Per page (:func:`extract_page`) the HTML is parsed once with lxml, and that one tree serves
everything (text via :func:`spiders.parsers.text.tree_to_text`, which does not change it). From
it come the head (title, meta/OpenGraph description and site name, canonical, ``lang``), the
links (same-site links classified as about/team/projects/contact/imprint/news pages by URL and
anchor text in the main European languages; external sites; social profiles, fediverse
handles written as text; ``mailto:`` and Cloudflare-protected e-mails), dates (``<time>``,
``article:modified_time``, "last updated" lines, news dates), the copyright year, a postal
address and whether the page is an empty JavaScript shell that needs a browser. Structured
data comes from :mod:`spiders.parsers.structured` (JSON-LD by ``json.loads`` with repairs,
microdata only when ``itemscope`` is present, parsed by extruct; RDFa is never read: too slow
for what it adds here).

The main text is extracted only for pages whose text the profile keeps (home, about, language
and seed pages): the page's marked main region (``<main>``, ``role="main"``, a single
``<article>``) without navigation and banners when it has one, else trafilatura (the costly
step, last because it prunes the tree); a JavaScript shell's text comes from its inline state
(``__NEXT_DATA__`` ...). How each page's text was read is kept in the profile's
``raw["text_sources"]``. The language is detected from the text (the ``lang`` attribute is only
a hint for very short texts: templates often say ``en`` on pages in another language).

Per site (:func:`build_profile`) the facts are merged: name from schema.org Organization >
``og:site_name`` > schema.org WebSite > title heuristics; description from the home page;
addresses preferring a structured schema.org one, then imprint/contact pages (an unsplittable
schema.org address string comes last); social links one per platform, LinkedIn member
profiles (``/in/``) left out; liveliness per
:mod:`spiders.parsers.liveliness`.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree
from lxml import html as lxml_html

from crawler.items import WebsiteProfile
from spiders.parsers.contact import (
    Address,
    address_from_lines,
    address_from_schema,
    cfemail_from_href,
    decode_cfemail,
    emails_from_mailto,
    emails_from_text,
    pick_emails,
    resolve_address,
)
from spiders.parsers.dates import parse_date
from spiders.parsers.language import detect_language, normalise_language_code
from spiders.parsers.liveliness import LivelinessInput, liveliness
from spiders.parsers.social import (
    SocialLink,
    classify_social,
    is_social_host,
    mastodon_handles_in_text,
    pick_social_links,
)
from spiders.parsers.structured import extract_structured, node_types
from spiders.parsers.text import clean_text, tree_to_text, truncate

logger = logging.getLogger(__name__)

__all__ = [
    "KIND_LIMITS",
    "KIND_RANK",
    "Link",
    "PageFacts",
    "SiteOutcome",
    "build_profile",
    "canonical_url",
    "extract_page",
    "link_kind",
    "origin",
    "site_key",
    "trap_reason",
]

#: Characters of main text kept per profile.
MAIN_TEXT_LIMIT = 20_000
#: Longest URL followed (longer ones are traps or tracking junk).
MAX_URL_LENGTH = 300
#: Outlinks kept per profile.
MAX_OUTLINKS = 200
#: Below this many characters of visible text a page with scripts is a JavaScript shell.
JS_TEXT_THRESHOLD = 250
#: Characters of main text the language is detected from (langdetect was 70% of a page's cost
#: at its default 2,000).
LANGUAGE_SAMPLE = 600
#: A marked main region (``<main>``) with at least this much text is the page's main text
#: (trafilatura, about ten times costlier, runs only on pages without one).
MIN_MARKED_MAIN_TEXT = 200
#: Characters of inline-state text that make a JavaScript contact/imprint page readable
#: without a browser.
STATE_MIN_CONTACT_TEXT = 40
#: Dates found in running text that are tried per page (parse_date can be slow on odd input).
MAX_TEXT_DATES = 25
#: Plausible dates on a site start here (older ones are history, not activity).
MIN_DATE = date(1995, 1, 1)

# --- URLs ----------------------------------------------------------------------------------

_DEFAULT_PORTS = {"http": 80, "https": 443}
#: Query parameters that never change a page: sessions and click tracking.
_DROP_PARAMS_RE = re.compile(
    r"^(?:utm_\w+|fbclid|gclid|dclid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl|_hs\w+|"
    r"phpsessid|jsessionid|aspsessionid\w*|sessionid|session_id|sid|sessid|cfid|cftoken|"
    r"ref|ref_src|source|share|replytocom|wt\.\w+|pk_\w+|mtm_\w+|s_kwcid|trk|ved|ei)$",
    re.IGNORECASE,
)
_PATH_SESSION_RE = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)
_SKIP_EXTENSIONS = frozenset(
    {
        "pdf",
        "doc",
        "docx",
        "xls",
        "xlsx",
        "ppt",
        "pptx",
        "odt",
        "ods",
        "odp",
        "rtf",
        "csv",
        "zip",
        "gz",
        "tgz",
        "rar",
        "7z",
        "tar",
        "jpg",
        "jpeg",
        "png",
        "gif",
        "svg",
        "webp",
        "avif",
        "ico",
        "bmp",
        "tif",
        "tiff",
        "mp3",
        "mp4",
        "m4a",
        "wav",
        "ogg",
        "webm",
        "avi",
        "mov",
        "mkv",
        "css",
        "js",
        "mjs",
        "json",
        "xml",
        "rss",
        "atom",
        "ics",
        "ical",
        "vcf",
        "exe",
        "dmg",
        "apk",
        "woff",
        "woff2",
        "ttf",
        "eot",
        "epub",
        "txt",
    }
)
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
_LANG_ROOT_RE = re.compile(r"^/[a-z]{2}(?:[-_][a-zA-Z]{2})?/?$")


def _host_port(url: str) -> tuple[str, str, int | None] | None:
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    if port == _DEFAULT_PORTS[scheme]:
        port = None
    return scheme, host, port


def site_key(url: str) -> str | None:
    """The identity of a site: host without ``www.``, plus a non-default port.

    ``http://www.Example.org/about`` and ``https://example.org`` are one site
    (``"example.org"``); ``http://127.0.0.1:8001`` and ``:8002`` are two.
    """
    hp = _host_port(url)
    if hp is None:
        return None
    _, host, port = hp
    if host.startswith("www."):
        host = host[4:]
    return f"{host}:{port}" if port else host


def origin(url: str) -> str | None:
    """``scheme://host[:port]`` (lower case, default port dropped)."""
    hp = _host_port(url)
    if hp is None:
        return None
    scheme, host, port = hp
    if ":" in host:  # IPv6
        host = f"[{host}]"
    return f"{scheme}://{host}:{port}" if port else f"{scheme}://{host}"


def canonical_url(url: str) -> str | None:
    """A URL in one spelling: lower-case scheme/host, no default port, no fragment, no session
    or tracking parameters, remaining query sorted; None for non-http(s) URLs."""
    hp = _host_port(url)
    if hp is None:
        return None
    scheme, host, port = hp
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    netloc = f"[{host}]" if ":" in host else host
    if port:
        netloc = f"{netloc}:{port}"
    path = _PATH_SESSION_RE.sub("", parts.path) or "/"
    path = re.sub(r"/{2,}", "/", path)
    path = quote(unquote(path), safe="/%:@!$&'()*+,;=-._~")
    query_pairs = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not _DROP_PARAMS_RE.match(k)
    ]
    query = urlencode(sorted(query_pairs), doseq=True)
    return urlunsplit((scheme, netloc, path, query, ""))


def trap_reason(url: str) -> str | None:
    """Why a same-site URL should not be followed (``"too_long"``, ``"calendar"``,
    ``"file"``, ``"deep_path"``, ``"repeating_path"``, ``"query"``), or None."""
    if len(url) > MAX_URL_LENGTH:
        return "too_long"
    parts = urlsplit(url)
    path = parts.path
    last = path.rsplit("/", 1)[-1]
    if "." in last and last.rsplit(".", 1)[-1].lower() in _SKIP_EXTENSIONS:
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


# --- page kinds ----------------------------------------------------------------------------

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
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    folded = folded.replace("ł", "l").replace("ß", "ss").replace("&", " ")
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


# --- page facts ----------------------------------------------------------------------------


@dataclass(slots=True)
class Link:
    """A same-site link worth following."""

    url: str
    kind: str


@dataclass(slots=True, kw_only=True)
class PageFacts:
    """What one page says about its site."""

    url: str
    kind: str = "home"
    lang_attr: str | None = None
    title: str | None = None
    description: str | None = None
    og_description: str | None = None
    og_site_name: str | None = None
    og_title: str | None = None
    canonical: str | None = None
    #: (score, name, description) of schema.org organisations on the page.
    organizations: list[tuple[int, str, str | None]] = field(default_factory=list)
    website_name: str | None = None
    schema_address: Address | None = None
    text_address: Address | None = None
    emails: list[str] = field(default_factory=list)
    social: list[SocialLink] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    outlinks: list[str] = field(default_factory=list)
    dates: list[date] = field(default_factory=list)
    copyright_year: int | None = None
    main_text: str = ""
    text_length: int = 0
    language: str | None = None
    needs_js: bool = False
    #: The page is a JavaScript shell whose inline state (``__NEXT_DATA__`` ...) held enough
    #: text: read from there, no browser needed.
    state_text: bool = False
    #: How the main text was obtained: ``trafilatura``, ``visible_text``,
    #: ``state:__NEXT_DATA__`` (inline state of a JavaScript page), ``browser+trafilatura``.
    text_source: str | None = None
    rendered: bool = False
    warnings: list[str] = field(default_factory=list)
    #: Stat keys of problems (``jsonld_unreadable``, ``unparseable`` ...).
    problems: list[str] = field(default_factory=list)


_PARSER = lxml_html.HTMLParser(
    encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
)
_TITLE_SPLIT_RE = re.compile(r"\s+[|–—\-:·•»/]\s+|\s*[|·•»]\s*")
_GENERIC_TITLE_RE = re.compile(
    r"^(?:home|homepage|home page|start|startseite|accueil|page d'accueil|inicio|portada|"
    r"home ?page|pagina principale|benvenuti|welkom|strona glowna|strona główna|startsida|"
    r"hjem|forside|etusivu|welcome|willkommen|bienvenue|bienvenido|bienvenidos|index|"
    r"main page|начало)$",
    re.IGNORECASE,
)
_WELCOME_RE = re.compile(
    r"^(?:welcome to|willkommen bei|willkommen auf|bienvenue (?:chez|sur|à)|bienvenid[oa]s? a|"
    r"benvenut[io] (?:su|a|in)|welkom bij|welkom op|witamy w|välkommen till)\s+",
    re.IGNORECASE,
)
_ORG_TYPES = frozenset(
    {
        "Organization",
        "NGO",
        "NonprofitOrganization",
        "Corporation",
        "GovernmentOrganization",
        "EducationalOrganization",
        "LocalBusiness",
        "ResearchOrganization",
        "Project",
        "ResearchProject",
        "FundingScheme",
        "CollegeOrUniversity",
        "Consortium",
        "OnlineBusiness",
        "NewsMediaOrganization",
        "SportsOrganization",
        "PerformingGroup",
        "MedicalOrganization",
        "Library",
        "WorkersUnion",
        "PoliticalParty",
        "Cooperative",
        "Foundation",
        "ProfessionalService",
        "Airline",
        "LibrarySystem",
        "SearchRescueOrganization",
    }
)
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
_DATE_META = (
    "article:modified_time",
    "article:published_time",
    "og:updated_time",
    "last-modified",
    "dcterms.modified",
    "dc.date.modified",
    "dcterms.date",
    "dc.date",
    "date",
    "revised",
    "modified",
    "datemodified",
    "datepublished",
)
_APP_ROOT_XPATH = (
    "//*[@id='app' or @id='root' or @id='__next' or @id='__nuxt' or @id='svelte' or "
    "@id='ember-application' or @id='app-root' or @id='main-app' or @data-reactroot or "
    "@ng-version or @ng-app or @data-server-rendered or @data-v-app][not(self::html)]"
    " | //app-root"
)
_STATE_SCRIPT_RE = re.compile(
    r"__NEXT_DATA__|__NUXT__|__INITIAL_STATE__|__PRELOADED_STATE__|__APOLLO_STATE__|"
    r"__APP_STATE__|__STATE__|window\.__data|__REDUX_STATE__|__INITIAL_PROPS__",
)
_ISO_DATE_RE = re.compile(r"^(?:19|20)\d\d-[01]\d-[0-3]\d(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?$")
_STATE_ASSIGN_RE = re.compile(r"=\s*(?=[{\[])")
_MAX_STATE_STRINGS = 300
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")


def _first(tree: Any, xpath: str) -> str | None:
    try:
        values = tree.xpath(xpath)
    except (etree.XPathError, ValueError):
        return None
    for value in values:
        text = clean_text(str(value))
        if text:
            return text
    return None


def _meta(tree: Any, *names: str) -> str | None:
    for name in names:
        value = _first(
            tree,
            f"//meta[translate(@property,'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')"
            f"='{name}' or translate(@name,'ABCDEFGHIJKLMNOPQRSTUVWXYZ',"
            f"'abcdefghijklmnopqrstuvwxyz')='{name}' or "
            f"translate(@itemprop,'ABCDEFGHIJKLMNOPQRSTUVWXYZ','abcdefghijklmnopqrstuvwxyz')"
            f"='{name}']/@content",
        )
        if value:
            return value
    return None


def _schema_str(value: Any) -> str:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        for v in value:
            s = _schema_str(v)
            if s:
                return s
    if isinstance(value, Mapping):
        return _schema_str(value.get("@value") or value.get("name"))
    return ""


def _iter_values(value: Any) -> Iterable[Any]:
    if isinstance(value, list):
        yield from value
    elif value is not None:
        yield value


def _walk_nodes(value: Any, depth: int = 0) -> Iterable[dict[str, Any]]:
    if depth > 8:
        return
    if isinstance(value, list):
        for v in value:
            yield from _walk_nodes(v, depth + 1)
    elif isinstance(value, dict):
        yield value
        for k, v in value.items():
            if k != "@context" and isinstance(v, dict | list):
                yield from _walk_nodes(v, depth + 1)


def _read_structured(
    html: str, url: str, facts: PageFacts, skey: str | None, now: datetime
) -> None:
    extraction = extract_structured(html, url, syntaxes=("json-ld", "microdata"))
    for problem in extraction.problems:
        facts.problems.append(problem)
        if problem == "jsonld_unreadable":
            facts.warnings.append(f"unreadable JSON-LD on {url}")
        elif problem == "jsonld_repaired":
            facts.warnings.append(f"broken JSON-LD repaired on {url}")
    for syntax, top in extraction.nodes:
        for node in _walk_nodes(top):
            types = node_types(node)
            for key in ("dateModified", "datePublished", "uploadDate"):
                if isinstance(node.get(key), str):
                    found = _plausible(parse_date(node[key], now=now), now)
                    if found:
                        facts.dates.append(found)
            if "PostalAddress" in types and facts.schema_address is None:
                facts.schema_address = address_from_schema(node)
            if "WebSite" in types and not facts.website_name:
                facts.website_name = _schema_str(node.get("name")) or None
            if not types & _ORG_TYPES:
                continue
            name = _schema_str(node.get("name")) or _schema_str(node.get("legalName"))
            if name:
                score = 0
                node_url = _schema_str(node.get("url"))
                if node_url and skey and site_key(urljoin(url, node_url)) == skey:
                    score += 2
                if node is top:
                    score += 1
                if syntax == "json-ld":
                    score += 1
                desc = _schema_str(node.get("description")) or None
                facts.organizations.append((score, name, desc))
            for email in _iter_values(node.get("email")):
                if isinstance(email, str):
                    facts.emails.extend(
                        emails_from_mailto("mailto:" + email.removeprefix("mailto:"))
                    )
            for same_as in _iter_values(node.get("sameAs")):
                if isinstance(same_as, str):
                    link = classify_social(same_as)
                    if link is not None:
                        facts.social.extend([link, link])  # the organisation's own: weigh more
            address = node.get("address")
            if facts.schema_address is None:
                if isinstance(address, dict):
                    facts.schema_address = address_from_schema(address)
                elif isinstance(address, str) and address.strip():
                    facts.schema_address = _address_from_string(address)


def _address_from_string(address: str) -> Address:
    """A schema.org ``address`` given as one string ("Street 1, 12345 City" or one part per
    line); an address that cannot be split keeps only its text (then an imprint's wins)."""
    by_line = [clean_text(x) for x in address.splitlines() if clean_text(x)]
    parts = [p.strip() for p in address.replace("\n", ",").split(",") if p.strip()]
    for lines in (by_line, [", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts):
        found = address_from_lines(lines, in_address_element=True)
        if found is not None:
            return found
    return Address(text=", ".join(parts))


def _plausible(value: date | None, now: datetime) -> date | None:
    if value is None or value < MIN_DATE or value > now.date() + timedelta(days=1):
        return None
    return value


def _state_strings(tree: Any) -> tuple[list[str], list[str], list[str]]:
    """Text-like strings, URLs and ISO dates (``updatedAt``) in inline JSON state
    (``__NEXT_DATA__``, ``window.X = {}``) of a JavaScript page."""
    texts: list[str] = []
    urls: list[str] = []
    dates: list[str] = []
    decoder = json.JSONDecoder(strict=False)
    for script in tree.xpath("//script[not(@src)]"):
        body = script.text or ""
        stype = (script.get("type") or "").lower()
        if not body.strip() or "ld+json" in stype:
            continue
        values: list[Any] = []
        if "json" in stype:
            try:
                values.append(decoder.decode(body.strip()))
            except ValueError:
                continue
        elif _STATE_SCRIPT_RE.search(body) or "window." in body:
            for match in _STATE_ASSIGN_RE.finditer(body):
                try:
                    value, _ = decoder.raw_decode(body, match.end())
                except ValueError:
                    continue
                values.append(value)
        stack = list(values)
        while stack and len(texts) + len(urls) < _MAX_STATE_STRINGS:
            value = stack.pop(0)
            if isinstance(value, dict):
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, str):
                s = value.strip()
                if re.match(r"^(?:https?:)?//|^mailto:|^/[^\s]*$", s):
                    urls.append(s)
                elif _ISO_DATE_RE.match(s):
                    if len(dates) < MAX_TEXT_DATES:
                        dates.append(s)
                elif "<" in s and ">" in s:
                    from spiders.parsers.text import html_to_text

                    s = html_to_text(s)
                    if s:
                        texts.append(s)
                elif " " in s and re.search(r"[^\W\d_]{2}", s):
                    texts.append(clean_text(s))
    return texts, urls, dates


def _visible_lines(tree: Any) -> list[str]:
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


def _main_text(tree: Any, fallback_lines: list[str]) -> tuple[str, str]:
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


def _read_links(tree: Any, base: str, facts: PageFacts, skey: str | None) -> None:
    seen_links: set[str] = set()
    seen_out: set[str] = set()
    for element in tree.iter("a", "area", "link"):
        href = (element.get("href") or "").strip()
        if not href:
            continue
        rel = (element.get("rel") or "").lower().split()
        if element.tag == "link" and "me" not in rel:
            continue
        low = href[:12].lower()
        if low.startswith("mailto:"):
            facts.emails.extend(emails_from_mailto(href))
            continue
        if "email-protection" in href:
            email = cfemail_from_href(href)
            if email:
                facts.emails.append(email)
            continue
        if low.startswith(("tel:", "javascript:", "#", "data:", "sms:", "callto:", "fax:")):
            continue
        try:
            absolute = urljoin(base, href)
        except ValueError:
            continue
        social = classify_social(absolute, rel_me="me" in rel)
        if social is not None:
            facts.social.append(social)
            continue
        key = site_key(absolute)
        if key is None or element.tag == "link":
            continue
        if key == skey:
            canon = canonical_url(absolute)
            if canon is None or canon in seen_links:
                continue
            seen_links.add(canon)
            anchor = ""
            if element.tag == "a":
                anchor = clean_text(element.text_content())[:60]
                if not anchor:
                    anchor = clean_text(element.get("title") or element.get("aria-label") or "")
            kind = link_kind(canon, anchor)
            if kind is not None:
                facts.links.append(Link(canon, kind))
            continue
        try:
            host = urlsplit(absolute).hostname
        except ValueError:
            continue
        if is_social_host(host):
            continue
        out = origin(absolute)
        if out and out not in seen_out:
            seen_out.add(out)
            facts.outlinks.append(out)


def _read_dates(
    tree: Any, lines: list[str], facts: PageFacts, now: datetime, language: str | None
) -> None:
    for value in tree.xpath("//time/@datetime"):
        found = _plausible(parse_date(str(value)[:40], now=now), now)
        if found:
            facts.dates.append(found)
    for name in _DATE_META:
        value = _meta(tree, name)
        if value:
            found = _plausible(parse_date(value[:40], now=now), now)
            if found:
                facts.dates.append(found)
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
            found = _plausible(parse_date(candidate, now=now, languages=languages), now)
            if found:
                facts.dates.append(found)


def _copyright_year(lines: list[str], now: datetime) -> int | None:
    best: int | None = None
    for line in lines:
        if len(line) > 300:
            continue
        for match in _COPYRIGHT_RE.finditer(line):
            year = int(match.group(1))
            if 1995 <= year <= now.year and (best is None or year > best):
                best = year
    return best


def _state_kind(html: str) -> str:
    """``state:__NEXT_DATA__`` etc.: which inline state a page's text was read from."""
    match = _STATE_SCRIPT_RE.search(html)
    return f"state:{match.group(0)}" if match else "state:json"


def _js_markers(tree: Any, scripts: int, html: str) -> bool:
    """Whether the page looks like a JavaScript application shell (checked before the text is
    measured: an app root, inline state, a ``<noscript>`` asking for JavaScript, or a body of
    a few elements)."""
    if scripts == 0:
        return False
    try:
        if tree.xpath(_APP_ROOT_XPATH):
            return True
    except (etree.XPathError, ValueError):
        pass
    if _STATE_SCRIPT_RE.search(html):
        return True
    for noscript in tree.iter("noscript"):
        if "javascript" in (noscript.text_content() or "").lower():
            return True
    body = tree.find("body")
    elements = sum(1 for _ in body.iter()) if body is not None else 0
    return elements < 25


def _read_state(
    tree: Any, url: str, skey: str | None, facts: PageFacts, now: datetime
) -> list[str]:
    """Text, links, dates and e-mails from the inline JSON state of a JavaScript shell."""
    texts, urls, dates = _state_strings(tree)
    for value in dates:
        found = _plausible(parse_date(value[:40], now=now), now)
        if found:
            facts.dates.append(found)
    for raw in urls:
        if raw.lower().startswith("mailto:"):
            facts.emails.extend(emails_from_mailto(raw))
            continue
        try:
            absolute = urljoin(url, raw)
            host = urlsplit(absolute).hostname
        except ValueError:
            continue
        link = classify_social(absolute)
        if link is not None:
            facts.social.append(link)
            continue
        key = site_key(absolute)
        if key is None:
            continue
        if key == skey:
            canon = canonical_url(absolute)
            kind = link_kind(canon) if canon else None
            if canon and kind:
                facts.links.append(Link(canon, kind))
        elif not is_social_host(host):
            out = origin(absolute)
            if out and out not in facts.outlinks:
                facts.outlinks.append(out)
    return texts


def parse_html(html: str) -> Any:
    """An lxml tree of the page, or None when there is nothing to parse."""
    if not html or not html.strip():
        return None
    html = _CONTROL_RE.sub("", html)
    try:
        return lxml_html.document_fromstring(html.encode("utf-8", "replace"), parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


def extract_page(
    html: str,
    url: str,
    *,
    kind: str = "home",
    want_text: bool = False,
    rendered: bool = False,
    now: datetime | None = None,
) -> PageFacts:
    """Facts of one HTML page (never raises; problems go to ``warnings``/``problems``)."""
    try:
        return _extract_page(html, url, kind=kind, want_text=want_text, rendered=rendered, now=now)
    except Exception as exc:  # last line of defence: one page never costs the site
        logger.warning("website: extraction failed on %s: %s", url, exc, exc_info=True)
        failed = PageFacts(url=url, kind=kind, rendered=rendered)
        failed.problems.append("extraction_failed")
        failed.warnings.append(f"page could not be read ({type(exc).__name__}): {url}")
        return failed


def _extract_page(
    html: str, url: str, *, kind: str, want_text: bool, rendered: bool, now: datetime | None
) -> PageFacts:
    now = now or datetime.now()
    if now.tzinfo is not None:
        now = now.replace(tzinfo=None)
    facts = PageFacts(url=url, kind=kind, rendered=rendered)
    tree = parse_html(html)
    if tree is None:
        facts.problems.append("unparseable")
        facts.warnings.append(f"page could not be parsed: {url}")
        return facts
    skey = site_key(url)
    base = _first(tree, "//base/@href") or url
    try:
        base = urljoin(url, base)
    except ValueError:
        base = url
    lang = _first(tree, "/html/@lang | /html/@xml:lang")
    facts.lang_attr = normalise_language_code(lang)
    facts.title = _first(tree, "//head/title/text() | //title/text()")
    facts.description = _meta(tree, "description", "dc.description", "dcterms.description")
    facts.og_description = _meta(tree, "og:description", "twitter:description")
    facts.og_site_name = _meta(
        tree, "og:site_name", "application-name", "apple-mobile-web-app-title"
    )
    facts.og_title = _meta(tree, "og:title", "twitter:title")
    canonical = _first(tree, "//link[translate(@rel,'CANONIL','canonil')='canonical']/@href")
    if canonical:
        absolute = canonical_url(urljoin(url, canonical))
        if absolute and site_key(absolute) == skey:
            facts.canonical = absolute
    try:
        _read_structured(html, url, facts, skey, now)
    except Exception as exc:  # structured data must never cost the page
        logger.debug("structured data failed on %s: %s", url, exc)
        facts.problems.append("structured_failed")
    _read_links(tree, base, facts, skey)
    for span in tree.xpath("//*[@data-cfemail]"):
        email = decode_cfemail(span.get("data-cfemail") or "")
        if email:
            facts.emails.append(email)
    scripts = len(tree.xpath("//script"))
    js_shell = not rendered and _js_markers(tree, scripts, html)
    lines = _visible_lines(tree)
    facts.text_length = sum(len(line) for line in lines)
    facts.needs_js = js_shell and facts.text_length < JS_TEXT_THRESHOLD
    state_texts: list[str] = []
    if facts.needs_js:
        state_texts = _read_state(tree, url, skey, facts, now)
        state_length = sum(len(t) for t in state_texts)
        # a contact or imprint page needs a few lines (an address), a text page a real text
        if state_length >= (JS_TEXT_THRESHOLD if want_text else STATE_MIN_CONTACT_TEXT):
            # the page's own state says enough: no browser needed
            facts.state_text = True
            facts.text_source = _state_kind(html)
        lines = lines + [ln for t in state_texts for ln in t.split("\n")]
    text_blob = "\n".join(lines)
    facts.emails.extend(emails_from_text(text_blob))
    facts.social.extend(mastodon_handles_in_text(text_blob))
    _read_dates(tree, lines, facts, now, facts.lang_attr)
    facts.copyright_year = _copyright_year(lines, now)
    for element in tree.iter("address"):
        block_lines = [ln for ln in tree_to_text(element).split("\n") if ln]
        found = address_from_lines(block_lines, in_address_element=True)
        if found is not None:
            facts.text_address = found
            break
    if facts.text_address is None:
        facts.text_address = address_from_lines(lines)
    if want_text:
        if state_texts:
            facts.main_text = text_blob
            facts.text_source = facts.text_source or _state_kind(html)
        elif rendered:
            facts.main_text, how = _main_text(tree, lines)  # last: trafilatura prunes the tree
            facts.text_source = f"browser+{how}"
        else:
            facts.main_text, facts.text_source = _main_text(tree, lines)
        # a page's language shows in its first lines; langdetect's cost grows with the sample
        facts.language = detect_language(facts.main_text[:LANGUAGE_SAMPLE], hint=facts.lang_attr)
    return facts


# --- one profile per site ------------------------------------------------------------------


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


def name_from_titles(home_title: str | None, other_titles: Iterable[str]) -> str | None:
    """The site's name from page titles: the part every page title repeats ("About | Name"),
    else the home title without "Home"/"Welcome to", else its shortest part."""
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
        name = name_from_titles(home_title, (p.title or "" for p in pages[1:]))

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
