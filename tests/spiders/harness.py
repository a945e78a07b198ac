"""Run a spider callback on a captured fixture page and compare its items with an expected file.

A case is ``tests/spiders/fixtures/<spider>/<case>.<ext>`` (html, json, xml, ttl, ...) beside
``<case>.expected.json``. Follow-up requests are answered from a URL -> file map
(``responses``) by :func:`follow`, never by monkeypatching Scrapy.

Regenerate an expected file on purpose only: ``DSI_REGEN_FIXTURES=1 pytest tests/spiders`` and
read the diff.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from scrapy import Request
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from crawler.items import BaseItem
from crawler.sources import source_from_mapping

FIXTURES = Path(__file__).parent / "fixtures"
REGEN = os.environ.get("DSI_REGEN_FIXTURES") == "1"

_CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".json": "application/json",
    ".jsonld": "application/ld+json",
    ".xml": "application/xml",
    ".rdf": "application/rdf+xml",
    ".ttl": "text/turtle",
    ".txt": "text/plain",
}


def fixture_response(
    path: Path,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    request: Request | None = None,
    status: int = 200,
) -> Response:
    """A Scrapy response for a fixture file, as if fetched from ``url``."""
    body = path.read_bytes()
    hdrs = {"Content-Type": _CONTENT_TYPES.get(path.suffix, "application/octet-stream")}
    hdrs.update(headers or {})
    req = request or Request(url)
    cls: type[Response]
    if path.suffix in (".html", ".htm"):
        cls = HtmlResponse
    elif path.suffix in (".xml", ".rdf"):
        cls = XmlResponse
    else:
        cls = TextResponse
    return cls(url=url, body=body, headers=hdrs, request=req, status=status)


def make_spider(
    spider_cls: type[Any],
    *,
    name: str = "test-source",
    urls: list[str] | None = None,
    settings: dict[str, Any] | None = None,
    **options: Any,
) -> Any:
    """A spider bound to a test crawler and an ad-hoc source."""
    source = source_from_mapping(
        {
            "name": name,
            "spider": spider_cls.name,
            "urls": urls or ["http://127.0.0.1:8765/"],
            "allow_private_network": True,
            **options,
        }
    )
    crawler = get_crawler(spider_cls, settings_dict=settings or {})
    return spider_cls.from_crawler(crawler, source=source)


def item_dicts(results: Iterable[Any]) -> list[dict[str, Any]]:
    """The items among callback results, as dicts (requests are ignored)."""
    out = []
    for r in results:
        if isinstance(r, BaseItem):
            d = dataclasses.asdict(r)
            out.append(d)
    return out


def requests_of(results: Iterable[Any]) -> list[Request]:
    return [r for r in results if isinstance(r, Request)]


def follow(results: Iterable[Any], responses: dict[str, Path], max_depth: int = 10) -> list[Any]:
    """Run callbacks depth-first, answering follow-up requests from the URL -> file map.

    Requests for URLs not in the map are dropped (as if out of scope).
    """
    out: list[Any] = []
    stack: list[tuple[Any, int]] = [(r, 0) for r in results]
    while stack:
        result, depth = stack.pop(0)
        if isinstance(result, Request):
            path = responses.get(result.url)
            if path is None or depth >= max_depth:
                continue
            cb: Callable[..., Any] = result.callback  # type: ignore[assignment]
            resp = fixture_response(path, result.url, request=result)
            produced = cb(resp, **result.cb_kwargs) or []
            stack.extend((r, depth + 1) for r in produced)
        else:
            out.append(result)
    return out


def compare_with_expected(items: list[dict[str, Any]], expected_path: Path) -> None:
    """Assert equality with the expected file (or write it when regenerating on purpose)."""
    normalised = json.loads(json.dumps(items, default=str, ensure_ascii=False))
    if REGEN or not expected_path.exists():
        expected_path.write_text(
            json.dumps(normalised, indent=2, ensure_ascii=False, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        if not REGEN:
            raise AssertionError(f"wrote missing expected file {expected_path}: check it, rerun")
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    assert normalised == expected
