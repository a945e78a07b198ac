"""Score stored items with the active model and update candidates (``dsi classify``, ``dsi demo``).

Candidate identity, per item type:

* website profile -> organisation, key = the site's host without ``www.``;
* job advert -> organisation (the hiring organisation), key = host of its website if known,
  else ``name:`` + its normalised name; adverts with no employer name make no candidate;
* open-data showcase -> project, key = host of ``showcase_url`` if any, else ``name:`` + title;
* open-data publisher -> organisation, key = ``name:`` + normalised name;
* open-data datasets are scored but make no candidate.

Hosts stand in for registrable domains (no public-suffix list is shipped), so ``a.example.org``
and ``b.example.org`` are two candidates; a non-default port is part of the key (two sites on one
host are two origins). An employer URL on a shared platform (LinkedIn, Facebook, GitHub, a job
board...) says nothing about which organisation it is, so such adverts fall back to the name key.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from classifiers.predict import Prediction, Predictor
from classifiers.registry import ModelInfo, load_active
from classifiers.train import DecisionExample
from crawler.items import ITEM_CLASSES
from crawler.text import fold_accents
from crawler.urls import on_domain
from matching.keys import SHARED_HOSTS
from storage.candidates import (
    CandidateRef,
    link_evidence,
    refresh_candidates,
    review_queue,
    upsert_candidate,
)
from storage.decisions import DecisionRow
from storage.models import Item
from storage.scores import ScoreRow, items_to_score, upsert_scores
from storage.session import session_scope

logger = logging.getLogger(__name__)

_LEGAL_FORMS = re.compile(
    r"\b(gmbh|ggmbh|ag|ev|e\s?v|ltd|limited|llp|plc|inc|cic|cio|sl|sa|sas|sarl|srl|spa|bv|nv|"
    r"vzw|asbl|oy|ab|as|aps|sp\s?z\s?o\s?o|kft|doo|foundation|stiftung)\b"
)


def normalise_name(name: str) -> str:
    """A matching key for an organisation or project name (accents, case, legal form)."""
    text = re.sub(r"[^\w\s]", " ", fold_accents(name))
    text = _LEGAL_FORMS.sub(" ", text)
    return " ".join(text.split())


def host_of(url: str | None) -> str | None:
    """``host[:port]`` of a URL, lower-case, without ``www.``; None if there is none."""
    if not url:
        return None
    if "//" not in url:
        url = "http://" + url
    try:
        parts = urlsplit(url.strip())
        host, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    host = host.lower().removeprefix("www.")
    return f"{host}:{port}" if port and port not in (80, 443) else host


def organisation_host(url: str | None) -> str | None:
    """:func:`host_of`, but None for shared platforms (:data:`SHARED_HOSTS`)."""
    host = host_of(url)
    if host is None:
        return None
    bare = host.split(":")[0]
    if on_domain(bare, SHARED_HOSTS):
        return None
    return host


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
        host = host_of(f.get("site") or item.url)
        if not host:
            return []
        return [
            CandidateRef(
                kind="organisation",
                key=host,
                name=f.get("name") or f.get("title") or host,
                website=f.get("site"),
                country=f.get("country"),
                city=f.get("city"),
                role="website",
            )
        ]
    if item.spider == "jobs":
        org = (f.get("hiring_organization") or "").strip()
        host = organisation_host(f.get("hiring_organization_url"))
        if not org and not host:
            return []
        key = host or f"name:{normalise_name(org)}"
        if key == "name:":
            return []
        return [
            CandidateRef(
                kind="organisation",
                key=key,
                name=org or str(host),
                website=f.get("hiring_organization_url"),
                country=f.get("location_country"),
                city=f.get("location_city"),
                role="job_advert",
            )
        ]
    if item.spider == "opendata":
        title = (f.get("title") or "").strip()
        if f.get("kind") == "showcase":
            host = organisation_host(f.get("showcase_url"))
            key = host or (f"name:{normalise_name(title)}" if normalise_name(title) else "")
            if not key:
                return []
            return [
                CandidateRef(
                    kind="project",
                    key=key,
                    name=title or key,
                    website=f.get("showcase_url"),
                    country=f.get("country"),
                    role="showcase",
                )
            ]
        if f.get("kind") == "publisher" and normalise_name(title):
            return [
                CandidateRef(
                    kind="organisation",
                    key=f"name:{normalise_name(title)}",
                    name=title,
                    country=f.get("country"),
                    role="publisher",
                )
            ]
    return []


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
) -> ClassifySummary:
    """Score stored items with the active model, write scores and update candidates."""
    start = time.perf_counter()
    info, model = load_active(model_dir)
    predictor = Predictor(model, info.version)
    summary = ClassifySummary(model_version=info.version)
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
                summary.warnings += int(bool(pred.warnings))
                for ref in candidate_refs(item):
                    cid = upsert_candidate(session, ref)
                    link_evidence(session, cid, item.id, ref.role)
                    touched.append(cid)
            upsert_scores(session, rows)
            session.flush()
            summary.candidates_updated += refresh_candidates(session, touched, info.version)
            summary.scored += len(rows)
        logger.info("scored %d items so far", summary.scored)
    summary.top = top_candidates(database_url, top)
    summary.seconds = round(time.perf_counter() - start, 3)
    return summary


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
