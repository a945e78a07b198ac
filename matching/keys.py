"""Deterministic identity keys: the website's registrable domain and social-profile handles.

The registrable domain comes from the Public Suffix List bundled with ``tldextract`` (never
fetched): ``www.barnardos.org.uk`` -> ``barnardos.org.uk``, ``wien.gv.at`` stays, and private
suffixes count (``a.github.io`` and ``b.github.io`` are two sites). Hosts with no public suffix
(``localhost:8000``, ``127.0.0.1:8001``) are their own key, port included. Shared platforms
(LinkedIn, Facebook, job boards...) are nobody's website: their pages give social keys instead.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

import tldextract

from crawler.urls import PLATFORM_DOMAINS, on_domain
from spiders.parsers.social import classify_social

__all__ = ["SHARED_HOSTS", "is_shared_host", "own_domain", "registrable_domain", "social_key"]

#: hosts shared by many organisations: never an organisation's identity
SHARED_HOSTS = PLATFORM_DOMAINS | {
    "gitlab.com",
    "xing.com",
    "google.com",
    "sites.google.com",
    "indeed.com",
    "stepstone.de",
    "glassdoor.com",
}


@cache
def _extractor() -> tldextract.TLDExtract:
    # No suffix_list_urls and no cache dir: only the snapshot shipped inside the package.
    return tldextract.TLDExtract(
        suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True
    )


def _host_port(url: str) -> tuple[str, int | None] | None:
    text = url.strip()
    if not text:
        return None
    if "//" not in text:
        text = "http://" + text
    try:
        parts = urlsplit(text)
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host:
        return None
    return host.lower().rstrip("."), port


def registrable_domain(url: str | None) -> str | None:
    """The registrable domain of a URL or host (``https://www.x.org.uk/a`` -> ``x.org.uk``);
    ``host:port`` for hosts without a public suffix; None when there is no host."""
    if not url or not isinstance(url, str):
        return None
    found = _host_port(url)
    if found is None:
        return None
    host, port = found
    extracted = _extractor()(host)
    if extracted.suffix and extracted.domain:
        return f"{extracted.domain}.{extracted.suffix}"
    if "." not in host and host != "localhost":
        return None
    host = host.removeprefix("www.")
    return f"{host}:{port}" if port and port not in (80, 443) else host


def is_shared_host(url: str | None) -> bool:
    """True for URLs on platforms many organisations share (LinkedIn, job boards...)."""
    found = _host_port(url or "")
    return found is not None and on_domain(found[0].removeprefix("www."), SHARED_HOSTS)


def own_domain(url: str | None) -> str | None:
    """:func:`registrable_domain`, but None for shared platforms: an organisation's own site."""
    if is_shared_host(url):
        return None
    return registrable_domain(url)


def social_key(url: str | None) -> str | None:
    """``platform:handle`` for a social-profile URL (``linkedin:company/open-knowledge``,
    ``x:okfn``), case-folded; None for anything that is not a profile."""
    if not url or not isinstance(url, str):
        return None
    link = classify_social(url)
    if link is None:
        return None
    path = urlsplit(link.url).path.strip("/").lower()
    return f"{link.platform}:{path}" if path else None
