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

from crawler.text import clean_text, html_to_text
from spiders.parsers.job_links import is_job_url
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
_LABELS = {
    "location": r"location|job location|work location|standort|arbeitsort|einsatzort|dienstort|"
    r"ort|lieu|lieu de travail|localisation|ubicación|ubicacion|localización|sede|"
    r"sede di lavoro|luogo di lavoro|lokalizacja|miejsce pracy|locatie|standplaats|werklocatie|"
    r"place of work|místo|místo výkonu práce|místo práce|miesto výkonu práce|miesto práce|"
    r"sijainti|työpaikan sijainti|ort|placering|arbetsort|tjenestested|arbejdssted|"
    r"munkavégzés helye|helyszín|locație|locatie|localitate|τοποθεσία|local de trabalho|"
    r"localização|local",
    "organization": r"company|employer|organi[sz]ation|arbeitgeber|unternehmen|firma|"
    r"entreprise|employeur|empresa|pracodawca|werkgever|organisatie",
    "date": r"posted|posted on|published|published on|date posted|veröffentlicht|"
    r"veröffentlicht am|erstellt|erstellt am|online seit|publié(?:e)?(?: le)?|"
    r"date de publication|mis en ligne|publicado|publicado el|fecha de publicación|"
    r"pubblicato|pubblicato il|data di pubblicazione|opublikowano|data publikacji|"
    r"data dodania|geplaatst|geplaatst op|publicatiedatum|zveřejněno|datum zveřejnění|"
    r"zverejnené|dátum zverejnenia|publicerad|publiceringsdatum|julkaistu|közzétéve|"
    r"megjelenés|publicat|data publicării|δημοσιεύθηκε|ημερομηνία δημοσίευσης",
    "valid": r"closing date|deadline|apply by|bewerbungsfrist|bewerbungsschluss|"
    r"date limite|fecha límite|scadenza|termin|sluitingsdatum|valid until|expires",
    "salary": r"salary|pay|compensation|gehalt|vergütung|entgelt|salaire|rémunération|salario|"
    r"sueldo|retribuzione|ral|stipendio|wynagrodzenie|pensja|salaris|mzda|plat|"
    r"platové podmínky|lön|palkka|fizetés|salariu|μισθός|salário|remuneração",
    "employment": r"employment type|employment|job type|contract|contract type|type of contract|"
    r"working hours|anstellungsart|beschäftigungsart|arbeitszeit|vertragsart|"
    r"art der anstellung|type de contrat|contrat|type d'emploi|temps de travail|"
    r"tipo de contrato|tipo de jornada|jornada|tipo di contratto|orario|contratto|"
    r"rodzaj umowy|wymiar pracy|wymiar etatu|typ umowy|dienstverband|type dienstverband|"
    r"uren per week|dienstverband|typ úvazku|úvazek|druh pracovního poměru|typ pracovného "
    r"pomeru|anställningsform|omfattning|työsuhde|työaika|munkarend|foglalkoztatás jellege|"
    r"tip contract|τύπος απασχόλησης",
}
_LABEL_RES = {
    k: re.compile(rf"^\s*(?:{v})\s*[:：]?\s*$", re.IGNORECASE) for k, v in _LABELS.items()
}
_INLINE_LABEL_RES = {
    k: re.compile(rf"^\s*(?:{v})\s*[:：]\s*(?P<value>.{{1,120}})$", re.IGNORECASE)
    for k, v in _LABELS.items()
}
_CLASS_HINTS = {
    "location": re.compile(
        r"location|standort|\bort\b|lieu|lokalizacja|city|place|address", re.IGNORECASE
    ),
    "organization": re.compile(
        r"company|employer|organi[sz]ation|arbeitgeber|firma|"
        r"entreprise|pracodawca|hiring",
        re.IGNORECASE,
    ),
    "salary": re.compile(r"salary|gehalt|salaire|wynagrodzenie|pay\b|compensation", re.IGNORECASE),
    "date": re.compile(r"date|posted|published|datum|veroeffentlicht", re.IGNORECASE),
    "employment": re.compile(r"employment|job-?type|contract|vertrag", re.IGNORECASE),
}
_CONTENT_HINT_RE = re.compile(
    r"job[-_]?(?:description|details|content|body|ad|posting)|description|stellenbeschreibung|"
    r"posting|vacancy|offer|article|entry-content|post-content|main-content|content",
    re.IGNORECASE,
)
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


def _labelled(doc: lxml_html.HtmlElement) -> dict[str, str]:
    """Values written as "Label: value" (dt/dd, th/td, strong + text, "Location: Berlin")."""
    out: dict[str, str] = {}
    for dt in doc.xpath(
        "//dt|//th|//strong|//b|//label|//span|//div[not(*)]|//li[not(*)]|//p[not(*)]"
    ):
        own = clean_text(dt.text_content())
        if not own or len(own) > 140:
            continue
        for key, rx in _INLINE_LABEL_RES.items():
            if key in out:
                continue
            m = rx.match(own)
            if m and dt.tag in ("span", "div", "li", "p", "dt", "strong", "b", "td", "th"):
                out[key] = clean_text(m.group("value"))
                dt.set(_LABEL_MARK, key)
        for key, rx in _LABEL_RES.items():
            if key in out or not rx.match(own):
                continue
            sib = dt.getnext()
            value = None
            if sib is not None:
                value = clean_text(sib.text_content())
            elif dt.tail and clean_text(dt.tail):
                value = clean_text(dt.tail)
            else:
                parent = dt.getparent()
                if parent is not None:
                    whole = clean_text(parent.text_content())
                    value = whole[len(own) :].strip(" :：") if whole.startswith(own) else None
            if value and len(value) <= 140:
                out[key] = value
                dt.set(_LABEL_MARK, key)
    return out


