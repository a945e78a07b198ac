"""Generated adverts: deterministic, addressable by index, their heads replayed cheaply."""

from __future__ import annotations

from sandbox.generator import advert, advert_head, index_from_slug, slugify


def test_generator_is_deterministic():
    assert advert(2026, 123) == advert(2026, 123)
    assert advert(2026, 123) != advert(2027, 123)
    assert index_from_slug(advert(2026, 42).slug) == 42
    assert slugify("Référent:in Straße Łódź") == "referent-in-strasse-lodz"


def test_advert_head_replays_advert():
    for index in (0, 1, 7, 123, 99_999):
        a = advert(2026, index)
        assert advert_head(2026, index) == (a.slug, a.date_posted)
