"""Synthetic relevance negatives and genre-wrapped positives (see ``data/negatives/README.md``).

Negatives: ordinary job adverts, organisation websites and dataset descriptions in seven European
languages, filled from the hand-written phrase bank ``data/negatives/phrasebank.json``.

Genre-wrapped positives: a DSI4EU project's own description placed in the *same* job-advert /
website / dataset frames. Without them the relevance model would learn the genre ("we are
hiring" = not DSI) instead of the content, and score every civic-tech job advert low.

Everything is seeded: the same seed gives the same texts.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from classifiers.taxonomy import DATA_DIR

PHRASEBANK = DATA_DIR / "negatives" / "phrasebank.json"
GENRES = ("job", "site", "data")


@lru_cache(maxsize=2)
def load_phrasebank(path: Path = PHRASEBANK) -> dict[str, dict[str, list[str]]]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return {lang: bank for lang, bank in data.items() if not lang.startswith("_")}


def _fill(
    frame: str, bank: dict[str, list[str]], rng: random.Random, extra: dict[str, str] | None = None
) -> str:
    slots: dict[str, str] = {k: rng.choice(v) for k, v in bank.items() if not k.endswith("frame")}
    slots["dataset_lc"] = slots["dataset"][:1].lower() + slots["dataset"][1:]
    if extra:
        slots.update(extra)
    return frame.format(**slots)


def negatives(n: int, *, seed: int = 0, languages: Sequence[str] | None = None) -> list[str]:
    """``n`` ordinary (non-DSI) texts, spread over genres and languages."""
    banks = load_phrasebank()
    langs = list(languages or banks)
    rng = random.Random(seed)
    out = []
    for i in range(n):
        lang = langs[i % len(langs)]
        genre = GENRES[(i // len(langs)) % len(GENRES)]
        bank = banks[lang]
        out.append(_fill(rng.choice(bank[f"{genre}_frame"]), bank, rng))
    return out


def wrap_positive(name: str, text: str, *, seed: int, language: str = "en") -> str:
    """A DSI project's text framed as a job advert, website or dataset description."""
    banks = load_phrasebank()
    bank = banks.get(language, banks["en"])
    rng = random.Random(seed)
    genre = GENRES[seed % len(GENRES)]
    frame = rng.choice(bank[f"{genre}_frame"])
    body = text.replace("{", "(").replace("}", ")")
    safe_name = name.replace("{", "(").replace("}", ")") or "our project"
    if genre == "job":
        extra = {"company": safe_name, "about": "", "duties": body}
    elif genre == "site":
        extra = {"company": safe_name, "about": body, "services": "", "closing": ""}
    else:
        extra = {"dataset": safe_name, "data_desc": body}
    return " ".join(_fill(frame, bank, rng, extra).split())
