"""Near-duplicate grouping of job adverts (pure logic): keys, shingles, groups."""

from __future__ import annotations

import random
import tracemalloc
from typing import Any

import pytest

from crawler.dedupe import (
    AheadBook,
    DedupeIndex,
    Signature,
    _permutations,
    content_key,
    employer_key,
    group_id,
    scheme,
    shingles,
    signature,
)

TEXT = (
    "Open Streets Collective builds open-source tools that let residents report broken "
    "pavements and propose safer crossings to their council. You will maintain our Django "
    "reporting platform, run user research with residents, and work with volunteers and city "
    "officials in three cities. We value accessibility and plain language, offer flexible "
    "hours, thirty days of holiday and a learning budget. Applications close at the end of "
    "April and interviews take place online in the first week of May."
)


def test_employer_key_ignores_legal_forms_and_case() -> None:
    assert employer_key("Datenwerk e.V.") == employer_key("DATENWERK")
    assert employer_key("Fundacja Otwarty Kod sp. z o.o.") == employer_key("Otwarty Kod")
    assert employer_key("Green Valley Housing Co-op Ltd") == employer_key(
        "green valley housing co op"
    )
    assert employer_key(None) == ""


def test_content_key_is_insensitive_to_markup_spacing_and_case() -> None:
    assert content_key("Acme GmbH", "Dev", "Hello,  world!") == content_key(
        "ACME", "dev", "hello world"
    )
    assert content_key("Acme", "Dev", "Hello world") != content_key("Other", "Dev", "Hello world")


def test_shingles() -> None:
    assert shingles("one two three") == {"one two three"}
    assert len(shingles("a b c d e f g")) == 3
    assert shingles("") == set()


def _add(
    index: DedupeIndex,
    key: str,
    url: str,
    employer: str | None,
    text: str,
    title: str = "Civic Tech Developer",
) -> str:
    return index.add(key, url=url, employer=employer, title=title, description=text)


def test_same_canonical_url_is_one_group() -> None:
    index = DedupeIndex()
    assert _add(index, "a", "https://b.org/jobs/1?utm_source=x", "Acme", TEXT) == "new"
    assert _add(index, "b", "https://b.org/jobs/1", "Other", "different text entirely") == "url"
    assert index.group_of("a") == index.group_of("b")


def test_same_content_on_two_boards_is_one_group() -> None:
    index = DedupeIndex()
    _add(index, "a", "https://board-one.example/jobs/1", "Open Streets Collective", TEXT)
    how = _add(
        index, "b", "https://board-two.example/v/99", "OPEN STREETS COLLECTIVE Ltd", TEXT.upper()
    )
    assert how == "content"
    assert index.group_of("a") == index.group_of("b")


def test_near_duplicate_same_employer_is_grouped() -> None:
    index = DedupeIndex()
    _add(index, "a", "https://one.example/jobs/1", "Open Streets Collective", TEXT)
    reposted = TEXT.replace("end of April", "end of May").replace(
        "first week of May", "first week of June"
    )
    assert (
        _add(index, "b", "https://two.example/jobs/7", "Open Streets Collective", reposted)
        == "near"
    )
    assert index.group_of("a") == index.group_of("b")


def test_similar_text_of_another_employer_is_not_grouped() -> None:
    index = DedupeIndex()
    _add(index, "a", "https://one.example/jobs/1", "Open Streets Collective", TEXT)
    assert _add(index, "b", "https://two.example/jobs/7", "Another Org", TEXT + " Extra.") == "new"
    assert index.group_of("a") != index.group_of("b")


def test_different_jobs_of_one_employer_are_not_grouped() -> None:
    index = DedupeIndex()
    _add(index, "a", "https://one.example/jobs/1", "Acme", TEXT)
    other = (
        "Acme is hiring a finance officer to manage payroll, grants reporting and the "
        "annual audit. You will work closely with the board treasurer and our auditors, "
        "prepare monthly management accounts and look after supplier payments."
    )
    assert (
        _add(index, "b", "https://one.example/jobs/2", "Acme", other, title="Finance Officer")
        == "new"
    )
    assert index.group_of("a") != index.group_of("b")


def test_group_id_follows_the_earliest_member_and_is_transitive() -> None:
    index = DedupeIndex()
    _add(index, "a", "https://one.example/jobs/1", "Acme", TEXT)
    _add(index, "b", "https://two.example/jobs/1", "Zeta", "unrelated text about finance " * 5)
    _add(index, "c", "https://two.example/jobs/1?utm_medium=x", "Acme", TEXT)  # url of b,
    groups = index.groups()  # content of a: a, b and c are one job
    assert groups["a"] == groups["b"] == groups["c"]
    assert groups["a"] == group_id("https://one.example/jobs/1")
    assert len(groups["a"]) == 40


