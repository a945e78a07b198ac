from __future__ import annotations

import time
from typing import Any

import pytest

from crawler.text import clean_text, fold_accents, html_to_text, truncate


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
