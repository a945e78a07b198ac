"""Organisation names: web decoration, legal forms per country, distinctive words.

* :func:`parse_name` turns a raw name (a page title, an employer field, a map entry) into
  :class:`ParsedName`: its readable variants (``"Home | Fab Lab Palermo"`` -> ``"Fab Lab
  Palermo"``; the text inside and outside brackets), each as core tokens, and its legal form.
* Legal forms are read per country (:data:`LEGAL_FORMS`): ``APS`` is an Italian association
  (Associazione di Promozione Sociale) but a Danish company (ApS); ``gGmbH`` is a non-profit
  company, ``GmbH`` a company. They leave the core name and become a comparison feature
  (:func:`compare_forms`): the same kind of form on both sides supports a match, a non-profit
  against a company speaks against it.
* :class:`TermWeights` weighs words by how rare they are among the names of the database
  (inverse document frequency), and words that name a kind of organisation in any language
  ("Foundation", "University", "Lab", "Verein"...) weigh little whatever their frequency:
  sharing "Fab Lab" says little, sharing "Palermo" says a lot.
* :func:`weighted_similarity` is the share of both names' weight carried by words found on the
  other side (exactly or with a typo), with the shared and missing distinctive words as reasons.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from rapidfuzz.distance import OSA

from crawler.text import fold_accents

__all__ = [
    "GENERIC_WORDS",
    "KIND_WORDS",
    "LEGAL_FORMS",
    "LegalForm",
    "NameVariant",
    "ParsedName",
    "TermWeights",
    "compare_forms",
    "core_of",
    "is_generic",
    "kinds_differ",
    "parse_name",
    "split_joined",
    "tokens_of",
    "weighted_similarity",
]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True, slots=True)
class LegalForm:
    """A legal form: how it is written (tokens after folding), where, and what kind it is."""

    label: str  # as usually written: "gGmbH", "e.V.", "asbl"
    tokens: tuple[str, ...]
    #: company | nonprofit-company | association | foundation | cooperative | public
    category: str
    countries: frozenset[str] = frozenset()  # ISO codes; empty = anywhere


def _form(
    label: str, written: str | Sequence[str], category: str, countries: str = ""
) -> list[LegalForm]:
    variants = [written] if isinstance(written, str) else list(written)
    return [
        LegalForm(label, tuple(v.split()), category, frozenset(countries.split())) for v in variants
    ]


#: Legal forms (and the words that say what kind of body it is) per country.
LEGAL_FORMS: tuple[LegalForm, ...] = tuple(
    form
    for forms in (
        _form("gGmbH", ["ggmbh", "gemeinnutzige gmbh"], "nonprofit-company", "DE AT"),
        _form("GmbH", "gmbh", "company", "DE AT CH LI"),
        _form("UG", ["ug", "ug haftungsbeschrankt"], "company", "DE"),
        _form("AG", "ag", "company", "DE AT CH"),
        _form("KG", "kg", "company", "DE AT"),
        _form("e.V.", ["ev", "eingetragener verein"], "association", "DE AT"),
        _form("Verein", "verein", "association", "DE AT CH"),
        _form("eG", "eg", "cooperative", "DE AT CH"),
        _form("Stiftung", "stiftung", "foundation", "DE AT CH"),
        _form("asbl", ["asbl", "aisbl"], "association", "BE LU"),
        _form("vzw", ["vzw", "ivzw"], "association", "BE"),
        _form("Stichting", "stichting", "foundation", "NL BE"),
        _form("Vereniging", "vereniging", "association", "NL BE"),
        _form("BV", ["bv", "bvba"], "company", "NL BE"),
        _form("NV", "nv", "company", "NL BE"),
        _form("CIC", "cic", "nonprofit-company", "GB"),
        _form("CIO", "cio", "nonprofit-company", "GB"),
        _form("Ltd", ["ltd", "limited"], "company", "GB IE MT CY HK"),
        _form("plc", "plc", "company", "GB IE"),
        _form("LLP", "llp", "company", "GB"),
        _form("Inc", ["inc", "incorporated"], "company", "US CA"),
        _form("LLC", "llc", "company", "US"),
        _form("Corp", ["corp", "corporation"], "company", ""),
        _form("APS", "aps", "association", "IT"),
        _form("ApS", "aps", "company", "DK"),
        _form("ONLUS", "onlus", "association", "IT"),
        _form("ETS", "ets", "association", "IT"),
        _form("Associazione", "associazione", "association", "IT"),
        _form("Fondazione", "fondazione", "foundation", "IT"),
        _form("Srl", ["srl", "srls", "sarl", "scarl"], "company", "IT RO FR LU BE"),
        _form("SpA", "spa", "company", "IT"),
        _form("Soc. coop.", ["coop", "cooperativa", "scrl", "scop", "scic"], "cooperative", ""),
        _form("Cooperative", ["cooperative", "genossenschaft"], "cooperative", ""),
        _form("SA", "sa", "company", "ES FR BE CH LU PL PT GR"),
        _form("SL", ["sl", "slu", "sll"], "company", "ES"),
        _form("SAS", ["sas", "sasu"], "company", "FR"),
        _form("Association", ["association", "asociacion", "associacio"], "association", ""),
        _form("Associação", "associacao", "association", "PT BR"),
        _form("Fundación", ["fundacion", "fundacio", "fundacao", "fondation"], "foundation", ""),
        _form("Fundacja", "fundacja", "foundation", "PL"),
        _form("Stowarzyszenie", "stowarzyszenie", "association", "PL"),
        _form("sp. z o.o.", ["sp zoo", "spzoo"], "company", "PL"),
        _form("z. s.", "zs", "association", "CZ"),
        _form("o. p. s.", "ops", "nonprofit-company", "CZ"),
        _form("s. r. o.", "sro", "company", "CZ SK"),
        _form("Oy", ["oy", "oyj"], "company", "FI"),
        _form("ry", "ry", "association", "FI"),
        _form("AB", "ab", "company", "SE FI"),
        _form("AS", ["as", "asa"], "company", "NO"),
        _form("Kft.", "kft", "company", "HU"),
        _form("d.o.o.", "doo", "company", "SI HR RS BA ME"),
        _form("Foundation", "foundation", "foundation", ""),
    )
    for form in forms
)  # fmt: skip

#: every word of a legal form
FORM_WORDS = frozenset(t for f in LEGAL_FORMS for t in f.tokens)
_FORMS_BY_FIRST: dict[str, list[LegalForm]] = {}
for _f in LEGAL_FORMS:
    _FORMS_BY_FIRST.setdefault(_f.tokens[0], []).append(_f)
#: single-token forms that are also ordinary words: a form only as the name's last word
_SUFFIX_ONLY = _words("sa sl as ab ag eg ev spa ry kg ets nv bv ops zs coop corp inc")

#: Words that say what kind of body it is, in the languages of the map: they weigh little.
GENERIC_WORDS = _words(
    """
    lab labs fablab fab laboratory laboratorio laboratoire labor hub hubs makerspace
    foundation fondation fundacion fundacio fundacao fondazione stiftung stichting fundacja
    association associazione asociacion associacio verein vereniging stowarzyszenie
    university universita universidad universitat universite universiteit uniwersytet
    college school institute instituto istituto institut centre center centro zentrum centrum
    society societa sociedad gesellschaft network netzwerk rete red reseau community
    cooperative cooperativa genossenschaft group gruppo grupo trust council agency
    project projekt projet proyecto progetto initiative iniciativa iniziativa
    company ltd limited gmbh international europe european global national
    social digital innovation innovations innovazione innovacion research
    city citta ciudad ville stadt comune municipality department
    """
)
#: Generic words that name what kind of body an organisation is (a lab, a university, a
#: council...), as opposed to generic words of any name ("social", "digital", "European").
KIND_WORDS = GENERIC_WORDS - _words(
    """
    community international europe european global national social digital innovation
    innovations innovazione innovacion research city citta ciudad ville stadt comune
    """
)
#: Words that carry nothing at all.
STOP_WORDS = _words(
    """
    the of for and a an at in on to by with
    de la le les du des el los las del y e et di da dei della und der die das fur von van
    het en voor z w i na do
    """
)
#: Page-title decoration: a segment that is only these words is not the name.
_DECORATION = _words(
    """
    home homepage welcome start startseite accueil inicio inici benvenuti benvenuto welkom
    bienvenue bienvenido witamy official website site web page about us contact news blog
    to our the en de fr es it nl index main
    """
)
_SEPARATORS = re.compile(r"\s*[|•·»«~]\s*|\s*::\s*|\s*[-–—]\s+|\s+[-–—]\s*|:\s+")
#: decoration phrases written into the name itself ("EPF Official Website", "Swirrl Home")
_EDGE_DECORATION = re.compile(
    r"(?i)^(home|homepage|startseite|accueil|inicio|welcome to)\s+|"
    r"\s+(official website|official site|website|homepage|home page|home|about us)$"
)
_BRACKETS = re.compile(r"[(\[]([^)\]]*)[)\]]")
_WORD = re.compile(r"[a-z0-9]+")


def tokens_of(text: str) -> list[str]:
    """Lower-case, accent-free word tokens; ``&`` is "and"; runs of single letters join
    (``e.V.`` -> ``ev``, ``S.r.l.`` -> ``srl``, ``sp. z o.o.`` -> ``sp zoo``)."""
    folded = fold_accents(text).lower().replace("&", " and ").replace("'", "").replace("’", "")
    raw = _WORD.findall(folded)
    out: list[str] = []
    run: list[str] = []
    for token in raw:
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(token)
    if run:
        out.append("".join(run))
    return out


@dataclass(frozen=True, slots=True)
class NameVariant:
    """One readable reading of a name: its core tokens (legal form and stop words out)."""

    tokens: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.tokens)


@dataclass(frozen=True, slots=True)
class ParsedName:
    raw: str
    variants: tuple[NameVariant, ...]
    forms: tuple[LegalForm, ...] = field(default_factory=tuple)

    @property
    def key(self) -> str:
        """The first variant's core text: an exact-name key."""
        return self.variants[0].text if self.variants else ""


