"""Score stored items with the active model and update candidates (``dsi classify``, ``dsi demo``).

What each item says about a candidate (:func:`candidate_refs`), per item type:

* website profile -> organisation: its site is its website (``domain:`` + the registrable
  domain, Public Suffix List), its social pages are social links (``social:`` keys);
* job advert -> the hiring organisation: its URL is its website when it is its own site, a
  social link (``social:`` key) when it is a LinkedIn/Facebook... page, and says nothing when it
  is a job board; with neither, ``name:`` + the normalised name; no employer name, no candidate;
* open-data showcase -> project: ``site:`` + the site of ``showcase_url`` (host and port: an
  organisation's subdomains are its different projects), a social page as above, else the title;
* open-data publisher -> organisation, ``name:`` + normalised name;
* open-data datasets are scored but make no candidate.

Which candidate a reference joins -- one per real organisation, whatever the evidence -- is
``crawler.resolve``'s: same key, else the matcher; each touched candidate is then matched
against the main database.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from classifiers.predict import Prediction, Predictor
from classifiers.registry import ModelInfo, load_active
from classifiers.train import DecisionExample
from crawler.items import ITEM_CLASSES
from crawler.resolve import CandidateResolver, MainMatcher, match_candidates
from matching.keys import own_domain, social_key
from matching.names import parse_name
from spiders.parsers.site_urls import site_key
from storage.candidates import (
    CandidateRef,
    link_evidence,
    refresh_candidates,
    review_queue,
)
from storage.decisions import DecisionRow
from storage.maindb import KINDS, match_records
from storage.match_tuning import tuned_thresholds
from storage.models import Item
from storage.scores import ScoreRow, items_to_score, upsert_scores
from storage.session import session_scope

logger = logging.getLogger(__name__)


def normalise_name(name: str) -> str:
    """A name key for an organisation or project (accents, case, legal form, decoration)."""
    return parse_name(name).key


def _identity(url: str | None) -> tuple[str | None, list[str], dict[str, str]]:
    """(own website, identity keys, social links) of a URL naming an organisation: its own
    site gives a ``domain:`` key; a social page a ``social:`` key (and is no website)."""
    domain = own_domain(url)
    if domain:
        return url, [f"domain:{domain}"], {}
    handle = social_key(url)
    if handle and url:
        return None, [f"social:{handle}"], {handle.split(":", 1)[0]: url}
    return None, [], {}


def item_text(spider: str, data: dict[str, Any]) -> str:
    """The item's ``text_for_classifier()`` rebuilt from its stored fields."""
    cls = ITEM_CLASSES.get(spider)
    if cls is not None:
        names = {f.name for f in fields(cls)}
        try:
            return cls(**{k: v for k, v in data.items() if k in names}).text_for_classifier()
        except TypeError:
            logger.debug("item fields do not fit %s; using the text fields", spider)
    parts = [
        data.get(k) for k in ("name", "title", "hiring_organization", "description", "main_text")
    ]
    return "\n".join(p for p in parts if isinstance(p, str) and p)


def candidate_refs(item: Item) -> list[CandidateRef]:
    """The candidates an item is evidence for (see module docstring)."""
    f = dict(item.fields or {})
    if item.spider == "website":
        site = f.get("site") or item.url
        website, keys, _ = _identity(site)
        social = {k: v for k, v in (f.get("social_links") or {}).items() if isinstance(v, str)}
        keys += [f"social:{h}" for url in social.values() if (h := social_key(url))]
        if not keys:
            return []
        return [
            CandidateRef(
                kind="organisation",
                key=keys[0],
                keys=tuple(keys[1:]),
                name=f.get("name") or f.get("title") or site,
                website=website,
                social_links=social,
                country=f.get("country"),
                city=f.get("city"),
                role="website",
            )
        ]
    if item.spider == "jobs":
        return _named_ref(
            "organisation",
            (f.get("hiring_organization") or "").strip(),
            f.get("hiring_organization_url"),
            country=f.get("location_country"),
            city=f.get("location_city"),
            role="job_advert",
        )
    if item.spider == "opendata":
        title = (f.get("title") or "").strip()
        if f.get("kind") == "showcase":
            return _named_ref(
                "project", title, f.get("showcase_url"), country=f.get("country"), role="showcase"
            )
        if f.get("kind") == "publisher":
            return _named_ref(
                "organisation", title, None, country=f.get("country"), role="publisher"
            )
    return []


