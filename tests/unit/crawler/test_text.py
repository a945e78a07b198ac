from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from crawler.text import (
    MAX_CHARS,
    clean_text,
    detect_language,
    fold_accents,
    html_to_text,
    normalise_language_code,
    truncate,
)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>One</p><p>Two</p>", "One\nTwo"),
        ("<ul><li>alpha</li><li>beta</li></ul>", "alpha\nbeta"),
        ("line one<br>line two<br/>line three", "line one\nline two\nline three"),
        ("<h2>Title</h2>Body text", "Title\nBody text"),
        ("<p>Hello <b>bold</b> <i>world</i></p>", "Hello bold world"),
        ("<div>a<div>b</div>c</div>", "a\nb\nc"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"),
        # dropped elements
        ("<p>keep</p><script>var x = '<p>no</p>';</script>", "keep"),
        ("<style>p { color: red }</style><p>keep</p>", "keep"),
        ("<noscript>Enable JS</noscript><p>keep</p>", "keep"),
        ("<template><p>no</p></template><p>keep</p>", "keep"),
        ("<p>a<!-- secret -->b</p>", "ab"),
        ("<div hidden>invisible</div><p>visible</p>", "visible"),
        (
            "<html><head><title>Page</title><meta charset='latin1'></head>"
            "<body><p>Body</p></body></html>",
            "Body",
        ),
        # entities, including double escaping from feeds
        ("<p>Fish &amp; Chips</p>", "Fish & Chips"),
        ("<p>Fish &amp;amp; Chips</p>", "Fish & Chips"),
        ("Fish &amp;amp;amp; Chips", "Fish & Chips"),
        ("<p>caf&eacute; &#8211; &#x20AC;5</p>", "café – €5"),
        ("x&nbsp;y", "x y"),
        ("&lt;p&gt;Escaped markup&lt;/p&gt;&lt;p&gt;Second&lt;/p&gt;", "Escaped markup\nSecond"),
        ("&amp;lt;b&amp;gt;twice&amp;lt;/b&amp;gt;", "twice"),
        # whitespace
        ("<p>  many    spaces\t\tand\ttabs </p>", "many spaces and tabs"),
        ("<p>a</p>\n\n\n<p>b</p>", "a\nb"),
        ("<p>Zero\u200bwidth\u00adsoft\ufeff</p>", "Zerowidthsoft"),
        ("<p>e\u0301</p>", "é"),  # NFC
        # plain text and broken markup
        ("just text", "just text"),
        ("a < b and c > d", "a < b and c > d"),
        ("<p>unclosed <b>bold", "unclosed bold"),
        ("</p></div>stray closers", "stray closers"),
        ('<?xml version="1.0" encoding="utf-8"?><p>declared</p>', "declared"),
        ("<p>nul\x00 and \x07bell</p>", "nul and bell"),
        ("\ud800lone surrogate<p>ok</p>", "lone surrogate\nok"),
        ("<p>crlf\r\nline</p>", "crlf\nline"),
    ],
)
def test_html_to_text(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


@pytest.mark.parametrize(
    "value", ["", "   ", "\n\t", "<p></p>", "<script>x()</script>", "<!-- -->"]
)
def test_html_to_text_empty(value: str) -> None:
    assert html_to_text(value) == ""


@pytest.mark.parametrize(
    "value",
    [None, 12, 3.5, b"<p>bytes</p>", "\x00\xff<<>>", "<" * 1000, "<p>" * 5000 + "deep", "&" * 100],
)
def test_html_to_text_never_raises(value: object) -> None:
    result = html_to_text(value)  # type: ignore[arg-type]
    assert isinstance(result, str)
    assert "\x00" not in result


def test_html_to_text_bytes_and_numbers() -> None:
    assert html_to_text(b"<p>bytes</p>") == "bytes"  # type: ignore[arg-type]
    assert html_to_text(None) == ""  # type: ignore[arg-type]


def test_html_to_text_large_page_is_fast() -> None:
    page = (
        "<html><body>" + "<p>Some <a href='#'>linked</a> text &amp; more.</p>" * 20000 + "</body>"
    )
    started = time.perf_counter()
    text = html_to_text(page)
    elapsed = time.perf_counter() - started
    assert text.count("\n") == 19999
    assert elapsed < 10  # generous: ~1 MB; catches quadratic behaviour only


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("", ""),
        ("   ", ""),
        ("  Caf&eacute;\n  &amp;amp; Bar\x00 ", "Café & Bar"),
        ("Senior\u00a0Developer", "Senior Developer"),
        ("multi\n\nline\ttitle", "multi line title"),
        ("e\u0301cole", "école"),
        ("zero\u200bwidth", "zerowidth"),
        ("ctrl\x01\x1f\x7f\x9fchars", "ctrlchars"),
        ("&#0;null entity", "null entity"),
        ("Developer <Python>", "Developer <Python>"),  # markup is html_to_text's job
        ("R&D and AT&T", "R&D and AT&T"),
        ("\ud800broken", "broken"),
        ("bad \ufffd decoding", "bad decoding"),
    ],
)
def test_clean_text(value: str | None, expected: str) -> None:
    assert clean_text(value) == expected


