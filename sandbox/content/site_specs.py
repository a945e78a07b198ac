"""The ~30 invented organisation/project websites: who they are and what their pages say.

Content is hand-written per site in the site's language; :mod:`sandbox.content.sites` renders
it. ``links_to`` names other sites by key (rendered with their real run-time URLs).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class News:
    date: str  # ISO date
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class SiteSpec:
    key: str
    name: str
    lang: str
    dsi: bool
    kind: str  # schema.org type for the Organization JSON-LD
    city: str
    country: str  # ISO alpha-2
    street: str
    postcode: str
    domain: str
    tagline: str
    about: tuple[str, ...]
    team: tuple[tuple[str, str], ...]
    news: tuple[News, ...]
    projects: tuple[tuple[str, str], ...]
    founded: int
    last_year: int  # copyright year in the footer
    social: dict[str, str] = field(default_factory=dict)  # platform -> profile URL
    links_to: tuple[str, ...] = ()
    external: tuple[str, ...] = ()
    jsonld: str | None = "org"  # "org" | "broken" | None
    meta: bool = True  # OpenGraph + meta description
    declared_lang: str | None = None
    charset: str = "utf-8"
    obfuscate_email: bool = False
    phone: str = ""
    specials: frozenset[str] = frozenset()

    @property
    def email(self) -> str:
        return f"info@{self.domain}"


def _n(date: str, title: str, text: str) -> News:
    return News(date, title, text)


def _social(handle: str, *platforms: str) -> dict[str, str]:
    urls = {
        "mastodon": f"https://mastodon.social/@{handle}",
        "twitter": f"https://twitter.com/{handle}",
        "x": f"https://x.com/{handle}",
        "bluesky": f"https://bsky.app/profile/{handle}.bsky.social",
        "facebook": f"https://www.facebook.com/{handle}",
        "linkedin": f"https://www.linkedin.com/company/{handle}",
        "instagram": f"https://www.instagram.com/{handle}/",
        "youtube": f"https://www.youtube.com/@{handle}",
        "github": f"https://github.com/{handle}",
    }
    return {p: urls[p] for p in platforms}


DSI_NET = (
    "offene-stadt",
    "datawijk",
    "citoyens-numeriques",
    "presupuesto-vivo",
    "aria-pulita",
    "valkommen-appen",
    "opencare",
    "otevrene-brno",
)

SITES: tuple[SiteSpec, ...] = (
    # ---------------------------------------------------------------- DSI organisations
    SiteSpec(
        key="offene-stadt",
        name="Offene Stadt e.V.",
        lang="de",
        dsi=True,
        kind="NGO",
        city="Berlin",
        country="DE",
        street="Wrangelstraße 41",
        postcode="10997",
        domain="offene-stadt.example",
        tagline="Freie Software und offene Daten für eine Stadt, die allen gehört.",
        about=(
            "Offene Stadt e.V. ist ein gemeinnütziger Verein aus Berlin-Kreuzberg. Seit 2014 "
            "entwickeln Ehrenamtliche und ein kleines Team Werkzeuge, mit denen Bürgerinnen "
            "und Bürger Verwaltungshandeln nachvollziehen und mitgestalten können.",
            "Unsere Projekte sind Open Source. Wir beraten Kommunen bei der Veröffentlichung "
            "offener Daten und organisieren monatliche Civic-Tech-Abende.",
        ),
        team=(
            ("Jana Albers", "Vorstand"),
            ("Murat Yıldız", "Softwareentwicklung"),
            ("Lena Vogt", "Community und Veranstaltungen"),
        ),
        news=(
            _n(
                "2026-02-18",
                "Mängelmelder jetzt in fünf Bezirken",
                "Unser Mängelmelder wird ab März auch in Pankow und Neukölln eingesetzt.",
            ),
            _n(
                "2025-12-03",
                "Jahresbericht 2025 veröffentlicht",
                "Wir haben 41 Workshops organisiert und drei neue Datensätze befreit.",
            ),
            _n(
                "2025-09-14",
                "Civic-Tech-Abend zu Haushaltsdaten",
                "Wie liest man einen Doppelhaushalt? Wir haben es gemeinsam ausprobiert.",
            ),
        ),
        projects=(
            (
                "Mängelmelder",
                "Meldungen zu Schlaglöchern, kaputten Laternen und Müll direkt an das Bezirksamt.",
            ),
            (
                "Ratsinfo offen",
                "Beschlüsse und Anträge der Bezirksverordneten durchsuchbar und als offene Daten.",
            ),
        ),
        founded=2014,
        last_year=2026,
        social=_social("offenestadt", "mastodon", "bluesky", "github", "youtube"),
        links_to=("datawijk", "otevrene-brno", "kansalaisfoorumi", "repair-map"),
        external=("https://www.civic-tech-netzwerk.example/", "https://codefor.example.de/berlin"),
        phone="+49 30 5557 2140",
        specials=frozenset({"pdf"}),
    ),
    SiteSpec(
        key="datawijk",
        name="Stichting Datawijk",
        lang="nl",
        dsi=True,
        kind="NGO",
        city="Rotterdam",
        country="NL",
        street="Witte de Withstraat 18",
        postcode="3012 BK",
        domain="datawijk.example",
        tagline="Open data voor betere buurten, samen met bewoners.",
        about=(
            "Stichting Datawijk helpt bewoners, buurtcentra en gemeenten om met open data "
            "vragen over hun eigen wijk te beantwoorden: waar is te weinig groen, waar staan "
            "woningen leeg, waar is het 's nachts te donker?",
            "We geven trainingen, bouwen eenvoudige dashboards en publiceren alles onder een "
            "open licentie.",
        ),
        team=(
            ("Sanne de Groot", "Directeur"),
            ("Youssef El Amrani", "Data-analist"),
            ("Pieter Bakker", "Trainer"),
        ),
        news=(
            _n(
                "2026-01-27",
                "Buurtmonitor Zuid vernieuwd",
                "De buurtmonitor toont nu ook cijfers over hittestress per straat.",
            ),
            _n(
                "2025-11-10",
                "Training open data voor buurtcentra",
                "Twaalf buurtcentra volgden onze basistraining.",
            ),
            _n(
                "2025-06-02",
                "Samenwerking met Offene Stadt",
                "We wisselen code en ervaringen uit met onze collega's in Berlijn.",
            ),
        ),
        projects=(
            ("Buurtmonitor", "Een dashboard met buurtcijfers dat bewoners zelf kunnen aanvullen."),
            ("Donkere plekken", "Bewoners brengen slecht verlichte plekken in kaart."),
        ),
        founded=2016,
        last_year=2026,
        social=_social("datawijk", "mastodon", "linkedin", "instagram", "github"),
        links_to=("offene-stadt", "citoyens-numeriques", "aria-pulita"),
        external=("https://www.opendata-nederland.example/",),
        phone="+31 10 555 0182",
        specials=frozenset({"huge"}),
    ),
    SiteSpec(
        key="citoyens-numeriques",
        name="Citoyens Numériques",
        lang="fr",
        dsi=True,
        kind="NGO",
        city="Lyon",
        country="FR",
        street="12 rue de Marseille",
        postcode="69007",
        domain="citoyens-numeriques.example",
        tagline="Personne ne doit rester au bord de la route numérique.",
        about=(
            "Citoyens Numériques est une association loi 1901 qui accompagne les personnes "
            "éloignées du numérique : démarches administratives en ligne, prise en main d'un "
            "smartphone, sécurité sur internet.",
            "Nos médiateurs numériques tiennent des permanences gratuites dans six centres "
            "sociaux de la métropole et forment les bénévoles qui prennent le relais.",
        ),
        team=(
            ("Camille Roux", "Coordinatrice"),
            ("Karim Benali", "Médiateur numérique"),
            ("Élodie Marchand", "Responsable des bénévoles"),
        ),
        news=(
            _n(
                "2026-02-25",
                "Nouvelle permanence à Vaulx-en-Velin",
                "Dès le 3 mars, une permanence chaque mardi matin.",
            ),
            _n(
                "2025-10-08",
                "Capteurs citoyens : bilan de l'automne",
                "Soixante habitants ont monté leur propre capteur de qualité de l'air.",
            ),
            _n(
                "2025-05-20",
                "Appel à bénévoles",
                "Nous cherchons des bénévoles pour les ateliers smartphone du samedi.",
            ),
        ),
        projects=(
            ("Permanences numériques", "Aide gratuite pour les démarches en ligne."),
            ("Capteurs citoyens", "Ateliers de fabrication de capteurs de qualité de l'air."),
        ),
        founded=2017,
        last_year=2026,
        social=_social("citoyensnumeriques", "mastodon", "facebook", "linkedin", "youtube"),
        links_to=("presupuesto-vivo", "datawijk", "aria-pulita"),
        phone="+33 4 55 50 21 90",
        obfuscate_email=True,
    ),
    SiteSpec(
        key="presupuesto-vivo",
        name="Asociación Presupuesto Vivo",
        lang="es",
        dsi=True,
        kind="NGO",
        city="València",
        country="ES",
        street="Carrer de Cavallers 22",
        postcode="46001",
        domain="presupuestovivo.example",
        tagline="Tu barrio, tu presupuesto: decide en qué se invierte.",
        about=(
            "Presupuesto Vivo es una asociación sin ánimo de lucro que desarrolla software "
            "libre para presupuestos participativos. Más de 20 municipios usan nuestra "
            "plataforma para recoger y votar propuestas vecinales.",
            "Trabajamos con asociaciones de vecinos para que votar sea fácil también sin "
            "internet: puntos de votación en bibliotecas y mercados.",
        ),
        team=(
            ("Lucía Ferrer", "Presidenta"),
            ("Andrés Molina", "Desarrollo"),
            ("Marta Soler", "Participación"),
        ),
        news=(
            _n(
                "2026-02-10",
                "Abierta la votación 2026 en tres barrios",
                "Ya se pueden votar las 84 propuestas presentadas.",
            ),
            _n(
                "2025-11-22",
                "Publicamos la versión 3.0 de la plataforma",
                "Más accesible y con votación por SMS.",
            ),
            _n(
                "2025-04-02",
                "Encuentro estatal de participación",
                "Compartimos experiencias con otras ciudades.",
            ),
        ),
        projects=(
            ("Presupuesto abierto", "Plataforma libre de presupuestos participativos."),
            ("Mapa de propuestas", "Las propuestas vecinales en un mapa."),
        ),
        founded=2015,
        last_year=2026,
        social=_social("presupuestovivo", "x", "instagram", "github", "facebook"),
        links_to=("citoyens-numeriques", "offene-stadt"),
        phone="+34 963 55 01 44",
    ),
    SiteSpec(
        key="aria-pulita",
        name="Laboratorio Aria Pulita APS",
        lang="it",
        dsi=True,
        kind="NGO",
        city="Torino",
        country="IT",
        street="Via Po 33",
        postcode="10124",
        domain="ariapulita.example",
        tagline="Misuriamo insieme l'aria che respiriamo.",
        about=(
            "Il Laboratorio Aria Pulita è un'associazione di promozione sociale che coinvolge "
            "scuole, famiglie e ricercatori in un progetto di scienza partecipata sulla "
            "qualità dell'aria.",
            "I sensori a basso costo costruiti nei nostri laboratori inviano dati aperti, "
            "consultabili da tutti e usati anche dalle università.",
        ),
        team=(
            ("Giulia Romano", "Presidente"),
            ("Davide Conti", "Responsabile tecnico"),
            ("Sara Esposito", "Educazione ambientale"),
        ),
        news=(
            _n(
                "2026-01-15",
                "Cento sensori attivi in città",
                "Con le nuove scuole aderenti la rete supera i cento sensori.",
            ),
            _n(
                "2025-10-30",
                "Dati aperti sul portale regionale",
                "Le nostre misure sono ora pubblicate anche come open data.",
            ),
            _n(
                "2025-03-12",
                "Corso per docenti",
                "Un corso gratuito per portare la citizen science in classe.",
            ),
        ),
        projects=(
            ("Aria nelle scuole", "Sensori costruiti dagli studenti nei cortili delle scuole."),
            ("Mappa del respiro", "Mappa in tempo reale delle polveri sottili."),
        ),
        founded=2018,
        last_year=2026,
        social=_social("ariapulitalab", "instagram", "facebook", "youtube", "github"),
        links_to=("datawijk", "tartu-loomelabor"),
        phone="+39 011 555 3370",
    ),
    SiteSpec(
        key="valkommen-appen",
        name="Välkommen-appen ideell förening",
        lang="sv",
        dsi=True,
        kind="NGO",
        city="Malmö",
        country="SE",
        street="Davidshallsgatan 9",
        postcode="211 22",
        domain="valkommenappen.example",
        tagline="Hitta rätt i ditt nya land – på ditt eget språk.",
        about=(
            "Välkommen-appen är en ideell förening som driver en gratis app för nyanlända. "
            "Appen samlar information om vård, skola, bostad och språkkaféer på tolv språk.",
            "Innehållet skrivs tillsammans med personer som själva har kommit till Sverige "
            "de senaste åren.",
        ),
        team=(
            ("Amina Hassan", "Verksamhetsledare"),
            ("Johan Lindqvist", "Utvecklare"),
            ("Farid Rahimi", "Redaktör"),
        ),
        news=(
            _n(
                "2026-02-02",
                "Nu finns appen på ukrainska",
                "Vi har lagt till ukrainska som tolfte språk.",
            ),
            _n(
                "2025-09-18",
                "Välkommen-kartan lanserad",
                "En karta över rådgivning och språkkaféer i Skåne.",
            ),
        ),
        projects=(
            ("Välkommen-appen", "Information för nyanlända på tolv språk."),
            ("Välkommen-kartan", "Karta över stöd och mötesplatser."),
        ),
        founded=2016,
        last_year=2026,
        social=_social("valkommenappen", "facebook", "instagram", "linkedin"),
        links_to=("opencare", "offene-stadt"),
        phone="+46 40 555 12 30",
    ),
    SiteSpec(
        key="opencare",
        name="OpenCare Collective",
        lang="en",
        dsi=True,
        kind="NGO",
        city="Dublin",
        country="IE",
        street="14 Thomas Street",
        postcode="D08 K7P2",
        domain="opencare-collective.example",
        tagline="Open-source tools for community health workers.",
        about=(
            "OpenCare Collective is a company limited by guarantee and a registered charity. "
            "We build free, open-source software that helps community health workers and "
            "small clinics keep records, schedule home visits and share anonymised data.",
            "Our tools work offline and on low-cost phones, and every line of code is "
            "published so that health services elsewhere can adapt it.",
        ),
        team=(
            ("Aoife Byrne", "Executive Director"),
            ("Tomasz Nowicki", "Lead Developer"),
            ("Grace Okafor", "Clinical Lead"),
        ),
        news=(
            _n(
                "2026-02-21",
                "Release 4.2: offline sync for home visits",
                "Visits recorded without signal now sync safely when a phone reconnects.",
            ),
            _n(
                "2025-12-12",
                "Partnership with two regional health centres",
                "Two health centres in the West will pilot our visit planner.",
            ),
            _n(
                "2025-07-01",
                "We are hiring a product designer",
                "Join us to make our tools easier for nurses and carers.",
            ),
        ),
        projects=(
            ("CareVisit", "Plan and record home visits, even offline."),
            ("OpenRegister", "A simple patient register for small community clinics."),
        ),
        founded=2019,
        last_year=2026,
        social=_social("opencarecollective", "mastodon", "bluesky", "linkedin", "github"),
        links_to=("valkommen-appen", "repair-map", "otevrene-brno"),
        external=("https://www.digital-health-commons.example/",),
        phone="+353 1 555 0199",
    ),
    SiteSpec(
        key="otevrene-brno",
        name="Otevřené Brno, z. s.",
        lang="cs",
        dsi=True,
        kind="NGO",
        city="Brno",
        country="CZ",
        street="Údolní 53",
        postcode="602 00",
        domain="otevrenebrno.example",
        tagline="Otevřená data a aplikace pro zapojení občanů.",
        about=(
            "Otevřené Brno je zapsaný spolek, který pomáhá městu zveřejňovat data a vyvíjí "
            "aplikace, díky kterým se mohou občané zapojit do rozhodování.",
            "Pořádáme hackathony, školíme úředníky a spravujeme katalog neoficiálních "
            "datových sad.",
        ),
        team=(
            ("Petra Dvořáková", "Předsedkyně"),
            ("Tomáš Krejčí", "Vývojář"),
            ("Lucie Horáková", "Komunikace"),
        ),
        news=(
            _n(
                "2026-01-20",
                "Hackathon Otevřená radnice",
                "Třicet účastníků vytvořilo osm prototypů.",
            ),
            _n(
                "2025-10-05",
                "Nová verze aplikace Zlepšeme Brno",
                "Podněty lze nyně posílat i s fotografií.",
            ),
        ),
        projects=(
            ("Zlepšeme Brno", "Aplikace pro hlášení závad ve veřejném prostoru."),
            ("Rozpočet na mapě", "Investice města přehledně na mapě."),
        ),
        founded=2015,
        last_year=2026,
        social=_social("otevrenebrno", "facebook", "x", "github"),
        links_to=("offene-stadt", "opencare"),
        phone="+420 555 123 456",
    ),
    SiteSpec(
        key="kansalaisfoorumi",
        name="Kansalaisfoorumi ry",
        lang="fi",
        dsi=True,
        kind="NGO",
        city="Tampere",
        country="FI",
        street="Hämeenkatu 21",
        postcode="33200",
        domain="kansalaisfoorumi.example",
        tagline="Verkkokeskustelua kaupungin päätöksistä.",
        about=(
            "Kansalaisfoorumi ry ylläpitää verkkopalvelua, jossa kaupunkilaiset voivat "
            "keskustella valmisteilla olevista päätöksistä ja jättää aloitteita.",
            "Toiminta on vapaaehtoisvoimin pyörivää, ja palvelun lähdekoodi on avointa.",
        ),
        team=(("Mikko Virtanen", "Puheenjohtaja"), ("Anna Korhonen", "Sihteeri")),
        news=(
            _n("2016-05-11", "Foorumi uudistui", "Uusi versio on nyt käytössä."),
            _n(
                "2015-11-02",
                "Syyskokous pidettiin",
                "Yhdistyksen syyskokous valitsi uuden hallituksen.",
            ),
        ),
        projects=(("Kansalaisfoorumi", "Keskustelupalvelu kaupungin päätöksistä."),),
        founded=2012,
        last_year=2016,
        social=_social("kansalaisfoorumi", "twitter", "facebook"),
        links_to=("offene-stadt",),
        phone="+358 3 555 0101",
    ),
    SiteSpec(
        key="tartu-loomelabor",
        name="Tartu Loomelabor MTÜ",
        lang="et",
        dsi=True,
        kind="NGO",
        city="Tartu",
        country="EE",
        street="Kastani 42",
        postcode="50410",
        domain="loomelabor.example",
        tagline="Avatud töökoda kõigile, kes tahavad ise teha ja parandada.",
        about=(
            "Tartu Loomelabor on mittetulundusühing ja fab lab, kus on 3D-printerid, "
            "laserlõikur ja elektroonikatöökoht. Korraldame kursusi noortele ja "
            "eakatele ning parandustöötube.",
            "Meie eesmärk on, et tehnoloogia oleks kõigile kättesaadav.",
        ),
        team=(("Kadri Tamm", "Juhataja"), ("Rasmus Kask", "Töökoja juhendaja")),
        news=(
            _n("2026-02-14", "Parandusõhtu veebruaris", "Tooge katkised asjad kaasa!"),
            _n("2025-09-01", "Uus laserlõikur", "Töökoda sai uue laserlõikuri."),
        ),
        projects=(
            ("Parandusõhtud", "Igakuised parandustöötoad."),
            ("Noorte tehnoloogialabor", "Kursused koolinoortele."),
        ),
        founded=2017,
        last_year=2026,
        social=_social("loomelabor", "instagram", "facebook"),
        links_to=("aria-pulita", "repair-map"),
        phone="+372 555 0123",
    ),
    SiteSpec(
        key="repair-map",
        name="Repair Map Cooperative",
        lang="en",
        dsi=True,
        kind="NGO",
        city="Bristol",
        country="GB",
        street="31 Stokes Croft",
        postcode="BS2 8QH",
        domain="repairmap.example",
        tagline="Find a repair café or tool library near you.",
        about=(
            "Repair Map is a cooperative that maps repair cafés, tool libraries and "
            "community workshops across the UK, so that fewer things end up in landfill.",
            "Volunteers keep the map up to date and the data is published under an open licence.",
        ),
        team=(("Hannah Price", "Coordinator"), ("Sam Ellis", "Developer")),
        news=(
            _n(
                "2026-02-27",
                "500 repair cafés on the map",
                "The map passed 500 repair cafés this month.",
            ),
            _n("2025-11-04", "Open data export", "The whole map can now be downloaded."),
        ),
        projects=(("Repair café finder", "A map of repair events and tool libraries."),),
        founded=2020,
        last_year=2026,
        social=_social("repairmap", "mastodon", "instagram", "github"),
        links_to=("opencare", "tartu-loomelabor", "offene-stadt"),
        jsonld=None,
        meta=False,
        specials=frozenset({"js-app"}),
    ),
    # ---------------------------------------------------------------- ordinary businesses
    SiteSpec(
        key="baeckerei-sonnenkorn",
        name="Bäckerei Sonnenkorn",
        lang="de",
        dsi=False,
        kind="Bakery",
        city="Freiburg im Breisgau",
        country="DE",
        street="Gerberau 7",
        postcode="79098",
        domain="sonnenkorn-baeckerei.example",
        tagline="Bio-Backwaren aus dem Holzofen – seit 1987.",
        about=(
            "Die Bäckerei Sonnenkorn backt jeden Morgen Brote, Brötchen und Brezeln aus "
            "Getreide von Höfen aus dem Markgräflerland.",
            "Unsere drei Filialen öffnen um 6:30 Uhr. Für Feiern backen wir Torten auf "
            "Bestellung – Preise ab 24 €.",
        ),
        team=(("Franz Müller", "Bäckermeister"), ("Ursula Müller", "Konditorin")),
        news=(
            _n(
                "2025-12-01",
                "Weihnachtsstollen vorbestellen",
                "Ab sofort nehmen wir Bestellungen für Stollen entgegen.",
            ),
            _n("2025-06-15", "Neue Filiale in der Wiehre", "Wir freuen uns auf Ihren Besuch!"),
        ),
        projects=(
            ("Brote", "Dinkel, Roggen und Weizen aus der Region."),
            ("Torten", "Auf Bestellung für Hochzeiten und Geburtstage."),
        ),
        founded=1987,
        last_year=2025,
        social=_social("sonnenkorn", "facebook", "instagram"),
        jsonld="org",
        charset="windows-1252",
        phone="+49 761 555 2233",
    ),
    SiteSpec(
        key="kancelaria-nowak",
        name="Kancelaria Adwokacka Nowak i Wiśniewski",
        lang="pl",
        dsi=False,
        kind="LegalService",
        city="Kraków",
        country="PL",
        street="ul. Grodzka 15",
        postcode="31-006",
        domain="nowak-wisniewski.example",
        tagline="Prawo gospodarcze, rodzinne i spadkowe.",
        about=(
            "Kancelaria świadczy pomoc prawną dla przedsiębiorców i klientów indywidualnych "
            "od 2004 roku.",
            "Specjalizujemy się w sprawach gospodarczych, rodzinnych i spadkowych. "
            "Porady udzielamy również w języku angielskim i niemieckim.",
        ),
        team=(
            ("mec. Katarzyna Nowak", "Adwokat"),
            ("mec. Paweł Wiśniewski", "Adwokat"),
            ("Zofia Łęcka", "Aplikantka adwokacka"),
        ),
        news=(
            _n(
                "2025-10-12",
                "Zmiany w prawie spadkowym",
                "Omawiamy najważniejsze zmiany w przepisach.",
            ),
        ),
        projects=(
            ("Prawo gospodarcze", "Umowy, spory i restrukturyzacje."),
            ("Prawo rodzinne", "Rozwody, alimenty i podział majątku."),
        ),
        founded=2004,
        last_year=2025,
        social=_social("kancelarianowak", "linkedin"),
        charset="iso-8859-2",
        phone="+48 12 555 44 33",
    ),
    SiteSpec(
        key="loodgieter-devries",
        name="Loodgietersbedrijf De Vries",
        lang="nl",
        dsi=False,
        kind="Plumber",
        city="Utrecht",
        country="NL",
        street="Amsterdamsestraatweg 212",
        postcode="3551 CS",
        domain="devries-loodgieter.example",
        tagline="Lekkage, cv-ketel of verstopping? Binnen een uur ter plaatse.",
        about=(
            "Loodgietersbedrijf De Vries is een familiebedrijf in Utrecht. Wij repareren "
            "lekkages, installeren cv-ketels en ontstoppen afvoeren.",
            "Ook 's avonds en in het weekend bereikbaar voor spoedklussen.",
        ),
        team=(("Henk de Vries", "Eigenaar"), ("Bas de Vries", "Monteur")),
        news=(_n("2025-11-03", "Ketel onderhoud: plan nu", "Voorkom storingen in de winter."),),
        projects=(("Cv-ketels", "Installatie en onderhoud."), ("Ontstoppen", "24/7 service.")),
        founded=1998,
        last_year=2025,
        social=_social("devriesloodgieter", "facebook"),
        declared_lang="en",
        phone="+31 30 555 6677",
    ),
    SiteSpec(
        key="hotel-alfama",
        name="Hotel Alfama Rio",
        lang="pt",
        dsi=False,
        kind="Hotel",
        city="Lisboa",
        country="PT",
        street="Rua de São Pedro 19",
        postcode="1100-341",
        domain="hotelalfamario.example",
        tagline="Um hotel de charme no coração de Alfama.",
        about=(
            "O Hotel Alfama Rio tem 42 quartos com vista para o Tejo, a cinco minutos da "
            "Sé de Lisboa.",
            "Pequeno-almoço com produtos locais incluído. Organizamos noites de fado "
            "todas as sextas-feiras.",
        ),
        team=(("Rita Carvalho", "Diretora"), ("Nuno Almeida", "Receção")),
        news=(
            _n("2026-02-01", "Noites de fado em março", "Veja a agenda de eventos."),
            _n("2025-08-20", "Terraço renovado", "O nosso terraço reabriu."),
        ),
        projects=(("Quartos", "Quartos duplos e suites."), ("Eventos", "Fado e jantares.")),
        founded=2009,
        last_year=2026,
        social=_social("hotelalfamario", "instagram", "facebook", "youtube"),
        phone="+351 21 555 0140",
        specials=frozenset({"trap"}),
    ),
    SiteSpec(
        key="pixelwerk",
        name="Pixelwerk Digital GmbH",
        lang="de",
        dsi=False,
        kind="Organization",
        city="München",
        country="DE",
        street="Lindwurmstraße 76",
        postcode="80337",
        domain="pixelwerk-digital.example",
        tagline="Onlineshops und Apps, die verkaufen.",
        about=(
            "Pixelwerk Digital ist eine Agentur für E-Commerce und App-Entwicklung mit 45 "
            "Mitarbeitenden. Wir entwickeln Shops, Apps und Kampagnen für Marken aus Mode, "
            "Sport und Lebensmittelhandel.",
            "Unsere Kunden steigern mit uns Umsatz und Conversion-Rate.",
        ),
        team=(
            ("Maximilian Huber", "Geschäftsführer"),
            ("Sophie Lang", "Head of Development"),
            ("Tobias Brandl", "Account Director"),
        ),
        news=(
            _n(
                "2026-02-12",
                "Relaunch für Sporthaus Alpin",
                "Der neue Onlineshop ging termingerecht live.",
            ),
            _n("2025-11-28", "Pixelwerk ist Shopware-Partner", "Wir sind jetzt Gold-Partner."),
        ),
        projects=(
            ("E-Commerce", "Onlineshops mit Shopware und Shopify."),
            ("Apps", "Native Apps für iOS und Android."),
        ),
        founded=2011,
        last_year=2026,
        social=_social("pixelwerkdigital", "linkedin", "instagram", "x"),
        phone="+49 89 555 7800",
        specials=frozenset({"redirect-loop"}),
    ),
    SiteSpec(
        key="nordic-freight",
        name="Nordic Freight Partners AB",
        lang="sv",
        dsi=False,
        kind="Organization",
        city="Göteborg",
        country="SE",
        street="Lindholmspiren 7",
        postcode="417 64",
        domain="nordicfreight.example",
        tagline="Spedition och logistik i hela Norden.",
        about=(
            "Nordic Freight Partners är ett speditionsföretag med kontor i Göteborg, Oslo, "
            "Köpenhamn och Helsingfors.",
            "Vi erbjuder vägtransporter, sjöfrakt och lagerhållning.",
        ),
        team=(("Erik Johansson", "VD"), ("Maria Nilsson", "Försäljningschef")),
        news=(_n("2026-01-09", "Nytt lager i Borås", "Vi öppnar 12 000 kvadratmeter lager."),),
        projects=(("Vägtransport", "Dagliga avgångar."), ("Sjöfrakt", "Container och styckegods.")),
        founded=2003,
        last_year=2026,
        social=_social("nordicfreight", "linkedin"),
        phone="+46 31 555 40 00",
    ),
    SiteSpec(
        key="studio-ferri",
        name="Studio Architettura Ferri",
        lang="it",
        dsi=False,
        kind="Organization",
        city="Bologna",
        country="IT",
        street="Via dell'Indipendenza 44",
        postcode="40121",
        domain="studioferri.example",
        tagline="Architettura, restauro e interni.",
        about=(
            "Lo Studio Ferri progetta abitazioni, uffici e restauri di edifici storici dal 1992.",
            "Seguiamo ogni progetto dal concept alla direzione lavori.",
        ),
        team=(("arch. Marco Ferri", "Titolare"), ("arch. Chiara Neri", "Associata")),
        news=(
            _n(
                "2025-09-22",
                "Restauro di Palazzo Bentini completato",
                "Il cantiere si è concluso dopo due anni.",
            ),
        ),
        projects=(("Restauro", "Edifici storici del centro."), ("Interni", "Case e uffici.")),
        founded=1992,
        last_year=2025,
        social=_social("studioferri", "instagram", "linkedin"),
        phone="+39 051 555 2211",
    ),
    SiteSpec(
        key="clinica-sonrisa",
        name="Clínica Dental Sonrisa",
        lang="es",
        dsi=False,
        kind="Dentist",
        city="Sevilla",
        country="ES",
        street="Calle Asunción 38",
        postcode="41011",
        domain="clinicasonrisa.example",
        tagline="Tu dentista de confianza en Los Remedios.",
        about=(
            "En Clínica Dental Sonrisa ofrecemos odontología general, ortodoncia e implantes.",
            "Primera visita y radiografía gratuitas.",
        ),
        team=(("Dra. Carmen Ruiz", "Directora médica"), ("Dr. Javier Ortega", "Ortodoncista")),
        news=(_n("2025-12-15", "Horario de Navidad", "Cerramos el 25 de diciembre."),),
        projects=(("Ortodoncia", "Brackets e invisible."), ("Implantes", "Con garantía.")),
        founded=2008,
        last_year=2025,
        social=_social("clinicasonrisa", "facebook", "instagram"),
        jsonld="broken",
        phone="+34 954 55 12 12",
    ),
    SiteSpec(
        key="cabinet-morel",
        name="Cabinet d'avocats Morel",
        lang="fr",
        dsi=False,
        kind="LegalService",
        city="Bordeaux",
        country="FR",
        street="27 cours de l'Intendance",
        postcode="33000",
        domain="cabinet-morel.example",
        tagline="Droit des affaires et droit du travail.",
        about=(
            "Le cabinet Morel conseille les entreprises de Nouvelle-Aquitaine en droit des "
            "affaires et en droit social.",
            "Nous intervenons en conseil et en contentieux.",
        ),
        team=(("Maître Anne Morel", "Avocate associée"), ("Maître Louis Faure", "Avocat")),
        news=(_n("2025-10-01", "Réforme du droit des contrats", "Nos conseils pratiques."),),
        projects=(
            ("Droit des affaires", "Contrats et sociétés."),
            ("Droit social", "Licenciements et prud'hommes."),
        ),
        founded=2001,
        last_year=2025,
        social=_social("cabinetmorel", "linkedin"),
        obfuscate_email=True,
        phone="+33 5 55 50 12 34",
    ),
    SiteSpec(
        key="kahvila-kanelikorva",
        name="Kahvila Kanelikorva",
        lang="fi",
        dsi=False,
        kind="CafeOrCoffeeShop",
        city="Helsinki",
        country="FI",
        street="Fredrikinkatu 31",
        postcode="00120",
        domain="kanelikorva.example",
        tagline="Kotitekoiset korvapuustit ja hyvä kahvi.",
        about=(
            "Kahvila Kanelikorva on pieni kahvila Punavuoressa.",
            "Leivomme joka aamu korvapuustit ja karjalanpiirakat.",
        ),
        team=(("Liisa Mäkinen", "Yrittäjä"),),
        news=(
            _n("2015-06-01", "Kesän aukioloajat", "Olemme auki kesällä joka päivä."),
            _n("2014-12-10", "Joulun kahvitarjous", "Glögi ja pipari 3 €."),
        ),
        projects=(("Leivonnaiset", "Korvapuustit ja piirakat."),),
        founded=2011,
        last_year=2015,
        social=_social("kanelikorva", "facebook"),
        jsonld=None,
        meta=False,
        phone="+358 9 555 0202",
    ),
    SiteSpec(
        key="zacharoplasteio-athina",
        name="Ζαχαροπλαστείο Αθηνά",
        lang="el",
        dsi=False,
        kind="Bakery",
        city="Θεσσαλονίκη",
        country="GR",
        street="Τσιμισκή 88",
        postcode="546 22",
        domain="zacharoplasteio-athina.example",
        tagline="Παραδοσιακά γλυκά από το 1965.",
        about=(
            "Το ζαχαροπλαστείο Αθηνά φτιάχνει τρίγωνα Πανοράματος, μπουγάτσα και τούρτες "
            "κάθε μέρα.",
            "Δεχόμαστε παραγγελίες για γάμους και βαπτίσεις.",
        ),
        team=(("Γιώργος Παπαδόπουλος", "Ζαχαροπλάστης"),),
        news=(_n("2025-12-20", "Βασιλόπιτες", "Παραγγελίες για βασιλόπιτες έως 28/12."),),
        projects=(("Γλυκά", "Παραδοσιακά γλυκά."), ("Τούρτες", "Κατά παραγγελία.")),
        founded=1965,
        last_year=2025,
        social=_social("zacharoplasteioathina", "facebook", "instagram"),
        phone="+30 2310 555 123",
    ),
    SiteSpec(
        key="autoservis-horvat",
        name="Autoservis Horvat",
        lang="hr",
        dsi=False,
        kind="AutoRepair",
        city="Zagreb",
        country="HR",
        street="Savska cesta 120",
        postcode="10000",
        domain="autoservis-horvat.example",
        tagline="Servis i popravak svih marki vozila.",
        about=(
            "Autoservis Horvat radi od 1995. godine.",
            "Nudimo mali i veliki servis, dijagnostiku i vulkanizerske usluge.",
        ),
        team=(("Ivan Horvat", "Vlasnik"),),
        news=(_n("2014-10-15", "Zimske gume", "Vrijeme je za zamjenu guma."),),
        projects=(("Servis", "Mali i veliki servis."),),
        founded=1995,
        last_year=2014,
        social={},
        jsonld=None,
        meta=False,
        phone="+385 1 555 6789",
    ),
    SiteSpec(
        key="ehitus-kivi",
        name="Ehitus Kivi OÜ",
        lang="et",
        dsi=False,
        kind="HomeAndConstructionBusiness",
        city="Tallinn",
        country="EE",
        street="Pärnu mnt 139",
        postcode="11317",
        domain="ehituskivi.example",
        tagline="Eramute ja korterite ehitus ning renoveerimine.",
        about=(
            "Ehitus Kivi OÜ ehitab eramuid ja renoveerib kortereid Harjumaal.",
            "Meil on üle 20 aasta kogemust.",
        ),
        team=(("Andres Kivi", "Juhataja"),),
        news=(_n("2025-05-05", "Uus objekt Viimsis", "Alustasime eramu ehitust."),),
        projects=(("Eramud", "Võtmed kätte lahendused."),),
        founded=2003,
        last_year=2025,
        social=_social("ehituskivi", "facebook"),
        jsonld=None,
        meta=False,
        phone="+372 555 9876",
    ),
    SiteSpec(
        key="brightline",
        name="Brightline Accounting Ltd",
        lang="en",
        dsi=False,
        kind="AccountingService",
        city="Manchester",
        country="GB",
        street="57 Portland Street",
        postcode="M1 4BT",
        domain="brightline-accounting.example",
        tagline="Accounts, payroll and tax for small businesses.",
        about=(
            "Brightline Accounting looks after the books of 300 small businesses across the "
            "North West.",
            "Fixed monthly fees, no surprises.",
        ),
        team=(("David Clarke", "Managing Director"), ("Priya Shah", "Senior Accountant")),
        news=(_n("2026-01-25", "Self-assessment deadline", "Send us your papers by 20 January."),),
        projects=(("Bookkeeping", "Monthly bookkeeping."), ("Payroll", "Weekly and monthly.")),
        founded=2010,
        last_year=2026,
        social=_social("brightlineaccounting", "linkedin", "x"),
        phone="+44 161 555 0147",
        specials=frozenset({"errors"}),
    ),
    SiteSpec(
        key="tipografia-lumen",
        name="Tipografia Lumen SRL",
        lang="ro",
        dsi=False,
        kind="Organization",
        city="Timișoara",
        country="RO",
        street="Strada Alba Iulia 9",
        postcode="300077",
        domain="tipografialumen.example",
        tagline="Tipar digital și offset, de la cărți de vizită la cataloage.",
        about=(
            "Tipografia Lumen tipărește broșuri, afișe și cărți pentru firme și edituri.",
            "Livrăm în toată țara în 48 de ore.",
        ),
        team=(("Andrei Popescu", "Director"), ("Ioana Marin", "Prepress")),
        news=(_n("2023-03-14", "Mașină nouă de tipar", "Am investit într-o presă nouă."),),
        projects=(("Tipar digital", "Tiraje mici."), ("Offset", "Tiraje mari.")),
        founded=2006,
        last_year=2023,
        social=_social("tipografialumen", "facebook"),
        phone="+40 256 555 321",
    ),
    SiteSpec(
        key="elektro-schmid",
        name="Elektro Schmid AG",
        lang="de",
        dsi=False,
        kind="Electrician",
        city="Zürich",
        country="CH",
        street="Badenerstrasse 214",
        postcode="8004",
        domain="elektro-schmid.example",
        tagline="Elektroinstallationen für Gewerbe und Industrie.",
        about=(
            "Die Elektro Schmid AG plant und installiert Elektroanlagen, Photovoltaik und "
            "Gebäudeautomation.",
            "Wir beschäftigen 60 Mitarbeitende und 12 Lernende.",
        ),
        team=(("Beat Schmid", "Geschäftsführer"), ("Nadine Keller", "Projektleiterin")),
        news=(
            _n(
                "2026-02-03",
                "Lehrstellen 2026",
                "Bewirb dich jetzt als Elektroinstallateur/in EFZ.",
            ),
        ),
        projects=(("Photovoltaik", "Solaranlagen für Firmen."), ("Gebäudeautomation", "KNX.")),
        founded=1978,
        last_year=2026,
        social=_social("elektroschmid", "linkedin"),
        phone="+41 44 555 12 12",
    ),
    SiteSpec(
        key="zahnarzt-lindner",
        name="Zahnarztpraxis Dr. Lindner",
        lang="de",
        dsi=False,
        kind="Dentist",
        city="Graz",
        country="AT",
        street="Herrengasse 12",
        postcode="8010",
        domain="zahnarzt-lindner.example",
        tagline="Ihre Zahnarztpraxis in der Grazer Innenstadt.",
        about=(
            "Wir bieten Prophylaxe, Füllungen, Kronen und Implantate.",
            "Termine nach Vereinbarung, alle Kassen.",
        ),
        team=(("Dr. Eva Lindner", "Zahnärztin"), ("Sabine Gruber", "Prophylaxeassistentin")),
        news=(
            _n(
                "2025-07-01",
                "Urlaub im August",
                "Die Praxis ist vom 4. bis 22. August geschlossen.",
            ),
        ),
        projects=(("Prophylaxe", "Professionelle Zahnreinigung."),),
        founded=2005,
        last_year=2025,
        social={},
        phone="+43 316 555 890",
    ),
    SiteSpec(
        key="vinarstvi-moravec",
        name="Vinařství Moravec",
        lang="cs",
        dsi=False,
        kind="Winery",
        city="Mikulov",
        country="CZ",
        street="Náměstí 14",
        postcode="692 01",
        domain="vinarstvi-moravec.example",
        tagline="Rodinné vinařství z Pálavy.",
        about=(
            "Vinařství Moravec hospodaří na 12 hektarech vinic pod Pálavou.",
            "Nabízíme degustace a ubytování ve sklepě.",
        ),
        team=(("Jiří Moravec", "Vinař"), ("Alena Moravcová", "Degustace")),
        news=(_n("2025-11-11", "Svatomartinské víno", "Ochutnejte letošní svatomartinské."),),
        projects=(("Vína", "Ryzlink, Pálava, Frankovka."), ("Degustace", "Pro skupiny.")),
        founded=1996,
        last_year=2025,
        social=_social("vinarstvimoravec", "facebook", "instagram"),
        phone="+420 519 555 444",
    ),
    SiteSpec(
        key="copperleaf",
        name="Copperleaf Software Ltd",
        lang="en",
        dsi=False,
        kind="Organization",
        city="Leeds",
        country="GB",
        street="12 Wellington Street",
        postcode="LS1 4DL",
        domain="copperleaf-software.example",
        tagline="Custom software and data platforms for growing companies.",
        about=(
            "Copperleaf is a software consultancy building web apps, data pipelines and "
            "dashboards for retailers, insurers and logistics firms.",
            "Our 30 engineers work in Python, TypeScript and the cloud platform you already use.",
        ),
        team=(("James Whitaker", "CEO"), ("Olivia Grant", "CTO"), ("Ben Hughes", "Head of Data")),
        news=(
            _n(
                "2026-02-19",
                "Case study: a pricing engine for a retailer",
                "How we cut price update times from hours to minutes.",
            ),
            _n("2025-10-07", "We are ISO 27001 certified", "Security is part of every project."),
        ),
        projects=(
            ("Data platforms", "Pipelines and warehouses."),
            ("Web apps", "Customer portals and internal tools."),
        ),
        founded=2013,
        last_year=2026,
        social=_social("copperleafsoftware", "linkedin", "x", "github"),
        phone="+44 113 555 0123",
    ),
)

SITES_BY_KEY: dict[str, SiteSpec] = {s.key: s for s in SITES}
