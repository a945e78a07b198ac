"""Facts of one website page: malformed pages, JavaScript shells and state, schema.org addresses."""

from __future__ import annotations

from datetime import date, datetime

from spiders.parsers.page_facts import extract_page


def test_malformed_pages_never_raise() -> None:
    now = datetime(2025, 6, 1)
    for html in (
        "",
        "   ",
        "<html",
        "\x00\x01<body><a href='http://[::1'>x</a>",
        "<script type='application/ld+json'>{broken</script><p>hi</p>",
        "<html><body><time datetime='9999-99-99'>x</time></body></html>",
    ):
        facts = extract_page(html, "http://127.0.0.1:8001/", want_text=True, now=now)
        assert facts.url == "http://127.0.0.1:8001/"


def test_js_shell_is_detected() -> None:
    shell = (
        "<html><head><script src='/app.js'></script></head><body><div id='root'></div>"
        "<script id='__NEXT_DATA__' type='application/json'>{\"props\": {\"title\": "
        '"Open Streets Collective in Gent"}}</script></body></html>'
    )
    facts = extract_page(shell, "http://127.0.0.1:8001/", want_text=True)
    assert facts.needs_js and "Open Streets Collective" in facts.main_text
    page = (
        "<html><body><div id='root'><p>" + "Real text. " * 50 + "</p></div>"
        "<script src='/a.js'></script></body></html>"
    )
    assert not extract_page(page, "http://127.0.0.1:8001/").needs_js


def test_schema_address_string_split_by_lines() -> None:
    html = (
        '<html><head><script type="application/ld+json">{"@type":"Organization","name":"F",'
        '"address":"Calle de Alcalá 48\\nMadrid, 28014\\nEspaña"}</script></head>'
        "<body><p>x</p></body></html>"
    )
    facts = extract_page(html, "http://127.0.0.1:8001/")
    assert facts.schema_address is not None
    assert facts.schema_address.text == "Calle de Alcalá 48, Madrid, 28014, España"
    assert facts.schema_address.postal_code is None  # unsplittable: an imprint address wins


# --- JavaScript state read without a browser --------------------------------------------------
def test_next_data_text_without_browser() -> None:
    body = "Wir bauen offene Werkzeuge für Nachbarschaften und Vereine in der ganzen Stadt. " * 4
    html = (
        '<html lang="de"><head><title>X</title></head><body><div id="__next"></div>'
        '<script id="__NEXT_DATA__" type="application/json">'
        f'{{"props":{{"pageProps":{{"body":"{body}","updatedAt":"2025-05-06T08:30:00.000Z",'
        '"links":[{"href":"/impressum"}],"mail":"mailto:a@verein.example.de"}}}</script>'
        "</body></html>"
    )
    facts = extract_page(html, "http://127.0.0.1:8001/", want_text=True, now=datetime(2025, 6, 1))
    assert facts.needs_js and facts.state_text
    assert facts.text_source == "state:__NEXT_DATA__"
    assert "offene Werkzeuge" in facts.main_text and facts.language == "de"
    assert facts.dates == [date(2025, 5, 6)]
    assert facts.emails == ["a@verein.example.de"]
    assert [(link.url, link.kind) for link in facts.links] == [
        ("http://127.0.0.1:8001/impressum", "imprint")
    ]


def test_thin_state_still_needs_the_browser() -> None:
    html = (
        '<html><body><div id="root"></div><script>window.__INITIAL_STATE__ = '
        '{"title": "Kurz und knapp hier"};</script></body></html>'
    )
    facts = extract_page(html, "http://127.0.0.1:8001/", want_text=True)
    assert facts.needs_js and not facts.state_text


def test_main_text_starts_at_the_headline_without_menus_and_teasers() -> None:
    """Issue #19: navigation, sliders and "latest news" teasers are not the main text."""
    html = (
        '<html><body><a class="skip-link" href="#c">Skip to content</a>'
        '<div class="topnav"><a href="/">Home</a><a href="/about">About us</a>'
        '<a href="/team">Team</a></div>'
        '<div class="slider"><a href="/p/1">Our new map</a></div>'
        '<div class="latest"><h2>Latest news</h2>'
        '<div class="card"><h3><a href="/n/1">Annual report</a></h3><p>We published…</p></div>'
        '<div class="card"><h3><a href="/n/2">New crossing</a></h3><p>Residents…</p></div></div>'
        "<div class='intro'><h1>Safer streets start with open data</h1><p>"
        + "We collect collision data with residents and publish it openly. " * 4
        + "</p></div><div class='footer'>© 2025 Streets</div></body></html>"
    )
    facts = extract_page(html, "http://127.0.0.1:8001/", want_text=True)
    assert facts.main_text.startswith("Safer streets start with open data\nWe collect")
    for noise in ("Home", "About us", "Our new map", "Latest news", "Annual report", "© 2025"):
        assert noise not in facts.main_text
    assert facts.text_source == "page_blocks"


def test_social_icons_written_in_other_ways() -> None:
    """Footer icons whose link has no scheme, sits on an SVG or a button, or opens a window."""
    html = (
        "<html><body><p>Text.</p><footer>"
        '<a href="www.facebook.com/OrgPage"><i class="fa fa-facebook"></i></a>'
        '<svg><a xlink:href="https://www.instagram.com/org.gram/"><path d=""/></a></svg>'
        "<button onclick=\"window.open('https://twitter.com/orgtweets')\">X</button>"
        '<a href="https://www.facebook.com/sharer/sharer.php?u=x">Share</a>'
        "</footer></body></html>"
    )
    facts = extract_page(html, "http://127.0.0.1:8001/")
    urls = {s.platform: s.url for s in facts.social}
    assert urls == {
        "facebook": "https://www.facebook.com/OrgPage",
        "instagram": "https://www.instagram.com/org.gram",
        "x": "https://x.com/orgtweets",
    }


def test_footer_icon_profile_wins_over_profiles_the_text_links_to() -> None:
    from spiders.parsers.social import pick_social_links

    partner = '<a href="https://www.facebook.com/PartnerOrg">our partner PartnerOrg</a>'
    html = (
        f"<html><body><main><p>We work with {partner}, see {partner} and {partner}.</p></main>"
        '<footer><a href="https://www.facebook.com/OwnOrg"><i class="fa-facebook"></i></a>'
        "</footer></body></html>"
    )
    facts = extract_page(html, "http://127.0.0.1:8001/")
    assert pick_social_links(facts.social) == {"facebook": "https://www.facebook.com/OwnOrg"}
