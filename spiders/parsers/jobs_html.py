"""Job adverts from pages without structured data: a careful HTML fallback.

:func:`fallback_job` reads title, employer, location, date, salary and text from the markup of
a page that looks like one advert (a job-like URL or title, enough text, not a listing).
Extraction ``html``, so trends can exclude or down-weight it. :func:`parse_document` parses a
page once for it and for :func:`spiders.parsers.job_links.page_links`.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import html as lxml_html

from crawler.text import clean_text, element_text, html_to_text
from spiders.parsers.job_facts import LABEL_MARK, in_chrome, read_facts
from spiders.parsers.job_labels import PLACEHOLDER_RE
from spiders.parsers.job_links import is_job_url
from spiders.parsers.job_status import closed_notice, is_closed_notice
from spiders.parsers.jobposting import RawJob
from spiders.parsers.salary import parse_salary_text

__all__ = ["fallback_job", "parse_document"]

_TITLE_JOB_RE = re.compile(
    r"\((?:[mwfdxhi]\s*/\s*){1,3}[mwfdxhi]\)|\b(?:job|vacancy|career|stelle|stellenangebot|"
    r"emploi|offre|empleo|oferta|praca|vacature|developer|engineer|manager|officer|"
    r"coordinator|designer|analyst|scientist|specialist|consultant|assistant|lead|head of|"
    r"director|researcher|intern|entwickler\w*|referent\w*|mitarbeiter\w*|projektleit\w*|"
    r"chargé\w*|chef de projet|développeu\w*|ingénieur\w*|desarrollador\w*|programista|"
    r"specjalista|kierownik|koordynator\w*|stagiaire|praktikant\w*|werkstudent\w*|"
    r"sachbearbeiter\w*|berater\w*|leiter\w*|analyst\w*|vývojář\w*|programátor\w*|"
    r"analytik\w*|specialist\w*|koordinátor\w*|referent\w*|manažer\w*|správce|"
    r"sviluppatore\w*|sviluppatrice|responsabile|tecnico|analista|coordinat\w*|"
    r"ontwikkelaar|medewerker|adviseur|beleidsmedewerker|projectleider|"
    r"utvecklare|handläggare|samordnare|kehittäjä|asiantuntija|fejlesztő|elemző|"
    r"dezvoltator|specialist|programator|analist|"
    r"técnic[oa]|gestor[a]?|t[ée]cnico|estágio|estagiário\w*|becari[oa]|"
    r"développeur|data|product owner|ux|ui)\b",
    re.IGNORECASE,
)
_TITLE_SEP_RE = re.compile(r"\s+[|–—·•:-]\s+")
_BOILERPLATE_XPATH = (
    "//script|//style|//noscript|//template|//nav|//header|//footer|//aside|//form|"
    "//*[@role='navigation' or @role='banner' or @role='contentinfo']|"
    "//*[contains(@class,'cookie') or contains(@id,'cookie')]"
)


def parse_document(html: str) -> lxml_html.HtmlElement | None:
    """The page as an lxml tree (None when it is not HTML at all)."""
    if not html or not html.strip():
        return None
    try:
        return lxml_html.document_fromstring(html)
    except (ValueError, lxml_html.etree.ParserError):
        try:
            return lxml_html.document_fromstring(html.encode("utf-8", "replace"))
        except (ValueError, lxml_html.etree.ParserError):
            return None


def _meta(doc: lxml_html.HtmlElement, *names: str) -> str | None:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            for el in doc.xpath(f"//meta[@{attr}=$n]", n=name):
                value = clean_text(el.get("content"))
                if value:
                    return value
    return None


def _clean_title(title: str, site_name: str | None) -> str:
    parts = _TITLE_SEP_RE.split(title)
    if len(parts) > 1:
        if site_name:
            parts = [p for p in parts if p.strip().lower() != site_name.strip().lower()] or parts
        # the longest segment carrying a job word, else the first
        jobby = [p for p in parts if _TITLE_JOB_RE.search(p)]
        title = max(jobby, key=len) if jobby else parts[0]
    return title.strip()


_FACT_CONTAINERS = frozenset({"li", "tr", "p", "div", "span", "dd", "dt", "strong", "b", "label"})
_APPLY_TEXT_RE = re.compile(
    r"^\W*(?:apply(?: now| here| online)?|jetzt bewerben|bewerben|online bewerben|postuler|"
    r"je postule|candidater|aplikuj|aplikuj teraz|solliciteer(?: nu)?|inscríbete|postúlate|"
    r"candidati|candidatar(?:-se)?|odpovědět|reagovat|ansök|hae|jelentkezem|aplică|"
    r"share|teilen|partager|compartir|condividi|udostępnij|delen|"
    r"back to (?:all )?jobs|zurück zur übersicht|retour aux offres)\W*$",
    re.IGNORECASE,
)
#: Blocks that are never the advert body: banners, consent, sharing, related jobs, newsletters.
_NOISE_CLASS_RE = re.compile(
    r"cookie|consent|gdpr|banner|newsletter|share|sharing|social|breadcrumb|related|similar|"
    r"more-jobs|other-jobs|subscribe|popup|modal|sidebar|skip-link|visually-hidden|sr-only",
    re.IGNORECASE,
)


def _drop_facts_and_noise(content: lxml_html.HtmlElement) -> None:
    """Remove the labelled facts block, apply/share buttons and banners from the body copy."""
    for el in list(content.xpath(f".//*[@{LABEL_MARK}]")):
        if el.getparent() is None:
            continue
        target = el
        parent = el.getparent()
        while (
            parent is not None
            and parent is not content
            and parent.tag in _FACT_CONTAINERS
            and len(element_text(parent)) <= 200
        ):
            target, parent = parent, parent.getparent()
        if target.tag == "dt":
            nxt = target.getnext()
            if nxt is not None and nxt.tag == "dd":
                nxt.drop_tree()
        if target.tag in ("th", "td"):
            row = target.getparent()
            target = row if row is not None and row.tag == "tr" else target
        if target.getparent() is not None:
            target.drop_tree()
    for el in list(content.xpath(".//table|.//dl|.//ul")):
        if el.getparent() is not None and not element_text(el):
            el.drop_tree()
    for el in list(content.xpath(".//a|.//button")):
        if el.getparent() is not None and _APPLY_TEXT_RE.match(element_text(el)):
            el.drop_tree()
    for el in list(content.xpath(".//*[@class or @id or @data-test or @data-testid]")):
        marker = " ".join(el.get(a) or "" for a in ("class", "id", "data-test", "data-testid"))
        if (
            el.getparent() is not None
            and _NOISE_CLASS_RE.search(marker)
            and len(element_text(el)) < 600
        ):
            el.drop_tree()


_CONTENT_HINT_RE = re.compile(
    r"job[-_]?(?:description|details|content|body|ad|posting)|description|stellenbeschreibung|"
    r"posting|vacancy|offer|article|entry-content|post-content|main-content|content",
    re.IGNORECASE,
)
#: Blocks that hold one part of an advert (its header, its facts), never its whole body.
_PART_NAME_RE = re.compile(r"header|title|heading|top|meta|info|badge|facts|summary|sidebar", re.I)


def _content_element(doc: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """The element holding the advert: ``<main>``/``<article>``, else the largest block named
    like content, else the body (also when the named block holds little of the page's text:
    a board's job header, not its body)."""
    for xpath in ("//main", "//article", "//*[@role='main']"):
        found = doc.xpath(xpath)
        if found:
            return max(found, key=lambda e: len(e.text_content()))
    body = doc.find(".//body")
    best = None
    best_len = 0
    for el in doc.xpath("//div[@class or @id]|//section[@class or @id]"):
        marker = f"{el.get('class', '')} {el.get('id', '')}"
        if _CONTENT_HINT_RE.search(marker) and not _PART_NAME_RE.search(marker):
            length = len(el.text_content())
            if length > best_len:
                best, best_len = el, length
    if best is not None and (body is None or best_len >= 0.4 * len(body.text_content())):
        return best
    return body if body is not None else doc


_ORG_IN_TITLE_RE = re.compile(
    r"(?:^|\b)(?:karriere|jobs?|careers?|stellen(?:angebote)?|arbeiten|work(?:ing)?|emplois?|"
    r"offres? d'emploi|empleo|trabajar|lavorare|lavora|werken|praca|kariéra|kariera|"
    r"vacatures?)\s+(?:bei|at|with|chez|à|en|con|presso|bij|w|u|v|hos|@)\s+(?P<org>[^|–—·•:]{2,80})$"
    r"|^(?P<org2>[^|–—·•:]{2,80}?)\s+(?:karriere|careers|jobs|kariéra|kariera|emplois|empleo)$",
    re.IGNORECASE,
)


def _org_from_title(title: str) -> str | None:
    """ "Karriere bei X" / "Careers at X" / "X Careers" in a page title's segments."""
    for part in _TITLE_SEP_RE.split(title):
        m = _ORG_IN_TITLE_RE.search(part.strip())
        if m:
            org = clean_text(m.group("org") or m.group("org2"))
            if org and not _TITLE_JOB_RE.fullmatch(org):
                return org
    return None


def _logo_alt(doc: lxml_html.HtmlElement) -> str | None:
    for img in doc.xpath(
        "//header//img[@alt]|//*[contains(@class,'logo') or contains(@id,'logo')]//img[@alt]"
        "|//img[contains(@class,'logo') or contains(@src,'logo')][@alt]"
    ):
        alt = clean_text(img.get("alt"))
        alt = re.sub(r"\s*(?:logo|logotyp|logotipo)\s*$", "", alt, flags=re.IGNORECASE).strip()
        if alt and 2 <= len(alt) <= 80 and alt.lower() not in ("logo", "home", "startseite"):
            return alt
    return None


#: Words of a page title or heading that name an advert page on a board.
_ADVERT_PAGE_RE = re.compile(
    r"\b(?:job|jobs|stellenangebot|stellenanzeige|jobsuche|offre|offres d'emploi|oferta|"
    r"ofertas|vacature|vacancy|vacancies|platsannons|annons|inzerát|nabídka práce|állás|"
    r"oferta pracy|annuncio|offerta di lavoro|emprego|vaga|job vacancy|ogłoszenie)\b",
    re.IGNORECASE,
)
#: Apply buttons in the languages of the boards: a page with one is an advert.
_APPLY_BUTTON_RE = re.compile(
    r"^\W*(?:apply|apply now|apply here|jetzt bewerben|bewerben|postuler|je postule|"
    r"candidater|inscribirme|inscríbete|aplikuj|solliciteer|odpovědět|reagovat|ansök|"
    r"candidati|candidatar|jelentkezem|jelentkezés|aplică|søg|hae)\b",
    re.IGNORECASE,
)
#: "Org hiring Title in Place | Board" (the title professional networks give an advert).
_HIRING_RE = re.compile(r"^(?P<org>.{2,80}?)\s+(?:is\s+)?hiring\s+.+?\s+in\s+(?P<place>[^|]{2,80})")
_ARTICLE_RE = re.compile(r"^(?:the|de|het|der|die|das|la|le|les|el|il|lo)\s+", re.IGNORECASE)
#: The country a page's language points to (a preference for ambiguous places only).
_LANG_COUNTRY = {
    "de": "DE", "fr": "FR", "es": "ES", "it": "IT", "nl": "NL", "pl": "PL", "cs": "CZ",
    "sk": "SK", "sv": "SE", "da": "DK", "no": "NO", "nb": "NO", "fi": "FI", "hu": "HU",
    "ro": "RO", "pt": "PT", "el": "GR", "bg": "BG", "hr": "HR", "sl": "SI", "et": "EE",
    "lv": "LV", "lt": "LT",
}  # fmt: skip


#: Headings a board puts over every advert ("Job details", "Stellenangebot").
_GENERIC_HEADING_RE = re.compile(
    r"^\W*(?:job details?|job vacancy details|vacancy details|job description|job offer|"
    r"stellenangebot|stellenanzeige|stellenbeschreibung|jobdetails|offre d['’]emploi|"
    r"détail de l['’]offre|oferta de (?:empleo|trabajo)|detalle de la oferta|"
    r"dettaglio (?:dell['’])?offerta|offerta di lavoro|szczegóły oferty|oferta pracy|"
    r"vacaturedetails|vacature|detail nabídky|nabídka práce|platsannons|annonsdetaljer|"
    r"állásajánlat|stillingsannonce)\W*$",
    re.IGNORECASE,
)


#: A listing's title ("Jobs", "Offene Stellen", "Offres d'emploi"): never an advert's.
_LISTING_TITLE_RE = re.compile(
    r"^\W*(?:all\s+)?(?:jobs?|careers?|vacancies|current vacancies|open positions|"
    r"job openings|stellenangebote|stellen|offene stellen|karriere|jobs\s+(?:&|und)\s+karriere|"
    r"offres d['’]emploi|emplois|nos offres|empleos?|ofertas(?: de empleo)?|trabaja con nosotros|"
    r"lavora con noi|offerte di lavoro|vacatures|werken bij|jobb|lediga jobb|oferty pracy|"
    r"praca|kariera|kariéra|volná místa|állások|vagas)\W*$",
    re.IGNORECASE,
)


def country_hint_for(lang: str | None) -> str | None:
    """``"de-CH"`` -> ``"CH"``, ``"sv"`` -> ``"SE"``, ``"en"`` -> None."""
    if not lang:
        return None
    parts = re.split(r"[-_]", lang.strip())
    if len(parts) > 1 and len(parts[1]) == 2 and parts[1].isalpha():
        return parts[1].upper()
    return _LANG_COUNTRY.get(parts[0].lower())


def _organization(value: str | None) -> str | None:
    if not value or PLACEHOLDER_RE.search(value):
        return None
    return _ARTICLE_RE.sub("", value).strip() or None


def fallback_job(
    doc: lxml_html.HtmlElement,
    page_url: str,
    *,
    lang_hint: str | None = None,
    job_hint: bool = False,
    organization_hint: str | None = None,
) -> RawJob | None:
    """An advert read from plain markup, or None when the page does not look like one advert.

    The page counts as an advert on enough evidence: a job-like title or URL, facts written as
    label/value pairs, an apply button, a board's advert words in its title, or ``job_hint``
    (the page was reached as an advert: a link from a listing, a sitemap of adverts).
    """
    site_name = _meta(doc, "og:site_name", "application-name")
    if site_name and PLACEHOLDER_RE.search(site_name):
        site_name = None
    h1s = [element_text(h) for h in doc.iterfind(".//h1") if not in_chrome(h)]
    h1s = [h for h in h1s if h and not _GENERIC_HEADING_RE.match(h)]
    if not h1s:  # "Job details" over the advert's own heading
        h2s = [element_text(h) for h in doc.iterfind(".//h2") if not in_chrome(h)]
        h1s = [h for h in h2s if h and not _GENERIC_HEADING_RE.match(h)][:1]
    og_title = _meta(doc, "og:title", "twitter:title")
    title_el = doc.find(".//title")
    page_title = element_text(title_el) if title_el is not None else ""
    title = h1s[0] if len(h1s) == 1 else (og_title or (h1s[0] if h1s else page_title))
    title_org = _org_from_title(og_title or page_title or "")
    title = _clean_title(title or "", site_name)
    if not title or _LISTING_TITLE_RE.match(title):
        return None  # no title, or a listing's ("Jobs", page 6 of a board)
    country_hint = country_hint_for(lang_hint)
    facts = read_facts(doc, country_hint=country_hint)
    notice = closed_notice(doc)
    content = _content_element(doc)
    # work on a copy: boilerplate removal must not change the document for other readers
    content = lxml_html.fromstring(lxml_html.tostring(content, encoding="unicode"))
    for el in content.xpath(_BOILERPLATE_XPATH):
        if el.getparent() is not None:
            el.drop_tree()
    for h in content.xpath(".//h1"):
        if element_text(h) == title and h.getparent() is not None:
            h.drop_tree()
    _drop_facts_and_noise(content)
    if notice:
        for el in list(content.iter()):
            if el.getparent() is not None and is_closed_notice(element_text(el)):
                el.drop_tree()
    text = html_to_text(lxml_html.tostring(content, encoding="unicode"))
    url_jobby = is_job_url(page_url)
    title_jobby = bool(_TITLE_JOB_RE.search(title))
    advert_links = sum(
        1
        for a in content.iterfind(".//a[@href]")
        if is_job_url(urljoin(page_url, a.get("href", "")))
    )
    if advert_links >= 5 and not title_jobby:
        return None  # a listing
    if len(text) < 150:
        return None
    apply_button = any(
        _APPLY_BUTTON_RE.match(element_text(a)) for a in doc.iterfind(".//body//a")
    ) or any(_APPLY_BUTTON_RE.match(element_text(b)) for b in doc.iterfind(".//body//button"))
    evidence = (
        2 * title_jobby
        + 2 * url_jobby
        + 2 * job_hint
        + min(facts.labelled, 3)
        + bool(facts.salary)
        + apply_button
        + bool(notice)
        + bool(_ADVERT_PAGE_RE.search(f"{page_title} {og_title or ''}"))
    )
    if evidence < 3 or not (facts.labelled or url_jobby or job_hint):
        return None
    raw = RawJob(
        url=page_url,
        extraction="html",
        lang_hint=lang_hint,
        raw={
            "title": title,
            "labels": {
                k: v
                for k, v in (
                    ("organization", facts.organization),
                    ("location", facts.location),
                    ("date", facts.date),
                    ("valid", facts.valid),
                    ("salary", facts.salary),
                    ("employment", ", ".join(facts.employment) or None),
                )
                if v
            },
        },
    )
    raw.title = title
    raw.description = text
    raw.country_hint = country_hint
    hiring = _HIRING_RE.match(og_title or "")
    raw.organization = (
        _organization(facts.organization)
        or organization_hint
        or (clean_text(hiring.group("org")) if hiring else None)
        or _organization(title_org)
        or _organization(_org_from_title(site_name or ""))
        or site_name
        or _logo_alt(doc)
    )
    raw.location_text = facts.location or (clean_text(hiring.group("place")) if hiring else None)
    time_el = [t for t in doc.xpath("//time[@datetime]") if not in_chrome(t)]
    raw.date_posted = (
        facts.date
        or (time_el[0].get("datetime") if time_el else None)
        or _meta(doc, "article:published_time", "date", "DC.date.issued")
    )
    raw.valid_through = facts.valid
    raw.employment_type = facts.employment or None
    if facts.employment:
        raw.raw["employment_type"] = facts.employment
    if facts.salary:
        raw.salary = parse_salary_text(
            facts.salary, require_context=False, country_hint=country_hint
        )
    if notice:
        raw.closed = True
        raw.raw["closed_notice"] = notice
    canonical = doc.xpath("//link[@rel='canonical']/@href")
    if canonical:
        raw.raw["canonical"] = canonical[0]
    return raw
