"""The job board on the portal: listing, adverts, sitemaps, admin and private areas.

Pages (``B`` = the portal's base URL)::

    B/jobs/                    listing, page 1 (10 adverts a page; 50 with scale=N)
    B/jobs/?page=N             further listing pages; <link rel="next"> plus a visible
                               "Next" (odd pages) or "Weiter" (even pages) link
    B/jobs/<slug>.html         one advert (query strings such as ?utm_source=... are ignored;
                               every advert page has <link rel="canonical">)
    B/jobs/partner/<slug>.html exact mirror of an advert (canonical points to /jobs/<slug>.html)
    B/jobs/apply/<slug>        application form (robots.txt disallows it)
    B/jobs/admin/...           back office, disallowed by robots.txt; page 2 of the listing
                               links into it
    B/jobs/sitemap.xml         sitemap index -> sitemap-adverts-N.xml + sitemap-pages.xml

Structured data by advert (``markup``): ``jsonld`` (plain object), ``jsonld-graph``
(``@graph`` with an Organization node referenced by ``@id``), ``jsonld-list`` (a top-level
list), ``jsonld-nested`` (hiringOrganization with url/sameAs/address), ``jsonld-remote``
(TELECOMMUTE + applicantLocationRequirements), ``microdata``, ``rdfa``, ``none`` (plain HTML
with dates like "vor 3 Tagen" or "12. März 2025"), ``broken-comma`` / ``broken-quote``
(invalid JSON-LD), ``multi`` (three postings on one page), ``entities`` (JSON-LD whose
description is entity-escaped HTML). Special adverts are listed in :func:`special_adverts`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from html import escape
from typing import Any

from sandbox.content.common import Context, esc, json_script
from sandbox.content.orgs import COUNTRY_NAMES, EMPLOYERS_BY_KEY
from sandbox.content.phrases import BANKS, DAYS_AGO, long_date
from sandbox.generator import (
    TODAY,
    Advert,
    Salary,
    advert,
    advert_head,
    index_from_slug,
    rng_for,
)
from sandbox.http import Request, Response, html, not_found

BOARD_NAME = "Workbridge Europe"
NORMAL_GENERATED = 36
SITEMAP_CHUNK_NORMAL = 30
SITEMAP_CHUNK_SCALE = 5_000
PAGE_SIZE_NORMAL = 10
PAGE_SIZE_SCALE = 50
UTM_QUERY = "utm_source=newsletter&utm_medium=email&utm_campaign=maerz"

_CSS = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;
color:#222}header,footer{border-bottom:1px solid #ddd;padding:.5rem 0}footer{border-top:1px solid
#ddd;border-bottom:0;margin-top:2rem;font-size:.9rem}.job-card{border-bottom:1px solid #eee;
padding:.6rem 0}.pagination a{margin-right:1rem}.button{background:#1a5fb4;color:#fff;
padding:.4rem .8rem;text-decoration:none}"""


