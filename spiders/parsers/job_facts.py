"""The facts of one advert page written in its markup, without structured data.

Boards show an advert's facts in a few layouts: label/value pairs (``<dt>``/``<dd>``,
``<th>``/``<td>``, ``<span class="label">`` beside a value, a heading over a value,
"Label: value" in one element; labels in :mod:`spiders.parsers.job_labels`), elements named
for the fact (``class="company"``, ``data-test="jd-info-location"``), and short lines under the
advert's headline ("Valencia", "Publicada hace 5d", "45 000 – 60 000 Kč"). :func:`read_facts`
reads all three, in that order of trust, and never from page chrome: headers, footers,
navigation, sidebars, lists of similar adverts, the visitor's own place ("Ihr Standort") and
template placeholders (``{{company}}``) are left out. Pure, never raises.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from crawler.text import clean_text, element_text, tree_to_text
from spiders.parsers.dates import iso_date
from spiders.parsers.job_labels import (
    CHROME_TEXT_RE,
    LABEL_START_RE,
    LEADING_DATE_RE,
    PLACEHOLDER_RE,
    VISITOR_PLACE_RE,
    label_key,
    split_inline,
)
from spiders.parsers.places import resolve_place_text
from spiders.parsers.salary import parse_salary_text

__all__ = ["LABEL_MARK", "PageFacts", "in_chrome", "read_facts"]

#: Attribute set on label elements read, so the description can leave the facts out.
LABEL_MARK = "data-dsi-label"
#: Page regions that are never the advert: by tag, by ARIA role, by name.
_CHROME_TAGS = frozenset({"footer", "nav", "aside", "form", "template", "noscript", "script"})
_CHROME_ROLES = frozenset({"navigation", "contentinfo", "complementary", "search", "dialog"})
_CHROME_NAME_RE = re.compile(
    r"similar|related|recommend|other-?jobs|more-?jobs|cookie|consent|breadcrumb|share|"
    r"newsletter|footer|site-?header|masthead|standort-?widget|location-?widget",
    re.IGNORECASE,
)
_SECTIONS = frozenset({"main", "article", "section"})
_NAME_ATTRS = (
    "class",
    "id",
    "itemprop",
    "data-test",
    "data-testid",
    "data-cy",
    "data-qa",
    "data-at",
    "data-automation",
    "data-field",
)
#: Element names that say which fact an element holds.
_HINTS = {
    "organization": re.compile(
        r"company|employer|organi[sz]ation|arbeitgeber|firma|entreprise|empresa|pracodawca|"
        r"hiring|org-?name|recruiter|advertiser|werkgever|azienda|zamestnavatel|arbetsgivare|"
        r"munkaltato",
        re.IGNORECASE,
    ),
    "location": re.compile(
        r"location|standort|arbeitsort|\bort\b|lieu|ubicacion|lokalizacja|workplace|city|"
        r"locality|plaats|miejsce",
        re.IGNORECASE,
    ),
    "salary": re.compile(
        r"salary|gehalt|salaire|salario|wynagrodzenie|earning|\bpay\b|compensation|lohn|mzda|"
        r"stipendio|salaris",
        re.IGNORECASE,
    ),
    "valid": re.compile(r"expir|deadline|closing|valid-?through", re.IGNORECASE),
    "employment": re.compile(
        r"employment|job-?type|contract|vertrag|workload|pensum|work-?time|arbeitszeit|"
        r"etat|umowa",
        re.IGNORECASE,
    ),
}
#: any of :data:`_HINTS` (one search rules out most elements)
_ANY_HINT = re.compile("|".join(f"(?:{p.pattern})" for p in _HINTS.values()), re.IGNORECASE)
_RELATIVE_DATE_RE = re.compile(
    r"\b(?:ago|vor|il\s+y\s+a|hace|fa|temu|geleden|před|sedan|siden|önce|today|yesterday|"
    r"heute|gestern|aujourd'hui|hier|hoy|ayer|oggi|ieri|dzisiaj|wczoraj|vandaag|gisteren|"
    r"dnes|včera|idag|igår)\b",
    re.IGNORECASE,
)
_PLACE_NOISE_RE = re.compile(
    r"^\s*\d{1,3}\s*[-–]\s*|\s*[-–]\s*(?:localiser|voir|show|view|auf der karte|"
    r"on the map|sur la carte)\b.*$",
    re.IGNORECASE,
)
_DATE_PREFIX_RE = re.compile(
    r"^\s*(?:do|bis|until|till|to|jusqu['’]au|au|hasta|el|fino\s+al|entro\s+il|tot|t/m|"
    r"senast|le|am|on)\s+",
    re.IGNORECASE,
)
_LEAF_BLOCKS = frozenset(
    {"div", "p", "ul", "ol", "li", "dl", "table", "section", "article", "h1", "h2", "h3"}
)


@dataclass
class PageFacts:
    """What the markup says of the advert (unnormalised text)."""

    organization: str | None = None
    location: str | None = None
    date: str | None = None
    valid: str | None = None
    salary: str | None = None
    employment: list[str] = field(default_factory=list)
    #: how many facts were read from label/value pairs (evidence that this is an advert)
    labelled: int = 0


def _chrome_verdict(el: Any) -> bool | None:
    """Whether ``el`` itself settles :func:`in_chrome` (True, False), or None: ask its
    parent."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag in _CHROME_TAGS or el.get("role") in _CHROME_ROLES:
        return True
    if tag == "header" or el.get("role") == "banner":
        return not any(a.tag in _SECTIONS for a in el.iterancestors())
    name = " ".join(el.get(a) or "" for a in _NAME_ATTRS)
    if name.strip() and _CHROME_NAME_RE.search(name):
        return True
    if tag in ("body", "html"):
        return False
    return None


