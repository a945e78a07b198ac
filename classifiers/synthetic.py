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


HARDBANK = DATA_DIR / "negatives" / "hardbank.json"
HARD_GENRES = ("job_ordinary", "job_tech", "site_corporate", "data_stats")


@lru_cache(maxsize=2)
def load_hardbank(path: Path = HARDBANK) -> dict[str, dict[str, list[str]]]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return {lang: bank for lang, bank in data.items() if not lang.startswith("_")}


def _sentences(pool: list[str], rng: random.Random, low: int, high: int) -> list[str]:
    return rng.sample(pool, min(len(pool), rng.randint(low, high)))


def hard_negatives(n: int, *, seed: int = 0, languages: Sequence[str] | None = None) -> list[str]:
    """``n`` harder ordinary texts: bank/retail/logistics/hospital/hotel/factory adverts,
    commercial software and marketing adverts, corporate websites that talk about "digital",
    "data", "platform", "community" and "sustainability", and budget/statistics datasets --
    3 to 6 sentences of one genre (sometimes one of another) in one of ten languages."""
    banks = load_hardbank()
    langs = list(languages or banks)
    rng = random.Random(seed)
    out = []
    for i in range(n):
        lang = langs[i % len(langs)]
        genre = HARD_GENRES[(i // len(langs)) % len(HARD_GENRES)]
        bank = banks[lang]
        if genre == "data_stats":
            out.append(_dataset(bank, banks["en"], rng))
            continue
        parts = _sentences(bank[genre], rng, 3, 6)
        if rng.random() < 0.3:
            other = rng.choice([g for g in HARD_GENRES if g != genre and g != "data_stats"])
            parts.insert(rng.randint(0, len(parts)), rng.choice(bank[other]))
        parts.insert(0, rng.choice(bank["names"]) + ".")
        out.append(" ".join(parts))
    return out


def _dataset(bank: dict[str, list[str]], english: dict[str, list[str]], rng: random.Random) -> str:
    """An ordinary open-data record: a title on any public topic (libraries, elections, noise,
    hospital beds...), a statistics sentence or two, its theme (sometimes also in English, as
    portals often tag), publisher and technical lines."""
    parts = [rng.choice(bank["data_titles"]) + "."]
    parts += _sentences(bank["data_stats"], rng, 1, 2)
    themes = [rng.choice(bank["data_themes"])]
    if rng.random() < 0.4:
        themes.append(rng.choice(english["data_themes"]))
    parts.append(" / ".join(themes) + ".")
    parts.append(rng.choice(bank["authorities"]) + ".")
    parts += _sentences(bank["data_lines"], rng, 1, 2)
    return " ".join(parts)


def multilingual_positives(
    n: int, *, seed: int = 0, languages: Sequence[str] | None = None
) -> list[str]:
    """``n`` short synthetic DSI texts in ten languages (the DSI4EU sample is ~98 % English, so
    without them "not English" alone would look like "not DSI"). A name, 2-4 DSI sentences and,
    half of the time, one sentence of ordinary advert boilerplate (salary, how to apply), so that
    the genre's boilerplate is not evidence against DSI."""
    banks = load_hardbank()
    langs = list(languages or banks)
    rng = random.Random(seed + 7919)
    out = []
    for i in range(n):
        bank = banks[langs[i % len(langs)]]
        parts = [rng.choice(bank["pos_names"]) + ".", *_sentences(bank["dsi"], rng, 2, 4)]
        if rng.random() < 0.5:
            parts.append(rng.choice(bank["job_ordinary"][-2:]))
        out.append(" ".join(parts))
    return out
