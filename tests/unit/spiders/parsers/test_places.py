from __future__ import annotations

import dataclasses

import babel
import pytest

from spiders.parsers.places import (
    _COUNTRY_ALIASES,
    Place,
    country_code,
    country_name,
    resolve_place,
)


@pytest.mark.parametrize(
    ("text", "city", "region", "country"),
    [
        ("München, Bayern", "Munich", "Bayern", "DE"),
        ("Munich, Germany", "Munich", "Bayern", "DE"),
        ("Muenchen", "Munich", "Bayern", "DE"),
        ("Munich", "Munich", "Bayern", "DE"),
        ("Warszawa", "Warsaw", "Mazowieckie", "PL"),
        ("Paris, Île-de-France, FR", "Paris", "Île-de-France", "FR"),
        ("75001 Paris", "Paris", "Île-de-France", "FR"),
        ("Paris 8e", "Paris", "Île-de-France", "FR"),
        ("London EC1V 2NX", "London", "England", "GB"),
        ("London, UK", "London", "England", "GB"),
        ("Bruxelles / Brussel", "Brussels", "Région de Bruxelles-Capitale", "BE"),
        ("Wien", "Vienna", "Wien", "AT"),
        ("1010 Wien, Österreich", "Vienna", "Wien", "AT"),
        ("Lisboa", "Lisbon", "Lisboa", "PT"),
        ("Praha", "Prague", "Hlavní město Praha", "CZ"),
        ("København", "Copenhagen", "Hovedstaden", "DK"),
        ("Den Haag", "The Hague", "Zuid-Holland", "NL"),
        ("'s-Gravenhage", "The Hague", "Zuid-Holland", "NL"),
        ("Athens", "Athens", "Attikí", "GR"),
        ("Αθήνα", "Athens", "Attikí", "GR"),
        ("Athens, Greece", "Athens", "Attikí", "GR"),
        ("Milano (MI)", "Milan", "Lombardia", "IT"),
        ("Köln", "Köln", "Nordrhein-Westfalen", "DE"),  # GeoNames' own name, not English
        ("Cologne, Germany", "Köln", "Nordrhein-Westfalen", "DE"),
        ("Frankfurt am Main", "Frankfurt am Main", "Hessen", "DE"),
        ("D-80331 München", "Munich", "Bayern", "DE"),
        ("00-950 Warszawa", "Warsaw", "Mazowieckie", "PL"),
        ("1012 AB Amsterdam", "Amsterdam", "Noord-Holland", "NL"),
        ("Hybrid - Amsterdam", "Amsterdam", "Noord-Holland", "NL"),
        ("Remote / Berlin", "Berlin", "Berlin", "DE"),
        ("Greater London Area", "London", "England", "GB"),
        ("Office in central Berlin", "Berlin", "Berlin", "DE"),
        ("Berlin - Kreuzberg", "Berlin", "Berlin", "DE"),
        ("Frankfurt-am-Main", "Frankfurt am Main", "Hessen", "DE"),
        ("Leipzig-Plagwitz", "Leipzig", "Sachsen", "DE"),  # unknown suffix: first part
        ("Kraków, Małopolskie", "Kraków", "Małopolskie", "PL"),
        ("Göteborg", "Gothenburg", "Västra Götalands län", "SE"),
        ("Genève", "Geneva", "Genève", "CH"),
        ("Bilbao, País Vasco", "Bilbao", "País Vasco", "ES"),
        ("Barcelona, Catalonia, Spain", "Barcelona", "Catalunya", "ES"),
        ("Cork, Ireland", "Cork", "Munster", "IE"),
        ("Dublin", "Dublin", "Leinster", "IE"),
        ("Cambridge", "Cambridge", "England", "GB"),  # the bigger one
        ("Cambridge, MA", "Cambridge", "Massachusetts", "US"),
        ("Cambridge, Massachusetts, USA", "Cambridge", "Massachusetts", "US"),
        ("London, Ontario", "London", "Ontario", "CA"),
        ("Paris, Texas", "Paris", "Texas", "US"),
        ("Berlin / Munich", "Berlin", "Berlin", "DE"),  # the first city named wins
        ("Москва", "Moscow", "Moskva", "RU"),
    ],
)
def test_resolve_city(text: str, city: str, region: str, country: str) -> None:
    place = resolve_place(text)
    assert (place.city, place.region, place.country) == (city, region, country)
    assert place.latitude is not None
    assert place.longitude is not None