def test_clean_text_long_input() -> None:
    value = "word " * 100_000
    assert clean_text(value) == ("word " * 100_000).strip()


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("short", 10, "short"),
        ("exactly10!", 10, "exactly10!"),
        ("The quick brown fox jumps", 12, "The quick…"),
        ("The quick brown fox jumps", 16, "The quick brown…"),
        ("Supercalifragilistic", 8, "Superca…"),  # no space: cut mid-word
        ("word, another", 8, "word…"),  # trailing punctuation dropped
        ("anything", 0, ""),
        ("anything", -5, ""),
        ("abc def", 1, "a"),
        ("", 5, ""),
    ],
)
def test_truncate(text: str, limit: int, expected: str) -> None:
    result = truncate(text, limit)
    assert result == expected
    assert len(result) <= max(limit, 0)


def test_truncate_custom_ellipsis() -> None:
    assert truncate("The quick brown fox", 13, ellipsis=" [...]") == "The qui [...]"
    assert truncate("The quick brown fox", 16, ellipsis=" [...]") == "The quick [...]"
    assert truncate("The quick brown fox", 13, ellipsis="") == "The quick"


# --- tree_to_text: text of an already parsed tree --------------------------------------------
def _doc(markup: str) -> Any:
    from lxml import html as lxml_html

    return lxml_html.document_fromstring(markup)


def test_tree_to_text_leaves_the_tree_unchanged() -> None:
    from lxml import etree

    from crawler.text import tree_to_text

    root = _doc(
        "<html><head><title>T</title></head><body><h1>Title</h1><p>One<br>two "
        "<script>var x=1</script>after</p><div hidden>secret</div>tail<table><tr><td>a</td>"
        "<td>b</td></tr></table></body></html>"
    )
    before = etree.tostring(root)
    assert tree_to_text(root.find("body")) == "Title\nOne\ntwo after\ntail\na b"
    assert etree.tostring(root) == before  # structured data, links, trafilatura read it after
    assert tree_to_text(root.find("body")) == html_to_text(etree.tostring(root).decode())


def test_tree_to_text_deep_nesting_and_odd_input() -> None:
    from crawler.text import tree_to_text

    deep = "<div>" * 250 + "deep" + "</div>" * 250
    assert tree_to_text(_doc(f"<html><body>{deep}</body></html>")) == "deep"
    assert tree_to_text(None) == ""  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Über uns", "uber uns"), ("Straße", "strasse"), ("Łódź", "lodz"), ("ABC", "abc")],
)
def test_fold_accents(text: str, expected: str) -> None:
    assert fold_accents(text) == expected


# --- language: detect_language, normalise_language_code ---------------------------------------
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


