"""Social-network profile links: which platform a link points to, normalised, or nothing.

Only *profiles* count: share buttons (``twitter.com/intent/tweet``, ``x.com/share``,
``facebook.com/sharer.php``, ``linkedin.com/shareArticle``, ``bsky.app/intent/compose``), posts
(``/status/123``, ``/p/abc``, ``/watch?v=``), hashtags, search and login pages are rejected.

Platforms (keys of :data:`PLATFORMS`): ``x`` (twitter.com and x.com are one platform, normalised
to ``https://x.com/<handle>``), ``mastodon`` (``/@user`` on any instance, or ``/users/user``
when the link carries ``rel="me"``), ``bluesky``, ``facebook``, ``linkedin``, ``instagram``,
``youtube``, ``github`` (an organisation or user; a repository link counts for its owner).

:func:`is_social_host` tells which hosts are social networks or share services, so outlinks
to them are not counted as links between organisations.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from crawler.urls import PLATFORM_DOMAINS, on_domain

__all__ = [
    "PLATFORMS",
    "SocialLink",
    "classify_social",
    "is_social_host",
    "mastodon_handles_in_text",
    "pick_social_links",
]

PLATFORMS = ("x", "mastodon", "bluesky", "facebook", "linkedin", "instagram", "youtube", "github")

_X_HOSTS = frozenset({"twitter.com", "x.com", "mobile.twitter.com", "mobile.x.com"})
_FACEBOOK_HOSTS = frozenset(
    {
        "facebook.com",
        "m.facebook.com",
        "fb.com",
        "business.facebook.com",
        "de-de.facebook.com",
        "fr-fr.facebook.com",
        "es-es.facebook.com",
        "nl-nl.facebook.com",
        "it-it.facebook.com",
        "pl-pl.facebook.com",
    }
)
_LINKEDIN_HOSTS_RE = re.compile(r"^(?:[a-z]{2,3}\.)?linkedin\.com$")
_INSTAGRAM_HOSTS = frozenset({"instagram.com", "instagr.am"})
_YOUTUBE_HOSTS = frozenset({"youtube.com", "m.youtube.com"})
_GITHUB_HOSTS = frozenset({"github.com"})
_BLUESKY_HOSTS = frozenset({"bsky.app"})

#: Networks whose subdomains are theirs too (de-de.facebook.com, music.youtube.com).
_NETWORK_DOMAINS = PLATFORM_DOMAINS | {"reddit.com", "pinterest.com", "tiktok.com", "tumblr.com"}

#: Hosts that are social networks, share services or link shorteners of those networks:
#: never a link to another organisation's site.
_OTHER_SOCIAL_HOSTS = frozenset(
    {
        "t.co",
        "fb.me",
        "fb.watch",
        "lnkd.in",
        "youtu.be",
        "wa.me",
        "api.whatsapp.com",
        "whatsapp.com",
        "web.whatsapp.com",
        "t.me",
        "telegram.me",
        "telegram.org",
        "reddit.com",
        "pinterest.com",
        "tiktok.com",
        "threads.net",
        "threads.com",
        "tumblr.com",
        "vk.com",
        "xing.com",
        "medium.com",
        "flickr.com",
        "vimeo.com",
        "soundcloud.com",
        "snapchat.com",
        "discord.com",
        "discord.gg",
        "addtoany.com",
        "sharethis.com",
        "addthis.com",
        "plus.google.com",
        "digg.com",
        "getpocket.com",
        "mix.com",
        "line.me",
        "skype.com",
        "weibo.com",
        "bsky.social",
        "joinmastodon.org",
        "mastodonshare.com",
        "toot.kytta.dev",
        "s2f.kytta.dev",
        "news.ycombinator.com",
        "slack.com",
        "meetup.com",
        "eventbrite.com",
        "spotify.com",
        "open.spotify.com",
        "patreon.com",
        "linktr.ee",
        "buymeacoffee.com",
        "ko-fi.com",
        "flipboard.com",
        "mewe.com",
        "ok.ru",
        "qzone.qq.com",
        "behance.net",
        "dribbble.com",
    }
)

#: First path segments on twitter.com/x.com that are never a handle.
_X_RESERVED = frozenset(
    {
        "intent",
        "share",
        "home",
        "search",
        "hashtag",
        "i",
        "explore",
        "login",
        "logout",
        "signup",
        "settings",
        "messages",
        "notifications",
        "tos",
        "privacy",
        "compose",
        "about",
        "download",
        "account",
        "following",
        "followers",
        "lists",
        "status",
        "statuses",
        "widgets",
        "oauth",
        "web",
        "en",
        "jobs",
        "rules",
        "help",
        "x",
        "twitter",
    }
)
_FACEBOOK_RESERVED = frozenset(
    {
        "sharer",
        "sharer.php",
        "share.php",
        "share",
        "dialog",
        "plugins",
        "tr",
        "login",
        "login.php",
        "hashtag",
        "search",
        "watch",
        "photo.php",
        "photo",
        "photos",
        "story.php",
        "permalink.php",
        "events",
        "home.php",
        "policies",
        "privacy",
        "help",
        "legal",
        "l.php",
        "signup",
        "recover",
        "marketplace",
        "gaming",
        "business",
        "ads",
        "settings",
        "notes",
        "media",
        "video.php",
        "reel",
        "reels",
        "stories",
        "messages",
        "bookmarks",
        "fundraisers",
        "v2.0",
        "v3.0",
        "2008",
    }
)
_INSTAGRAM_RESERVED = frozenset(
    {
        "p",
        "reel",
        "reels",
        "tv",
        "explore",
        "stories",
        "accounts",
        "direct",
        "about",
        "legal",
        "developer",
        "share",
        "s",
        "web",
    }
)
_YOUTUBE_VIDEO_PATHS = frozenset(
    {
        "watch",
        "embed",
        "shorts",
        "playlist",
        "results",
        "feed",
        "live",
        "share",
        "v",
        "redirect",
        "hashtag",
        "premium",
        "account",
        "signin",
        "t",
        "about",
        "howyoutubeworks",
    }
)
_GITHUB_RESERVED = frozenset(
    {
        "features",
        "about",
        "login",
        "join",
        "pricing",
        "topics",
        "marketplace",
        "explore",
        "sponsors",
        "settings",
        "enterprise",
        "security",
        "site",
        "collections",
        "trending",
        "apps",
        "contact",
        "search",
        "notifications",
        "new",
        "organizations",
        "customer-stories",
        "readme",
        "team",
        "home",
        "issues",
        "pulls",
        "codespaces",
        "github",
        "logout",
        "signup",
        "events",
        "mobile",
        "resources",
        "solutions",
        "why-github",
        "git-guides",
        "premium-support",
        "orgs",
        "users",
    }
)
_LINKEDIN_KINDS = frozenset({"company", "in", "school", "showcase", "groups"})

_X_HANDLE_RE = re.compile(r"^[A-Za-z0-9_]{1,15}$")
_MASTODON_USER_RE = re.compile(r"^@[A-Za-z0-9_.\-]{1,64}$")
_SIMPLE_NAME_RE = re.compile(r"^[A-Za-z0-9_.\-%]{1,100}$")
_BSKY_HANDLE_RE = re.compile(r"^[A-Za-z0-9._:\-]{3,253}$")

#: Hosts where ``/@name`` is not a Mastodon account.
_AT_PATH_NOT_MASTODON = frozenset(
    {
        "medium.com",
        "tiktok.com",
        "youtube.com",
        "m.youtube.com",
        "threads.net",
        "threads.com",
        "vimeo.com",
        "substack.com",
        "pinterest.com",
        "flickr.com",
        "behance.net",
        "dribbble.com",
        "tumblr.com",
        "soundcloud.com",
        "linktr.ee",
        "npmjs.com",
        "www.npmjs.com",
        "figma.com",
    }
)


@dataclass(frozen=True, slots=True)
class SocialLink:
    """A recognised profile link."""

    platform: str
    url: str


def _host(netloc_host: str | None) -> str:
    host = (netloc_host or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _segments(path: str) -> list[str]:
    return [unquote(s) for s in path.split("/") if s]


def is_social_host(host: str | None) -> bool:
    """True for hosts of social networks and share services (``www.`` ignored)."""
    h = _host(host)
    if not h:
        return False
    if h in _X_HOSTS or h in _FACEBOOK_HOSTS or h in _INSTAGRAM_HOSTS or h in _YOUTUBE_HOSTS:
        return True
    if h in _GITHUB_HOSTS or h in _BLUESKY_HOSTS or h in _OTHER_SOCIAL_HOSTS:
        return True
    if _LINKEDIN_HOSTS_RE.match(h):
        return True
    # subdomains of the big networks (de-de.facebook.com, music.youtube.com, gist.github.com)
    return on_domain(h, _NETWORK_DOMAINS)


def _x(segments: list[str], query: str = "") -> str | None:
    if not segments:
        return None
    if [seg.lower() for seg in segments[:2]] in (["intent", "follow"], ["intent", "user"]):
        # a follow button names the profile: /intent/follow?screen_name=x (or ?user_id=)
        names = parse_qs(query).get("screen_name")
        if names and _X_HANDLE_RE.match(names[0].lstrip("@")):
            return f"https://x.com/{names[0].lstrip('@').lower()}"
        return None
    handle = segments[0].lstrip("@")
    if handle.lower() in _X_RESERVED or not _X_HANDLE_RE.match(handle):
        return None
    # /<handle>/status/<id> is a post; /<handle>/with_replies, /media ... still the profile
    if len(segments) > 1 and segments[1].lower() in ("status", "statuses", "lists"):
        return None
    return f"https://x.com/{handle.lower()}"


def _facebook(segments: list[str], query: str) -> str | None:
    if not segments:
        return None
    first = segments[0].lower()
    if first == "profile.php":
        ids = parse_qs(query).get("id")
        if ids and ids[0].isdigit():
            return f"https://www.facebook.com/profile.php?id={ids[0]}"
        return None
    if first in ("pg", "pages") and len(segments) >= 2:
        # /pg/Name/..., /pages/Name/12345
        rest = segments[1:]
        if first == "pages" and len(rest) >= 2 and rest[-1].isdigit():
            return f"https://www.facebook.com/pages/{rest[0]}/{rest[-1]}"
        return f"https://www.facebook.com/{rest[0]}" if _SIMPLE_NAME_RE.match(rest[0]) else None
    if first == "groups" and len(segments) >= 2:
        return f"https://www.facebook.com/groups/{segments[1]}"
    if first == "people" and len(segments) >= 3 and segments[2].isdigit():
        # pages without a user name: /people/Org-Name/100064123456789/
        return f"https://www.facebook.com/people/{segments[1]}/{segments[2]}"
    if first == "p" and len(segments) >= 2 and re.search(r"-\d{6,}$", segments[1]):
        return f"https://www.facebook.com/p/{segments[1]}"  # /p/Org-Name-100064123456789/
    if first in _FACEBOOK_RESERVED or first.endswith(".php"):
        return None
    if len(segments) > 1 and segments[1].lower() in ("posts", "videos", "photos", "story"):
        return None
    if not _SIMPLE_NAME_RE.match(segments[0]):
        return None
    return f"https://www.facebook.com/{segments[0]}"


def _linkedin(segments: list[str]) -> str | None:
    if len(segments) < 2:
        return None
    kind = segments[0].lower()
    if kind not in _LINKEDIN_KINDS:
        return None  # shareArticle, sharing/share-offsite, feed, posts, pulse, jobs ...
    name = segments[1]
    if not _SIMPLE_NAME_RE.match(name):
        return None
    return f"https://www.linkedin.com/{kind}/{name.lower()}"


def _instagram(segments: list[str]) -> str | None:
    if segments and segments[0] == "_u":  # app deep links: /_u/name
        segments = segments[1:]
    if not segments:
        return None
    name = segments[0]
    if name.lower() in _INSTAGRAM_RESERVED or not re.match(r"^[A-Za-z0-9_.]{1,30}$", name):
        return None
    return f"https://www.instagram.com/{name.lower()}"


def _youtube(segments: list[str]) -> str | None:
    if not segments:
        return None
    first = segments[0]
    if first.startswith("@") and len(first) > 1:
        return f"https://www.youtube.com/{first}"
    kind = first.lower()
    if kind in ("channel", "c", "user") and len(segments) >= 2:
        return f"https://www.youtube.com/{kind}/{segments[1]}"
    if kind in _YOUTUBE_VIDEO_PATHS:
        return None
    if len(segments) == 1 and _SIMPLE_NAME_RE.match(first):
        return f"https://www.youtube.com/{first}"  # legacy custom URL youtube.com/Name
    return None


def _github(segments: list[str]) -> str | None:
    if not segments:
        return None
    first = segments[0]
    if first.lower() == "orgs" and len(segments) >= 2:
        first = segments[1]
    elif first.lower() in _GITHUB_RESERVED:
        return None
    if not re.match(r"^[A-Za-z0-9](?:[A-Za-z0-9\-]{0,38})$", first):
        return None
    return f"https://github.com/{first.lower()}"


def _bluesky(segments: list[str]) -> str | None:
    if len(segments) >= 2 and segments[0] == "profile" and _BSKY_HANDLE_RE.match(segments[1]):
        if len(segments) > 2 and segments[2] == "post":
            return None
        return f"https://bsky.app/profile/{segments[1].lower()}"
    return None


def _mastodon(host: str, segments: list[str], rel_me: bool) -> str | None:
    if host in _AT_PATH_NOT_MASTODON or is_social_host(host):
        return None
    if len(segments) >= 1 and _MASTODON_USER_RE.match(segments[0]):
        # /@user/123456 is a post (a toot), /@user/with_replies etc. still the profile
        if len(segments) > 1 and segments[1].isdigit():
            return None
        return f"https://{host}/{segments[0].lower()}"
    if (
        rel_me
        and len(segments) == 2
        and segments[0] == "users"
        and re.match(r"^[A-Za-z0-9_.\-]{1,64}$", segments[1])
    ):
        return f"https://{host}/@{segments[1].lower()}"
    return None


def classify_social(url: str, *, rel_me: bool = False) -> SocialLink | None:
    """The profile a link points to, or None (not social, or a share/post/search link).

    >>> classify_social("https://twitter.com/intent/tweet?text=hi") is None
    True
    >>> classify_social("http://www.twitter.com/OpenKnowledge?lang=de").url
    'https://x.com/OpenKnowledge'
    """
    if not url or not isinstance(url, str):
        return None
    raw = url.strip()
    if raw.startswith("//"):
        raw = "https:" + raw
    try:
        parts = urlsplit(raw)
        host = _host(parts.hostname)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not host:
        return None
    segments = _segments(parts.path)
    if not segments and parts.fragment.startswith("!/"):
        # old hash-bang links: twitter.com/#!/name, facebook.com/#!/page
        segments = _segments(parts.fragment[1:].split("?")[0])
    found: str | None = None
    platform = ""
    if host in _X_HOSTS:
        platform, found = "x", _x(segments, parts.query)
    elif host in _FACEBOOK_HOSTS or host.endswith(".facebook.com"):
        platform, found = "facebook", _facebook(segments, parts.query)
    elif _LINKEDIN_HOSTS_RE.match(host):
        platform, found = "linkedin", _linkedin(segments)
    elif host in _INSTAGRAM_HOSTS:
        platform, found = "instagram", _instagram(segments)
    elif host in _YOUTUBE_HOSTS:
        platform, found = "youtube", _youtube(segments)
    elif host in _GITHUB_HOSTS:
        platform, found = "github", _github(segments)
    elif host in _BLUESKY_HOSTS:
        platform, found = "bluesky", _bluesky(segments)
    else:
        platform, found = "mastodon", _mastodon(host, segments, rel_me)
    return SocialLink(platform, found) if found else None


_FEDI_HANDLE_RE = re.compile(
    r"(?<![\w@/.])@([A-Za-z0-9_][A-Za-z0-9_.\-]{0,63})@"
    r"((?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24})(?![\w\-])"
)


def mastodon_handles_in_text(text: str) -> list[SocialLink]:
    """Fediverse handles written as text (``@user@instance.social``) as profile links
    (``https://instance.social/@user``); handles on the big networks' hosts are skipped.

    >>> mastodon_handles_in_text("Mastodon: @verein@wien.rocks")[0].url
    'https://wien.rocks/@verein'
    """
    if not text or "@" not in text:
        return []
    out: list[SocialLink] = []
    for match in _FEDI_HANDLE_RE.finditer(text):
        user, host = match.group(1).rstrip("."), match.group(2).lower()
        if is_social_host(host) or host in _AT_PATH_NOT_MASTODON:
            continue
        link = SocialLink("mastodon", f"https://{host}/@{user.lower()}")
        if link not in out:
            out.append(link)
    return out


def _is_person(link: SocialLink) -> bool:
    """A LinkedIn member profile (``/in/<person>``): a person, not the organisation."""
    return link.platform == "linkedin" and "/in/" in link.url


def pick_social_links(candidates: Iterable[SocialLink]) -> dict[str, str]:
    """One profile per platform: the one linked most often (footers repeat on every page),
    ties broken by first appearance. Returned in :data:`PLATFORMS` order.

    LinkedIn member profiles (``/in/<person>``, a founder or a board member) never stand for
    the organisation: they are left out.
    """
    counts: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], int] = {}
    for i, link in enumerate(c for c in candidates if not _is_person(c)):
        key = (link.platform, link.url)
        counts[key] += 1
        first.setdefault(key, i)
    best: dict[str, tuple[int, int, str]] = {}
    for (platform, url), n in counts.items():
        rank = (-n, first[(platform, url)], url)
        if platform not in best or rank < best[platform]:
            best[platform] = rank
    return {p: best[p][2] for p in PLATFORMS if p in best}
