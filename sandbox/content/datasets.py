"""Open-data publishers, themes and a deterministic dataset generator (CKAN, DCAT, Socrata).

A dataset is a plain :class:`Dataset`; each API module renders it in its own shape.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sandbox.generator import rng_for, slugify


@dataclass(frozen=True, slots=True)
class Publisher:
    key: str
    title: str
    lang: str
    city: str
    country: str
    kind: str  # municipality | agency | ngo
    description: str
    site: str | None = None  # a sandbox website key


@dataclass(frozen=True, slots=True)
class Theme:
    key: str  # CKAN group name
    title: str
    eu_code: str  # EU data-theme authority code
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Resource:
    id: str
    name: str
    format: str
    mimetype: str
    size: int


@dataclass(frozen=True, slots=True)
class Dataset:
    id: str
    name: str
    title: str
    titles: dict[str, str]  # per language
    notes: str
    publisher: Publisher
    themes: tuple[Theme, ...]
    tags: tuple[str, ...]
    license_id: str
    created: datetime
    modified: datetime
    resources: tuple[Resource, ...]
    frequency: str
    year: int
    private: bool = False
    index: int | None = None


PUBLISHERS: tuple[Publisher, ...] = (
    Publisher(
        "stadt-leipzig",
        "Stadt Leipzig",
        "de",
        "Leipzig",
        "DE",
        "municipality",
        "Offene Daten der Stadtverwaltung: Statistik, Verkehr, Umwelt und Haushalt.",
    ),
    Publisher(
        "gemeente-utrecht",
        "Gemeente Utrecht",
        "nl",
        "Utrecht",
        "NL",
        "municipality",
        "Open data van de gemeente over wonen, verkeer en de openbare ruimte.",
    ),
    Publisher(
        "ville-de-nantes",
        "Ville de Nantes",
        "fr",
        "Nantes",
        "FR",
        "municipality",
        "Les données publiques de la ville et de ses services.",
    ),
    Publisher(
        "ajuntament-valencia",
        "Ajuntament de València",
        "es",
        "València",
        "ES",
        "municipality",
        "Datos abiertos municipales de la ciudad de València.",
    ),
    Publisher(
        "bundesamt-umweltbeobachtung",
        "Bundesamt für Umweltbeobachtung",
        "de",
        "Kassel",
        "DE",
        "agency",
        "Messnetze und Umweltindikatoren des Bundes (fiktive Behörde).",
    ),
    Publisher(
        "agencia-datos-sanitarios",
        "Agencia Estatal de Datos Sanitarios",
        "es",
        "Madrid",
        "ES",
        "agency",
        "Estadísticas sanitarias de ámbito estatal (organismo ficticio).",
    ),
    Publisher(
        "nationale-mobiliteitsdienst",
        "Nationale Mobiliteitsdienst",
        "nl",
        "Den Haag",
        "NL",
        "agency",
        "Landelijke mobiliteitsdata (fictieve dienst).",
    ),
    Publisher(
        "offene-stadt",
        "Offene Stadt e.V.",
        "de",
        "Berlin",
        "DE",
        "ngo",
        "Zivilgesellschaftlich erhobene Daten zu Beteiligung und Transparenz.",
        site="offene-stadt",
    ),
    Publisher(
        "aria-pulita",
        "Laboratorio Aria Pulita APS",
        "it",
        "Torino",
        "IT",
        "ngo",
        "Misure di qualità dell'aria raccolte da cittadini e scuole.",
        site="aria-pulita",
    ),
    Publisher(
        "datawijk",
        "Stichting Datawijk",
        "nl",
        "Rotterdam",
        "NL",
        "ngo",
        "Buurtdata verzameld met en door bewoners.",
        site="datawijk",
    ),
)

THEMES: tuple[Theme, ...] = (
    Theme("gesundheit-health", "Health", "HEAL", ("health", "hospitals", "pharmacies")),
    Theme("mobility", "Mobility and transport", "TRAN", ("mobility", "traffic", "bicycle", "gtfs")),
    Theme("environment", "Environment", "ENVI", ("environment", "air-quality", "noise", "trees")),
    Theme(
        "education", "Education, culture and sport", "EDUC", ("education", "schools", "libraries")
    ),
    Theme("economy", "Economy and finance", "ECON", ("economy", "budget", "tourism")),
    Theme("population", "Population and society", "SOCI", ("population", "census", "migration")),
    Theme(
        "government",
        "Government and public sector",
        "GOVE",
        ("council", "elections", "procurement"),
    ),
)
THEMES_BY_KEY = {t.key: t for t in THEMES}

#: Title templates per theme: one dict per dataset kind, language -> text ({city}, {year}).
TITLES: dict[str, tuple[dict[str, str], ...]] = {
    "gesundheit-health": (
        {
            "en": "Pharmacies and opening hours in {city}",
            "de": "Apotheken und Öffnungszeiten in {city}",
            "nl": "Apotheken en openingstijden in {city}",
            "fr": "Pharmacies et horaires d'ouverture à {city}",
            "es": "Farmacias y horarios en {city}",
            "it": "Farmacie e orari di apertura a {city}",
        },
        {
            "en": "Hospital bed occupancy {year}",
            "de": "Bettenbelegung der Krankenhäuser {year}",
            "nl": "Bezetting ziekenhuisbedden {year}",
            "fr": "Occupation des lits hospitaliers {year}",
            "es": "Ocupación de camas hospitalarias {year}",
            "it": "Occupazione dei posti letto {year}",
        },
        {
            "en": "Vaccination rates by district {year}",
            "de": "Impfquoten nach Stadtbezirk {year}",
            "nl": "Vaccinatiegraad per wijk {year}",
            "fr": "Taux de vaccination par quartier {year}",
            "es": "Tasas de vacunación por distrito {year}",
            "it": "Tassi di vaccinazione per quartiere {year}",
        },
    ),
    "mobility": (
        {
            "en": "Bicycle counting stations {city} {year}",
            "de": "Radzählstellen {city} {year}",
            "nl": "Fietstelpunten {city} {year}",
            "fr": "Compteurs vélo {city} {year}",
            "es": "Contadores de bicicletas {city} {year}",
            "it": "Contatori di biciclette {city} {year}",
        },
        {
            "en": "Public transport stops (GTFS)",
            "de": "Haltestellen des ÖPNV (GTFS)",
            "nl": "Haltes openbaar vervoer (GTFS)",
            "fr": "Arrêts de transport en commun (GTFS)",
            "es": "Paradas de transporte público (GTFS)",
            "it": "Fermate del trasporto pubblico (GTFS)",
        },
        {
            "en": "Car park occupancy (real time)",
            "de": "Parkhausbelegung (Echtzeit)",
            "nl": "Bezetting parkeergarages (realtime)",
            "fr": "Occupation des parkings (temps réel)",
            "es": "Ocupación de aparcamientos (tiempo real)",
            "it": "Occupazione dei parcheggi (tempo reale)",
        },
        {
            "en": "Road traffic accidents {year}",
            "de": "Verkehrsunfälle {year}",
            "nl": "Verkeersongevallen {year}",
            "fr": "Accidents de la circulation {year}",
            "es": "Accidentes de tráfico {year}",
            "it": "Incidenti stradali {year}",
        },
    ),
    "environment": (
        {
            "en": "Air quality measurements {year}",
            "de": "Luftqualitätsmessungen {year}",
            "nl": "Luchtkwaliteitsmetingen {year}",
            "fr": "Mesures de la qualité de l'air {year}",
            "es": "Mediciones de calidad del aire {year}",
            "it": "Misure della qualità dell'aria {year}",
        },
        {
            "en": "Street tree register",
            "de": "Baumkataster",
            "nl": "Bomenregister",
            "fr": "Inventaire des arbres d'alignement",
            "es": "Inventario de arbolado urbano",
            "it": "Censimento degli alberi",
        },
        {
            "en": "Noise map {year}",
            "de": "Lärmkarte {year}",
            "nl": "Geluidskaart {year}",
            "fr": "Carte du bruit {year}",
            "es": "Mapa de ruido {year}",
            "it": "Mappa del rumore {year}",
        },
        {
            "en": "Waste collection calendar {year}",
            "de": "Abfuhrkalender {year}",
            "nl": "Afvalkalender {year}",
            "fr": "Calendrier de collecte des déchets {year}",
            "es": "Calendario de recogida de residuos {year}",
            "it": "Calendario della raccolta rifiuti {year}",
        },
    ),
    "education": (
        {
            "en": "Schools and pupils {year}",
            "de": "Schulen und Schülerzahlen {year}",
            "nl": "Scholen en leerlingen {year}",
            "fr": "Écoles et effectifs {year}",
            "es": "Centros educativos y alumnado {year}",
            "it": "Scuole e studenti {year}",
        },
        {
            "en": "Public libraries",
            "de": "Öffentliche Bibliotheken",
            "nl": "Openbare bibliotheken",
            "fr": "Bibliothèques publiques",
            "es": "Bibliotecas públicas",
            "it": "Biblioteche pubbliche",
        },
        {
            "en": "Childcare places by district",
            "de": "Kita-Plätze nach Ortsteil",
            "nl": "Kinderopvangplaatsen per wijk",
            "fr": "Places en crèche par quartier",
            "es": "Plazas de escuela infantil por distrito",
            "it": "Posti negli asili nido per quartiere",
        },
    ),
    "economy": (
        {
            "en": "Business registrations {year}",
            "de": "Gewerbeanmeldungen {year}",
            "nl": "Bedrijfsinschrijvingen {year}",
            "fr": "Créations d'entreprises {year}",
            "es": "Altas de empresas {year}",
            "it": "Iscrizioni di imprese {year}",
        },
        {
            "en": "Municipal budget {year}",
            "de": "Haushaltsplan {year}",
            "nl": "Gemeentebegroting {year}",
            "fr": "Budget municipal {year}",
            "es": "Presupuesto municipal {year}",
            "it": "Bilancio comunale {year}",
        },
        {
            "en": "Tourism overnight stays {year}",
            "de": "Übernachtungen im Tourismus {year}",
            "nl": "Toeristische overnachtingen {year}",
            "fr": "Nuitées touristiques {year}",
            "es": "Pernoctaciones turísticas {year}",
            "it": "Presenze turistiche {year}",
        },
    ),
    "population": (
        {
            "en": "Population by district {year}",
            "de": "Einwohner nach Stadtbezirken {year}",
            "nl": "Bevolking per wijk {year}",
            "fr": "Population par quartier {year}",
            "es": "Población por distrito {year}",
            "it": "Popolazione per quartiere {year}",
        },
        {
            "en": "Migration statistics {year}",
            "de": "Wanderungsstatistik {year}",
            "nl": "Migratiestatistiek {year}",
            "fr": "Statistiques migratoires {year}",
            "es": "Estadística de migraciones {year}",
            "it": "Statistiche migratorie {year}",
        },
    ),
    "government": (
        {
            "en": "Council meeting minutes {year}",
            "de": "Ratsprotokolle {year}",
            "nl": "Notulen gemeenteraad {year}",
            "fr": "Procès-verbaux du conseil municipal {year}",
            "es": "Actas del pleno {year}",
            "it": "Verbali del consiglio comunale {year}",
        },
        {
            "en": "Election results {year}",
            "de": "Wahlergebnisse {year}",
            "nl": "Verkiezingsuitslagen {year}",
            "fr": "Résultats électoraux {year}",
            "es": "Resultados electorales {year}",
            "it": "Risultati elettorali {year}",
        },
        {
            "en": "Public procurement contracts {year}",
            "de": "Öffentliche Aufträge {year}",
            "nl": "Overheidsopdrachten {year}",
            "fr": "Marchés publics {year}",
            "es": "Contratos públicos {year}",
            "it": "Appalti pubblici {year}",
        },
    ),
}

NOTES: dict[str, str] = {
    "en": "This dataset is published by **{pub}** and updated {freq}.\n\n## Contents\n\n"
    "* one row per record, with coordinates where available\n* column descriptions in "
    "the data dictionary\n\nQuestions? Write to [{email}](mailto:{email}).",
    "de": "Dieser Datensatz wird von **{pub}** bereitgestellt und {freq} aktualisiert.\n\n"
    "## Inhalt\n\n* ein Eintrag je Datensatz, wo möglich mit Koordinaten\n"
    "* Spaltenbeschreibungen im Datenkatalog\n\nFragen an [{email}](mailto:{email}).",
    "nl": "Deze dataset wordt gepubliceerd door **{pub}** en {freq} bijgewerkt.\n\n## Inhoud\n\n"
    "* één rij per registratie, met coördinaten waar mogelijk\n* uitleg van de kolommen "
    "in het datawoordenboek\n\nVragen? Mail [{email}](mailto:{email}).",
    "fr": "Ce jeu de données est publié par **{pub}** et mis à jour {freq}.\n\n## Contenu\n\n"
    "* une ligne par enregistrement, avec coordonnées si disponibles\n* description des "
    "colonnes dans le dictionnaire de données\n\nContact : [{email}](mailto:{email}).",
    "es": "Conjunto de datos publicado por **{pub}** y actualizado {freq}.\n\n## Contenido\n\n"
    "* una fila por registro, con coordenadas cuando es posible\n* descripción de las "
    "columnas en el diccionario de datos\n\nContacto: [{email}](mailto:{email}).",
    "it": "Dataset pubblicato da **{pub}** e aggiornato {freq}.\n\n## Contenuto\n\n"
    "* una riga per record, con coordinate quando disponibili\n* descrizione delle "
    "colonne nel dizionario dei dati\n\nContatti: [{email}](mailto:{email}).",
}
FREQUENCIES: dict[str, dict[str, str]] = {
    "MONTHLY": {
        "en": "monthly",
        "de": "monatlich",
        "nl": "maandelijks",
        "fr": "chaque mois",
        "es": "mensualmente",
        "it": "mensilmente",
    },
    "ANNUAL": {
        "en": "once a year",
        "de": "jährlich",
        "nl": "jaarlijks",
        "fr": "chaque année",
        "es": "anualmente",
        "it": "annualmente",
    },
    "DAILY": {
        "en": "daily",
        "de": "täglich",
        "nl": "dagelijks",
        "fr": "chaque jour",
        "es": "diariamente",
        "it": "quotidianamente",
    },
}
LICENSES: dict[str, tuple[str, str, str]] = {
    "cc-by": (
        "Creative Commons Attribution",
        "http://www.opendefinition.org/licenses/cc-by",
        "http://creativecommons.org/licenses/by/4.0/",
    ),
    "cc-zero": (
        "Creative Commons CCZero",
        "http://www.opendefinition.org/licenses/cc-zero",
        "http://creativecommons.org/publicdomain/zero/1.0/",
    ),
    "dl-de-by-2.0": (
        "Datenlizenz Deutschland – Namensnennung – Version 2.0",
        "https://www.govdata.de/dl-de/by-2-0",
        "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
    ),
    "odc-odbl": (
        "Open Data Commons Open Database License (ODbL)",
        "http://www.opendefinition.org/licenses/odc-odbl",
        "http://opendatacommons.org/licenses/odbl/1-0/",
    ),
    "other-closed": ("Other (Not Open)", "", ""),
}
FORMATS: dict[str, str] = {
    "CSV": "text/csv",
    "JSON": "application/json",
    "GeoJSON": "application/geo+json",
    "XLSX": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "PDF": "application/pdf",
    "WMS": "application/vnd.ogc.wms_xml",
    "ZIP": "application/zip",
}

CKAN_COUNT = 96  # curated datasets in the normal catalogue (2 of them private)
VIRTUAL_EPOCH = datetime(2018, 1, 1, tzinfo=UTC)
VIRTUAL_STEP = timedelta(seconds=600)


def _uuid(seed: int, *parts: object) -> str:
    rng = rng_for(seed, "uuid", *parts)
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def virtual_id(index: int) -> str:
    """Ids of scale-mode datasets sort like their index (``id asc`` = index order)."""
    return f"{index:08x}-0000-4000-8000-00000000cafe"


def make_dataset(
    seed: int, index: int, *, family: str = "ckan", virtual: bool = False, private: bool = False
) -> Dataset:
    """Dataset ``index`` of a catalogue ``family`` (``ckan``, ``dcat``, ``socrata``)."""
    rng = rng_for(seed, family, index)
    pub = PUBLISHERS[rng.randrange(len(PUBLISHERS))]
    theme = THEMES[rng.randrange(len(THEMES))]
    kinds = TITLES[theme.key]
    kind = kinds[rng.randrange(len(kinds))]
    year = rng.choice((2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026))
    titles = {lang: text.format(city=pub.city, year=year) for lang, text in kind.items()}
    title = titles.get(pub.lang, titles["en"])
    second = THEMES[rng.randrange(len(THEMES))]
    themes = (theme,) if second == theme or rng.random() < 0.6 else (theme, second)
    if virtual:
        modified = VIRTUAL_EPOCH + VIRTUAL_STEP * index
        created = modified - timedelta(days=rng.randrange(1, 400))
        ds_id = virtual_id(index)
        name = f"{slugify(title, 50)}-{index}"
    else:
        created = datetime(2019, 1, 1, tzinfo=UTC) + timedelta(minutes=rng.randrange(0, 3_000_000))
        latest = datetime(2026, 3, 1, 18, 0, tzinfo=UTC)
        span = int((latest - created).total_seconds() // 60)
        modified = created + timedelta(minutes=rng.randrange(0, max(1, span)))
        modified = modified.replace(microsecond=rng.randrange(1_000_000))
        ds_id = _uuid(seed, family, index)
        name = (
            f"{slugify(title, 60)}-{pub.key[:12]}-{index}" if family == "ckan" else slugify(title)
        )
    formats = rng.sample(list(FORMATS), rng.randrange(1, 4))
    resources = tuple(
        Resource(
            id=_uuid(seed, family, index, "res", n),
            name=f"{title} ({fmt})",
            format=fmt,
            mimetype=FORMATS[fmt],
            size=rng.randrange(2_000, 40_000_000),
        )
        for n, fmt in enumerate(formats)
    )
    freq = rng.choice(tuple(FREQUENCIES))
    lang = pub.lang if pub.lang in NOTES else "en"
    notes = NOTES[lang].format(
        pub=pub.title, freq=FREQUENCIES[freq][lang], email=f"opendata@{pub.key}.example"
    )
    tags = tuple(sorted({*rng.sample(theme.tags, 2), slugify(pub.city), str(year)}))
    license_id = rng.choice(
        ("cc-by", "cc-by", "cc-zero", "dl-de-by-2.0", "odc-odbl", "other-closed")
    )
    if license_id == "dl-de-by-2.0" and pub.country != "DE":
        license_id = "cc-by"
    return Dataset(
        id=ds_id,
        name=name,
        title=title,
        titles=titles,
        notes=notes,
        publisher=pub,
        themes=themes,
        tags=tags,
        license_id=license_id,
        created=created,
        modified=modified,
        resources=resources,
        frequency=freq,
        year=year,
        private=private,
        index=index,
    )
