"""Measuring the matcher on real DSI4EU organisations (or projects) with generated web noise.

Organisations are described below; projects (``projects.json``) go through the same steps
with their own ids and names.

The organisations are split in two by a hash of their id: the **fit** half (the model and its
threshold are fitted on queries made from these names) and the **held-out** half (figures are
reported on queries made from these, never used for fitting). In each half a quarter of the
organisations is left out of the database: queries made from them are real organisations
that are not in the database (right answer: no match). The database holds the other
organisations of both halves. Queries:

* ``noisy``: an organisation in the database under web noise (:mod:`matching.noise`) -> its id;
* ``absent``: an organisation not in the database, under the same noise -> no match;
* ``look_alike``: another organisation of the same kind made from one in the database
  ("Fab Lab Palermo" -> "Fab Lab Bergamo") -> no match.

Half of the organisations without a website get a plausible one of their own (the sample has
few), a quarter a LinkedIn page; queries carry them half of the time (a page of the site, a
subdomain...), and a third of those carry another name of the organisation (an acronym, a
descriptor added): what an employer field next to the employer's website looks like.

Organisations entered twice (same name words and country) count as one: either id is right.
The baseline is a plain fuzzy matcher: the database name with the best rapidfuzz ``WRatio``,
a match when it reaches 90.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process, utils

from matching.features import FEATURES, compare, prepare
from matching.index import Matcher, MatchResult
from matching.model import MatchModel, fit_model, tune_threshold
from matching.names import parse_name
from matching.noise import alias, look_alike, noisy_name, noisy_place, noisy_website, website_for
from matching.places import country_code
from matching.records import Record

__all__ = ["Experiment", "Query", "build_experiment", "evaluate", "fit_on", "run"]

BASELINE_CUTOFF = 90.0


@dataclass(frozen=True, slots=True)
class Query:
    record: Record
    #: ids that are right answers; empty = the right answer is "no match"
    expected: frozenset[str]
    kind: str  # noisy | absent | look_alike
    noise: tuple[str, ...] = ()


@dataclass(slots=True)
class Experiment:
    database: list[Record]
    fit: list[Query] = field(default_factory=list)
    held_out: list[Query] = field(default_factory=list)


def _bucket(value: str, salt: str) -> float:
    digest = hashlib.sha1(f"{salt}:{value}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32


def _record(org: dict[str, Any]) -> Record:
    return Record(
        id=str(org["id"]),
        name=str(org["name"]),
        website=org.get("website") or None,
        country=org.get("country") or None,
        city=org.get("region") or None,
        social=tuple(org.get("_social") or ()),
    )


def _with_keys(org: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The organisation, with a generated own website and LinkedIn page at times."""
    out = dict(org)
    code = country_code(org.get("country") or None)
    if not out.get("website") and rng.random() < 0.5:
        out["website"] = website_for(out["name"], code, rng)
    if rng.random() < 0.25:
        slug = "-".join(parse_name(out["name"], code).variants[0].tokens)
        out["_social"] = [f"https://www.linkedin.com/company/{slug or 'org'}-{org['id']}"]
    return out


def _plain(record: dict[str, Any]) -> dict[str, Any]:
    """An organisation or project record of the export format with ``id`` and ``name``."""
    kind = "organisation" if "organisation_name" in record else "project"
    out = dict(record)
    out["id"] = record.get(f"{kind}_id")
    out["name"] = record.get(f"{kind}_name")
    return out


def build_experiment(
    records: Sequence[dict[str, Any]], *, seed: int = 0, variants: int = 2
) -> Experiment:
    """Database and labelled queries from DSI4EU organisation (or project) records in the
    export format (see module docstring)."""
    rng = random.Random(seed)
    usable = [_with_keys(o, rng) for o in map(_plain, records) if str(o.get("name") or "").strip()]
    groups: dict[tuple[str, str | None], list[dict[str, Any]]] = defaultdict(list)
    for org in usable:
        code = country_code(org.get("country") or None)
        groups[(parse_name(org["name"], code).key, code)].append(org)
    in_db: set[str] = set()
    for org in usable:
        if _bucket(str(org["id"]), "absent") >= 0.25:
            in_db.add(str(org["id"]))
    group_of = {str(o["id"]): key for key, members in groups.items() for o in members}
    experiment = Experiment(database=[_record(o) for o in usable if str(o["id"]) in in_db])
    db_keys = {parse_name(r.name).key for r in experiment.database}
    fillers = sorted(
        {
            w
            for o in usable
            for w in str(o.get("region") or "").split()
            if w.isalpha() and len(w) > 3
        }
    )
    for org in usable:
        oid = str(org["id"])
        held_out = _bucket(oid, "split") >= 0.5
        target = experiment.held_out if held_out else experiment.fit
        expected = frozenset(str(o["id"]) for o in groups[group_of[oid]] if str(o["id"]) in in_db)
        kind = "noisy" if oid in in_db else "absent"
        code = country_code(org.get("country") or None)
        for n in range(variants):
            name, noise = noisy_name(org["name"], code, rng)
            city, country, place_noise = noisy_place(
                org.get("region") or None, org.get("country") or None, rng
            )
            website = org.get("website") if rng.random() < 0.5 else None
            social = tuple(org.get("_social") or ()) if rng.random() < 0.5 else ()
            if website:
                website = noisy_website(website, rng)
                noise.append("website")
            if social:
                noise.append("linkedin")
            if (website or social) and rng.random() < 0.33:
                name = alias(org["name"], code, rng)
                noise.append("alias")
            query = Record(
                id=f"{oid}#{n}", name=name, website=website, country=country, city=city,
                social=social,
            )  # fmt: skip
            target.append(Query(query, expected, kind, tuple(noise + place_noise)))
        if oid in in_db:
            other = look_alike(org["name"], rng, fillers)
            if other is not None and parse_name(other).key not in db_keys:
                city, country, _ = noisy_place(
                    org.get("region") or None, org.get("country") or None, rng
                )
                website = website_for(other, code, rng) if rng.random() < 0.5 else None
                query = Record(
                    id=f"{oid}#alike", name=other, country=country, city=city, website=website
                )
                target.append(Query(query, frozenset(), "look_alike"))
    return experiment


