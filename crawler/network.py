"""One network policy for every request: Scrapy's downloads, redirects and the browser's.

The policy checks **addresses**, not spellings. A host written as a number is read the way the
system resolver reads it (``2130706433``, ``0x7f000001``, ``0177.0.0.1``, ``127.1``, a trailing
dot), an IPv4 address carried inside IPv6 (``::ffff:127.0.0.1``, 6to4, NAT64) is checked as the
IPv4 address it is, and a name is resolved and **every** address it resolves to is checked.
Refused: every address that is not globally reachable (loopback, private, link-local and the
cloud metadata address ``169.254.169.254``, CGNAT ``100.64.0.0/10``, reserved, documentation
and benchmarking ranges, multicast, unspecified), unless the policy allows it: a source's
``allow_private_network = true`` allows them all, the ``DSI_NETWORK_ALLOW`` setting allows the
addresses, networks and ``address:port`` pairs it lists (the bundled sandbox and the tests run
on 127.0.0.1 this way).

Where the policy is enforced: :mod:`crawler.middlewares.network` (every Scrapy request and
redirect, names resolved before the download), :mod:`crawler.resolver` (the addresses Scrapy
connects to, at connection time, so a name cannot answer one address for the check and another
for the download) and :mod:`crawler.browser_guard` (every request of a rendered page).

Pure: no Scrapy, no I/O except the resolver function a caller passes in.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = [
    "Allowance",
    "NetworkPolicy",
    "Refusal",
    "address_problem",
    "check_url",
    "literal_address",
    "parse_allowance",
    "policy_for",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: (host, port) -> every address the name resolves to.
Resolver = Callable[[str, int], Awaitable[list[str]]]

#: Schemes a crawl may fetch (the browser also opens WebSockets).
WEB_SCHEMES = frozenset({"http", "https"})
_DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
#: A host the resolver reads as an IPv4 number: 1 to 4 parts, each decimal, octal or hex.
_NUMERIC_HOST = re.compile(r"^(?:0x[0-9a-f]*|[0-9]+)(?:\.(?:0x[0-9a-f]*|[0-9]+)){0,3}$")
_METADATA = (ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254"))
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def literal_address(host: str) -> IPAddress | None:
    """The address a host written as a number stands for, read as the system resolver
    (``inet_aton``) and browsers read it; None for a name."""
    host = host.strip().strip("[]").lower().rstrip(".")
    if not host:
        return None
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _NUMERIC_HOST.match(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except (OSError, ValueError):
            return None
    return None


def _embedded_ipv4(addr: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, 6to4, NAT64, Teredo)."""
    if addr.ipv4_mapped is not None:
        return addr.ipv4_mapped
    if addr.sixtofour is not None:
        return addr.sixtofour
    if addr.teredo is not None:
        return addr.teredo[1]
    if addr in _NAT64:
        return ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF)
    packed = int(addr)
    if packed >> 32 == 0 and packed > 1:  # deprecated IPv4-compatible ::a.b.c.d
        return ipaddress.IPv4Address(packed)
    return None


def address_problem(addr: IPAddress) -> str | None:
    """Why an address is not a public web address (``loopback``, ``private``, ``link_local``,
    ``metadata``, ``cgnat``, ``multicast``, ``unspecified``, ``reserved``), or None."""
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.scope_id:
            addr = ipaddress.IPv6Address(addr.compressed.split("%", 1)[0])
        inner = _embedded_ipv4(addr)
        if inner is not None:
            return address_problem(inner)
    if addr in _METADATA:
        return "metadata"
    if addr.is_loopback:
        return "loopback"
    if addr.is_unspecified:
        return "unspecified"
    if addr.is_link_local:
        return "link_local"
    if addr.is_multicast:
        return "multicast"
    if isinstance(addr, ipaddress.IPv4Address) and addr in _CGNAT:
        return "cgnat"
    if addr.is_private:
        return "private"
    if addr.is_reserved or not addr.is_global:
        return "reserved"
    return None


@dataclass(frozen=True, slots=True)
class Allowance:
    """Addresses the policy lets through: a network, on one port or any."""

    network: ipaddress.IPv4Network | ipaddress.IPv6Network
    port: int | None = None

    def covers(self, addr: IPAddress, port: int) -> bool:
        return (
            addr.version == self.network.version
            and addr in self.network
            and (self.port is None or self.port == port)
        )


