from __future__ import annotations

import pytest

from classifiers.features import fold_without_stop_words
from classifiers.stopwords import LANGUAGES, is_uninformative, stop_words, strip_stop_words
from crawler.text import fold_accents


def test_lists_cover_twelve_languages_and_are_folded():
    assert len(LANGUAGES) >= 12
    sw = stop_words()
    assert {"the", "fur", "und", "les", "przez", "och", "jsou", "nao"} <= sw
    assert all(w == fold_accents(w) for w in sw)
    # content words are never stop words: they must be learned to be weak
    assert not {"social", "data", "community", "digital", "open", "bank"} & sw


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("the", True),
        ("für", True),
        ("2019", True),
        ("ab", True),
        ("of the", True),
        ("crowdfunding", False),
        ("données ouvertes", False),
        ("open data", False),
        ("data for", True),
    ],
)
def test_uninformative_terms(term, expected):
    assert is_uninformative(term) is expected


def test_strip_stop_words_keeps_content_words():
    assert strip_stop_words("the data of 2019 for citizens").split() == ["data", "citizens"]
    assert fold_without_stop_words("Daten für Bürger").split() == ["daten", "burger"]
