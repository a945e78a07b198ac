"""Salary reading and annualisation (spiders.parsers.salary)."""

from __future__ import annotations

import pytest

from spiders.parsers.salary import parse_salary_text, salary_from_structured


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("€45,000 – €55,000 a year", (45000, 55000, "EUR", "year", 50000)),
        ("Gehalt: 45.000-55.000 EUR brutto/Jahr", (45000, 55000, "EUR", "year", 50000)),
        ("Salary: £30k", (30000, 30000, "GBP", "year", 30000)),
        ("Wynagrodzenie: 3 500 zł/mies.", (3500, 3500, "PLN", "month", 42000)),
        ("Pay: $25 per hour", (25, 25, "USD", "hour", 45500)),
        ("Rémunération : 400 € par jour", (400, 400, "EUR", "day", 92000)),
        ("Salary up to £40k", (None, 40000, "GBP", "year", 40000)),
        ("Gehalt ab 4.200 € monatlich", (4200, None, "EUR", "month", 50400)),
        ("Salary 40-50k EUR", (40000, 50000, "EUR", "year", 45000)),
    ],
)
def test_salary_in_text(text: str, expected: tuple[object, ...]) -> None:
    sal = parse_salary_text(text)
    assert sal is not None
    assert (sal.min, sal.max, sal.currency, sal.period, sal.annual) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We raised €2 million last year",
        "Weiterbildungsbudget von 1.500 € im Jahr",
        "Bonus of €3,000 per year",
        "A €500 per month travel allowance",
        "5 days a week",
        "Founded in 2016 with 20 staff",
    ],
)
def test_money_that_is_not_pay_is_ignored(text: str) -> None:
    assert parse_salary_text(text) is None


def test_structured_salary_shapes() -> None:
    amount = {
        "@type": "MonetaryAmount",
        "currency": "EUR",
        "value": {
            "@type": "QuantitativeValue",
            "minValue": "3.100",
            "maxValue": 3500,
            "unitText": "MONTH",
        },
    }
    sal = salary_from_structured(amount)
    assert sal is not None and (sal.min, sal.max, sal.annual) == (3100, 3500, 39600)
    assert salary_from_structured("") is None
    as_string = salary_from_structured("45.000 - 50.000 EUR")
    assert as_string is not None and as_string.period == "year"


def test_absurd_salary_is_left_out_with_a_warning() -> None:
    sal = salary_from_structured({"currency": "EUR", "value": {"value": 5, "unitText": "YEAR"}})
    assert sal is not None and sal.empty and sal.currency is None
    assert any("implausible" in w for w in sal.warnings)
    huge = salary_from_structured({"currency": "EUR", "value": {"value": 9e6, "unitText": "YEAR"}})
    assert huge is not None and huge.empty


def test_unknown_period_is_not_annualised() -> None:
    sal = salary_from_structured({"currency": "PLN", "value": 5000})
    assert sal is not None and sal.min == 5000 and sal.annual is None
    assert any("period unknown" in w for w in sal.warnings)


@pytest.mark.parametrize(
    ("text", "country", "expected"),
    [
        ("€3.200 – €3.800 brutto monatlich", None, (3200, 3800, "EUR", "month")),
        ("CHF 95'000", None, (95000, 95000, "CHF", "year")),
        ("SEK 45 000/mån", None, (45000, 45000, "SEK", "month")),
        ("40-50k €", None, (40000, 50000, "EUR", "year")),
        ("£35,000 - £40,000 per annum + benefits", None, (35000, 40000, "GBP", "year")),
        ("od 12 000 do 15 000 zł brutto miesięcznie", None, (12000, 15000, "PLN", "month")),
        ("1.800,00 € al mes", None, (1800, 1800, "EUR", "month")),
        ("55 000 – 70 000 Kč měsíčně", None, (55000, 70000, "CZK", "month")),
        ("4000-5000 lei lunar", None, (4000, 5000, "RON", "month")),
        ("45 000 kr i månaden", "NO", (45000, 45000, "NOK", "month")),
        ("$85,000 - $95,000 a year", "CA", (85000, 95000, "CAD", "year")),
        ("$85,000 - $95,000 a year", None, (85000, 95000, "USD", "year")),
    ],
)
def test_salary_text_formats_and_shared_symbols(
    text: str, country: str | None, expected: tuple[float, float, str, str]
) -> None:
    from spiders.parsers.salary import parse_salary_text

    sal = parse_salary_text(text, require_context=False, country_hint=country)
    assert sal is not None
    assert (sal.min, sal.max, sal.currency, sal.period) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Vollzeit", "FULL_TIME"),
        ("Teilzeit", "PART_TIME"),
        ("CDI", "FULL_TIME"),
        ("CDD", "TEMPORARY"),
        ("Stage", "INTERN"),
        ("Werkstudent", "PART_TIME, INTERN"),
        ("tempo pieno", "FULL_TIME"),
        ("jornada completa", "FULL_TIME"),
        ("umowa o pracę", "FULL_TIME"),
        ("B2B", "CONTRACTOR"),
        ("Praktikum", "INTERN"),
        ("Vollzeit, befristet", "FULL_TIME, TEMPORARY"),
        ("Fixed-term contract", "TEMPORARY"),
        ("Plný úvazek", "FULL_TIME"),
    ],
)
def test_employment_types_multilingual(value: str, expected: str) -> None:
    from spiders.parsers.jobposting import employment_types

    assert employment_types(value) == expected
