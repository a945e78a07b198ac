from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from spiders.parsers.dates import iso_date, parse_date

NOW = datetime(2025, 3, 20, 12, 0)  # a Thursday


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # ISO 8601 and friends
        ("2024-03-05", date(2024, 3, 5)),
        ("2024-3-5", date(2024, 3, 5)),
        ("2024-03-05T10:00:00+01:00", date(2024, 3, 5)),
        ("2024-03-05T00:30:00+01:00", date(2024, 3, 5)),  # the date as written, not UTC
        ("2024-03-05T23:59:59Z", date(2024, 3, 5)),
        ("2024-03-05T10:00:00.123456Z", date(2024, 3, 5)),
        ("2024-03-05 10:00", date(2024, 3, 5)),
        ("2024-03-05T10:00:00+0100", date(2024, 3, 5)),
        ("2024-03", date(2024, 3, 1)),
        ("20240305", date(2024, 3, 5)),
        ("20240305T101500Z", date(2024, 3, 5)),
        # RFC 2822 (feeds)
        ("Tue, 05 Mar 2024 10:00:00 +0100", date(2024, 3, 5)),
        ("05 Mar 2024 10:00:00 GMT", date(2024, 3, 5)),
        # numeric, day first
        ("05/03/2025", date(2025, 3, 5)),
        ("05.03.2025", date(2025, 3, 5)),
        ("5-3-2025", date(2025, 3, 5)),
        ("05.03.25", date(2025, 3, 5)),
        ("03/25/2025", date(2025, 3, 25)),  # month first only when it must be
        ("25/03/2025", date(2025, 3, 25)),
        ("2025/03/05", date(2025, 3, 5)),
        ("2025.03.05", date(2025, 3, 5)),
        # named months
        ("12. März 2025", date(2025, 3, 12)),
        ("12. Maerz 2025", date(2025, 3, 12)),
        ("5 mars 2025", date(2025, 3, 5)),
        ("1er mars 2025", date(2025, 3, 1)),
        ("5 de marzo de 2025", date(2025, 3, 5)),
        ("March 5, 2025", date(2025, 3, 5)),
        ("Mar 5 2025", date(2025, 3, 5)),
        ("5th March 2025", date(2025, 3, 5)),
        ("5 March 2025", date(2025, 3, 5)),
        ("Wednesday, March 5, 2025", date(2025, 3, 5)),
        ("Mittwoch, 5. März 2025", date(2025, 3, 5)),
        ("5 marca 2025", date(2025, 3, 5)),
        ("5 maart 2025", date(2025, 3, 5)),
        ("5 marzo 2025", date(2025, 3, 5)),
        ("5 de março de 2025", date(2025, 3, 5)),
        ("5 października 2024", date(2024, 10, 5)),
        ("March 2025", date(2025, 3, 1)),
        # lead-in words
        ("Posted on 12 March 2025", date(2025, 3, 12)),
        ("Veröffentlicht am 12.03.2025", date(2025, 3, 12)),
        ("publié le 5 mars 2025", date(2025, 3, 5)),
        ("Publicado el 5 de marzo de 2025", date(2025, 3, 5)),
        ("Date posted: 2025-03-05", date(2025, 3, 5)),
        ("le 5 mars 2025", date(2025, 3, 5)),
        # relative, several languages
        ("today", date(2025, 3, 20)),
        ("Today", date(2025, 3, 20)),
        ("just now", date(2025, 3, 20)),
        ("yesterday", date(2025, 3, 19)),
        ("gestern", date(2025, 3, 19)),
        ("hier", date(2025, 3, 19)),
        ("ayer", date(2025, 3, 19)),
        ("wczoraj", date(2025, 3, 19)),
        ("vorgestern", date(2025, 3, 18)),
        ("heute", date(2025, 3, 20)),
        ("aujourd'hui", date(2025, 3, 20)),
        ("3 days ago", date(2025, 3, 17)),
        ("a day ago", date(2025, 3, 19)),
        ("an hour ago", date(2025, 3, 20)),
        ("13 hours ago", date(2025, 3, 19)),
        ("posted 2 weeks ago", date(2025, 3, 6)),
        ("Posted 30+ days ago", date(2025, 2, 18)),
        ("a month ago", date(2025, 2, 18)),
        ("1 year ago", date(2024, 3, 20)),
        ("vor 3 Tagen", date(2025, 3, 17)),
        ("vor einem Tag", date(2025, 3, 19)),
        ("vor 2 Wochen", date(2025, 3, 6)),
        ("vor 1 Monat", date(2025, 2, 18)),
        ("il y a 2 jours", date(2025, 3, 18)),
        ("il y a une semaine", date(2025, 3, 13)),
        ("hace 3 días", date(2025, 3, 17)),
        ("hace 1 mes", date(2025, 2, 18)),
        ("3 dagen geleden", date(2025, 3, 17)),
        ("2 tygodnie temu", date(2025, 3, 6)),
        ("5 dni temu", date(2025, 3, 15)),
        ("3 giorni fa", date(2025, 3, 17)),
        ("há 2 dias", date(2025, 3, 18)),
        ("för 2 dagar sedan", date(2025, 3, 18)),
        ("3d", date(2025, 3, 17)),
        ("2w", date(2025, 3, 6)),
    ],
)
def test_parse_date(value: str, expected: date) -> None:
    assert parse_date(value, now=NOW) == expected


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "   ",
        "garbage",
        "not a date at all",
        "12",
        "1710000000",  # an epoch: not trusted
        "<p>2024</p><script>",
        "1850-01-01",  # absurd: before 1990
        "1989-12-31",
        "2099-01-01",  # absurd: far future
        "31/02/2025",  # no such day
        "2025-13-01",
        "00/00/0000",
        "&amp;&amp;",
        "3 potatoes ago",
        "Senior developer (m/w/d)",
    ],
)
def test_parse_date_rejects(value: str | None) -> None:
    assert parse_date(value, now=NOW) is None