def _named_ref(
    kind: str,
    name: str,
    url: str | None,
    *,
    country: str | None = None,
    city: str | None = None,
    role: str,
) -> list[CandidateRef]:
    """A candidate named by an item (an employer, a publisher, a showcase), with the URL it
    gives: an own website or a social page gives the identity key, else the name does."""
    website, keys, social = _identity(url)
    if kind == "project" and website and keys and keys[0].startswith("domain:"):
        # one organisation runs many projects on its own subdomains (carte.paris.fr,
        # velib.paris.fr): a project is its site's host, not the registrable domain
        keys = [f"site:{site_key(website) or website}"]
    name_key = normalise_name(name) if name else ""
    if not keys and name_key:
        keys = [f"name:{name_key}"]
    if not keys:
        return []
    return [
        CandidateRef(
            kind=kind,
            key=keys[0],
            name=name or website or url or keys[0],
            website=website,
            social_links=social,
            country=country,
            city=city,
            role=role,
        )
    ]


@dataclass(slots=True, kw_only=True)
class TopCandidate:
    id: int
    name: str
    kind: str
    relevance: float
    technologies: list[str]
    areas: list[str]
    explanation: list[str]
    #: words that pulled the relevance down ("looks ordinary because")
    against: list[str] = field(default_factory=list)
    website: str | None = None


@dataclass(slots=True, kw_only=True)
class ClassifySummary:
    model_version: str
    scored: int = 0
    candidates_updated: int = 0
    relevant: int = 0
    warnings: int = 0
    seconds: float = 0.0
    top: list[TopCandidate] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        from dataclasses import asdict

        return asdict(self)


def _score_row(item: Item, pred: Prediction, version: str) -> ScoreRow:
    return ScoreRow(
        item_id=item.id,
        model_version=version,
        relevance=pred.relevance,
        technologies=pred.technologies,
        areas=pred.areas,
        explanation=pred.explanation,
        uncertainty=pred.uncertainty,
    )


def _batches(
    database_url: str, version: str, pending_only: bool, batch_size: int
) -> Iterator[list[tuple[int, str, str | None]]]:
    after = 0
    while True:
        with session_scope(database_url) as session:
            items = items_to_score(
                session, version, pending_only=pending_only, after_id=after, limit=batch_size
            )
            batch = [(i.id, item_text(i.spider, dict(i.fields or {})), i.language) for i in items]
        if not batch:
            return
        after = batch[-1][0]
        yield batch


