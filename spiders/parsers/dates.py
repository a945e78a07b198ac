"""Dates from the strings job boards, feeds and portals publish.

``parse_date`` tries cheap, exact parsers first (ISO 8601, compact ``YYYYMMDD``, RFC 2822,
numeric day-first dates, relative phrases such as "3 days ago" / "vor 3 Tagen" / "hace 3 días",
"12. März 2025"-style dates in the main European languages) and only then dateparser, which is
slow (milliseconds per call, a second for its first call) and is therefore cached.

Conventions:

* numeric dates are read day first (European): ``05/03/2025`` is 5 March; a first number over
  12 forces month-first reading only when the second number is over 12 (``03/25/2025``);
* a datetime with an offset keeps the calendar date it was written in
  (``2024-03-05T00:30+01:00`` is 5 March, not 4 March UTC);
* results before 1990 or more than five years after ``now`` are rejected as absurd.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from functools import lru_cache

from crawler.text import clean_text, fold_accents

logger = logging.getLogger(__name__)

__all__ = ["MIN_YEAR", "iso_date", "parse_date"]

MIN_YEAR = 1990
MAX_YEARS_AHEAD = 5
#: Longer inputs are searched for an ISO date only (dateparser on long text is slow and wild).
MAX_FREE_TEXT = 80

_ISO_RE = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T\s]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?)?",
    re.IGNORECASE,
)
_ISO_MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
_COMPACT_RE = re.compile(r"(\d{4})(\d{2})(\d{2})(?:T\d{2}(?:\d{2}(?:\d{2})?)?(?:Z|[+-]\d{4})?)?")
_NUMERIC_RE = re.compile(r"(\d{1,4})\s?([./-])\s?(\d{1,2})\s?\2\s?(\d{1,4})\.?")
_RFC2822_RE = re.compile(r"(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{2,4}\s+\d{1,2}:\d{2}")

_LEADIN_RE = re.compile(
    r"^(?:(?:date\s+posted|posted\s+on|posted|published\s+on|published|updated\s+on|updated|"
    r"last\s+updated|date|"
    r"veröffentlicht\s+am|veröffentlicht|aktualisiert\s+am|erstellt\s+am|online\s+seit|datum|"
    r"publiée?\s+le|publiée?|mise?\s+à\s+jour\s+le|mise?\s+à\s+jour|"
    r"publicad[oa]\s+el|publicad[oa]|actualizad[oa]|fecha|"
    r"gepubliceerd\s+op|geplaatst\s+op|gepubliceerd|geplaatst|"
    r"opublikowan[oay]|dodan[oay]|data|"
    r"pubblicato\s+il|pubblicato|publicado\s+em|"
    r"zveřejněno|zverejnené|publikováno|publikované|vloženo|publicerad|publicerat|"
    r"julkaistu|közzétéve|feltöltve|publicat(?:\s+(?:la|pe))?|data\s+publicării|"
    r"δημοσιεύθηκε|δημοσίευση|ημερομηνία)\s*[:\-–]?\s+"
    # bare articles/prepositions only before a number: "le 5 mars", not "il y a 2 jours"
    r"|(?:on|am|le|el|il|op|em)\s+(?=\d))",
    re.IGNORECASE,
)

# Relative expressions ---------------------------------------------------------------------

_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365, "hour": 0, "minute": 0}

#: Word stems -> unit; matched against accent-folded lower-case words by prefix.
_UNIT_WORDS: tuple[tuple[str, str], ...] = (
    # English
    ("minute", "minute"), ("min", "minute"), ("hour", "hour"), ("hr", "hour"), ("h", "hour"),
    ("day", "day"), ("d", "day"), ("week", "week"), ("wk", "week"), ("w", "week"),
    ("month", "month"), ("mo", "month"), ("year", "year"), ("yr", "year"),
    # German
    ("stunde", "hour"), ("std", "hour"), ("tag", "day"), ("woche", "week"), ("monat", "month"),
    ("jahr", "year"),
    # French
    ("heure", "hour"), ("jour", "day"), ("semaine", "week"), ("mois", "month"), ("an", "year"),
    ("annee", "year"),
    # Spanish / Portuguese / Italian
    ("hora", "hour"), ("ora", "hour"), ("dia", "day"), ("giorn", "day"), ("semana", "week"),
    ("settiman", "week"), ("mes", "month"), ("mese", "month"), ("ano", "year"), ("anno", "year"),
    ("anni", "year"),
    # Dutch
    ("uur", "hour"), ("dag", "day"), ("we", "week"), ("maand", "month"), ("jaar", "year"),
    # Polish
    ("godzin", "hour"), ("dzien", "day"), ("dni", "day"), ("tydz", "week"), ("tygodn", "week"),
    ("miesiac", "month"), ("miesiec", "month"), ("rok", "year"), ("lat", "year"),
    # Swedish / Danish / Norwegian
    ("timme", "hour"), ("time", "hour"), ("dygn", "day"), ("vecka", "week"), ("veckor", "week"),
    ("uge", "week"), ("uke", "week"), ("manad", "month"), ("maned", "month"), ("ar", "year"),
)  # fmt: skip

_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a couple of": 2, "a few": 3, "few": 3,
    "einem": 1, "einer": 1, "ein": 1, "eine": 1, "zwei": 2, "drei": 3, "vier": 4, "funf": 5,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5,
    "een": 1, "twee": 2, "drie": 3, "vier ": 4,
    "jeden": 1, "jedna": 1, "jeden dzien": 1, "dwa": 2, "dwie": 2, "trzy": 3, "cztery": 4,
    "due": 2, "tre": 3, "um": 1, "uma": 1, "dois": 2, "duas": 2, "en": 1, "ett": 1,
}  # fmt: skip

_NUM = r"(?P<num>\d{1,4}|[a-z]+(?: (?:couple|few) of| few)?)\+?"
_UNIT = r"(?P<unit>[a-z]+)\.?"
#: Relative patterns on folded lower-case text: "3 days ago", "vor 3 Tagen", "il y a 3 jours",
#: "hace 3 días", "3 dagen geleden", "2 tygodnie temu", "3 giorni fa", "há 3 dias", ...
_RELATIVE_RES = tuple(
    re.compile(p)
    for p in (
        rf"^(?:about |over |more than |almost )?{_NUM} {_UNIT} ago$",
        rf"^vor (?:uber |mehr als |etwa )?{_NUM} {_UNIT}$",
        rf"^il y a (?:plus de |environ )?{_NUM} {_UNIT}$",
        rf"^(?:hace|ha|faz|ha mas de|hace mas de) {_NUM} {_UNIT}$",
        rf"^{_NUM} {_UNIT} (?:geleden|temu|fa|atras|sedan|siden)$",
        rf"^for {_NUM} {_UNIT} (?:sedan|siden)$",
        rf"^(?:last|past) {_UNIT}$",
        # "3d", "2w", "5h", "3mo": compact ages on job boards (a bare "3 days" is a duration)
        r"^(?P<num>\d{1,3})\s?(?P<unit>d|h|w|mo|y)$",
    )
)

_TODAY_WORDS = frozenset(
    {
        "today", "just now", "now", "just posted", "new", "heute", "gerade eben", "soeben",
        "aujourd'hui", "aujourdhui", "a l'instant", "hoy", "ahora", "vandaag", "zojuist",
        "dzisiaj", "dzis", "oggi", "hoje", "idag", "i dag", "tanaan",
    }
)  # fmt: skip
_YESTERDAY_WORDS = frozenset(
    {
        "yesterday",
        "gestern",
        "hier",
        "ayer",
        "gisteren",
        "wczoraj",
        "ieri",
        "ontem",
        "igar",
        "i gar",
    }
)
_DAY_BEFORE_WORDS = frozenset(
    {"vorgestern", "avant-hier", "anteayer", "eergisteren", "przedwczoraj", "l'altro ieri",
     "anteontem", "i forrgar"}
)  # fmt: skip

# Month names ----------------------------------------------------------------------------

#: Month names in the languages of the sources, folded (no accents), one string a month.
_MONTH_NAMES = (
    "january jan janvier janv enero ene januar janner januari gennaio gen janeiro "
    "stycznia styczen sty",
    "february feb fevrier fev fevr februar feber februari febrero febbraio fevereiro "
    "lutego luty lut",
    "march mar mars marz maerz maart marzo marco marca marzec",
    "april apr avril abril aprile kwietnia kwiecien kwi",
    "may mai mayo maggio maio mei maj maja",
    "june jun juin junio giugno junho juni czerwca czerwiec cze",
    "july jul juillet juil julio luglio julho juli lipca lipiec lip",
    "august aug aout agosto augustus sierpnia sierpien sie",
    "september sep sept septembre septiembre settembre setembro wrzesnia wrzesien wrz",
    "october oct octobre octubre ottobre outubro oktober okt pazdziernika pazdziernik paz",
    "november nov novembre noviembre novembro listopada listopad lis",
    "december dec decembre diciembre dicembre dezembro dezember dez grudnia grudzien gru",
)
#: Czech, Slovak, Hungarian, Romanian and Greek (folded: no accents, final sigma as σ).
_MONTH_NAMES_EAST = (
    "ledna leden januara janu ianuarie ian ιανουαριου ιανουαριοσ ιαν",
    "unora unor februara februarie febr φεβρουαριου φεβρουαριοσ φεβ",
    "brezna brezen marec marcius marc martie μαρτιου μαρτιοσ μαρ",
    "dubna duben aprila aprilis aprilie απριλιου απριλιοσ απρ",
    "kvetna kveten maja majus μαιου μαιοσ μαι",
    "cervna cerven juna junius iunie iun ιουνιου ιουνιοσ ιουν",
    "cervence cervenec jula julius iulie iul ιουλιου ιουλιοσ ιουλ",
    "srpna srpen augusta augusztus αυγουστου αυγουστοσ αυγ",
    "zari septembra szeptember septembrie szept σεπτεμβριου σεπτεμβριοσ σεπ",
    "rijna rijen oktobra oktober octombrie οκτωβριου οκτωβριοσ οκτ",
    "listopadu novembra noiembrie noi νοεμβριου νοεμβριοσ νοε",
    "prosince prosinec decembra decembrie δεκεμβριου δεκεμβριοσ δεκ",
)
_MONTHS: dict[str, int] = {}
for _table in (_MONTH_NAMES, _MONTH_NAMES_EAST):
    for _month, _names in enumerate(_table, start=1):
        for _name in _names.split():
            _MONTHS.setdefault(_name, _month)

_MONTH_ALT = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DAY_MONTH_YEAR_RE = re.compile(
    rf"^(?P<day>\d{{1,2}})(?:st|nd|rd|th|er|e|º|o)?\.?\s*(?:de |of )?(?P<month>{_MONTH_ALT})\.?,?"
    rf"\s*(?:de |del )?(?P<year>\d{{4}})$"
)
_MONTH_DAY_YEAR_RE = re.compile(
    rf"^(?P<month>{_MONTH_ALT})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})$"
)
_MONTH_YEAR_RE = re.compile(rf"^(?P<month>{_MONTH_ALT})\.?\s+(?:de )?(?P<year>\d{{4}})$")
#: Hungarian order: "2024. március 5." / "2024. márc. 5."
_YEAR_MONTH_DAY_RE = re.compile(
    rf"^(?P<year>\d{{4}})\.?\s*(?P<month>{_MONTH_ALT})\.?\s*(?P<day>\d{{1,2}})\.?(?:-?(?:an|en|on|jen))?$"
)
_WEEKDAY_RE = re.compile(
    r"^(?:mon|tue|wed|thu|fri|sat|sun|montag|dienstag|mittwoch|donnerstag|freitag|samstag|"
    r"sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miercoles|"
    r"jueves|viernes|sabado|domingo|maandag|dinsdag|woensdag|donderdag|vrijdag|zaterdag|zondag|"
    r"lunedi|martedi|mercoledi|giovedi|venerdi|sabato|domenica)[a-z]*\.?,?\s+"
)


def _fold(text: str) -> str:
    """Lower case without accents (``"März"`` -> ``"marz"``, ``"días"`` -> ``"dias"``)."""
    return fold_accents(text).replace("’", "'")


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _two_digit_year(year: int, now: datetime) -> int:
    if year >= 100:
        return year
    pivot = (now.year + MAX_YEARS_AHEAD) % 100
    return 2000 + year if year <= pivot else 1900 + year


def _iso(text: str) -> date | None:
    match = _ISO_RE.fullmatch(text)
    if match is not None:
        candidate = text.replace(" ", "T", 1) if "T" not in text.upper() else text
        try:
            return datetime.fromisoformat(candidate.replace("Z", "+00:00")).date()
        except ValueError:
            year, month, day = (int(g) for g in match.groups())
            return _safe_date(year, month, day)
    match = _COMPACT_RE.fullmatch(text)
    if match is not None:
        year, month, day = (int(g) for g in match.groups())
        return _safe_date(year, month, day)
    match = _ISO_MONTH_RE.fullmatch(text)
    if match is not None:
        year, month = (int(g) for g in match.groups())
        return _safe_date(year, month, 1)
    return None


def _numeric(text: str, now: datetime) -> date | None:
    match = _NUMERIC_RE.fullmatch(text)
    if match is None:
        return None
    first, _, second, third = match.groups()
    a, b, c = int(first), int(second), int(third)
    if len(first) == 4:  # 2025/03/05, 2025.03.05
        return _safe_date(a, b, c) if len(third) <= 2 else None
    if len(third) not in (2, 4):
        return None
    year = _two_digit_year(c, now)
    if a > 12 or b <= 12:  # day first (European), unless only month-first can be right
        return _safe_date(year, b, a)
    return _safe_date(year, a, b)


def _rfc2822(text: str) -> date | None:
    if _RFC2822_RE.match(text) is None:
        return None
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return _NUMBER_WORDS.get(word)


def _unit(word: str) -> str | None:
    best: tuple[int, str] | None = None
    for stem, unit in _UNIT_WORDS:
        matches = word == stem or (len(stem) >= 3 and word.startswith(stem))
        if matches and (best is None or len(stem) > best[0]):
            best = (len(stem), unit)
    return best[1] if best else None


def _relative(folded: str, now: datetime) -> date | None:
    phrase = folded.strip(" .!")
    if phrase in _TODAY_WORDS:
        return now.date()
    if phrase in _YESTERDAY_WORDS:
        return now.date() - timedelta(days=1)
    if phrase in _DAY_BEFORE_WORDS:
        return now.date() - timedelta(days=2)
    for pattern in _RELATIVE_RES:
        match = pattern.match(phrase)
        if match is None:
            continue
        groups = match.groupdict()
        number = _number(groups["num"]) if groups.get("num") else 1
        unit = _unit(groups["unit"])
        if number is None or unit is None:
            continue
        if unit in ("hour", "minute"):
            seconds = number * (3600 if unit == "hour" else 60)
            return (now - timedelta(seconds=seconds)).date()
        return now.date() - timedelta(days=number * _UNIT_DAYS[unit])
    return None


def _named_month(folded: str) -> date | None:
    text = _WEEKDAY_RE.sub("", folded)
    for pattern in (_DAY_MONTH_YEAR_RE, _MONTH_DAY_YEAR_RE, _YEAR_MONTH_DAY_RE):
        match = pattern.match(text)
        if match is not None:
            month = _MONTHS[match["month"]]
            return _safe_date(int(match["year"]), month, int(match["day"]))
    match = _MONTH_YEAR_RE.match(text)
    if match is not None:
        return _safe_date(int(match["year"]), _MONTHS[match["month"]], 1)
    return None


@lru_cache(maxsize=4096)
def _dateparser(text: str, base: datetime, languages: tuple[str, ...] | None) -> date | None:
    """dateparser, cached: the same strings recur on every page of a board."""
    try:
        import dateparser
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    settings = {
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY",
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": base,
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PARSERS": ["relative-time", "absolute-time", "custom-formats"],
    }
    try:
        parsed = dateparser.parse(
            text, languages=list(languages) if languages else None, settings=settings
        )  # type: ignore[arg-type]
    except Exception:  # dateparser raises many kinds of errors on odd input
        logger.debug("dateparser failed on %r", text, exc_info=True)
        return None
    return parsed.date() if parsed is not None else None


def _plausible(value: date | None, now: datetime) -> date | None:
    if value is None:
        return None
    if value.year < MIN_YEAR:
        return None
    try:
        limit = now.date().replace(year=now.year + MAX_YEARS_AHEAD)
    except ValueError:  # 29 February
        limit = now.date().replace(year=now.year + MAX_YEARS_AHEAD, day=28)
    return value if value <= limit else None


def _languages(languages: list[str] | None) -> tuple[str, ...] | None:
    if not languages:
        return None
    codes = tuple(
        sorted(
            {
                code.strip().lower()[:2]
                for code in languages
                if isinstance(code, str) and code.strip()[:2].isalpha()
            }
        )
    )
    return codes or None


def parse_date(
    value: str | None, *, now: datetime | None = None, languages: list[str] | None = None
) -> date | None:
    """A calendar date from a date string, or None (never raises).

    ``now`` anchors relative phrases ("3 days ago", "yesterday") and the plausibility window
    (defaults to the current UTC time); ``languages`` (ISO 639-1 codes) narrows dateparser's
    guesses for free text.
    """
    if value is None:
        return None
    if isinstance(value, date):  # also datetime
        value = value.isoformat()
    elif not isinstance(value, str):
        return None
    if now is None:
        now = datetime.now(UTC)
    if now.tzinfo is not None:
        now = now.replace(tzinfo=None)
    text = clean_text(value[:1000])
    if not text:
        return None
    try:
        return _plausible(_parse(text, now, _languages(languages)), now)
    except Exception:  # pragma: no cover - last line of defence; each step handles its errors
        logger.exception("parse_date failed on %r", text[:200])
        return None


def _parse(text: str, now: datetime, languages: tuple[str, ...] | None) -> date | None:
    if _ISO_RE.fullmatch(text) or _COMPACT_RE.fullmatch(text) or _ISO_MONTH_RE.fullmatch(text):
        return _iso(text)  # ISO-shaped but invalid ("2025-13-01"): no second guessing
    if len(text) > MAX_FREE_TEXT:
        match = _ISO_RE.search(text)
        return _iso(match.group(0)) if match is not None else None
    found = _rfc2822(text)
    if found is not None:
        return found
    stripped = text
    for _ in range(3):
        shorter = _LEADIN_RE.sub("", stripped)
        if shorter == stripped:
            break
        stripped = shorter
    found = _iso(stripped) or _numeric(stripped, now)
    if found is not None:
        return found
    folded = _fold(stripped)
    found = _relative(folded, now) or _named_month(folded)
    if found is not None:
        return found
    if stripped.isdigit():
        return None  # a bare number ("12", an epoch) is not a date we trust
    if not any(ch.isalpha() for ch in stripped) and not any(ch.isdigit() for ch in stripped):
        return None
    # dateparser: cache by the hour so relative phrases stay right within a crawl.
    base = now.replace(minute=0, second=0, microsecond=0)
    return _dateparser(stripped, base, languages)


def iso_date(value: str | None, **kwargs: object) -> str | None:
    """``parse_date(value, **kwargs)`` as ``"YYYY-MM-DD"``, or None."""
    parsed = parse_date(value, **kwargs)  # type: ignore[arg-type]
    return parsed.isoformat() if parsed is not None else None
