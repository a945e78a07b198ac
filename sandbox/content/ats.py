"""Applicant-tracking-system feeds shaped like each vendor's public job API.

``B`` = the portal's base URL. Every vendor keeps its real URL shape under ``/ats/<vendor>``::

    Greenhouse  B/ats/greenhouse/v1/boards/<board>/jobs[?content=true]   {"jobs": [...], "meta"}
                B/ats/greenhouse/v1/boards/<board>/jobs/<id>             one job (content always)
                B/ats/greenhouse/v1/boards/<board>                       {"name", "content"}
    Lever       B/ats/lever/v0/postings/<company>?mode=json[&skip&limit]  a JSON list
                B/ats/lever/v0/postings/<company>/<id>
    Workable    B/ats/workable/api/accounts/<account>[?details=true]     {"name", "jobs": [...]}
    Recruitee   B/ats/recruitee/api/offers/                              {"offers": [...]}
                B/ats/recruitee/api/offers/<slug>                        {"offer": {...}}
    Personio    B/ats/personio/xml[?language=de|en]                      <workzag-jobs> XML

Boards/companies: greenhouse ``civicpulse`` (DSI) and ``nordbank``; lever ``kiezkompass`` (DSI)
and ``meridian``; workable ``opencare`` (DSI) and ``azimut``; recruitee: Stichting Datawijk
(DSI); personio: Pixelwerk Digital. Unknown boards answer 404 in the vendor's error shape.
Links inside the feeds (absolute_url, hostedUrl, ...) point to invented vendor hosts, as in
real feeds; nothing there is served.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html import escape
from typing import Any, ClassVar
from xml.sax.saxutils import escape as xml_escape

from sandbox.content.common import Context
from sandbox.content.orgs import COUNTRY_NAMES, CURRENCIES, EMPLOYERS_BY_KEY, Employer
from sandbox.content.phrases import BANKS
from sandbox.generator import NOW, rng_for, slugify
from sandbox.http import Request, Response, json_response

_DEPARTMENTS = {
    "en": ("Engineering", "Product", "Community", "Operations", "Finance"),
    "de": ("Entwicklung", "Produkt", "Community", "Betrieb", "Finanzen"),
    "fr": ("Création", "Conseil", "Technique", "Administration"),
    "nl": ("Data", "Techniek", "Projecten", "Bedrijfsvoering"),
}


@dataclass(frozen=True, slots=True)
class Posting:
    n: int
    employer: Employer
    title: str
    department: str
    about: str
    tasks: tuple[str, ...]
    profile: tuple[str, ...]
    offers: tuple[str, ...]
    created: datetime
    updated: datetime
    remote: bool
    commitment: str  # Full-time | Part-time | Contract
    salary: tuple[int, int] | None  # yearly min/max in local currency

    @property
    def lang(self) -> str:
        return self.employer.lang

    def description_html(self) -> str:
        bank = BANKS[self.lang]

        def ul(values: tuple[str, ...]) -> str:
            return "<ul>" + "".join(f"<li>{escape(v)}</li>" for v in values) + "</ul>"

        return (
            f"<p>{escape(self.about)}</p><h3>{escape(bank.tasks)}</h3>{ul(self.tasks)}"
            f"<h3>{escape(bank.profile)}</h3>{ul(self.profile)}"
            f"<h3>{escape(bank.offer)}</h3>{ul(self.offers)}"
        )

    def plain(self) -> str:
        return " ".join((self.about, *self.tasks, *self.profile, *self.offers))


def make_postings(seed: int, vendor: str, employer_key: str, count: int) -> list[Posting]:
    employer = EMPLOYERS_BY_KEY[employer_key]
    bank = BANKS[employer.lang]
    out = []
    titles = list(bank.titles_dsi if employer.dsi else bank.titles_ord)
    if employer.dsi:  # DSI organisations also hire ordinary roles (finance, admin)
        titles += list(bank.titles_ord[:2])
    for n in range(count):
        rng = rng_for(seed, vendor, employer_key, n)
        created = NOW - timedelta(days=rng.randrange(2, 80), minutes=rng.randrange(600))
        yearly = rng.randrange(34, 80) * 1000
        factor = {"GBP": 0.85, "SEK": 11.4}.get(CURRENCIES.get(employer.country, "EUR"), 1.0)
        out.append(
            Posting(
                n=n,
                employer=employer,
                title=titles[n % len(titles)],
                department=rng.choice(_DEPARTMENTS.get(employer.lang, _DEPARTMENTS["en"])),
                about=f"{employer.blurb} "
                + rng.choice(bank.intro).format(name=employer.name, city=employer.city),
                tasks=tuple(
                    rng.sample(bank.tasks_dsi if employer.dsi and n % 3 != 2 else bank.tasks_ord, 4)
                ),
                profile=tuple(rng.sample(bank.profiles, 4)),
                offers=tuple(rng.sample(bank.offers, 3)),
                created=created,
                updated=created + timedelta(days=rng.randrange(0, 10)),
                remote=rng.random() < 0.25,
                commitment=rng.choice(("Full-time", "Full-time", "Part-time", "Contract")),
                salary=(int(yearly * factor), int(yearly * factor * 1.15))
                if rng.random() < 0.6
                else None,
            )
        )
    return out


def _ident(seed: int, *parts: object) -> int:
    return 4_000_000 + rng_for(seed, "ats-id", *parts).randrange(1_000_000)


def _uuid(seed: int, *parts: object) -> str:
    return str(uuid.UUID(int=rng_for(seed, "ats-uuid", *parts).getrandbits(128), version=4))


def _location(e: Employer) -> str:
    return f"{e.city}, {e.region}, {COUNTRY_NAMES.get(e.country, e.country)}"


class AtsApp:
    """Routes of ``/ats/``."""

    GREENHOUSE: ClassVar[dict[str, tuple[str, int]]] = {
        "civicpulse": ("civicpulse", 6),
        "nordbank": ("nordbank", 5),
    }
    LEVER: ClassVar[dict[str, tuple[str, int]]] = {
        "kiezkompass": ("kiezkompass", 5),
        "meridian": ("meridian", 4),
    }
    WORKABLE: ClassVar[dict[str, tuple[str, int]]] = {
        "opencare": ("opencare", 4),
        "azimut": ("azimut", 3),
    }
    RECRUITEE = ("datawijk", 5)
    PERSONIO = ("pixelwerk", 6)

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.seed = ctx.seed

    def handle(self, request: Request) -> Response | None:
        path = request.path
        if not path.startswith("/ats/"):
            return None
        parts = [p for p in path.split("/") if p][1:]
        vendor = parts[0] if parts else ""
        if vendor == "greenhouse":
            return self.greenhouse(parts[1:], request)
        if vendor == "lever":
            return self.lever(parts[1:], request)
        if vendor == "workable":
            return self.workable(parts[1:], request)
        if vendor == "recruitee":
            return self.recruitee(parts[1:])
        if vendor == "personio" and parts[1:] == ["xml"]:
            return self.personio(request.arg("language"))
        return json_response({"error": "Not found"}, status=404)

    # -- Greenhouse -------------------------------------------------------------------------
    def _gh_job(self, board: str, p: Posting, *, content: bool) -> dict[str, Any]:
        e = p.employer
        job_id = _ident(self.seed, "gh", board, p.n)
        offset = "+00:00" if e.country in ("GB", "IE", "PT") else "+01:00"
        job: dict[str, Any] = {
            "absolute_url": f"https://job-boards.greenhouse.example/{board}/jobs/{job_id}",
            "data_compliance": [
                {
                    "type": "gdpr",
                    "requires_consent": False,
                    "requires_processing_consent": False,
                    "requires_retention_consent": False,
                    "retention_period": None,
                }
            ],
            "internal_job_id": job_id - 1_000_000,
            "location": {"name": "Remote" if p.remote else _location(e)},
            "metadata": None
            if p.n % 2
            else [
                {
                    "id": 1200 + p.n,
                    "name": "Employment type",
                    "value": p.commitment,
                    "value_type": "single_select",
                }
            ],
            "id": job_id,
            "updated_at": p.updated.strftime("%Y-%m-%dT%H:%M:%S") + offset,
            "requisition_id": f"{board[:3].upper()}-{100 + p.n}",
            "title": p.title,
            "company_name": e.name,
            "first_published": p.created.strftime("%Y-%m-%dT%H:%M:%S") + offset,
            "language": e.lang,
        }
        if content:
            job["content"] = escape(p.description_html(), quote=True)  # Greenhouse escapes HTML
            dep_id = _ident(self.seed, "gh-dep", board, p.department)
            job["departments"] = [
                {"id": dep_id, "name": p.department, "child_ids": [], "parent_id": None}
            ]
            job["offices"] = [
                {
                    "id": _ident(self.seed, "gh-office", board, e.city),
                    "name": e.city,
                    "location": _location(e),
                    "child_ids": [],
                    "parent_id": None,
                }
            ]
        return job

    def greenhouse(self, parts: list[str], request: Request) -> Response:
        if len(parts) < 3 or parts[:2] != ["v1", "boards"] or parts[2] not in self.GREENHOUSE:
            return json_response({"status": 404, "error": "Job not found"}, status=404)
        board = parts[2]
        key, count = self.GREENHOUSE[board]
        postings = make_postings(self.seed, "greenhouse", key, count)
        if len(parts) == 3:
            e = EMPLOYERS_BY_KEY[key]
            return json_response({"name": e.name, "content": f"<p>{escape(e.blurb)}</p>"})
        if parts[3] != "jobs":
            return json_response({"status": 404, "error": "Job not found"}, status=404)
        if len(parts) == 5:
            for p in postings:
                if str(_ident(self.seed, "gh", board, p.n)) == parts[4]:
                    return json_response(self._gh_job(board, p, content=True))
            return json_response({"status": 404, "error": "Job not found"}, status=404)
        content = (request.arg("content") or "").lower() == "true"
        jobs = [self._gh_job(board, p, content=content) for p in postings]
        return json_response({"jobs": jobs, "meta": {"total": len(jobs)}})

    # -- Lever ------------------------------------------------------------------------------
    def _lever(self, company: str, p: Posting) -> dict[str, Any]:
        e = p.employer
        bank = BANKS[e.lang]
        pid = _uuid(self.seed, "lever", company, p.n)
        lists = [
            {"text": bank.tasks, "content": "".join(f"<li>{escape(t)}</li>" for t in p.tasks)},
            {"text": bank.profile, "content": "".join(f"<li>{escape(t)}</li>" for t in p.profile)},
        ]
        offers = "".join(f"<li>{escape(t)}</li>" for t in p.offers)
        posting: dict[str, Any] = {
            "additional": f"<div><b>{escape(bank.offer)}</b></div><ul>{offers}</ul>",
            "additionalPlain": f"{bank.offer}\n" + "\n".join(f"- {o}" for o in p.offers),
            "categories": {
                "commitment": p.commitment,
                "department": p.department,
                "location": e.city,
                "team": p.department,
                "allLocations": [e.city],
            },
            "createdAt": int(p.created.timestamp() * 1000),
            "descriptionPlain": p.about,
            "description": f"<div>{escape(p.about)}</div>",
            "descriptionBody": f"<div>{escape(p.about)}</div>",
            "descriptionBodyPlain": p.about,
            "opening": "",
            "openingPlain": "",
            "id": pid,
            "lists": lists,
            "text": p.title,
            "country": e.country,
            "workplaceType": "remote" if p.remote else ("hybrid" if p.n % 2 else "onsite"),
            "hostedUrl": f"https://jobs.lever.example/{company}/{pid}",
            "applyUrl": f"https://jobs.lever.example/{company}/{pid}/apply",
        }
        if p.salary:
            posting["salaryRange"] = {
                "currency": CURRENCIES.get(e.country, "EUR"),
                "interval": "per-year-salary",
                "min": p.salary[0],
                "max": p.salary[1],
            }
        return posting

    def lever(self, parts: list[str], request: Request) -> Response:
        if len(parts) < 3 or parts[:2] != ["v0", "postings"] or parts[2] not in self.LEVER:
            return json_response({"ok": False, "error": "Document not found"}, status=404)
        company = parts[2]
        key, count = self.LEVER[company]
        postings = [self._lever(company, p) for p in make_postings(self.seed, "lever", key, count)]
        if len(parts) == 4:
            found = [p for p in postings if p["id"] == parts[3]]
            if not found:
                return json_response({"ok": False, "error": "Document not found"}, status=404)
            return json_response(found[0])
        skip = request.int_arg("skip", 0)
        limit = request.int_arg("limit", len(postings))
        return json_response(postings[skip : skip + limit])

    # -- Workable ---------------------------------------------------------------------------
    def workable(self, parts: list[str], request: Request) -> Response:
        if len(parts) != 3 or parts[:2] != ["api", "accounts"] or parts[2] not in self.WORKABLE:
            return json_response({"error": "Not found"}, status=404)
        account = parts[2]
        key, count = self.WORKABLE[account]
        e = EMPLOYERS_BY_KEY[key]
        details = (request.arg("details") or "").lower() == "true"
        jobs = []
        for p in make_postings(self.seed, "workable", key, count):
            code = slugify(_uuid(self.seed, "workable", account, p.n))[:10].upper().replace("-", "")
            job: dict[str, Any] = {
                "title": p.title,
                "shortcode": code,
                "code": "",
                "employment_type": p.commitment,
                "telecommuting": p.remote,
                "department": p.department,
                "url": f"https://apply.workable.example/j/{code}",
                "shortlink": f"https://apply.workable.example/j/{code}",
                "application_url": f"https://apply.workable.example/j/{code}/apply",
                "published_on": p.created.date().isoformat(),
                "created_at": p.created.date().isoformat(),
                "country": COUNTRY_NAMES.get(e.country, e.country),
                "city": e.city,
                "state": e.region,
                "education": "",
                "experience": "Mid-Senior level",
                "function": p.department,
                "industry": "Non-profit Organization Management"
                if e.dsi
                else "Marketing and Advertising",
                "locations": [
                    {
                        "country": COUNTRY_NAMES.get(e.country, e.country),
                        "countryCode": e.country,
                        "city": e.city,
                        "region": e.region,
                        "hidden": False,
                    }
                ],
            }
            if details:
                job["description"] = p.description_html()
            jobs.append(job)
        return json_response(
            {"name": e.name, "description": f"<p>{escape(e.blurb)}</p>", "jobs": jobs}
        )

    # -- Recruitee --------------------------------------------------------------------------
    def _recruitee_offer(self, p: Posting) -> dict[str, Any]:
        e = p.employer
        bank = BANKS[e.lang]
        slug = f"{slugify(p.title)}-{e.city.lower()}" + (f"-{p.n}" if p.n else "")
        offer_id = _ident(self.seed, "recruitee", p.n)
        created = p.created.strftime("%Y-%m-%d %H:%M:%S UTC")
        description = (
            f"<p>{escape(p.about)}</p><h3>{escape(bank.tasks)}</h3><ul>"
            + "".join(f"<li>{escape(t)}</li>" for t in p.tasks)
            + "</ul>"
        )
        requirements = "<ul>" + "".join(f"<li>{escape(t)}</li>" for t in p.profile) + "</ul>"
        offer: dict[str, Any] = {
            "id": offer_id,
            "slug": slug,
            "position": p.n + 1,
            "status": "published",
            "options_phone": "optional",
            "options_photo": "off",
            "options_cover_letter": "optional",
            "options_cv": "required",
            "careers_url": f"https://{e.key}.recruitee.example/o/{slug}",
            "careers_apply_url": f"https://{e.key}.recruitee.example/o/{slug}/c/new",
            "mailbox_email": f"job.{offer_id}@{e.key}.recruitee.example",
            "company_name": e.name,
            "title": p.title,
            "description": description,
            "requirements": requirements,
            "location": _location(e),
            "city": e.city,
            "country": COUNTRY_NAMES.get(e.country, e.country),
            "country_code": e.country,
            "state_code": "ZH",
            "state_name": e.region,
            "postal_code": e.postal_code,
            "remote": p.remote,
            "hybrid": not p.remote and p.n % 2 == 0,
            "on_site": not p.remote and p.n % 2 == 1,
            "department": p.department,
            "employment_type_code": {
                "Full-time": "fulltime",
                "Part-time": "parttime",
                "Contract": "freelance",
            }[p.commitment],
            "category_code": "it",
            "experience_code": "mid_level",
            "education_code": "bachelor_degree",
            "min_hours": 32,
            "max_hours": 40,
            "created_at": created,
            "published_at": created,
            "updated_at": p.updated.strftime("%Y-%m-%d %H:%M:%S UTC"),
            "close_at": None,
            "tags": ["open data", "civic tech"] if e.dsi else [],
            "locations": [
                {
                    "id": 90_000 + p.n,
                    "name": e.city,
                    "city": e.city,
                    "country": COUNTRY_NAMES.get(e.country, e.country),
                    "country_code": e.country,
                    "state": e.region,
                    "state_code": "ZH",
                    "street": e.street,
                    "postal_code": e.postal_code,
                    "note": None,
                }
            ],
            "translations": {
                e.lang: {"title": p.title, "description": description, "requirements": requirements}
            },
            "primary_lang_code": e.lang,
        }
        if p.salary:
            offer["salary"] = {
                "min": str(p.salary[0] // 12),
                "max": str(p.salary[1] // 12),
                "period": "month",
                "currency": "EUR",
            }
        return offer

    def recruitee(self, parts: list[str]) -> Response:
        key, count = self.RECRUITEE
        offers = [
            self._recruitee_offer(p) for p in make_postings(self.seed, "recruitee", key, count)
        ]
        if parts == ["api", "offers"]:
            return json_response({"offers": offers})
        if len(parts) == 3 and parts[:2] == ["api", "offers"]:
            for offer in offers:
                if parts[2] in (offer["slug"], str(offer["id"])):
                    return json_response({"offer": offer})
        return json_response({"error": "Not found"}, status=404)

    # -- Personio ---------------------------------------------------------------------------
    def personio(self, language: str | None) -> Response:
        key, count = self.PERSONIO
        postings = make_postings(self.seed, "personio", key, count)
        lines = ['<?xml version="1.0" encoding="UTF-8"?>', "<workzag-jobs>"]
        for p in postings:
            e = p.employer
            bank = BANKS[e.lang]
            sections = (
                (bank.about, f"<p>{escape(p.about)}</p>"),
                (bank.tasks, "<ul>" + "".join(f"<li>{escape(t)}</li>" for t in p.tasks) + "</ul>"),
                (
                    bank.profile,
                    "<ul>" + "".join(f"<li>{escape(t)}</li>" for t in p.profile) + "</ul>",
                ),
                (bank.offer, "<ul>" + "".join(f"<li>{escape(t)}</li>" for t in p.offers) + "</ul>"),
            )
            descs = "".join(
                f"<jobDescription><name>{xml_escape(name)}</name><value><![CDATA["
                f"{value}]]></value></jobDescription>"
                for name, value in sections
            )
            schedule = {
                "Full-time": "full-time",
                "Part-time": "part-time",
                "Contract": "full-or-part-time",
            }[p.commitment]
            lines.append(
                "  <position>"
                f"<id>{_ident(self.seed, 'personio', p.n) % 2_000_000}</id>"
                f"<subcompany>{xml_escape(e.name)}</subcompany>"
                f"<office>{xml_escape('Remote' if p.remote else e.city)}</office>"
                + (
                    "<additionalOffices><office>Berlin</office></additionalOffices>"
                    if p.n == 1
                    else ""
                )
                + f"<department>{xml_escape(p.department)}</department>"
                f"<recruitingCategory>{xml_escape(p.department)}</recruitingCategory>"
                f"<name>{xml_escape(p.title)}</name>"
                f"<jobDescriptions>{descs}</jobDescriptions>"
                f"<employmentType>{'permanent' if p.commitment != 'Contract' else 'freelance'}"
                "</employmentType>"
                f"<seniority>{'experienced' if p.n % 3 else 'entry-level'}</seniority>"
                f"<schedule>{schedule}</schedule>"
                f"<yearsOfExperience>{'lt-1' if p.n % 3 == 0 else '2-5'}</yearsOfExperience>"
                f"<keywords>{xml_escape(', '.join(p.title.split()[:2]))}</keywords>"
                "<occupation>software_and_web_development</occupation>"
                "<occupationCategory>it_software</occupationCategory>"
                f"<createdAt>{p.created.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S+00:00')}"
                "</createdAt></position>"
            )
        lines.append("</workzag-jobs>")
        return Response(
            body=("\n".join(lines) + "\n").encode(), content_type="text/xml; charset=UTF-8"
        )
