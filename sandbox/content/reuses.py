"""Reuses (apps, maps, services built on open data) shown by the sandbox's OpenDataSoft and
uData portals: our own content. A reuse with a ``site`` key points at a sandbox website (a
project the ``website`` spider can crawl); the others at made-up outside addresses.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReuseSpec:
    slug: str
    title: str
    site: str | None  # a sandbox website key
    kind: str  # uData reuse type
    topic: str
    theme: str  # Theme key of the datasets it reuses
    description: str
    author: str


REUSES: tuple[ReuseSpec, ...] = (
    ReuseSpec(
        "kiez-radkarte",
        "Kiez-Radkarte",
        "offene-stadt",
        "application",
        "transport_and_mobility",
        "mobility",
        "Eine Karte, auf der Nachbarschaften fehlende Radbügel und Gefahrenstellen melden.",
        "Offene Stadt e.V.",
    ),
    ReuseSpec(
        "buurtcijfers-voor-iedereen",
        "Buurtcijfers voor iedereen",
        "datawijk",
        "visualization",
        "housing_and_development",
        "population",
        "Bewoners vergelijken hun buurt met open cijfers over wonen en groen.",
        "Datawijk",
    ),
    ReuseSpec(
        "capteurs-dans-ma-rue",
        "Capteurs dans ma rue",
        "citoyens-numeriques",
        "application",
        "environment_and_climate",
        "environment",
        "Les habitants installent des capteurs de qualité de l'air et publient leurs mesures.",
        "Citoyens numériques",
    ),
    ReuseSpec(
        "aria-in-classe",
        "Aria in classe",
        "aria-pulita",
        "visualization",
        "health",
        "environment",
        "Le classi misurano l'aria davanti alla scuola e la confrontano con i dati ufficiali.",
        "Laboratorio Aria Pulita APS",
    ),
    ReuseSpec(
        "repair-cafe-atlas",
        "Repair café atlas",
        "repair-map",
        "application",
        "environment_and_climate",
        "environment",
        "Find a repair café near you and see which tools it lends.",
        "Repair Map",
    ),
    ReuseSpec(
        "parking-live",
        "Parking Live",
        None,
        "application",
        "transport_and_mobility",
        "mobility",
        "Commercial app with free parking spaces in real time.",
        "Parking Live Ltd",
    ),
)