# -- special adverts -----------------------------------------------------------------------
def special_adverts(seed: int) -> list[Advert]:
    """The hand-picked edge cases of the board (served in every mode)."""

    def base(n: int, employer: str, **changes: Any) -> Advert:
        # Regenerate a seed-stable advert, then move it to the employer and change it.
        emp = EMPLOYERS_BY_KEY[employer]
        bank = BANKS[emp.lang]
        rng = rng_for(seed, "special", n)
        raw = advert(seed, 900_000 + n)
        dsi = emp.dsi
        title = rng.choice(bank.titles_dsi if dsi else bank.titles_ord)
        valid = raw.valid_through or raw.date_posted + timedelta(days=45)
        fields: dict[str, Any] = {
            "employer": emp,
            "lang": emp.lang,
            "title": title,
            "index": None,
            "about": (emp.blurb, rng.choice(bank.intro).format(name=emp.name, city=emp.city)),
            "tasks": tuple(rng.sample(bank.tasks_dsi if dsi else bank.tasks_ord, 5)),
            "profile": tuple(rng.sample(bank.profiles, 5)),
            "offers": tuple(rng.sample(bank.offers, 4)),
            "apply": f"{bank.closing} "
            + bank.apply.format(email=emp.email, date=valid.strftime("%d.%m.%Y")),
            "identifier": f"WB-S{n:04d}",
        }
        fields.update(changes)
        return replace(raw, **fields)

    near = base(
        9,
        "datawijk",
        slug="open-data-specialist-datawijk-rotterdam",
        markup="jsonld",
        date_posted=TODAY - timedelta(days=40),
        valid_through=TODAY - timedelta(days=5),
    )
    repost = replace(
        near,
        slug="open-data-specialist-datawijk-rotterdam-2",
        date_posted=TODAY - timedelta(days=12),
        valid_through=TODAY + timedelta(days=30),
        identifier=near.identifier + "-R",
        offers=(*near.offers[:3], "Een vast contract na een jaar en een reiskostenvergoeding"),
    )
    return [
        base(1, "otevrene-brno", slug="rdfa-vyvojar-obcanskych-technologii-brno", markup="rdfa"),
        base(
            2,
            "pixelwerk",
            slug="frontend-entwickler-pixelwerk-muenchen",
            markup="broken-comma",
            title="Frontend-Entwickler (m/w/d) React",
        ),
        base(
            3,
            "kiezkompass",
            slug="produktmanagerin-kiezkompass-leipzig",
            markup="broken-quote",
            title='Produktmanager:in für die App „KiezKompass"',
        ),
        base(
            4,
            "klinikum-rheinaue",
            slug="sammelanzeige-it-klinikum-rheinaue-bonn",
            markup="multi",
            title="IT-Stellen am Klinikum Rheinaue (3 Positionen)",
        ),
        base(
            5,
            "alpenlogistik",
            slug="disponent-alpenlogistik-salzburg",
            markup="jsonld",
            declared_lang="en",
            title="Disponent (m/w/d) Nahverkehr",
        ),
        base(
            6,
            "modehaus-weber",
            slug="verkaeufer-modehaus-weber-hamburg",
            markup="none",
            charset="windows-1252",
            title="Verkäufer (m/w/d) Damenmode – 1.950 € Einstieg",
            date_style=1,
        ),
        base(
            7,
            "jantar",
            slug="kasjer-sprzedawca-jantar-wroclaw",
            markup="jsonld",
            charset="iso-8859-2",
            title="Kasjer-sprzedawca (umowa o pracę)",
        ),
        base(
            8,
            "civicpulse",
            slug="community-engagement-lead-civicpulse-london",
            markup="jsonld-nested",
            canonical_path="/jobs/community-engagement-lead-civicpulse-london.html",
            title="Community Engagement Lead",
        ),
        near,
        repost,
        base(
            10,
            "harbourside",
            slug="night-shelf-filler-harbourside-liverpool",
            markup="jsonld",
            title="Night Shift Shelf Filler",
            salary=Salary(1.0, None, "EUR", "YEAR"),
            employment_type=("PART_TIME",),
        ),
        base(
            11,
            "olivar",
            slug="reponedor-supermercados-olivar-madrid",
            markup="jsonld",
            title="Reponedor/a de fin de semana",
            salary=Salary(9_999_999.0, None, "EUR", "HOUR"),
            employment_type=("PART_TIME",),
        ),
        base(12, "citoyens-numeriques", slug="mediateur-numerique-lyon", markup="entities"),
        base(
            13,
            "presupuesto-vivo",
            slug="desarrollador-participacion-valencia",
            markup="jsonld-graph",
            date_style=4,
        ),
        base(
            14,
            "banque-delorme",
            slug="analyste-credit-banque-delorme-paris",
            markup="none",
            date_style=0,
            title="Analyste crédit entreprises (H/F)",
        ),
    ]


# -- structured data -----------------------------------------------------------------------
def _date_text(a: Advert, value: date) -> str:
    style = a.date_style
    if style == 1:
        return f"{value.isoformat()}T08:30:00+01:00"
    if style == 2:
        return f"{value.isoformat()}T07:30:00Z"
    if style == 3:
        return f"{value.isoformat()} 08:30:00"
    if style == 4:
        return value.strftime("%d/%m/%Y")
    return value.isoformat()


