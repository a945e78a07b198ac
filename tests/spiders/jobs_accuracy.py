"""Field-level extraction accuracy of the jobs spider on its fixture cases.

Each case has a hand-written ``<case>.truth.json``: the adverts on the page with the fields a
reader can see there (written from the page, not from the spider's output). For every truth
field, the extracted item is right or wrong; figures are per extraction method.

    .venv/bin/python -m tests.spiders.jobs_accuracy
"""

from __future__ import annotations

import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

_SPECIAL = ("description_contains", "description_excludes", "warnings_contain")


@dataclass
class CaseScore:
    correct: int = 0
    total: int = 0
    missing_items: int = 0
    extra_items: int = 0
    wrong: list[str] = field(default_factory=list)
    by_method: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    #: field -> [right, total] (a missing advert counts every truth field of it as wrong)
    by_field: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))

    @property
    def details(self) -> str:
        return "; ".join(self.wrong) or "ok"


def _same(expected: Any, got: Any) -> bool:
    if expected is None:
        return got is None
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected is got
    if isinstance(expected, int | float):
        return isinstance(got, int | float) and abs(float(got) - float(expected)) < 0.5
    if isinstance(expected, str):
        return isinstance(got, str) and got.casefold().strip() == expected.casefold().strip()
    return bool(expected == got)


def _match(truth: dict[str, Any], items: list[dict[str, Any]]) -> dict[str, Any] | None:
    for item in items:
        if item.get("url") == truth.get("url"):
            return item
    for item in items:
        if _same(truth.get("title"), item.get("title")):
            return item
    return None


def score_case(truth_items: list[dict[str, Any]], items: list[dict[str, Any]]) -> CaseScore:
    score = CaseScore()
    used: set[int] = set()
    for truth in truth_items:
        method = str(truth.get("extraction", "?"))
        item = _match(truth, [i for i in items if id(i) not in used])
        n_fields = sum(1 for k in truth if k not in _SPECIAL) + sum(
            1 for k in _SPECIAL if k in truth
        )
        if item is None:
            score.missing_items += 1
            score.total += n_fields
            score.by_method[method][1] += n_fields
            for key in truth:
                score.by_field[key][1] += 1
            score.wrong.append(f"missing advert {truth.get('title')!r}")
            continue
        used.add(id(item))
        for key, expected in truth.items():
            if key == "description_contains":
                ok = all(s in item.get("description", "") for s in expected)
            elif key == "description_excludes":
                ok = not any(s in item.get("description", "") for s in expected)
            elif key == "warnings_contain":
                ok = all(any(s in w for w in item.get("warnings", [])) for s in expected)
            elif key == "location_city" and isinstance(expected, str):
                # the gazetteer's own name counts (GeoNames says "Köln", "Århus")
                from spiders.parsers.places import resolve_place

                ok = _same(expected, item.get(key)) or _same(
                    resolve_place(expected).city, item.get(key)
                )
            else:
                ok = _same(expected, item.get(key))
            score.total += 1
            score.by_method[method][1] += 1
            score.by_field[key][1] += 1
            if ok:
                score.correct += 1
                score.by_method[method][0] += 1
                score.by_field[key][0] += 1
            else:
                got = item.get(key) if key not in _SPECIAL else "(see item)"
                score.wrong.append(
                    f"{truth.get('title')!r}.{key}: expected {expected!r}, got {got!r}"
                )
    score.extra_items = len(items) - len(used)
    if score.extra_items:
        score.wrong.append(f"{score.extra_items} unexpected adverts")
    return score


def main() -> int:
    import time_machine

    from tests.spiders.jobs_cases import FROZEN_NOW, cases, run_case

    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    adverts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    all_wrong: list[str] = []
    for case in cases():
        with time_machine.travel(FROZEN_NOW, tick=False):
            items = run_case(case)
        result = score_case(case.truth, items)
        for method, (ok, n) in result.by_method.items():
            totals[method][0] += ok
            totals[method][1] += n
        for truth in case.truth:
            adverts[str(truth.get("extraction"))][1] += 1
        found = len(case.truth) - result.missing_items
        if case.truth:
            adverts[str(case.truth[0].get("extraction"))][0] += found
        all_wrong.extend(f"{case.name}: {w}" for w in result.wrong)
    print(f"{'method':<10} {'adverts':>9} {'fields':>11} {'accuracy':>9}")
    grand = [0, 0]
    for method in sorted(totals):
        ok, n = totals[method]
        grand[0] += ok
        grand[1] += n
        a_ok, a_n = adverts[method]
        print(f"{method:<10} {a_ok:>4}/{a_n:<4} {ok:>5}/{n:<5} {ok / n:>8.1%}")
    print(f"{'all':<10} {'':>9} {grand[0]:>5}/{grand[1]:<5} {grand[0] / grand[1]:>8.1%}")
    if all_wrong:
        print("\nwrong or missing:")
        for line in all_wrong:
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
