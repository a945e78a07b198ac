"""Where to go from a jobs page: pagination and links to job adverts.

:func:`page_links` classifies a page's links: pagination (``rel=next``, "next"/"weiter"/
"suivant" links, ``?page=N+1``, "load more" buttons) and same-site advert links, which
:func:`is_job_url` recognises by path words in the main European languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import html as lxml_html

from crawler.text import element_text
from spiders.parsers.limits import MAX_LINKS_PER_PAGE, capped
from spiders.parsers.site_urls import is_file_url

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
    path = parts.path or "/"
    if _NOT_ADVERT_RE.search(path) or is_file_url(url):
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
    try:
        here_netloc = urlsplit(url).netloc.lower()
    except ValueError:
        return links
    elements = _link_elements(doc)
    resolved: dict[str, tuple[str | None, bool]] = {}
    if len(elements) > MAX_LINKS_PER_PAGE:
        links.problems.append(capped("links_per_page"))
        elements = elements[:MAX_LINKS_PER_PAGE]
    for a in elements:
        href = (a.get("href") or a.get("data-href") or a.get("data-url") or "").strip()
        href = href or (a.get("data-link") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "sms:")):
            continue
        if href in resolved:  # navigation repeats the same links: each is read once
            target, here_site = resolved[href]
        else:
            target = _absolute(base, href)
            try:
                here_site = target is not None and urlsplit(target).netloc.lower() == here_netloc
            except ValueError:
                here_site = False
            resolved[href] = (target, here_site)
        if target is None:
            if "://" in href or href.startswith("//"):
                links.problems.append("bad_link")
            continue
        if not here_site:
            continue
        rel = (a.get("rel") or "").lower().split()
        label = " ".join(t for t in (element_text(a), a.get("aria-label"), a.get("title")) if t)
        classes = (a.get("class") or "").lower()
        page_no = _page_number(target)
        is_next = (
            "next" in rel
            or bool(_NEXT_TEXT_RE.match(label or ""))
            or bool(_NEXT_CLASS_RE.search(classes))
        )
        if is_next or (page_no == current_page + 1 and _strip_page(target) == here):
            links.add(links.next_pages, target)
        elif (
            is_job_url(target)
            and target.rstrip("/") != url.split("#")[0].rstrip("/")
            and page_no is None
        ):
            links.add(links.adverts, target)
    return links


def _link_elements(doc: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Anchors, plus cards and "load more" buttons that carry their URL in ``data-href``/
    ``data-url``/``data-link`` (clicked by a script)."""
    found: list[lxml_html.HtmlElement] = list(doc.iterfind(".//a[@href]"))
    found.extend(doc.xpath("//*[not(self::a) and (@data-href or @data-url or @data-link)]"))
    return found


_PAGE_PARAMS = ("page", "p", "pg", "seite", "strona", "pagina", "paged", "start", "offset")


def _page_number(url: str) -> int | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    for key, value in parse_qsl(parts.query):
        if key.lower() in _PAGE_PARAMS and value.isdigit():
            return int(value)
    m = re.search(r"/(?:page|seite|strona|pagina)/(\d+)/?$", parts.path, re.IGNORECASE)
    return int(m.group(1)) if m else None


def _strip_page(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    query = sorted((k, v) for k, v in parse_qsl(parts.query) if k.lower() not in _PAGE_PARAMS)
    path = re.sub(r"/(?:page|seite|strona|pagina)/\d+/?$", "/", parts.path, flags=re.I)
    return f"{parts.netloc}{path.rstrip('/')}?{query}"
