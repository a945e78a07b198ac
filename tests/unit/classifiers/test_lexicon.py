from __future__ import annotations

import pytest

from classifiers.lexicon import CONCEPTS, concept_names, evidence


@pytest.mark.parametrize(
    ("text", "side", "concept"),
    [
        ("Une plateforme pour les citoyens", "social", "citizens"),
        ("Eine Plattform für Bürgerinnen und Bürger", "social", "citizens"),
        ("Aplikacja mobilna dla mieszkańców", "digital", "app"),
        ("Dati aperti del comune", "digital", "open_data"),
        ("Datos abiertos para la participación ciudadana", "social", "democracy"),
        ("Ehrenamtliche helfen Geflüchteten", "social", "vulnerable"),
        ("Our B2B SaaS grows revenue for enterprise customers", "commercial", "selling"),
    ],
)
def test_concepts_are_found_across_languages(text, side, concept):
    assert concept in evidence(text).get(side, {})


def test_whole_words_and_word_starts():
    # "=app" is a whole word: "apple" and "application form" are not apps
    assert "app" not in evidence("Apple pie and an application form").get("digital", {})
    # "=care" is a whole word: a career is not care
    assert "health" not in evidence("A career in sales").get("social", {})
    # a longer phrase wins over its parts: "open data" is one concept, not "data"
    found = evidence("open data portal")["digital"]
    assert found["open_data"] == ["open data"] and "data" not in found


def test_names_are_unique_and_in_a_fixed_order():
    names = concept_names()
    assert len(names) == len(set(names)) == sum(len(c) for c in CONCEPTS.values())
    assert names == concept_names()