@dataclass(slots=True)
class Figures:
    queries: int = 0
    right: int = 0
    false_matches: int = 0
    missed: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=dict)  # kind -> [queries, right, false]

    def add(self, kind: str, predicted: str | None, expected: frozenset[str]) -> None:
        self.queries += 1
        row = self.by_kind.setdefault(kind, [0, 0, 0])
        row[0] += 1
        if (predicted is None and not expected) or (predicted in expected):
            self.right += 1
            row[1] += 1
        elif predicted is not None:
            self.false_matches += 1
            row[2] += 1
        else:
            self.missed += 1

    def to_dict(self) -> dict[str, Any]:
        n = max(self.queries, 1)
        return {
            "queries": self.queries,
            "right": round(self.right / n, 4),
            "false_matches": round(self.false_matches / n, 4),
            "missed": round(self.missed / n, 4),
            "by_kind": {
                k: {"queries": q, "right": round(r / q, 4), "false_matches": round(f / q, 4)}
                for k, (q, r, f) in sorted(self.by_kind.items())
            },
        }


def training_pairs(
    matcher: Matcher, queries: Sequence[Query]
) -> tuple[list[tuple[float, ...]], list[int]]:
    """Feature rows of each query against its blocked candidates, labelled by the truth."""
    rows: list[tuple[float, ...]] = []
    labels: list[int] = []
    for q in queries:
        prepared = matcher.with_splits(prepare(q.record))
        for i in matcher.block(prepared):
            entry = matcher.entries[i]
            rows.append(compare(prepared, entry, matcher.weights).values)
            labels.append(int(entry.record.id in q.expected))
    return rows, labels


#: a model that scores nothing: blocking and features do not depend on the model
_UNFITTED = MatchModel(coefficients=(0.0,) * len(FEATURES), intercept=0.0, threshold=0.5)


def fit_on(experiment: Experiment, kind: str = "organisations") -> MatchModel:
    """Fit the model and tune its threshold on the fit half only."""
    matcher = Matcher(experiment.database, _UNFITTED)
    rows, labels = training_pairs(matcher, experiment.fit)
    model = fit_model(
        rows,
        labels,
        metadata={
            "fitted_on": f"DSI4EU {kind}, fit half (by hash of their id), generated web noise",
            "pairs": len(rows),
            "matching_pairs": sum(labels),
        },
    )
    matcher.model = model
    outcomes = []
    for q in experiment.fit:
        result = matcher.match(q.record)
        best = result.candidates[0] if result.candidates else None
        outcomes.append(
            (result.score, best is not None and best.id in q.expected, bool(q.expected))
        )
    return model.with_threshold(tune_threshold(outcomes))


def evaluate(matcher: Matcher, queries: Sequence[Query]) -> tuple[Figures, list[MatchResult]]:
    figures = Figures()
    results = []
    for q in queries:
        result = matcher.match(q.record)
        results.append(result)
        figures.add(q.kind, result.match, q.expected)
    return figures, results


def baseline(database: Sequence[Record], queries: Sequence[Query]) -> Figures:
    """Best ``WRatio`` over all database names; a match at 90 or more."""
    names = [r.name for r in database]
    figures = Figures()
    for q in queries:
        found = process.extractOne(
            q.record.name, names, scorer=fuzz.WRatio, processor=utils.default_process,
            score_cutoff=BASELINE_CUTOFF,
        )  # fmt: skip
        figures.add(q.kind, database[found[2]].id if found else None, q.expected)
    return figures


def run(
    records: Sequence[dict[str, Any]],
    *,
    seed: int = 0,
    kind: str = "organisations",
    also: MatchModel | None = None,
) -> dict[str, Any]:
    """Fit on the fit half, report both halves (fit: in-sample; held-out: honest).

    ``also``: another model (the shipped one, fitted on organisations) reported on the same
    queries with its own threshold, as ``also_model``."""
    experiment = build_experiment(records, seed=seed)
    model = fit_on(experiment, kind)
    matcher = Matcher(experiment.database, model)
    other = Matcher(experiment.database, also) if also is not None else None
    report: dict[str, Any] = {
        "kind": kind,
        "database_entries": len(experiment.database),
        "threshold": model.threshold,
        "model": model.to_dict(),
    }
    for split, queries in (("held_out", experiment.held_out), ("fit_in_sample", experiment.fit)):
        figures, _ = evaluate(matcher, queries)
        report[split] = {
            "matcher": figures.to_dict(),
            "baseline_wratio90": baseline(experiment.database, queries).to_dict(),
            "noise": dict(Counter(n for q in queries for n in q.noise).most_common()),
        }
        if other is not None:
            report[split]["also_model"] = evaluate(other, queries)[0].to_dict()
    return report
