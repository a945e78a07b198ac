"""Contacts: e-mail addresses (plain, mailto, Cloudflare-obfuscated) and postal addresses."""

from __future__ import annotations

import pytest

from spiders.parsers.contact import (
    address_from_lines,
    decode_cfemail,
    emails_from_mailto,
    emails_from_text,
    pick_emails,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("info [at] example [dot] org", ["info@example.org"]),
        ("info(at)example(dot)org", ["info@example.org"]),
        ("kontakt [ät] verein [punkt] de", ["kontakt@verein.de"]),
        ("hola (arroba) ejemplo (punto) es", ["hola@ejemplo.es"]),
        ("info at example dot org", ["info@example.org"]),
        ("meet us at Berlin. See you", []),
        ("logo@2x.png and real@mail.example.org", ["real@mail.example.org"]),
        ("info@example[.]org", ["info@example.org"]),
    ],
)
def test_emails_from_text(text: str, expected: list[str]) -> None:
    assert emails_from_text(text) == expected


def test_emails_from_mailto_and_cloudflare() -> None:
    assert emails_from_mailto("mailto:a@x.org,b@x.org?subject=Hi&cc=c@x.org") == [
        "a@x.org",
        "b@x.org",
    ]
    assert emails_from_mailto("mailto:info%40example.org") == ["info@example.org"]
    encoded = bytes([0x5A] + [b ^ 0x5A for b in b"info@example.org"]).hex()
    assert decode_cfemail(encoded) == "info@example.org"
    assert decode_cfemail("zz") is None
    assert pick_emails(["a@other.org", "b@site.org", "B@site.org"], "www.site.org") == [
        "b@site.org",
        "a@other.org",
    ]


@pytest.mark.parametrize(
    ("lines", "city_text", "street"),
    [
        (
            ["Musterverein e.V.", "Musterstraße 12", "10115 Berlin", "Deutschland"],
            "Berlin",
            "Musterstraße 12",
        ),
        (["12 rue de la Paix", "75002 Paris"], "Paris", "12 rue de la Paix"),
        (["Calle Mayor 5, 28013 Madrid"], "Madrid", "Calle Mayor 5"),
        (["ul. Długa 5", "00-238 Warszawa"], "Warszawa", "ul. Długa 5"),
        (["Keizersgracht 1", "1015 AA Amsterdam"], "Amsterdam", "Keizersgracht 1"),
        (["Storgatan 3", "114 51 Stockholm"], "Stockholm", "Storgatan 3"),
    ],
)
def test_address_from_lines(lines: list[str], city_text: str, street: str) -> None:
    found = address_from_lines(lines)
    assert found is not None and found.locality == city_text and found.text.startswith(street)


@pytest.mark.parametrize(
    "lines",
    [
        ["© 2024 Open Data Lab"],
        ["1 Jan 2031 Planned event"],
        ["Tel. 030 12345 678"],
        ["We have 2024 members in Berlin"],
    ],
)
def test_address_false_positives(lines: list[str]) -> None:
    assert address_from_lines(lines) is None


# --- addresses in each country's own format --------------------------------------------------
@pytest.mark.parametrize(
    ("lines", "text", "code"),
    [
        (
            ["Anschrift: Invalidenstraße 117, D-10115 Berlin"],
            "Invalidenstraße 117, D-10115 Berlin",
            "10115",
        ),
        (
            ["Drottninggatan 71", "SE-111 22 Stockholm"],
            "Drottninggatan 71, SE-111 22 Stockholm",
            "111 22",
        ),
        (["Vodičkova 681/18, 111 21 Praha 1"], "Vodičkova 681/18, 111 21 Praha 1", "111 21"),
        (
            ["Verein X · Neubaugasse 12/3 · 1070 Wien · ZVR-Zahl 123"],
            "Neubaugasse 12/3, 1070 Wien",
            "1070",
        ),
        (
            ["ul. Ząbkowska 27/31", "03-736 Warszawa"],
            "ul. Ząbkowska 27/31, 03-736 Warszawa",
            "03-736",
        ),
        (
            ["Siège social : 27 rue Saint-Maur", "75011 Paris", "France"],
            "27 rue Saint-Maur, 75011 Paris, France",
            "75011",
        ),
    ],
)
def test_addresses_in_national_formats(lines: list[str], text: str, code: str) -> None:
    found = address_from_lines(lines)
    assert found is not None and found.text == text and found.postal_code == code
