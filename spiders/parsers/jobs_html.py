"""Job adverts from pages without schema.org data: JS state and a careful HTML fallback.

* :func:`state_jobs` reads the JSON a client-side app ships with the page (``__NEXT_DATA__``,
  ``window.__INITIAL_STATE__``/``__PRELOADED_STATE__``/``__NUXT__``/``__APOLLO_STATE__``,
  ``<script type="application/json">``) and picks the records that look like job postings
  (a title plus at least two of: description, location, employer, date, salary, apply URL).
  Extraction ``feed``: structured records, as from an ATS API.
* :func:`fallback_job` reads title, employer, location, date, salary and text from the markup
  of a page that looks like one advert (a job-like URL or title, enough text, not a listing).
  Extraction ``html``, so trends can exclude or down-weight it.
* :func:`page_links` classifies a page's links: pagination ("next") and job advert links.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urljoin, urlsplit

from lxml import html as lxml_html

from spiders.parsers.jobposting import RawJob
from spiders.parsers.salary import parse_salary_text
from spiders.parsers.structured import loads_lenient, node_types
from spiders.parsers.text import clean_text, html_to_text

__all__ = [
    "PageLinks",
    "fallback_job",
    "is_job_url",
    "page_links",
    "parse_document",
    "state_jobs",
    "state_records",
]

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
    r"(?:/|$|\?)|\.(?:pdf|docx?|xlsx?|zip|png|jpe?g|gif|svg|webp|css|js|ico|xml|json)$",
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
_STATE_ASSIGN_RE = re.compile(
    r"(?:window\.|self\.|globalThis\.|var\s+|let\s+|const\s+)?"
    r"(?P<name>__[A-Z_]+__|__NEXT_DATA__|__NUXT__|__APOLLO_STATE__|initialState|INITIAL_STATE|"
    r"__PRELOADED_STATE__|__INITIAL_STATE__|__INITIAL_PROPS__|__DATA__|jobsData|__REDUX_STATE__)"
    r"\s*=\s*(?:JSON\.parse\(\s*(?P<q>['\"]))?",
)
_JSON_SCRIPT_RE = re.compile(
    r"<script\b(?P<attrs>[^>]*)>(?P<body>.*?)</script\s*>", re.IGNORECASE | re.DOTALL
)
_TITLE_KEYS = (
    "title",
    "jobTitle",
    "job_title",
    "position",
    "positionTitle",
    "name",
    "text",
    "headline",
    "role",
)
_DESC_KEYS = (
    "description",
    "descriptionHtml",
    "description_html",
    "descriptionPlain",
    "jobDescription",
    "content",
    "body",
    "details",
    "summary",
    "text_html",
)
_LOC_KEYS = (
    "location",
    "locations",
    "jobLocation",
    "city",
    "office",
    "offices",
    "place",
    "workplace",
    "address",
    "locationName",
    "location_name",
)
_ORG_KEYS = (
    "company",
    "companyName",
    "company_name",
    "employer",
    "employerName",
    "hiringOrganization",
    "organization",
    "organisation",
    "org",
    "subcompany",
)
_DATE_KEYS = (
    "datePosted",
    "postedAt",
    "posted_at",
    "publishedAt",
    "published_at",
    "published",
    "createdAt",
    "created_at",
    "date",
    "postedDate",
    "publicationDate",
    "first_published",
    "published_on",
)
_VALID_KEYS = (
    "validThrough",
    "expiresAt",
    "expires_at",
    "closingDate",
    "deadline",
    "close_at",
    "applicationDeadline",
)
_SALARY_KEYS = (
    "salary",
    "baseSalary",
    "salaryRange",
    "compensation",
    "pay",
    "salaryText",
    "salary_text",
)
_URL_KEYS = (
    "url",
    "absolute_url",
    "hostedUrl",
    "jobUrl",
    "job_url",
    "careers_url",
    "applyUrl",
    "apply_url",
    "link",
    "href",
    "permalink",
    "slug",
    "path",
)
_TYPE_KEYS = (
    "employmentType",
    "employment_type",
    "jobType",
    "job_type",
    "commitment",
    "contractType",
    "schedule",
    "type",
)
_REMOTE_KEYS = (
    "remote",
    "isRemote",
    "is_remote",
    "telecommuting",
    "remoteOk",
    "workplaceType",
    "workplace_type",
    "locationType",
)


# --- documents ------------------------------------------------------------------------------
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


def _same_site(a: str, b: str) -> bool:
    return urlsplit(a).netloc.lower() == urlsplit(b).netloc.lower()


def is_job_url(url: str) -> bool:
    """A URL whose path looks like a job advert or careers page."""
    parts = urlsplit(url)
    path = parts.path or "/"
    if _NOT_ADVERT_RE.search(path):
        return False
    return bool(JOB_PATH_RE.search(path))


# --- links ----------------------------------------------------------------------------------
@dataclass(slots=True)
class PageLinks:
    """Where to go from a page: pagination and advert links (absolute, same site)."""

    next_pages: list[str] = field(default_factory=list)
    adverts: list[str] = field(default_factory=list)


def _add(seq: list[str], url: str) -> None:
    if url not in seq:
        seq.append(url)


def page_links(doc: lxml_html.HtmlElement, url: str) -> PageLinks:
    """Pagination (``rel=next``, "next"/"weiter"/"suivant" links, ``?page=N+1``) and job links."""
    links = PageLinks()
    base = url
    base_el = doc.find(".//base[@href]")
    if base_el is not None:
        base = urljoin(url, base_el.get("href", ""))
    for el in doc.iterfind(".//link[@rel]"):
        if "next" in el.get("rel", "").lower().split() and el.get("href"):
            _add(links.next_pages, urljoin(base, el.get("href", "").strip()))
    current_page = _page_number(url) or 1
    for a in _link_elements(doc):
        href = (a.get("href") or a.get("data-href") or a.get("data-url") or "").strip()
        href = href or (a.get("data-link") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "sms:")):
            continue
        target = urljoin(base, href).split("#", 1)[0]
        if urlsplit(target).scheme not in ("http", "https") or not _same_site(target, url):
            continue
        rel = (a.get("rel") or "").lower().split()
        label = " ".join(t for t in (a.text_content(), a.get("aria-label"), a.get("title")) if t)
        classes = (a.get("class") or "").lower()
        page_no = _page_number(target)
        is_next = (
            "next" in rel
            or bool(_NEXT_TEXT_RE.match(label or ""))
            or bool(re.search(r"\bnext\b|pagination-next|page-next", classes))
        )
        if is_next or (page_no == current_page + 1 and _strip_page(target) == _strip_page(url)):
            _add(links.next_pages, target)
        elif (
            is_job_url(target)
            and target.rstrip("/") != url.split("#")[0].rstrip("/")
            and page_no is None
        ):
            _add(links.adverts, target)
    return links


def _link_elements(doc: lxml_html.HtmlElement) -> list[lxml_html.HtmlElement]:
    """Anchors, plus cards and "load more" buttons that carry their URL in ``data-href``/
    ``data-url``/``data-link`` (clicked by a script)."""
    found: list[lxml_html.HtmlElement] = list(doc.iterfind(".//a[@href]"))
    found.extend(doc.xpath("//*[not(self::a) and (@data-href or @data-url or @data-link)]"))
    return found


_PAGE_PARAMS = ("page", "p", "pg", "seite", "strona", "pagina", "paged", "start", "offset")


def _page_number(url: str) -> int | None:
    parts = urlsplit(url)
    for key, value in parse_qsl(parts.query):
        if key.lower() in _PAGE_PARAMS and value.isdigit():
            return int(value)
    m = re.search(r"/(?:page|seite|strona|pagina)/(\d+)/?$", parts.path, re.IGNORECASE)
    return int(m.group(1)) if m else None


def _strip_page(url: str) -> str:
    parts = urlsplit(url)
    query = sorted((k, v) for k, v in parse_qsl(parts.query) if k.lower() not in _PAGE_PARAMS)
    path = re.sub(r"/(?:page|seite|strona|pagina)/\d+/?$", "/", parts.path, flags=re.I)
    return f"{parts.netloc}{path.rstrip('/')}?{query}"


# --- JS state -------------------------------------------------------------------------------
def _state_blobs(html: str) -> Iterator[tuple[str, Any]]:
    """(name, parsed JSON) of each JS state blob in the page."""
    for m in _JSON_SCRIPT_RE.finditer(html):
        attrs, body = m.group("attrs"), m.group("body")
        if re.search(r"type\s*=\s*[\"']?application/(?:ld\+)?json", attrs, re.I):
            if "ld+json" in attrs.lower():
                continue
            ident = re.search(r"id\s*=\s*[\"']?([\w-]+)", attrs)
            try:
                values, _ = loads_lenient(body)
            except ValueError:
                continue
            for v in values:
                yield (ident.group(1) if ident else "application/json"), v
            continue
        if "=" not in body:
            continue
        for fm in _NUXT_FN_RE.finditer(body):
            try:
                yield "__NUXT__", _nuxt_function_state(body, fm)
            except (ValueError, IndexError):
                continue
        for am in _STATE_ASSIGN_RE.finditer(body):
            start = am.end()
            quote = am.group("q")
            try:
                if quote:
                    # JSON.parse('...'): a JS string literal holding JSON
                    end = _string_end(body, start, quote)
                    literal = body[start - 1 : end + 1]
                    text = json.loads(_js_string_to_json(literal, quote))
                    values, _ = loads_lenient(text)
                else:
                    while start < len(body) and body[start] in " \t\r\n":
                        start += 1
                    if start >= len(body) or body[start] not in "{[":
                        continue
                    decoder = json.JSONDecoder(strict=False)
                    try:
                        value, _end = decoder.raw_decode(body, start)
                        values = [value]
                    except ValueError:
                        literal = _js_object_literal(body[start:])
                        try:
                            values, _ = loads_lenient(literal)
                        except ValueError:  # unquoted keys, single quotes, !0...
                            values = [json.loads(js_literal_to_json(literal), strict=False)]
            except (ValueError, IndexError):
                continue
            for v in values:
                yield am.group("name"), v


_NUXT_FN_RE = re.compile(
    r"__NUXT__\s*=\s*\(?\s*function\s*\((?P<params>[\w$,\s]*)\)\s*\{\s*return\s*(?=\{)"
)
_JS_TOKEN_RE = re.compile(
    r"""(?P<ws>\s+|//[^\n]*|/\*.*?\*/)|(?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|"""
    r"(?P<num>-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)|(?P<bang>!\s*[01])|"
    r"(?P<ident>[A-Za-z_$][\w$]*)|(?P<punct>[{}\[\],:])",
    re.DOTALL,
)


