"""Name readings, legal forms per country, weighted similarity."""

from __future__ import annotations

import pytest

from matching.names import TermWeights, compare_forms, parse_name, split_joined, weighted_similarity


@pytest.mark.parametrize(
    ("raw", "country", "readings", "forms"),
    [
        ("Home | Fab Lab Palermo", None, ["fab lab palermo"], []),
        ("Welcome to Sozialhelden - Startseite", None, ["sozialhelden"], []),
        ("EPF Official Website", "PL", ["epf", "epf official website"], []),
        ("Swirrl:: About us Ltd", None, ["swirrl"], []),
        ("Open Knowledge Foundation Deutschland e.V.", "DE", ["open knowledge deutschland"],
         ["Foundation", "e.V."]),
        ("Digitale Helden gemeinnützige GmbH", "DE", ["digitale helden"], ["gGmbH"]),
        ("Digital Enacting S.L.", "ES", ["digital enacting"], ["SL"]),
        ("Stichting Waag Society", "NL", ["waag society"], ["Stichting"]),
        ("Maison de la Culture asbl", "BE", ["maison culture"], ["asbl"]),
        ("Otevřená města, z. s.", "CZ", ["otevrena mesta"], ["z. s."]),
        ("Fundacja Nowoczesna Polska sp. z o.o.", "PL", ["nowoczesna polska"],
         ["Fundacja", "sp. z o.o."]),
        ("Common Futures CIC", "GB", ["common futures"], ["CIC"]),
        ("The Foundation", "GB", ["foundation"], []),  # the form is the name
        ("SA Lab", "FR", ["sa lab"], []),  # "SA" only counts as the last word
        ("#3DPM (#3DPrinting Network Manchester)", "GB",
         ["3dpm", "3dpm 3dprinting network manchester", "3dprinting network manchester"], []),
    ],
)  # fmt: skip
def test_parse_name(raw: str, country: str | None, readings: list[str], forms: list[str]) -> None:
    parsed = parse_name(raw, country)
    assert [v.text for v in parsed.variants] == readings
    assert [f.label for f in parsed.forms] == forms


def test_aps_is_an_italian_association_but_a_danish_company() -> None:
    italian = parse_name("Cittadini Reattivi APS", "IT").forms
    danish = parse_name("Nordic Design ApS", "DK").forms
    assert [f.category for f in italian] == ["association"]
    assert [f.category for f in danish] == ["company"]


def test_legal_forms_compare_by_kind() -> None:
    gg = parse_name("Digitale Helden gGmbH", "DE").forms
    gmbh = parse_name("Digitale Helden GmbH", "DE").forms
    ev = parse_name("Digitale Helden e.V.", "DE").forms
    asbl = parse_name("Helden asbl", "BE").forms
    vzw = parse_name("Helden vzw", "BE").forms
    assert compare_forms(gg, gg)[0] == 1
    sign, reason = compare_forms(gg, gmbh)
    assert sign == -1 and reason is not None and "nonprofit-company vs company" in reason
    assert compare_forms(ev, gmbh)[0] == -1
    assert compare_forms(asbl, vzw)[0] == 1  # French and Dutch names of one form
    assert compare_forms(gg, ())[0] == 0


def test_generic_words_weigh_little_and_place_words_a_lot() -> None:
    names = [["fab", "lab", "palermo"], ["fab", "lab", "torino"], ["fablab", "barcelona"]]
    weights = TermWeights(names)
    assert weights("lab") < weights("palermo") / 2
    assert weights("foundation") < weights("mozilla") / 2
    assert weights("fonudation") < weights("mozilla") / 2  # a typo'd generic word stays generic
    same = weighted_similarity(["fablab", "palermo"], ["fab", "lab", "palermo"], weights)
    other = weighted_similarity(["fab", "lab", "palermo"], ["fab", "lab", "torino"], weights)
    assert same.score == 1.0
    assert other.score < 0.3 and other.conflict
    assert weighted_similarity(["cariplo"], ["carilpo"], weights).score == 0.8  # swapped letters


def test_split_joined_words() -> None:
    known = {"think", "commons", "makerversity", "ltd"}.__contains__
    assert split_joined("thinkcommons", known) == ("think", "commons")
    assert split_joined("makerversityltd", known) == ("makerversity", "ltd")
    assert split_joined("thinker", known) is None


def test_kinds_of_body_differ() -> None:
    from matching.names import kinds_differ

    assert kinds_differ(["university", "edinburgh"], ["city", "edinburgh", "council"])
    assert kinds_differ(["fablab", "cardiff"], ["cardiff", "university"])
    assert not kinds_differ(["fab", "lab", "bari"], ["fablab", "bari"])  # written apart
    assert not kinds_differ(["fondazione", "x"], ["fondazoine", "x"])  # a typo
    assert not kinds_differ(["waag", "society"], ["waag"])  # one side says nothing
    assert not kinds_differ(["social", "digital", "x"], ["european", "x"])  # not kinds