def _is_decoration(segment: str) -> bool:
    words, _ = _strip_forms(tokens_of(segment), None)
    return not words or all(w in _DECORATION for w in words)


def _segments(name: str) -> list[str]:
    """The name without page-title decoration; every remaining segment is a reading
    (``"Home | X"`` -> ``["X"]``, ``"X - Making cities better"`` -> ``["X", "Making..."]``)."""
    parts = [p.strip() for p in _SEPARATORS.split(name) if p.strip()]
    kept = [p for p in parts if not _is_decoration(p)]
    if not kept:
        return [name]
    welcome = re.compile(r"(?i)^(welcome to|willkommen bei|bienvenue (a|chez)|benvenuti (a|in))\s+")
    return [welcome.sub("", p) for p in kept]


def _strip_forms(words: list[str], country: str | None) -> tuple[list[str], list[LegalForm]]:
    kept: list[str] = []
    found: list[LegalForm] = []
    i = 0
    while i < len(words):
        form = _form_at(words, i, country) if words[i] in _FORMS_BY_FIRST else None
        if form is not None:
            found.append(form)
            i += len(form.tokens)
            continue
        kept.append(words[i])
        i += 1
    return kept, found


def _form_at(words: list[str], i: int, country: str | None) -> LegalForm | None:
    options = [
        f
        for f in _FORMS_BY_FIRST.get(words[i], ())
        if tuple(words[i : i + len(f.tokens)]) == f.tokens
    ]
    if not options:
        return None
    last = i + len(options[0].tokens) == len(words)
    if len(options[0].tokens) == 1 and words[i] in _SUFFIX_ONLY and (not last or i == 0):
        return None
    if country:
        for f in options:
            if country in f.countries:
                return f
    return options[0]


