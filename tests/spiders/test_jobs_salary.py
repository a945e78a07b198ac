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
