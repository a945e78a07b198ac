"""The main portal (``sb.base_url``): job board, ATS feeds, CKAN, DCAT, Socrata,
OpenDataSoft, uData and ArcGIS Hub.

URL layout (``B`` = ``http://127.0.0.1:PORT``)::

    B/                          HTML index linking every section
    B/robots.txt                disallows /jobs/admin/, /jobs/apply/, /private/; Sitemap lines
    B/private/...               "intranet" pages (disallowed; linked from every board footer)
    B/jobs/...                  job board, see sandbox.content.jobs
    B/ats/greenhouse/v1/boards/<board>/jobs[?content=true]     boards: civicpulse, nordbank
    B/ats/greenhouse/v1/boards/<board>/jobs/<id>
    B/ats/lever/v0/postings/<company>?mode=json[&skip=&limit=] companies: kiezkompass, meridian
    B/ats/lever/v0/postings/<company>/<id>
    B/ats/workable/api/accounts/<account>?details=true          accounts: azimut, opencare
    B/ats/recruitee/api/offers/  and  /ats/recruitee/api/offers/<slug>  (company: datawijk)
    B/ats/personio/xml[?language=de]                            (company: Pixelwerk Digital)
    B/ckan/..., B/ckan-broken/..., B/ckan-drifting/..., B/ckan-flaky/...  see content.ckan
    B/dcat/catalog.ttl[?page=N], B/dcat/catalog.rdf, B/dcat/catalog.jsonld, B/dcat/broken.ttl
    B/socrata/api/catalog/v1?limit=&offset=&domains=&q=&only=   and /socrata/d/<id>
    B/ods/api/explore/v2.1/...     OpenDataSoft Explore API, see content.opendatasoft
    B/udata/api/1/...              uData API, see content.udata
    B/arcgis/api/search/v1/..., B/arcgis/data.json   ArcGIS Hub, see content.arcgis
"""

from __future__ import annotations

from datetime import UTC, datetime

from sandbox.content.arcgis import ArcgisApp
from sandbox.content.ats import AtsApp
from sandbox.content.ckan import CkanApp, CkanCatalogue
from sandbox.content.common import Context, esc
from sandbox.content.dcat import DcatApp
from sandbox.content.jobs import JobBoard
from sandbox.content.opendatasoft import OpendatasoftApp
from sandbox.content.socrata import SocrataApp
from sandbox.content.udata import UdataApp
from sandbox.http import Request, Response, html, not_found, text

ROBOTS = """# Sandbox portal
User-agent: *
Disallow: /jobs/admin/
Disallow: /jobs/apply/
Disallow: /private/
Allow: /

User-agent: GPTBot
Disallow: /

Sitemap: {base}/jobs/sitemap.xml
"""


class PortalApp:
    """Dispatches the portal's paths to the section apps."""

    def __init__(
        self, base_url: str, site_urls: dict[str, str], *, seed: int, scale: int = 0
    ) -> None:
        self.ctx = Context(base_url=base_url, site_urls=dict(site_urls), seed=seed, scale=scale)
        self.jobs = JobBoard(self.ctx)
        self.ckan_app = CkanApp(self.ctx)
        self.ats = AtsApp(self.ctx)
        self.dcat = DcatApp(self.ctx)
        self.socrata = SocrataApp(self.ctx)
        self.ods = OpendatasoftApp(self.ctx)
        self.udata = UdataApp(self.ctx)
        self.arcgis = ArcgisApp(self.ctx)

    @property
    def ckan(self) -> CkanCatalogue:
        return self.ckan_app.catalogue

    def handle(self, request: Request) -> Response:
        path = request.path
        if path == "/":
            return self.index()
        if path == "/robots.txt":
            return text(
                ROBOTS.format(base=self.ctx.base_url),
                last_modified=datetime(2026, 1, 5, tzinfo=UTC),
            )
        if path.startswith("/private"):
            return html(
                '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>'
                "Intranet</title></head><body><h1>Intranet</h1><p>Staff only.</p>"
                "</body></html>"
            )
        if path == "/favicon.ico":
            return Response(status=204, body=b"", content_type="image/x-icon")
        sections = (
            self.jobs,
            self.ats,
            self.ckan_app,
            self.dcat,
            self.socrata,
            self.ods,
            self.udata,
            self.arcgis,
        )
        for section in sections:
            response = section.handle(request)
            if response is not None:
                return response
        return not_found()

    def index(self) -> Response:
        links = [
            ("/jobs/", "Job board (Workbridge Europe)"),
            ("/ckan/", "Open data portal (CKAN)"),
            ("/dcat/catalog.ttl", "DCAT-AP catalogue (Turtle)"),
            ("/socrata/api/catalog/v1", "Socrata discovery API"),
            ("/ods/api/explore/v2.1/catalog/datasets", "OpenDataSoft Explore API"),
            ("/udata/api/1/datasets/", "uData API"),
            ("/arcgis/api/search/v1/collections/dataset/items", "ArcGIS Hub search API"),
            ("/ats/greenhouse/v1/boards/civicpulse/jobs?content=true", "Greenhouse feed"),
            ("/ats/lever/v0/postings/kiezkompass?mode=json", "Lever feed"),
            ("/ats/workable/api/accounts/opencare?details=true", "Workable feed"),
            ("/ats/recruitee/api/offers/", "Recruitee feed"),
            ("/ats/personio/xml", "Personio feed"),
        ]
        items = "".join(f'<li><a href="{esc(href)}">{esc(label)}</a></li>' for href, label in links)
        sites = "".join(
            f'<li><a href="{esc(url)}">{esc(key)}</a></li>'
            for key, url in self.ctx.site_urls.items()
        )
        return html(
            f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sandbox '
            f"web</title></head><body><h1>Sandbox web</h1><ul>{items}</ul><h2>Websites"
            f"</h2><ul>{sites}</ul></body></html>"
        )
