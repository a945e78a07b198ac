"""``dsi maindb serve``: the main database as a W3C Reconciliation API service (OpenRefine).

``GET /`` is the manifest (or answers ``?queries=`` / ``?query=``, JSONP with ``callback``);
``POST /`` answers a batch (form field ``queries``, or a JSON body); ``GET /preview?id=`` is
an HTML card of an entry; ``GET /view/{id}`` its record in the digitalsocial.eu format. The
protocol itself is :mod:`matching.reconcile`; errors are ``{"error": "..."}`` with status 400
(404 for an unknown id).
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from matching.index import Matcher
from matching.reconcile import ReconcileError, answer, manifest, parse_queries
from matching.records import Record

__all__ = ["create_app"]


def _error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _jsonp(data: Any, callback: str | None) -> Response:
    if callback:
        if not callback.replace("_", "").replace(".", "").isalnum():
            return _error("callback must be a JavaScript identifier")
        body = f"{callback}({json.dumps(data)})"
        return Response(body, media_type="application/javascript")
    return JSONResponse(data)


def _batch(raw_queries: str | None, raw_query: str | None) -> Any:
    if raw_queries is not None:
        try:
            return json.loads(raw_queries)
        except json.JSONDecodeError as exc:
            raise ReconcileError(f"'queries' is not JSON ({exc.msg})") from None
    if raw_query is not None:  # v0.1 single query: a string or a query object
        try:
            single = json.loads(raw_query)
        except json.JSONDecodeError:
            single = raw_query
        return {"q0": single}
    return None


def create_app(
    entries: list[Record], records: dict[str, dict[str, Any]], threshold: float | None = None
) -> FastAPI:
    """The service over ``entries`` (what the matcher sees) and ``records`` (export-format
    records by id, for previews and views); ``threshold`` None: the model's."""
    matcher = Matcher(entries, threshold=threshold)
    app = FastAPI(title="DSI map reconciliation", docs_url=None, redoc_url=None)

    def respond(raw_queries: str | None, raw_query: str | None, callback: str | None,
                base: str) -> Response:  # fmt: skip
        try:
            batch = _batch(raw_queries, raw_query)
            if batch is None:
                return _jsonp(manifest(base), callback)
            response = answer(matcher, parse_queries(batch))
        except ReconcileError as exc:
            return _error(str(exc))
        if raw_queries is None and raw_query is not None:
            return _jsonp(response["q0"], callback)
        return _jsonp(response, callback)

    @app.get("/")
    def service(request: Request) -> Response:
        params = request.query_params
        return respond(
            params.get("queries"), params.get("query"), params.get("callback"),
            str(request.base_url),
        )  # fmt: skip

    @app.post("/")
    async def batch(request: Request) -> Response:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("application/json"):
            try:
                body = await request.json()
            except json.JSONDecodeError:
                return _error("the body is not JSON")
            raw = json.dumps(body.get("queries", body) if isinstance(body, dict) else body)
            return respond(raw, None, None, str(request.base_url))
        form = await request.form()
        queries, query = form.get("queries"), form.get("query")
        return respond(
            queries if isinstance(queries, str) else None,
            query if isinstance(query, str) else None,
            None,
            str(request.base_url),
        )

    @app.get("/preview")
    def preview(id: str = "") -> Response:
        record = records.get(id)
        if record is None:
            return _error(f"no organisation {id!r}", 404)
        lines = [f"<strong>{escape(record.get('organisation_name') or '')}</strong>"]
        place = ", ".join(x for x in (record.get("region"), record.get("country")) if x)
        kind = (record.get("organisation_type") or {}).get("name") or ""
        for text in (place, kind, record.get("organisation_size") or ""):
            if text:
                lines.append(escape(str(text)))
        website = record.get("website") or ""
        if website.startswith(("http://", "https://")):
            lines.append(f'<a href="{escape(website)}" target="_blank">{escape(website)}</a>')
        description = record.get("short_description") or ""
        if description:
            lines.append(f"<small>{escape(description[:300])}</small>")
        body = "<br>".join(lines)
        html = (
            '<html><head><meta charset="utf-8"></head>'
            f'<body style="font: 13px sans-serif; margin: 6px">{body}</body></html>'
        )
        return HTMLResponse(html)

    @app.get("/view/{entry_id}")
    def view(entry_id: str) -> Response:
        record = records.get(entry_id)
        if record is None:
            return _error(f"no organisation {entry_id!r}", 404)
        return JSONResponse(record)

    return app