def test_a_signature_computed_ahead_groups_as_one_computed_in_the_index() -> None:
    reposted = TEXT.replace("end of April", "end of May")
    adverts = [
        ("a", "https://one.example/jobs/1", "Open Streets Collective", TEXT),
        ("b", "https://two.example/jobs/7", "Open Streets Collective Ltd", reposted),
        ("c", "https://one.example/jobs/1?utm_source=x", "Other", "other text"),
    ]
    plain, ahead = DedupeIndex(), DedupeIndex()
    hows = [_add(plain, *advert) for advert in adverts]
    hows_ahead = [
        ahead.add(
            key,
            url=url,
            employer=employer,
            title="Civic Tech Developer",
            description=text,
            ahead=signature(
                url=url, employer=employer, title="Civic Tech Developer", description=text
            ),
        )
        for key, url, employer, text in adverts
    ]
    assert hows == hows_ahead == ["new", "near", "url"]
    assert plain.groups() == ahead.groups()


def test_a_signature_of_other_parameters_is_computed_again() -> None:
    index = DedupeIndex(shingle_size=3)
    wrong = signature(url="https://x.example/", employer="Acme", title="T", description=TEXT)
    assert _add(index, "a", "https://one.example/jobs/1", "Acme", TEXT) == "new"
    how = index.add(
        "b",
        url="https://two.example/jobs/2",
        employer="Acme",
        title="Civic Tech Developer",
        description=TEXT,
        ahead=wrong,
    )
    assert how == "content"  # read from the advert, not from the signature of shingle size 5


def test_ahead_book_matches_items_by_identity_and_forgets_the_oldest() -> None:
    book = AheadBook(limit=2)
    first, second, third = object(), object(), object()
    sig = signature(url="https://x.example/j/1", employer=None, title="T", description="d")
    book.put(first, sig)
    book.put(second, sig)
    book.put(third, sig)  # past the limit: ``first`` is forgotten
    assert len(book) == 2
    assert book.take(first) is None
    assert book.take(second) is sig
    assert book.take(second) is None  # taken once
    assert book.take(third) is sig and len(book) == 0


def test_a_packed_signature_comes_back_the_same_and_groups_the_same() -> None:
    sig = signature(url="https://x.example/jobs/1", employer="Acme", title="T", description=TEXT)
    packed = sig.packed()
    assert packed[0] == scheme() == DedupeIndex().scheme
    assert packed[4] is not None and len(packed[4]) == 4 * 128
    back = Signature.unpacked(packed)
    assert (back.canonical, back.employer, back.content) == (
        sig.canonical,
        sig.employer,
        sig.content,
    )
    assert list(back.hashvalues) == [int(v) for v in sig.hashvalues]
    bare = signature(url="https://x.example/jobs/2", employer=None, title="T", description=TEXT)
    assert bare.packed()[4] is None and Signature.unpacked(bare.packed()).hashvalues is None
    # adding by stored signature groups as adding the advert does
    by_text, by_packed = DedupeIndex(), DedupeIndex()
    for n, text in enumerate((TEXT, TEXT.replace("April", "June"), "Another job entirely.")):
        url = f"https://x.example/jobs/{n}"
        how = by_text.add(str(n), url=url, employer="Acme", title="T", description=text)
        signed = by_packed.sign(url=url, employer="Acme", title="T", description=text)
        assert by_packed.add_signed(str(n), signed) == how
    assert by_text.groups() == by_packed.groups()


@pytest.mark.parametrize(
    "packed",
    [
        ("minhash-w5-p128-s2", "u", "e", "c", None),  # another seed
        ("simhash-64", "u", "e", "c", None),
        ("minhash-w5-p128-s1", "u", "e", "c", b"\0" * 12),  # wrong length
    ],
)
def test_a_signature_of_another_kind_is_refused(packed: Any) -> None:
    with pytest.raises(ValueError):
        Signature.unpacked(packed)


def test_an_index_refuses_a_signature_of_another_scheme() -> None:
    signed = DedupeIndex(shingle_size=4).sign(
        url="https://x.example/jobs/1", employer="Acme", title="T", description=TEXT
    )
    with pytest.raises(ValueError, match="scheme"):
        DedupeIndex().add_signed("1", signed)


# The compact index against the datasketch objects it replaced ---------------------------------


