"""One spelling per URL: the canonical form that request de-duplication, storage keys and
duplicate detection share, with the one list of query parameters that only track a visit.

Pure (w3lib, no Scrapy): :func:`canonical_url` for any URL, :func:`web_url` for links a
crawler may follow (http and https only), :func:`site_origin` for ``scheme://host[:port]``;
:data:`PLATFORM_DOMAINS` and :func:`on_domain` for hosts that many organisations share.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import NamedTuple
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

__all__ = [
    "PLATFORM_DOMAINS",
    "TRACKING_PARAMS",
    "Origin",
    "canonical_url",
    "is_tracking_param",
    "on_domain",
    "readable_url",
    "split_origin",
    "web_url",
]

#: Query parameters that never change a page: click tracking, campaign tags and sessions.
TRACKING_PARAMS = frozenset(
    {
        # click ids and ad tracking
        "gclid", "gclsrc", "dclid", "fbclid", "msclkid", "yclid", "igshid", "s_kwcid", "ved",
        "ei", "mc_cid", "mc_eid", "hsctatracking", "mkt_tok", "trk", "trkinfo", "cmpid",
        "_ga", "_gl",
        # referrers and sharing
        "ref", "refid", "ref_src", "referrer", "src", "source", "share", "replytocom", "utm",
        # sessions
        "sessionid", "session_id", "jsessionid", "phpsessid", "sid", "sessid", "cfid", "cftoken",
    }
)  # fmt: skip
#: Prefixes of tracking parameter families (``utm_source``, ``pk_campaign``, ``_hsenc`` ...).
_TRACKING_PREFIXES = (
    "utm_", "pk_", "mtm_", "matomo_", "hmb_", "oly_", "vero_", "_hs", "__hs", "wt.",
    "aspsessionid",
)  # fmt: skip
#: A session id written into the path (``/shop;jsessionid=AB12``).
_PATH_SESSION_RE = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}
_SURROGATES_RE = re.compile("[\ud800-\udfff]")


class Origin(NamedTuple):
    """Scheme, lower-case host (no trailing dot) and port (None when it is the default)."""

    scheme: str
    host: str
    port: int | None

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host  # IPv6
        return f"{self.scheme}://{host}:{self.port}" if self.port else f"{self.scheme}://{host}"


def is_tracking_param(name: str) -> bool:
    """Whether a query parameter only tracks a visit (``utm_source``, ``fbclid``, ``sid``)."""
    low = name.lower()
    return low in TRACKING_PARAMS or low.startswith(_TRACKING_PREFIXES)


def split_origin(url: str) -> Origin | None:
    """The origin of an http(s) URL with a host, else None (``mailto:``, a bad port)."""
    try:
        return _origin(urlsplit(url.strip()))
    except ValueError:
        return None


def readable_url(url: str) -> bool:
    """Whether ``url`` can be split, its port read and its text encoded (``http://[::1``,
    ``http://a.org:99999/`` and lone surrogates cannot)."""
    try:
        parts = urlsplit(url)
        _ = parts.port
        url.encode("utf-8")
    except (ValueError, UnicodeError):
        return False
    return True


def _origin(parts: SplitResult) -> Origin | None:
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    port = parts.port  # ValueError on a bad port
    return Origin(scheme, host, None if port == _DEFAULT_PORTS[scheme] else port)


def canonical_url(url: str, *, keep_fragment: bool = False) -> str:
    """The URL two visits of the same page share: scheme and host lower-cased, default port,
    user info and path session ids dropped, repeated slashes collapsed, tracking parameters
    dropped, query sorted, percent-encoding normalised (w3lib), fragment dropped unless
    ``keep_fragment``. Total: lone surrogates are dropped, and a URL it cannot split or
    encode (``http://[::1``, a bad port) comes back stripped.

    The last :data:`CANONICAL_CACHE_SIZE` answers are kept: a crawl meets the same links on
    page after page (menus, lists of adverts), and each costs tens of microseconds."""
    return _canonical_url(url, keep_fragment)


#: Distinct (URL, keep_fragment) answers :func:`canonical_url` keeps (least recently used go).
CANONICAL_CACHE_SIZE = 16_384


@functools.lru_cache(maxsize=CANONICAL_CACHE_SIZE)
def _canonical_url(url: str, keep_fragment: bool) -> str:
    url = _SURROGATES_RE.sub("", url.strip())
    try:
        parts = urlsplit(url)
        origin = _origin(parts)
    except ValueError:
        return url
    netloc = str(origin).split("://", 1)[1] if origin else parts.netloc.lower()
    path = re.sub(r"/{2,}", "/", _PATH_SESSION_RE.sub("", parts.path)) or "/"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_param(k)
    ]
    fragment = parts.fragment if keep_fragment else ""
    rebuilt = urlunsplit((parts.scheme.lower(), netloc, path, urlencode(query), fragment))
    try:
        return str(canonicalize_url(rebuilt, keep_fragments=keep_fragment))
    except (ValueError, UnicodeError):  # a host IDNA cannot encode
        return rebuilt


def web_url(url: str) -> str | None:
    """:func:`canonical_url` of an http(s) URL with a host; None for any other URL."""
    return canonical_url(url) if split_origin(url) is not None else None


#: Platforms whose pages belong to many organisations (social networks, code hosting, blogs):
#: a page there, or on one of their subdomains, is never one organisation's own site.
PLATFORM_DOMAINS = frozenset(
    {
        "facebook.com",
        "twitter.com",
        "x.com",
        "instagram.com",
        "youtube.com",
        "github.com",
        "linkedin.com",
        "medium.com",
    }
)


def on_domain(host: str, domains: Iterable[str]) -> bool:
    """True if ``host`` is one of ``domains`` or a subdomain of one (``de-de.facebook.com``)."""
    return any(host == domain or host.endswith("." + domain) for domain in domains)
