"""Out-of-distribution check of relevance ranking on the sandbox web (never training data).

The sandbox knows which of its invented organisations do digital social innovation (the ``dsi``
flag of ``sandbox.content.orgs.EMPLOYERS`` and ``sandbox.content.site_specs.SITES``). After a demo
crawl + classify, each such organisation gets the highest relevance of the items that are evidence
for it (its job adverts and its website), as ``storage.candidates`` does for candidates; we then
measure how well that ranks the DSI organisations first: ROC-AUC, precision@10 and precision@20.
Only the flag and the names are read from the sandbox, to build this evaluation set.

Run by hand on an existing demo database:

    rm -rf /tmp/m /tmp/d.sqlite3
    DSI_MODEL_DIR=/tmp/m .venv/bin/dsi demo --database sqlite:////tmp/d.sqlite3
    .venv/bin/python -m tests.integration.test_relevance_sandbox sqlite:////tmp/d.sqlite3
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from crawler.classify_items import normalise_name
from tests.integration.conftest import DemoRun

#: the floor the test asserts: a demo sanity check, never a tuning target (the sandbox is not
#: training or tuning data; held-out figures are in classifiers/README.md)
MIN_AUC = 0.8
MIN_P_AT_10 = 0.6


def truth() -> dict[str, bool]:
    """Normalised organisation name -> does DSI (from the sandbox's own flags)."""
    from sandbox.content.orgs import EMPLOYERS
    from sandbox.content.site_specs import SITES

    out: dict[str, bool] = {}
    for e in EMPLOYERS:
        out[normalise_name(e.name)] = e.dsi
    for s in SITES:
        out[normalise_name(s.name)] = s.dsi
    return out


def _match(name: str, known: dict[str, bool]) -> str | None:
    key = normalise_name(name)
    if not key:
        return None
    if key in known:
        return key
    # a website's own name may be shorter or longer than the registered name
    hits = [k for k in known if len(key) >= 5 and (k.startswith(key) or key.startswith(k))]
    return hits[0] if len(hits) == 1 else None


def organisation_scores(database_url: str) -> dict[str, float]:
    """Known organisation -> max relevance over its job adverts and website pages (scores of
    the model that scored last)."""
    from sqlalchemy import select

    from storage.models import Item, ItemScore
    from storage.session import session_scope

    known = truth()
    best: dict[str, float] = {}
    with session_scope(database_url) as session:
        version = session.scalars(
            select(ItemScore.model_version).order_by(ItemScore.scored_at.desc()).limit(1)
        ).first()
        rows = session.execute(
            select(Item.spider, Item.fields, ItemScore.relevance)
            .join(ItemScore, ItemScore.item_id == Item.id)
            .where(ItemScore.model_version == version)
        ).all()
        for spider, fields, relevance in rows:
            f = dict(fields or {})
            if spider == "jobs":
                name = f.get("hiring_organization") or ""
            elif spider == "website":
                name = f.get("name") or f.get("title") or ""
            else:
                continue
            key = _match(str(name), known)
            if key is not None:
                best[key] = max(best.get(key, 0.0), float(relevance))
    return best


def ranking_metrics(scores: dict[str, float], labels: dict[str, bool]) -> dict[str, Any]:
    from sklearn.metrics import roc_auc_score

    keys = sorted(scores, key=lambda k: (-scores[k], k))
    y = [labels[k] for k in keys]
    s = [scores[k] for k in keys]
    return {
        "organisations": len(keys),
        "dsi": sum(y),
        "roc_auc": round(float(roc_auc_score(y, s)), 4),
        "precision_at_10": round(sum(y[:10]) / 10, 3),
        "precision_at_20": round(sum(y[:20]) / 20, 3),
        "top10": [(k, round(scores[k], 3), labels[k]) for k in keys[:10]],
    }


def sandbox_relevance(database_url: str) -> dict[str, Any]:
    return ranking_metrics(organisation_scores(database_url), truth())


@pytest.mark.slow
def test_relevance_ranks_sandbox_dsi_organisations_first(demo_run: DemoRun, tmp_path: Path) -> None:
    db, _ = demo_run.copy(tmp_path)
    metrics = sandbox_relevance(db)
    assert metrics["organisations"] >= 40, metrics
    assert metrics["roc_auc"] > MIN_AUC, metrics
    assert metrics["precision_at_10"] >= MIN_P_AT_10, metrics


if __name__ == "__main__":
    print(json.dumps(sandbox_relevance(sys.argv[1]), indent=1, ensure_ascii=False))
