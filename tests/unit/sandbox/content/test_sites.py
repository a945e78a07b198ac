from __future__ import annotations

import json
import re

import lxml.html
import pytest

from sandbox.content.sites import SITES, SiteApp
from tests.unit.sandbox.conftest import BASE, call, site_urls

URLS = site_urls()


@pytest.fixture(scope="module")
def apps() -> dict[str, SiteApp]:
    return {s.key: SiteApp(s, URLS, portal_url=BASE) for s in SITES}


def _text(response):
    return response.body.decode(response.content_type.split("charset=")[1])


def test_about_thirty_sites_in_many_languages():
    assert 25 <= len(SITES) <= 35
    assert len({s.lang for s in SITES}) >= 14
    dsi = sum(s.dsi for s in SITES)
    assert len(SITES) / 4 <= dsi <= len(SITES) / 2


def test_every_sitemap_page_is_served_and_parses(apps):
    for key, app in apps.items():
        assert "Sitemap:" in call(app, "/robots.txt").body.decode()
        sitemap = call(app, "/sitemap.xml").body.decode()
        locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
        assert len(locs) >= 6, key
        for loc in locs:
            response = call(app, loc.removeprefix(URLS[key].rstrip("/")))
            if "errors" in app.spec.specials and response.status == 500:
                continue
            assert response.status == 200, loc
            lxml.html.fromstring(_text(response))


def test_social_profiles_share_links_and_partner_links(apps):
    home = _text(call(apps["offene-stadt"], "/"))
    assert "https://mastodon.social/@offenestadt" in home
    assert URLS["datawijk"] in home  # DSI sites link to each other by their real URLs
    news = apps["offene-stadt"]
    item = news.news_path(news.spec.news[0].title)
    page = _text(call(news, item))
    for share in (
        "twitter.com/intent/tweet",
        "facebook.com/sharer/sharer.php",
        "linkedin.com/shareArticle",
    ):
        assert share in page


def test_jsonld_meta_and_lang_variants(apps):
    org = _text(call(apps["offene-stadt"], "/"))
    data = json.loads(re.search(r'ld\+json">\n(.*?)\n</script>', org, re.S).group(1))
    assert data["address"]["addressLocality"] == "Berlin" and data["url"] == URLS["offene-stadt"]
    broken = _text(call(apps["clinica-sonrisa"], "/"))
    with pytest.raises(json.JSONDecodeError):
        json.loads(re.search(r'ld\+json">\n(.*?)\n</script>', broken, re.S).group(1))
    bare = _text(call(apps["kahvila-kanelikorva"], "/"))
    assert 'name="description"' not in bare and "og:title" not in bare
    assert '<html lang="en">' in _text(call(apps["loodgieter-devries"], "/"))


def test_charsets(apps):
    cp = call(apps["baeckerei-sonnenkorn"], "/")
    assert cp.content_type == "text/html; charset=windows-1252"
    assert "Bäckerei" in cp.body.decode("windows-1252")
    latin2 = call(apps["kancelaria-nowak"], "/")
    assert latin2.content_type == "text/html; charset=iso-8859-2"
    assert "Wiśniewski" in latin2.body.decode("iso-8859-2")


def test_special_behaviours(apps):
    js = _text(call(apps["repair-map"], "/"))
    assert '<div id="app"></div>' in js and "Repair café finder" not in js.split("<script")[0]
    trap = apps["hotel-alfama"]
    page = _text(call(trap, "/eventos/?month=2031-12"))
    assert "/eventos/?month=2032-01" in page
    loop = apps["pixelwerk"]
    first = call(loop, "/shop")
    second = call(loop, first.headers["Location"])
    assert second.headers["Location"] == "/shop"
    pdf = call(apps["offene-stadt"], "/media/jahresbericht-2025.pdf")
    assert pdf.content_type == "application/pdf" and pdf.body.startswith(b"%PDF")
    huge = call(apps["datawijk"], "/archief/alle-meldingen/")
    assert 2_500_000 < len(huge.body) < 4_000_000
    errors = apps["brightline"]
    assert call(errors, "/team/").status == 500 and call(errors, "/about/").status == 200


def test_obfuscated_email_and_stale_sites(apps):
    assert "info [at] citoyens-numeriques [dot] example" in _text(
        call(apps["citoyens-numeriques"], "/contact/")
    )
    stale = _text(call(apps["kansalaisfoorumi"], "/"))
    assert "2016" in stale and "2026" not in stale
