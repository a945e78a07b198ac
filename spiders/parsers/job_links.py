"""Where to go from a jobs page: pagination and links to job adverts.

:func:`page_links` classifies a page's links: pagination (``rel=next``, "next"/"weiter"/
"suivant" links, ``?page=N+1``, "load more" buttons) and same-site advert links, which
:func:`is_job_url` recognises by path words in the main European languages.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from crawler.text import element_text
from spiders.parsers.limits import MAX_LINKS_PER_PAGE, capped
from spiders.parsers.site_urls import is_file_path

__all__ = ["JOB_PATH_RE", "PageLinks", "is_job_url", "page_links", "same_site"]

#: Path words of advert pages and careers sections (many languages).
JOB_PATH_RE = re.compile(
    r"/(?:jobs?|careers?|vacanc(?:y|ies)|vacatures?|vagas?|stellen(?:angebote?|anzeigen?)?|"
    r"stelle|karriere|emplois?|offres?(?:-d-emploi)?|empleos?|ofertas?(?:-de-empleo|-pracy)?|"
    r"lavora-con-noi|trabaja-con-nosotros|praca|kariera|jobb|positions?|openings?|"
    r"opportunit(?:y|ies)|postings?|join-us|work-with-us|werken-bij|annonces?|job-[\w-]+)"
    r"(?:/|$|[-_.?])",
    re.IGNORECASE,
)
_NOT_ADVERT_RE = re.compile(
    r"/(?:admin|login|logout|signin|sign-in|signup|sign-up|register|account|my-account|apply|"
    r"application|applications|bewerben|bewerbung|postuler|candidature|aplikuj|solliciteer|"
    r"share|sharer|print|search|suche|feed|rss|tag|tags|category|categories|page|wp-json|"
    r"wp-login\.php|cdn-cgi|cart|oauth|auth)"
    r"(?:/|$|\?)",
    re.IGNORECASE,
)
_NEXT_TEXT_RE = re.compile(
    r"^\s*(?:next|next page|more|older|weiter|nächste(?: seite)?|suivant(?:e)?|"
    r"page suivante|siguiente|successiva|avanti|następna|dalej|volgende|próxima|›|»|→|>|>>|"
    r"load more|show more|more jobs|view more|mehr laden|mehr anzeigen|weitere (?:jobs|stellen)|"
    r"voir plus|charger plus|plus d'offres|cargar más|ver más|mostra altri|carica altri|"
    r"pokaż więcej|załaduj więcej|meer laden|toon meer|další|načíst další|visa fler|"
    r"näytä lisää)"
    r"\s*[›»→>]*\s*$",
    re.IGNORECASE,
)


_NEXT_CLASS_RE = re.compile(r"\bnext\b|pagination-next|page-next")


def same_site(a: str, b: str) -> bool:
    """Whether two URLs have the same host and port (False when either cannot be read)."""
    try:
        return urlsplit(a).netloc.lower() == urlsplit(b).netloc.lower()
    except ValueError:
        return False


def is_job_url(url: str) -> bool:
    """A URL whose path looks like a job advert or careers page."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return _is_job_path(parts.path)


def _is_job_path(path: str) -> bool:
    path = path or "/"
    if _NOT_ADVERT_RE.search(path) or is_file_path(path):
        return False
    return bool(JOB_PATH_RE.search(path))


@dataclass(slots=True)
class PageLinks:
    """Where to go from a page: pagination and advert links (absolute, same site), and the
    problems met (``bad_link``, ``capped_links_per_page``)."""

    next_pages: list[str] = field(default_factory=list)
    adverts: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    _seen: set[tuple[int, str]] = field(default_factory=set, repr=False)

    def add(self, which: list[str], url: str) -> None:
        """Append ``url`` to ``which`` once (a set keeps de-duplication linear)."""
        key = (id(which), url)
        if key not in self._seen:
            self._seen.add(key)
            which.append(url)


