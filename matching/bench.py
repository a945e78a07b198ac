"""``dsi bench resolve``: new items against a large main database, against a baseline.

The database is generated from the words of real DSI4EU organisation names (and the places
and legal forms of their countries), so its word frequencies look like the map's; half of the
new items are entries of the database under web noise, half are organisations it does not
hold. The baseline, measured in the same run, is the plain fuzzy matcher without blocking:
rapidfuzz ``WRatio`` of each new item against every name (``process.extractOne``, C code),
timed on a sample of the items and scaled to all of them.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process, utils

from matching.index import Matcher
from matching.names import GENERIC_WORDS, STOP_WORDS, tokens_of
from matching.noise import noisy_name
from matching.places import country_code
from matching.records import Record

__all__ = ["BenchResult", "generate", "run_bench"]

_CITIES = {
    "GB": ("London", "Manchester", "Leeds", "Bristol", "Glasgow"),
    "DE": ("Berlin", "Köln", "München", "Hamburg", "Leipzig"),
    "FR": ("Paris", "Lyon", "Marseille", "Nantes", "Lille"),
    "IT": ("Roma", "Milano", "Torino", "Bologna", "Napoli"),
    "ES": ("Madrid", "Barcelona", "Valencia", "Sevilla", "Bilbao"),
    "NL": ("Amsterdam", "Rotterdam", "Utrecht", "Den Haag", "Eindhoven"),
    "BE": ("Bruxelles", "Antwerpen", "Gent", "Liège", "Leuven"),
    "PL": ("Warszawa", "Kraków", "Wrocław", "Gdańsk", "Poznań"),
}  # fmt: skip
_FORMS = {
    "GB": ("Ltd", "CIC", ""), "DE": ("gGmbH", "e.V.", "GmbH", ""), "FR": ("SAS", ""),
    "IT": ("APS", "Srl", ""), "ES": ("SL", ""), "NL": ("", ""), "BE": ("asbl", "vzw"),
    "PL": ("sp. z o.o.", ""),
}  # fmt: skip


def _vocabulary(names: Sequence[str]) -> tuple[list[str], list[str]]:
    distinctive: set[str] = set()
    generic: set[str] = set()
    for name in names:
        for word in name.split():
            folded = tokens_of(word)
            if not folded or len(folded[0]) < 3 or folded[0] in STOP_WORDS:
                continue
            (generic if folded[0] in GENERIC_WORDS else distinctive).add(word.strip(",.()"))
    return sorted(distinctive), sorted(generic)


def _syllable_word(rng: random.Random) -> str:
    syllables = ("ka", "ro", "mi", "ta", "ne", "lu", "vi", "so", "da", "pe", "ri", "go", "ber")
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()


def _name(rng: random.Random, distinctive: list[str], generic: list[str], country: str) -> str:
    parts = [rng.choice(distinctive) if rng.random() < 0.6 else _syllable_word(rng)]
    if rng.random() < 0.5:
        parts.append(rng.choice(distinctive))
    if rng.random() < 0.6:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(generic))
    if rng.random() < 0.3:
        parts.append(rng.choice(_CITIES[country]))
    form = rng.choice(_FORMS[country])
    return " ".join(parts + ([form] if form else []))


def generate(
    names: Sequence[str], *, entries: int, items: int, seed: int = 0
) -> tuple[list[Record], list[Record]]:
    """``entries`` database records and ``items`` new records (half of them noisy copies of
    entries, half organisations not in the database)."""
    rng = random.Random(seed)
    distinctive, generic = _vocabulary(names)
    countries = sorted(_CITIES)
    database = []
    for i in range(entries):
        country = rng.choice(countries)
        website = f"https://www.org{i}.example.{country.lower()}" if rng.random() < 0.1 else None
        database.append(
            Record(
                id=str(i),
                name=_name(rng, distinctive, generic, country),
                country=country,
                city=rng.choice(_CITIES[country]),
                website=website,
            )
        )
    new = []
    for j in range(items):
        if j % 2 == 0:
            entry = rng.choice(database)
            name, _ = noisy_name(entry.name, country_code(entry.country), rng)
            new.append(Record(id=f"n{j}", name=name, country=entry.country, city=entry.city))
        else:
            country = rng.choice(countries)
            name = _name(rng, distinctive, generic, country)
            new.append(Record(id=f"n{j}", name=name, country=country))
    return database, new


@dataclass(slots=True)
class BenchResult:
    entries: int
    items: int
    index_seconds: float
    match_seconds: float
    #: CPU time of index + matching (the machine may be shared: wall time includes waiting)
    cpu_seconds: float
    matched: int
    baseline_sample: int
    baseline_seconds_per_item: float

    @property
    def total_seconds(self) -> float:
        return self.index_seconds + self.match_seconds

    @property
    def baseline_total_seconds(self) -> float:
        return self.baseline_seconds_per_item * self.items

    def to_dict(self) -> dict[str, Any]:
        return {
            "entries": self.entries,
            "items": self.items,
            "index_seconds": round(self.index_seconds, 2),
            "match_seconds": round(self.match_seconds, 2),
            "total_seconds": round(self.total_seconds, 2),
            "cpu_seconds": round(self.cpu_seconds, 2),
            "items_per_second": round(self.items / max(self.match_seconds, 1e-9), 1),
            "matched": self.matched,
            "baseline": "rapidfuzz WRatio against every entry (process.extractOne)",
            "baseline_sample": self.baseline_sample,
            "baseline_seconds_estimated": round(self.baseline_total_seconds, 1),
            "speedup": round(self.baseline_total_seconds / max(self.total_seconds, 1e-9), 1),
        }


def run_bench(
    names: Sequence[str], *, entries: int = 100_000, items: int = 10_000, sample: int = 200,
    seed: int = 0,
) -> BenchResult:  # fmt: skip
    """Time the matcher (index build included: it is part of resolving, + all items) and the
    baseline (on ``sample`` items)."""
    database, new = generate(names, entries=entries, items=items, seed=seed)
    cpu = time.process_time()
    start = time.perf_counter()
    matcher = Matcher(database)
    index_seconds = time.perf_counter() - start
    start = time.perf_counter()
    matched = sum(matcher.match(record).match is not None for record in new)
    match_seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu
    choices = [utils.default_process(r.name) for r in database]
    probe = new[: max(1, min(sample, len(new)))]
    start = time.perf_counter()
    for record in probe:
        process.extractOne(
            utils.default_process(record.name), choices, scorer=fuzz.WRatio, score_cutoff=90
        )
    per_item = (time.perf_counter() - start) / len(probe)
    return BenchResult(
        entries=entries,
        items=items,
        index_seconds=index_seconds,
        match_seconds=match_seconds,
        cpu_seconds=cpu_seconds,
        matched=matched,
        baseline_sample=len(probe),
        baseline_seconds_per_item=per_item,
    )