def test_coordinates_are_the_city() -> None:
    place = resolve_place("München")
    assert place.latitude == pytest.approx(48.14, abs=0.05)
    assert place.longitude == pytest.approx(11.58, abs=0.05)


@pytest.mark.parametrize(
    ("text", "hint", "country", "region"),
    [
        ("Cambridge", "GB", "GB", "England"),
        ("Cambridge", "US", "US", "Massachusetts"),
        ("Cambridge", "United States", "US", "Massachusetts"),
        ("London", "CA", "CA", "Ontario"),  # on a Canadian board, London is in Ontario
        ("London", "FR", "GB", "England"),  # no London in France: the biggest one
        ("Valencia", "ES", "ES", "Comunidad Valenciana"),
        ("Valencia", "VE", "VE", None),
        ("Córdoba", "ES", "ES", "Andalucía"),
        ("Córdoba", "AR", "AR", None),
    ],
)
def test_country_hint_breaks_ties(text: str, hint: str, country: str, region: str | None) -> None:
    place = resolve_place(text, country_hint=hint)
    assert place.country == country
    if region is not None:
        assert place.region == region


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Remote (Spain)", Place(country="ES")),
        ("Remote - Germany", Place(country="DE")),
        ("Fully remote, Deutschland", Place(country="DE")),
        ("Deutschlandweit", Place()),
        ("Hybrid", Place()),
        ("Europe", Place()),
        ("Bavaria, Germany", Place(region="Bayern", country="DE")),
        ("Bayern", Place(region="Bayern", country="DE")),
        ("Catalunya", Place(region="Catalunya", country="ES")),
        ("Texas", Place(region="Texas", country="US")),
        ("Berlin, USA", Place(country="US")),  # no Berlin in the US data: no wrong city
        ("Nederland", Place(country="NL")),
        ("UK", Place(country="GB")),
        ("Remote, CA", Place(country="CA")),
        ("Bayern, Austria", Place(country="AT")),  # contradictory: the country wins
        ("(MI)", Place()),
    ],
)
def test_resolve_without_city(text: str, expected: Place) -> None:
    assert resolve_place(text) == expected


def test_hint_is_never_the_answer_alone() -> None:
    assert resolve_place("Remote", country_hint="DE") == Place()
    assert resolve_place("", country_hint="DE") == Place()


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "12345",
        "!!!",
        "<p>&amp;</p>",
        "xyzzy plugh",
        "a" * 100_000,
        "Berlin " * 10_000,
        "\x00\ud800",
        "N/A",
        "de",  # a lower-case two-letter word is not a country code
    ],
)
def test_resolve_bad_input(value: str | None) -> None:
    place = resolve_place(value)
    assert isinstance(place, Place)
    if value in (None, "", "   ", "12345", "!!!", "xyzzy plugh", "N/A", "de"):
        assert place == Place()


@pytest.mark.parametrize("value", [42, 3.5, b"Berlin", ["Berlin"]])
def test_resolve_wrong_types(value: object) -> None:
    assert resolve_place(value) == Place()  # type: ignore[arg-type]


def test_place_is_frozen_and_slotted() -> None:
    place = Place(city="Munich")
    with pytest.raises(dataclasses.FrozenInstanceError):
        place.city = "Berlin"  # type: ignore[misc]
    assert not hasattr(place, "__dict__")
    assert [f.name for f in dataclasses.fields(Place)] == [
        "city",
        "region",
        "country",
        "latitude",
        "longitude",
    ]


