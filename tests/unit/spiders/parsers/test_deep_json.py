"""JSON nested thousands deep is malformed input, never an exception (#24 finding 5)."""

from __future__ import annotations

import pytest

from spiders.boards import load_json
from spiders.parsers import ckan, socrata
from spiders.parsers.structured import extract_jsonld

DEEP = "[" * 5000 + "]" * 5000


def test_ckan_answer():
    with pytest.raises(ckan.CkanError) as err:
        ckan.read_result(('{"success": true, "result": ' + DEEP + "}").encode())
    assert err.value.problem == "bad_json"


def test_socrata_answer():
    with pytest.raises(socrata.SocrataError) as err:
        socrata.read_page(('{"results": ' + DEEP + "}").encode())
    assert err.value.problem == "bad_json"


def test_feed_body():
    with pytest.raises(ValueError, match="not JSON"):
        load_json(DEEP.encode())


def test_jsonld_block_beside_a_good_one():
    good = '{"@type": "JobPosting", "title": "Data steward"}'
    html = (
        f'<script type="application/ld+json">{DEEP}</script>'
        f'<script type="application/ld+json">{good}</script>'
    )
    values, problems = extract_jsonld(html)
    assert values == [{"@type": "JobPosting", "title": "Data steward"}]
    assert problems == ["jsonld_unreadable"]
