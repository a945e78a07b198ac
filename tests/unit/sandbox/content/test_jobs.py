from __future__ import annotations

import json
import re
from html import unescape

import lxml.html
import pytest

from sandbox.content.common import Context
from sandbox.content.jobs import UTM_QUERY, JobBoard
from sandbox.generator import advert
from tests.unit.sandbox.conftest import BASE, call, site_urls

JSONLD_RE = re.compile(r'<script type="application/ld\+json">\n(.*?)\n</script>', re.S)


def _listing_hrefs(portal):
    hrefs = []
    for page in range(1, portal.jobs.page_count + 1):
        body = call(portal, f"/jobs/?page={page}").body.decode()
        found = re.findall(r'class="job-card"><h2><a href="([^"]+)"', body)
        hrefs += [unescape(h) for h in found]
    return hrefs


def _page_text(response):
    charset = response.content_type.split("charset=")[1]
    return response.body.decode(charset)


def test_listing_has_40_to_60_adverts_over_pages_with_next_links(portal):
    hrefs = _listing_hrefs(portal)
    assert 40 <= len(hrefs) <= 60
    assert portal.jobs.page_count >= 4
    first = call(portal, "/jobs/").body.decode()
    assert '<link rel="next" href="/jobs/?page=2">' in first
    assert ">Next »</a>" in first
    assert ">Weiter »</a>" in call(portal, "/jobs/?page=2").body.decode()
    last = call(portal, f"/jobs/?page={portal.jobs.page_count}").body.decode()
    assert 'rel="next"' not in last
    assert call(portal, f"/jobs/?page={portal.jobs.page_count + 1}").status == 404


def test_page_two_links_into_robots_disallowed_admin(portal):
    assert "/jobs/admin/" in call(portal, "/jobs/?page=2").body.decode()
    robots = call(portal, "/robots.txt").body.decode()
    assert "Disallow: /jobs/admin/" in robots
    assert "Disallow: /private/" in robots
    assert f"Sitemap: {BASE}/jobs/sitemap.xml" in robots


def test_every_advert_page_parses_and_structured_data_is_as_designed(portal):
    seen = set()
    for href in _listing_hrefs(portal):
        response = call(portal, href)
        assert response.status == 200, href
        text = _page_text(response)
        doc = lxml.html.fromstring(text)
        assert doc.xpath("//h1"), href
        slug = href.split("?")[0].rsplit("/", 1)[1].removesuffix(".html")
        a = portal.jobs.get(slug)
        assert a is not None
        seen.add(a.markup)
        blocks = JSONLD_RE.findall(text)
        if a.markup in ("none", "microdata", "rdfa"):
            assert not blocks, href
        elif a.markup.startswith("broken"):
            with pytest.raises(json.JSONDecodeError):
                json.loads(blocks[0])
        else:
            data = [json.loads(b) for b in blocks]
            assert "JobPosting" in json.dumps(data), href
        if a.markup == "microdata":
            assert doc.xpath('//*[@itemtype="https://schema.org/JobPosting"]')
        if a.markup == "rdfa":
            assert doc.xpath('//*[@typeof="JobPosting"]')
        canonical = doc.xpath('//link[@rel="canonical"]/@href')
        assert canonical and "?" not in canonical[0]
    assert {
        "jsonld",
        "jsonld-graph",
        "jsonld-list",
        "jsonld-nested",
        "jsonld-remote",
        "microdata",
        "rdfa",
        "none",
        "broken-comma",
        "broken-quote",
        "multi",
        "entities",
    } <= seen


def test_languages_and_mix_of_employers(portal):
    adverts = [portal.jobs.entry(i)[1] for i in range(portal.jobs.entry_count)]
    assert {"en", "de", "fr", "es", "it", "nl", "pl", "pt", "sv", "cs"} <= {a.lang for a in adverts}
    dsi = sum(a.employer.dsi for a in adverts)
    assert 5 < dsi < len(adverts) / 2


