"""Near-duplicate detection for job adverts (pure: no Scrapy, no SQL).

The same advert is re-posted across pages, boards and weeks. Adverts are grouped when they have

* the same canonical URL (:func:`crawler.urls.canonical_url`: tracking parameters such as
  ``utm_*`` dropped, query sorted), or
* the same content key (employer + title + description, normalised), or
* the same employer and very similar text: MinHash LSH over word 5-shingles of title and
  description, Jaccard threshold 0.8 by default (the estimate is checked, not only the bands).

Groups are connected components (union-find). A group's id is the sha1 of the canonical URL
of its earliest member (the order items are added in), so it is stable across re-runs as long
as that member is kept.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from datasketch import MinHash, MinHashLSH

from crawler.text import fold_accents
from crawler.urls import canonical_url

__all__ = [
    "AheadBook",
    "DedupeIndex",
    "Signature",
    "content_key",
    "employer_key",
    "group_id",
    "shingles",
    "signature",
]

_LEGAL_SUFFIXES = re.compile(
    r"\b(?:gmbh|ggmbh|mbh|ag|kg|ohg|ug|e\s?v|eg|se|ltd|limited|llc|llp|lp|inc|incorporated|"
    r"corp|corporation|co|company|plc|cic|cio|sa|sas|sarl|sàrl|sasu|scop|scic|srl|spa|s\s?r\s?l|"
    r"s\s?p\s?a|bv|nv|vzw|asbl|oy|ab|as|aps|a\s?s|sp\s?z\s?o\s?o|spółka|z\s?o\s?o|s\s?c|"
    r"fundacja|stiftung|foundation|association|verein)\b\.?",
)
_WORD_RE = re.compile(r"\w+", re.UNICODE)
_NUM_PERM = 128
_SEED = 1


def employer_key(name: str | None) -> str:
    """A comparable employer name: folded, legal forms (GmbH, Ltd, e.V., sp. z o.o.) dropped."""
    if not name:
        return ""
    text = fold_accents(name).replace("&", " and ")
    text = " ".join(re.sub(r"[.,/()\"'’-]", " ", text).split())
    text = _LEGAL_SUFFIXES.sub(" ", text)
    return " ".join(_WORD_RE.findall(text))


def _words(text: str) -> list[str]:
    return _WORD_RE.findall(fold_accents(text))


def content_key(employer: str | None, title: str | None, description: str | None) -> str:
    """sha1 of the normalised employer, title and text: equal for exact re-posts."""
    blob = "\x1f".join(
        (employer_key(employer), " ".join(_words(title or "")), " ".join(_words(description or "")))
    )
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()


def shingles(text: str, k: int = 5) -> set[str]:
    """Word k-shingles (a text shorter than k words is one shingle)."""
    words = _words(text)
    if len(words) < k:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


@functools.cache
def _permutations(num_perm: int) -> Any:
    """The permutations of every MinHash of ``num_perm`` (drawn from ``_SEED``), drawn once:
    drawing them is most of the cost of a new MinHash."""
    first = MinHash(num_perm=num_perm, seed=_SEED)
    return first.scheme, first.permutations


def group_id(canonical: str) -> str:
    """The 40-character group id derived from a member's canonical URL."""
    return hashlib.sha1(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Signature:
    """What :meth:`DedupeIndex.add` reads from an advert, computed ahead of it (by
    :func:`signature`, in a parsing worker): canonical URL, employer key, content key and the
    MinHash values of the text (None without an employer or without words)."""

    canonical: str
    employer: str
    content: str
    hashvalues: Any
    shingle_size: int = 5
    num_perm: int = _NUM_PERM


def _hashvalues(text: str, shingle_size: int, num_perm: int) -> Any:
    grams = shingles(text, shingle_size)
    if not grams:
        return None
    scheme, permutations = _permutations(num_perm)
    mh = MinHash(num_perm=num_perm, seed=_SEED, permutations=permutations, scheme=scheme)
    mh.update_batch([g.encode("utf-8") for g in grams])
    return mh.hashvalues


def signature(
    *,
    url: str,
    employer: str | None,
    title: str | None,
    description: str | None,
    shingle_size: int = 5,
    num_perm: int = _NUM_PERM,
) -> Signature:
    """The :class:`Signature` of an advert."""
    emp = employer_key(employer)
    text = f"{title or ''}\n{description or ''}"
    return Signature(
        canonical=canonical_url(url),
        employer=emp,
        content=content_key(employer, title, description),
        hashvalues=_hashvalues(text, shingle_size, num_perm) if emp else None,
        shingle_size=shingle_size,
        num_perm=num_perm,
    )


class AheadBook:
    """Signatures computed ahead, each waiting for its item in the dedupe pipeline (the spider
    puts, the pipeline takes; one process). An item is matched by identity, and the book holds
    it until then, so a recycled ``id`` never picks up another item's signature; past
    ``limit`` waiting (items dropped before the pipeline) the oldest are forgotten."""

    def __init__(self, limit: int = 10_000) -> None:
        self.limit = limit
        self._waiting: dict[int, tuple[object, Signature]] = {}

    def __len__(self) -> int:
        return len(self._waiting)

    def put(self, item: object, ahead: Signature) -> None:
        self._waiting[id(item)] = (item, ahead)
        while len(self._waiting) > self.limit:
            del self._waiting[next(iter(self._waiting))]

    def take(self, item: object) -> Signature | None:
        entry = self._waiting.pop(id(item), None)
        return entry[1] if entry is not None and entry[0] is item else None


@dataclass(slots=True)
class _Member:
    key: str
    canonical: str
    employer: str
    minhash: MinHash | None


@dataclass
class DedupeIndex:
    """Groups adverts as they are added; :meth:`groups` gives member key -> group id."""

    threshold: float = 0.8
    shingle_size: int = 5
    num_perm: int = _NUM_PERM
    _members: dict[str, _Member] = field(default_factory=dict)
    _order: list[str] = field(default_factory=list)
    _order_index: dict[str, int] = field(default_factory=dict)
    _parent: dict[str, str] = field(default_factory=dict)
    _by_url: dict[str, str] = field(default_factory=dict)
    _by_content: dict[str, str] = field(default_factory=dict)
    _lsh: MinHashLSH | None = None

    def __post_init__(self) -> None:
        self._lsh = MinHashLSH(threshold=self.threshold, num_perm=self.num_perm)

    # union-find ---------------------------------------------------------------------------
    def _find(self, key: str) -> str:
        root = key
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[key] != root:  # path compression
            self._parent[key], key = root, self._parent[key]
        return root

    def _union(self, a: str, b: str) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return
        # the earlier member stays the root, so group ids follow the first sighting
        if self._order_index[ra] <= self._order_index[rb]:
            self._parent[rb] = ra
        else:
            self._parent[ra] = rb

    def _minhash(self, hashvalues: Any) -> MinHash | None:
        if hashvalues is None:
            return None
        scheme, permutations = _permutations(self.num_perm)
        return MinHash(
            num_perm=self.num_perm,
            seed=_SEED,
            hashvalues=hashvalues,
            permutations=permutations,
            scheme=scheme,
        )

    # API ------------------------------------------------------------------------------------
    def add(
        self,
        key: str,
        *,
        url: str,
        employer: str | None,
        title: str | None,
        description: str | None,
        ahead: Signature | None = None,
    ) -> str:
        """Add an advert (``key`` unique, e.g. a row id); returns how it matched:
        ``new``, ``url``, ``content`` or ``near``. ``ahead`` is the advert's
        :class:`Signature` when it was computed already (same shingle size and permutations)."""
        if key in self._members:
            return "url"
        if ahead is None or (ahead.shingle_size, ahead.num_perm) != (
            self.shingle_size,
            self.num_perm,
        ):
            ahead = signature(
                url=url,
                employer=employer,
                title=title,
                description=description,
                shingle_size=self.shingle_size,
                num_perm=self.num_perm,
            )
        canon, emp, ckey = ahead.canonical, ahead.employer, ahead.content
        mh = self._minhash(ahead.hashvalues)
        member = _Member(key=key, canonical=canon, employer=emp, minhash=mh)
        self._members[key] = member
        self._order_index[key] = len(self._order)
        self._order.append(key)
        self._parent[key] = key
        how = "new"
        if canon in self._by_url:
            self._union(self._by_url[canon], key)
            how = "url"
        else:
            self._by_url[canon] = key
        if ckey in self._by_content:
            self._union(self._by_content[ckey], key)
            how = "content" if how == "new" else how
        else:
            self._by_content[ckey] = key
        if mh is not None and self._lsh is not None:
            for other in self._lsh.query(mh):
                om = self._members[other]
                if (
                    om.employer == emp
                    and om.minhash is not None
                    and om.minhash.jaccard(mh) >= self.threshold
                ):
                    if self._find(other) != self._find(key):
                        how = "near" if how == "new" else how
                    self._union(other, key)
            self._lsh.insert(key, mh)
        return how

    def group_of(self, key: str) -> str:
        root = self._members[self._find(key)]
        return group_id(root.canonical)

    def groups(self) -> dict[str, str]:
        """Member key -> group id, for every member."""
        return {key: self.group_of(key) for key in self._order}
