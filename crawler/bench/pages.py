"""Pages of the benchmark web, computed from ``(seed, index)`` like real ones are built.

A job board (listings of :data:`LISTING_SIZE` adverts with a ``rel=next`` link, advert pages)
and organisation websites (:data:`SITE_PAGES` pages each, every one linked from the home page).
The text and structured data come from the sandbox's advert generator
(:func:`sandbox.generator.advert`, rendered by :func:`sandbox.content.jobs.render_advert`: JSON-LD
in several shapes, microdata, or none); around it goes what real pages carry: a large inline
stylesheet, inline scripts (analytics, a tag manager, a framework's state), a mega navigation,
cookie banner, related adverts, a long footer, and ten levels of nested wrappers. Sizes follow
the real web: a median of ~84 KB for adverts and ~50 KB for organisation pages.

Every link the bench's crawlers are meant to follow is under ``/jobs/`` on the board and on the
site's own origin on an organisation website; the chrome links elsewhere (``/help/...`` on the
board, ``#...`` on organisation websites).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sandbox.content.common import Context, esc
from sandbox.content.jobs import render_advert
from sandbox.content.phrases import BANKS
from sandbox.generator import advert, rng_for

#: Adverts per listing page.
LISTING_SIZE = 20
#: Pages of one organisation website: its home page and these (path, link text).
SITE_SECTIONS: tuple[tuple[str, str], ...] = (
    ("/about/", "About us"),
    ("/projects/", "Our projects"),
    ("/team/", "Team"),
    ("/news/", "News"),
    ("/contact/", "Contact"),
    ("/impressum/", "Imprint"),
    ("/projects/open-data-lab/", "Open Data Lab"),
)
SITE_PAGES = 1 + len(SITE_SECTIONS)

_WORDS = tuple(
    sorted(
        {
            w.strip(".,;:()").lower()
            for bank in BANKS.values()
            for phrase in (*bank.tasks_dsi, *bank.tasks_ord, *bank.profiles, *bank.offers)
            for w in phrase.split()
            if w.strip(".,;:()").isalpha()
        }
    )
)


@dataclass(frozen=True, slots=True)
class Board:
    """The job board's shape: ``adverts`` adverts on listings of :data:`LISTING_SIZE`."""

    base_url: str
    adverts: int
    seed: int = 2026

    @property
    def listings(self) -> int:
        return max(1, -(-self.adverts // LISTING_SIZE))

    @property
    def pages(self) -> int:
        """Pages a crawl of the board fetches (robots.txt not counted)."""
        return self.listings + self.adverts

    def listing_path(self, n: int) -> str:
        return f"/jobs/?page={n}"


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(_WORDS) for _ in range(words))
    return text[:1].upper() + text[1:] + "."


def _paragraphs(rng: random.Random, count: int) -> str:
    return "\n".join(
        "<p>" + " ".join(_sentence(rng, rng.randrange(8, 22)) for _ in range(5)) + "</p>"
        for _ in range(count)
    )


def _stylesheet(rng: random.Random, rules: int) -> str:
    """A minified-looking stylesheet of ``rules`` rules (utility classes, media queries)."""
    props = ("margin", "padding", "color", "background", "border", "font-size", "line-height")
    out = []
    for i in range(rules):
        decl = ";".join(f"{rng.choice(props)}:{rng.randrange(0, 48)}px" for _ in range(4))
        out.append(f".c{i:x}-{rng.choice(_WORDS)[:6]}{{{decl}}}")
        if i % 40 == 0:
            out.append(
                f"@media (max-width:{rng.randrange(480, 1280)}px){{.c{i:x}{{display:none}}}}"
            )
    return "".join(out)


def _scripts(rng: random.Random, size: int) -> str:
    """Inline scripts: a tag manager stub, an analytics queue and a framework state blob."""
    calls: list[str] = []
    length = 0
    while length < size:
        calls.append(
            f'w.dl.push({{"event":"{rng.choice(_WORDS)}","v":{rng.randrange(10**6)},'
            f'"k":"{rng.getrandbits(64):016x}"}});'
        )
        length += len(calls[-1])
    return (
        "<script>(function(w,d){w.dl=w.dl||[];" + "".join(calls) + "})(window,document);</script>\n"
        '<script async src="/static/app.js"></script>\n'
        "<script>window.__APP_CONFIG__={"
        + ",".join(f'"f{i}":{rng.randrange(2)}' for i in range(200))
        + "};</script>"
    )


def _nav(rng: random.Random, links: int, href: str, depth: int = 10) -> str:
    """A mega navigation: grouped lists of links to help and info pages, in nested wrappers."""
    groups = []
    for g in range(links // 12 + 1):
        items = "".join(
            f'<li class="nav-item"><a class="nav-link" href="{href}{g}-{rng.choice(_WORDS)}-'
            f'{i}">{esc(rng.choice(_WORDS).title())} {esc(rng.choice(_WORDS))}</a></li>'
            for i in range(12)
        )
        groups.append(
            f'<div class="nav-group"><span>{esc(rng.choice(_WORDS).title())}</span>'
            f'<ul class="nav-list">{items}</ul></div>'
        )
    return _nested(f'<nav class="mega" aria-label="Main">{"".join(groups)}</nav>', depth // 2)


def _nested(inner: str, depth: int) -> str:
    for level in range(depth):
        inner = f'<div class="l{level} container-{level % 3}">{inner}</div>'
    return inner


def _footer(rng: random.Random, href: str) -> str:
    cols = "".join(
        f'<div class="col"><h4>{esc(rng.choice(_WORDS).title())}</h4><ul>'
        + "".join(
            f'<li><a href="{href}footer-{c}-{i}">{esc(rng.choice(_WORDS).title())} '
            f"{esc(rng.choice(_WORDS))}</a></li>"
            for i in range(10)
        )
        + "</ul></div>"
        for c in range(6)
    )
    return (
        f'<footer class="site-footer">{_nested(cols, 4)}<p class="legal">'
        f"{esc(_sentence(rng, 30))}</p></footer>\n"
        '<div id="cookie-banner" role="dialog"><p>We use cookies to measure our audience.</p>'
        "<button>Accept</button><button>Refuse</button></div>"
    )


def _chrome(
    rng: random.Random, *, style_rules: int, script_size: int, nav_links: int, href: str
) -> tuple[str, str, str]:
    """(head additions, top of body, end of body) of one page."""
    head = f"<style>{_stylesheet(rng, style_rules)}</style>\n{_scripts(rng, script_size)}\n"
    return head, _nav(rng, nav_links, href), _footer(rng, href)


def _wrap(
    page: str,
    rng: random.Random,
    *,
    body: str,
    sidebar: str,
    size: tuple[int, int],
    href: str = "/help/",
) -> str:
    """Put the chrome around a rendered page's ``<main>``; ``size`` is the range of the chrome's
    bulk in KB (stylesheet + scripts)."""
    kb = rng.randrange(*size)
    head, top, bottom = _chrome(
        rng,
        style_rules=kb * 6,
        script_size=kb * 400,
        nav_links=rng.randrange(60, 160),
        href=href,
    )
    start = page.index("<main>")
    end = page.index("</main>") + len("</main>")
    before = page[:start]
    before = before.replace("</head>", head + "</head>", 1)
    if "<header>" in before:
        before = before[: before.index("<header>")]
    main = _nested(page[start:end] + f'<aside class="related">{sidebar}</aside>', 10)
    return f'{before}<header class="top">{top}</header>\n{main}\n{body}{bottom}\n</body>\n</html>\n'


def advert_page(board: Board, index: int) -> str:
    """Advert ``index`` of the board (``0 <= index < board.adverts``)."""
    a = advert(board.seed, index)
    ctx = Context(base_url=board.base_url, seed=board.seed)
    # the apply form is not an advert: keep it out of /jobs/, where the crawlers follow links
    page = render_advert(a, ctx, seed=board.seed).replace('href="/jobs/apply/', 'href="/apply/')
    rng = rng_for(board.seed, "bench-advert", index)
    related = "".join(
        f'<li><a href="{advert_path(board, (index + k * 37) % board.adverts)}">'
        f"{esc(rng.choice(_WORDS).title())}</a></li>"
        for k in range(1, 7)
    )
    body = f'<section class="more">{_paragraphs(rng, rng.randrange(2, 6))}</section>'
    return _wrap(page, rng, body=body, sidebar=f"<ul>{related}</ul>", size=(35, 110))


def advert_path(board: Board, index: int) -> str:
    return advert(board.seed, index).path


def listing_page(board: Board, n: int, paths: list[str]) -> str:
    """Listing ``n`` (1-based) with links to ``paths`` (its adverts) and to the next listing."""
    rng = rng_for(board.seed, "bench-listing", n)
    items = "".join(
        f'<li class="result"><article><h2><a href="{esc(p)}">{esc(p.rsplit("/", 1)[-1])}</a>'
        f"</h2><p>{esc(_sentence(rng, 25))}</p></article></li>"
        for p in paths
    )
    nxt = f'<a rel="next" href="{board.listing_path(n + 1)}">Next</a>' if n < board.listings else ""
    head_next = (
        f'<link rel="next" href="{board.listing_path(n + 1)}">' if n < board.listings else ""
    )
    page = (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Jobs – page {n}</title>\n{head_next}\n</head>\n<body>\n<header></header>\n"
        f'<main><h1>Jobs</h1><ol class="results">{items}</ol><nav class="pager">{nxt}</nav>'
        "</main>\n</body>\n</html>\n"
    )
    return _wrap(page, rng, body="", sidebar="", size=(30, 60))


def site_page(seed: int, site: int, section: int, base_url: str) -> str:
    """Page ``section`` (0 = home, else ``SITE_SECTIONS[section - 1]``) of organisation
    website ``site`` served at ``base_url``; about a third carry Organization JSON-LD."""
    rng = rng_for(seed, "bench-site", site, section)
    name = f"{rng.choice(_WORDS).title()} {rng.choice(('Lab', 'Collective', 'Foundation'))}"
    title = "Home" if section == 0 else SITE_SECTIONS[section - 1][1]
    links = "".join(f'<li><a href="{p}">{esc(t)}</a></li>' for p, t in SITE_SECTIONS)
    jsonld = ""
    if (site + section) % 3 == 0:
        jsonld = (
            '<script type="application/ld+json">{"@context":"https://schema.org",'
            f'"@type":"Organization","name":"{esc(name)}","url":"{esc(base_url)}"}}</script>\n'
        )
    page = (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{esc(title)} – {esc(name)}</title>\n{jsonld}</head>\n<body>\n<header></header>\n"
        f'<main><ul class="site-nav"><li><a href="/">Home</a></li>{links}</ul>'
        f"<article><h1>{esc(title)}</h1>{_paragraphs(rng, rng.randrange(6, 16))}</article>"
        "</main>\n</body>\n</html>\n"
    )
    return _wrap(page, rng, body="", sidebar="", size=(15, 55), href="#")
