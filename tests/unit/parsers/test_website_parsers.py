"""Unit tests for the website spider's parsers: social links, contacts, liveliness, URLs."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crawler.urls import web_url
from spiders.parsers.contact import (
    address_from_lines,
    decode_cfemail,
    emails_from_mailto,
    emails_from_text,
    pick_emails,
)
from spiders.parsers.liveliness import LivelinessInput, liveliness
from spiders.parsers.page_facts import extract_page
from spiders.parsers.page_kinds import link_kind
from spiders.parsers.profile import name_from_titles
from spiders.parsers.site_urls import site_key, trap_reason
from spiders.parsers.social import classify_social, is_social_host, pick_social_links


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://twitter.com/OpenKnowledge", ("x", "https://x.com/openknowledge")),
        ("http://www.x.com/okfn?lang=de", ("x", "https://x.com/okfn")),
        ("https://mastodon.social/@okfn", ("mastodon", "https://mastodon.social/@okfn")),
        ("https://bsky.app/profile/okfn.org", ("bluesky", "https://bsky.app/profile/okfn.org")),
        (
            "https://www.facebook.com/OKFNetwork/",
            ("facebook", "https://www.facebook.com/OKFNetwork"),
        ),
        (
            "https://de.linkedin.com/company/okfn",
            ("linkedin", "https://www.linkedin.com/company/okfn"),
        ),
        ("https://instagram.com/okfn/", ("instagram", "https://www.instagram.com/okfn")),
        ("https://www.youtube.com/@okfn", ("youtube", "https://www.youtube.com/@okfn")),
        ("https://github.com/okfn/ckan", ("github", "https://github.com/okfn")),
        ("https://github.com/orgs/okfn/people", ("github", "https://github.com/okfn")),
    ],
)
def test_profiles_are_recognised(url: str, expected: tuple[str, str]) -> None:
    link = classify_social(url)
    assert link is not None and (link.platform, link.url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://twitter.com/intent/tweet?text=x",
        "https://x.com/share?url=x",
        "https://twitter.com/share",
        "https://twitter.com/okfn/status/123",
        "https://twitter.com/hashtag/opendata",
        "https://www.facebook.com/sharer/sharer.php?u=x",
        "https://www.facebook.com/sharer.php?u=x",
        "https://www.facebook.com/dialog/share?x=1",
        "https://www.linkedin.com/shareArticle?mini=true&url=x",
        "https://www.linkedin.com/sharing/share-offsite/?url=x",
        "https://bsky.app/intent/compose",
        "https://www.youtube.com/watch?v=abc",
        "https://www.instagram.com/p/abc/",
        "https://mastodon.social/@okfn/1234567",
        "https://medium.com/@someone",
        "https://example.org/about",
        "mailto:x@example.org",
        "https://github.com/features",
    ],
)
def test_share_and_post_links_are_rejected(url: str) -> None:
    assert classify_social(url) is None


def test_mastodon_users_path_needs_rel_me() -> None:
    assert classify_social("https://chaos.social/users/ccc") is None
    link = classify_social("https://chaos.social/users/ccc", rel_me=True)
    assert link is not None and link.url == "https://chaos.social/@ccc"


def test_pick_social_links_prefers_most_linked() -> None:
    links = [
        classify_social(u)
        for u in ("https://twitter.com/partner", "https://twitter.com/us", "https://twitter.com/us")
    ]
    assert pick_social_links(link for link in links if link) == {"x": "https://x.com/us"}
    assert is_social_host("www.facebook.com") and is_social_host("wa.me")
    assert not is_social_host("example.org")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("info [at] example [dot] org", ["info@example.org"]),
        ("info(at)example(dot)org", ["info@example.org"]),
        ("kontakt [ät] verein [punkt] de", ["kontakt@verein.de"]),
        ("hola (arroba) ejemplo (punto) es", ["hola@ejemplo.es"]),
        ("info at example dot org", ["info@example.org"]),
        ("meet us at Berlin. See you", []),
        ("logo@2x.png and real@mail.example.org", ["real@mail.example.org"]),
        ("info@example[.]org", ["info@example.org"]),
    ],
)
def test_emails_from_text(text: str, expected: list[str]) -> None:
    assert emails_from_text(text) == expected


def test_emails_from_mailto_and_cloudflare() -> None:
    assert emails_from_mailto("mailto:a@x.org,b@x.org?subject=Hi&cc=c@x.org") == [
        "a@x.org",
        "b@x.org",
    ]
    assert emails_from_mailto("mailto:info%40example.org") == ["info@example.org"]
    encoded = bytes([0x5A] + [b ^ 0x5A for b in b"info@example.org"]).hex()
    assert decode_cfemail(encoded) == "info@example.org"
    assert decode_cfemail("zz") is None
    assert pick_emails(["a@other.org", "b@site.org", "B@site.org"], "www.site.org") == [
        "b@site.org",
        "a@other.org",
    ]


@pytest.mark.parametrize(
    ("lines", "city_text", "street"),
    [
        (
            ["Musterverein e.V.", "Musterstraße 12", "10115 Berlin", "Deutschland"],
            "Berlin",
            "Musterstraße 12",
        ),
        (["12 rue de la Paix", "75002 Paris"], "Paris", "12 rue de la Paix"),
        (["Calle Mayor 5, 28013 Madrid"], "Madrid", "Calle Mayor 5"),
        (["ul. Długa 5", "00-238 Warszawa"], "Warszawa", "ul. Długa 5"),
        (["Keizersgracht 1", "1015 AA Amsterdam"], "Amsterdam", "Keizersgracht 1"),
        (["Storgatan 3", "114 51 Stockholm"], "Stockholm", "Storgatan 3"),
    ],
)
def test_address_from_lines(lines: list[str], city_text: str, street: str) -> None:
    found = address_from_lines(lines)
    assert found is not None and found.locality == city_text and found.text.startswith(street)


@pytest.mark.parametrize(
    "lines",
    [
        ["© 2024 Open Data Lab"],
        ["1 Jan 2031 Planned event"],
        ["Tel. 030 12345 678"],
        ["We have 2024 members in Berlin"],
    ],
)
def test_address_false_positives(lines: list[str]) -> None:
    assert address_from_lines(lines) is None


def test_liveliness_formula() -> None:
    today = date(2025, 6, 1)
    assert liveliness(LivelinessInput(reachable=False), today) == 0.0
    fresh = LivelinessInput(
        reachable=True,
        last_updated=date(2025, 5, 1),
        copyright_year=2025,
        pages_ok=4,
        pages_tried=4,
    )
    assert liveliness(fresh, today) == 1.0
    stale = LivelinessInput(
        reachable=True,
        last_updated=date(2020, 1, 1),
        copyright_year=2019,
        pages_ok=1,
        pages_tried=4,
    )
    assert liveliness(stale, today) == 0.075
    assert liveliness(fresh, today) > liveliness(stale, today)


def test_urls() -> None:
    assert site_key("http://www.Example.org:80/x") == "example.org"
    assert site_key("https://127.0.0.1:8443/") == "127.0.0.1:8443"
    assert site_key("mailto:x@y.z") is None
    assert (
        web_url("HTTP://Example.org/a?utm_source=x&b=2&a=1#frag") == "http://example.org/a?a=1&b=2"
    )
    assert web_url("http://example.org/shop;jsessionid=AB12?sid=9") == "http://example.org/shop"
    assert trap_reason("http://e.org/events/calendar/?month=2025-06") == "calendar"
    assert trap_reason("http://e.org/agenda/2025-07/") == "calendar"
    assert trap_reason("http://e.org/report.pdf") == "file"
    assert trap_reason("http://e.org/a/b/a/b/a/b/") == "repeating_path"
    assert trap_reason("http://e.org/" + "x" * 400) == "too_long"
    assert trap_reason("http://e.org/about?print=1") == "query"
    assert trap_reason("http://e.org/2024/03/05/") is None
    assert trap_reason("http://e.org/ueber-uns/") is None


@pytest.mark.parametrize(
    ("url", "anchor", "kind"),
    [
        ("http://e.org/ueber-uns/", "", "about"),
        ("http://e.org/qui-sommes-nous", "", "about"),
        ("http://e.org/chi-siamo.html", "", "about"),
        ("http://e.org/o-nas/", "", "about"),
        ("http://e.org/page-12", "Über uns", "about"),
        ("http://e.org/impressum", "", "imprint"),
        ("http://e.org/mentions-legales/", "", "imprint"),
        ("http://e.org/aviso-legal", "", "imprint"),
        ("http://e.org/colofon", "", "imprint"),
        ("http://e.org/kontakt", "", "contact"),
        ("http://e.org/projekte/", "", "projects"),
        ("http://e.org/de/", "", "lang"),
        ("http://e.org/shop", "Shop", None),
    ],
)
def test_link_kind(url: str, anchor: str, kind: str | None) -> None:
    assert link_kind(url, anchor) == kind


@pytest.mark.parametrize(
    ("home", "others", "name"),
    [
        ("Home | Open Lab", [], "Open Lab"),
        ("Open Lab – Making data work for everyone", [], "Open Lab"),
        ("Willkommen bei Code für Alle", [], "Code für Alle"),
        (
            "Data for Good Barcelona | Datos abiertos",
            ["Proyectos | Data for Good Barcelona"],
            "Data for Good Barcelona",
        ),
    ],
)
def test_name_from_titles(home: str, others: list[str], name: str) -> None:
    assert name_from_titles(home, others) == name


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


# --- social links in the forms real sites use ------------------------------------------------
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://twitter.com/intent/follow?screen_name=CodeCommun75",
            "https://x.com/codecommun75",
        ),
        ("https://x.com/intent/user?screen_name=@okfn", "https://x.com/okfn"),
        ("https://twitter.com/intent/follow?original_referer=x", None),
        ("https://twitter.com/intent/tweet?screen_name=okfn", None),
        (
            "https://www.facebook.com/profile.php?id=1000641",
            "https://www.facebook.com/profile.php?id=1000641",
        ),
        ("https://www.facebook.com/sharer/sharer.php?u=x", None),
        ("https://www.youtube.com/c/OpenStreets", "https://www.youtube.com/c/OpenStreets"),
        ("https://www.youtube.com/channel/UCx1y2", "https://www.youtube.com/channel/UCx1y2"),
        ("https://www.youtube.com/watch?v=a1B2c3", None),
        ("https://www.instagram.com/p/CxYz123AbC/", None),
        ("https://bsky.app/intent/compose?text=x", None),
        ("https://chaos.social/@verein/112233445566", None),
    ],
)
def test_follow_buttons_are_profiles_share_buttons_are_not(url: str, expected: str | None) -> None:
    link = classify_social(url)
    assert (link.url if link else None) == expected


def test_fediverse_handles_in_text() -> None:
    from spiders.parsers.social import mastodon_handles_in_text

    text = "Mastodon: @FreieNetze@wien.rocks · mail: info@verein.example.at · @x@twitter.com"
    assert [s.url for s in mastodon_handles_in_text(text)] == ["https://wien.rocks/@freienetze"]
    assert emails_from_text(text) == ["info@verein.example.at"]  # the handle is no address
    assert mastodon_handles_in_text("write to info@verein.example.at") == []


def test_linkedin_member_profiles_never_stand_for_the_organisation() -> None:
    person = classify_social("https://www.linkedin.com/in/giulia-rossi/")
    company = classify_social("https://www.linkedin.com/company/rete-civica/")
    assert person is not None and company is not None
    assert pick_social_links([person, person, company]) == {"linkedin": company.url}
    assert pick_social_links([person]) == {}


# --- addresses in each country's own format --------------------------------------------------
@pytest.mark.parametrize(
    ("lines", "text", "code"),
    [
        (
            ["Anschrift: Invalidenstraße 117, D-10115 Berlin"],
            "Invalidenstraße 117, D-10115 Berlin",
            "10115",
        ),
        (
            ["Drottninggatan 71", "SE-111 22 Stockholm"],
            "Drottninggatan 71, SE-111 22 Stockholm",
            "111 22",
        ),
        (["Vodičkova 681/18, 111 21 Praha 1"], "Vodičkova 681/18, 111 21 Praha 1", "111 21"),
        (
            ["Verein X · Neubaugasse 12/3 · 1070 Wien · ZVR-Zahl 123"],
            "Neubaugasse 12/3, 1070 Wien",
            "1070",
        ),
        (
            ["ul. Ząbkowska 27/31", "03-736 Warszawa"],
            "ul. Ząbkowska 27/31, 03-736 Warszawa",
            "03-736",
        ),
        (
            ["Siège social : 27 rue Saint-Maur", "75011 Paris", "France"],
            "27 rue Saint-Maur, 75011 Paris, France",
            "75011",
        ),
    ],
)
def test_addresses_in_national_formats(lines: list[str], text: str, code: str) -> None:
    found = address_from_lines(lines)
    assert found is not None and found.text == text and found.postal_code == code


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
