"""Contact facts from organisation pages: e-mail addresses and the postal address.

E-mail addresses come from ``mailto:`` links (query strings and several recipients handled),
Cloudflare-protected links (``/cdn-cgi/l/email-protection#…``, ``data-cfemail``) and the page
text, after undoing the usual obfuscations: ``info [at] example [dot] org``,
``info(at)example(dot)org``, ``info at example dot org``, ``info@example[.]org``,
``info [ät] example [punkt] de``, ``info (arroba) example (punto) es``.

The postal address comes from schema.org ``PostalAddress`` (JSON-LD or microdata) or from the
lines of an imprint/contact page or footer: a *postcode + city* line (German, French, Spanish,
Italian, Dutch, Polish, Portuguese, Nordic, Czech, British forms) preceded by a street line.
City and country are resolved offline by :mod:`spiders.parsers.places`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from crawler.text import clean_text
from spiders.parsers.places import country_code, resolve_place

__all__ = [
    "Address",
    "address_from_lines",
    "address_from_schema",
    "decode_cfemail",
    "emails_from_mailto",
    "emails_from_text",
    "pick_emails",
    "resolve_address",
]

MAX_EMAILS = 10

#: Not preceded by ``@``: ``@user@instance.social`` is a fediverse handle, not an address.
_EMAIL_RE = re.compile(
    r"(?<![\w.+%@-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63})@"
    r"((?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})(?![\w-])"
)
_AT_WORDS = r"at|ät|arroba|arobase|chez|snabel-?a|malpa|małpa|klammeraffe|chiocciola|apenstaartje|@"
_DOT_WORDS = r"dot|punkt|point|punto|punt|kropka|prick|piste|ponto|\."
_BRACKET_AT_RE = re.compile(rf"\s*[\[\(\{{<]\s*(?:{_AT_WORDS})\s*[\]\)\}}>]\s*", re.IGNORECASE)
_BRACKET_DOT_RE = re.compile(rf"\s*[\[\(\{{<]\s*(?:{_DOT_WORDS})\s*[\]\)\}}>]\s*", re.IGNORECASE)
#: ``info at example dot org`` (bare words): only with at least one ``dot`` so ordinary prose
#: ("meet us at Berlin") never becomes an address.
_BARE_RE = re.compile(
    r"\b([A-Za-z0-9][A-Za-z0-9._%+-]{0,63})\s+(?:at|AT|At)\s+"
    r"([A-Za-z0-9-]{1,63}(?:\s+(?:dot|DOT|Dot)\s+[A-Za-z0-9-]{1,63})+)\b"
)
_BARE_DOT_RE = re.compile(r"\s+(?:dot|DOT|Dot)\s+")
_NOT_TLDS = frozenset(
    {
        "png",
        "jpg",
        "jpeg",
        "gif",
        "svg",
        "webp",
        "avif",
        "ico",
        "bmp",
        "tif",
        "tiff",
        "css",
        "js",
        "mjs",
        "json",
        "xml",
        "pdf",
        "zip",
        "mp4",
        "mp3",
        "woff",
        "woff2",
        "ttf",
        "eot",
        "php",
        "html",
        "htm",
        "asp",
        "aspx",
        "map",
        "min",
        "gz",
    }
)
#: Placeholders and tracking services that show up in page source, not contacts.
_NOT_CONTACT_DOMAINS = frozenset(
    {
        "sentry.io",
        "sentry-next.wixpress.com",
        "sentry.wixpress.com",
        "wixpress.com",
        "domain.com",
        "email.com",
        "yourdomain.com",
        "yoursite.com",
        "mysite.com",
    }
)
_NOT_CONTACT_LOCALS = frozenset(
    {
        "name",
        "email",
        "your.name",
        "yourname",
        "you",
        "user",
        "username",
        "john.doe",
        "max.mustermann",
        "firstname.lastname",
        "vorname.nachname",
        "prenom.nom",
    }
)


def _valid_email(local: str, domain: str) -> str | None:
    domain = domain.lower().rstrip(".")
    tld = domain.rsplit(".", 1)[-1]
    if tld in _NOT_TLDS or not tld.isalpha():
        return None
    if domain in _NOT_CONTACT_DOMAINS or domain.endswith(".wixpress.com"):
        return None
    if local.lower() in _NOT_CONTACT_LOCALS or ".." in local or local.endswith("."):
        return None
    if re.fullmatch(r"[0-9a-f]{24,}", local):  # hashes (Sentry DSNs and the like)
        return None
    return f"{local}@{domain}"


def _find(text: str) -> list[str]:
    out = []
    for match in _EMAIL_RE.finditer(text):
        email = _valid_email(match.group(1), match.group(2))
        if email:
            out.append(email)
    return out


def emails_from_text(text: str) -> list[str]:
    """Addresses in running text, obfuscated ones included (in order, duplicates kept)."""
    if not text:
        return []
    found = _find(text)
    if _BRACKET_AT_RE.search(text) or _BRACKET_DOT_RE.search(text):
        deobf = _BRACKET_AT_RE.sub("@", text)
        deobf = _BRACKET_DOT_RE.sub(".", deobf)
        found += [e for e in _find(deobf) if e not in found]
    for match in _BARE_RE.finditer(text):
        domain = _BARE_DOT_RE.sub(".", match.group(2))
        email = _valid_email(match.group(1), domain)
        if email and email not in found:
            found.append(email)
    return found


def emails_from_mailto(href: str) -> list[str]:
    """Addresses of a ``mailto:`` link (``?subject=…`` dropped, ``%40`` decoded, several
    recipients split, obfuscated forms undone)."""
    if not href:
        return []
    value = href.strip()
    if value[:7].lower() != "mailto:":
        return []
    value = value[7:].split("?", 1)[0]
    value = unquote(value).replace("&#64;", "@")
    out: list[str] = []
    for part in re.split(r"[,;]", value):
        part = part.strip()
        for email in emails_from_text(part):
            if email not in out:
                out.append(email)
    return out


def decode_cfemail(encoded: str) -> str | None:
    """Cloudflare's e-mail protection: hex string whose first byte XORs the rest."""
    try:
        data = bytes.fromhex(encoded.strip())
    except ValueError:
        return None
    if len(data) < 2:
        return None
    key = data[0]
    try:
        decoded = bytes(b ^ key for b in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return None
    found = _find(decoded)
    return found[0] if found else None


def cfemail_from_href(href: str) -> str | None:
    """The address behind ``/cdn-cgi/l/email-protection#<hex>``."""
    if "email-protection" not in href:
        return None
    fragment = urlsplit(href).fragment
    return decode_cfemail(fragment) if fragment else None


def _registrable(host: str) -> str:
    parts = host.lower().split(".")
    return ".".join(parts[-2:]) if len(parts) >= 2 else host.lower()


def pick_emails(candidates: Iterable[str], site_host: str | None = None) -> list[str]:
    """Unique addresses (case-insensitive), those on the site's own domain first, then in
    order of appearance; at most :data:`MAX_EMAILS`."""
    seen: dict[str, str] = {}
    for email in candidates:
        key = email.lower()
        if key not in seen:
            seen[key] = email
    ordered = list(seen.values())
    if site_host:
        own = _registrable(site_host)
        ordered.sort(key=lambda e: 0 if _registrable(e.rsplit("@", 1)[-1]) == own else 1)
    return ordered[:MAX_EMAILS]


# --- postal addresses ----------------------------------------------------------------------


@dataclass(slots=True)
class Address:
    """A postal address as found; ``city``/``country`` resolved by :func:`resolve_address`."""

    text: str
    locality: str | None = None
    country_text: str | None = None
    postal_code: str | None = None
    city: str | None = None
    country: str | None = None  # ISO 3166-1 alpha-2


def _str(value: Any) -> str:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Mapping):
        return _str(value.get("name") or value.get("@value") or "")
    if isinstance(value, list) and value:
        return _str(value[0])
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def address_from_schema(node: Mapping[str, Any]) -> Address | None:
    """An :class:`Address` from a schema.org ``PostalAddress`` node (or a plain string)."""
    street = _str(node.get("streetAddress"))
    code = _str(node.get("postalCode"))
    locality = _str(node.get("addressLocality"))
    region = _str(node.get("addressRegion"))
    country = _str(node.get("addressCountry"))
    if not (street or locality or code):
        return None
    line2 = " ".join(p for p in (code, locality) if p)
    text = ", ".join(p for p in (street, line2, region, country) if p)
    return Address(
        text=text, locality=locality or None, country_text=country or None, postal_code=code or None
    )


