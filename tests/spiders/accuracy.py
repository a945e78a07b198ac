"""Per-field extraction accuracy over every hand-written truth file (jobs and websites).

Jobs: each ``fixtures/jobs/<case>.truth.json`` (see :mod:`tests.spiders.jobs_accuracy`);
websites: the ``truth`` of each ``fixtures/website/<case>.meta.json`` (see
:mod:`tests.spiders.website_cases`). Truth is written from the page by hand, before the spider
first runs on it, so a case is never tuned to its own output; the figures are still in-sample
(the code was improved while looking at these pages).

    .venv/bin/python -m tests.spiders.accuracy            # all cases
    .venv/bin/python -m tests.spiders.accuracy CASE ...   # only these cases (first-run scores)
"""

from __future__ import annotations

import sys
from collections import defaultdict


def _line(name: str, ok: int, n: int) -> str:
    share = f"{ok / n:.1%}" if n else "-"
    return f"  {name:<22} {ok:>4}/{n:<4} {share:>7}"


def jobs_report(only: set[str] | None = None) -> tuple[int, int, list[str]]:
    """Print the per-field table of the jobs cases; (right, total, misses)."""
    import time_machine

    from tests.spiders.jobs_accuracy import score_case
    from tests.spiders.jobs_cases import FROZEN_NOW, cases, run_case

    fields: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[str] = []
    for case in cases():
        if only is not None and case.name not in only:
            continue
        with time_machine.travel(FROZEN_NOW, tick=False):
            items = run_case(case)
        result = score_case(case.truth, items)
        for key, (ok, n) in result.by_field.items():
            fields[key][0] += ok
            fields[key][1] += n
        misses.extend(f"{case.name}: {w}" for w in result.wrong)
    right = sum(ok for ok, _ in fields.values())
    total = sum(n for _, n in fields.values())
    print(f"jobs: {right}/{total} fields right" + (f" = {right / total:.1%}" if total else ""))
    for key in sorted(fields):
        print(_line(key, *fields[key]))
    return right, total, misses


def website_report(only: set[str] | None = None) -> tuple[int, int, list[str]]:
    """Print the per-field table of the website cases; (right, total, misses)."""
    from tests.spiders.website_cases import accuracy, truth_cases

    chosen = [c for c in truth_cases() if only is None or c in only]
    per_field, misses = accuracy(chosen)
    right = sum(ok for ok, _ in per_field.values())
    total = sum(n for _, n in per_field.values())
    print(f"websites: {right}/{total} fields right" + (f" = {right / total:.1%}" if total else ""))
    for key, (ok, n) in per_field.items():
        if n:
            print(_line(key, ok, n))
    return right, total, misses


def main(argv: list[str]) -> int:
    only = set(argv) or None
    _, _, job_misses = jobs_report(only)
    print()
    _, _, site_misses = website_report(only)
    if job_misses or site_misses:
        print("\nwrong or missing:")
        for line in (*job_misses, *site_misses):
            print("  " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
