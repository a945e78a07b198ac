"""Reading the JSON answers of portal APIs (OpenDataSoft, uData, ArcGIS Hub): pure functions.

An answer is unusable when it is empty, HTML where JSON was expected, invalid or nested too
deep, or an API error (``{"error": ...}``, ``{"message": ...}`` with an error status);
:class:`PortalAnswerError` names the problem as a stats key suffix (``empty``, ``not_json``,
``bad_json``, ``api_error``, ``http_<status>``).
"""

from __future__ import annotations

import json
from typing import Any

from spiders.parsers.opendata_fields import short_text, unwrap_jsonp

__all__ = ["PortalAnswerError", "int_or_none", "read_json"]

_ERROR_KEYS = ("error", "message", "error_code", "detail")


class PortalAnswerError(ValueError):
    """A portal answer that cannot be used; ``problem`` is the stats key suffix."""

    def __init__(self, problem: str, message: str) -> None:
        super().__init__(message)
        self.problem = problem


def read_json(
    body: bytes, *, content_type: str = "", status: int = 200, check_status: bool = True
) -> Any:
    """The decoded JSON of an answer; raises :class:`PortalAnswerError` when unusable (an
    error status too, unless ``check_status`` is false: the caller reads the error body)."""
    stripped = unwrap_jsonp(body.lstrip().removeprefix(b"\xef\xbb\xbf"))
    if not stripped:
        raise PortalAnswerError("empty", f"empty answer (HTTP {status})")
    if stripped[:1] == b"<" or ("html" in content_type.lower() and stripped[:1] not in b"{["):
        raise PortalAnswerError("not_json", f"HTML instead of JSON (HTTP {status})")
    try:
        data = json.loads(stripped.decode("utf-8", "replace"))
    except (ValueError, RecursionError) as exc:  # RecursionError: nested too deep
        raise PortalAnswerError("bad_json", f"invalid JSON (HTTP {status}): {exc}") from exc
    if check_status and status >= 400:
        detail = ""
        if isinstance(data, dict):
            detail = next((short_text(data[k]) for k in _ERROR_KEYS if short_text(data.get(k))), "")
        problem = "api_error" if detail else f"http_{status}"
        raise PortalAnswerError(problem, f"HTTP {status}: {detail or 'no message'}"[:300])
    return data


def int_or_none(value: Any) -> int | None:
    """A non-negative count (``12``, ``"12"``), or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
