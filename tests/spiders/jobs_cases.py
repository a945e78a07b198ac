"""Fixture cases of the jobs spider, shared by the tests and ``scripts/jobs_accuracy.py``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.spiders.harness import FIXTURES, fixture_response, item_dicts, make_spider

JOBS_FIXTURES = FIXTURES / "jobs"
#: The clock every case is read at ("3 days ago" on this day is 2024-03-12).
FROZEN_NOW = datetime(2024, 3, 15, 12, 0, tzinfo=UTC)
_SIDE_FILES = (".expected.json", ".meta.json", ".truth.json")


@dataclass(frozen=True)
class Case:
    name: str
    page: Path

    @property
    def meta(self) -> dict[str, Any]:
        path = self.page.with_name(f"{self.name}.meta.json")
        return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}

    @property
    def expected_path(self) -> Path:
        return self.page.with_name(f"{self.name}.expected.json")

    @property
    def truth(self) -> list[dict[str, Any]]:
        path = self.page.with_name(f"{self.name}.truth.json")
        truth: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
        return truth


def cases() -> list[Case]:
    out = []
    for path in sorted(JOBS_FIXTURES.iterdir()):
        if path.is_file() and not path.name.endswith(_SIDE_FILES):
            out.append(Case(name=path.name.split(".", 1)[0], page=path))
    return out


def run_case(case: Case) -> list[dict[str, Any]]:
    """The items the spider's callback yields for a case (call under a frozen clock)."""
    from spiders.jobs import JobsSpider

    meta = case.meta
    url = meta["url"]
    spider = make_spider(JobsSpider, urls=[url], **meta.get("source_options", {}))
    response = fixture_response(case.page, url, headers=meta.get("headers"))
    callback = getattr(spider, meta.get("callback", "parse"))
    return item_dicts(callback(response, **meta.get("cb_kwargs", {})))