def _country(a: Advert) -> Any:
    style = (a.index or len(a.slug)) % 3
    code = a.employer.country
    if style == 0:
        return code
    if style == 1:
        return COUNTRY_NAMES.get(code, code)
    return {"@type": "Country", "name": code}


def description_html(a: Advert) -> str:
    bank = BANKS[a.lang]

    def items(values: tuple[str, ...]) -> str:
        return "".join(f"<li>{escape(v)}</li>" for v in values)

    return (
        f"<p>{escape(' '.join(a.about))}</p>"
        f"<h3>{escape(bank.tasks)}</h3><ul>{items(a.tasks)}</ul>"
        f"<h3>{escape(bank.profile)}</h3><ul>{items(a.profile)}</ul>"
        f"<h3>{escape(bank.offer)}</h3><ul>{items(a.offers)}</ul>"
        f"<p>{escape(a.apply)}</p>"
    )


def _salary_node(s: Salary) -> dict[str, Any]:
    value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": s.unit}
    if s.max is None:
        value["value"] = s.min
    else:
        value["minValue"] = s.min
        value["maxValue"] = s.max
    return {"@type": "MonetaryAmount", "currency": s.currency, "value": value}


def _address(a: Advert) -> dict[str, Any]:
    e = a.employer
    return {
        "@type": "PostalAddress",
        "streetAddress": e.street,
        "postalCode": e.postal_code,
        "addressLocality": e.city,
        "addressRegion": e.region,
        "addressCountry": _country(a),
    }


def jobposting(
    a: Advert, ctx: Context, *, context: bool = True, org_ref: str | None = None
) -> dict[str, Any]:
    """The schema.org JobPosting node of an advert, in the advert's variant."""
    e = a.employer
    node: dict[str, Any] = {}
    if context:
        node["@context"] = "https://schema.org/" if (a.index or 0) % 2 else "http://schema.org"
    node["@type"] = "JobPosting"
    node["title"] = a.title
    node["description"] = description_html(a)
    node["identifier"] = {"@type": "PropertyValue", "name": e.name, "value": a.identifier}
    node["datePosted"] = _date_text(a, a.date_posted)
    if a.valid_through:
        node["validThrough"] = _date_text(a, a.valid_through)
    node["employmentType"] = (
        a.employment_type[0]
        if len(a.employment_type) == 1 and (a.index or 0) % 2
        else list(a.employment_type)
    )
    if org_ref:
        node["hiringOrganization"] = {"@id": org_ref}
    elif a.markup == "jsonld-nested":
        node["hiringOrganization"] = {
            "@type": "Organization",
            "name": e.name,
            "url": e.url(ctx.site_urls),
            "sameAs": e.same_as(),
            "logo": f"{ctx.base_url}/static/logos/{e.key}.png",
            "address": _address(a),
        }
    else:
        node["hiringOrganization"] = {
            "@type": "Organization",
            "name": e.name,
            "sameAs": e.url(ctx.site_urls),
        }
    if a.remote:
        node["jobLocationType"] = "TELECOMMUTE"
        node["applicantLocationRequirements"] = {"@type": "Country", "name": e.country}
    if not a.remote or (a.index or 0) % 3:
        node["jobLocation"] = {"@type": "Place", "address": _address(a)}
    if a.salary:
        node["baseSalary"] = _salary_node(a.salary)
    node["directApply"] = True
    return node