# --- words never run together where blocks or items meet (issue #19) ---------------------------
@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            '<div><a href="/">Home</a><a href="/a">About us</a><a>Team</a></div>',
            "Home About us Team",
        ),
        ("<p>otevřených dat</p><h3>Požadujeme</h3>", "otevřených dat\nPožadujeme"),
        ("<span>+34 954 000 000</span><a>hola@x.es</a>", "+34 954 000 000 hola@x.es"),
        ("<p><a>Link</a>.</p>", "Link."),
        ("<p><b>Ex</b><i>ample</i></p>", "Example"),
        ("<button>Apply</button><button>Share</button>", "Apply Share"),
    ],
)
def test_blocks_and_items_are_kept_apart(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


def test_element_text_is_one_line_with_blocks_apart() -> None:
    from lxml import html as lxml_html

    from crawler.text import element_text

    el = lxml_html.fromstring(
        "<div><dt>Ort</dt><dd>Berlin</dd><dd>Vollzeit</dd><script>x()</script>"
        "<template>{{company}}</template></div>"
    )
    assert element_text(el) == "Ort Berlin Vollzeit"
    assert el.text_content() == "OrtBerlinVollzeitx(){{company}}"  # what lxml would give


def test_language_trials_in_numpy_give_langdetects_own_answer() -> None:
    from crawler.language_trials import probabilities
    from crawler.text import _get_factory

    texts = [
        "Wir suchen eine Entwicklerin für unser offenes Bürgerbeteiligungsportal in Leipzig.",
        "Nous recherchons un développeur pour notre plateforme de participation citoyenne.",
        "Open Streets Collective builds open-source tools for residents and councils.",
        "Programista Python w Krakowie, praca zdalna",
        "ok ok",
    ]
    factory = _get_factory()
    for text in texts:
        ours, theirs = factory.create(), factory.create()
        ours.append(text)
        theirs.append(text)
        expected = [(c.lang, c.prob) for c in theirs.get_probabilities()]
        assert [(c.lang, c.prob) for c in probabilities(ours)] == expected


def _shipped_texts() -> list[str]:
    """Real texts in many languages shipped with the classifier (open-data records, DSI4EU
    projects), plus scripts and cases langdetect treats specially."""
    import json
    from pathlib import Path

    data = Path(__file__).resolve().parents[3] / "classifiers" / "data"
    texts: list[str] = []
    for line in (data / "relevance" / "extra.jsonl").read_text(encoding="utf-8").splitlines():
        texts.append(json.loads(line)["text"])
    projects = json.loads((data / "dsi4eu" / "projects.json").read_text(encoding="utf-8"))
    texts += [str(p.get("short_description") or "") for p in projects[:300]]
    return [
        *texts,
        "ΑΒΓ abc ΔΕΖ " * 5,
        "ОТКРЫТЫЕ ДАННЫЕ для города Москва, https://example.org/x и mail@example.org",
        "中文 English 混合 テキスト",
        "A.B.C. D-E-F  gh   ij",
        "ǅemal ǈiljana İstanbul İzmir",
        "ș ț Ş Ţ în România, Țara",
        "\u3000日本\u3000語\u3000",
        "Tiếng Việt có dấu: người, được, những",
        "x",
        "   ",
    ]


def test_fast_detection_gives_langdetects_own_answer_on_real_texts() -> None:
    # detect_probabilities = append + cleaning_text + _extract_ngrams + trials, rebuilt from
    # whole-string operations and cached words: the n-grams (same order) and the answer
    # must be langdetect's own, text by text, cold cache and warm
    from langdetect.lang_detect_exception import LangDetectException

    from crawler import language_trials
    from crawler.text import _get_factory, _sample

    factory = _get_factory()
    texts = [_sample(t) for t in _shipped_texts()]
    assert len(texts) > 300
    for round_ in ("cold", "warm"):
        if round_ == "cold":
            language_trials._word_grams.clear()
            language_trials._rows.clear()
        for text in texts:
            theirs = factory.create()
            theirs.append(text)
            theirs.cleaning_text()
            ngrams = language_trials.text_ngrams(
                text, factory.word_lang_prob_map, theirs.max_text_length
            )
            assert ngrams == theirs._extract_ngrams(), text[:80]
            reference = factory.create()
            reference.append(text)
            try:
                expected = [(c.lang, c.prob) for c in reference.get_probabilities()]
            except LangDetectException:
                expected = None
            try:
                got = language_trials.detect_probabilities(factory.create(), text)
                answer = [(c.lang, c.prob) for c in got]
            except LangDetectException:
                answer = None
            assert answer == expected, text[:80]
