"""Websites to crawl, read from the database: showcase URLs and candidates' websites.

Used by the ``website`` spider before it starts (source option ``seed``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.items import iter_items
from storage.models import Candidate

__all__ = ["SEED_MODES", "candidate_websites", "seed_urls", "showcase_urls"]

SEED_MODES = ("showcases", "candidates")


def _http(url: object) -> str | None:
    if isinstance(url, str) and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def showcase_urls(session: Session, *, limit: int = 1000) -> list[str]:
    """``showcase_url`` of stored open-data showcases (distinct, in storage order)."""
    out: list[str] = []
    for item in iter_items(session, spider="opendata"):
        fields = item.fields or {}
        url = _http(fields.get("showcase_url"))
        if url and url not in out:
            out.append(url)
            if len(out) >= limit:
                break
    return out


def candidate_websites(session: Session, *, limit: int = 1000) -> list[str]:
    """Websites of candidates not rejected, most relevant first."""
    stmt = (
        select(Candidate.website)
        .where(Candidate.website.is_not(None), Candidate.status != "rejected")
        .order_by(Candidate.relevance.desc().nulls_last(), Candidate.id)
        .limit(limit)
    )
    out: list[str] = []
    for website in session.scalars(stmt):
        url = _http(website)
        if url and url not in out:
            out.append(url)
    return out


def seed_urls(session: Session, mode: str, *, limit: int = 1000) -> list[str]:
    """Seeds for ``mode`` (one of :data:`SEED_MODES`); ValueError for an unknown mode."""
    if mode == "showcases":
        return showcase_urls(session, limit=limit)
    if mode == "candidates":
        return candidate_websites(session, limit=limit)
    raise ValueError(f"unknown seed mode {mode!r} (expected one of {', '.join(SEED_MODES)})")
