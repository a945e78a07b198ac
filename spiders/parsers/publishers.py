"""Publishers known by name only (DCAT-US ``publisher.name``, ArcGIS Hub ``source``): pure."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote_plus

from crawler.items import OpenDataRecord
from spiders.parsers.opendata_fields import country_of, slug

__all__ = ["named_publisher", "publisher_page"]


def publisher_page(portal_url: str, name: str) -> str:
    """A page of the portal listing one publisher's datasets (``search?source=<name>``)."""
    return f"{portal_url}search?source={quote_plus(name)}"


def named_publisher(
    name: str,
    *,
    source: str,
    portal_url: str,
    country: str | None = None,
    language: str | None = None,
    raw: dict[str, Any] | None = None,
) -> OpenDataRecord:
    """A publisher record for a name (its id ``publisher:<slug>``)."""
    return OpenDataRecord(
        source=source,
        url=publisher_page(portal_url, name),
        portal_url=portal_url,
        kind="publisher",
        dataset_id=f"publisher:{slug(name)}",
        title=name,
        publisher=name,
        country=country_of(country) if country else None,
        language=language,
        raw=raw if raw is not None else {"name": name},
    )
