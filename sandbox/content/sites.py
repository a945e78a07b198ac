"""The organisation/project websites: one app per site, each on its own 127.0.0.1 port.

Every site has ``/`` (home), localised about, team, news (with one page per item), contact
and legal-notice pages (Impressum, mentions légales, aviso legal, ...), ``/robots.txt`` and
``/sitemap.xml``. Footers carry profile links (Mastodon, Bluesky, X/Twitter, Facebook,
LinkedIn, Instagram, YouTube, GitHub) and news pages carry share links that are not profiles
(twitter.com/intent/tweet, facebook.com/sharer/sharer.php, linkedin.com/shareArticle).

Edge cases (site key -> behaviour)::

    repair-map            content only after JavaScript runs: empty <div id="app"> plus an
                          inline JSON state rendered by an inline script (no network needed)
    hotel-alfama          spider trap: /eventos/?month=YYYY-MM links to the next month forever
    pixelwerk             redirect loop: /shop -> /shop/ -> /shop ... (301s)
    offene-stadt          links a PDF: /media/jahresbericht-2025.pdf
    datawijk              a ~3 MB page: /archief/alle-meldingen/
    brightline            the team and news pages answer 500
    baeckerei-sonnenkorn  served as windows-1252 (header and <meta charset>)
    kancelaria-nowak      served as ISO-8859-2
    loodgieter-devries    Dutch text with a wrong lang="en"
    clinica-sonrisa       broken JSON-LD (trailing comma)
    kahvila-kanelikorva, autoservis-horvat, ehitus-kivi, repair-map: no OpenGraph/description
    kansalaisfoorumi, kahvila-kanelikorva, autoservis-horvat: stale (news 2014-2016)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import quote

from sandbox.content.common import esc, json_script
from sandbox.content.site_specs import SITES, SITES_BY_KEY, SiteSpec
from sandbox.generator import slugify
from sandbox.http import Request, Response, not_found, redirect

__all__ = ["SITES", "SITES_BY_KEY", "SiteApp", "SiteSpec"]


@dataclass(frozen=True, slots=True)
class Nav:
    about: tuple[str, str]
    team: tuple[str, str]
    news: tuple[str, str]
    contact: tuple[str, str]
    legal: tuple[str, str]
    home: str
    partners: str
    follow: str
    projects: str
    more: str
    share: str
    rights: str


NAV: dict[str, Nav] = {
    "en": Nav(
        ("about", "About us"),
        ("team", "Team"),
        ("news", "News"),
        ("contact", "Contact"),
        ("legal", "Legal notice"),
        "Home",
        "Partners",
        "Follow us",
        "Projects",
        "Read more",
        "Share",
        "All rights reserved",
    ),
    "de": Nav(
        ("ueber-uns", "Über uns"),
        ("team", "Team"),
        ("aktuelles", "Aktuelles"),
        ("kontakt", "Kontakt"),
        ("impressum", "Impressum"),
        "Startseite",
        "Partner",
        "Folgen Sie uns",
        "Projekte",
        "Weiterlesen",
        "Teilen",
        "Alle Rechte vorbehalten",
    ),
    "fr": Nav(
        ("a-propos", "À propos"),
        ("equipe", "Équipe"),
        ("actualites", "Actualités"),
        ("contact", "Contact"),
        ("mentions-legales", "Mentions légales"),
        "Accueil",
        "Partenaires",
        "Suivez-nous",
        "Projets",
        "Lire la suite",
        "Partager",
        "Tous droits réservés",
    ),
    "es": Nav(
        ("quienes-somos", "Quiénes somos"),
        ("equipo", "Equipo"),
        ("noticias", "Noticias"),
        ("contacto", "Contacto"),
        ("aviso-legal", "Aviso legal"),
        "Inicio",
        "Socios",
        "Síguenos",
        "Proyectos",
        "Leer más",
        "Compartir",
        "Todos los derechos reservados",
    ),
    "it": Nav(
        ("chi-siamo", "Chi siamo"),
        ("team", "Il team"),
        ("notizie", "Notizie"),
        ("contatti", "Contatti"),
        ("note-legali", "Note legali"),
        "Home",
        "Partner",
        "Seguici",
        "Progetti",
        "Leggi tutto",
        "Condividi",
        "Tutti i diritti riservati",
    ),
    "nl": Nav(
        ("over-ons", "Over ons"),
        ("team", "Team"),
        ("nieuws", "Nieuws"),
        ("contact", "Contact"),
        ("colofon", "Colofon"),
        "Home",
        "Partners",
        "Volg ons",
        "Projecten",
        "Lees meer",
        "Delen",
        "Alle rechten voorbehouden",
    ),
    "pl": Nav(
        ("o-nas", "O nas"),
        ("zespol", "Zespół"),
        ("aktualnosci", "Aktualności"),
        ("kontakt", "Kontakt"),
        ("nota-prawna", "Nota prawna"),
        "Strona główna",
        "Partnerzy",
        "Obserwuj nas",
        "Specjalizacje",
        "Czytaj dalej",
        "Udostępnij",
        "Wszelkie prawa zastrzeżone",
    ),
    "pt": Nav(
        ("sobre-nos", "Sobre nós"),
        ("equipa", "Equipa"),
        ("noticias", "Notícias"),
        ("contactos", "Contactos"),
        ("informacao-legal", "Informação legal"),
        "Início",
        "Parceiros",
        "Siga-nos",
        "Serviços",
        "Ler mais",
        "Partilhar",
        "Todos os direitos reservados",
    ),
    "sv": Nav(
        ("om-oss", "Om oss"),
        ("medarbetare", "Medarbetare"),
        ("nyheter", "Nyheter"),
        ("kontakt", "Kontakt"),
        ("juridisk-information", "Juridisk information"),
        "Hem",
        "Partner",
        "Följ oss",
        "Projekt",
        "Läs mer",
        "Dela",
        "Alla rättigheter förbehållna",
    ),
    "fi": Nav(
        ("meista", "Meistä"),
        ("tiimi", "Tiimi"),
        ("uutiset", "Uutiset"),
        ("yhteystiedot", "Yhteystiedot"),
        ("tietosuoja", "Tietosuoja"),
        "Etusivu",
        "Kumppanit",
        "Seuraa meitä",
        "Toiminta",
        "Lue lisää",
        "Jaa",
        "Kaikki oikeudet pidätetään",
    ),
    "cs": Nav(
        ("o-nas", "O nás"),
        ("tym", "Tým"),
        ("aktuality", "Aktuality"),
        ("kontakt", "Kontakt"),
        ("pravni-informace", "Právní informace"),
        "Úvod",
        "Partneři",
        "Sledujte nás",
        "Projekty",
        "Číst dál",
        "Sdílet",
        "Všechna práva vyhrazena",
    ),
    "ro": Nav(
        ("despre-noi", "Despre noi"),
        ("echipa", "Echipa"),
        ("noutati", "Noutăți"),
        ("contact", "Contact"),
        ("informatii-legale", "Informații legale"),
        "Acasă",
        "Parteneri",
        "Urmăriți-ne",
        "Servicii",
        "Citește mai mult",
        "Distribuie",
        "Toate drepturile rezervate",
    ),
    "el": Nav(
        ("sxetika", "Σχετικά με εμάς"),
        ("omada", "Η ομάδα"),
        ("nea", "Νέα"),
        ("epikoinonia", "Επικοινωνία"),
        ("oroi", "Όροι χρήσης"),
        "Αρχική",
        "Συνεργάτες",
        "Ακολουθήστε μας",
        "Προϊόντα",
        "Διαβάστε περισσότερα",
        "Κοινοποίηση",
        "Με επιφύλαξη παντός δικαιώματος",
    ),
    "et": Nav(
        ("meist", "Meist"),
        ("meeskond", "Meeskond"),
        ("uudised", "Uudised"),
        ("kontakt", "Kontakt"),
        ("oiguslik-teave", "Õiguslik teave"),
        "Avaleht",
        "Partnerid",
        "Jälgi meid",
        "Tegevused",
        "Loe edasi",
        "Jaga",
        "Kõik õigused kaitstud",
    ),
    "hr": Nav(
        ("o-nama", "O nama"),
        ("tim", "Tim"),
        ("novosti", "Novosti"),
        ("kontakt", "Kontakt"),
        ("impresum", "Impresum"),
        "Početna",
        "Partneri",
        "Pratite nas",
        "Usluge",
        "Pročitaj više",
        "Podijeli",
        "Sva prava pridržana",
    ),
}

COUNTRY_LABEL = {
    "DE": "Deutschland",
    "NL": "Nederland",
    "FR": "France",
    "ES": "España",
    "IT": "Italia",
    "SE": "Sverige",
    "IE": "Ireland",
    "CZ": "Česká republika",
    "FI": "Suomi",
    "EE": "Eesti",
    "GB": "United Kingdom",
    "PL": "Polska",
    "PT": "Portugal",
    "GR": "Ελλάδα",
    "HR": "Hrvatska",
    "RO": "România",
    "CH": "Schweiz",
    "AT": "Österreich",
}
SOCIAL_LABEL = {
    "mastodon": "Mastodon",
    "twitter": "Twitter",
    "x": "X",
    "bluesky": "Bluesky",
    "facebook": "Facebook",
    "linkedin": "LinkedIn",
    "instagram": "Instagram",
    "youtube": "YouTube",
    "github": "GitHub",
}

_CSS = (
    "body{font-family:Georgia,serif;max-width:52rem;margin:0 auto;padding:1rem;color:#1d1d1d}"
    "nav a{margin-right:.8rem}footer{margin-top:3rem;border-top:1px solid #ccc;"
    "font-size:.85rem}.news time{color:#666}"
)

#: A minimal valid one-page PDF ("Jahresbericht 2025").
_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
    b"/Resources<</Font<</F1 5 0 R>>>>>>endobj\n"
    b"4 0 obj<</Length 58>>stream\nBT /F1 18 Tf 72 760 Td (Jahresbericht 2025 Offene Stadt) Tj"
    b" ET\nendstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _obfuscated(email: str) -> str:
    user, _, domain = email.partition("@")
    return f"{user} [at] {domain.replace('.', ' [dot] ')}"


class SiteApp:
    """Serves one website; pages are rendered once (with real URLs) and cached."""

    def __init__(self, spec: SiteSpec, site_urls: dict[str, str], *, portal_url: str) -> None:
        self.spec = spec
        self.site_urls = site_urls
        self.portal_url = portal_url
        self.url = site_urls[spec.key]
        self.nav = NAV[spec.lang]
        self._pages: dict[str, tuple[str, date | None]] = {}
        self._build()

    # -- helpers ----------------------------------------------------------------------------
    def _p(self, part: tuple[str, str]) -> str:
        return f"/{part[0]}/"

    def news_path(self, title: str) -> str:
        return f"/{self.nav.news[0]}/{slugify(title, 50)}/"

    @property
    def newest(self) -> date | None:
        return max((date.fromisoformat(n.date) for n in self.spec.news), default=None)

    def _header(self) -> str:
        s, n = self.spec, self.nav
        links = [
            ("/", n.home),
            (self._p(n.about), n.about[1]),
            (self._p(n.team), n.team[1]),
            (self._p(n.news), n.news[1]),
            (self._p(n.contact), n.contact[1]),
        ]
        if "redirect-loop" in s.specials:
            links.append(("/shop", "Shop"))
        if "trap" in s.specials:
            links.append(("/eventos/?month=2026-03", "Agenda"))
        items = "".join(f'<a href="{href}">{esc(label)}</a>' for href, label in links)
        return (
            f'<header><p class="brand"><a href="/">{esc(s.name)}</a></p><nav>{items}</nav></header>'
        )

    def _footer(self) -> str:
        s, n = self.spec, self.nav
        social = "".join(
            f'<li><a href="{esc(url)}" rel="me noopener">{SOCIAL_LABEL[k]}</a></li>'
            for k, url in s.social.items()
        )
        partners = "".join(
            f'<li><a href="{esc(self.site_urls[k])}">{esc(SITES_BY_KEY[k].name)}</a></li>'
            for k in s.links_to
            if k in self.site_urls
        )
        partners += "".join(
            f'<li><a href="{esc(u)}">{esc(u.split("/")[2])}</a></li>' for u in s.external
        )
        parts = []
        if social:
            parts.append(
                f'<section class="social"><h2>{esc(n.follow)}</h2><ul>{social}</ul></section>'
            )
        if partners:
            parts.append(
                f'<section class="partners"><h2>{esc(n.partners)}</h2><ul>{partners}</ul></section>'
            )
        years = f"{s.founded}–{s.last_year}" if s.founded < s.last_year else str(s.last_year)
        parts.append(
            f"<p>© {years} {esc(s.name)} · {esc(n.rights)} · "
            f'<a href="{self._p(n.legal)}">{esc(n.legal[1])}</a></p>'
        )
        return "<footer>" + "".join(parts) + "</footer>"

    def _jsonld(self) -> str:
        s = self.spec
        if s.jsonld is None:
            return ""
        data = {
            "@context": "https://schema.org",
            "@type": s.kind,
            "name": s.name,
            "url": self.url,
            "logo": self.url + "static/logo.png",
            "email": s.email,
            "telephone": s.phone,
            "foundingDate": str(s.founded),
            "address": {
                "@type": "PostalAddress",
                "streetAddress": s.street,
                "postalCode": s.postcode,
                "addressLocality": s.city,
                "addressCountry": s.country,
            },
            "sameAs": list(s.social.values()),
        }
        if s.jsonld == "broken":
            text = json.dumps(data, ensure_ascii=False, indent=2)
            text = text.replace('"foundingDate"', '"foundingDate": "2008",\n  "slogan"', 1)
            text = text[: text.rstrip().rfind("}")].rstrip() + ",\n}"
            return f'<script type="application/ld+json">\n{text}\n</script>'
        return json_script(data)

    def page(
        self, title: str, body: str, *, description: str | None = None, path: str = "/"
    ) -> str:
        s = self.spec
        head = [
            f'<meta charset="{s.charset}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{esc(title)}</title>",
        ]
        if s.meta:
            desc = description or s.tagline
            head += [
                f'<meta name="description" content="{esc(desc)}">',
                f'<meta property="og:title" content="{esc(title)}">',
                f'<meta property="og:description" content="{esc(desc)}">',
                f'<meta property="og:url" content="{esc(self.url.rstrip("/") + path)}">',
                f'<meta property="og:site_name" content="{esc(s.name)}">',
                '<meta property="og:type" content="website">',
            ]
        head.append(f'<link rel="canonical" href="{esc(self.url.rstrip("/") + path)}">')
        head.append(f"<style>{_CSS}</style>")
        if path == "/":
            head.append(self._jsonld())
        return (
            f'<!DOCTYPE html>\n<html lang="{s.declared_lang or s.lang}">\n<head>\n'
            + "\n".join(h for h in head if h)
            + f"\n</head>\n<body>\n{self._header()}\n"
            f"<main>\n{body}\n</main>\n{self._footer()}\n</body>\n</html>\n"
        )

    # -- pages ------------------------------------------------------------------------------
    def _build(self) -> None:
        s, n = self.spec, self.nav
        newest = self.newest
        news_items = sorted(s.news, key=lambda x: x.date, reverse=True)
        latest = "".join(
            f'<li class="news"><time datetime="{x.date}">{x.date}</time> '
            f'<a href="{self.news_path(x.title)}">{esc(x.title)}</a></li>'
            for x in news_items[:3]
        )
        projects = "".join(
            f"<li><strong>{esc(name)}</strong> – {esc(desc)}</li>" for name, desc in s.projects
        )
        extra = ""
        if "pdf" in s.specials:
            extra += (
                '<p><a href="/media/jahresbericht-2025.pdf">Jahresbericht 2025 (PDF, 1 MB)</a></p>'
            )
        if "huge" in s.specials:
            extra += '<p><a href="/archief/alle-meldingen/">Archief: alle meldingen</a></p>'
        if s.dsi:
            extra += f'<p><a href="{esc(self.portal_url)}/ckan/">Open data portal</a></p>'
        home = (
            f'<h1>{esc(s.name)}</h1>\n<p class="lead">{esc(s.tagline)}</p>\n'
            f"<p>{esc(s.about[0])}</p>\n<h2>{esc(n.projects)}</h2>\n<ul>{projects}</ul>\n"
            f"<h2>{esc(n.news[1])}</h2>\n<ul>{latest}</ul>\n{extra}"
        )
        self._pages["/"] = (self.page(f"{s.name} – {s.tagline}", home), newest)
        about = f"<h1>{esc(n.about[1])}</h1>\n" + "".join(f"<p>{esc(p)}</p>" for p in s.about)
        about += f"<p>{esc(n.projects)}: " + ", ".join(esc(p) for p, _ in s.projects) + "</p>"
        self._pages[self._p(n.about)] = (
            self.page(f"{n.about[1]} | {s.name}", about, path=self._p(n.about)),
            None,
        )
        team = (
            f"<h1>{esc(n.team[1])}</h1>\n<ul>"
            + "".join(
                f'<li><span class="name">{esc(name)}</span> – <span class="role">{esc(role)}</span>'
                "</li>"
                for name, role in s.team
            )
            + "</ul>"
        )
        self._pages[self._p(n.team)] = (
            self.page(f"{n.team[1]} | {s.name}", team, path=self._p(n.team)),
            None,
        )
        news = f"<h1>{esc(n.news[1])}</h1>\n" + "".join(
            f'<article class="news"><h2><a href="{self.news_path(x.title)}">{esc(x.title)}</a>'
            f'</h2><time datetime="{x.date}">{x.date}</time><p>{esc(x.text)}</p>'
            f'<a href="{self.news_path(x.title)}">{esc(n.more)}</a></article>'
            for x in news_items
        )
        self._pages[self._p(n.news)] = (
            self.page(f"{n.news[1]} | {s.name}", news, path=self._p(n.news)),
            newest,
        )
        for x in news_items:
            url = self.url.rstrip("/") + self.news_path(x.title)
            share = (
                f'<p class="share">{esc(n.share)}: '
                f'<a href="https://twitter.com/intent/tweet?url={quote(url, safe="")}&amp;'
                f'text={quote(x.title)}">Twitter</a> · '
                f'<a href="https://www.facebook.com/sharer/sharer.php?u={quote(url, safe="")}">'
                "Facebook</a> · "
                f'<a href="https://www.linkedin.com/shareArticle?mini=true&amp;url='
                f'{quote(url, safe="")}">LinkedIn</a></p>'
            )
            body = (
                f'<article class="news"><h1>{esc(x.title)}</h1><time datetime="{x.date}">'
                f"{x.date}</time><p>{esc(x.text)}</p>{share}</article>"
            )
            self._pages[self.news_path(x.title)] = (
                self.page(
                    f"{x.title} | {s.name}", body, description=x.text, path=self.news_path(x.title)
                ),
                date.fromisoformat(x.date),
            )
        email = (
            _obfuscated(s.email)
            if s.obfuscate_email
            else (f'<a href="mailto:{s.email}">{s.email}</a>')
        )
        address = (
            f"<address><strong>{esc(s.name)}</strong><br>{esc(s.street)}<br>"
            f"{esc(s.postcode)} {esc(s.city)}<br>{esc(COUNTRY_LABEL.get(s.country, s.country))}"
            f"</address>"
        )
        contact = (
            f"<h1>{esc(n.contact[1])}</h1>\n{address}\n<p>Tel. {esc(s.phone)}</p>\n"
            f"<p>E-mail: {email}</p>"
        )
        self._pages[self._p(n.contact)] = (
            self.page(f"{n.contact[1]} | {s.name}", contact, path=self._p(n.contact)),
            None,
        )
        legal = (
            f"<h1>{esc(n.legal[1])}</h1>\n{address}\n<p>{esc(s.team[0][0])} "
            f"({esc(s.team[0][1])})</p>\n<p>E-mail: {email}</p>"
        )
        self._pages[self._p(n.legal)] = (
            self.page(f"{n.legal[1]} | {s.name}", legal, path=self._p(n.legal)),
            None,
        )

    def robots(self) -> str:
        return (
            f"User-agent: *\nDisallow: /admin/\nDisallow: /wp-admin/\n\n"
            f"Sitemap: {self.url}sitemap.xml\n"
        )

    def sitemap(self) -> str:
        rows = []
        for path, (_html, modified) in self._pages.items():
            lastmod = f"<lastmod>{modified.isoformat()}</lastmod>" if modified else ""
            rows.append(f"  <url><loc>{esc(self.url.rstrip('/') + path)}</loc>{lastmod}</url>")
        return (
            '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/'
            'schemas/sitemap/0.9">\n' + "\n".join(rows) + "\n</urlset>\n"
        )

    # -- special pages ----------------------------------------------------------------------
    def _js_shell(self, path: str, html_text: str) -> str:
        """The same page as an empty app root plus inline state and renderer."""
        import re

        main = html_text.split("<main>", 1)[1].split("</main>", 1)[0]
        footer = html_text.split("<footer>", 1)[1].split("</footer>", 1)[0]
        header = html_text.split("<header>", 1)[1].split("</header>", 1)[0]
        state = {
            "path": path,
            "header": header,
            "main": main,
            "footer": footer,
            "title": re.sub(
                r"<[^>]+>", "", html_text.split("<title>", 1)[1].split("</title>", 1)[0]
            ),
        }
        blob = json.dumps(state, ensure_ascii=False).replace("</", "<\\/")
        return (
            f'<!DOCTYPE html>\n<html lang="{self.spec.lang}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>Repair Map</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
            '<div id="app"></div>\n<noscript>Please enable JavaScript to use Repair Map.'
            "</noscript>\n"
            f'<script id="__STATE__" type="application/json">{blob}</script>\n'
            "<script>\n(function () {\n"
            "  var state = JSON.parse(document.getElementById('__STATE__').textContent);\n"
            "  var app = document.getElementById('app');\n"
            "  document.title = state.title;\n"
            "  var header = document.createElement('header');\n"
            "  header.innerHTML = state.header;\n"
            "  var main = document.createElement('main');\n"
            "  main.innerHTML = state.main;\n"
            "  var footer = document.createElement('footer');\n"
            "  footer.innerHTML = state.footer;\n"
            "  app.appendChild(header); app.appendChild(main); app.appendChild(footer);\n"
            "  app.setAttribute('data-rendered', 'true');\n"
            "})();\n</script>\n</body>\n</html>\n"
        )

    def _calendar(self, request: Request) -> Response:
        month = request.arg("month") or "2026-03"
        try:
            year, mon = (int(x) for x in month.split("-", 1))
            if not 1 <= mon <= 12:
                raise ValueError(month)
        except ValueError:
            return redirect("/eventos/?month=2026-03")
        nxt = f"{year + (mon == 12)}-{mon % 12 + 1:02d}"
        prev = f"{year - (mon == 1)}-{(mon - 2) % 12 + 1:02d}"
        events = (
            "<li>Noite de fado – sexta-feira, 21:00</li>"
            if year == 2026 and mon <= 6
            else "<li>Sem eventos</li>"
        )
        body = (
            f"<h1>Agenda {month}</h1><ul>{events}</ul>"
            f'<p><a href="/eventos/?month={prev}">« Mês anterior</a> · '
            f'<a href="/eventos/?month={nxt}">Mês seguinte »</a></p>'
        )
        return self._html(
            self.page(f"Agenda {month} | {self.spec.name}", body, path=f"/eventos/?month={month}")
        )

    def _huge(self) -> str:
        rows = []
        for i in range(17_000):
            rows.append(
                f"<tr><td>{i + 1}</td><td>2015-{i % 12 + 1:02d}-{i % 28 + 1:02d}</td>"
                f"<td>Melding {i + 1}: losliggende stoeptegel bij portiek {i % 90 + 2}, "
                f"Rotterdam-Zuid, doorgegeven door een bewoner via de buurtapp</td>"
                f"<td>{'afgehandeld' if i % 3 else 'open'}</td></tr>"
            )
        body = (
            "<h1>Archief: alle meldingen</h1><table><thead><tr><th>#</th><th>Datum</th>"
            "<th>Melding</th><th>Status</th></tr></thead><tbody>"
            + "".join(rows)
            + "</tbody></table>"
        )
        return self.page(f"Archief | {self.spec.name}", body, path="/archief/alle-meldingen/")

    def _html(self, text: str, status: int = 200, modified: date | None = None) -> Response:
        charset = self.spec.charset
        last = (
            datetime(modified.year, modified.month, modified.day, 7, 0, tzinfo=UTC)
            if modified
            else None
        )
        return Response(
            status=status,
            body=text.encode(charset, errors="xmlcharrefreplace"),
            content_type=f"text/html; charset={charset}",
            last_modified=last,
        )

    # -- routing ----------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        s, path = self.spec, request.path
        if path == "/robots.txt":
            return Response(body=self.robots().encode(), content_type="text/plain; charset=utf-8")
        if path == "/sitemap.xml":
            return Response(
                body=self.sitemap().encode(), content_type="application/xml; charset=utf-8"
            )
        if path == "/favicon.ico":
            return Response(status=204, body=b"", content_type="image/x-icon")
        if "redirect-loop" in s.specials and path in ("/shop", "/shop/"):
            return redirect("/shop/" if path == "/shop" else "/shop", status=301)
        if "trap" in s.specials and path == "/eventos/":
            return self._calendar(request)
        if "pdf" in s.specials and path == "/media/jahresbericht-2025.pdf":
            return Response(
                body=_PDF,
                content_type="application/pdf",
                last_modified=datetime(2025, 12, 3, tzinfo=UTC),
            )
        if "huge" in s.specials and path == "/archief/alle-meldingen/":
            if "/archief/alle-meldingen/" not in self._pages:
                self._pages["/archief/alle-meldingen/"] = (self._huge(), None)
            return self._html(self._pages["/archief/alle-meldingen/"][0])
        if "errors" in s.specials and path in (self._p(self.nav.team), self._p(self.nav.news)):
            return Response(
                status=500,
                body=b"<html><body><h1>500 Internal Server Error</h1>"
                b"<p>PHP Fatal error: Allowed memory size exhausted</p></body></html>",
                content_type="text/html; charset=utf-8",
            )
        if path != "/" and not path.endswith("/") and path + "/" in self._pages:
            return redirect(path + "/", status=301)
        found = self._pages.get(path)
        if found is None:
            return not_found()
        text, modified = found
        if "js-app" in s.specials:
            text = self._js_shell(path, text)
        return self._html(text, modified=modified)
