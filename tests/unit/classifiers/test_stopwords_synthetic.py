from __future__ import annotations

from collections import Counter

import pytest
from langdetect import DetectorFactory, detect

from classifiers.features import fold_without_stop_words
from classifiers.stopwords import LANGUAGES, fold, is_uninformative, stop_words, strip_stop_words
from classifiers.synthetic import hard_negatives, load_hardbank, multilingual_positives
from classifiers.train import language_cycle


def test_lists_cover_twelve_languages_and_are_folded():
    assert len(LANGUAGES) >= 12
    sw = stop_words()
    assert {"the", "fur", "und", "les", "przez", "och", "jsou", "nao"} <= sw
    assert all(w == fold(w) for w in sw)
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


def test_hard_negatives_cover_ten_languages_deterministically():
    banks = load_hardbank()
    assert len(banks) >= 10
    texts = hard_negatives(80, seed=3)
    assert texts == hard_negatives(80, seed=3) and texts != hard_negatives(80, seed=4)
    DetectorFactory.seed = 0
    langs = Counter(detect(t) for t in texts)
    assert {"en", "de", "fr", "es", "it", "nl", "pl", "pt", "sv", "cs"} <= set(langs)
    # all four genres appear, including corporate tech talk about data and platforms
    assert any("platform" in t.lower() for t in texts)


def test_multilingual_positives_are_short_dsi_texts():
    texts = multilingual_positives(20, seed=0)
    assert len(set(texts)) == 20
    assert all(20 < len(t) < 1200 for t in texts)


def test_language_cycle_gives_english_its_share():
    cycle = language_cycle(["en", "de", "fr", "es"], 0.6)
    assert cycle.count("en") / len(cycle) == pytest.approx(0.6, abs=0.1)
    assert language_cycle(["de", "fr"], 0.6) == ["de", "fr"]
