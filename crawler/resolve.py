"""One candidate per real-world organisation, resolved against the main database.

:class:`CandidateResolver` decides which candidate an item's :class:`CandidateRef` belongs to:

1. a candidate holding one of its identity keys (own website's registrable domain, a social
   handle, a name key) -- deterministic;
2. else the candidate the matcher (``matching``) finds above its confidence, comparing name,
   legal form, place, website and social pages -- so a job advert naming "Offene Stadt e.V."
   with its LinkedIn page joins the candidate built from offenestadt.de;
3. else a new candidate.

Identity is decided under :func:`storage.candidates.lock_identity`, after catching up with
candidates other writers created, so two writers never create one organisation twice.

:func:`match_candidates` stores each candidate's best main-database entry (its id, score and
reasons whatever the score; ``match_id`` only above the matcher's confidence, which is the
threshold tuned on curators' decisions when there is one, ``storage.match_tuning``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy.orm import Session

from matching.index import Matcher
from matching.model import MatchModel
from matching.records import Record
from storage.candidates import (
    CandidateRef,
    candidates_after,
    fill_candidate,
    find_by_keys,
    lock_identity,
    set_match,
    upsert_candidate,
)
from storage.models import Candidate

logger = logging.getLogger(__name__)

__all__ = ["CandidateResolver", "MainMatcher", "candidate_record", "match_candidates"]


def candidate_record(candidate: Candidate) -> Record:
    return Record(
        id=str(candidate.id),
        name=candidate.name,
        website=candidate.website,
        country=candidate.country,
        city=candidate.city,
        social=tuple((candidate.social_links or {}).values()),
    )


def _ref_record(ref: CandidateRef) -> Record:
    return Record(
        id="new",
        name=ref.name,
        website=ref.website,
        country=ref.country,
        city=ref.city,
        social=tuple(ref.social_links.values()),
    )


class CandidateResolver:
    """Keeps one matcher per kind over the candidates, in step with the database."""

    def __init__(self, model: MatchModel | None = None, threshold: float | None = None) -> None:
        self._model = model
        self._threshold = threshold
        self._matchers: dict[str, Matcher] = {}
        self._seen: dict[str, int] = {}

    def _matcher(self, session: Session, kind: str) -> Matcher:
        matcher = self._matchers.get(kind)
        if matcher is None:
            matcher = self._matchers[kind] = Matcher(
                [], self._model, threshold=self._threshold, limit=1
            )
            self._seen[kind] = 0
        for candidate in candidates_after(session, kind, self._seen[kind]):
            matcher.add(candidate_record(candidate))
            self._seen[kind] = candidate.id
        return matcher

    def resolve(self, session: Session, ref: CandidateRef) -> int:
        """The id of the candidate ``ref`` is evidence for (found or created)."""
        lock_identity(session)
        matcher = self._matcher(session, ref.kind)
        found = find_by_keys(session, ref.kind, ref.all_keys)
        if found is None:
            result = matcher.match(_ref_record(ref))
            if result.match is not None:
                found = int(result.match)
                logger.debug("%r joins candidate %s (%s)", ref.name, found, result.score)
        if found is not None:
            fill_candidate(session, found, ref)
            return found
        created = upsert_candidate(session, ref)
        self._matcher(session, ref.kind)  # takes the new candidate in
        return created


class MainMatcher:
    """Matchers over the main database's organisations and projects (built on first use)."""

    def __init__(
        self,
        entries: dict[str, Sequence[Record]],
        thresholds: dict[str, float | None] | None = None,
    ) -> None:
        self._entries = entries
        self._thresholds = dict(thresholds or {})
        self._matchers: dict[str, Matcher] = {}

    def matcher(self, kind: str) -> Matcher | None:
        if kind not in self._entries:
            return None
        if kind not in self._matchers:
            self._matchers[kind] = Matcher(
                self._entries[kind], threshold=self._thresholds.get(kind)
            )
        return self._matchers[kind]


def match_candidates(session: Session, candidate_ids: Sequence[int], main: MainMatcher) -> int:
    """Store the best main-database entry of each candidate; returns how many matched."""
    matched = 0
    for cid in sorted(set(candidate_ids)):
        candidate = session.get(Candidate, cid)
        matcher = main.matcher(candidate.kind) if candidate is not None else None
        if candidate is None or matcher is None:
            continue
        result = matcher.match(candidate_record(candidate))
        best = result.candidates[0] if result.candidates else None
        set_match(
            session,
            cid,
            int(result.match) if result.match is not None else None,
            best.score if best else None,
            best.reasons if best else (),
            best_id=int(best.id) if best else None,
        )
        matched += result.match is not None
    return matched
