"""Tiny request/response types shared by the sandbox apps (no HTTP server logic here)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit


@dataclass(slots=True)
class Request:
    """One parsed request."""

    method: str
    target: str  # path plus query, as sent
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names

    @property
    def path(self) -> str:
        return urlsplit(self.target).path or "/"

    @property
    def query_string(self) -> str:
        return urlsplit(self.target).query

    @property
    def query(self) -> dict[str, list[str]]:
        return parse_qs(self.query_string, keep_blank_values=True)

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def int_arg(self, name: str, default: int) -> int:
        """An integer query parameter; anything unparsable gives ``default``."""
        value = self.arg(name)
        try:
            return int(value) if value not in (None, "") else default
        except ValueError:
            return default


@dataclass(slots=True)
class Response:
    """What an app answers: status, body bytes, content type and extra headers."""

    status: int = 200
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    last_modified: datetime | None = None


class App(Protocol):
    """Anything that turns a request into a response (one per port)."""

    def handle(self, request: Request) -> Response: ...


def html(
    text: str, *, status: int = 200, charset: str = "utf-8", last_modified: datetime | None = None
) -> Response:
    return Response(
        status=status,
        body=text.encode(charset),
        content_type=f"text/html; charset={charset}",
        last_modified=last_modified,
    )


def json_response(
    data: Any, *, status: int = 200, content_type: str = "application/json;charset=utf-8"
) -> Response:
    body = json.dumps(data, ensure_ascii=False, indent=None, separators=(", ", ": "))
    return Response(status=status, body=body.encode("utf-8"), content_type=content_type)


def text(
    body: str,
    *,
    content_type: str = "text/plain; charset=utf-8",
    status: int = 200,
    last_modified: datetime | None = None,
) -> Response:
    return Response(
        status=status,
        body=body.encode("utf-8"),
        content_type=content_type,
        last_modified=last_modified,
    )


def redirect(location: str, status: int = 302) -> Response:
    return Response(
        status=status,
        body=b"",
        content_type="text/plain; charset=utf-8",
        headers={"Location": location},
    )


def not_found(message: str = "Not Found") -> Response:
    page = (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>404 Not Found'
        f"</title></head><body><h1>Not Found</h1><p>{message}</p></body></html>"
    )
    return html(page, status=404)


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


def not_modified_since(request: Request, last_modified: datetime) -> bool:
    """True when the request's ``If-Modified-Since`` is at or after ``last_modified``."""
    header = request.headers.get("if-modified-since")
    if not header:
        return False
    try:
        since = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return False
    if since.tzinfo is None:
        since = since.replace(tzinfo=UTC)
    return last_modified.replace(microsecond=0) <= since
