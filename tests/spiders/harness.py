"""Run a spider callback on a captured fixture page and compare its items with an expected file.

A case is ``tests/spiders/fixtures/<spider>/<case>.<ext>`` (html, json, xml, ttl, ...) beside
``<case>.expected.json``. Follow-up requests are answered from a URL -> file map
(``responses``) by :func:`follow`, never by monkeypatching Scrapy.

Regenerate an expected file on purpose only: ``DSI_REGEN_FIXTURES=1 pytest tests/spiders`` and
read the diff.
"""

from __future__ import annotations

import asyncio
import dataclasses
import inspect
import json
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.http import HtmlResponse, Response, TextResponse, XmlResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

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
    spider_args: Mapping[str, Any] | None = None,
    **options: Any,
) -> Any:
    """A spider bound to a test crawler and an ad-hoc source (``options`` are the source's;
    ``spider_args`` are further spider arguments, e.g. ``seeds``)."""
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
    return spider_cls.from_crawler(crawler, source=source, **(spider_args or {}))


def _plain(results: Any) -> Iterable[Any]:
    """Callback results as a plain iterable (async generators and coroutines are drained)."""
    if hasattr(results, "__aiter__") or hasattr(results, "__await__"):
        return drain(results)
    return results  # type: ignore[no-any-return]


def item_dicts(results: Any) -> list[dict[str, Any]]:
    """The items among callback results, as dicts (requests are ignored)."""
    out = []
    for r in _plain(results):
        if isinstance(r, BaseItem):
            d = dataclasses.asdict(r)
            out.append(d)
    return out


def requests_of(results: Any) -> list[Request]:
    return [r for r in _plain(results) if isinstance(r, Request)]


#: What a request is answered with: a fixture file, or None (then the missing-URL policy applies).
Resolver = Callable[[Request], "Path | None"]


def failure_for(request: Request, exc: BaseException) -> Failure:
    """A Twisted failure for ``exc`` carrying ``request`` (as Scrapy hands to errbacks)."""
    try:
        raise exc
    except BaseException:
        failure = Failure()
    failure.request = request  # type: ignore[attr-defined]
    return failure


async def _drain(output: Any) -> list[Any]:
    """Results of a callback or errback: None, an iterable, a coroutine, an async generator."""
    if output is None:
        return []
    if inspect.isawaitable(output):
        output = await output
        if output is None:
            return []
    if inspect.isasyncgen(output) or hasattr(output, "__aiter__"):
        return [x async for x in output]
    if isinstance(output, BaseItem | Request | dict):
        return [output]
    return list(output)


async def follow_async(
    results: Iterable[Any],
    responses: Mapping[str, Path] | Resolver,
    max_depth: int = 10,
    *,
    missing: str = "drop",
    status: Mapping[str, int] | None = None,
    headers: Mapping[str, Mapping[str, str]] | None = None,
    log: list[Request] | None = None,
) -> list[Any]:
    """:func:`follow` inside a running event loop (for callers that already have one)."""
    if missing not in ("drop", "404", "dns"):
        raise ValueError(f"missing must be drop, 404 or dns, not {missing!r}")
    resolve: Resolver = (
        responses if callable(responses) else lambda r: responses.get(r.url)  # type: ignore[union-attr]
    )
    status = status or {}
    headers = headers or {}
    out: list[Any] = []
    if hasattr(results, "__aiter__") or hasattr(results, "__await__"):
        results = await _drain(results)
    queue: list[tuple[Any, int]] = [(r, 0) for r in results]
    while queue:
        result, depth = queue.pop(0)
        if not isinstance(result, Request):
            out.append(result)
            continue
        if depth >= max_depth:
            continue
        path = resolve(result)
        code = status.get(result.url)
        if path is None and missing == "drop" and code is None:
            continue
        if log is not None:
            log.append(result)
        if path is None or (code is not None and code >= 400):
            if result.errback is None:
                continue
            failure: Failure
            if path is None and code is None and missing == "dns":
                failure = failure_for(result, DNSLookupError(urlsplit(result.url).hostname or ""))
            else:
                error = HtmlResponse(
                    url=result.url, status=code or 404, body=b"<html></html>", request=result
                )
                failure = failure_for(result, HttpError(error))
            produced = await _drain(result.errback(failure))
        else:
            resp = fixture_response(
                path, result.url, request=result, headers=dict(headers.get(result.url, {}))
            )
            callback: Callable[..., Any] = result.callback  # type: ignore[assignment]
            produced = await _drain(callback(resp, **result.cb_kwargs))
        queue.extend((r, depth + 1) for r in produced)
    return out


def follow(
    results: Iterable[Any],
    responses: Mapping[str, Path] | Resolver,
    max_depth: int = 10,
    *,
    missing: str = "drop",
    status: Mapping[str, int] | None = None,
    headers: Mapping[str, Mapping[str, str]] | None = None,
    log: list[Request] | None = None,
) -> list[Any]:
    """Run callbacks breadth-first, answering follow-up requests from the URL -> file map.

    ``responses`` is a URL -> file map or a function of the request (e.g. to answer
    browser-rendered requests from other files). Callbacks may be plain functions, generators,
    coroutines or async generators (run in one event loop, so ``asyncio.to_thread`` works).
    Requests for URLs not in the map are dropped (``missing="drop"``, as if out of scope), or
    handed to their errback as a 404 ``HttpError`` (``"404"``) or a ``DNSLookupError``
    (``"dns"``). ``status`` answers URLs with an error status through the errback; ``headers``
    adds response headers per URL; ``log`` collects every request answered.
    """
    return asyncio.run(
        follow_async(
            results,
            responses,
            max_depth,
            missing=missing,
            status=status,
            headers=headers,
            log=log,
        )
    )


def drain(output: Any) -> list[Any]:
    """The results of one callback or errback (plain, generator, coroutine, async generator),
    follow-up requests included and not answered."""
    return asyncio.run(_drain(output))


def run_callback(
    output: Any,
    responses: Mapping[str, Path] | Resolver,
    max_depth: int = 10,
    **follow_options: Any,
) -> list[Any]:
    """The results of one callback's ``output`` with its follow-up requests answered by
    :func:`follow` (same options; ``missing="dns"`` or ``"404"`` runs the errbacks of URLs not
    in the map), all in one event loop."""

    async def run() -> list[Any]:
        first = await _drain(output)
        return await follow_async(first, responses, max_depth, **follow_options)

    return asyncio.run(run())


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