def _absolute(base: str, href: str) -> str | None:
    """``href`` made absolute (fragment dropped) if it is an http(s) URL that can be read."""
    try:
        target = urljoin(base, href).split("#", 1)[0]
        scheme = urlsplit(target).scheme
    except ValueError:
        return None
    return target if scheme in ("http", "https") else None


#: A root-relative href that ``urljoin`` would copy as it is after the base's origin: no
#: ``//`` host, no dot segments, no ``;params``, nothing ``urlsplit`` strips, no empty query.
_PLAIN_ROOT_HREF_RE = re.compile(r"/(?!/)[^\t\r\n\\#?;]*(?:\?[^\t\r\n\\#]+)?(?:#[^\t\r\n\\]*)?")
_ABSOLUTE_HREF_RE = re.compile(r"https?://[^/\\]", re.IGNORECASE)
_PAGE_PATH_RE = re.compile(r"/(?:page|seite|strona|pagina)/(\d+)/?$", re.IGNORECASE)
#: Every phrase of :data:`_NEXT_TEXT_RE` holds one of these: a link whose raw text, label and
#: title hold none is not a "next" link, and its text is not assembled.
_NEXT_HINT_RE = re.compile(
    r"next|nächste|more|mehr|older|weiter|suivant|plus|siguiente|más|successiva|avanti|altri|"
    r"następna|dalej|więcej|volgende|meer|próxima|další|fler|lisää|[›»→>]"
)  # on lower-case text


@dataclass(frozen=True, slots=True)
class _Target:
    """A link target as the page's links need it."""

    url: str | None  # absolute, no fragment; None when not a readable http(s) URL
    netloc: str  # lower case; "" when it cannot be read
    path: str
    page_no: int | None
    job: bool  # the path looks like an advert or careers page


#: Distinct links whose :class:`_Target` is kept across pages (a site's menus and footers
#: repeat on every page); least recently used go first.
LINK_CACHE_SIZE = 8192


def _plain_root_href(href: str) -> bool:
    return _PLAIN_ROOT_HREF_RE.fullmatch(href) is not None and "/." not in href


@functools.lru_cache(maxsize=LINK_CACHE_SIZE)
def _link_target(base: str, href: str) -> _Target:
    """``href`` read against ``base`` (pure; for a root-relative href ``base`` is the origin)."""
    if _plain_root_href(href) and "://" in base and base.count("/") == 2:
        # ``base`` is an origin: join as strings, what urljoin would give
        url = base + href.split("#", 1)[0]
        path = url[len(base) :].split("?", 1)[0]
        netloc = base.split("://", 1)[1].lower()
        return _Target(url, netloc, path, _page_number(url), _is_job_path(path))
    target = _absolute(base, href)
    if target is None:
        return _Target(None, "", "", None, False)
    try:
        parts = urlsplit(target)
    except ValueError:
        return _Target(target, "", "", None, False)
    return _Target(
        target, parts.netloc.lower(), parts.path, _page_number(target), _is_job_path(parts.path)
    )


