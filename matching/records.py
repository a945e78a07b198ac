"""What the matcher compares: one plain record per organisation (or project)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True, frozen=True, kw_only=True)
class Record:
    """An organisation as the matcher sees it; every field but ``id`` and ``name`` optional.

    ``country`` is an ISO code or a country name in any language; ``city`` a city or region
    name in any language; ``website`` any URL; ``social`` profile URLs (LinkedIn, X...).
    """

    id: str
    name: str
    website: str | None = None
    country: str | None = None
    city: str | None = None
    social: tuple[str, ...] = field(default_factory=tuple)