def classify_stored_items(
    database_url: str,
    model_dir: Path,
    *,
    pending_only: bool = True,
    batch_size: int = 256,
    top: int = 10,
    detect_language: bool = True,
    on_batch: Callable[[int], Any] | None = None,
    main_database_url: str | None = None,
) -> ClassifySummary:
    """Score stored items with the active model, write scores and update candidates: one
    per organisation (``crawler.resolve``), each matched against the main database at
    ``main_database_url`` (default: the same database)."""
    start = time.perf_counter()
    info, model = load_active(model_dir)
    predictor = Predictor(model, info.version)
    summary = ClassifySummary(model_version=info.version)
    per_run: dict[int, list[int]] = {}  # run id -> [scored, relevant]
    resolver = CandidateResolver()
    main = _main_matcher(main_database_url or database_url)
    for batch in _batches(database_url, info.version, pending_only, batch_size):
        preds = predictor.predict(
            [t for _, t, _ in batch],
            languages=[lang for *_, lang in batch],
            detect_language=detect_language,
        )
        with session_scope(database_url) as session:
            rows = []
            touched: list[int] = []
            for (item_id, _, _), pred in zip(batch, preds, strict=True):
                item = session.get(Item, item_id)
                if item is None:  # deleted meanwhile
                    continue
                rows.append(_score_row(item, pred, info.version))
                summary.relevant += int(pred.is_relevant)
                if item.last_run_id is not None:
                    counts = per_run.setdefault(item.last_run_id, [0, 0])
                    counts[0] += 1
                    counts[1] += int(pred.is_relevant)
                summary.warnings += int(bool(pred.warnings))
                for ref in candidate_refs(item):
                    cid = resolver.resolve(session, ref)
                    link_evidence(session, cid, item.id, ref.role)
                    touched.append(cid)
            upsert_scores(session, rows)
            session.flush()
            summary.candidates_updated += refresh_candidates(session, touched, info.version)
            match_candidates(session, touched, main)
            summary.scored += len(rows)
        logger.info("scored %d items so far", summary.scored)
        if on_batch is not None:
            on_batch(len(batch))
    recheck_runs(database_url, per_run)
    summary.top = top_candidates(database_url, top)
    summary.seconds = round(time.perf_counter() - start, 3)
    return summary


def recheck_runs(database_url: str, per_run: dict[int, list[int]]) -> None:
    """Add what scoring found to each run's stats (``dsi/classify/scored``, ``.../positive``)
    and check those runs again: their DSI-positive rate can now be compared."""
    from crawler import settings
    from crawler.monitoring import Alerts, check_run
    from storage.runs import add_run_stats

    alerts = Alerts.from_settings(vars(settings))
    for run_id, (scored, positive) in sorted(per_run.items()):
        with session_scope(database_url) as session:
            counts = {"dsi/classify/scored": scored, "dsi/classify/positive": positive}
            add_run_stats(session, run_id, counts)
        check_run(database_url, run_id, alerts=alerts)


def _main_matcher(url: str) -> MainMatcher:
    """The main database's entries, read once per run, with the thresholds tuned on
    curators' decisions (``dsi maindb tune``) where there are some."""
    with session_scope(url) as session:
        return MainMatcher(
            {kind: match_records(session, kind) for kind in KINDS},
            tuned_thresholds(session, KINDS),
        )


def _label_list(explanation: Any, task: str, labels: Any) -> list[str]:
    """A candidate's labels, most distinctive first (``label_order``; JSONB loses key order)."""
    order = [str(x) for x in ((explanation or {}).get("label_order") or {}).get(task) or []]
    labels = dict(labels or {})
    return [x for x in order if x in labels] + [x for x in labels if x not in order]


def top_candidates(database_url: str, limit: int = 10) -> list[TopCandidate]:
    with session_scope(database_url) as session:
        return [
            TopCandidate(
                id=c.id,
                name=c.name,
                kind=c.kind,
                relevance=float(c.relevance or 0),
                technologies=_label_list(c.explanation, "technology", c.technologies),
                areas=_label_list(c.explanation, "area", c.areas),
                explanation=list((c.explanation or {}).get("relevance", [])),
                against=list((c.explanation or {}).get("relevance_against", [])),
                website=c.website,
            )
            for c in review_queue(session, "relevance", limit=limit)
        ]


def decision_examples(rows: list[DecisionRow]) -> list[DecisionExample]:
    """Decisions as training examples: the decision's own text, else its items' texts."""
    out = []
    for r in rows:
        text = r.text.strip() or "\n".join(item_text(s, f) for s, f in r.items[:3]).strip()
        out.append(
            DecisionExample(
                id=r.id, decision=r.decision, text=text, technologies=r.technologies, areas=r.areas
            )
        )
    return out


def active_model(model_dir: Path) -> ModelInfo:
    info, _ = load_active(model_dir)
    return info