class _Resolver:
    """Reads a page's hrefs against its base, each distinct href once: root-relative ones
    (most of a site's menus) against the base's origin, by joining strings."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.origin: str | None = None
        try:
            parts = urlsplit(base)
            if parts.scheme in ("http", "https") and parts.netloc and "\\" not in base:
                self.origin = f"{parts.scheme}://{parts.netloc}"
        except ValueError:
            pass
        self.seen: dict[str, _Target] = {}

    def __call__(self, href: str) -> _Target:
        found = self.seen.get(href)
        if found is None:
            key = self.base
            if self.origin is not None and _plain_root_href(href):
                key = self.origin
            if self.origin is not None and _ABSOLUTE_HREF_RE.match(href):
                # an absolute href depends only on the base's scheme
                key = self.origin.split("://", 1)[0] + "://-"
            found = self.seen[href] = _link_target(key, href)
        return found


def page_links(doc: lxml_html.HtmlElement, url: str) -> PageLinks:
    """Pagination (``rel=next``, "next"/"weiter"/"suivant" links, ``?page=N+1``) and job links.

    At most :data:`~spiders.parsers.limits.MAX_LINKS_PER_PAGE` links are read; a link that is
    not a readable URL (``http://[::1``) is skipped and counted."""
    links = PageLinks()
    base = url
    base_el = doc.find(".//base[@href]")
    if base_el is not None:
        base = _absolute(url, base_el.get("href", "")) or url
    for el in doc.iterfind(".//link[@rel]"):
        if "next" in el.get("rel", "").lower().split() and el.get("href"):
            target = _absolute(base, el.get("href", "").strip())
            if target:
                links.add(links.next_pages, target)
    current_page = _page_number(url) or 1
    here = _strip_page(url)
    own = url.split("#")[0].rstrip("/")
    try:
        here_netloc = urlsplit(url).netloc.lower()
    except ValueError:
        return links
    resolve = _Resolver(base)
    elements = _link_elements(doc)
    if len(elements) > MAX_LINKS_PER_PAGE:
        links.problems.append(capped("links_per_page"))
        elements = elements[:MAX_LINKS_PER_PAGE]
    for a in elements:
        href = (a.get("href") or a.get("data-href") or a.get("data-url") or "").strip()
        href = href or (a.get("data-link") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "sms:")):
            continue
        found = resolve(href)  # navigation repeats the same links: each is read once
        target = found.url
        if target is None:
            if "://" in href or href.startswith("//"):
                links.problems.append("bad_link")
            continue
        if found.netloc != here_netloc:
            continue
        page_no = found.page_no
        if _is_next(a) or (page_no == current_page + 1 and _strip_page(target) == here):
            links.add(links.next_pages, target)
        elif page_no is None and found.job and target.rstrip("/") != own:
            links.add(links.adverts, target)
    return links


def _is_next(a: lxml_html.HtmlElement) -> bool:
    """A "next page" / "load more" link by its ``rel``, text, label or class."""
    if "next" in (a.get("rel") or "").lower().split():
        return True
    classes = (a.get("class") or "").lower()
    if "next" in classes and _NEXT_CLASS_RE.search(classes):  # every alternative has "next"
        return True
    aria, title = a.get("aria-label"), a.get("title")
    raw = (a.text_content() if len(a) else a.text) or ""  # no children: its text is all
    if not _NEXT_HINT_RE.search(f"{raw} {aria or ''} {title or ''}".lower()):
        return False
    label = " ".join(t for t in (element_text(a), aria, title) if t)
    return bool(_NEXT_TEXT_RE.match(label))


def _link_elements(doc: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Anchors, plus cards and "load more" buttons that carry their URL in ``data-href``/
    ``data-url``/``data-link`` (clicked by a script)."""
    found: list[lxml_html.HtmlElement] = _ANCHORS(doc)
    found.extend(_DATA_LINKS(doc))
    return found


_ANCHORS = etree.XPath("//a[@href]")
_DATA_LINKS = etree.XPath("//*[not(self::a) and (@data-href or @data-url or @data-link)]")


_PAGE_PARAMS = ("page", "p", "pg", "seite", "strona", "pagina", "paged", "start", "offset")


def _page_number(url: str) -> int | None:
    if "?" not in url and "#" not in url:  # no query: only a /page/N path can say
        m = _PAGE_PATH_RE.search(url)
        return int(m.group(1)) if m and "//" in url[: m.start()] else None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    for key, value in parse_qsl(parts.query):
        if key.lower() in _PAGE_PARAMS and value.isdigit():
            return int(value)
    m = _PAGE_PATH_RE.search(parts.path)
    return int(m.group(1)) if m else None


def _strip_page(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    query = sorted((k, v) for k, v in parse_qsl(parts.query) if k.lower() not in _PAGE_PARAMS)
    path = re.sub(r"/(?:page|seite|strona|pagina)/\d+/?$", "/", parts.path, flags=re.I)
    return f"{parts.netloc}{path.rstrip('/')}?{query}"
