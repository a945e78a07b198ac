"""A tiny export in the digitalsocial.eu format, written for these tests (no real records)."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

TOPICS = {
    "crowd": (
        "Crowdsourcing, crowdmapping and crowdfunding",
        "Digital democracy",
        "citizens crowdmap reports petitions participation crowdfunding campaign vote",
    ),
    "learn": (
        "Online learning and MOOCs",
        "Skills and learning",
        "online courses learners teachers school lessons mooc skills training students",
    ),
    "sensor": (
        "Sensors and internet of things",
        "Food, environment and climate change",
        "air quality sensors arduino measurements pollution climate energy monitoring",
    ),
}


def make_project(
    pid: int, topic: str, rng: random.Random, *, lang_words: str = ""
) -> dict[str, Any]:
    tech, area, words = TOPICS[topic]
    vocab = words.split()
    text = " ".join(rng.choice(vocab) for _ in range(25)) + " " + lang_words
    return {
        "project_id": pid,
        "project_name": f"{topic} project {pid}",
        "website": "",
        "short_description": "",
        "long_description": f"<p>{text}</p>",
        "social_impact": "",
        "start_date": None,
        "end_date": None,
        "country": "",
        "region": "",
        "latitude": "",
        "longitude": "",
        "linked_organisation_ids": [],
        "who_we_help_tags": [],
        "support_tags": [{"id": "1", "name": area}],
        "focus": [{"id": "4", "name": "Open knowledge"}],
        "technology": [{"id": "9", "name": tech}],
        "creation_date": "2017-01-01",
    }


def tiny_export(n_per_topic: int = 12, seed: int = 0) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    pid = 1
    for topic in TOPICS:
        for _ in range(n_per_topic):
            out.append(make_project(pid, topic, rng))
            pid += 1
    return out


@pytest.fixture
def tiny_export_path(tmp_path: Path) -> Path:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tiny_export()), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tiny_trained() -> Any:
    """A model trained once on the tiny export (a few seconds)."""
    from classifiers.dataset import parse_records
    from classifiers.models import ModelParams
    from classifiers.train import train

    dataset = parse_records(tiny_export(), source="tiny")
    params = ModelParams(
        char_ngrams=(3, 4), min_df=1, max_features=5000, relevance_max_features=5000
    )
    return train(dataset, params=params, tasks=("technology", "area"))
