"""The network policy checks addresses, not spellings (issue #24, finding 2)."""

from __future__ import annotations

import asyncio

import pytest

from crawler.network import (
    NetworkPolicy,
    address_problem,
    check_url,
    literal_address,
    parse_allowance,
    policy_for,
)

REFUSED_SPELLINGS = [
    "http://127.0.0.1/",
    "http://2130706433/",  # decimal
    "http://0x7f000001/",  # hex
    "http://0177.0.0.1/",  # octal
    "http://127.1/",  # short
    "http://0x7f.1/",
    "http://127.0.0.1./",  # trailing dot
    "http://localhost/",
    "http://localhost./",
    "http://app.localhost/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",  # IPv4-mapped IPv6
    "http://[::ffff:7f00:1]/",
    "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
    "http://[2002:a00:1::]/",  # 6to4 of 10.0.0.1
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://10.1.2.3/",
    "http://172.16.0.1/",
    "http://192.168.1.1/",
    "http://100.64.0.1/",  # CGNAT
    "http://100.127.255.254/",
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://[fd00:ec2::254]/",
    "http://0.0.0.0/",
    "http://0/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://192.0.2.1/",  # documentation
    "http://198.18.0.1/",  # benchmarking
    "http://255.255.255.255/",
]


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


@pytest.mark.parametrize("url", REFUSED_SPELLINGS)
def test_every_spelling_of_a_private_address_is_refused(url: str) -> None:
    refusal = run(check_url(url, NetworkPolicy(), None))
    assert refusal is not None, url
    assert "network policy refused" in str(refusal)


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f000001", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("10.1", "10.0.0.1"),
        ("[::ffff:127.0.0.1]", "::ffff:7f00:1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("example.org", None),
        ("123.example", None),
        ("0x", None),
    ],
)
def test_literal_forms_are_read_as_the_resolver_reads_them(host: str, address: str | None) -> None:
    found = literal_address(host)
    assert (str(found) if found else None) == address


def test_public_addresses_pass() -> None:
    for url in ("http://93.184.216.34/", "https://[2606:4700::1111]/", "http://1.1.1.1:8080/"):
        assert run(check_url(url, NetworkPolicy(), None)) is None, url
    assert address_problem(literal_address("8.8.8.8")) is None  # type: ignore[arg-type]


def test_names_are_resolved_and_every_address_checked() -> None:
    answers = {"public.test": ["93.184.216.34"], "mixed.test": ["93.184.216.34", "10.0.0.7"]}

    async def resolve(host: str, port: int) -> list[str]:
        return answers.get(host, [])

    assert run(check_url("http://public.test/", NetworkPolicy(), resolve)) is None
    refusal = run(check_url("http://mixed.test/", NetworkPolicy(), resolve))
    assert refusal is not None and refusal.address == "10.0.0.7" and refusal.reason == "private"
    assert run(check_url("http://nowhere.test/", NetworkPolicy(), resolve)) is None
    refused = run(
        check_url("http://nowhere.test/", NetworkPolicy(), resolve, unresolvable_refused=True)
    )
    assert refused is not None and refused.reason == "unresolvable"


def test_hosts_file_names_resolving_to_loopback_are_refused() -> None:
    from crawler.network import system_resolve

    # the system resolver reads /etc/hosts: "localhost" is refused by name, and the machine's
    # loopback names are refused by address
    refusal = run(check_url("http://ip6-localhost/", NetworkPolicy(), system_resolve))
    hosts = open("/etc/hosts").read()  # noqa: SIM115 - one read
    if "ip6-localhost" in hosts:
        assert refusal is not None and refusal.reason == "loopback"


def test_schemes_other_than_http_are_refused() -> None:
    for url in ("file:///etc/passwd", "ftp://example.org/", "gopher://x/"):
        refusal = run(check_url(url, NetworkPolicy(allow_private=True), None))
        assert refusal is not None and refusal.reason == "scheme"


def test_bad_urls_are_refused_not_raised() -> None:
    refusal = run(check_url("http://[::1", NetworkPolicy(), None))
    assert refusal is not None and refusal.reason == "bad_url"
    assert run(check_url("http://a.org:99999/", NetworkPolicy(), None)) is not None


def test_allow_list_admits_only_what_it_names() -> None:
    policy = policy_for(False, ["127.0.0.1:8080", "10.0.0.0/8", "[::1]:9000"])
    assert run(check_url("http://127.0.0.1:8080/", policy, None)) is None
    assert run(check_url("http://2130706433:8080/", policy, None)) is None
    assert run(check_url("http://127.0.0.1:8081/", policy, None)) is not None
    assert run(check_url("http://10.9.8.7/", policy, None)) is None
    assert run(check_url("http://[::1]:9000/", policy, None)) is None
    assert run(check_url("http://[::1]:9001/", policy, None)) is not None
    assert run(check_url("http://169.254.169.254/", policy, None)) is not None
    assert run(check_url("http://127.0.0.1:1/", NetworkPolicy(allow_private=True), None)) is None


@pytest.mark.parametrize(
    "spec", ["nonsense", "127.0.0.1:0", "127.0.0.1:x", "[::1]x", "1.2.3.4:70000"]
)
def test_bad_allowances_are_errors(spec: str) -> None:
    with pytest.raises(ValueError, match="not"):
        parse_allowance(spec)