def core_of(words: Sequence[str], country: str | None) -> tuple[tuple[str, ...], list[LegalForm]]:
    """Core tokens (legal forms and stop words out; the form kept when it is the whole name)
    and the legal forms found."""
    kept, found = _strip_forms(list(words), country)
    if not [w for w in kept if w not in STOP_WORDS]:  # the form is the name ("The Foundation")
        kept, found = list(words), []
    core = tuple(w for w in kept if w not in STOP_WORDS) or tuple(kept)
    return core, found


def split_joined(token: str, known: Callable[[str], bool]) -> tuple[str, str] | None:
    """Two words written as one ("thinkcommons" -> "think", "commons"; "makerversityltd"),
    when ``known`` accepts both halves (three letters or more each); the most balanced split
    wins."""
    best: tuple[str, str] | None = None
    for i in range(3, len(token) - 2):
        left, right = token[:i], token[i:]
        balanced = best is None or abs(len(left) - len(right)) < abs(len(best[0]) - len(best[1]))
        if balanced and known(left) and known(right):
            best = (left, right)
    return best


def parse_name(name: str, country: str | None = None) -> ParsedName:
    """Readings of a raw name (see module docstring); ``country`` (ISO code) picks the
    meaning of ambiguous legal forms."""
    variants: list[NameVariant] = []
    forms: list[LegalForm] = []

    def add(text: str) -> None:
        core, found = core_of(tokens_of(text), country)
        forms.extend(f for f in found if f not in forms)
        if core and NameVariant(core) not in variants:
            variants.append(NameVariant(core))

    for segment in _segments(name):
        bare = _EDGE_DECORATION.sub("", segment).strip()
        if bare and bare != segment:
            add(bare)
        inside = [m.strip() for m in _BRACKETS.findall(segment) if m.strip()]
        outside = _BRACKETS.sub(" ", segment).strip()
        add(outside or segment)
        if inside:
            add(segment)
            for part in inside:
                add(part)
    if not variants:
        variants.append(NameVariant(tuple(tokens_of(name))))
    return ParsedName(raw=name, variants=tuple(variants), forms=tuple(forms))


