"""The link reader's shortcuts give what the general code gives: root-relative hrefs joined as
strings, page numbers of URLs without a query, and "next" links told without their text."""

from __future__ import annotations

import random
import re
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from lxml import html as lxml_html

from crawler.text import element_text
from spiders.parsers.job_links import (
    _NEXT_CLASS_RE,
    _NEXT_TEXT_RE,
    _PAGE_PARAMS,
    _absolute,
    _is_next,
    _page_number,
    _Resolver,
)

BASES = [
    "http://h.example/jobs/?page=2",
    "https://H.Example:8443/a/b/c.html?x#f",
    "http://127.0.0.1:9/",
    "http://[::1]:8/x",
    "ftp://h.example/",
    "HTTPS://h.example",
    "http://h.example/a/b/",
]
PIECES = [
    "/", "a", "b", "?", "=", "&", "#", ".", "..", "//", "\\", " ", "\t", "\n", "é", "%20", ";",
    "q=1", "jobs", "page", "/./", "/../", "%", "@", ":", "[", "]", "2",
]  # fmt: skip


def _hrefs(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return [
        rng.choice(["/", "", "http://h.example/", "//h.example/", "HTTPS://g.example", "http:///"])
        + "".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 7)))
        for _ in range(count)
    ]


def test_resolver_equals_urljoin() -> None:
    for base in BASES:
        resolve = _Resolver(base)
        for href in _hrefs(4000, seed=7):
            got = resolve(href)
            want = _absolute(base, href)
            assert got.url == want, (base, href)
            if want is None:
                continue
            try:
                parts = urlsplit(want)
            except ValueError:
                assert got.netloc == ""
                continue
            assert got.path == parts.path, (base, href)
            assert got.netloc == parts.netloc.lower(), (base, href)
            assert got.page_no == _page_number_slow(want), (base, href)


def test_links_read_on_one_page_are_not_carried_to_another() -> None:
    # the cache is keyed by what the answer depends on: a relative href on two pages
    # gives two targets; an absolute one depends on the page's scheme only
    assert _Resolver("http://h.example/a/b")("c").url == "http://h.example/a/c"
    assert _Resolver("http://h.example/x/y")("c").url == "http://h.example/x/c"
    assert _Resolver("http://g.example/x/y")("/c").url == "http://g.example/c"
    assert _Resolver("http://h.example/x/y")("/c").url == "http://h.example/c"
    odd = "HTTPS://o.example/a/../b?"
    assert _Resolver("http://h.example/")(odd).url == _absolute("http://h.example/", odd)
    assert _Resolver("https://h.example/")(odd).url == _absolute("https://h.example/", odd)


def _page_number_slow(url: str) -> int | None:
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    for key, value in parse_qsl(parts.query):
        if key.lower() in _PAGE_PARAMS and value.isdigit():
            return int(value)
    m = re.search(r"/(?:page|seite|strona|pagina)/(\d+)/?$", parts.path, re.IGNORECASE)
    return int(m.group(1)) if m else None


@pytest.mark.parametrize(
    "url",
    [
        "http://h.example/jobs/page/3",
        "http://h.example/jobs/Seite/4/",
        "http://page/2",
        "http://h.example/page/2x",
        "http://h.example/a?page=5",
        "http://h.example/page/2#top",
        "http://h.example/strona/7?x=1",
    ],
)
def test_page_number_shortcut(url: str) -> None:
    assert _page_number(url) == _page_number_slow(url)


def test_page_number_shortcut_on_generated_urls() -> None:
    for href in _hrefs(4000, seed=11):
        url = _absolute("http://h.example/x/", href)
        if url is not None:
            assert _page_number(url) == _page_number_slow(url), url


def _is_next_slow(a: lxml_html.HtmlElement) -> bool:
    rel = (a.get("rel") or "").lower().split()
    label = " ".join(t for t in (element_text(a), a.get("aria-label"), a.get("title")) if t)
    classes = (a.get("class") or "").lower()
    return "next" in rel or bool(_NEXT_TEXT_RE.match(label)) or bool(_NEXT_CLASS_RE.search(classes))


@pytest.mark.parametrize(
    "anchor",
    [
        '<a href="/x">Next</a>',
        '<a href="/x"><span>Nächste</span> <span>Seite</span></a>',
        '<a href="/x">›</a>',
        '<a href="/x" aria-label="Next page"><svg></svg></a>',
        '<a href="/x" title="Page suivante"></a>',
        '<a href="/x">Voir plus</a>',
        '<a href="/x">Pokaż więcej</a>',
        '<a href="/x">Näytä lisää</a>',
        '<a href="/x">Načíst další</a>',
        '<a href="/x">Visa fler</a>',
        '<a href="/x">Cargar más</a>',
        '<a href="/x">Mostra altri</a>',
        '<a href="/x">Toon meer</a>',
        '<a href="/x">Weitere Stellen</a>',
        '<a href="/x">Próxima</a>',
        '<a href="/x">Older</a>',
        '<a href="/x">Volgende</a>',
        '<a href="/x">Successiva</a>',
        '<a href="/x">Dalej</a>',
        '<a href="/x">&gt;&gt;</a>',
        '<a href="/x" rel="nofollow next">2</a>',
        '<a href="/x" class="pagination-next">2</a>',
        '<a href="/x">Data Engineer, Berlin</a>',
        '<a href="/x">Nextcloud admin wanted</a>',
        '<a href="/x"></a>',
    ],
)
def test_next_link_shortcut(anchor: str) -> None:
    a = lxml_html.fragment_fromstring(anchor)
    assert _is_next(a) == _is_next_slow(a)


def _expand(parsed: Any) -> list[str]:
    """Every string a regex without unbounded repeats accepts (unbounded ones taken 0 times;
    a class as its first member)."""
    out = [""]
    for op, arg in parsed:
        name = str(op)
        if name == "LITERAL":
            options = [chr(arg)]
        elif name == "IN":
            options = [chr(v) for o, v in arg if str(o) == "LITERAL"][:1] or [" "]
        elif name == "BRANCH":
            options = [s for branch in arg[1] for s in _expand(branch)]
        elif name == "SUBPATTERN":
            options = _expand(arg[-1])
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, inner = arg
            options = [""] if high > 1 else ["", *_expand(inner)]
            options = [o * max(low, 1) for o in options] if low else options
        elif name in ("AT", "CATEGORY"):
            options = [""]
        else:
            raise AssertionError(f"unexpected regex op {name}")
        out = [a + b for a in out for b in options]
    return out


def test_every_next_phrase_has_a_hint() -> None:
    # _is_next skips the text of links without a hint word: every phrase must hold one
    from spiders.parsers.job_links import _NEXT_HINT_RE

    parsed = re._parser.parse(_NEXT_TEXT_RE.pattern)  # type: ignore[attr-defined]
    phrases = _expand(parsed)
    assert "weitere stellen" in phrases and "nächste seite" in phrases
    assert len(phrases) > 40
    for phrase in phrases:
        if phrase.strip():
            assert _NEXT_HINT_RE.search(phrase.lower()), phrase