def _jsonld_blocks(a: Advert, ctx: Context, url: str) -> str:
    ascii_json = (a.index or 0) % 5 == 4
    if a.markup in ("jsonld", "jsonld-nested", "jsonld-remote"):
        return json_script(jobposting(a, ctx), ensure_ascii=ascii_json)
    if a.markup == "jsonld-graph":
        org_id = f"{ctx.base_url}/employers/{a.employer.key}#organization"
        graph = {
            "@context": "https://schema.org",
            "@graph": [
                {"@type": "WebPage", "@id": url, "url": url, "name": a.title, "inLanguage": a.lang},
                {
                    "@type": "BreadcrumbList",
                    "itemListElement": [
                        {
                            "@type": "ListItem",
                            "position": 1,
                            "name": "Jobs",
                            "item": ctx.base_url + "/jobs/",
                        },
                        {"@type": "ListItem", "position": 2, "name": a.title, "item": url},
                    ],
                },
                {
                    "@type": "Organization",
                    "@id": org_id,
                    "name": a.employer.name,
                    "url": a.employer.url(ctx.site_urls),
                    "sameAs": a.employer.same_as(),
                },
                jobposting(a, ctx, context=False, org_ref=org_id),
            ],
        }
        return json_script(graph, ensure_ascii=ascii_json)
    if a.markup == "jsonld-list":
        crumbs = {
            "@context": "https://schema.org",
            "@type": "BreadcrumbList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": 1,
                    "name": "Jobs",
                    "item": ctx.base_url + "/jobs/",
                }
            ],
        }
        return json_script([crumbs, jobposting(a, ctx)], ensure_ascii=ascii_json)
    if a.markup == "entities":
        node = jobposting(a, ctx)
        node["description"] = escape(node["description"]).replace("é", "&eacute;")
        node["title"] = a.title.replace("·", "&middot;")
        return json_script(node)
    if a.markup == "broken-comma":
        text = json.dumps(jobposting(a, ctx), ensure_ascii=False, indent=2)
        text = text[: text.rstrip().rfind("}")].rstrip() + ",\n}"  # trailing comma
        return f'<script type="application/ld+json">\n{text}\n</script>'
    if a.markup == "broken-quote":
        text = json.dumps(jobposting(a, ctx), ensure_ascii=False, indent=2)
        text = text.replace('\\"', '"')  # an unescaped quote inside the title
        return f'<script type="application/ld+json">\n{text}\n</script>'
    return ""


# -- HTML ----------------------------------------------------------------------------------
def _visible_date(a: Advert) -> str:
    bank = BANKS[a.lang]
    if a.markup == "none" and a.date_style % 2 == 0:
        days = (TODAY - a.date_posted).days
        return DAYS_AGO[a.lang].format(n=days)
    d = a.date_posted
    return f"{bank.posted} {long_date(a.lang, d.year, d.month, d.day)}"


def _salary_text(s: Salary) -> str:
    unit = {"HOUR": "/h", "MONTH": "/month", "YEAR": "/year"}[s.unit]
    if s.max is None:
        return f"{s.min:,.2f} {s.currency}{unit}"
    return f"{s.min:,.0f}–{s.max:,.0f} {s.currency}{unit}"


def _sections(a: Advert) -> str:
    bank = BANKS[a.lang]

    def ul(values: tuple[str, ...]) -> str:
        return "<ul>" + "".join(f"<li>{esc(v)}</li>" for v in values) + "</ul>"

    return (
        f'<section class="about"><h2>{esc(bank.about)}</h2>'
        + "".join(f"<p>{esc(p)}</p>" for p in a.about)
        + "</section>"
        f'<section class="tasks"><h2>{esc(bank.tasks)}</h2>{ul(a.tasks)}</section>'
        f'<section class="profile"><h2>{esc(bank.profile)}</h2>{ul(a.profile)}</section>'
        f'<section class="offer"><h2>{esc(bank.offer)}</h2>{ul(a.offers)}</section>'
        f'<p class="apply-note">{esc(a.apply)}</p>'
    )


def _location_text(a: Advert) -> str:
    e = a.employer
    text = f"{e.city}, {COUNTRY_NAMES.get(e.country, e.country)}"
    if a.remote:
        text += f" · {BANKS[a.lang].remote}"
    return text


def _plain_article(a: Advert, ctx: Context) -> str:
    e = a.employer
    salary = f'<p class="salary">{esc(_salary_text(a.salary))}</p>' if a.salary else ""
    return (
        f'<article class="job">\n<h1>{esc(a.title)}</h1>\n'
        f'<p class="company"><a href="{esc(e.url(ctx.site_urls))}">{esc(e.name)}</a></p>\n'
        f'<p class="location">{esc(_location_text(a))}</p>\n'
        f'<p class="date">{esc(_visible_date(a))}</p>\n{salary}\n'
        f'<div class="description">{_sections(a)}</div>\n'
        f'<p><a class="button" href="/jobs/apply/{esc(a.slug)}">Apply</a></p>\n</article>'
    )


