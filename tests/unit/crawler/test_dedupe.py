"""Near-duplicate grouping of job adverts (pure logic): keys, shingles, groups."""

from __future__ import annotations

from crawler.dedupe import (
    AheadBook,
    DedupeIndex,
    content_key,
    employer_key,
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
    from crawler.dedupe import group_id

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
