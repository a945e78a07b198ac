from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from crawler.text import MAX_CHARS, detect_language, normalise_language_code

# Sentences written for these tests (job-advert and civic-tech flavoured).
TEXTS = {
    "en": "We are looking for a developer who wants to build open tools that help citizens "
    "take part in local decisions and make public services easier to use for everyone.",
    "de": "Wir suchen eine engagierte Entwicklerin, die mit uns offene Werkzeuge baut, damit "
    "Bürgerinnen und Bürger sich an Entscheidungen in ihrer Stadt beteiligen können.",
    "fr": "Nous recherchons une développeuse motivée pour construire des outils ouverts qui "
    "permettent aux habitants de participer aux décisions de leur ville.",
    "es": "Buscamos una persona desarrolladora que quiera construir herramientas abiertas "
    "para que la ciudadanía participe en las decisiones de su ayuntamiento.",
    "it": "Cerchiamo una sviluppatrice che voglia costruire strumenti aperti per aiutare i "
    "cittadini a partecipare alle decisioni della propria città.",
    "nl": "Wij zoeken een ontwikkelaar die open hulpmiddelen wil bouwen waarmee inwoners "
    "kunnen meebeslissen over de toekomst van hun gemeente en buurt.",
    "pl": "Szukamy programistki, która chce tworzyć otwarte narzędzia pomagające mieszkańcom "
    "brać udział w decyzjach podejmowanych przez ich miasto.",
    "pt": "Procuramos uma pessoa programadora que queira construir ferramentas abertas para "
    "ajudar os cidadãos a participar nas decisões da sua cidade.",
    "sv": "Vi söker en utvecklare som vill bygga öppna verktyg som hjälper invånare att delta "
    "i beslut som fattas av deras kommun och region.",
    "el": "Αναζητούμε έναν προγραμματιστή που θέλει να φτιάξει ανοιχτά εργαλεία ώστε οι "
    "πολίτες να συμμετέχουν στις αποφάσεις του δήμου τους.",
    "cs": "Hledáme vývojáře, který chce vytvářet otevřené nástroje, jež pomáhají občanům "
    "podílet se na rozhodování jejich města a obce.",
}


@pytest.mark.parametrize(("expected", "text"), sorted(TEXTS.items()))
def test_detects_language(expected: str, text: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(("expected", "text"), sorted(TEXTS.items()))
def test_text_wins_over_wrong_hint(expected: str, text: str) -> None:
    wrong = "de" if expected != "de" else "en"
    assert detect_language(text, hint=wrong) == expected


def test_chinese_maps_to_two_letters() -> None:
    text = "我们正在寻找一名开发人员来建设开放工具帮助市民参与城市决策以及公共服务的改进工作" * 2
    assert detect_language(text) == "zh"


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        ("Hello world", "en-GB", "en"),
        ("Hallo Welt", "de_DE", "de"),
        ("Kontakt", "DE", "de"),
        ("Contact", "fra", "fr"),
        ("Contact", "ger", "de"),
        ("Contact", "x-default", None),
        ("Contact", "", None),
        ("Contact", None, None),
        ("12345 67890", "de", None),  # no letters at all: nothing to tell
        ("", "en", None),
        ("   ", "en", None),
        ("!!! ??? ...", None, None),
    ],
)
def test_short_text_and_hint(text: str, hint: str | None, expected: str | None) -> None:
    assert detect_language(text, hint) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bürgerbeteiligung für Städte und Gemeinden", "de"),  # 38 letters, unmistakable
        ("Développeur pour la ville", "fr"),
        ("ok", None),  # fewer than MIN_LETTERS_NO_HINT letters: never guessed
        ("Data team", None),
    ],
)
def test_short_text_without_hint(text: str, expected: str | None) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("en-GB", "en"),
        ("EN_us", "en"),
        ("de-DE-1996", "de"),
        ("zh-cn", "zh"),
        ("zh-Hant-TW", "zh"),
        ("iw", "he"),
        ("nb", "no"),
        ("deu", "de"),
        ("fre", "fr"),
        ("xx", None),
        ("x-default", None),
        ("e1", None),
        ("", None),
        (None, None),
        ("english", None),
    ],
)
def test_normalise_language_code(code: str | None, expected: str | None) -> None:
    assert normalise_language_code(code) == expected


def test_long_text_is_truncated_and_deterministic() -> None:
    text = (TEXTS["de"] + " ") * 400  # ~60 KB
    assert len(text) > 20 * MAX_CHARS
    results = {detect_language(text) for _ in range(5)}
    assert results == {"de"}


def test_urls_and_emails_do_not_decide() -> None:
    text = TEXTS["fr"] + " https://example.org/very/long/english/path/about/things jobs@example.org"
    assert detect_language(text) == "fr"


def test_does_not_touch_global_random_state() -> None:
    random.seed(1234)
    expected = random.random()
    random.seed(1234)
    detect_language(TEXTS["en"])
    assert random.random() == expected


@pytest.mark.parametrize("value", [None, 42, b"bytes", "\x00" * 100, "<p>" * 100, "é" * 10_000])
def test_bad_input_never_raises(value: object) -> None:
    result = detect_language(value)  # type: ignore[arg-type]
    assert result is None or (isinstance(result, str) and len(result) == 2)


def test_thread_safe_and_deterministic() -> None:
    items = sorted(TEXTS.items()) * 8
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda item: detect_language(item[1]), items))
    assert results == [code for code, _ in items]