_STREET_WORDS = (
    r"stra(?:ß|ss)e|str\.|weg|platz|allee|gasse|ring|damm|ufer|markt|chaussee|steig|"
    r"rue|avenue|av\.|boulevard|bd\.?|place|chemin|quai|impasse|cours|all[ée]e|"
    r"calle|c/|avda\.?|avinguda|carrer|plaza|pla[çc]a|paseo|passeig|camino|ronda|"
    r"via|viale|piazza|corso|largo|vicolo|strada|"
    r"straat|laan|gracht|kade|plein|singel|dijk|"
    r"ulica|ul\.|aleja|al\.|plac|osiedle|"
    r"gatan|gata|v[äa]gen|v[äa]g|torget|gränd|vej|gade|veien|gate|katu|tie|"
    r"rua|travessa|pra[çc]a|"
    r"street|st\.|road|rd\.|lane|avenue|square|way|drive|place|house|building|floor|"
    r"n[áa]m[ěe]st[íi]|t[řr]ída|utca|út"
)
_STREET_RE = re.compile(rf"(?:{_STREET_WORDS})", re.IGNORECASE)
_HOUSE_NUMBER_RE = re.compile(
    r"(?:^|\s)\d{1,4}\s?[a-zA-Z]?(?:[-/]\d{1,4}[a-zA-Z]?)?\.?(?:,|\s|$)"  # "utca 12." too
)
_CITY_CHARS = r"[^\W\d_][^\n,;|()0-9]{1,50}?"
_POSTCODE_CITY_RE = re.compile(
    r"(?:^|[\s,;])(?P<prefix>[A-Z]{1,2}\s?-\s?)?"
    r"(?P<code>\d{2}-\d{3}|\d{4}-\d{3}|\d{4}\s?[A-Z]{2}(?=\s)|\d{3}\s\d{2}|\d{4,5})"
    rf"\s+(?P<city>{_CITY_CHARS})(?:\s\d{{1,2}})?\s*(?:$|[,;|(·•]|\s[-–]\s)"
)
#: A street before the postcode on the same line without a known street word
#: (``Vodičkova 681/18, 111 21 Praha 1``): a name and a house number.
_PREFIX_BEFORE_RE = re.compile(r"(?:^|[\s,])([A-Z]{1,2}\s?-\s?)$")
_HEAD_STREET_RE = re.compile(r"^[^\W\d_][^\d,;|]{2,40}\s\d{1,4}[a-zA-Z]?(?:/\d{1,4}[a-zA-Z]?)?$")
_UK_RE = re.compile(
    r"(?:^|[\s,])(?P<city>[A-Z][A-Za-z' .-]{1,40}?)\s*,?\s+"
    r"(?P<code>[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\b"
)
_PREFIX_COUNTRY = {
    "D": "DE",
    "A": "AT",
    "CH": "CH",
    "F": "FR",
    "E": "ES",
    "I": "IT",
    "NL": "NL",
    "B": "BE",
    "L": "LU",
    "PL": "PL",
    "P": "PT",
    "S": "SE",
    "DK": "DK",
    "N": "NO",
    "FI": "FI",
    "SF": "FI",
    "CZ": "CZ",
    "DE": "DE",
    "AT": "AT",
    "FR": "FR",
    "ES": "ES",
    "IT": "IT",
    "BE": "BE",
    "LU": "LU",
    "SE": "SE",
    "NO": "NO",
    "PT": "PT",
    "HU": "HU",
    "SI": "SI",
    "HR": "HR",
    "SK": "SK",
    "H": "HU",
}
_NOT_ADDRESS_RE = re.compile(
    r"©|\(c\)|copyright|tel|phone|fax|telefon|t[ée]l[ée]fono|iban|bic|ust|vat|hrb|"
    r"register|siret|cif|nif|p\.\s?iva|kvk|btw|nip|regon|org\.?nr",
    re.IGNORECASE,
)
_MAX_LINE = 90
#: A "city" that is a month or weekday name: the line was a date ("1 Jan 2031 Event").
_MONTH_OR_DAY_RE = re.compile(
    r"^(?:jan|feb|m[aä]r|apr|ma[iy]|jun|jul|aug|sep|o[ck]t|nov|de[cz]|mon|tue|wed|thu|fri|sat|"
    r"sun|janv|f[ée]v|avr|juil|ao[uû]|d[ée]c|ene|abr|ago|dic|gen|giu|lug|set|ott|maart|mei|"
    r"okt|sty|lut|kwi|cze|lip|sie|wrz|pa[zź]|lis|gru)[a-zäéûóíáúźł]*\.?(?:\s|$)",
    re.IGNORECASE,
)


