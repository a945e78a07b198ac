"""What a page's schema.org data says about its site (JSON-LD and microdata).

:func:`read_structured` walks the page's structured data (:mod:`spiders.parsers.structured`)
for organisations (scored: the site's own, top-level, JSON-LD), the website's name, a postal
address (a schema.org ``PostalAddress`` or an ``address`` string), e-mails, ``sameAs`` social
profiles and modification dates, and adds them to the page's facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

from crawler.text import clean_text
from spiders.parsers.contact import (
    Address,
    address_from_lines,
    address_from_schema,
    emails_from_mailto,
)
from spiders.parsers.page_dates import page_date
from spiders.parsers.site_urls import site_key
from spiders.parsers.social import classify_social
from spiders.parsers.structured import extract_structured, node_types

if TYPE_CHECKING:
    from spiders.parsers.page_facts import PageFacts

__all__ = ["read_structured"]

_ORG_TYPES = frozenset(
    {
        "Organization",
        "NGO",
        "NonprofitOrganization",
        "Corporation",
        "GovernmentOrganization",
        "EducationalOrganization",
        "LocalBusiness",
        "ResearchOrganization",
        "Project",
        "ResearchProject",
        "FundingScheme",
        "CollegeOrUniversity",
        "Consortium",
        "OnlineBusiness",
        "NewsMediaOrganization",
        "SportsOrganization",
        "PerformingGroup",
        "MedicalOrganization",
        "Library",
        "WorkersUnion",
        "PoliticalParty",
        "Cooperative",
        "Foundation",
        "ProfessionalService",
        "Airline",
        "LibrarySystem",
        "SearchRescueOrganization",
    }
)


def _schema_str(value: Any) -> str:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        for v in value:
            s = _schema_str(v)
            if s:
                return s
    if isinstance(value, Mapping):
        return _schema_str(value.get("@value") or value.get("name"))
    return ""


def _iter_values(value: Any) -> Iterable[Any]:
    if isinstance(value, list):
        yield from value
    elif value is not None:
        yield value


def _walk_nodes(value: Any, depth: int = 0) -> Iterable[dict[str, Any]]:
    if depth > 8:
        return
    if isinstance(value, list):
        for v in value:
            yield from _walk_nodes(v, depth + 1)
    elif isinstance(value, dict):
        yield value
        for k, v in value.items():
            if k != "@context" and isinstance(v, dict | list):
                yield from _walk_nodes(v, depth + 1)


def read_structured(html: str, url: str, facts: PageFacts, skey: str | None, now: datetime) -> None:
    """Organisations, website name, address, e-mails, social profiles and dates from the
    page's JSON-LD and microdata, into ``facts`` (problems counted there too)."""
    extraction = extract_structured(html, url, syntaxes=("json-ld", "microdata"))
    for problem in extraction.problems:
        facts.problems.append(problem)
        if problem == "jsonld_unreadable":
            facts.warnings.append(f"unreadable JSON-LD on {url}")
        elif problem == "jsonld_repaired":
            facts.warnings.append(f"broken JSON-LD repaired on {url}")
    for syntax, top in extraction.nodes:
        for node in _walk_nodes(top):
            types = node_types(node)
            for key in ("dateModified", "datePublished", "uploadDate"):
                if isinstance(node.get(key), str):
                    found = page_date(node[key], now)
                    if found:
                        facts.dates.append(found)
            if "PostalAddress" in types and facts.schema_address is None:
                facts.schema_address = address_from_schema(node)
            if "WebSite" in types and not facts.website_name:
                facts.website_name = _schema_str(node.get("name")) or None
            if not types & _ORG_TYPES:
                continue
            name = _schema_str(node.get("name")) or _schema_str(node.get("legalName"))
            if name:
                score = 0
                node_url = _schema_str(node.get("url"))
                if node_url and skey and site_key(urljoin(url, node_url)) == skey:
                    score += 2
                if node is top:
                    score += 1
                if syntax == "json-ld":
                    score += 1
                desc = _schema_str(node.get("description")) or None
                facts.organizations.append((score, name, desc))
            for email in _iter_values(node.get("email")):
                if isinstance(email, str):
                    facts.emails.extend(
                        emails_from_mailto("mailto:" + email.removeprefix("mailto:"))
                    )
            for same_as in _iter_values(node.get("sameAs")):
                if isinstance(same_as, str):
                    link = classify_social(same_as)
                    if link is not None:
                        facts.social.extend([link, link])  # the organisation's own: weigh more
            address = node.get("address")
            if facts.schema_address is None:
                if isinstance(address, dict):
                    facts.schema_address = address_from_schema(address)
                elif isinstance(address, str) and address.strip():
                    facts.schema_address = _address_from_string(address)


def _address_from_string(address: str) -> Address:
    """A schema.org ``address`` given as one string ("Street 1, 12345 City" or one part per
    line); an address that cannot be split keeps only its text (then an imprint's wins)."""
    by_line = [clean_text(x) for x in address.splitlines() if clean_text(x)]
    parts = [p.strip() for p in address.replace("\n", ",").split(",") if p.strip()]
    for lines in (by_line, [", ".join(parts[:-1]), parts[-1]] if len(parts) > 1 else parts):
        found = address_from_lines(lines, in_address_element=True)
        if found is not None:
            return found
    return Address(text=", ".join(parts))
