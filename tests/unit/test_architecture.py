"""Imports point one way (house style): every module is parsed with ``ast`` and each import,
top-level or inside a function, is checked against the rules below."""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True, slots=True)
class Rule:
    """Modules under ``scope`` (a package folder or one module file) must not import ``banned``
    packages, except the modules listed in ``allowed``."""

    scope: str
    banned: tuple[str, ...]
    allowed: tuple[str, ...] = ()

    def applies_to(self, module: str) -> bool:
        return module == self.scope or module.startswith(self.scope + ".")

    def forbids(self, imported: str) -> bool:
        if any(imported == ok or imported.startswith(ok + ".") for ok in self.allowed):
            return False
        return any(imported == bad or imported.startswith(bad + ".") for bad in self.banned)


RULES = (
    Rule("spiders", ("storage", "sqlalchemy")),
    Rule("storage", ("crawler", "spiders", "scrapy", "classifiers", "review")),
    Rule(
        "classifiers",
        ("scrapy", "twisted", "sqlalchemy", "storage", "spiders", "crawler"),
        allowed=("crawler.text",),
    ),
    Rule("crawler.settings", ("storage",)),
    # the review app reads and writes through storage and reads crawler settings only
    Rule(
        "review",
        ("crawler", "spiders", "scrapy", "twisted", "classifiers"),
        allowed=("crawler.settings",),
    ),
    # entity resolution is pure: records in, scored matches out; the gazetteer and the social
    # and text helpers it reuses are pure modules too
    Rule(
        "matching",
        ("scrapy", "twisted", "sqlalchemy", "storage", "spiders", "crawler", "classifiers"),
        allowed=(
            "crawler.text",
            "crawler.urls",
            "spiders.parsers.places",
            "spiders.parsers.social",
        ),
    ),
    # researchers' reports read storage and the taxonomy's data; the CLI wires them
    Rule(
        "reports",
        ("scrapy", "twisted", "spiders", "crawler", "classifiers"),
        allowed=("classifiers.taxonomy",),
    ),
)


def imported_modules(source: str, module: str) -> list[tuple[int, str]]:
    """``(line, dotted name)`` for every import in ``source``, anywhere (functions, classes,
    ``TYPE_CHECKING`` blocks); ``from a.b import c`` gives ``a.b.c``, relative imports are
    resolved against ``module``."""
    found: list[tuple[int, str]] = []
    package = module.split(".")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = ".".join(package[: len(package) - node.level])
                base = f"{parent}.{base}".strip(".")
            found.extend((node.lineno, f"{base}.{alias.name}".strip(".")) for alias in node.names)
    return found


def violations(source: str, module: str, rules: tuple[Rule, ...] = RULES) -> list[str]:
    """``module:line imports name`` for each import a rule forbids."""
    return [
        f"{module}:{line} imports {name}"
        for rule in rules
        if rule.applies_to(module)
        for line, name in imported_modules(source, module)
        if rule.forbids(name)
    ]


def project_modules() -> list[tuple[str, Path]]:
    out = []
    for package in (
        "spiders",
        "storage",
        "classifiers",
        "crawler",
        "matching",
        "review",
        "reports",
    ):
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out.append((".".join(parts), path))
    return out


def test_every_package_is_checked() -> None:
    modules = {name for name, _ in project_modules()}
    assert {
        "spiders.opendata",
        "storage.jobs",
        "crawler.settings",
        "matching.keys",
        "review.app",
    } <= (modules)
    assert any(name.startswith("classifiers.") for name in modules)
    assert "reports.trends" in modules


def test_imports_point_one_way() -> None:
    found = [
        problem
        for module, path in project_modules()
        for problem in violations(path.read_text(encoding="utf-8"), module)
    ]
    assert found == []


# --- the checker itself ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        ("spiders.x", "import storage.session\n", ["spiders.x:1 imports storage.session"]),
        ("spiders.x", "from sqlalchemy import select\n", ["spiders.x:1 imports sqlalchemy.select"]),
        (
            "spiders.x",
            "def f():\n    from storage.seeds import seed_urls\n    return seed_urls\n",
            ["spiders.x:2 imports storage.seeds.seed_urls"],
        ),
        (
            "spiders.x",
            "class S:\n    def f(self):\n        import sqlalchemy\n",
            ["spiders.x:3 imports sqlalchemy"],
        ),
        (
            "spiders.x",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import storage\n",
            ["spiders.x:3 imports storage"],
        ),
        ("spiders.x", "from crawler.items import JobAdvert\n", []),
        (
            "storage.jobs",
            "from crawler.dedupe import D\n",
            ["storage.jobs:1 imports crawler.dedupe.D"],
        ),
        ("storage.pkg.mod", "from ..spiders import x\n", []),
        ("storage.items", "from .models import Item\n", []),
        ("storage.items", "import scrapy\n", ["storage.items:1 imports scrapy"]),
        (
            "classifiers.f",
            "import twisted.internet\n",
            ["classifiers.f:1 imports twisted.internet"],
        ),
        ("classifiers.f", "from crawler.text import words\n", []),
        ("classifiers.f", "from crawler import text\n", []),
        ("classifiers.f", "from crawler import items\n", ["classifiers.f:1 imports crawler.items"]),
        ("classifiers.f", "from . import storage\n", []),
        (
            "crawler.settings",
            "import os\nfrom storage.session import x\n",
            ["crawler.settings:2 imports storage.session.x"],
        ),
        ("crawler.pipelines.store", "from storage.session import x\n", []),
        ("review.app", "from storage.review_queue import x\n", []),
        ("review.app", "from crawler import settings\n", []),
        ("review.app", "from crawler.cli import app\n", ["review.app:1 imports crawler.cli.app"]),
        ("storage.x", "from review.auth import y\n", ["storage.x:1 imports review.auth.y"]),
        ("matching.index", "from spiders.parsers.places import resolve_place\n", []),
        (
            "matching.index",
            "from spiders.jobs import JobsSpider\n",
            ["matching.index:1 imports spiders.jobs.JobsSpider"],
        ),
        ("matching.index", "import sqlalchemy\n", ["matching.index:1 imports sqlalchemy"]),
        ("reports.data", "from storage.research import x\n", []),
        ("reports.geo", "from classifiers.taxonomy import DATA_DIR\n", []),
        (
            "reports.geo",
            "from classifiers.predict import Predictor\n",
            ["reports.geo:1 imports classifiers.predict.Predictor"],
        ),
        ("reports.x", "import scrapy\n", ["reports.x:1 imports scrapy"]),
        ("reports.x", "from crawler.items import A\n", ["reports.x:1 imports crawler.items.A"]),
    ],
)
def test_checker_on_synthetic_sources(module: str, source: str, expected: list[str]) -> None:
    assert violations(source, module) == expected