def in_chrome(element: Any) -> bool:
    """True when an element is page chrome: in a footer, navigation, sidebar, form, a list
    of similar adverts, a cookie banner, or the page's own header (a ``<header>`` inside
    ``<main>``/``<article>`` is the advert's)."""
    for el in (element, *element.iterancestors()):
        verdict = _chrome_verdict(el)
        if verdict is not None:
            return verdict
    return False


def _value_text(element: Any) -> str:
    """An element's text with its lines joined by ", " ("CDI<br>Temps plein")."""
    lines = [clean_text(x) for x in tree_to_text(element, source_newlines=False).split("\n")]
    return ", ".join(x for x in lines if x)


def _label_text(element: Any) -> str:
    """A label's text, or the title/aria-label of its icon when it has no text."""
    text = element_text(element)
    if text:
        return text
    for el in element.iter():
        for attr in ("title", "aria-label", "alt", "data-label"):
            value = clean_text(el.get(attr))
            if value:
                return value
    return ""


def _usable(value: str | None) -> str | None:
    if not value:
        return None
    value = clean_text(value).strip(" :：-–·|")
    if not value or len(value) > 160 or PLACEHOLDER_RE.search(value):
        return None
    if VISITOR_PLACE_RE.match(value) or label_key(value):
        return None
    return value


def _value_after(label: Any, *, needs_digit: bool = False) -> str | None:
    """The value of a label element: its tail, its next element, or the rest of its parent.
    ``needs_digit`` (a salary): the first of the next three elements with a number in it
    ("Lön" / "Lönetyp: fast lön" / "32 000 – 36 000 kr")."""
    if label.tail and clean_text(label.tail):
        return clean_text(label.tail)
    sib = label.getnext()
    for _ in range(3 if needs_digit else 1):
        while sib is not None and (
            not isinstance(sib.tag, str)
            or (not element_text(sib) and sib.tag in ("i", "svg", "img", "br"))
        ):
            sib = sib.getnext()
        if sib is None:
            break
        value = _value_text(sib)
        if not needs_digit or re.search(r"\d", value):
            return value
        sib = sib.getnext()
    if sib is not None:
        return None
    parent = label.getparent()
    if parent is None:
        return None
    whole, own = element_text(parent), element_text(label)
    if own and whole.startswith(own) and whole[len(own) :].strip(" :："):
        return whole[len(own) :]
    # a label alone in its grid cell: the value is in the next cell
    # (<div class="col-4"><strong>Arbeitgeber</strong></div><div class="col-8">X</div>)
    cell = parent
    for _ in range(2):
        if cell is None or element_text(cell) != own:
            break
        nxt = cell.getnext()
        if nxt is not None and isinstance(nxt.tag, str):
            value = _value_text(nxt)
            if not needs_digit or re.search(r"\d", value):
                return value
            return None
        cell = cell.getparent()
    return None


