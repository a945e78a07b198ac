"""Property-based fuzzing (hypothesis) of every parser, the sources loader and the exporters:
"never raises" holds for any input (issue #24).

Bounded in CI: ``DSI_FUZZ_EXAMPLES`` examples per target (default 30); run longer with e.g.
``DSI_FUZZ_EXAMPLES=2000 pytest tests/reliability/test_fuzz.py``. Inputs mix random text (lone
surrogates and NUL included), HTML assembled from tags that parsers look for, URLs built from
hostile pieces (``[``, bad ports, numeric hosts) and arbitrary JSON values.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scrapy import Request
from scrapy.http import TextResponse

from crawler import exporting
from crawler.network import NetworkPolicy, check_url, literal_address
from crawler.sources import SourceError, parse_sources
from crawler.urls import canonical_url, split_origin, web_url
from spiders.boards import ADAPTERS
from spiders.jobs import JobsSpider
from spiders.parsers import (
    ckan,
    contact,
    dates,
    dcat,
    job_links,
    job_records,
    jobposting,
    jobs_html,
    js_state,
    opendata_fields,
    page_dates,
    page_facts,
    page_kinds,
    places,
    profile,
    salary,
    site_urls,
    social,
    socrata,
    structured,
)
from spiders.portals import ckan as ckan_portal
from spiders.portals import detect, parse_stamp
from tests.spiders.harness import drain, make_spider

EXAMPLES = int(os.environ.get("DSI_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("DSI_FUZZ_RANDOM") != "1",  # CI: the same inputs every run
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NOW = datetime(2026, 11, 28, tzinfo=UTC)

# --- strategies -------------------------------------------------------------------------------
any_text = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=200)
pieces = st.sampled_from(
    ["http://", "https://", "//", "[", "]", "::1", "127.0.0.1", "2130706433", "0x7f.1", ":",
     ":99999", ":0", "@", "/", "?", "#", "%", "%zz", "example.org", "www.", ".", "\ud800",
     "\x00", " ", "mailto:", "javascript:", "xn--", "ü", "/jobs/", "/careers", "page=2", "&"]
)  # fmt: skip
urls = st.lists(pieces | any_text, max_size=8).map("".join)
tags = st.sampled_from(
    ["<html>", "</html>", "<head>", "<body>", "<title>", "</title>", "<a href='", "'>", "</a>",
     '<script type="application/ld+json">', "</script>", "<script>", '{"@type":"JobPosting"',
     '"title":', '"@id":"#x"', "{", "}", "[", "]", ",", '"', "<div itemscope itemtype='",
     "http://schema.org/JobPosting'>", "<meta property='og:title' content='", "<h1>", "</h1>",
     "<p>", "<noscript>", "<link rel='next' href='", "window.__NEXT_DATA__=", "<!--", "-->",
     "<iframe src='", "&amp;", "\x00", "<base href='"]
)  # fmt: skip
html_docs = st.lists(tags | urls | any_text, max_size=30).map("".join)
json_keys = st.sampled_from(
    ["@type", "@id", "name", "title", "url", "data", "id", "attributes", "results", "result",
     "included", "links", "location", "salary", "type"]
) | any_text  # fmt: skip
json_keys = st.sampled_from(
    ["@type", "@id", "name", "title", "url", "data", "id", "attributes", "results", "result",
     "included", "links", "location", "salary", "type"]
)  # fmt: skip
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | any_text,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(json_keys | any_text, children, max_size=5)
    ),
    max_leaves=30,
)
json_dicts = st.dictionaries(st.text(max_size=20), json_values, max_size=8)


def total(fn: Callable[..., Any], *args: Any, allowed: tuple[type[BaseException], ...] = (),
          **kwargs: Any) -> Any:  # fmt: skip
    """Call ``fn``: it may only raise the exceptions its contract names."""
    try:
        return fn(*args, **kwargs)
    except allowed:
        return None


# --- text and URL readers ------------------------------------------------------------------------
TEXT_READERS: list[tuple[str, Callable[[str], Any]]] = [
    ("contact.emails_from_text", contact.emails_from_text),
    ("contact.emails_from_mailto", contact.emails_from_mailto),
    ("contact.decode_cfemail", contact.decode_cfemail),
    ("contact.cfemail_from_href", contact.cfemail_from_href),
    ("contact.address_from_lines", lambda t: contact.address_from_lines(t.splitlines())),
    ("dates.parse_date", lambda t: dates.parse_date(t, now=NOW)),
    ("dates.iso_date", dates.iso_date),
    ("page_dates.page_date", lambda t: page_dates.page_date(t, NOW)),
    ("page_dates.text_dates", lambda t: page_dates.text_dates(t.splitlines(), NOW)),
    ("page_dates.copyright_year", lambda t: page_dates.copyright_year(t.splitlines(), NOW)),
    ("jobposting.employment_from_text", lambda t: jobposting.employment_from_text(t, t)),
    ("places.country_code", places.country_code),
    ("places.resolve_place", places.resolve_place),
    ("profile.name_from_titles", lambda t: profile.name_from_titles(t, t.split("|"))),
    ("salary.parse_number", salary.parse_number),
    ("salary.parse_salary_text", salary.parse_salary_text),
    ("salary.currency_code", salary.currency_code),
    ("salary.period_code", salary.period_code),
    ("social.mastodon_handles_in_text", social.mastodon_handles_in_text),
    ("opendata_fields.markdown_to_text", opendata_fields.markdown_to_text),
]
URL_READERS: list[tuple[str, Callable[[str], Any]]] = [
    ("urls.canonical_url", canonical_url),
    ("urls.web_url", web_url),
    ("urls.split_origin", split_origin),
    ("network.literal_address", literal_address),
    ("network.check_url", lambda u: asyncio.run(check_url(u, NetworkPolicy(), None))),
    ("site_urls.site_key", site_urls.site_key),
    ("site_urls.origin", site_urls.origin),
    ("site_urls.trap_reason", site_urls.trap_reason),
    ("site_urls.is_file_url", site_urls.is_file_url),
    ("page_kinds.link_kind", lambda u: page_kinds.link_kind(u, u[:20])),
    ("social.classify_social", social.classify_social),
    ("job_links.is_job_url", job_links.is_job_url),
    ("job_links.same_site", lambda u: job_links.same_site(u, "https://example.org/")),
    ("opendata_fields.http_url", opendata_fields.http_url),
    ("opendata_fields.format_from_url", opendata_fields.format_from_url),
    ("detect.api_from_url", detect.api_from_url),
    ("ckan.portal_root", ckan.portal_root),
    ("ckan.api_base", ckan.api_base),
    ("socrata.filters_own_domain", socrata.filters_own_domain),
]


@pytest.mark.parametrize(("name", "reader"), TEXT_READERS, ids=[n for n, _ in TEXT_READERS])
@FUZZ
@given(text=any_text)
def test_text_readers_never_raise(name: str, reader: Callable[[str], Any], text: str) -> None:
    reader(text)


@pytest.mark.parametrize(("name", "reader"), URL_READERS, ids=[n for n, _ in URL_READERS])
@FUZZ
@given(url=urls)
def test_url_readers_never_raise(name: str, reader: Callable[[str], Any], url: str) -> None:
    reader(url)


# --- HTML pages ---------------------------------------------------------------------------------
@FUZZ
@given(html=html_docs, url=urls)
def test_page_readers_never_raise(html: str, url: str) -> None:
    page_url = url if web_url(url) else "https://example.org/jobs/"
    facts = page_facts.extract_page(html, page_url, want_text=True, now=NOW)
    assert isinstance(facts.problems, list)
    found = structured.extract_structured(html, page_url)
    structured.find_typed(found.nodes, "JobPosting")
    job_records.state_jobs(html, page_url)
    list(js_state.state_values(html))
    dcat.catalogue_links(html, page_url)
    doc = jobs_html.parse_document(html)
    if doc is not None:
        job_links.page_links(doc, page_url)
        jobs_html.fallback_job(doc, page_url, job_hint=True)
    for _syntax, node in found.nodes:
        raw = jobposting.raw_job_from_node(node, page_url=page_url, syntax="json-ld")
        jobposting.normalise_job(raw, source="fuzz", now=NOW)


@FUZZ
@given(text=any_text | st.lists(tags | any_text, max_size=20).map("".join))
def test_lenient_json_raises_only_value_error(text: str) -> None:
    total(structured.loads_lenient_ex, text, allowed=(ValueError,))
    total(js_state.parse_js_literal, text, allowed=(ValueError,))


# --- JSON payloads ------------------------------------------------------------------------------
VALUE_READERS: list[Callable[[Any], Any]] = [
    opendata_fields.license_label, opendata_fields.short_text, opendata_fields.normalise_format,
    opendata_fields.theme_label, opendata_fields.language_code, opendata_fields.country_of,
    opendata_fields.iso_datetime, opendata_fields.iso_day, opendata_fields.plain_text,
    opendata_fields.as_list, opendata_fields.json_list,
]  # fmt: skip


@FUZZ
@given(value=json_values)
def test_json_readers_never_raise(value: Any) -> None:
    jobposting.employment_types(value)
    job_records.json_records(value, "https://example.org/jobs")
    list(job_records.state_records(value))
    salary.salary_from_structured(value)
    for reader in VALUE_READERS:
        reader(value)
    total(ckan.search_page, value, allowed=(ckan.CkanError,))  # its documented error
    ckan.listed_ids(value)
    if isinstance(value, dict):
        raw = jobposting.raw_job_from_node(value, page_url="https://example.org/", syntax="json")
        jobposting.normalise_job(raw, source="fuzz", now=NOW)


@FUZZ
@given(record=json_dicts)
def test_portal_records_never_raise(record: dict[str, Any]) -> None:
    ckan.dataset_record(record, source="fuzz", portal_url="https://data.example.org/")
    ckan.is_dataset(record)
    socrata.dataset_record(record, source="fuzz", portal_url="https://data.example.org/")
    socrata.asset_type(record)


@FUZZ
@given(body=st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()))
def test_portal_answers_raise_only_their_errors(body: bytes) -> None:
    total(ckan.read_result, body, allowed=(ckan.CkanError,))
    total(socrata.read_page, body, allowed=(socrata.SocrataError,))
    response = TextResponse("https://data.example.org/api/3/action/package_search", body=body,
                            request=Request("https://data.example.org/"))  # fmt: skip
    total(ckan_portal.read, response, allowed=(ckan.CkanError,))
    parse_stamp(body.decode("utf-8", "replace")[:40])


rdf_pieces = st.sampled_from(
    ["@prefix dcat: <http://www.w3.org/ns/dcat#> .", "@prefix dct: <http://purl.org/dc/terms/> .",
     "<https://d.example/1>", "a dcat:Dataset", "dct:title", '"Trees"', ";", ".", "<http://[::1>",
     "dcat:landingPage", "_:b", '{"@context":', '"@type": "dcat:Dataset"', "}", "\x00",
     "<rdf:RDF>"]
)  # fmt: skip
rdf_types = st.sampled_from(["text/turtle", "application/ld+json", "application/rdf+xml", ""])


@FUZZ
@given(body=st.lists(rdf_pieces | any_text, max_size=25).map(" ".join), ctype=rdf_types)
def test_dcat_catalogues_never_raise(body: str, ctype: str) -> None:
    page = total(dcat.parse_catalog, body.encode("utf-8", "surrogatepass"),
                 url="https://data.example.org/catalog", content_type=ctype,
                 allowed=(dcat.DcatError,))  # fmt: skip
    if page is not None:
        dcat.catalog_records(page, source="fuzz", portal_url="https://data.example.org/")
    dcat.guess_format(body.encode("utf-8", "surrogatepass"), url="https://d.example/c")


@pytest.mark.parametrize("api", ADAPTERS)
@FUZZ
@given(payload=json_values)
def test_job_feeds_never_raise(api: str, payload: Any) -> None:
    spider: JobsSpider = make_spider(JobsSpider, urls=["https://jobs.example.org/feed"])
    spider.crawler.stats.open_spider(spider)
    body = json.dumps(payload).encode() if api != "rss" else str(payload).encode()
    response = TextResponse("https://jobs.example.org/feed", body=body,
                            headers={"Content-Type": "application/json"},
                            request=Request("https://jobs.example.org/"))  # fmt: skip
    drain(spider.parse_feed(response, api=api))


# --- the sources loader -------------------------------------------------------------------------
toml_pieces = st.sampled_from(
    ["[[source]]\n", 'name = "s"\n', 'spider = "jobs"\n', 'spider = "website"\n', "urls = [",
     '"http://[::1"', '"https://example.org/"', "]\n", "max_pages = ", "-1", "99999999999999999999",
     "\n", "allow_private_network = ", "true", '"yes"', "schedule = ", '"* * *"', "[", "{", "}",
     "x = ", "=", '"', "\x00", "\ud800"]
)  # fmt: skip


@FUZZ
@given(text=st.lists(toml_pieces | any_text, max_size=30).map("".join))
def test_sources_loader_raises_only_source_errors(text: str) -> None:
    total(parse_sources, text, file="sources.toml", allowed=(SourceError,))


# --- the exporters ------------------------------------------------------------------------------
@FUZZ
@given(records=st.lists(json_dicts, max_size=5), spider=st.sampled_from(["jobs", "opendata",
                                                                          "website"]))  # fmt: skip
def test_exporters_never_raise(records: list[dict[str, Any]], spider: str) -> None:
    out = io.StringIO()
    assert exporting.write_jsonl(records, out) == len(records)
    columns = exporting.export_fields(spider)
    rows = [{c: r.get(c) for c in columns} for r in records]
    assert exporting.write_csv(rows, io.StringIO(), spider) == len(rows)