def compare_forms(a: Sequence[LegalForm], b: Sequence[LegalForm]) -> tuple[int, str | None]:
    """+1 when both names carry a legal form of the same kind, -1 when their kinds differ
    (a non-profit against a company), 0 when one side has none; with a reason."""
    if not a or not b:
        return 0, None
    kinds_a = {f.category for f in a}
    kinds_b = {f.category for f in b}
    shown = f"{'/'.join(f.label for f in a)} vs {'/'.join(f.label for f in b)}"
    if kinds_a & kinds_b:
        return 1, f"legal form agrees: {shown}"
    return (
        -1,
        f"legal form differs: {shown} ({'/'.join(sorted(kinds_a))} vs {'/'.join(sorted(kinds_b))})",
    )


class TermWeights:
    """Inverse document frequency of words over a set of names, generic words damped."""

    GENERIC_FACTOR = 0.25

    def __init__(self, names: Iterable[Iterable[str]]) -> None:
        counts: Counter[str] = Counter()
        total = 0
        for tokens in names:
            counts.update(set(tokens))
            total += 1
        self.counts = counts
        self.total = max(total, 1)
        self._cache: dict[str, float] = {}

    def add(self, tokens: Iterable[str]) -> None:
        """Count one more name."""
        self.counts.update(set(tokens))
        self.total += 1
        self._cache.clear()

    def __call__(self, token: str) -> float:
        found = self._cache.get(token)
        if found is not None:
            return found
        if token in STOP_WORDS:
            weight = 0.05
        else:
            weight = math.log((self.total + 1) / (self.counts.get(token, 0) + 1)) + 1.0
            if is_generic(token):
                weight *= self.GENERIC_FACTOR
        self._cache[token] = weight
        return weight

    def distinctive(self, token: str) -> bool:
        """A word that tells organisations apart (not generic, not a stop word)."""
        return token not in STOP_WORDS and not is_generic(token)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@cache
def _generic_deletions() -> dict[str, tuple[str, ...]]:
    """Each one-letter deletion of a generic word (and the word) -> every word it comes from
    (all of them: which one comes first must not depend on the order of a set)."""
    words = GENERIC_WORDS | {t for f in LEGAL_FORMS for t in f.tokens if len(t) >= 6}
    out: dict[str, set[str]] = {}
    for word in words:
        if len(word) >= 6:
            for d in _deletions(word) | {word}:
                out.setdefault(d, set()).add(word)
    return {d: tuple(sorted(ws)) for d, ws in out.items()}


def _kinds(tokens: Sequence[str]) -> set[str]:
    kinds = {t for t in tokens if t in KIND_WORDS}
    kinds |= {a + b for a, b in itertools.pairwise(tokens) if a + b in KIND_WORDS}
    return kinds


