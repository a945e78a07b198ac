"""An organisation's name from its page titles."""

from __future__ import annotations

import pytest

from spiders.parsers.profile import name_from_titles


@pytest.mark.parametrize(
    ("home", "others", "name"),
    [
        ("Home | Open Lab", [], "Open Lab"),
        ("Open Lab – Making data work for everyone", [], "Open Lab"),
        ("Willkommen bei Code für Alle", [], "Code für Alle"),
        (
            "Data for Good Barcelona | Datos abiertos",
            ["Proyectos | Data for Good Barcelona"],
            "Data for Good Barcelona",
        ),
    ],
)
def test_name_from_titles(home: str, others: list[str], name: str) -> None:
    assert name_from_titles(home, others) == name
