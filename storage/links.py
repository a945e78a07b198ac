"""Repository for links between websites (``site_links``): the network of organisations.

An edge is (from_site, to_site) where both are *site keys*: the host without ``www.`` plus a
non-default port (``"example.org"``, ``"127.0.0.1:8123"``), so links to ``www.b.org`` and
``https://b.org`` meet the same node. Re-crawls refresh ``last_seen``; ``first_seen`` stays.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import SiteLink, utcnow
from storage.session import dialect_insert

__all__ = ["edge_key", "links_from", "links_to", "upsert_site_links"]

#: Site keys longer than the column are not stored (they are not real hosts).
MAX_SITE_LENGTH = 255
_DEFAULT_PORTS = {"http": 80, "https": 443}


def edge_key(url: str) -> str | None:
    """The node of a site URL: host without ``www.``, plus a non-default port; None for
    anything that is not an http(s) URL. ``https://www.B.org/x`` -> ``"b.org"``."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
        port = parts.port
    except (ValueError, AttributeError):
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not host:
        return None
    host = host.removeprefix("www.")
    if port and port != _DEFAULT_PORTS[scheme]:
        return f"{host}:{port}"
    return host


def upsert_site_links(
    session: Session,
    source: str,
    edges: Iterable[tuple[str, str]],
    *,
    seen_at: datetime | None = None,
) -> int:
    """Insert new edges or refresh ``last_seen`` (and ``source``) of known ones.

    Self-links, empty and over-long keys are skipped. Returns the number of edges written.
    """
    now = seen_at or utcnow()
    unique: dict[tuple[str, str], dict[str, object]] = {}
    for from_site, to_site in edges:
        if not from_site or not to_site or from_site == to_site:
            continue
        if len(from_site) > MAX_SITE_LENGTH or len(to_site) > MAX_SITE_LENGTH:
            continue
        unique[(from_site, to_site)] = {
            "from_site": from_site,
            "to_site": to_site,
            "source": source[:200],
            "first_seen": now,
            "last_seen": now,
        }
    if not unique:
        return 0
    insert = dialect_insert(session)
    values = list(unique.values())
    written = 0
    for start in range(0, len(values), 500):
        stmt = insert(SiteLink).values(values[start : start + 500])
        stmt = stmt.on_conflict_do_update(
            index_elements=["from_site", "to_site"],
            set_={"last_seen": stmt.excluded.last_seen, "source": stmt.excluded.source},
        )
        session.execute(stmt)
        written += len(values[start : start + 500])
    return written


def links_from(session: Session, site: str) -> list[str]:
    """Sites that ``site`` links to, sorted."""
    stmt = select(SiteLink.to_site).where(SiteLink.from_site == site).order_by(SiteLink.to_site)
    return list(session.scalars(stmt))


def links_to(session: Session, site: str) -> list[str]:
    """Sites that link to ``site``, sorted."""
    stmt = select(SiteLink.from_site).where(SiteLink.to_site == site).order_by(SiteLink.from_site)
    return list(session.scalars(stmt))
