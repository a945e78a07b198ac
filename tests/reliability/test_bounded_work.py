"""Hostile pages cost bounded work (issue #24, finding 4): every bound is asserted with counts
(objects written, links kept, characters stored), never with timings."""

from __future__ import annotations

import json
from typing import Any

from lxml import html as lxml_html
from scrapy import Spider
from scrapy.utils.test import get_crawler

from crawler.items import WebsiteProfile
from crawler.pipelines.store import StorePipeline
from spiders.base import DSISpider
from spiders.parsers.job_links import page_links
from spiders.parsers.limits import (
    MAX_JSONLD_NODES,
    MAX_JSONLD_STRING,
    MAX_LINKS_PER_PAGE,
    MAX_REF_EXPANSION,
)
from spiders.parsers.page_facts import extract_page
from spiders.parsers.structured import extract_structured
from storage.items import MAX_STORED_CHARS


def objects(value: Any) -> int:
    """Objects and arrays in a value (a tree: the parser shares none)."""
    if isinstance(value, dict):
        return 1 + sum(objects(v) for v in value.values())
    if isinstance(value, list):
        return 1 + sum(objects(v) for v in value)
    return 0


def jsonld_page(payload: Any) -> str:
    block = f'<script type="application/ld+json">{json.dumps(payload)}</script>'
    return f"<html><head>{block}</head></html>"


def test_multiplying_id_references_are_bounded() -> None:
    # 8 nodes, each citing the next 8 times: copied per reference this is 8**7 = 2,097,152
    # objects (the 3 KB page of the issue blocked a crawl for minutes)
    levels, fan = 8, 8
    graph = [
        {"@id": f"#n{i}", "@type": "Thing", "name": f"n{i}",
         "hasPart": [{"@id": f"#n{i + 1}"} for _ in range(fan)] if i + 1 < levels else []}
        for i in range(levels)
    ]  # fmt: skip
    page = jsonld_page({"@context": "https://schema.org", "@graph": graph})
    assert len(page) < 3_000
    found = extract_structured(page, "https://example.org/")
    written = sum(objects(node) for _syntax, node in found.nodes)
    # every object written is charged; past the bound only stubs and scalars remain
    assert written <= MAX_REF_EXPANSION + MAX_JSONLD_NODES
    assert "capped_jsonld_references" in found.problems
    assert {n.get("name") for _s, n in found.nodes} == {f"n{i}" for i in range(levels)}


def test_reference_cycles_end() -> None:
    graph = [
        {"@id": "#a", "@type": "Organization", "name": "A", "member": {"@id": "#b"}},
        {"@id": "#b", "@type": "Person", "name": "B", "memberOf": {"@id": "#a"}},
    ]
    found = extract_structured(jsonld_page({"@graph": graph}), "https://example.org/")
    org = next(n for _s, n in found.nodes if n.get("name") == "A")
    assert org["member"]["name"] == "B"
    assert org["member"]["memberOf"] == {"@id": "#a"}  # the cycle stays a stub
    assert not [p for p in found.problems if p.startswith("capped")]


def test_jsonld_nodes_and_strings_are_bounded() -> None:
    many = {
        "@type": "ItemList",
        "itemListElement": [{"@type": "Thing", "n": i} for i in range(50_000)],
    }
    found = extract_structured(jsonld_page(many), "https://example.org/")
    assert sum(objects(n) for _s, n in found.nodes) <= MAX_JSONLD_NODES
    assert "capped_jsonld_nodes" in found.problems

    huge = {"@type": "JobPosting", "title": "Data steward", "description": "x" * 9_000_000}
    found = extract_structured(jsonld_page(huge), "https://example.org/")
    (node,) = [n for _s, n in found.nodes]
    assert node["title"] == "Data steward"
    assert len(node["description"]) == MAX_JSONLD_STRING
    assert "capped_jsonld_string" in found.problems

    deep: Any = {"@type": "Thing", "name": "top"}
    cursor = deep
    for _ in range(200):
        cursor["part"] = {"@type": "Thing"}
        cursor = cursor["part"]
    found = extract_structured(jsonld_page(deep), "https://example.org/")
    assert found.nodes[0][1]["name"] == "top"
    assert "capped_jsonld_depth" in found.problems


def many_links_page(n: int) -> str:
    links = "".join(f'<a href="/jobs/advert-{i}">Advert {i}</a>' for i in range(n))
    outs = "".join(f'<a href="https://org{i}.example/">Partner</a>' for i in range(n))
    return f"<html><body><p>Jobs at the cooperative.</p>{links}{outs}</body></html>"


def test_a_page_with_100000_links_is_read_up_to_the_bound() -> None:
    page = many_links_page(50_000)  # 100,000 anchors
    facts = extract_page(page, "https://example.org/", kind="home")
    assert len(facts.links) + len(facts.outlinks) <= MAX_LINKS_PER_PAGE
    assert "capped_links_per_page" in facts.problems
    links = page_links(lxml_html.fromstring(page), "https://example.org/jobs/")
    assert len(links.adverts) == MAX_LINKS_PER_PAGE  # the first 2,000 anchors are adverts
    assert len(set(links.adverts)) == len(links.adverts)
    assert "capped_links_per_page" in links.problems


def test_caps_are_counted_in_the_stats() -> None:
    crawler = get_crawler(Spider)
    crawler.stats.open_spider(None)
    spider = DSISpider.__new__(DSISpider)
    spider.crawler = crawler
    spider.count_problems(
        "jobs", ["capped_links_per_page", "capped_jsonld_string", "jsonld_repaired"]
    )
    stats = crawler.stats.get_stats()
    assert stats["dsi/caps/links_per_page"] == 1
    assert stats["dsi/caps/jsonld_string"] == 1
    assert stats["dsi/parse/jobs/jsonld_repaired"] == 1


def test_stored_fields_are_bounded_and_counted(tmp_path: Any) -> None:
    crawler = get_crawler(Spider, settings_dict={"DSI_DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})
    crawler.stats.open_spider(None)
    pipeline = StorePipeline(crawler)
    item = WebsiteProfile(
        source="s", url="https://example.org/", site="https://example.org",
        main_text="y" * 19_000_000, raw={"jsonld": ["z" * 9_000_000]},
    )  # fmt: skip
    pipeline.add(item)
    (row,) = pipeline.buffer
    assert len(row.fields["main_text"]) == MAX_STORED_CHARS
    assert len(row.raw["jsonld"][0]) == MAX_STORED_CHARS
    assert len(json.dumps(row.fields)) + len(json.dumps(row.raw)) < 3 * MAX_STORED_CHARS
    assert crawler.stats.get_value("dsi/caps/stored_field") == 2