class _Reader:
    def __init__(self, doc: Any, country_hint: str | None) -> None:
        self.doc = doc
        self.hint = country_hint
        self.facts = PageFacts()
        # keyed by id(), holding the element: lxml proxies die and their ids are reused
        self._chrome: dict[int, tuple[Any, bool]] = {}

    def chrome(self, el: Any) -> bool:
        """:func:`in_chrome`, remembered for ``el`` and every ancestor it asked on the way
        (an element its own verdict does not settle has its parent's)."""
        cache = self._chrome
        path: list[Any] = []
        node, verdict = el, False
        while node is not None:
            known = cache.get(id(node))
            if known is not None:
                verdict = known[1]
                break
            path.append(node)
            settled = _chrome_verdict(node)
            if settled is not None:
                verdict = settled
                break
            node = node.getparent()
        for seen in path:
            cache[id(seen)] = (seen, verdict)
        return verdict

    def store(self, key: str, value: str | None, *, labelled: bool) -> bool:
        value = _usable(value)
        if value is None:
            return False
        facts = self.facts
        if key in ("date", "valid"):
            value = _first_part(value)
        if key == "employment":
            if value in facts.employment:
                return False
            facts.employment.append(value)
        elif key == "organization" and (chrome := CHROME_TEXT_RE.search(value)):
            # "Org – voir l'entreprise": the name before the link text; a button alone: none
            value = value[: chrome.start()].strip(" -–—|·(:")
            if not value or facts.organization is not None:
                return False
            facts.organization = value
        elif getattr(facts, key) is None:
            setattr(facts, key, value)
        else:
            return False
        if labelled:
            facts.labelled += 1
        return True

    # --- label/value pairs ------------------------------------------------------------------
    def labels(self) -> None:
        # containers (more than 6 children, comments included, as ``len(el)`` counts them:
        # not labels) and texts over 240 characters are left out by the query itself, so the
        # text of a page-wide wrapper is never built as a string
        for el in self.doc.xpath(
            "//body//*[self::dt or self::th or self::td or self::strong or self::b or "
            "self::label or self::span or self::div or self::li or self::p or self::h2 or "
            "self::h3 or self::h4 or self::h5 or self::h6 or self::small or self::em]"
            "[count(node()[not(self::text())]) <= 6][string-length(string()) <= 240]"
        ):
            raw_text = el.text_content()
            if raw_text.strip() and not LABEL_START_RE.match(raw_text):
                continue  # labels, "Label: value" and dated lines all start with a label word
            if "\n" in tree_to_text(el, source_newlines=False):
                continue  # several lines: a block of facts, each read on its own
            text = _label_text(el)
            if not text or self.chrome(el):
                continue
            inline = split_inline(text)
            if inline is not None:
                if self.store(inline[0], inline[1], labelled=True):
                    el.set(LABEL_MARK, inline[0])
                continue
            key = label_key(text)
            if key is not None:
                if self.store(key, _value_after(el, needs_digit=key == "salary"), labelled=True):
                    el.set(LABEL_MARK, key)
                continue
            lead = LEADING_DATE_RE.match(text)
            if lead is not None and not any(
                isinstance(c.tag, str) and c.tag in _LEAF_BLOCKS for c in el
            ):
                key = label_key(lead.group("key"))
                value = lead.group("value")
                if (
                    key in ("date", "valid")
                    and iso_date(_first_part(value)) is not None
                    and self.store(key, value, labelled=True)
                ):
                    el.set(LABEL_MARK, key)

    def _place_line(self, text: str) -> bool:
        """A short line that names a place (not a salary, a date or the employer)."""
        cleaned = _PLACE_NOISE_RE.sub("", text).strip()
        if not cleaned or len(cleaned.split()) > 8 or cleaned == self.facts.organization:
            return False
        if _MONEY_RE.search(cleaned) or _RELATIVE_DATE_RE.search(cleaned):
            return False
        return resolve_place_text(cleaned, country_hint=self.hint).city is not None

    # --- elements named for a fact ------------------------------------------------------------
    def hinted(self) -> None:
        wanted = [k for k in _HINTS if k == "employment" or getattr(self.facts, k) is None]
        if not wanted:
            return
        for el in self.doc.xpath(
            "//body//*[@class or @id or @itemprop or @*[starts-with(name(), 'data-')]]"
        ):
            if el.tag in ("body", "main", "article", "section", "html", "form"):
                continue
            name = " ".join(el.get(a) or "" for a in _NAME_ATTRS)
            if not _ANY_HINT.search(name):
                continue
            keys = [k for k in wanted if _HINTS[k].search(name)]
            if not keys or len(el.text_content()) > 300 or self.chrome(el):
                continue
            if el.tag == "h1" or el.find(".//h1") is not None:
                continue
            for key in keys:
                self._hinted_value(el, key)

    def _hinted_value(self, el: Any, key: str) -> None:
        if key == "organization":
            text = _text_without_chrome(el)
            inline = split_inline(text)
            value = inline[1] if inline else text
            if value and len(value) <= 100:
                self.store(key, value, labelled=False)
            return
        texts = _leaf_texts(el) or [element_text(el)]
        if not any(texts):  # an icon named for the fact: <li><i class="icon-location"></i>Bern
            parent = el.getparent()
            if parent is None or len(parent.text_content()) > 160:
                return
            texts = [element_text(parent)]
        self.read_line_group(texts, only=key)

    # --- short lines under the headline -------------------------------------------------------
    def headline_block(self, h1: Any) -> None:
        block = h1
        for _ in range(3):
            parent = block.getparent()
            if parent is None or parent.tag in ("body", "html") or self.chrome(parent):
                break
            if len(parent.text_content()) > 1500:
                break
            block = parent
        inside = set(h1.iter())
        after = False
        texts: list[str] = []
        for el in block.iter():
            if el is h1:
                after = True
                continue
            if not after or el in inside or not isinstance(el.tag, str):
                continue
            if any(isinstance(c.tag, str) and c.tag in _LEAF_BLOCKS for c in el):
                continue
            if self.chrome(el) or el.get(LABEL_MARK) or el.find(f".//*[@{LABEL_MARK}]") is not None:
                continue  # read as a label/value pair already
            text = element_text(el)
            if text and len(text) <= 90 and text not in texts:
                texts.append(text)
        self.read_line_group(texts[:40])

    def read_line_group(self, texts: list[str], only: str | None = None) -> None:
        """Location, date, salary and employment words among short lines: the lines under
        the headline (``only`` None: lines written as "Label: value" were read already) or
        the lines of an element named for one fact (``only``: the value of such a line)."""
        facts = self.facts
        lines: list[str] = []
        for text in texts:
            inline = split_inline(text)
            if inline is None:
                lines.append(text)
            elif only is not None and inline[0] == only:
                lines.append(inline[1])
        # "London (hybrid) · Full-time · £38,000": each part on its own
        texts = [p for t in lines for p in _PARTS_RE.split(t) if p.strip()]
        if only in (None, "location") and facts.location is None:
            places = [t for t in texts if self._place_line(t)]
            if places:
                # under a headline the first place line; in a named element ("Lwowska 5,
                # Śródmieście, Warszawa" over "Warszawa, mazowieckie") the plainest one
                best = places[0] if only is None else min(places, key=lambda t: t.count(","))
                self.store("location", _PLACE_NOISE_RE.sub("", best).strip(), labelled=False)
        if only in (None, "date", "valid"):
            for text in texts:
                lead = LEADING_DATE_RE.match(text)
                if lead is not None:
                    key = label_key(lead.group("key"))
                    if key in ("date", "valid") and (only is None or only == key):
                        self.store(key, lead.group("value"), labelled=False)
                elif (
                    only == "valid" or (facts.date is None and _RELATIVE_DATE_RE.search(text))
                ) and iso_date(_DATE_PREFIX_RE.sub("", text)) is not None:
                    self.store(only or "date", text, labelled=False)
        if only in (None, "salary") and facts.salary is None:
            for text in texts:
                found = parse_salary_text(text, require_context=False)
                if found is not None and found.currency and not found.empty:
                    self.store("salary", text, labelled=False)
                    break
        if only in (None, "employment"):
            from spiders.parsers.jobposting import employment_codes

            for text in texts:
                if len(text) <= 60 and employment_codes(text):
                    self.store("employment", text, labelled=False)


