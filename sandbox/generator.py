"""Deterministic generation: job adverts and datasets computed from ``(seed, index)``.

Nothing is stored: ``advert(seed, i)`` always gives the same advert, so the large variant
(``SandboxServer(scale=100_000)``) serves any page straight from its index without holding the
catalogue in memory. Dates are relative to the fixed sandbox day :data:`TODAY`.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sandbox.content.orgs import (
    CURRENCIES,
    CURRENCY_FACTOR,
    DSI_EMPLOYERS,
    ORDINARY_EMPLOYERS,
    Employer,
)
from sandbox.content.phrases import BANKS

#: The sandbox's "today": every generated date is relative to it, so output never changes.
TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

#: How adverts carry structured data (cycled by index for generated adverts).
MARKUP_CYCLE: tuple[str, ...] = (
    "jsonld",
    "jsonld",
    "jsonld-graph",
    "jsonld-list",
    "microdata",
    "jsonld-remote",
    "none",
    "jsonld",
    "microdata",
    "jsonld-nested",
)
EMPLOYMENT_TYPES: tuple[tuple[str, ...], ...] = (
    ("FULL_TIME",),
    ("FULL_TIME",),
    ("FULL_TIME",),
    ("PART_TIME",),
    ("FULL_TIME", "PART_TIME"),
    ("CONTRACTOR",),
    ("TEMPORARY",),
    ("INTERN",),
)

_TRANSLIT = str.maketrans(
    {"ß": "ss", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "đ": "d", "Đ": "D", "œ": "oe"}
)


def slugify(value: str, max_length: int = 60) -> str:
    """ASCII slug: ``"Référent:in Open Data"`` -> ``"referent-in-open-data"``."""
    ascii_text = unicodedata.normalize("NFKD", value.translate(_TRANSLIT))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    return slug[:max_length].rstrip("-") or "item"


def rng_for(seed: int, *parts: object) -> random.Random:
    """A private random generator for one thing (str seeds hash with SHA-512: stable)."""
    return random.Random(":".join(str(p) for p in (seed, *parts)))


@dataclass(frozen=True, slots=True)
class Salary:
    min: float
    max: float | None
    currency: str
    unit: str  # HOUR | MONTH | YEAR


@dataclass(frozen=True, slots=True)
class Advert:
    """One job advert: content plus how its page is marked up."""

    slug: str
    lang: str
    title: str
    employer: Employer
    date_posted: date
    valid_through: date | None
    employment_type: tuple[str, ...]
    salary: Salary | None
    remote: bool
    about: tuple[str, ...]
    tasks: tuple[str, ...]
    profile: tuple[str, ...]
    offers: tuple[str, ...]
    apply: str
    identifier: str
    markup: str = "jsonld"
    index: int | None = None
    #: Written into ``<html lang>``; differs from ``lang`` on purpose for one advert.
    declared_lang: str | None = None
    charset: str = "utf-8"
    canonical_path: str | None = None
    date_style: int = 0  # how datePosted / visible dates are written
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def path(self) -> str:
        return f"/jobs/{self.slug}.html"

    @property
    def city(self) -> str:
        return self.employer.city

    @property
    def posted_at(self) -> datetime:
        return datetime(
            self.date_posted.year, self.date_posted.month, self.date_posted.day, 8, 30, tzinfo=UTC
        )

    @property
    def word_count(self) -> int:
        parts = (*self.about, *self.tasks, *self.profile, *self.offers, self.apply)
        return sum(len(p.split()) for p in parts)


def _salary(rng: random.Random, employer: Employer, types: tuple[str, ...]) -> Salary | None:
    if rng.random() < 0.3:
        return None
    yearly = rng.randrange(30, 86) * 1000.0 * (0.85 if employer.dsi else 1.0)
    currency = CURRENCIES.get(employer.country, "EUR")
    yearly *= CURRENCY_FACTOR[currency]
    if employer.country in ("PL", "CZ"):
        yearly *= 0.45  # lower wage levels
    spread = 1.0 + rng.choice((0.0, 0.1, 0.15, 0.25))
    if "PART_TIME" in types or "TEMPORARY" in types:
        low = round(yearly / 1720, 2)
        return Salary(low, round(low * spread, 2) if spread > 1 else None, currency, "HOUR")
    if employer.lang in ("de", "pl", "cs", "it") and rng.random() < 0.5:
        months = 14 if employer.country in ("AT", "IT") else 12
        low = float(round(yearly / months, -1))
        return Salary(
            low, float(round(low * spread, -1)) if spread > 1 else None, currency, "MONTH"
        )
    low = float(round(yearly, -3))
    return Salary(low, float(round(low * spread, -3)) if spread > 1 else None, currency, "YEAR")


def advert(seed: int, index: int) -> Advert:
    """The generated advert number ``index`` (any non-negative integer)."""
    rng = rng_for(seed, "advert", index)
    dsi = rng.random() < 0.3
    employer = rng.choice(DSI_EMPLOYERS if dsi else ORDINARY_EMPLOYERS)
    bank = BANKS.get(employer.lang, BANKS["en"])
    title = rng.choice(bank.titles_dsi if dsi else bank.titles_ord)
    posted = TODAY - timedelta(days=(index * 7919 + rng.randrange(5)) % 75)
    valid: date | None = posted + timedelta(days=rng.choice((30, 42, 60, 90)))
    if rng.random() < 0.15:
        valid = None
    types = rng.choice(EMPLOYMENT_TYPES)
    markup = MARKUP_CYCLE[index % len(MARKUP_CYCLE)]
    intro = rng.choice(bank.intro).format(name=employer.name, city=employer.city)
    deadline = (valid or posted + timedelta(days=30)).strftime("%d.%m.%Y")
    return Advert(
        slug=f"{index:06d}-{slugify(title, 40)}-{slugify(employer.city, 20)}",
        lang=employer.lang,
        title=title,
        employer=employer,
        date_posted=posted,
        valid_through=valid,
        employment_type=types,
        salary=_salary(rng, employer, types),
        remote=markup == "jsonld-remote" or rng.random() < 0.1,
        about=(employer.blurb, intro),
        tasks=tuple(rng.sample(bank.tasks_dsi if dsi else bank.tasks_ord, 5)),
        profile=tuple(rng.sample(bank.profiles, 5)),
        offers=tuple(rng.sample(bank.offers, 4)),
        apply=f"{bank.closing} {bank.apply.format(email=employer.email, date=deadline)}",
        identifier=f"WB-{index + 10_000:07d}",
        markup=markup,
        index=index,
        date_style=index % 4,
    )


def advert_head(seed: int, index: int) -> tuple[str, date]:
    """``(slug, date_posted)`` of :func:`advert` without building the body (sitemaps).

    Replays exactly the first draws of :func:`advert`; a unit test keeps them in step.
    """
    rng = rng_for(seed, "advert", index)
    dsi = rng.random() < 0.3
    employer = rng.choice(DSI_EMPLOYERS if dsi else ORDINARY_EMPLOYERS)
    bank = BANKS.get(employer.lang, BANKS["en"])
    title = rng.choice(bank.titles_dsi if dsi else bank.titles_ord)
    posted = TODAY - timedelta(days=(index * 7919 + rng.randrange(5)) % 75)
    return f"{index:06d}-{slugify(title, 40)}-{slugify(employer.city, 20)}", posted


INDEX_SLUG_RE = re.compile(r"^(\d{6,})-")


def index_from_slug(slug: str) -> int | None:
    """The generated index a slug starts with (``000123-...`` -> 123), else None."""
    match = INDEX_SLUG_RE.match(slug)
    return int(match.group(1)) if match else None
