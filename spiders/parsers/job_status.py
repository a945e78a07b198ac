"""Whether an advert page says the advert is closed: expired, filled, no longer taking
applications ("No longer accepting applications", "Diese Stelle ist nicht mehr verfügbar",
"Cette offre a expiré", "Esta oferta ya no está disponible", ...).

:func:`closed_notice` reads the short blocks of a page (banners, alerts, the advert's header)
outside navigation, footers and lists of other adverts, so a sentence in a description ("if
the position is no longer available..."), a similar advert's badge or a notice the page keeps
hidden (``hidden``, ``display: none``, ``class="d-none"``) does not count. Pure, never raises.
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from crawler.text import element_text

__all__ = ["CLOSED_RE", "closed_notice", "is_closed_notice"]

#: Closed/expired notices in the main European languages.
CLOSED_RE = re.compile(
    r"no\s+longer\s+(?:accepting|taking)\s+applications|"
    r"(?:job|position|vacancy|advert|posting|role|listing)\s+(?:has\s+)?(?:expired|been\s+filled|"
    r"closed|is\s+closed|is\s+no\s+longer\s+(?:available|open|active))|"
    r"applications?\s+(?:are\s+|is\s+)?(?:now\s+)?closed|this\s+(?:job|advert|vacancy)\s+is\s+"
    r"no\s+longer|"
    r"(?:stelle|stellenanzeige|anzeige|ausschreibung|position)\s+ist\s+(?:leider\s+)?"
    r"(?:bereits\s+|schon\s+)?(?:nicht\s+mehr\s+(?:verfügbar|aktuell|online|aktiv)|besetzt|"
    r"abgelaufen)|bewerbungs(?:frist|zeitraum)\s+ist\s+(?:abgelaufen|beendet|vorbei)|"
    r"nicht\s+mehr\s+verfügbar|"
    r"offre\s+(?:a\s+)?expirée?|offre\s+(?:est\s+)?(?:expirée|pourvue|clôturée|fermée)|"
    r"(?:cette\s+)?offre\s+n['’]est\s+plus\s+(?:disponible|active|en\s+ligne)|"
    r"n['’]accepte\s+plus\s+de\s+candidatures|candidatures\s+(?:sont\s+)?closes|"
    r"oferta\s+(?:ha\s+)?(?:caducad[oa]|expirad[oa]|finalizad[oa]|cerrad[oa])|"
    r"(?:oferta|vacante)\s+ya\s+no\s+está\s+(?:disponible|activa)|"
    r"no\s+admite\s+más\s+(?:candidaturas|inscripciones)|"
    r"offerta\s+(?:è\s+)?(?:scadut[ao]|chius[ao])|non\s+è\s+più\s+disponibile|"
    r"candidature\s+(?:sono\s+)?chiuse|"
    r"vacature\s+is\s+(?:verlopen|gesloten|vervuld|niet\s+meer\s+(?:beschikbaar|actief))|"
    r"(?:oferta|ogłoszenie)\s+(?:jest\s+)?(?:wygasł[ao]|nieaktualn[ae]|zakończon[ae])|"
    r"rekrutacja\s+(?:została\s+)?zakończona|"
    r"(?:inzerát|nabídka)\s+(?:již\s+|už\s+)?(?:není\s+aktuální|vypršel[a]?|byl[a]?\s+ukončen[a]?)|"
    r"annonsen\s+är\s+(?:inte\s+längre\s+aktiv|avpublicerad|stängd)|"
    r"ansökningstiden\s+har\s+(?:gått\s+ut|passerat)|sista\s+ansökningsdag\s+har\s+passerat|"
    r"(?:oferta|vaga|anúncio)\s+(?:já\s+)?(?:expirou|encerrad[ao]|não\s+está\s+(?:mais\s+)?"
    r"disponível)|candidaturas\s+encerradas|"
    r"a\s+hirdetés\s+lejárt|stillingen\s+er\s+besat|opslaget\s+er\s+udløbet|"
    r"haku\s+on\s+päättynyt",
    re.IGNORECASE,
)
#: Every alternative of :data:`CLOSED_RE` holds one of these words (lower case): a page whose
#: text has none of them is passed over without running the regex.
CLOSED_WORDS = (
    "applications", "expired", "filled", "closed", "longer", "nicht", "besetzt", "abgelaufen",
    "bewerbungs", "offre", "accepte", "candidatures", "oferta", "vacante", "admite", "offerta",
    "disponibile", "chiuse", "vacature", "ogłoszenie", "rekrutacja", "inzerát", "nabídka",
    "annonsen", "ansökningstiden", "ansökningsdag", "vaga", "anúncio", "encerradas", "lejárt",
    "besat", "udløbet", "päättynyt",
)  # fmt: skip
#: :data:`CLOSED_RE` for text already in lower case (no IGNORECASE: several times faster on a
#: page's text).
_CLOSED_LOWER_RE = re.compile(CLOSED_RE.pattern)
#: A notice is short (a banner, a badge); a long block is description text.
MAX_NOTICE_CHARS = 300
#: Characters either side of a notice word searched by the page-wide check. Any match of
#: :data:`CLOSED_RE` is shorter than half of it once runs of white space are one space, so
#: occurrences of a word closer than half a window to one already searched around are covered.
_WINDOW = 200
_OUTSIDE_XPATH = (
    "ancestor-or-self::*[self::nav or self::footer or self::aside or self::form or "
    "self::script or self::style or self::template or @role='navigation' or "
    "@role='contentinfo' or contains(@class,'similar') or contains(@class,'related') or "
    "contains(@data-test,'similar') or contains(@class,'recommend') or @hidden or "
    "@aria-hidden='true' or contains(translate(@style,' ',''),'display:none') or "
    "contains(translate(@style,' ',''),'visibility:hidden') or "
    "contains(concat(' ',normalize-space(@class),' '),' d-none ') or "
    "contains(concat(' ',normalize-space(@class),' '),' hidden ') or "
    "contains(concat(' ',normalize-space(@class),' '),' is-hidden ') or "
    "contains(concat(' ',normalize-space(@class),' '),' hide ')]"
)


def is_closed_notice(text: str) -> bool:
    """True when a short text says the advert is closed."""
    return bool(text) and len(text) <= MAX_NOTICE_CHARS and bool(CLOSED_RE.search(text))


#: The text nodes under the body, as plain strings (``itertext`` would make an element object
#: for every node of the page).
_BODY_TEXT = etree.XPath(".//text()", smart_strings=False)


def _may_say_closed(low: str) -> bool:
    """Whether lower-case text with single spaces holds a closed notice anywhere: the regex
    runs only around the words every notice holds, not over the whole page."""
    for word in CLOSED_WORDS:
        at = low.find(word)
        while at != -1:
            if _CLOSED_LOWER_RE.search(low, max(0, at - _WINDOW), at + len(word) + _WINDOW):
                return True
            at = low.find(word, at + _WINDOW // 2)
    return False


def closed_notice(doc: Any) -> str | None:
    """The text of the page's closed/expired notice, or None when it has none."""
    body = doc.find(".//body") if hasattr(doc, "find") else None
    if body is None:
        return None
    if not _may_say_closed(" ".join(" ".join(_BODY_TEXT(body)).lower().split())):
        return None  # one cheap pass first: most pages say nothing of the kind
    try:
        candidates = doc.xpath(
            "//body//*[self::p or self::div or self::span or self::strong or self::figcaption "
            "or self::li or self::h2 or self::h3 or self::h4 or self::section or self::b or "
            "self::em or self::small or self::label]"
        )
    except (AttributeError, ValueError):
        return None
    for el in candidates:
        try:
            if el.xpath(_OUTSIDE_XPATH):
                continue
        except ValueError:
            continue
        text = element_text(el)
        if is_closed_notice(text):
            return text
    return None