_PARTS_RE = re.compile(r"\s[·•|]\s")
_MONEY_RE = re.compile(r"[€£$]|\b(?:eur|gbp|chf|pln|czk|sek|dkk|nok|huf|ron|kč|zł|ft)\b", re.I)


def _first_part(value: str) -> str:
    return _DATE_PREFIX_RE.sub("", re.split(r"\s+[-–|·]\s+", value)[0])


def _leaf_texts(el: Any) -> list[str]:
    out: list[str] = []
    for sub in el.iter():
        if not isinstance(sub.tag, str) or any(isinstance(c.tag, str) for c in sub):
            continue
        text = element_text(sub)
        if text and text not in out:
            out.append(text)
    return out


def _text_without_chrome(el: Any) -> str:
    """An element's text without links such as "About the company" inside it."""
    twin = copy.deepcopy(el)
    twin.tail = None
    for sub in list(twin.iter("a", "button", "small")):
        if sub is not twin and CHROME_TEXT_RE.search(element_text(sub)):
            sub.drop_tree()
    return element_text(twin)


def read_facts(doc: Any, *, country_hint: str | None = None) -> PageFacts:
    """The advert's facts in the page's markup (see the module docstring). Label elements
    read are marked with :data:`LABEL_MARK` so the description can leave them out."""
    reader = _Reader(doc, country_hint)
    try:
        reader.labels()
        reader.hinted()
        h1s = [h for h in doc.iterfind(".//h1") if not reader.chrome(h)]
        if h1s:
            reader.headline_block(h1s[0])
    except (ValueError, TypeError, AttributeError):  # a tree lxml cannot walk
        pass
    return reader.facts