@pytest.mark.parametrize("value", [42, 3.14, b"2024-03-05", ["2024-03-05"], object()])
def test_parse_date_wrong_types(value: object) -> None:
    assert parse_date(value, now=NOW) is None  # type: ignore[arg-type]


def test_parse_date_accepts_date_objects() -> None:
    assert parse_date(date(2024, 3, 5), now=NOW) == date(2024, 3, 5)  # type: ignore[arg-type]
    assert parse_date(datetime(2024, 3, 5, 10), now=NOW) == date(2024, 3, 5)  # type: ignore[arg-type]


def test_future_within_window_is_kept() -> None:
    assert parse_date("2029-01-01", now=NOW) == date(2029, 1, 1)  # e.g. validThrough
    assert parse_date("2030-03-21", now=NOW) is None


def test_very_long_strings() -> None:
    long_text = "x" * 100_000
    assert parse_date(long_text, now=NOW) is None
    embedded = "Posted by the team " + "blah " * 50 + " on 2024-03-05 in Berlin"
    assert parse_date(embedded, now=NOW) == date(2024, 3, 5)


def test_now_defaults_to_current_time() -> None:
    assert parse_date("today") == datetime.now(UTC).date() or parse_date("today") == date.today()
    assert parse_date("3 days ago") in {
        datetime.now(UTC).date() - timedelta(days=3),
        date.today() - timedelta(days=3),
    }


def test_aware_now_is_accepted() -> None:
    aware = datetime(2025, 3, 20, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    assert parse_date("yesterday", now=aware) == date(2025, 3, 19)


def test_languages_are_passed_to_dateparser() -> None:
    # Not handled by the fast paths: needs dateparser.
    assert parse_date("el 5 de marzo", now=NOW, languages=["es"]) == date(2025, 3, 5)
    assert parse_date("5 March 2025", now=NOW, languages=["xx", "", "en-GB"]) == date(2025, 3, 5)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05T10:00:00+01:00", "2024-03-05"),
        ("3 days ago", "2025-03-17"),
        ("garbage", None),
        (None, None),
    ],
)
def test_iso_date(value: str | None, expected: str | None) -> None:
    assert iso_date(value, now=NOW) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Czech and Slovak (genitive and nominative)
        ("5. března 2024", date(2024, 3, 5)),
        ("12. listopadu 2024", date(2024, 11, 12)),
        ("1. července 2024", date(2024, 7, 1)),
        ("Zveřejněno: 14. února 2025", date(2025, 2, 14)),
        ("3. októbra 2024", date(2024, 10, 3)),
        ("20. júna 2024", date(2024, 6, 20)),
        # Polish
        ("Opublikowano: 7 października 2024", date(2024, 10, 7)),
        # Hungarian, year first
        ("2024. március 5.", date(2024, 3, 5)),
        ("2024. szept. 30.", date(2024, 9, 30)),
        ("Közzétéve: 2025. január 9.", date(2025, 1, 9)),
        # Romanian
        ("5 martie 2024", date(2024, 3, 5)),
        ("Publicat la 18 noiembrie 2024", date(2024, 11, 18)),
        # Greek (genitive, accents and final sigma folded)
        ("5 Μαρτίου 2024", date(2024, 3, 5)),
        ("21 Μαΐου 2024", date(2024, 5, 21)),
        ("Δημοσιεύθηκε: 2 Δεκεμβρίου 2024", date(2024, 12, 2)),
        # Swedish and Finnish lead-ins
        ("Publicerad 3 mars 2025", date(2025, 3, 3)),
    ],
)
def test_parse_date_central_and_eastern_european_months(value: str, expected: date) -> None:
    assert parse_date(value, now=NOW) == expected


def test_hungarian_order_needs_a_real_day() -> None:
    assert parse_date("2024. február 31.", now=NOW) is None
