from __future__ import annotations

import pytest

from crawler.urls import (
    PLATFORM_DOMAINS,
    canonical_url,
    is_tracking_param,
    on_domain,
    split_origin,
    web_url,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "HTTPS://Jobs.Example.org:443/jobs/x.html?utm_source=a&b=2&a=1&gclid=z#top",
            "https://jobs.example.org/jobs/x.html?a=1&b=2",
        ),
        ("http://example.org", "http://example.org/"),
        ("http://example.org//a//b", "http://example.org/a/b"),
        ("http://example.org/shop;jsessionid=AB12?sid=9&fbclid=1", "http://example.org/shop"),
        ("http://example.org./a?share=1&replytocom=3&q=x", "http://example.org/a?q=x"),
        ("http://user@example.org:8080/a", "http://example.org:8080/a"),
    ],
)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_canonical_url_keeps_fragment_on_request() -> None:
    assert canonical_url("https://x.org/a#frag", keep_fragment=True) == "https://x.org/a#frag"
    assert canonical_url("https://x.org/a#frag") == "https://x.org/a"


def test_web_url_is_only_for_http() -> None:
    assert web_url("mailto:a@b.org") is None
    assert web_url("ftp://example.org/x") is None
    assert web_url("http://example.org:99999/") is None
    assert web_url("HTTP://Example.org/a?utm_source=x&b=2&a=1#frag") == (
        "http://example.org/a?a=1&b=2"
    )
    assert web_url("http://example.org/shop;jsessionid=AB12?sid=9") == "http://example.org/shop"


def test_tracking_params_and_origin() -> None:
    assert is_tracking_param("UTM_Campaign") and is_tracking_param("_hsenc")
    assert not is_tracking_param("page")
    origin = split_origin("https://[::1]:8443/x")
    assert origin is not None and str(origin) == "https://[::1]:8443"
    assert str(split_origin("http://Example.org:80/")) == "http://example.org"


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("facebook.com", True),
        ("de-de.facebook.com", True),
        ("notfacebook.com", False),
        ("facebook.com.example.org", False),
    ],
)
def test_on_domain_takes_the_domain_and_its_subdomains(host: str, expected: bool) -> None:
    assert on_domain(host, PLATFORM_DOMAINS) is expected