def _js_string_value(token: str) -> str:
    """A JS string literal (either quote) as a Python string."""
    quote = token[0]
    inner = token[1:-1]
    if quote == "'":
        inner = inner.replace("\\'", "'").replace('"', '\\"')
    inner = re.sub(r"\\x([0-9a-fA-F]{2})", r"\\u00\1", inner)
    value: str = json.loads(f'"{inner}"', strict=False)
    return value


def js_literal_to_json(text: str, env: dict[str, str] | None = None) -> str:
    """A JS object/array literal as JSON text, without evaluating anything: unquoted keys
    quoted, single-quoted strings converted, ``!0``/``!1`` as booleans, ``undefined``/``void 0``
    as null, and identifiers replaced by ``env`` (JSON texts), else null. ``ValueError`` on
    anything else (function calls, operators)."""
    env = env or {}
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    expect_key = False
    while pos < len(text):
        m = _JS_TOKEN_RE.match(text, pos)
        if m is None:
            raise ValueError(f"unexpected JS at {pos}: {text[pos : pos + 20]!r}")
        pos = m.end()
        kind = m.lastgroup
        tok = m.group(0)
        if kind == "ws":
            continue
        if kind == "punct":
            if tok in "}]" and out and out[-1] == ",":
                out.pop()
            if tok in "{[":
                stack.append(tok)
            elif tok in "}]":
                if not stack:
                    raise ValueError("unbalanced")
                stack.pop()
            out.append(tok)
            expect_key = tok in "{," and bool(stack) and stack[-1] == "{"
            if not stack:
                break
            continue
        if expect_key and kind in ("ident", "str", "num"):
            key = _js_string_value(tok) if kind == "str" else tok
            out.append(json.dumps(key))
            expect_key = False
            continue
        if kind == "str":
            out.append(json.dumps(_js_string_value(tok)))
        elif kind == "num":
            out.append(tok if not tok.startswith((".", "-.")) else tok.replace(".", "0.", 1))
        elif kind == "bang":
            out.append("true" if tok.strip("! \t") == "0" else "false")
        elif tok in ("true", "false", "null"):
            out.append(tok)
        elif tok == "void":
            nxt = _JS_TOKEN_RE.match(text, pos)
            while nxt is not None and nxt.lastgroup == "ws":
                nxt = _JS_TOKEN_RE.match(text, nxt.end())
            if nxt is None or nxt.lastgroup != "num":
                raise ValueError("void without operand")
            pos = nxt.end()
            out.append("null")
        elif tok in env:
            out.append(env[tok])
        else:
            out.append("null")  # undefined, NaN, an unknown variable
    if stack:
        raise ValueError("unbalanced JS literal")
    return "".join(out)