def _microdata_article(a: Advert, ctx: Context) -> str:
    e = a.employer
    salary = ""
    if a.salary:
        s = a.salary
        values = (
            f'<meta itemprop="value" content="{s.min}">'
            if s.max is None
            else f'<meta itemprop="minValue" content="{s.min}">'
            f'<meta itemprop="maxValue" content="{s.max}">'
        )
        salary = (
            f'<p class="salary" itemprop="baseSalary" itemscope '
            f'itemtype="https://schema.org/MonetaryAmount">'
            f'<meta itemprop="currency" content="{s.currency}">'
            f'<span itemprop="value" itemscope itemtype="https://schema.org/QuantitativeValue">'
            f'{values}<meta itemprop="unitText" content="{s.unit}">'
            f"{esc(_salary_text(s))}</span></p>"
        )
    types = "".join(f'<meta itemprop="employmentType" content="{t}">' for t in a.employment_type)
    valid = (
        f'<meta itemprop="validThrough" content="{a.valid_through.isoformat()}">'
        if a.valid_through
        else ""
    )
    return (
        f'<article class="job" itemscope itemtype="https://schema.org/JobPosting">\n'
        f'<h1 itemprop="title">{esc(a.title)}</h1>\n'
        f'<p class="company" itemprop="hiringOrganization" itemscope '
        f'itemtype="https://schema.org/Organization"><a itemprop="url" '
        f'href="{esc(e.url(ctx.site_urls))}"><span itemprop="name">{esc(e.name)}</span></a></p>\n'
        f'<p class="location" itemprop="jobLocation" itemscope itemtype="https://schema.org/Place">'
        f'<span itemprop="address" itemscope itemtype="https://schema.org/PostalAddress">'
        f'<span itemprop="streetAddress">{esc(e.street)}</span>, '
        f'<span itemprop="postalCode">{esc(e.postal_code)}</span> '
        f'<span itemprop="addressLocality">{esc(e.city)}</span>, '
        f'<meta itemprop="addressRegion" content="{esc(e.region)}">'
        f'<span itemprop="addressCountry">{esc(e.country)}</span></span></p>\n'
        f'<p class="date"><time itemprop="datePosted" datetime="{a.date_posted.isoformat()}">'
        f"{esc(_visible_date(a))}</time></p>{valid}{types}\n{salary}\n"
        f'<meta itemprop="identifier" content="{esc(a.identifier)}">\n'
        f'<div class="description" itemprop="description">{_sections(a)}</div>\n'
        f'<p><a class="button" href="/jobs/apply/{esc(a.slug)}">Apply</a></p>\n</article>'
    )


def _rdfa_article(a: Advert, ctx: Context) -> str:
    e = a.employer
    types = "".join(f'<meta property="employmentType" content="{t}">' for t in a.employment_type)
    return (
        f'<article class="job" vocab="https://schema.org/" typeof="JobPosting">\n'
        f'<h1 property="title">{esc(a.title)}</h1>\n'
        f'<p class="company" property="hiringOrganization" typeof="Organization">'
        f'<a property="url" href="{esc(e.url(ctx.site_urls))}"><span property="name">'
        f"{esc(e.name)}</span></a></p>\n"
        f'<p class="location" property="jobLocation" typeof="Place"><span property="address" '
        f'typeof="PostalAddress"><span property="streetAddress">{esc(e.street)}</span>, '
        f'<span property="postalCode">{esc(e.postal_code)}</span> <span '
        f'property="addressLocality">{esc(e.city)}</span>, <span property="addressCountry">'
        f"{esc(e.country)}</span></span></p>\n"
        f'<p class="date"><time property="datePosted" datetime="{a.date_posted.isoformat()}">'
        f"{esc(_visible_date(a))}</time></p>{types}\n"
        f'<div class="description" property="description">{_sections(a)}</div>\n'
        f'<p><a class="button" href="/jobs/apply/{esc(a.slug)}">Apply</a></p>\n</article>'
    )


