"""Imported by the parsing workers' fork server (:data:`crawler.parse_pool.PRELOAD`).

Reading the first page in a fresh process builds what every later page needs: the city
gazetteer (about 2 s of CPU), langdetect's language profiles, the lazily imported extractors.
Importing this module does that once in the fork server, before any worker is forked, so
each worker starts warm (sharing those pages copy-on-write) and a crawl pays for it once
rather than once per worker. Reading these two small pages is all it does; nothing is kept
but the module-level caches the readers fill themselves.

It lives outside ``spiders`` on purpose: Scrapy's spider loader imports every module of that
package in the crawl's own process, which must not pay for this.
"""

from __future__ import annotations

import gc
import logging

from spiders.parsers.job_page import read_job_page
from spiders.parsers.page_facts import extract_page

_ADVERT = """<!doctype html><html lang="de"><head><title>Entwickler:in</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@type": "JobPosting",
"title": "Entwickler:in für offene Daten", "hiringOrganization": {"name": "Stadtwerk e.V."},
"jobLocation": {"address": {"addressLocality": "Leipzig", "addressCountry": "DE"}},
"datePosted": "2026-01-05", "description": "<p>Wir suchen eine Entwicklerin oder einen
Entwickler für unser offenes Bürgerbeteiligungsportal. Vollzeit, unbefristet.</p>"}</script>
</head><body><main itemscope itemtype="https://schema.org/JobPosting"><h1 itemprop="title">
Entwickler:in</h1><p>Ort: Leipzig</p></main><a href="/jobs/?page=2">Weiter</a></body></html>"""

_HOME = """<!doctype html><html lang="en"><head><title>Open Streets Collective</title>
<meta name="description" content="Open-source tools for residents and councils."></head>
<body><main><h1>Open Streets Collective</h1><p>We build open-source tools that help residents
and councils in Bristol map and repair their streets together.</p>
<a href="https://twitter.com/openstreets">Twitter</a></main></body></html>"""


def warm() -> None:
    """Read one advert and one home page (what fills the readers' caches), then move every
    object made so far out of the garbage collector's reach (``gc.freeze``): a worker's
    collections then never touch them, so their pages stay shared with the fork server
    instead of being copied into every worker."""
    read_job_page(_ADVERT, "http://warm.invalid/jobs/1", job_hint=True, source="warm", now=None)
    extract_page(_HOME, "http://warm.invalid/", kind="home", want_text=True)
    gc.collect()
    gc.freeze()


try:
    warm()
except Exception:  # a warm-up that fails leaves cold workers, never a dead fork server
    logging.getLogger(__name__).warning("parsing workers' warm-up failed", exc_info=True)