def _call_end(body: str, start: int) -> int:
    """The index of the ``)`` closing a call whose arguments start at ``start``."""
    depth = 0
    quote: str | None = None
    i = start
    while i < len(body):
        ch = body[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            if depth == 0:
                return i
            depth -= 1
        i += 1
    raise ValueError("unterminated call")


def _nuxt_function_state(body: str, fm: re.Match[str]) -> Any:
    """``window.__NUXT__=(function(a,b){return {...}}(1,"x"))``: the returned object with
    the parameters replaced by the call's arguments (literal values only; nothing is run)."""
    params = [p.strip() for p in fm.group("params").split(",") if p.strip()]
    obj = _js_object_literal(body[fm.end() :])
    rest = body[fm.end() + len(obj) :]
    m = re.match(r"\s*;?\s*\}\s*\)?\s*\(", rest)
    if m is None:
        raise ValueError("no call of the NUXT function")
    args_start = fm.end() + len(obj) + m.end()
    args_end = _call_end(body, args_start)
    args = json.loads(js_literal_to_json("[" + body[args_start:args_end] + "]"), strict=False)
    if not isinstance(args, list):
        raise ValueError("NUXT arguments unreadable")
    env = {name: json.dumps(args[i]) if i < len(args) else "null" for i, name in enumerate(params)}
    return json.loads(js_literal_to_json(obj, env), strict=False)


def _string_end(body: str, start: int, quote: str) -> int:
    i = start
    while i < len(body):
        if body[i] == "\\":
            i += 2
            continue
        if body[i] == quote:
            return i
        i += 1
    raise ValueError("unterminated string")


def _js_string_to_json(literal: str, quote: str) -> str:
    inner = literal[1:-1]
    if quote == "'":
        inner = inner.replace("\\'", "'").replace('"', '\\"')
    inner = re.sub(r"\\x([0-9a-fA-F]{2})", r"\\u00\1", inner)
    return f'"{inner}"'


def _js_object_literal(text: str) -> str:
    """The balanced ``{...}`` at the start of ``text``, ``undefined``/NaN made JSON."""
    depth = 0
    in_str: str | None = None
    escape = False
    for i, ch in enumerate(text):
        if in_str:
            if escape:
                escape = False
            elif ch == "\\":
                escape = True
            elif ch == in_str:
                in_str = None
        elif ch in "\"'":
            in_str = ch
        elif ch in "{[":
            depth += 1
        elif ch in "}]":
            depth -= 1
            if depth == 0:
                text = text[: i + 1]
                break
    return re.sub(r"(?<=[:,\[])\s*(?:undefined|NaN|-?Infinity)\b", "null", text)


def _get(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = record.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _looks_like_job(record: dict[str, Any]) -> bool:
    if "JobPosting" in node_types(record):
        return True
    title = _get(record, _TITLE_KEYS)
    if not isinstance(title, str) or not 2 <= len(title) <= 200:
        return False
    evidence = sum(
        1
        for keys in (_DESC_KEYS, _LOC_KEYS, _ORG_KEYS, _DATE_KEYS, _SALARY_KEYS, _TYPE_KEYS)
        if _get(record, keys) is not None
    )
    has_job_url = any(
        isinstance(record.get(k), str) and is_job_url(record[k])
        for k in _URL_KEYS
        if k not in ("slug",)
    )
    return evidence >= 2 or (evidence >= 1 and has_job_url)


def state_records(value: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """Job-like records anywhere in a JSON tree (a found record is not searched further)."""
    if depth > 25:
        return
    if isinstance(value, list):
        for v in value:
            yield from state_records(v, depth + 1)
    elif isinstance(value, dict):
        if _looks_like_job(value):
            yield value
            return
        for v in value.values():
            if isinstance(v, dict | list):
                yield from state_records(v, depth + 1)


def _loc_parts(value: Any) -> tuple[Any, Any, Any, Any]:
    """(city, region, country, text) from the shapes apps use for a location."""
    if isinstance(value, list):
        value = next((v for v in value if v), None)
    if isinstance(value, str):
        return None, None, None, value
    if not isinstance(value, dict):
        return None, None, None, None
    if "address" in value and isinstance(value["address"], dict | str):
        return _loc_parts(value["address"])
    city = _get(value, ("city", "addressLocality", "locality", "town", "name"))
    region = _get(value, ("region", "state", "addressRegion", "state_name", "province"))
    country = _get(value, ("countryCode", "country_code", "country", "addressCountry"))
    if isinstance(country, dict):
        country = country.get("name") or country.get("code")
    return city, region, country, None


def _record_url(record: dict[str, Any], page_url: str) -> str | None:
    for key in _URL_KEYS:
        value = record.get(key)
        if not isinstance(value, str) or not value.strip():
            continue
        if key in ("slug",) and "/" not in value:
            continue
        full = urljoin(page_url, value.strip())
        if urlsplit(full).scheme in ("http", "https"):
            return full
    return None


def raw_job_from_record(
    record: dict[str, Any], *, page_url: str, extraction: str = "feed", lang_hint: str | None = None
) -> RawJob:
    """A generic job-like JSON record (JS state, unknown APIs) -> :class:`RawJob`."""
    from spiders.parsers.jobposting import raw_job_from_node
    from spiders.parsers.salary import salary_from_structured

    if "JobPosting" in node_types(record):
        raw = raw_job_from_node(record, page_url=page_url, syntax="json-ld", lang_hint=lang_hint)
        raw.extraction = extraction
        return raw
    url = _record_url(record, page_url)
    raw = RawJob(
        url=url if url and _same_site(url, page_url) else page_url,
        extraction=extraction,
        raw=record,
        lang_hint=lang_hint,
    )
    raw.title = _get(record, _TITLE_KEYS)
    raw.description = _get(record, _DESC_KEYS)
    org = _get(record, _ORG_KEYS)
    if isinstance(org, dict):
        raw.organization = org.get("name")
        raw.organization_url = org.get("url") or org.get("website")
    else:
        raw.organization = org
    loc = _get(record, _LOC_KEYS)
    if loc is None and any(k in record for k in ("country", "countryCode", "region")):
        loc = record
    raw.locality, raw.region, raw.country, raw.location_text = _loc_parts(loc)
    if raw.country is None:
        raw.country = _get(record, ("country", "countryCode", "country_code"))
    raw.date_posted = _get(record, _DATE_KEYS)
    raw.valid_through = _get(record, _VALID_KEYS)
    etype = _get(record, _TYPE_KEYS)
    raw.employment_type = etype if isinstance(etype, str | list) else None
    remote = _get(record, _REMOTE_KEYS)
    if isinstance(remote, bool):
        raw.remote = remote or None
    elif isinstance(remote, str) and re.search(r"remote|telecommute", remote, re.I):
        raw.remote = True
    salary = _get(record, _SALARY_KEYS)
    if isinstance(salary, dict):
        shaped = {
            "currency": salary.get("currency") or salary.get("salaryCurrency"),
            "value": {
                "minValue": salary.get("min")
                or salary.get("minValue")
                or salary.get("from")
                or salary.get("salary_from"),
                "maxValue": salary.get("max")
                or salary.get("maxValue")
                or salary.get("to")
                or salary.get("salary_to"),
                "unitText": salary.get("period")
                or salary.get("interval")
                or salary.get("unitText")
                or salary.get("unit"),
            },
        }
        raw.salary = salary_from_structured(shaped)
    elif isinstance(salary, str):
        raw.salary_text = salary
    return raw


def state_jobs(html: str, page_url: str, *, lang_hint: str | None = None) -> list[RawJob]:
    """The job postings held in a page's JS state (empty when there is none)."""
    if "__" not in html and "application/json" not in html and "State" not in html:
        return []
    raws: list[RawJob] = []
    seen: set[int] = set()
    for _name, blob in _state_blobs(html):
        for record in state_records(blob):
            if id(record) in seen:
                continue
            seen.add(id(record))
            raws.append(raw_job_from_record(record, page_url=page_url, lang_hint=lang_hint))
    return raws


# --- HTML fallback ----------------------------------------------------------------------------
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


def json_records(payload: Any, page_url: str) -> list[RawJob]:
    """Job-like records in a JSON response of an unknown API."""
    return [raw_job_from_record(r, page_url=page_url) for r in state_records(payload)]
