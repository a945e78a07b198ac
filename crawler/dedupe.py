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
from array import array
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from datasketch import MinHash, MinHashLSH

from crawler.text import fold_accents
from crawler.urls import canonical_url

__all__ = [
    "AheadBook",
    "DedupeIndex",
    "Packed",
    "Signature",
    "content_key",
    "employer_key",
    "group_id",
    "scheme",
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
_MAX_HASH = np.uint64(0xFFFFFFFF)


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


#: A signature as storage keeps it (``job_signatures``): its :func:`scheme`, canonical URL,
#: employer key, content key and MinHash values (little-endian uint32 bytes; None without an
#: employer or without words).
Packed = tuple[str, str, str, str, bytes | None]

_SCHEME_RE = re.compile(r"minhash-w(\d+)-p(\d+)-s(\d+)")


def scheme(shingle_size: int = 5, num_perm: int = _NUM_PERM) -> str:
    """How a signature was made (shingle size, permutations and their seed), as stored beside
    it: a signature of another scheme is not compared, it is made again."""
    return f"minhash-w{shingle_size}-p{num_perm}-s{_SEED}"


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

    def packed(self) -> Packed:
        """What storage keeps of it (:data:`Packed`)."""
        values = None
        if self.hashvalues is not None:
            wide = np.asarray(self.hashvalues, dtype=np.uint64)
            if bool((wide > _MAX_HASH).any()):
                raise ValueError("MinHash values must be below 2**32 (datasketch's)")
            values = wide.astype("<u4").tobytes()
        return (
            scheme(self.shingle_size, self.num_perm),
            self.canonical,
            self.employer,
            self.content,
            values,
        )

    @classmethod
    def unpacked(cls, packed: Packed) -> Signature:
        """The signature that :meth:`packed` gave ``packed``; ValueError when it is not one."""
        how, canonical, employer, content, values = packed
        m = _SCHEME_RE.fullmatch(how)
        if m is None or int(m.group(3)) != _SEED:
            raise ValueError(f"not a signature of this index's kind: {how!r}")
        shingle_size, num_perm = int(m.group(1)), int(m.group(2))
        hashvalues = None
        if values is not None:
            if len(values) != 4 * num_perm:
                raise ValueError(f"{len(values)} bytes of MinHash values, not {4 * num_perm}")
            hashvalues = np.frombuffer(values, dtype="<u4")
        return cls(canonical, employer, content, hashvalues, shingle_size, num_perm)


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
    """Signatures computed ahead, each waiting for its item in the item pipelines (one process):
    the spider puts one, the dedupe pipeline takes it and puts back the one it used, the store
    pipeline takes that to keep it with the item. An item is matched by identity, and the book holds
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


@functools.cache
def _bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows per band) of datasketch's :class:`MinHashLSH` for ``threshold`` (its
    optimum for equal false-positive and false-negative weights), so the index finds the same
    candidates as that LSH would."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    return lsh.b, lsh.r


#: Rows of one block of stored MinHash values (grown a block at a time, never copied).
_BLOCK = 4096


@dataclass
class DedupeIndex:
    """Groups adverts as they are added; :meth:`groups` gives member key -> group id.

    Memory is what the crawl's duplicate filter for adverts needs and no more, about 1.1 KB an
    advert: members are numbered in the order they were added (union-find over an ``array``),
    MinHash values are rows of uint32 blocks (datasketch's values fit 32 bits), and each LSH band
    is a dict from the band's hash to the members in that bucket. A bucket's candidates are
    checked against the band itself, then by the Jaccard estimate, so the matches are those of
    datasketch's ``MinHashLSH`` with ``MinHash.jaccard`` (tests compare both)."""

    threshold: float = 0.8
    shingle_size: int = 5
    num_perm: int = _NUM_PERM
    _keys: list[str] = field(default_factory=list)
    _number: dict[str, int] = field(default_factory=dict)
    _canonical: list[str] = field(default_factory=list)
    _parent: array[int] = field(default_factory=lambda: array("q"))
    _row: array[int] = field(default_factory=lambda: array("q"))
    _employer: array[int] = field(default_factory=lambda: array("q"))
    _employers: dict[str, int] = field(default_factory=dict)
    _by_url: dict[str, int] = field(default_factory=dict)
    _by_content: dict[str | bytes, int] = field(default_factory=dict)
    _blocks: list[npt.NDArray[np.uint32]] = field(default_factory=list)
    _rows: int = 0
    _buckets: list[dict[int, int | list[int]]] = field(default_factory=list)
    _spans: tuple[tuple[int, int], ...] = ()

    def __post_init__(self) -> None:
        bands, rows = _bands(self.threshold, self.num_perm)
        self._spans = tuple((b * rows, (b + 1) * rows) for b in range(bands))
        self._buckets = [{} for _ in self._spans]

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._number

    # union-find ---------------------------------------------------------------------------
    def _find(self, member: int) -> int:
        parent = self._parent
        root = member
        while parent[root] != root:
            root = parent[root]
        while parent[member] != root:  # path compression
            parent[member], member = root, parent[member]
        return root

    def _union(self, a: int, b: int) -> None:
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return
        # the earlier member (the smaller number) stays the root, so group ids follow the
        # first sighting
        if ra < rb:
            self._parent[rb] = ra
        else:
            self._parent[ra] = rb

    # MinHash values and LSH bands -----------------------------------------------------------
    def _values(self, member: int) -> npt.NDArray[np.uint32] | None:
        row = self._row[member]
        if row < 0:
            return None
        values: npt.NDArray[np.uint32] = self._blocks[row // _BLOCK][row % _BLOCK]
        return values

    def _store(self, hashvalues: Any) -> tuple[int, npt.NDArray[np.uint32]]:
        values = np.asarray(hashvalues, dtype=np.uint64)
        if values.shape != (self.num_perm,) or bool((values > _MAX_HASH).any()):
            raise ValueError(
                f"MinHash values must be {self.num_perm} numbers below 2**32 (datasketch's)"
            )
        row = self._rows
        if row % _BLOCK == 0:
            self._blocks.append(np.empty((_BLOCK, self.num_perm), dtype=np.uint32))
        stored: npt.NDArray[np.uint32] = self._blocks[row // _BLOCK][row % _BLOCK]
        stored[:] = values
        self._rows += 1
        return row, stored

    def _candidates(self, values: npt.NDArray[np.uint32]) -> set[int]:
        """Members sharing at least one band with ``values`` (what ``MinHashLSH.query``
        returns): bucket by the band's hash, then the band compared."""
        found: set[int] = set()
        for (lo, hi), buckets in zip(self._spans, self._buckets, strict=True):
            bucket = buckets.get(hash(values[lo:hi].tobytes()))
            if bucket is None:
                continue
            for other in [bucket] if isinstance(bucket, int) else bucket:
                if other in found:
                    continue
                theirs = self._values(other)
                if theirs is not None and np.array_equal(theirs[lo:hi], values[lo:hi]):
                    found.add(other)
        return found

    def _insert(self, member: int, values: npt.NDArray[np.uint32]) -> None:
        for (lo, hi), buckets in zip(self._spans, self._buckets, strict=True):
            band = hash(values[lo:hi].tobytes())
            bucket = buckets.get(band)
            if bucket is None:
                buckets[band] = member
            elif isinstance(bucket, int):
                buckets[band] = [bucket, member]
            else:
                bucket.append(member)

    def _jaccard(self, a: npt.NDArray[np.uint32], b: npt.NDArray[np.uint32]) -> float:
        """``MinHash.jaccard``: the share of equal values."""
        return float(np.float64(np.count_nonzero(a == b)) / np.float64(self.num_perm))

    # API ------------------------------------------------------------------------------------
    @property
    def scheme(self) -> str:
        """How this index's signatures are made (:func:`scheme`)."""
        return scheme(self.shingle_size, self.num_perm)

    def signature(
        self,
        *,
        url: str,
        employer: str | None,
        title: str | None,
        description: str | None,
        ahead: Signature | None = None,
    ) -> Signature:
        """``ahead`` when it was made as this index makes them, else the advert's signature."""
        if ahead is not None and (ahead.shingle_size, ahead.num_perm) == (
            self.shingle_size,
            self.num_perm,
        ):
            return ahead
        return signature(
            url=url,
            employer=employer,
            title=title,
            description=description,
            shingle_size=self.shingle_size,
            num_perm=self.num_perm,
        )

    def sign(
        self, *, url: str, employer: str | None, title: str | None, description: str | None
    ) -> Packed:
        """The advert's signature, packed for storage (:data:`Packed`)."""
        return self.signature(
            url=url, employer=employer, title=title, description=description
        ).packed()

    def add_signed(self, key: str, packed: Packed) -> str:
        """:meth:`add` an advert by its stored signature (ValueError if another scheme's)."""
        ahead = Signature.unpacked(packed)
        if packed[0] != self.scheme:
            raise ValueError(f"signature of scheme {packed[0]!r}, the index's is {self.scheme!r}")
        return self.add(
            key, url=ahead.canonical, employer=None, title=None, description=None, ahead=ahead
        )

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
        if key in self._number:
            return "url"
        ahead = self.signature(
            url=url, employer=employer, title=title, description=description, ahead=ahead
        )
        canon = key if ahead.canonical == key else ahead.canonical  # one string when equal
        member = len(self._keys)
        row, values = (-1, None) if ahead.hashvalues is None else self._store(ahead.hashvalues)
        employer_no = self._employers.setdefault(ahead.employer, len(self._employers))
        self._keys.append(key)
        self._number[key] = member
        self._canonical.append(canon)
        self._parent.append(member)
        self._row.append(row)
        self._employer.append(employer_no)
        how = "new"
        if canon in self._by_url:
            self._union(self._by_url[canon], member)
            how = "url"
        else:
            self._by_url[canon] = member
        content = _content_token(ahead.content)
        if content in self._by_content:
            self._union(self._by_content[content], member)
            how = "content" if how == "new" else how
        else:
            self._by_content[content] = member
        if values is not None:
            for other in self._candidates(values):
                theirs = self._values(other)
                if (
                    self._employer[other] == employer_no
                    and theirs is not None
                    and self._jaccard(theirs, values) >= self.threshold
                ):
                    if self._find(other) != self._find(member):
                        how = "near" if how == "new" else how
                    self._union(other, member)
            self._insert(member, values)
        return how

    def group_of(self, key: str) -> str:
        return group_id(self._canonical[self._find(self._number[key])])

    def groups(self) -> dict[str, str]:
        """Member key -> group id, for every member."""
        return {key: group_id(self._canonical[self._find(n)]) for n, key in enumerate(self._keys)}


def _content_token(content: str) -> str | bytes:
    """A content key as stored: the sha1's 20 bytes rather than its 40 hex characters."""
    try:
        return bytes.fromhex(content)
    except ValueError:
        return content
