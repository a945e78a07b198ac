"""Facts of one page of an organisation website (pure: no Scrapy).

:func:`extract_page` parses the HTML once with lxml, and that one tree serves everything. From
it come the head (title, meta/OpenGraph description and site name, canonical, ``lang``), the
links (same-site links with their :mod:`page kind <spiders.parsers.page_kinds>`; external
sites; social profiles, fediverse handles written as text; ``mailto:`` and
Cloudflare-protected e-mails), dates (``<time>``, ``article:modified_time`` and, through
:mod:`spiders.parsers.page_dates`, "last updated" lines, news dates and the copyright year), a
postal address and whether the page is an empty JavaScript shell that needs a browser.
Structured data is read by :mod:`spiders.parsers.page_schema`.

The main text (:mod:`spiders.parsers.page_text`) is extracted only for pages whose text the
profile keeps (home, about, language and seed pages); a JavaScript shell's text comes from its
inline state (:mod:`spiders.parsers.js_state`). The language is detected from the text (the
``lang`` attribute is only a hint for very short texts: templates often say ``en`` on pages in
another language).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from lxml import html as lxml_html

from crawler.text import (
    clean_text,
    detect_language,
    element_text,
    html_to_text,
    normalise_language_code,
    tree_to_text,
)
from crawler.urls import web_url
from spiders.parsers.contact import (
    Address,
    address_from_lines,
    cfemail_from_href,
    decode_cfemail,
    emails_from_mailto,
    emails_from_text,
)
from spiders.parsers.js_state import STATE_MARKER_RE, state_values
from spiders.parsers.limits import MAX_LINKS_PER_PAGE, capped
from spiders.parsers.page_dates import MAX_TEXT_DATES, copyright_year, page_date, text_dates
from spiders.parsers.page_kinds import link_kind
from spiders.parsers.page_schema import read_structured
from spiders.parsers.page_text import main_text, visible_lines
from spiders.parsers.site_urls import origin, site_key
from spiders.parsers.social import (
    SocialLink,
    classify_social,
    is_social_host,
    mastodon_handles_in_text,
)

logger = logging.getLogger(__name__)

__all__ = ["Link", "PageFacts", "extract_page", "parse_html"]

#: Below this many characters of visible text a page with scripts is a JavaScript shell.
JS_TEXT_THRESHOLD = 250
#: Characters of main text the language is detected from (langdetect was 70% of a page's cost
#: at its default 2,000).
LANGUAGE_SAMPLE = 600
#: Characters of inline-state text that make a JavaScript contact/imprint page readable
#: without a browser.
STATE_MIN_CONTACT_TEXT = 40


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
_ISO_DATE_RE = re.compile(r"^(?:19|20)\d\d-[01]\d-[0-3]\d(?:[T ][\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?$")
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


def _state_strings(html: str) -> tuple[list[str], list[str], list[str]]:
    """Text-like strings, URLs and ISO dates (``updatedAt``) in the inline JSON state
    (``__NEXT_DATA__``, ``window.X = {}``) of a JavaScript page."""
    texts: list[str] = []
    urls: list[str] = []
    dates: list[str] = []
    for _name, state in state_values(html):
        stack: list[Any] = [state]
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
                    s = html_to_text(s)
                    if s:
                        texts.append(s)
                elif " " in s and re.search(r"[^\W\d_]{2}", s):
                    texts.append(clean_text(s))
    return texts, urls, dates


#: A network's address written without a scheme ("www.facebook.com/org"): a browser would
#: read it as a path on the site, the author meant the profile.
_BARE_SOCIAL_RE = re.compile(
    r"^(?:www\.|[a-z]{2}-[a-z]{2}\.)?(?:facebook|instagram|twitter|x|linkedin|youtube|github|"
    r"bsky)\.(?:com|app)/",
    re.IGNORECASE,
)
_OPEN_URL_RE = re.compile(r"""window\.open\(\s*['"](https?://[^'"]+)['"]""")


def _href(element: Any) -> str:
    """Where a link points: ``href`` (scheme added to bare network addresses), an SVG link's
    ``xlink:href``, a button's ``data-href``/``data-url`` or ``window.open('…')``."""
    href = (
        element.get("href")
        or element.get("xlink:href")
        or element.get("{http://www.w3.org/1999/xlink}href")
        or element.get("data-href")
        or element.get("data-url")
        or ""
    ).strip()
    if not href:
        m = _OPEN_URL_RE.search(element.get("onclick") or "")
        href = m.group(1) if m else ""
    if _BARE_SOCIAL_RE.match(href):
        href = "https://" + href
    return href


_NETWORK_WORDS_RE = re.compile(
    r"^(?:follow us on |find us on |folgt uns auf |suivez-nous sur |síguenos en )?"
    r"(?:facebook|instagram|x|twitter|x \(twitter\)|linkedin|youtube|github|mastodon|bluesky)$",
    re.IGNORECASE,
)
_CHROME_BLOCK_RE = re.compile(r"header|footer|social|follow|top-?bar", re.IGNORECASE)
#: How many text links one header/footer icon link outweighs.
_ICON_WEIGHT = 10


def _profile_icon(element: Any) -> bool:
    """A network link shown as an icon or as the network's name, or in the page's header or
    footer: how sites link their own profiles."""
    label = element_text(element)
    if not label or _NETWORK_WORDS_RE.match(label):
        return True
    for ancestor in element.iterancestors():
        tag = ancestor.tag if isinstance(ancestor.tag, str) else ""
        if tag in ("header", "footer") or ancestor.get("role") in ("banner", "contentinfo"):
            return True
        names = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        if names.strip() and _CHROME_BLOCK_RE.search(names):
            return True
    return False


def _read_links(tree: Any, base: str, facts: PageFacts, skey: str | None) -> None:
    seen_links: set[str] = set()
    seen_out: set[str] = set(facts.outlinks)
    for n, element in enumerate(tree.iter("a", "area", "link", "button")):
        if n >= MAX_LINKS_PER_PAGE:
            facts.problems.append(capped("links_per_page"))
            break
        href = _href(element)
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
            # the organisation's own profiles are icons in the header/footer: one outweighs
            # the profiles a page's text links to (a partner, a post's author)
            weight = _ICON_WEIGHT if _profile_icon(element) else 1
            facts.social.extend([social] * weight)
            continue
        key = site_key(absolute)
        if key is None or element.tag == "link":
            continue
        if key == skey:
            canon = web_url(absolute)
            if canon is None or canon in seen_links:
                continue
            seen_links.add(canon)
            anchor = ""
            if element.tag == "a":
                anchor = element_text(element)[:60]
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
    stamps = [str(value) for value in tree.xpath("//time/@datetime")]
    stamps.extend(value for name in _DATE_META if (value := _meta(tree, name)))
    for value in stamps:
        found = page_date(value, now)
        if found:
            facts.dates.append(found)
    facts.dates.extend(text_dates(lines, now, language))


def _state_kind(html: str) -> str:
    """``state:__NEXT_DATA__`` etc.: which inline state a page's text was read from."""
    match = STATE_MARKER_RE.search(html)
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
    if STATE_MARKER_RE.search(html):
        return True
    for noscript in tree.iter("noscript"):
        if "javascript" in (noscript.text_content() or "").lower():
            return True
    body = tree.find("body")
    elements = sum(1 for _ in body.iter()) if body is not None else 0
    return elements < 25


def _read_state(
    html: str, url: str, skey: str | None, facts: PageFacts, now: datetime
) -> list[str]:
    """Text, links, dates and e-mails from the inline JSON state of a JavaScript shell."""
    texts, urls, dates = _state_strings(html)
    for value in dates:
        found = page_date(value, now)
        if found:
            facts.dates.append(found)
    if len(urls) > MAX_LINKS_PER_PAGE:
        facts.problems.append(capped("links_per_page"))
        urls = urls[:MAX_LINKS_PER_PAGE]
    seen_out = set(facts.outlinks)
    seen_links = {link.url for link in facts.links}
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
            canon = web_url(absolute)
            kind = link_kind(canon) if canon and canon not in seen_links else None
            if canon and kind:
                seen_links.add(canon)
                facts.links.append(Link(canon, kind))
        elif not is_social_host(host):
            out = origin(absolute)
            if out and out not in seen_out:
                seen_out.add(out)
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
        absolute = web_url(urljoin(url, canonical))
        if absolute and site_key(absolute) == skey:
            facts.canonical = absolute
    try:
        read_structured(html, url, facts, skey, now)
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
    lines = visible_lines(tree)
    facts.text_length = sum(len(line) for line in lines)
    facts.needs_js = js_shell and facts.text_length < JS_TEXT_THRESHOLD
    state_texts: list[str] = []
    if facts.needs_js:
        state_texts = _read_state(html, url, skey, facts, now)
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
    facts.copyright_year = copyright_year(lines, now)
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
            facts.main_text, how = main_text(tree, lines)  # last: trafilatura prunes the tree
            facts.text_source = f"browser+{how}"
        else:
            facts.main_text, facts.text_source = main_text(tree, lines)
        # a page's language shows in its first lines; langdetect's cost grows with the sample
        facts.language = detect_language(facts.main_text[:LANGUAGE_SAMPLE], hint=facts.lang_attr)
    return facts