def _multi_parts(a: Advert, seed: int) -> list[Advert]:
    rng = rng_for(seed, "multi", a.slug)
    bank = BANKS[a.lang]
    titles = (
        "IT-Systemadministrator (m/w/d) im Krankenhaus",
        "Anwendungsbetreuer KIS (m/w/d)",
        "Datenschutzkoordinator (m/w/d)",
    )
    parts = []
    for n, title in enumerate(titles):
        parts.append(
            replace(
                a,
                title=title,
                markup="jsonld",
                identifier=f"{a.identifier}-{n + 1}",
                tasks=tuple(rng.sample(bank.tasks_ord, 3)),
                slug=f"{a.slug}#{n + 1}",
            )
        )
    return parts


def page_shell(
    *, lang: str, title: str, head: str, body: str, charset: str = "utf-8", description: str = ""
) -> str:
    meta = f'<meta name="description" content="{esc(description)}">\n' if description else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="{charset}">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n{meta}<style>{_CSS}</style>\n{head}\n</head>\n<body>\n"
        f'<header><a href="/jobs/">{BOARD_NAME}</a> · <a href="/jobs/?page=1">Alle Jobs / '
        f"All jobs</a></header>\n<main>\n{body}\n</main>\n<footer><p>© 2026 {BOARD_NAME} · "
        f'<a href="/jobs/sitemap.xml">Sitemap</a> · <a href="/private/intranet.html">Intranet'
        f"</a></p></footer>\n</body>\n</html>\n"
    )


def render_advert(a: Advert, ctx: Context, *, seed: int) -> str:
    canonical = ctx.base_url + (a.canonical_path or a.path)
    head = f'<link rel="canonical" href="{esc(canonical)}">\n'
    if a.markup == "multi":
        parts = _multi_parts(a, seed)
        head += "\n".join(json_script(jobposting(p, ctx)) for p in parts)
        body = f"<h1>{esc(a.title)}</h1>\n" + "\n".join(
            _plain_article(p, ctx).replace("<h1>", "<h2>").replace("</h1>", "</h2>") for p in parts
        )
    elif a.markup == "microdata":
        body = _microdata_article(a, ctx)
    elif a.markup == "rdfa":
        body = _rdfa_article(a, ctx)
    else:
        head += _jsonld_blocks(a, ctx, canonical)
        body = _plain_article(a, ctx)
    og = (
        f'<meta property="og:title" content="{esc(a.title)}">\n'
        f'<meta property="og:type" content="website">\n'
        f'<meta property="og:url" content="{esc(canonical)}">'
    )
    return page_shell(
        lang=a.declared_lang or a.lang,
        title=f"{a.title} – {a.employer.name} | {BOARD_NAME}",
        head=og + "\n" + head,
        body=body,
        charset=a.charset,
        description=f"{a.title} bei {a.employer.name}, {a.employer.city}",
    )


