"""Typed items produced by the spiders.

Every item is a plain dataclass (not ``scrapy.Item``) so mypy checks each construction and
storage/classifiers can use them without importing Scrapy. ``EXPORT_FIELDS`` fixes the
column order of ``dsi export items`` for each spider.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any, ClassVar


@dataclass(slots=True, kw_only=True)
class BaseItem:
    """Fields every harvested item carries."""

    spider: ClassVar[str] = ""

    source: str
    url: str
    #: Problems met while reading the page: kept with the item so nothing is silently lost.
    warnings: list[str] = field(default_factory=list)
    #: The structured payload the item was read from (JSON-LD node, API record, ...).
    raw: dict[str, Any] = field(default_factory=dict)

    def fields_dict(self) -> dict[str, Any]:
        """The normalised fields as JSON-able values (without ``raw``): ``asdict`` of a copy
        whose ``raw`` is empty, so the payload (often a whole API record) is not copied value
        by value only to be dropped."""
        data = asdict(replace(self, raw={}))
        data.pop("raw", None)
        return data

    def text_for_classifier(self) -> str:
        """The text a classifier should read for this item."""
        raise NotImplementedError


@dataclass(slots=True, kw_only=True)
class JobAdvert(BaseItem):
    """One job advert (``jobs`` spider)."""

    spider: ClassVar[str] = "jobs"

    title: str
    hiring_organization: str | None = None
    hiring_organization_url: str | None = None
    location_city: str | None = None
    location_region: str | None = None
    location_country: str | None = None  # ISO 3166-1 alpha-2
    remote: bool | None = None
    date_posted: str | None = None  # ISO date
    valid_through: str | None = None  # ISO date
    employment_type: str | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None  # ISO 4217
    salary_period: str | None = None  # year | month | week | day | hour
    salary_annual: float | None = None  # midpoint, annualised
    description: str = ""  # plain text, no markup
    language: str | None = None  # ISO 639-1
    extraction: str = "html"  # jsonld | microdata | rdfa | feed | html
    #: The advert no longer takes applications (the page says so, or ``valid_through`` has
    #: passed): still emitted, so the stock and flow of adverts can be counted.
    closed: bool = False

    def text_for_classifier(self) -> str:
        return "\n".join(p for p in (self.title, self.hiring_organization, self.description) if p)


@dataclass(slots=True, kw_only=True)
class OpenDataRecord(BaseItem):
    """A dataset, showcase (reuse) or publisher from an open-data portal (``opendata`` spider)."""

    spider: ClassVar[str] = "opendata"

    portal_url: str
    kind: str  # dataset | showcase | publisher
    dataset_id: str
    title: str
    description: str = ""
    publisher: str | None = None
    tags: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    license: str | None = None
    issued: str | None = None  # ISO date
    modified: str | None = None  # ISO datetime as published
    resources_count: int = 0
    formats: list[str] = field(default_factory=list)
    country: str | None = None  # ISO 3166-1 alpha-2
    language: str | None = None  # ISO 639-1
    #: For showcases: the ids of the datasets the showcase reuses.
    linked_dataset_ids: list[str] = field(default_factory=list)
    #: For showcases: the showcase's own website (a website to crawl and a candidate project).
    showcase_url: str | None = None
    #: True when the portal no longer lists this record (noticed on an incremental run).
    deleted: bool = False

    def text_for_classifier(self) -> str:
        parts = [self.title, self.description, " ".join(self.tags), " ".join(self.themes)]
        return "\n".join(p for p in parts if p)


@dataclass(slots=True, kw_only=True)
class WebsiteProfile(BaseItem):
    """One profile per organisation/project website (``website`` spider)."""

    spider: ClassVar[str] = "website"

    site: str  # the site's origin, e.g. https://example.org
    title: str | None = None
    description: str | None = None
    name: str | None = None
    main_text: str = ""
    language: str | None = None
    social_links: dict[str, str] = field(default_factory=dict)
    emails: list[str] = field(default_factory=list)
    address: str | None = None
    city: str | None = None
    country: str | None = None
    outlinks: list[str] = field(default_factory=list)
    last_updated: str | None = None  # ISO date
    rendered_with_browser: bool = False
    liveliness: float | None = None  # 0..1, higher = more alive
    pages: list[str] = field(default_factory=list)  # URLs visited for this profile

    def text_for_classifier(self) -> str:
        parts = [self.name, self.title, self.description, self.main_text]
        return "\n".join(p for p in parts if p)


ITEM_CLASSES: dict[str, type[BaseItem]] = {
    cls.spider: cls for cls in (JobAdvert, OpenDataRecord, WebsiteProfile)
}

#: Fields stored by storage rather than by the spider (appended to exports).
STORAGE_FIELDS = ("first_seen", "last_seen")


def export_fields(spider: str) -> list[str]:
    """Column order of ``dsi export items --spider SPIDER``."""
    cls = ITEM_CLASSES[spider]
    names = [f.name for f in fields(cls) if f.name not in ("raw", "warnings")]
    # ``url, source`` first, as the issues list them.
    names.remove("url")
    names.remove("source")
    # jobs: the near-duplicate group (``items.dedupe_group``) so trends count each job once
    extra = ["dedupe_group"] if spider == "jobs" else []
    return ["url", "source", *names, "warnings", *STORAGE_FIELDS, *extra]