def parse_allowance(spec: str) -> Allowance:
    """``127.0.0.1``, ``127.0.0.1:8080``, ``10.0.0.0/8``, ``[::1]:8080`` or ``::1``.

    Raises ValueError naming the spec when it is none of these."""
    text = spec.strip()
    port: int | None = None
    host = text
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        if rest:
            if not rest.startswith(":"):
                raise ValueError(f"not an address, network or address:port: {spec!r}")
            port = _port(rest[1:], spec)
    elif text.count(":") == 1:
        host, _, raw_port = text.partition(":")
        port = _port(raw_port, spec)
    try:
        network = ipaddress.ip_network(host, strict=False)
    except ValueError:
        raise ValueError(f"not an address, network or address:port: {spec!r}") from None
    return Allowance(network, port)


def _port(text: str, spec: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ValueError(f"not a port in {spec!r}: {text!r}")
    return int(text)


@dataclass(frozen=True, slots=True)
class Refusal:
    """A request the policy refused: the URL, why, and the address that decided."""

    url: str
    reason: str
    address: str | None = None

    def __str__(self) -> str:
        where = f" ({self.address}: {self.reason})" if self.address else f" ({self.reason})"
        return f"network policy refused {self.url}{where}"


@dataclass(frozen=True, slots=True)
class NetworkPolicy:
    """Which addresses requests may reach (see the module docstring)."""

    allow_private: bool = False
    allowed: tuple[Allowance, ...] = ()

    def address_refusal(self, addr: IPAddress, port: int) -> str | None:
        """Why the address may not be reached on this port, or None."""
        problem = address_problem(addr)
        if problem is None or self.allow_private:
            return None
        if any(a.covers(addr, port) for a in self.allowed):
            return None
        return problem


def policy_for(allow_private: bool, allowed: Iterable[str]) -> NetworkPolicy:
    """The policy of a crawl: ``allow_private`` (a source's ``allow_private_network`` or the
    ``DSI_ALLOW_PRIVATE_NETWORK`` setting) and the ``DSI_NETWORK_ALLOW`` entries."""
    return NetworkPolicy(allow_private, tuple(parse_allowance(s) for s in allowed if s.strip()))


def _is_local_name(host: str) -> bool:
    return host == "localhost" or host.endswith(".localhost")


async def check_url(
    url: str,
    policy: NetworkPolicy,
    resolve: Resolver | None,
    *,
    schemes: frozenset[str] = WEB_SCHEMES,
    unresolvable_refused: bool = False,
) -> Refusal | None:
    """Why ``url`` may not be fetched, or None.

    Literal addresses are checked as the resolver reads them; ``localhost`` names as loopback;
    other names through ``resolve`` (every address). A name that does not resolve is let through
    (the download fails on its own) unless ``unresolvable_refused``; ``resolve=None`` checks
    spellings only."""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port or _DEFAULT_PORTS.get(scheme, 0)
    except ValueError:
        return Refusal(url, "bad_url")
    if scheme not in schemes:
        return Refusal(url, "scheme")
    if not host:
        return Refusal(url, "no_host")
    if _is_local_name(host):
        addresses: list[str] = ["127.0.0.1", "::1"]
    else:
        literal = literal_address(host)
        if literal is not None:
            addresses = [str(literal)]
        elif resolve is None:
            return None
        else:
            try:
                addresses = await resolve(host, port)
            except OSError:
                addresses = []
            if not addresses:
                return Refusal(url, "unresolvable") if unresolvable_refused else None
    for text in addresses:
        try:
            addr = ipaddress.ip_address(text)
        except ValueError:
            return Refusal(url, "bad_address", text)
        reason = policy.address_refusal(addr, port)
        if reason is not None:
            return Refusal(url, reason, text)
    return None


async def system_resolve(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for ``host`` (IPv4 and IPv6)."""
    import asyncio

    infos = await asyncio.get_running_loop().getaddrinfo(
        host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
    )
    return sorted({str(info[4][0]) for info in infos})
