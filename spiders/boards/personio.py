"""Personio XML feed: ``GET /xml`` (``?language=en`` optional).

``<workzag-jobs><position><id/><subcompany/><office/><additionalOffices><office/>...
</additionalOffices><department/><recruitingCategory/><name/><jobDescriptions><jobDescription>
<name/><value>(HTML in CDATA)</value></jobDescription>...</jobDescriptions><employmentType/>
<seniority/><schedule/><yearsOfExperience/><keywords/><occupation/><occupationCategory/>
<createdAt/></position>...</workzag-jobs>``. Advert pages are ``/job/<id>`` next to the feed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from spiders.boards import BoardAdapter
from spiders.parsers.jobposting import RawJob

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)


def _text(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    text = "".join(el.itertext()).strip()
    return text or None


class PersonioAdapter(BoardAdapter):
    name = "personio"

    def feed_urls(self, url: str) -> list[str]:
        parts = urlsplit(url)
        if (parts.hostname or "").endswith(
            (".jobs.personio.de", ".jobs.personio.com")
        ) and not parts.path.rstrip("/").endswith("/xml"):
            return [f"https://{parts.hostname}/xml"]
        return [url]

    def records(self, body: bytes, url: str) -> tuple[Sequence[Any], dict[str, Any]]:
        try:
            root = etree.fromstring(body, parser=_PARSER)
        except etree.XMLSyntaxError as exc:
            raise ValueError(f"not XML: {exc}") from exc
        if root is None:
            raise ValueError("empty XML")
        records: list[dict[str, Any]] = []
        for pos in root.iter("position"):
            rec: dict[str, Any] = {}
            for child in pos:
                tag = child.tag if isinstance(child.tag, str) else ""
                if tag == "jobDescriptions":
                    rec["jobDescriptions"] = [
                        {"name": _text(jd.find("name")), "value": _text(jd.find("value"))}
                        for jd in child.iter("jobDescription")
                    ]
                elif tag == "additionalOffices":
                    rec["additionalOffices"] = [_text(o) for o in child.iter("office")]
                elif tag:
                    rec[tag] = _text(child)
            records.append(rec)
        return records, {}

    def raw_job(self, record: dict[str, Any], context: dict[str, Any], feed_url: str) -> RawJob:
        ident = record.get("id")
        base = feed_url.split("?", 1)[0]
        url = urljoin(base, f"job/{ident}") if ident else feed_url
        raw = RawJob(url=url, extraction="feed", raw=record)
        raw.title = record.get("name")
        raw.organization = self.organization(context) or record.get("subcompany")
        raw.location_text = record.get("office")
        if record.get("additionalOffices") or []:
            raw.warnings.append("additionalOffices: several places, the first is kept")
        raw.employment_type = [
            v for v in (record.get("schedule"), record.get("employmentType")) if v
        ]
        raw.date_posted = record.get("createdAt")
        sections = []
        for jd in record.get("jobDescriptions") or []:
            if jd.get("value"):
                heading = f"<h3>{jd['name']}</h3>" if jd.get("name") else ""
                sections.append(heading + jd["value"])
        raw.description = "\n".join(sections)
        if not ident:
            raw.warnings.append("id: missing, feed URL used")
        return raw
