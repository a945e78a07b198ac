from __future__ import annotations

from storage.candidates import (
    CandidateRef,
    link_evidence,
    refresh_candidates,
    review_queue,
    upsert_candidate,
)
from storage.decisions import record_decision, training_rows
from storage.items import ItemRow, upsert_items
from storage.models import Candidate, Item
from storage.scores import ScoreRow, count_scores, items_to_score, upsert_scores
from storage.session import session_scope


def _items(session, n=3):
    upsert_items(
        session,
        [
            ItemRow(
                source="s",
                spider="jobs",
                url=f"https://x.org/{i}",
                fields={"title": f"job {i}", "description": "d"},
                raw={},
                warnings=[],
            )
            for i in range(n)
        ],
    )
    return [i.id for i in session.query(Item).order_by(Item.id)]


def test_scores_candidates_and_queue(database_url):
    with session_scope(database_url) as s:
        ids = _items(s)
        assert len(items_to_score(s, "v1")) == 3
        rows = [
            ScoreRow(
                item_id=i,
                model_version="v1",
                relevance=r,
                technologies={"Open data": t},
                uncertainty=u,
                explanation={"relevance": [f"w{i}"]},
            )
            for i, r, t, u in zip(
                ids, (0.2, 0.9, 0.5), (0.3, 0.8, 0.6), (0.4, 0.2, 1.0), strict=True
            )
        ]
        upsert_scores(s, rows)
        upsert_scores(s, rows)  # idempotent
        assert count_scores(s, "v1") == 3
        assert (
            items_to_score(s, "v1") == [] and len(items_to_score(s, "v1", pending_only=False)) == 3
        )
        ref = CandidateRef(kind="organisation", key="x.org", name="X", role="job_advert")
        a = upsert_candidate(s, ref)
        assert (
            upsert_candidate(
                s,
                CandidateRef(kind="organisation", key="x.org", name="X2", website="https://x.org"),
            )
            == a
        )
        b = upsert_candidate(s, CandidateRef(kind="project", key="name:y", name="Y"))
        for i in ids[:2]:
            link_evidence(s, a, i, "job_advert")
            link_evidence(s, a, i, "job_advert")
        link_evidence(s, b, ids[2], "showcase")
        assert refresh_candidates(s, [a, b], "v1") == 2
    with session_scope(database_url) as s:
        ca = s.get(Candidate, a)
        assert ca.relevance == 0.9 and ca.website == "https://x.org" and ca.name == "X"
        assert ca.technologies == {"Open data": 0.8}
        assert ca.explanation["evidence_items"] == 2 and ca.uncertainty == 0.2
        assert [c.id for c in review_queue(s, "relevance")] == [a, b]
        assert [c.id for c in review_queue(s, "uncertainty")] == [b, a]
        record_decision(s, decision="reject", candidate_id=a, text="")
        record_decision(s, decision="relabel", item_id=ids[2], areas=["Science"])
    with session_scope(database_url) as s:
        assert s.get(Candidate, a).status == "rejected"
        assert [c.id for c in review_queue(s)] == [b]
        rows = training_rows(s)
        assert [r.decision for r in rows] == ["reject", "relabel"]
        assert len(rows[0].items) == 2 and rows[1].items[0][0] == "jobs"
