"""The demo sources of the sandbox, as :class:`crawler.sources.Source` and as TOML text."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from crawler.sources import Source, source_from_mapping

if TYPE_CHECKING:
    from sandbox.portal import PortalApp


def demo_source_mappings(base_url: str, site_urls: list[str]) -> list[dict[str, Any]]:
    """The ``[[source]]`` tables of every sandbox source."""
    return [
        {
            "name": "sandbox-jobs",
            "spider": "jobs",
            "urls": [f"{base_url}/jobs/"],
            "allow_private_network": True,
            "max_pages": 200,
        },
        {
            "name": "sandbox-greenhouse",
            "spider": "jobs",
            "api": "greenhouse",
            "urls": [
                f"{base_url}/ats/greenhouse/v1/boards/civicpulse/jobs?content=true",
                f"{base_url}/ats/greenhouse/v1/boards/nordbank/jobs?content=true",
            ],
            "allow_private_network": True,
            "max_pages": 50,
        },
        {
            "name": "sandbox-lever",
            "spider": "jobs",
            "api": "lever",
            "urls": [
                f"{base_url}/ats/lever/v0/postings/kiezkompass?mode=json",
                f"{base_url}/ats/lever/v0/postings/meridian?mode=json",
            ],
            "allow_private_network": True,
            "max_pages": 50,
        },
        {
            "name": "sandbox-ckan",
            "spider": "opendata",
            "api": "ckan",
            "urls": [f"{base_url}/ckan/"],
            "allow_private_network": True,
            "max_pages": 200,
        },
        {
            "name": "sandbox-dcat",
            "spider": "opendata",
            "api": "dcat",
            "urls": [f"{base_url}/dcat/catalog.ttl"],
            "allow_private_network": True,
            "max_pages": 50,
        },
        {
            "name": "sandbox-socrata",
            "spider": "opendata",
            "api": "socrata",
            "urls": [f"{base_url}/socrata/api/catalog/v1"],
            "allow_private_network": True,
            "max_pages": 50,
        },
        {
            "name": "sandbox-opendatasoft",
            "spider": "opendata",
            "api": "opendatasoft",
            "urls": [f"{base_url}/ods/"],
            "allow_private_network": True,
            "max_pages": 100,
        },
        {
            "name": "sandbox-udata",
            "spider": "opendata",
            "api": "udata",
            "urls": [f"{base_url}/udata/"],
            "allow_private_network": True,
            "max_pages": 50,
        },
        {
            "name": "sandbox-arcgis",
            "spider": "opendata",
            "api": "arcgis",
            "urls": [f"{base_url}/arcgis/"],
            "allow_private_network": True,
            "max_pages": 50,
        },
        {
            "name": "sandbox-websites",
            "spider": "website",
            "urls": list(site_urls),
            "allow_private_network": True,
            "max_pages": 600,
        },
    ]


def demo_sources(
    base_url: str, site_urls: list[str], *, portal: PortalApp | None = None
) -> list[Source]:
    return [
        source_from_mapping(m, file="<sandbox>", index=i)
        for i, m in enumerate(demo_source_mappings(base_url, site_urls))
    ]


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(value, list | tuple):
        inner = ",\n".join(f"  {_toml_value(v)}" for v in value)
        return f"[\n{inner},\n]" if value else "[]"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def sources_toml(sources: list[Source]) -> str:
    """``sources.toml`` text for ``sources`` (read by :func:`crawler.sources.parse_sources`)."""
    out = ["# Sandbox sources, written by `dsi sandbox serve` (valid while it runs)."]
    for src in sources:
        out.append("")
        out.append("[[source]]")
        table: dict[str, Any] = {
            "name": src.name,
            "spider": src.spider,
            **dict(src.options),
            "urls": list(src.urls),
            "allow_private_network": src.allow_private_network,
            "max_pages": src.max_pages,
        }
        if src.schedule:
            table["schedule"] = src.schedule
        out.extend(f"{key} = {_toml_value(value)}" for key, value in table.items())
    return "\n".join(out) + "\n"