_LABEL_MARK = "data-dsi-label"
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
    for el in list(content.xpath(f".//*[@{_LABEL_MARK}]")):
        if el.getparent() is None:
            continue
        target = el
        parent = el.getparent()
        while (
            parent is not None
            and parent is not content
            and parent.tag in _FACT_CONTAINERS
            and len(clean_text(parent.text_content())) <= 200
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
        if el.getparent() is not None and not clean_text(el.text_content()):
            el.drop_tree()
    for el in list(content.xpath(".//a|.//button")):
        if el.getparent() is not None and _APPLY_TEXT_RE.match(clean_text(el.text_content())):
            el.drop_tree()
    for el in list(content.xpath(".//*[@class or @id]")):
        marker = f"{el.get('class', '')} {el.get('id', '')}"
        if (
            el.getparent() is not None
            and _NOISE_CLASS_RE.search(marker)
            and len(clean_text(el.text_content())) < 600
        ):
            el.drop_tree()


def _by_class(doc: lxml_html.HtmlElement, key: str) -> str | None:
    rx = _CLASS_HINTS[key]
    for el in doc.xpath(
        "//*[@class or @itemprop or @id][not(self::html or self::body or "
        "self::main or self::article or self::section)]"
    ):
        marker = " ".join(filter(None, (el.get("class"), el.get("itemprop"), el.get("id"))))
        if rx.search(marker):
            text = clean_text(el.text_content())
            if text and len(text) <= 140:
                for lrx in _INLINE_LABEL_RES.values():
                    m = lrx.match(text)
                    if m:
                        text = clean_text(m.group("value"))
                        break
                return text
    return None


def _content_element(doc: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    for xpath in ("//main", "//article", "//*[@role='main']"):
        found = doc.xpath(xpath)
        if found:
            return max(found, key=lambda e: len(e.text_content()))
    best = None
    best_len = 0
    for el in doc.xpath("//div[@class or @id]|//section[@class or @id]"):
        marker = f"{el.get('class', '')} {el.get('id', '')}"
        if _CONTENT_HINT_RE.search(marker):
            length = len(el.text_content())
            if length > best_len:
                best, best_len = el, length
    if best is not None:
        return best
    body = doc.find(".//body")
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


def fallback_job(
    doc: lxml_html.HtmlElement,
    page_url: str,
    *,
    lang_hint: str | None = None,
    job_hint: bool = False,
    organization_hint: str | None = None,
) -> RawJob | None:
    """An advert read from plain markup, or None when the page does not look like one advert.

    ``job_hint`` says the page was reached as an advert (a link from a listing, a sitemap of
    adverts), which lowers the bar: a job-like title or URL is then enough.
    """
    site_name = _meta(doc, "og:site_name", "application-name")
    h1s = [clean_text(h.text_content()) for h in doc.iterfind(".//h1")]
    h1s = [h for h in h1s if h]
    og_title = _meta(doc, "og:title", "twitter:title")
    title_el = doc.find(".//title")
    page_title = clean_text(title_el.text_content()) if title_el is not None else ""
    title = h1s[0] if len(h1s) == 1 else (og_title or (h1s[0] if h1s else page_title))
    title_org = _org_from_title(og_title or page_title or "")
    title = _clean_title(title or "", site_name)
    if not title:
        return None
    labelled = _labelled(doc)
    content = _content_element(doc)
    # work on a copy: boilerplate removal must not change the document for other readers
    content = lxml_html.fromstring(lxml_html.tostring(content, encoding="unicode"))
    for el in content.xpath(_BOILERPLATE_XPATH):
        if el.getparent() is not None:
            el.drop_tree()
    for h in content.xpath(".//h1"):
        if clean_text(h.text_content()) == title and h.getparent() is not None:
            h.drop_tree()
    _drop_facts_and_noise(content)
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
    if not (url_jobby and (title_jobby or job_hint or labelled)) and not (
        title_jobby and (job_hint or len(labelled) >= 1)
    ):
        return None
    raw = RawJob(
        url=page_url,
        extraction="html",
        lang_hint=lang_hint,
        raw={"title": title, "labels": labelled},
    )
    raw.title = title
    raw.description = text
    raw.organization = (
        labelled.get("organization")
        or _by_class(doc, "organization")
        or organization_hint
        or site_name
        or title_org
        or _logo_alt(doc)
    )
    raw.location_text = labelled.get("location") or _by_class(doc, "location")
    time_el = doc.xpath("//time[@datetime]")
    raw.date_posted = (
        labelled.get("date")
        or (time_el[0].get("datetime") if time_el else None)
        or _meta(doc, "article:published_time", "date", "DC.date.issued")
        or _by_class(doc, "date")
    )
    raw.valid_through = labelled.get("valid")
    raw.employment_type = labelled.get("employment") or _by_class(doc, "employment")
    if raw.employment_type:
        raw.raw["employment_type"] = raw.employment_type
    salary_text = labelled.get("salary") or _by_class(doc, "salary")
    if salary_text:
        raw.salary = parse_salary_text(salary_text, require_context=False)
    canonical = doc.xpath("//link[@rel='canonical']/@href")
    if canonical:
        raw.raw["canonical"] = canonical[0]
    return raw