def kinds_differ(a: Sequence[str], b: Sequence[str]) -> bool:
    """Both names say what kind of body they are, and no kind is the same (give or take a
    typo, "lab" in "fablab"): "University of Edinburgh" / "City of Edinburgh Council"."""
    ka, kb = _kinds(a), _kinds(b)
    if not ka or not kb:
        return False
    return not any(x == y or x in y or y in x or OSA.distance(x, y) <= 1 for x in ka for y in kb)


@lru_cache(maxsize=65536)
def is_generic(token: str) -> bool:
    """A word naming a kind of body, or such a word with one typo ("fonudation")."""
    if token in GENERIC_WORDS:
        return True
    if len(token) < 6:
        return False
    table = _generic_deletions()
    return any(
        OSA.distance(token, word) <= 1
        for d in _deletions(token) | {token}
        for word in table.get(d, ())
    )


def _token_similarity(a: str, b: str) -> float:
    """1 for the same word; a typo (one edit -- two swapped letters count one -- in words
    of 4 and 5+ letters, two in 9+) counts 0.8; digits must agree exactly ("lab2" is not
    "lab3")."""
    if a == b:
        return 1.0
    shorter, longer = (len(a), len(b)) if len(a) <= len(b) else (len(b), len(a))
    allowed = 2 if shorter >= 9 else 1
    if shorter < 4 or longer < 5 or longer - shorter > allowed:
        return 0.0
    if not (a.isalpha() and b.isalpha()):  # tokens are [a-z0-9]+: digits must agree exactly
        return 0.0
    if OSA.distance(a, b, score_cutoff=allowed) <= allowed:
        return 0.8
    return 0.0


def _join_pairs(tokens: Sequence[str], other: Sequence[str]) -> Sequence[str]:
    """``tokens`` with two neighbours joined where ``other`` writes them as one word
    ("fab lab" against "fablab", "open knowledge" against "openknowledge")."""
    if len(tokens) < 2:
        return tokens
    joined = set(other)
    out: list[str] = []
    i = 0
    while i < len(tokens):
        if i + 1 < len(tokens) and tokens[i] + tokens[i + 1] in joined:
            out.append(tokens[i] + tokens[i + 1])
            i += 2
            continue
        out.append(tokens[i])
        i += 1
    return out


@dataclass(frozen=True, slots=True)
class Similarity:
    score: float  # 0..1
    shared: tuple[str, ...]  # words found on both sides, by weight
    missing: tuple[str, ...]  # words found on one side only, by weight
    #: both sides have a distinctive word the other lacks ("Fab Lab Palermo" / "Fab Lab Torino")
    conflict: bool = False
    #: only one side has a distinctive word the other lacks: that name is the other plus a
    #: word ("Digital Helden Augustin" / "Digital Helden")
    extra: bool = False


def weighted_similarity(a: Sequence[str], b: Sequence[str], weights: TermWeights) -> Similarity:
    """Share of both names' word weight matched on the other side (see module docstring)."""
    if not a or not b:
        return Similarity(0.0, (), ())
    a, b = _join_pairs(a, b), _join_pairs(b, a)
    matched = 0.0
    total = 0.0
    shared: dict[str, float] = {}
    missing: dict[str, float] = {}
    lacking = [False, False]
    for n, (side, other) in enumerate(((a, b), (b, a))):
        exact = set(other)
        for token in side:
            w = weights(token)
            total += w
            if token in exact:
                best = 1.0
            else:
                best = max((_token_similarity(token, o) for o in other), default=0.0)
            matched += w * best
            if best > 0:
                shared[token] = max(shared.get(token, 0.0), w)
            else:
                missing[token] = max(missing.get(token, 0.0), w)
                lacking[n] = lacking[n] or weights.distinctive(token)
    score = matched / total if total else 0.0
    by_weight = lambda d: tuple(k for k, _ in sorted(d.items(), key=lambda kv: -kv[1]))  # noqa: E731
    one_sided = any(lacking) and not all(lacking)
    return Similarity(score, by_weight(shared), by_weight(missing), all(lacking), one_sided)