# -- the board -----------------------------------------------------------------------------
class JobBoard:
    """Routes of ``/jobs/``; content is computed from the seed (and the index in scale mode)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.seed = ctx.seed
        self.scale = ctx.scale
        self.generated = ctx.scale if ctx.scale else NORMAL_GENERATED
        self.specials = {a.slug: a for a in special_adverts(ctx.seed)}
        head_count = min(self.generated, NORMAL_GENERATED)
        first = [advert(self.seed, i) for i in range(head_count)] + list(self.specials.values())
        first.sort(key=lambda a: (a.date_posted, a.slug), reverse=True)
        #: Listing entries as (href, slug) before the generated tail of scale mode.
        self.head: list[tuple[str, str]] = [(a.path, a.slug) for a in first]
        dup = next(a for a in first if a.markup == "jsonld-nested" and a.index is None)
        pos = self.head.index((dup.path, dup.slug))
        self.head.insert(pos + 3, (f"{dup.path}?{UTM_QUERY}", dup.slug))
        mirrored = next(
            (
                a
                for a in first
                if a.markup == "jsonld"
                and a.canonical_path is None
                and a.charset == "utf-8"
                and a.declared_lang is None
            ),
            first[0],
        )
        self.mirror_slug = mirrored.slug
        self.head.insert(
            len(self.head) // 2, (f"/jobs/partner/{mirrored.slug}.html", mirrored.slug)
        )
        self.page_size = PAGE_SIZE_SCALE if ctx.scale else PAGE_SIZE_NORMAL
        self.sitemap_chunk = SITEMAP_CHUNK_SCALE if ctx.scale else SITEMAP_CHUNK_NORMAL

    # listing arithmetic
    @property
    def entry_count(self) -> int:
        return len(self.head) + max(0, self.generated - NORMAL_GENERATED)

    @property
    def page_count(self) -> int:
        return max(1, -(-self.entry_count // self.page_size))

    def entry(self, position: int) -> tuple[str, Advert]:
        if position < len(self.head):
            href, slug = self.head[position]
            found = self.get(slug)
            assert found is not None
            return href, found
        a = advert(self.seed, NORMAL_GENERATED + position - len(self.head))
        return a.path, a

    def get(self, slug: str) -> Advert | None:
        if slug in self.specials:
            return self.specials[slug]
        index = index_from_slug(slug)
        if index is None or index >= self.generated:
            return None
        a = advert(self.seed, index)
        return a if a.slug == slug else None

    def advert_slugs(self) -> list[str]:
        """Every distinct advert slug (normal mode; in scale mode this is long)."""
        return [advert(self.seed, i).slug for i in range(self.generated)] + list(self.specials)

    # routes
    def handle(self, request: Request) -> Response | None:
        path = request.path
        if path in ("/jobs", "/jobs/"):
            return self.listing(request.int_arg("page", 1))
        if path == "/jobs/sitemap.xml":
            return self.sitemap_index()
        if path.startswith("/jobs/sitemap-adverts-") and path.endswith(".xml"):
            try:
                n = int(path.removeprefix("/jobs/sitemap-adverts-").removesuffix(".xml"))
            except ValueError:
                return not_found()
            return self.sitemap_adverts(n)
        if path == "/jobs/sitemap-pages.xml":
            return self.sitemap_pages()
        if path.startswith("/jobs/admin"):
            return html(
                page_shell(
                    lang="en",
                    title="Back office – login",
                    head="",
                    body="<h1>Back office</h1><form method=post><label>User "
                    "<input name=u></label><label>Password <input type=password "
                    "name=p></label><button>Log in</button></form>",
                )
            )
        if path.startswith("/jobs/apply/"):
            a = self.get(path.removeprefix("/jobs/apply/"))
            if a is None:
                return not_found()
            return html(
                page_shell(
                    lang=a.lang,
                    title=f"Apply: {a.title}",
                    head="",
                    body=f"<h1>{esc(a.title)}</h1><form method=post><input "
                    "type=file name=cv><button>Send</button></form>",
                )
            )
        if path.startswith("/jobs/partner/") and path.endswith(".html"):
            slug = path.removeprefix("/jobs/partner/").removesuffix(".html")
            if slug != self.mirror_slug:
                return not_found()
            return self.advert_page(slug)
        if path.startswith("/jobs/") and path.endswith(".html") and path.count("/") == 2:
            return self.advert_page(path.removeprefix("/jobs/").removesuffix(".html"))
        return None

    def advert_page(self, slug: str) -> Response:
        a = self.get(slug)
        if a is None:
            return not_found("No such advert")
        text = render_advert(a, self.ctx, seed=self.seed)
        return Response(
            body=text.encode(a.charset, errors="xmlcharrefreplace"),
            content_type=f"text/html; charset={a.charset}",
            last_modified=a.posted_at,
        )

    def listing(self, page: int) -> Response:
        if page < 1 or page > self.page_count:
            return not_found(f"No page {page}")
        start = (page - 1) * self.page_size
        stop = min(self.entry_count, start + self.page_size)
        cards = []
        for pos in range(start, stop):
            href, a = self.entry(pos)
            cards.append(
                f'<article class="job-card"><h2><a href="{esc(href)}">{esc(a.title)}</a></h2>'
                f'<p class="company">{esc(a.employer.name)}</p><p class="location">'
                f'{esc(_location_text(a))}</p><p><time datetime="{a.date_posted.isoformat()}">'
                f"{a.date_posted.strftime('%d.%m.%Y')}</time></p></article>"
            )
        head = ""
        nav = []
        if page > 1:
            prev = "/jobs/" if page == 2 else f"/jobs/?page={page - 1}"
            head += f'<link rel="prev" href="{prev}">\n'
            nav.append(
                f'<a rel="prev" href="{prev}">« {"Zurück" if page % 2 == 0 else "Previous"}</a>'
            )
        if page < self.page_count:
            head += f'<link rel="next" href="/jobs/?page={page + 1}">\n'
            label = "Weiter »" if page % 2 == 0 else "Next »"
            nav.append(f'<a rel="next" class="next" href="/jobs/?page={page + 1}">{label}</a>')
        admin = ""
        if page == 2:
            admin = (
                '<p class="staff"><a href="/jobs/admin/postings?status=draft">Manage '
                "postings (staff only)</a></p>"
            )
        body = (
            f"<h1>Jobs – page {page} of {self.page_count}</h1>\n"
            f'<p class="count">{self.entry_count} offers</p>\n'
            + "\n".join(cards)
            + f'\n<nav class="pagination">{" ".join(nav)}</nav>\n{admin}'
        )
        return html(
            page_shell(
                lang="en",
                title=f"Jobs (page {page}) | {BOARD_NAME}",
                head=head,
                body=body,
                description="Jobs across Europe.",
            )
        )

    # sitemaps
    def _sitemap_chunks(self) -> int:
        return max(1, -(-(self.generated + len(self.specials)) // self.sitemap_chunk))

    def _heads_slice(self, start: int, stop: int) -> list[tuple[str, date]]:
        """``(path, date_posted)`` of specials then generated adverts, positions start..stop."""
        specials = list(self.specials.values())
        out = []
        for pos in range(start, stop):
            if pos < len(specials):
                out.append((specials[pos].path, specials[pos].date_posted))
            else:
                slug, posted = advert_head(self.seed, pos - len(specials))
                out.append((f"/jobs/{slug}.html", posted))
        return out

    def sitemap_index(self) -> Response:
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        ]
        total = self.generated + len(self.specials)
        for n in range(1, self._sitemap_chunks() + 1):
            start = (n - 1) * self.sitemap_chunk
            # lastmod: the newest advert of the chunk (cheap: dates cycle, use the chunk head)
            sample = self._heads_slice(start, min(total, start + 20))
            lastmod = max(posted for _path, posted in sample).isoformat()
            lines.append(
                f"  <sitemap><loc>{self.ctx.base_url}/jobs/sitemap-adverts-{n}.xml</loc>"
                f"<lastmod>{lastmod}</lastmod></sitemap>"
            )
        lines.append(
            f"  <sitemap><loc>{self.ctx.base_url}/jobs/sitemap-pages.xml</loc>"
            f"<lastmod>{TODAY.isoformat()}</lastmod></sitemap>"
        )
        lines.append("</sitemapindex>")
        return Response(
            body=("\n".join(lines) + "\n").encode(),
            content_type="application/xml; charset=utf-8",
            last_modified=datetime(TODAY.year, TODAY.month, TODAY.day, tzinfo=UTC),
        )

    def sitemap_adverts(self, n: int) -> Response:
        if n < 1 or n > self._sitemap_chunks():
            return not_found()
        total = self.generated + len(self.specials)
        start = (n - 1) * self.sitemap_chunk
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        ]
        for path, posted in self._heads_slice(start, min(total, start + self.sitemap_chunk)):
            lines.append(
                f"  <url><loc>{self.ctx.base_url}{path}</loc><lastmod>"
                f"{posted.isoformat()}</lastmod><changefreq>weekly</changefreq>"
                "</url>"
            )
        lines.append("</urlset>")
        return Response(
            body=("\n".join(lines) + "\n").encode(), content_type="application/xml; charset=utf-8"
        )

    def sitemap_pages(self) -> Response:
        lines = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        ]
        shown = min(self.page_count, 1000)
        for page in range(1, shown + 1):
            loc = "/jobs/" if page == 1 else f"/jobs/?page={page}"
            lines.append(
                f"  <url><loc>{escape(self.ctx.base_url + loc)}</loc>"
                "<changefreq>daily</changefreq></url>"
            )
        lines.append("</urlset>")
        return Response(
            body=("\n".join(lines) + "\n").encode(), content_type="application/xml; charset=utf-8"
        )
