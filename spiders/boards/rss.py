"""Job feeds in RSS 2.0, Atom, RSS 1.0 (RDF) and plain XML job lists.

RSS ``<item>``: ``title``, ``link``, ``description``/``content:encoded``, ``pubDate``/
``dc:date``, ``guid``, ``category``, ``author``/``dc:creator``; Atom ``<entry>``: ``title``,
``link rel="alternate" href``, ``content``/``summary``, ``published``/``updated``,
``author/name``. Job boards add their own elements (``job:location``, ``<city>``,
``<company>``, ``<salary>``, ``<jobtype>``...): they are read by local name whatever the
namespace. Plain XML job lists (``<jobs><job><title/><url/>...``) are read the same way.
The employer is the item's company, else the feed title when it says "Jobs at X".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from lxml import etree

from crawler.text import clean_text
from spiders.boards import BoardAdapter
from spiders.parsers.jobposting import RawJob

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, recover=True, huge_tree=False, strip_cdata=True
)
_RECORD_TAGS = ("item", "entry", "job", "position", "vacancy", "posting", "advert", "jobposting")
#: local element name -> RawJob field
_FIELDS: dict[str, str] = {
    "title": "title",
    "jobtitle": "title",
    "link": "url",
    "url": "url",
    "joburl": "url",
    "guid": "guid",
    "id": "guid",
    "description": "description",
    "encoded": "content",
    "content": "content",
    "summary": "description",
    "body": "content",
    "pubdate": "date",
    "date": "date",
    "published": "date",
    "dateposted": "date",
    "posted": "date",
    "publishdate": "date",
    "updated": "updated",
    "expires": "valid",
    "validthrough": "valid",
    "closingdate": "valid",
    "location": "location",
    "joblocation": "location",
    "city": "city",
    "region": "region",
    "state": "region",
    "country": "country",
    "company": "company",
    "companyname": "company",
    "employer": "company",
    "hiringorganization": "company",
    "creator": "author",
    "author": "author",
    "jobtype": "employment_type",
    "employmenttype": "employment_type",
    "type": "employment_type",
    "contracttype": "employment_type",
    "salary": "salary",
    "remote": "remote",
}
_FEED_ORG_RE = re.compile(
    r"^(?:(?:latest|open|current|all)\s+)?(?:jobs|careers|vacancies|openings|positions|"
    r"stellen(?:angebote)?|offres?\s+d['’]emploi|ofertas(?:\s+de\s+empleo)?|vacatures|"
    r"oferty\s+pracy)\s+(?:at|bei|chez|@|en|de|bij|w|-|–|\|)\s+(?P<org>.{2,80})$"
    r"|^(?P<org2>.{2,80}?)\s+[-–|:]\s+(?:jobs|careers|vacancies|stellenangebote|karriere|"
    r"offres d'emploi|empleo|vacatures|kariera)$",
    re.IGNORECASE,
)


def _local(tag: Any) -> str:
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower().replace("_", "").replace("-", "")


def _record(el: etree._Element) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for child in el:
        name = _local(child.tag)
        key = _FIELDS.get(name)
        if key is None:
            continue
        if name == "link":
            href = child.get("href")
            rel = child.get("rel") or "alternate"
            if href is not None:
                if rel == "alternate" and "url" not in out:
                    out["url"] = href.strip()
                continue
        if key == "author" and len(child):
            value = " ".join(clean_text(c.text or "") for c in child if _local(c.tag) == "name")
        elif key in ("description", "content"):
            inner = child.text or ""
            if len(child):  # Atom type="xhtml" or unescaped markup
                inner += "".join(etree.tostring(c, encoding="unicode") for c in child)
            value = inner
        else:
            value = clean_text("".join(child.itertext()))
        if value and key not in out:
            out[key] = value
    return out


def _has_title(el: etree._Element) -> bool:
    return any(_local(c.tag) in ("title", "jobtitle") for c in el)


class RssAdapter(BoardAdapter):
    name = "rss"

    def records(self, body: bytes, url: str) -> tuple[Sequence[Any], dict[str, Any]]:
        try:
            root = etree.fromstring(body.lstrip(), parser=_PARSER)
        except (etree.XMLSyntaxError, ValueError) as exc:
            raise ValueError(f"not XML: {exc}") from None
        if root is None:
            raise ValueError("not XML")
        records = [
            _record(el) for el in root.iter() if _local(el.tag) in _RECORD_TAGS and _has_title(el)
        ]
        feed_title = None
        for el in root.iter():
            if _local(el.tag) in ("channel", "feed") or el is root:
                t = next((c for c in el if _local(c.tag) == "title"), None)
                if t is not None:
                    feed_title = clean_text("".join(t.itertext()))
                    break
        org = None
        if feed_title:
            m = _FEED_ORG_RE.match(feed_title)
            if m:
                org = clean_text(m.group("org") or m.group("org2"))
        if not records and _local(root.tag) not in ("rss", "feed", "rdf", "jobs", "source"):
            raise ValueError(f"no job records in <{_local(root.tag)}>")
        return records, {"organization": org, "feed_title": feed_title}

    def raw_job(self, record: dict[str, Any], context: dict[str, Any], feed_url: str) -> RawJob:
        url = record.get("url") or (
            record.get("guid") if str(record.get("guid") or "").startswith("http") else None
        )
        raw = RawJob(url=str(url or feed_url), extraction="feed", raw=record)
        if not url:
            raw.warnings.append("feed item: no link, feed URL used")
        raw.title = record.get("title")
        raw.organization = (
            self.options.get("organization") or record.get("company") or context.get("organization")
        )
        raw.locality, raw.region, raw.country = (
            record.get("city"),
            record.get("region"),
            record.get("country"),
        )
        if not raw.locality:
            raw.location_text = record.get("location")
        raw.date_posted = record.get("date") or record.get("updated")
        raw.valid_through = record.get("valid")
        raw.employment_type = record.get("employment_type")
        remote = str(record.get("remote") or "").lower()
        if remote in ("true", "yes", "1", "remote"):
            raw.remote = True
        raw.description = record.get("content") or record.get("description")
        raw.salary_text = record.get("salary")
        return raw
