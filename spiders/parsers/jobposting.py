"""Job adverts: a schema.org ``JobPosting`` node (or any reader's raw fields) -> ``JobAdvert``.

Every reader (JSON-LD/microdata/RDFa nodes here, the HTML fallback and JS state in
``jobs_html``, the ATS adapters in ``spiders.boards``) fills a :class:`RawJob` with what the
source says, unnormalised; :func:`normalise_job` turns it into a :class:`JobAdvert` the same way
for all of them: plain-text description, ISO dates, ISO 3166 country + city + NUTS-like region,
remote flag, schema.org employment-type codes, salary with an annualised midpoint, language.

Nothing here raises on bad input: what cannot be read becomes a message in ``item.warnings``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from crawler.items import JobAdvert
from crawler.text import clean_text, detect_language, html_to_text
from crawler.urls import canonical_url, readable_url
from spiders.parsers.dates import iso_date
from spiders.parsers.places import country_code, resolve_place_text
from spiders.parsers.salary import Salary, parse_salary_text, salary_from_structured
from spiders.parsers.structured import node_types

__all__ = [
    "RawJob",
    "detect_remote",
    "employment_codes",
    "employment_from_text",
    "employment_types",
    "job_from_node",
    "normalise_job",
    "raw_job_from_node",
]

#: Free-text employment types (any language) -> schema.org codes.
_EMPLOYMENT_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.IGNORECASE), code)
    for p, code in (
        (
            r"full[\s_-]?time|vollzeit|temps\s+(?:plein|complet)|plein\s+temps|tiempo\s+completo|"
            r"jornada\s+completa|tempo\s+pieno|tempo\s+integral|pe[łl]n[ye]\s+(?:etat|wymiar)|"
            r"voltijd|fulltime|heltid|heltidstjänst|fuldtid|plný\s+úvazek|plný\s+pracovný\s+úväzok|"
            r"kokoaika\w*|teljes\s+munkaidő|normă\s+întreagă|full[\s-]?time|πλήρης\s+απασχόληση",
            "FULL_TIME",
        ),
        (
            r"part[\s_-]?time|teilzeit|temps\s+partiel|tiempo\s+parcial|media\s+jornada|"
            r"tempo\s+parziale|cz[eę][sś][ćc]\s+etatu|niepełny\s+etat|deeltijd|deltid|"
            r"minijob|werkstudent|working[\s_-]?student|zkrácený\s+úvazek|částečný\s+úvazek|"
            r"skrátený\s+úväzok|osa-aikai\w*|részmunkaidő|normă\s+parțială|"
            r"μερική\s+απασχόληση|meio\s+período|tempo\s+parcial|aushilfe",
            "PART_TIME",
        ),
        (
            r"contractor|^contract(?:\s+(?:role|position|job|work))?$|freelance\w*|freiberuf\w*|self[\s_-]?employed|b2b|"
            r"umowa\s+(?:zlecenie|o\s+dzieło)|kontrakt|indépendant|autónomo|autoentrepreneur|"
            r"auto-entrepreneur|portage|consultant|collaborazione|partita\s+iva|zzp|"
            r"živnost|ičo|honorarbasis|honorar",
            "CONTRACTOR",
        ),
        (
            r"temporary|temp\b|(?<!un)befristet|fixed[\s_-]?term|\bcdd\b|"
            r"contrat\s+à\s+durée\s+déterminée|temporal|temporaire|tempo\s+determinato|"
            r"na\s+czas\s+okre[sś]lony|tijdelijk|interim|intérim|zeitarbeit|saisonal|seasonal|"
            r"doba\s+určitá|brigáda|visstid|vikariat|määräaikai\w*|határozott\s+idejű|"
            r"perioadă\s+determinată|ορισμένου\s+χρόνου",
            "TEMPORARY",
        ),
        (
            r"\bintern(?:ship)?\b|praktikum|praktikant\w*|\bstage\b|stagiaire|alternance|"
            r"apprentissage|prácticas|pr[aá]ctica|becari[oa]|tirocinio|stagista|\bsta[zż]\b|"
            r"sta[zż]ysta|praktyk[ia]|apprentice\w*|ausbildung|azubi|trainee|werkstudent|"
            r"est[aá]gio|estagiário|stagiair|afstudeerstage|praxe|stáž|harjoittel\w*|"
            r"gyakornok|internship|πρακτική\s+άσκηση",
            "INTERN",
        ),
        (
            r"volunteer|ehrenamt\w*|bénévol\w*|voluntari\w*|volontari\w*|wolontariat|"
            r"vrijwillig\w*|dobrovoln\w*|frivillig|vapaaehtoi\w*|önkéntes|εθελοντ\w*",
            "VOLUNTEER",
        ),
        (r"per[\s_-]?diem", "PER_DIEM"),
    )
]
#: schema.org employment types, in the order several are written (the same page always gives
#: the same string, whatever order its source lists them in).
_CODE_SEQUENCE = (
    "FULL_TIME",
    "PART_TIME",
    "CONTRACTOR",
    "TEMPORARY",
    "INTERN",
    "VOLUNTEER",
    "PER_DIEM",
    "OTHER",
)
_SCHEMA_CODES = frozenset(_CODE_SEQUENCE)
#: Contract words that are not a working-time type (Personio's ``permanent``).
_IGNORED_TYPES = re.compile(
    r"^(?:permanent|regular|festanstellung|feste?\s+anstellung|unbefristet|cdi|fastansættelse|"
    r"fast\s+ansættelse|fast\s+stilling|fast\s+anställning|"
    r"contrat\s+à\s+durée\s+indéterminée|indefinido|contrato\s+indefinido|indeterminato|"
    r"tempo\s+indeterminato|umowa\s+o\s+prac[eę]|vast|vast\s+contract|"
    r"doba\s+neurčitá|hpp|tillsvidare|tills\s+vidare|tillsvidareanställning|vakituinen|"
    r"határozatlan\s+idejű|perioadă\s+nedeterminată|αορίστου\s+χρόνου|efetivo)$",
    re.IGNORECASE,
)
#: A permanent contract said alone (``CDI``, ``Festanstellung``): full-time unless stated.
_PERMANENT_DEFAULT = "FULL_TIME"
#: Employment words written in a title or a labelled phrase of the text ("(Teilzeit)",
#: "Contrat : CDI, temps plein"), used when the source has no employment type.
_TYPE_IN_TITLE_RE = re.compile(
    r"\((?P<paren>[^()]{2,40})\)|\b(?P<word>werkstudent\w*|praktikum|praktikant\w*|"
    r"internship|intern|stagiaire|stage|alternance|minijob|teilzeit|vollzeit|part[\s-]?time|"
    r"full[\s-]?time|freelance\w*|volunteer|ehrenamt\w*|cdi|cdd|b2b|est[aá]gio|"
    r"tirocinio|prácticas|becari[oa])\b",
    re.IGNORECASE,
)
_TYPE_IN_TEXT_RE = re.compile(
    r"\b(?:contrat|type de contrat|contract(?:\s+type)?|employment(?:\s+type)?|"
    r"anstellungsart|vertragsart|arbeitszeit|tipo de contrato|jornada|contratto|"
    r"rodzaj umowy|wymiar pracy|dienstverband|typ úvazku|anställningsform)\s*[:：]\s*"
    r"(?P<value>[^.\n;]{2,60})",
    re.IGNORECASE,
)

_REMOTE_STRONG = re.compile(
    r"\bremote\b|\btelecommut\w*|\bwork(?:ing)?\s+from\s+(?:home|anywhere)\b|\bwfh\b|"
    r"home[\s-]?office|mobiles?\s+arbeiten|\bremote[\s-]?first\b|t[ée]l[ée]travail|"
    r"teletrabajo|\ben\s+remoto\b|trabajo\s+remoto|da\s+remoto|smart\s+working|"
    r"\bzdaln\w*|\bthuiswerk\w*|\bop\s+afstand\b|\btelepráce\b|\bdistanční\b|\bhybrid\w*",
    re.IGNORECASE,
)
_REMOTE_NEGATED = re.compile(
    r"\b(?:no|not|non|kein\w*|nicht|pas\s+de|sans|sin|senza|bez|niet|geen)\b[\w\s%-]{0,20}"
    r"(?:remote|home[\s-]?office|t[ée]l[ée]travail|teletrabajo|zdaln\w*|thuiswerk\w*)",
    re.IGNORECASE,
)
#: Phrases in a description strong enough to call a job remote.
_REMOTE_DESCRIPTION = re.compile(
    r"\b(?:100\s?%|fully|full|completely|entirely)\s+remote\b|\bremote[\s-](?:first|only|"
    r"position|role|job|work|working|possible|friendly|option)|\bwork\s+from\s+(?:home|anywhere)"
    r"|home[\s-]?office[\s-]?(?:möglich|option|tage?|anteil)|\bmobiles?\s+arbeiten|"
    r"(?:possibilité\s+de\s+|jours?\s+de\s+)?t[ée]l[ée]travail(?:\s+(?:possible|complet|"
    r"partiel|total))?|\bteletrabajo\b|\btrabajo\s+(?:en\s+)?remoto\b|\bpraca\s+zdaln\w*|"
    r"\bzdalnie\b|\bthuiswerken\b|\blavoro\s+da\s+remoto\b|\bsmart\s+working\b|"
    r"\bhybrid(?:es)?\s+(?:working|work|role|position|arbeiten)\b|\btravail\s+hybride\b",
    re.IGNORECASE,
)
_HTML_MARKUP_RE = re.compile(r"<[a-zA-Z/!]|&(?:lt|gt|amp|nbsp|#\d+);")
_SLUG_RE = re.compile(r"[^a-z0-9]+")


@dataclass(slots=True, kw_only=True)
class RawJob:
    """What one reader found for one advert, before normalisation."""

    url: str
    extraction: str
    title: Any = None
    organization: Any = None
    organization_url: Any = None
    locality: Any = None
    region: Any = None
    country: Any = None
    #: a location as one string ("Berlin, Germany"), when the source has no parts
    location_text: Any = None
    remote: bool | None = None
    date_posted: Any = None
    valid_through: Any = None
    employment_type: Any = None
    salary: Salary | None = None
    salary_text: str | None = None
    description: Any = None  # HTML or text
    lang_hint: str | None = None
    #: the page says the advert is closed/expired (None: nothing said)
    closed: bool | None = None
    #: the country the page points to (its language), preferred for ambiguous place names
    country_hint: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


# --- small readers ------------------------------------------------------------------------
def _first(value: Any) -> Any:
    if isinstance(value, list):
        return next((v for v in value if v not in (None, "", [], {})), None)
    return value


def _text(value: Any) -> str | None:
    """A short text field from whatever a source put there (str, number, node, list)."""
    value = _first(value)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, dict):
        value = value.get("name") or value.get("@value") or value.get("value") or value.get("text")
        if isinstance(value, dict | list):
            return _text(value)
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    if "<" in value and ">" in value:
        value = html_to_text(value)
    out = clean_text(value)
    return out or None


def _url(value: Any, base: str) -> str | None:
    values = value if isinstance(value, list) else [value]
    for v in values:
        if isinstance(v, dict):
            v = v.get("@id") or v.get("url")
        if isinstance(v, str) and v.strip():
            try:
                full = urljoin(base, v.strip())
                parts = urlsplit(full)
            except ValueError:  # not a readable URL (``http://[::1``): try the next one
                continue
            if parts.scheme in ("http", "https") and parts.hostname and readable_url(full):
                return full
    return None


#: Working-time shares ("80 – 100%", "Pensum 60%"): 100 % is full time, less is part time.
_WORKLOAD_RE = re.compile(
    r"^\D{0,20}?(?P<low>\d{1,3})\s*%?\s*(?:[-–—]|bis|to|à|a)\s*(?P<high>\d{1,3})\s*%\W*$|"
    r"^\D{0,20}?(?P<one>\d{1,3})\s*%\W*$",
    re.IGNORECASE,
)
_SPLIT_TYPES_RE = re.compile(
    r"\s*[,;/|–]\s*|\s+(?:or|oder|ou|lub|of|und|and|et|y|i|e|eller|nebo|vagy)\s+"
)
_CODE_ORDER = {code: i for i, code in enumerate(_CODE_SEQUENCE)}


def _workload_codes(text: str) -> list[str]:
    m = _WORKLOAD_RE.match(text.strip())
    if m is None:
        return []
    values = [int(v) for v in (m.group("low"), m.group("high"), m.group("one")) if v]
    if not values or max(values) > 100 or min(values) == 0:
        return []
    codes = []
    if max(values) == 100:
        codes.append("FULL_TIME")
    if min(values) < 100:
        codes.append("PART_TIME")
    return codes


def _sorted_codes(parts: list[str]) -> list[str]:
    """Codes in :data:`_CODE_ORDER` (free text after them, in the order found)."""
    return sorted(parts, key=lambda p: (_CODE_ORDER.get(p, len(_CODE_ORDER)),))


def employment_codes(text: str) -> list[str]:
    """The schema.org codes a short text states ("Vollzeit, Teilzeit" -> FULL_TIME,
    PART_TIME; "CDI" -> FULL_TIME; "80 – 100%" -> FULL_TIME, PART_TIME); [] when it states
    none (free text is never returned)."""
    found = employment_types(text)
    if not found:
        return []
    codes = found.split(", ")
    return codes if all(c in _SCHEMA_CODES for c in codes) else []


def employment_types(value: Any) -> str | None:
    """schema.org codes (``FULL_TIME``, ``PART_TIME``...) from codes, lists or free text in
    any language; unknown values are kept as cleaned text. Several are joined with ``", "``
    in a fixed order (``FULL_TIME, PART_TIME, CONTRACTOR, TEMPORARY, INTERN, VOLUNTEER,
    PER_DIEM, OTHER``), whatever order the source lists them in. A permanent contract
    (``CDI``, ``unbefristet``) without a working-time word is full time."""
    items: list[Any] = value if isinstance(value, list) else [value]
    parts: list[str] = []
    permanent = False
    for item in items:
        text = _text(item)
        if not text:
            continue
        workload = _workload_codes(text)
        if workload:
            parts.extend(c for c in workload if c not in parts)
            continue
        for piece in _SPLIT_TYPES_RE.split(text):
            piece = piece.strip()
            if not piece:
                continue
            code = re.sub(r"[\s-]+", "_", piece.upper())
            if code in _SCHEMA_CODES:
                found = [code]
            else:
                found = [c for pattern, c in _EMPLOYMENT_PATTERNS if pattern.search(piece)]
                if not found and _IGNORED_TYPES.match(piece):
                    permanent = True
                    continue
                if not found:
                    found = [piece]
            for c in found:
                if c not in parts:
                    parts.append(c)
    codes = [p for p in parts if p in _SCHEMA_CODES]
    if codes:  # free text next to a recognised type ("Permanent (28 hours)") is noise
        parts = codes
    elif permanent:
        parts = [_PERMANENT_DEFAULT]
    return ", ".join(_sorted_codes(parts)) if parts else None


def employment_from_text(title: str | None, description: str | None) -> str | None:
    """schema.org codes from a title ("(Teilzeit)", "Werkstudent") or a labelled phrase in the
    text ("Contrat : CDI, temps plein"); only recognised codes, never free text."""
    candidates: list[str] = []
    for m in _TYPE_IN_TITLE_RE.finditer(title or ""):
        candidates.append(m.group("paren") or m.group("word"))
    if description:
        labelled = _TYPE_IN_TEXT_RE.search(description[:20_000])
        if labelled:
            candidates.append(labelled.group("value"))
    for text in candidates:
        found = employment_types(text)
        if found and all(c in _SCHEMA_CODES for c in found.split(", ")):
            return found
    return None


def _with_title_codes(employment: str, title: str) -> str:
    """Codes the title states ("Werkstudent*in", "(Teilzeit)") added to recognised codes
    from the source ("PART_TIME" + "Werkstudent" -> "PART_TIME, INTERN")."""
    codes = employment.split(", ")
    if not all(c in _SCHEMA_CODES for c in codes):
        return employment
    extra = employment_from_text(title, None)
    if not extra:
        return employment
    merged = codes + [c for c in extra.split(", ") if c not in codes]
    return ", ".join(_sorted_codes(merged))


def detect_remote(
    *, explicit: bool | None, short_texts: list[str | None], description: str | None
) -> bool | None:
    """True when remote (or hybrid) work is offered: an explicit flag, a remote word in the
    title/location/type, or a strong phrase in the description; None when nothing says."""
    if explicit is not None:
        return explicit
    for text in short_texts:
        if text and _REMOTE_STRONG.search(text) and not _REMOTE_NEGATED.search(text):
            return True
    if description:
        sample = description[:20_000]
        for m in _REMOTE_DESCRIPTION.finditer(sample):
            window = sample[max(0, m.start() - 30) : m.end()]
            if not _REMOTE_NEGATED.search(window):
                return True
    return None


# --- JobPosting nodes ---------------------------------------------------------------------
def _address_parts(place: Any) -> tuple[Any, Any, Any, Any]:
    """(locality, region, country, text) of a ``Place``/``PostalAddress``/string."""
    place = _first(place)
    if place is None:
        return None, None, None, None
    if isinstance(place, str):
        return None, None, None, place
    if not isinstance(place, dict):
        return None, None, None, None
    address = place.get("address", place)
    address = _first(address)
    if isinstance(address, str):
        return None, None, None, address
    if not isinstance(address, dict):
        return None, None, None, _text(place.get("name"))
    country = address.get("addressCountry")
    if isinstance(country, dict):
        country = country.get("name") or country.get("identifier") or country.get("@id")
    locality = address.get("addressLocality")
    region = address.get("addressRegion")
    text = None
    if not locality and not country:
        text = (
            _text(place.get("name"))
            or _text(address.get("name"))
            or _text(address.get("streetAddress"))
        )
    return locality, region, country, text


def raw_job_from_node(
    node: dict[str, Any], *, page_url: str, syntax: str, lang_hint: str | None = None
) -> RawJob:
    """The fields of one schema.org ``JobPosting`` node (any syntax), unnormalised."""
    extraction = {"json-ld": "jsonld", "microdata": "microdata", "rdfa": "rdfa"}.get(syntax, syntax)
    raw = RawJob(url=page_url, extraction=extraction, raw=node, lang_hint=lang_hint)
    raw.title = node.get("title") or node.get("name")
    org = _first(node.get("hiringOrganization"))
    if isinstance(org, dict):
        raw.organization = org.get("name") or org.get("legalName")
        raw.organization_url = _url(org.get("sameAs"), page_url) or _url(org.get("url"), page_url)
    elif org is not None:
        raw.organization = org
        if not isinstance(org, str):
            raw.warnings.append("hiringOrganization: unexpected type")
    locations = node.get("jobLocation")
    if isinstance(locations, list) and len([x for x in locations if x]) > 1:
        raw.warnings.append(f"jobLocation: {len(locations)} places, the first is kept")
    raw.locality, raw.region, raw.country, raw.location_text = _address_parts(locations)
    loc_type = node.get("jobLocationType")
    loc_types = loc_type if isinstance(loc_type, list) else [loc_type]
    if any(isinstance(t, str) and "TELECOMMUTE" in t.upper() for t in loc_types):
        raw.remote = True
    if raw.country is None and raw.locality is None and raw.location_text is None:
        req = _first(node.get("applicantLocationRequirements"))
        if isinstance(req, dict):
            raw.country = req.get("name") or req.get("identifier")
        elif isinstance(req, str):
            raw.country = req
    raw.date_posted = node.get("datePosted")
    raw.valid_through = node.get("validThrough")
    raw.employment_type = node.get("employmentType")
    currency = node.get("salaryCurrency")
    for key in ("baseSalary", "estimatedSalary"):
        if node.get(key) not in (None, "", [], {}):
            raw.salary = salary_from_structured(
                node[key], default_currency=currency if isinstance(currency, str) else None
            )
            break
    raw.description = node.get("description")
    if raw.description is None:
        parts = [
            node.get(k)
            for k in (
                "responsibilities",
                "qualifications",
                "skills",
                "jobBenefits",
                "educationRequirements",
            )
        ]
        texts = [p for p in parts if isinstance(p, str) and p.strip()]
        raw.description = "\n".join(texts) or None
    in_lang = node.get("inLanguage")
    if isinstance(in_lang, str) and in_lang.strip():
        raw.lang_hint = in_lang
    own = _url(node.get("url"), page_url)
    if own and urlsplit(own).netloc == urlsplit(page_url).netloc:
        raw.url = own
    return raw


def _fragment_for(raw: RawJob, index: int) -> str:
    ident = raw.raw.get("identifier") if isinstance(raw.raw, dict) else None
    if isinstance(ident, dict):
        ident = ident.get("value") or ident.get("name")
    if isinstance(ident, str | int) and str(ident).strip():
        return "job-" + _SLUG_RE.sub("-", str(ident).lower()).strip("-")[:60]
    basis = f"{_text(raw.title) or ''}|{_text(raw.organization) or ''}|{index}"
    return "job-" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:12]


def distinct_urls(raws: list[RawJob]) -> None:
    """Several adverts on one URL (a page listing postings inline): give each its own
    fragment, so each is one stored item."""
    counts: dict[str, int] = {}
    for r in raws:
        counts[canonical_url(r.url)] = counts.get(canonical_url(r.url), 0) + 1
    for i, r in enumerate(raws):
        if counts[canonical_url(r.url)] > 1:
            r.url = canonical_url(r.url) + "#" + _fragment_for(r, i)


# --- normalisation -----------------------------------------------------------------------
def _description(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        value = "\n".join(v for v in value if isinstance(v, str))
    if isinstance(value, dict):
        value = value.get("@value") or value.get("text") or ""
    if not isinstance(value, str):
        return ""
    if _HTML_MARKUP_RE.search(value):
        return html_to_text(value)
    lines = [clean_text(line) for line in value.splitlines()]
    return "\n".join(line for line in lines if line)


def _date(
    value: Any,
    field_name: str,
    warnings: list[str],
    now: datetime | None,
    languages: list[str] | None,
) -> str | None:
    value = _first(value)
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:  # epoch seconds or milliseconds (ATS feeds)
            seconds = value / 1000 if value > 10_000_000_000 else value
            return datetime.fromtimestamp(seconds, UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            warnings.append(f"{field_name}: unreadable {value!r}")
            return None
    if not isinstance(value, str):
        warnings.append(f"{field_name}: unexpected type")
        return None
    kwargs: dict[str, Any] = {}
    if now is not None:
        kwargs["now"] = now
    if languages:
        kwargs["languages"] = languages
    out = iso_date(value, **kwargs)
    if out is None:
        warnings.append(f"{field_name}: unreadable {clean_text(value)[:40]!r}")
    return out


def _place(raw: RawJob) -> tuple[str | None, str | None, str | None]:
    locality, region = _text(raw.locality), _text(raw.region)
    country_raw = _text(raw.country)
    text = _text(raw.location_text)
    country = country_code(country_raw) if country_raw else None
    query = locality or text
    if query is None and region:
        query = region
    city = reg = None
    if query:
        # a location that only says "Remote" (or similar) is no place
        cleaned = _REMOTE_STRONG.sub(" ", query).strip(" ,;/-()|")
        if cleaned:
            if locality and region and region.lower() not in locality.lower():
                cleaned = f"{cleaned}, {region}"
            place = resolve_place_text(cleaned, country_hint=country or raw.country_hint)
            city, reg = place.city, place.region
            country = country or place.country
            if city is None and locality:
                city = locality
    if reg is None and region and country and city is None:
        reg = region
    return city, reg, country


def normalise_job(raw: RawJob, *, source: str, now: datetime | None = None) -> JobAdvert | None:
    """A :class:`JobAdvert` from a reader's raw fields; None when it has no title."""
    warnings = list(raw.warnings)
    title = _text(raw.title)
    if not title:
        return None
    description = _description(raw.description)
    if not description:
        warnings.append("description: missing")
    language = detect_language(description or title, hint=raw.lang_hint)
    languages = [language] if language else None
    city, region, country = _place(raw)
    salary = raw.salary
    if (salary is None or salary.empty) and raw.salary_text:
        parsed = parse_salary_text(raw.salary_text, require_context=False, country_hint=country)
        if parsed is not None:
            salary = parsed
    if salary is None and description:
        salary = parse_salary_text(description[:20_000], require_context=True, country_hint=country)
    elif salary is not None and not salary.empty and salary.period is None and description:
        # "od 12 000 do 15 000 zł brutto" in a field, "... miesięcznie" in the text
        again = parse_salary_text(description[:20_000], require_context=True, country_hint=country)
        if again is not None and (again.min, again.max) == (salary.min, salary.max):
            salary = again
    if salary is not None:
        warnings.extend(w for w in salary.warnings if w not in warnings)
    employment = employment_types(raw.employment_type)
    if employment is None and raw.employment_type in (None, "", []):
        employment = employment_from_text(title, description)
    elif employment is not None and raw.extraction == "html":
        # facts read from markup are partial; a structured source's type is its own word
        employment = _with_title_codes(employment, title)
    remote = detect_remote(
        explicit=raw.remote,
        short_texts=[title, _text(raw.location_text), _text(raw.locality), employment],
        description=description,
    )
    if remote is None and (city or country):
        remote = False
    url = raw.url
    fragment = urlsplit(url).fragment
    url = canonical_url(url) + (f"#{fragment}" if fragment else "")
    valid_through = _date(raw.valid_through, "valid_through", warnings, now, languages)
    today = (now or datetime.now(UTC)).date().isoformat()
    closed = bool(raw.closed) or (valid_through is not None and valid_through < today)
    return JobAdvert(
        source=source,
        url=url,
        title=title,
        hiring_organization=_text(raw.organization),
        hiring_organization_url=_url(raw.organization_url, raw.url),
        location_city=city,
        location_region=region,
        location_country=country,
        remote=remote,
        date_posted=_date(raw.date_posted, "date_posted", warnings, now, languages),
        valid_through=valid_through,
        employment_type=employment,
        salary_min=salary.min if salary else None,
        salary_max=salary.max if salary else None,
        salary_currency=salary.currency if salary and not salary.empty else None,
        salary_period=salary.period if salary else None,
        salary_annual=salary.annual if salary else None,
        description=description,
        language=language,
        extraction=raw.extraction,
        closed=closed,
        warnings=warnings,
        raw=raw.raw if isinstance(raw.raw, dict) else {"value": raw.raw},
    )


def job_from_node(
    node: dict[str, Any],
    *,
    source: str,
    page_url: str,
    syntax: str,
    lang_hint: str | None = None,
    now: datetime | None = None,
) -> JobAdvert | None:
    """One ``JobPosting`` node -> ``JobAdvert`` (None when the node has no usable title)."""
    if "JobPosting" not in node_types(node):
        return None
    return normalise_job(
        raw_job_from_node(node, page_url=page_url, syntax=syntax, lang_hint=lang_hint),
        source=source,
        now=now,
    )