def _street_like(line: str, *, loose: bool = False) -> bool:
    """A street line: a house number and a street word (``Musterstraße 12``, ``12 rue X``);
    ``loose`` (inside ``<address>``) accepts a house number alone."""
    if len(line) > _MAX_LINE or not _HOUSE_NUMBER_RE.search(line):
        return False
    return bool(_STREET_RE.search(line)) or (loose and bool(re.match(r"^\d{1,4}\s+\w", line)))


def _drop_label(text: str) -> str:
    """``"Domicilio: Calle Mayor 5"`` -> ``"Calle Mayor 5"`` (a short label before a colon)."""
    label, sep, rest = text.partition(":")
    if sep and rest.strip() and len(label) <= 30 and not any(ch.isdigit() for ch in label):
        return rest.strip()
    return text


def _year_like(code: str) -> bool:
    return bool(re.fullmatch(r"(?:19|20)\d\d", code))


def _clean_city(city: str) -> str:
    city = re.split(r"\s[-–/]\s|\s{2,}", city)[0]
    return city.strip(" .-–")


def _match_line(line: str) -> tuple[str, str, str | None] | None:
    """(postal code, city text, country from a ``D-``/``F-`` prefix) of a postcode line."""
    if len(line) > _MAX_LINE or _NOT_ADDRESS_RE.search(line):
        return None
    match = _POSTCODE_CITY_RE.search(line)
    if match is not None:
        prefix = (match.group("prefix") or "").replace("-", "").strip().upper()
        return (match.group("code"), _clean_city(match.group("city")), _PREFIX_COUNTRY.get(prefix))
    match = _UK_RE.search(line)
    if match is not None:
        return match.group("code"), _clean_city(match.group("city")), "GB"
    return None