def test_jsonld_variants_cover_schema_shapes(portal):
    texts = [_page_text(call(portal, href)) for href in _listing_hrefs(portal)]
    nodes = []
    for text in texts:
        for block in JSONLD_RE.findall(text):
            try:
                nodes.append(json.dumps(json.loads(block)))
            except json.JSONDecodeError:
                continue
    joined = "\n".join(nodes)
    for needle in (
        '"@graph"',
        '"TELECOMMUTE"',
        '"applicantLocationRequirements"',
        '"MonetaryAmount"',
        '"unitText": "MONTH"',
        '"unitText": "YEAR"',
        '"unitText": "HOUR"',
        '"@type": "Country"',
        '"sameAs"',
        '"validThrough"',
        '"identifier"',
        '"employmentType": [',
    ):
        assert needle in joined, needle
    assert any(n.startswith("[") for n in nodes)
    assert '"value": 1.0' in joined and '"value": 9999999.0' in joined  # absurd salaries


def test_charsets_and_wrong_lang(portal):
    cp = call(portal, "/jobs/verkaeufer-modehaus-weber-hamburg.html")
    assert cp.content_type == "text/html; charset=windows-1252"
    assert "Verkäufer" in cp.body.decode("windows-1252")
    with pytest.raises(UnicodeDecodeError):
        cp.body.decode("utf-8")
    latin2 = call(portal, "/jobs/kasjer-sprzedawca-jantar-wroclaw.html")
    assert latin2.content_type == "text/html; charset=iso-8859-2"
    assert "Wrocław" in latin2.body.decode("iso-8859-2")
    wrong = call(portal, "/jobs/disponent-alpenlogistik-salzburg.html").body.decode()
    assert '<html lang="en">' in wrong and "Ihre Aufgaben" in wrong


def test_plain_html_adverts_show_human_dates(portal):
    relative = call(portal, "/jobs/analyste-credit-banque-delorme-paris.html").body.decode()
    assert re.search(r"il y a \d+ jours", relative)
    absolute = _page_text(call(portal, "/jobs/verkaeufer-modehaus-weber-hamburg.html"))
    assert re.search(r"Veröffentlicht am \d+\. \w+ 20\d\d", absolute)


def test_duplicates_and_near_duplicates(portal):
    hrefs = _listing_hrefs(portal)
    tracked = [h for h in hrefs if UTM_QUERY in h]
    assert len(tracked) == 1
    plain = tracked[0].split("?")[0]
    assert plain in hrefs
    assert call(portal, tracked[0]).body == call(portal, plain).body
    mirror = [h for h in hrefs if h.startswith("/jobs/partner/")]
    assert len(mirror) == 1
    original = mirror[0].replace("/partner/", "/")
    assert call(portal, mirror[0]).body == call(portal, original).body
    near_a = portal.jobs.get("open-data-specialist-datawijk-rotterdam")
    near_b = portal.jobs.get("open-data-specialist-datawijk-rotterdam-2")
    assert near_a.title == near_b.title and near_a.offers != near_b.offers
    assert (near_b.date_posted - near_a.date_posted).days >= 21


def test_multi_posting_page_has_three_postings(portal):
    text = call(portal, "/jobs/sammelanzeige-it-klinikum-rheinaue-bonn.html").body.decode()
    assert len(JSONLD_RE.findall(text)) == 3


def test_sitemap_index_points_to_children_with_lastmod(portal):
    index = call(portal, "/jobs/sitemap.xml").body.decode()
    children = re.findall(r"<loc>([^<]+)</loc><lastmod>", index)
    assert len(children) >= 2
    total = 0
    for child in children:
        body = call(portal, child.removeprefix(BASE)).body.decode()
        total += body.count("<url>")
    assert total >= 50


def test_unknown_and_tampered_slugs_are_404(portal):
    assert call(portal, "/jobs/nope.html").status == 404
    real = advert(2026, 3).slug
    assert call(portal, f"/jobs/{real[:-2]}xx.html").status == 404
    assert call(portal, f"/jobs/{99_999_999:06d}-x.html").status == 404


def test_scale_board_serves_any_index_quickly():
    board = JobBoard(Context(base_url=BASE, site_urls=site_urls(), scale=100_000))
    assert board.entry_count > 100_000
    last = board.listing(board.page_count)
    assert last.status == 200
    a = advert(2026, 99_999)
    page = board.advert_page(a.slug)
    assert page.status == 200 and a.title.encode() in page.body
    assert board.advert_page(a.slug).body == page.body
    assert board.get(advert(2026, 100_000).slug) is None
