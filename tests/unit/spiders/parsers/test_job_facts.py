"""Advert facts from markup: labels in many languages, never page chrome; closed notices;
employment types in a stable order (issue #19)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from spiders.parsers.job_facts import read_facts
from spiders.parsers.job_status import closed_notice
from spiders.parsers.jobposting import RawJob, employment_codes, employment_types, normalise_job
from spiders.parsers.jobs_html import country_hint_for, fallback_job, parse_document


def _doc(body: str) -> object:
    doc = parse_document(f"<html><body>{body}</body></html>")
    assert doc is not None
    return doc


@pytest.mark.parametrize(
    ("body", "field", "expected"),
    [
        ("<dl><dt>Arbeitsort</dt><dd>Crailsheim</dd></dl>", "location", "Crailsheim"),
        ("<table><tr><th>Místo pracoviště</th><td>Brno</td></tr></table>", "location", "Brno"),
        ("<p><b>Empresa:</b> Fundación Abierta</p>", "organization", "Fundación Abierta"),
        (
            '<div class="riga"><div class="etichetta">Ente</div>'
            "<div>Cooperativa Aperta</div></div>",
            "organization",
            "Cooperativa Aperta",
        ),
        (
            "<h2>Entreprise</h2><h3>Connexions Solidaires</h3>",
            "organization",
            "Connexions Solidaires",
        ),
        (
            '<dl><dt><span class="icon" title="Type de contrat"></span></dt><dd>CDI</dd></dl>',
            "employment",
            ["CDI"],
        ),
        ("<p>Publié le 11 mars 2024 - offre n° 171XKQP</p>", "date", "11 mars 2024"),
        (
            "<h3>Lön</h3><p>Lönetyp: fast lön</p><p>32 000 – 36 000 kr per månad</p>",
            "salary",
            "32 000 – 36 000 kr per månad",
        ),
        (
            '<h2 data-test="text-employerName">Fundacja Gminy<a href="/f">O firmie</a></h2>',
            "organization",
            "Fundacja Gminy",
        ),
        (
            '<div class="row"><div class="col-4"><strong>Arbeitgeber</strong></div>'
            '<div class="col-8">Stadtwerke Musterstadt</div></div>',
            "organization",
            "Stadtwerke Musterstadt",
        ),
        ('<ul><li><i class="icon-location"></i> Bern</li></ul>', "location", "Bern"),
    ],
)
def test_labelled_facts(body: str, field: str, expected: object) -> None:
    assert getattr(read_facts(_doc(body)), field) == expected


def test_chrome_and_placeholders_are_never_facts() -> None:
    facts = read_facts(
        _doc(
            '<header><div class="standort-widget">Ihr Standort: <span>Nürnberg</span></div>'
            "<dl><dt>Ort</dt><dd>Hamburg</dd></dl></header>"
            '<main><h1>Referent (m/w/d)</h1><div class="company">{{company}}</div>'
            '<p class="employer">Apply on the company website</p></main>'
            "<footer><dl><dt>Standort</dt><dd>Regensburger Straße 104, 90478 Nürnberg</dd></dl>"
            "<p>Your location: Bristol</p></footer>"
            '<aside class="similar-jobs"><dl><dt>Employer</dt><dd>Other Org</dd></dl></aside>'
        )
    )
    assert facts.location is None
    assert facts.organization is None


def test_place_under_the_headline_not_the_salary_line() -> None:
    facts = read_facts(
        _doc(
            '<div class="head"><h1>Técnico/a</h1><ul><li>Salario: 24.000€ - 28.000€ Bruto/año</li>'
            "<li>Valencia, Valencia/València</li><li>Publicada hace 5d</li></ul></div>"
        ),
        country_hint="ES",
    )
    assert facts.location == "Valencia, Valencia/València"
    assert facts.date == "hace 5d"


def test_country_hint_from_language() -> None:
    assert country_hint_for("de-CH") == "CH"
    assert country_hint_for("sv") == "SE"
    assert country_hint_for("en") is None
    assert country_hint_for(None) is None


@pytest.mark.parametrize(
    "text",
    [
        "No longer accepting applications",
        "Diese Stelle ist nicht mehr verfügbar.",
        "Cette offre a expiré et n'accepte plus de candidatures.",
        "Esta oferta ya no está disponible",
        "Deze vacature is verlopen",
        "Oferta jest nieaktualna",
        "Inzerát již není aktuální",
    ],
)
def test_closed_notices(text: str) -> None:
    assert closed_notice(_doc(f'<main><div class="alert">{text}</div><p>Body.</p></main>')) == text


def test_closed_notice_found_among_many_notice_words_and_wide_spaces() -> None:
    # the page-wide check searches windows around notice words: a notice after many other
    # occurrences of its words, with runs of white space and capitals, is still found
    filler = "".join(f"<p>Applications {i} and offers, oferta {i}.</p>" for i in range(300))
    notice = "Applications   are\n\n    NOW closed"
    doc = _doc(f'<main>{filler}<div class="alert">{notice}</div></main>')
    assert closed_notice(doc) == "Applications are NOW closed"


def test_closed_regex_matches_fit_in_half_a_window() -> None:
    # the windowed search relies on this bound (job_status._WINDOW)
    import warnings

    from spiders.parsers import job_status

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import sre_parse

    single_spaced = job_status.CLOSED_RE.pattern.replace(r"\s+", " ")
    assert sre_parse.parse(single_spaced).getwidth()[1] < job_status._WINDOW // 2
    assert r"\s*" not in job_status.CLOSED_RE.pattern


def test_closed_words_in_the_description_or_a_similar_advert_do_not_count() -> None:
    long_text = "We answer everyone. " * 20 + "If the position is closed we tell you."
    doc = _doc(
        f"<main><p>{long_text}</p></main>"
        '<section class="similar-jobs"><span>No longer accepting applications</span></section>'
    )
    assert closed_notice(doc) is None


def test_closed_advert_is_emitted_and_marked() -> None:
    doc = _doc(
        '<main><h1>Werkstudent*in Kommunikation</h1><div class="notice">Diese Stelle ist nicht '
        "mehr verfügbar.</div><p>Standort: Köln · Teilzeit</p><p>"
        + "Wir veröffentlichen Ratsinformationen als offene Daten für alle Menschen. " * 4
        + "</p></main>"
    )
    raw = fallback_job(doc, "http://127.0.0.1:1/karriere/werkstudent", lang_hint="de")
    assert raw is not None and raw.closed
    item = normalise_job(raw, source="t", now=datetime(2024, 3, 15, tzinfo=UTC))
    assert item is not None and item.closed
    assert "nicht mehr verfügbar" not in item.description
    assert item.employment_type == "PART_TIME, INTERN"


def test_valid_through_in_the_past_closes_the_advert() -> None:
    raw = RawJob(url="http://127.0.0.1:1/jobs/1", extraction="jsonld", title="Analyst")
    raw.valid_through = "2024-02-15"
    now = datetime(2024, 3, 15, tzinfo=UTC)
    item = normalise_job(raw, source="t", now=now)
    assert item is not None and item.closed
    raw.valid_through = "2024-04-15"
    item = normalise_job(raw, source="t", now=now)
    assert item is not None and not item.closed


def test_employment_type_order_is_stable() -> None:
    a = employment_types(["TEMPORARY", "FULL_TIME"])
    b = employment_types(["FULL_TIME", "TEMPORARY"])
    c = employment_types("Fixed term contract, Full time")
    assert a == b == c == "FULL_TIME, TEMPORARY"


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("80 – 100%", ["FULL_TIME", "PART_TIME"]),
        ("60%", ["PART_TIME"]),
        ("100%", ["FULL_TIME"]),
        ("Contrat à durée indéterminée, Contrat travail", ["FULL_TIME"]),
        ("unbefristet", ["FULL_TIME"]),
        ("umowa o pracę, pełny etat", ["FULL_TIME"]),
        ("Tempo determinato 12 mesi, Tempo pieno", ["FULL_TIME", "TEMPORARY"]),
        ("Mid-Senior level", []),
    ],
)
def test_employment_codes(text: str, codes: list[str]) -> None:
    assert employment_codes(text) == codes


def test_hidden_closed_notice_does_not_count() -> None:
    for hidden in (
        'style="display: none"',
        'class="alert d-none"',
        "hidden",
        'aria-hidden="true"',
    ):
        doc = _doc(f"<main><div {hidden}>No longer accepting applications</div><p>Body</p></main>")
        assert closed_notice(doc) is None, hidden


def test_employer_before_a_link_to_its_profile() -> None:
    facts = read_facts(
        _doc("<dl><dt>Employeur</dt><dd>Connexions Solidaires – voir l'entreprise</dd></dl>")
    )
    assert facts.organization == "Connexions Solidaires"


def test_generic_board_heading_is_not_the_title() -> None:
    doc = _doc(
        "<main><h1>Job vacancy details</h1><h2>Open data engineer</h2>"
        "<table><tr><th>Employer</th><td>Data Cooperative</td></tr>"
        "<tr><th>Location of work</th><td>Aarhus, Denmark</td></tr></table><p>"
        + "You will maintain the ingestion pipelines of the city's open data. " * 4
        + "</p></main>"
    )
    raw = fallback_job(doc, "http://127.0.0.1:1/jv-details/1", lang_hint="en")
    assert raw is not None and raw.title == "Open data engineer"
    assert raw.organization == "Data Cooperative"