class _DatasketchIndex:
    """The index as it was before it was made compact (MinHash objects in a ``MinHashLSH``,
    ``MinHash.jaccard``): the reference the compact one must match, advert for advert."""

    def __init__(self, threshold: float = 0.8) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.lsh = MinHashLSH(threshold=threshold, num_perm=128)
        self.order: list[str] = []
        self.parent: dict[str, str] = {}
        self.canonical: dict[str, str] = {}
        self.minhash: dict[str, Any] = {}
        self.employer: dict[str, str] = {}
        self.by_url: dict[str, str] = {}
        self.by_content: dict[str, str] = {}

    def find(self, key: str) -> str:
        while self.parent[key] != key:
            key = self.parent[key]
        return key

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            first, second = sorted((ra, rb), key=self.order.index)
            self.parent[second] = first

    def add(self, key: str, ahead: Signature) -> str:
        from datasketch import MinHash

        self.order.append(key)
        self.parent[key] = key
        self.canonical[key] = ahead.canonical
        self.employer[key] = ahead.employer
        how = "new"
        if ahead.canonical in self.by_url:
            self.union(self.by_url[ahead.canonical], key)
            how = "url"
        else:
            self.by_url[ahead.canonical] = key
        if ahead.content in self.by_content:
            self.union(self.by_content[ahead.content], key)
            how = "content" if how == "new" else how
        else:
            self.by_content[ahead.content] = key
        if ahead.hashvalues is not None:
            scheme, permutations = _permutations(128)
            mh = MinHash(
                num_perm=128,
                seed=1,
                hashvalues=ahead.hashvalues,
                permutations=permutations,
                scheme=scheme,
            )
            for other in self.lsh.query(mh):
                if (
                    self.employer[other] == ahead.employer
                    and self.minhash[other].jaccard(mh) >= self.threshold
                ):
                    if self.find(other) != self.find(key):
                        how = "near" if how == "new" else how
                    self.union(other, key)
            self.lsh.insert(key, mh)
            self.minhash[key] = mh
        return how

    def groups(self) -> dict[str, str]:
        return {key: group_id(self.canonical[self.find(key)]) for key in self.order}


def _generated_adverts(count: int, seed: int) -> list[tuple[str, Signature]]:
    """Adverts with re-posts: the same URL with tracking parameters, the same text on other
    boards, a few words changed (near or not quite), other employers, no employer, no text."""
    rng = random.Random(seed)
    words = sorted(set(TEXT.lower().replace(".", "").replace(",", "").split()))
    employers = ["Acme", "Acme GmbH", "Open Streets Collective", "Datenwerk e.V.", "Zeta", None]
    originals: list[tuple[str, str | None, str]] = []
    out: list[tuple[str, Signature]] = []
    for n in range(count):
        roll = rng.random()
        if originals and roll < 0.45:
            url, employer, text = rng.choice(originals)
            words_of = text.split()
            kind = rng.random()
            if kind < 0.2:
                url = url + "?utm_source=feed"
            elif kind < 0.4:
                url = f"https://board-{rng.randrange(3)}.example/v/{n}"
            else:  # an edited re-post: 1-12 words replaced
                url = f"https://board-{rng.randrange(3)}.example/v/{n}"
                for _ in range(rng.randrange(1, 13) if words_of else 0):
                    words_of[rng.randrange(len(words_of))] = rng.choice(words)
                if rng.random() < 0.2:
                    employer = rng.choice(employers)
            text = " ".join(words_of)
        else:
            url = f"https://one.example/jobs/{n}"
            employer = rng.choice(employers)
            length = rng.choice((0, 3, 40, 90, 150))
            text = " ".join(rng.choice(words) for _ in range(length))
            originals.append((url, employer, text))
        sig = signature(url=url, employer=employer, title="Developer", description=text)
        out.append((f"k{n}", sig))
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_compact_index_matches_the_datasketch_index_advert_for_advert(seed: int) -> None:
    adverts = _generated_adverts(600, seed)
    compact, reference = DedupeIndex(), _DatasketchIndex()
    hows = [
        compact.add(key, url="", employer=None, title=None, description=None, ahead=sig)
        for key, sig in adverts
    ]
    assert hows == [reference.add(key, sig) for key, sig in adverts]
    assert compact.groups() == reference.groups()
    # every rule was exercised
    assert {"new", "url", "content", "near"} <= set(hows)
    assert len(compact) == len(adverts) and "k0" in compact and "nope" not in compact


def test_the_compact_index_keeps_about_2_kb_per_advert() -> None:
    adverts = _generated_adverts(3000, 7)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        index = DedupeIndex()
        for key, sig in adverts:
            index.add(key, url="", employer=None, title=None, description=None, ahead=sig)
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    # the keys are the caller's strings (kept by it too); a block of 4,096 rows of MinHash
    # values (2 MB) is allocated ahead, so count per advert past the first block
    per_advert = (after - before - 4096 * 128 * 4) / len(adverts)
    assert per_advert < 1_500, per_advert


def test_minhash_values_beyond_32_bits_are_refused() -> None:
    sig = signature(url="https://x.example/1", employer="Acme", title="T", description=TEXT)
    bad = Signature(
        canonical=sig.canonical,
        employer=sig.employer,
        content=sig.content,
        hashvalues=[2**33] * 128,
    )
    with pytest.raises(ValueError, match="below 2\\*\\*32"):
        DedupeIndex().add("a", url="", employer=None, title=None, description=None, ahead=bad)
