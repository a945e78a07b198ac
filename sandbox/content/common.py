"""Helpers shared by the content modules: the run-time context and small HTML builders."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html import escape
from typing import Any


@dataclass(frozen=True, slots=True)
class Context:
    """What content needs to know at run time: the real URLs of every origin."""

    base_url: str  # the portal, no trailing slash
    site_urls: dict[str, str] = field(default_factory=dict)  # site key -> "http://127.0.0.1:P/"
    seed: int = 2026
    scale: int = 0

    def site(self, key: str) -> str:
        return self.site_urls.get(key, f"https://{key}.example/")


def esc(value: object) -> str:
    """HTML-escape text and attribute values."""
    return escape(str(value), quote=True)


def json_script(data: Any, *, ensure_ascii: bool = False, indent: int | None = 2) -> str:
    """A ``<script type="application/ld+json">`` block; ``</`` escaped as JSON allows."""
    body = json.dumps(data, ensure_ascii=ensure_ascii, indent=indent).replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{body}\n</script>'
