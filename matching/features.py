"""Comparing two records feature by feature, each with a reason a curator can read.

:class:`Prepared` is a record read once (name readings, legal forms, keys, place);
:func:`compare` gives the feature vector (:data:`FEATURES`, the model's inputs) and the reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz

from matching.keys import own_domain, social_key
from matching.names import (
    LegalForm,
    NameVariant,
    TermWeights,
    compare_forms,
    kinds_differ,
    parse_name,
    weighted_similarity,
)
from matching.places import country_code, names_a_place, place_of
from matching.records import Record

__all__ = ["FEATURES", "Comparison", "Prepared", "compare", "prepare"]

#: The model's inputs, in order (see :func:`compare`).
FEATURES = (
    "name_weighted",  # share of distinctive word weight found on both sides (0..1)
    "name_fuzzy",  # rapidfuzz token-sort ratio of the best readings (0..1)
    "name_exact",  # 1 if two readings are the same words
    "name_compact",  # rapidfuzz ratio of the readings written without spaces (0..1)
    "name_conflict",  # 1 if each side has a distinctive word the other lacks
    "name_extra",  # 1 if only one side has a distinctive word the other lacks, and no
    # website or social profile says they are the same ("Politecnico di Milano School of X")
    "name_kind_differs",  # 1 if both names say what kind of body they are, differently
    "name_place_extra",  # 1 if a word only one side has is a city or country ("Fab Lab Bari")
    "name_place_only",  # 1 if the only distinctive words shared are places (cities, countries)
    "domain_same",
    "domain_differs",
    "social_same",
    "social_differs",
    "form_agrees",
    "form_differs",
    "country_same",
    "country_differs",
    "city_same",
    "city_differs",
)


@dataclass(frozen=True, slots=True)
class Prepared:
    record: Record
    variants: tuple[NameVariant, ...]
    forms: tuple[LegalForm, ...]
    domain: str | None
    socials: frozenset[str]
    country: str | None
    city: str | None


def prepare(record: Record) -> Prepared:
    """Read a record once: names, legal forms, registrable domain, social handles, place."""
    city, country = place_of(record.city, record.country)
    parsed = parse_name(record.name, country)
    socials = {key for url in record.social if (key := social_key(url))}
    site_social = social_key(record.website)
    if site_social:  # a LinkedIn page given as the website is a social key, not a domain
        socials.add(site_social)
    return Prepared(
        record=record,
        variants=parsed.variants,
        forms=parsed.forms,
        domain=own_domain(record.website),
        socials=frozenset(socials),
        country=country,
        city=city,
    )


@dataclass(frozen=True, slots=True)
class Comparison:
    values: tuple[float, ...]  # in FEATURES order
    reasons: tuple[str, ...]


def _ternary(same: bool | None) -> tuple[float, float]:
    if same is None:
        return 0.0, 0.0
    return (1.0, 0.0) if same else (0.0, 1.0)


def _platforms(keys: frozenset[str]) -> set[str]:
    return {k.split(":", 1)[0] for k in keys}


def _is_home(word: str, p: Prepared) -> bool:
    """The word names the record's own country or city ("Ireland" for an Irish entry)."""
    code = country_code(word)
    return (code is not None and code == p.country) or (p.city is not None and word == p.city)


def _all_words(p: Prepared) -> list[str]:
    """Every reading's words and the legal forms' ("Foundation" is read as a legal form)."""
    return [t for v in p.variants for t in v.tokens] + [t for f in p.forms for t in f.tokens]


def compare(a: Prepared, b: Prepared, weights: TermWeights) -> Comparison:
    """Features of the pair (``a`` the query, ``b`` a database entry) and their reasons."""
    reasons: list[str] = []
    best = None
    best_pair = (a.variants[0], b.variants[0])
    for va in a.variants:
        for vb in b.variants:
            sim = weighted_similarity(va.tokens, vb.tokens, weights)
            if best is None or sim.score > best.score:
                best, best_pair = sim, (va, vb)
    assert best is not None
    fuzzy = (
        max(fuzz.token_sort_ratio(va.text, vb.text) for va in a.variants for vb in b.variants)
        / 100.0
    )
    exact = any(va.tokens == vb.tokens for va in a.variants for vb in b.variants)
    compact = (
        max(
            fuzz.ratio("".join(va.tokens), "".join(vb.tokens))
            for va in a.variants
            for vb in b.variants
        )
        / 100.0
    )
    if exact:
        reasons.append(f"same name: '{best_pair[0].text}'")
    else:
        reasons.append(
            f"name similarity {best.score:.2f} ('{best_pair[0].text}' ~ '{best_pair[1].text}')"
        )
    if best.shared:
        reasons.append("shared words: " + ", ".join(best.shared[:4]))
    if best.missing:
        reasons.append("unmatched words: " + ", ".join(best.missing[:4]))
    if best.conflict:
        reasons.append("each name has a distinctive word the other lacks")
    elif best.extra:
        reasons.append("one name has a distinctive word more than the other")
    kind_differs = not exact and kinds_differ(_all_words(a), _all_words(b))
    if kind_differs:
        reasons.append("the names say different kinds of body")
    place_words = [
        t for t in best.missing if names_a_place(t) and not _is_home(t, a) and not _is_home(t, b)
    ]
    if place_words:
        reasons.append("place named on one side only: " + ", ".join(place_words[:3]))
    shared_distinctive = [t for t in best.shared if weights.distinctive(t)]
    place_only = bool(shared_distinctive) and all(names_a_place(t) for t in shared_distinctive)
    if place_only and not exact:
        reasons.append(
            "the only distinctive words shared are places: " + ", ".join(shared_distinctive[:3])
        )

    domain = None
    if a.domain and b.domain:
        domain = a.domain == b.domain
        reasons.append(
            f"same website domain {a.domain}"
            if domain
            else f"websites differ: {a.domain} vs {b.domain}"
        )
    social = None
    shared_social = a.socials & b.socials
    if shared_social:
        social = True
        reasons.append("same social profile " + ", ".join(sorted(shared_social)))
    elif _platforms(a.socials) & _platforms(b.socials):
        social = False
        reasons.append("different profiles on the same social network")
    form, form_reason = compare_forms(a.forms, b.forms)
    if form_reason:
        reasons.append(form_reason)
    country = None
    if a.country and b.country:
        country = a.country == b.country
        reasons.append(
            f"same country {a.country}"
            if country
            else f"countries differ: {a.country} vs {b.country}"
        )
    city = None
    if a.city and b.city:
        city = a.city == b.city
        reasons.append(f"same place {a.city}" if city else f"places differ: {a.city} vs {b.city}")
    values = (
        best.score,
        fuzzy,
        1.0 if exact else 0.0,
        compact,
        1.0 if best.conflict else 0.0,
        1.0 if best.extra and not domain and not social else 0.0,
        1.0 if kind_differs else 0.0,
        1.0 if place_words else 0.0,
        1.0 if place_only and not exact else 0.0,
        *_ternary(domain),
        *_ternary(social),
        1.0 if form > 0 else 0.0,
        1.0 if form < 0 else 0.0,
        *_ternary(country),
        *_ternary(city),
    )
    return Comparison(values=values, reasons=tuple(reasons))
