"""Social links: profiles recognised, share and post links rejected, the most linked picked."""

from __future__ import annotations

import pytest

from spiders.parsers.contact import (
    emails_from_text,
)
from spiders.parsers.social import classify_social, is_social_host, pick_social_links


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://twitter.com/OpenKnowledge", ("x", "https://x.com/openknowledge")),
        ("http://www.x.com/okfn?lang=de", ("x", "https://x.com/okfn")),
        ("https://mastodon.social/@okfn", ("mastodon", "https://mastodon.social/@okfn")),
        ("https://bsky.app/profile/okfn.org", ("bluesky", "https://bsky.app/profile/okfn.org")),
        (
            "https://www.facebook.com/OKFNetwork/",
            ("facebook", "https://www.facebook.com/OKFNetwork"),
        ),
        (
            "https://de.linkedin.com/company/okfn",
            ("linkedin", "https://www.linkedin.com/company/okfn"),
        ),
        ("https://instagram.com/okfn/", ("instagram", "https://www.instagram.com/okfn")),
        ("https://www.youtube.com/@okfn", ("youtube", "https://www.youtube.com/@okfn")),
        ("https://github.com/okfn/ckan", ("github", "https://github.com/okfn")),
        ("https://github.com/orgs/okfn/people", ("github", "https://github.com/okfn")),
    ],
)
def test_profiles_are_recognised(url: str, expected: tuple[str, str]) -> None:
    link = classify_social(url)
    assert link is not None and (link.platform, link.url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://twitter.com/intent/tweet?text=x",
        "https://x.com/share?url=x",
        "https://twitter.com/share",
        "https://twitter.com/okfn/status/123",
        "https://twitter.com/hashtag/opendata",
        "https://www.facebook.com/sharer/sharer.php?u=x",
        "https://www.facebook.com/sharer.php?u=x",
        "https://www.facebook.com/dialog/share?x=1",
        "https://www.linkedin.com/shareArticle?mini=true&url=x",
        "https://www.linkedin.com/sharing/share-offsite/?url=x",
        "https://bsky.app/intent/compose",
        "https://www.youtube.com/watch?v=abc",
        "https://www.instagram.com/p/abc/",
        "https://mastodon.social/@okfn/1234567",
        "https://medium.com/@someone",
        "https://example.org/about",
        "mailto:x@example.org",
        "https://github.com/features",
    ],
)
def test_share_and_post_links_are_rejected(url: str) -> None:
    assert classify_social(url) is None


def test_mastodon_users_path_needs_rel_me() -> None:
    assert classify_social("https://chaos.social/users/ccc") is None
    link = classify_social("https://chaos.social/users/ccc", rel_me=True)
    assert link is not None and link.url == "https://chaos.social/@ccc"


def test_pick_social_links_prefers_most_linked() -> None:
    links = [
        classify_social(u)
        for u in ("https://twitter.com/partner", "https://twitter.com/us", "https://twitter.com/us")
    ]
    assert pick_social_links(link for link in links if link) == {"x": "https://x.com/us"}
    assert is_social_host("www.facebook.com") and is_social_host("wa.me")
    assert not is_social_host("example.org")


# --- social links in the forms real sites use ------------------------------------------------
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://twitter.com/intent/follow?screen_name=CodeCommun75",
            "https://x.com/codecommun75",
        ),
        ("https://x.com/intent/user?screen_name=@okfn", "https://x.com/okfn"),
        ("https://twitter.com/intent/follow?original_referer=x", None),
        ("https://twitter.com/intent/tweet?screen_name=okfn", None),
        (
            "https://www.facebook.com/profile.php?id=1000641",
            "https://www.facebook.com/profile.php?id=1000641",
        ),
        ("https://www.facebook.com/sharer/sharer.php?u=x", None),
        ("https://www.youtube.com/c/OpenStreets", "https://www.youtube.com/c/OpenStreets"),
        ("https://www.youtube.com/channel/UCx1y2", "https://www.youtube.com/channel/UCx1y2"),
        ("https://www.youtube.com/watch?v=a1B2c3", None),
        ("https://www.instagram.com/p/CxYz123AbC/", None),
        ("https://bsky.app/intent/compose?text=x", None),
        ("https://chaos.social/@verein/112233445566", None),
    ],
)
def test_follow_buttons_are_profiles_share_buttons_are_not(url: str, expected: str | None) -> None:
    link = classify_social(url)
    assert (link.url if link else None) == expected


def test_fediverse_handles_in_text() -> None:
    from spiders.parsers.social import mastodon_handles_in_text

    text = "Mastodon: @FreieNetze@wien.rocks · mail: info@verein.example.at · @x@twitter.com"
    assert [s.url for s in mastodon_handles_in_text(text)] == ["https://wien.rocks/@freienetze"]
    assert emails_from_text(text) == ["info@verein.example.at"]  # the handle is no address
    assert mastodon_handles_in_text("write to info@verein.example.at") == []


def test_linkedin_member_profiles_never_stand_for_the_organisation() -> None:
    person = classify_social("https://www.linkedin.com/in/giulia-rossi/")
    company = classify_social("https://www.linkedin.com/company/rete-civica/")
    assert person is not None and company is not None
    assert pick_social_links([person, person, company]) == {"linkedin": company.url}
    assert pick_social_links([person]) == {}


def test_hash_bang_profile_links() -> None:
    from spiders.parsers.social import classify_social

    link = classify_social("https://twitter.com/#!/datosvecinales")
    assert link is not None and link.url == "https://x.com/datosvecinales"
    assert classify_social("https://twitter.com/#!/intent/tweet") is None
    assert classify_social("https://twitter.com/#about") is None


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "https://www.facebook.com/people/Org-Name/100064123456789/",
            "https://www.facebook.com/people/Org-Name/100064123456789",
        ),
        (
            "https://www.facebook.com/p/Org-Name-100064123456789/",
            "https://www.facebook.com/p/Org-Name-100064123456789",
        ),
        ("https://instagram.com/_u/orgname", "https://www.instagram.com/orgname"),
    ],
)
def test_profile_urls_of_pages_without_a_user_name(url: str, expected: str) -> None:
    from spiders.parsers.social import classify_social

    link = classify_social(url)
    assert link is not None and link.url == expected