def test_same_city_same_answer_in_any_language() -> None:
    spellings = ["Munich", "München", "Muenchen", "Monaco di Baviera", "Múnich", "Monachium"]
    places = {resolve_place(s, country_hint="DE") for s in spellings}
    assert len(places) == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Deutschland", "DE"),
        ("Germany", "DE"),
        ("DE", "DE"),
        ("de", "DE"),
        ("DEU", "DE"),
        ("Allemagne", "DE"),
        ("Alemania", "DE"),
        ("Niemcy", "DE"),
        ("Germania", "DE"),
        ("Nederland", "NL"),
        ("The Netherlands", "NL"),
        ("Netherlands", "NL"),
        ("Holland", "NL"),
        ("Pays-Bas", "NL"),
        ("UK", "GB"),
        ("U.K.", "GB"),
        ("United Kingdom", "GB"),
        ("Great Britain", "GB"),
        ("England", "GB"),
        ("Scotland", "GB"),
        ("Wales", "GB"),
        ("GBR", "GB"),
        ("EL", "GR"),
        ("Greece", "GR"),
        ("Ελλάδα", "GR"),
        ("Hellas", "GR"),
        ("Österreich", "AT"),
        ("Oesterreich", "AT"),
        ("Schweiz", "CH"),
        ("Suisse", "CH"),
        ("España", "ES"),
        ("Espana", "ES"),
        ("Polska", "PL"),
        ("Česko", "CZ"),
        ("Czech Republic", "CZ"),
        ("Czechia", "CZ"),
        ("Sverige", "SE"),
        ("Suomi", "FI"),
        ("Magyarország", "HU"),
        ("România", "RO"),
        ("Éire", "IE"),
        ("Ireland", "IE"),
        ("Türkiye", "TR"),
        ("Kosovo", "XK"),
        ("USA", "US"),
        ("United States of America", "US"),
        ("Korea, Republic of", "KR"),
        ("Russian Federation", "RU"),
        ("  france  ", "FR"),
        ("FRANCE", "FR"),
    ],
)
def test_country_code(value: str, expected: str) -> None:
    assert country_code(value) == expected


@pytest.mark.parametrize(
    "value", [None, "", "   ", "XX", "Atlantis", "Berlin", "12", "x" * 1000, "&&", 42]
)
def test_country_code_unknown(value: object) -> None:
    assert country_code(value) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("DE", "Germany"),
        ("de", "Germany"),
        ("DEU", "Germany"),
        ("GB", "United Kingdom"),
        ("UK", "United Kingdom"),
        ("EL", "Greece"),
        ("XK", "Kosovo"),
        ("TW", "Taiwan"),  # common name, not "Taiwan, Province of China"
        ("ZZ", None),
        ("", None),
        (None, None),
        ("Germany", None),
    ],
)
def test_country_name(code: str | None, expected: str | None) -> None:
    assert country_name(code) == expected


def test_alias_table_codes_are_valid_and_unambiguous() -> None:
    seen: dict[str, str] = {}
    for code, names in _COUNTRY_ALIASES.items():
        assert country_name(code) is not None, code
        for name in names:
            assert country_code(name) == code, (name, code)
            assert seen.setdefault(name.casefold(), code) == code, name


def test_country_names_agree_with_cldr() -> None:
    """Our names for the European countries, checked against Babel's CLDR data."""
    european = [c for c in _COUNTRY_ALIASES if c not in ("US", "CA", "XK")]
    wrong = []
    for locale in ("en", "de", "fr", "es", "it", "nl", "pl", "pt", "sv", "cs"):
        territories = babel.Locale.parse(locale).territories
        for code in european:
            name = territories.get(code)
            if name is not None and "(" not in name and country_code(name) != code:
                wrong.append((locale, code, name, country_code(name)))
    assert wrong == []