#: Where a footer line joins an address to other facts: " · ", " | ", a sentence end.
_SEGMENT_SPLIT_RE = re.compile(r"\s[·•|]\s|(?<=[\w)])\.\s+(?=[A-ZÀ-Ž])")


def _address_lines(lines: list[str]) -> list[str]:
    """Lines with long or mixed footer lines ("Verein · Straße 7 · 79098 Ort · E-Mail …",
    "X CIC, 5 Croft, Bristol BS1 3PL. Company no. 123.") split into their segments, and
    trailing register numbers ("…, IČO: 0123", "· KvK 8123") cut off."""
    out: list[str] = []
    for raw in lines:
        line = clean_text(raw)
        if len(line) <= _MAX_LINE and not _NOT_ADDRESS_RE.search(line):
            out.append(line)
            continue
        for segment in _SEGMENT_SPLIT_RE.split(line):
            parts = [p for p in segment.split(",")]
            while len(parts) > 1 and (
                _NOT_ADDRESS_RE.search(parts[-1]) or "@" in parts[-1] or ":" in parts[-1]
            ):
                parts.pop()
            segment = ",".join(parts).strip(" ,.")
            if segment:
                out.append(segment)
    return out


def address_from_lines(lines: list[str], *, in_address_element: bool = False) -> Address | None:
    """The first plausible postal address among text lines (an imprint, a footer).

    A *postcode + city* line counts when the street is on the line before it or before a
    comma on the same line; a line that is only *postcode + city* with a known city also
    counts inside an ``<address>`` element. A country name on the next line is kept.
    """
    lines = _address_lines(lines)
    for i, raw in enumerate(lines):
        line = clean_text(raw)
        matched = _match_line(line)
        if matched is None:
            continue
        code, city_text, prefix_country = matched
        if not city_text or (
            _year_like(code)
            and not in_address_element
            and not (i > 0 and _street_like(clean_text(lines[i - 1])))
        ):
            continue
        parts: list[str] = []
        # the segment right before the postcode ("Verein X · Straße 1 · 1070 Wien")
        at = line.find(code)
        prefix = _PREFIX_BEFORE_RE.search(line[:at])  # "D-10115": the prefix joins the code
        if prefix is not None and prefix_country:
            at = prefix.start()
        head = re.split(r"\s[·•|]\s", line[:at].strip(" ,;-–·•|"))[-1]
        head = _drop_label(head.strip(" ,;-–·•|"))
        if head and not (_street_like(head) or _HEAD_STREET_RE.match(head)) and "," in head:
            head = head.rsplit(",", 1)[1].strip()  # "Verein X, z. s., Údolní 33, 602 00 Brno"
        if head and (_street_like(head) or _HEAD_STREET_RE.match(head)):
            parts.append(head)
        elif i > 0 and _street_like(clean_text(lines[i - 1])):
            parts.append(_drop_label(clean_text(lines[i - 1])))
        elif not in_address_element:
            continue
        tail = line[at:].strip(" ,;")
        tail = re.split(r"\s[|·•]\s", tail)[0].strip()
        parts.append(tail)
        country_text: str | None = None
        rest = tail[tail.find(code) + len(code) :]
        after_comma = rest.split(",", 1)[1].strip() if "," in rest else ""
        if after_comma and country_code(after_comma):
            country_text = after_comma
        elif i + 1 < len(lines):
            nxt = clean_text(lines[i + 1])
            if nxt and len(nxt) <= 40 and country_code(nxt):
                country_text = nxt
                parts.append(nxt)
        if prefix_country and not country_text:
            country_text = prefix_country
        return Address(
            text=", ".join(parts), locality=city_text, country_text=country_text, postal_code=code
        )
    return None


def resolve_address(address: Address, *, country_hint: str | None = None) -> Address:
    """Fill ``city`` and ``country`` from the gazetteer (offline)."""
    country = country_code(address.country_text) if address.country_text else None
    hint = country or country_hint
    if address.locality:
        place = resolve_place(address.locality, country_hint=hint)
        address.city = place.city or None
        country = country or place.country
    if not address.city and address.text:
        place = resolve_place(address.text, country_hint=hint)
        address.city = place.city or None
        country = country or place.country
    address.country = country or None
    return address
