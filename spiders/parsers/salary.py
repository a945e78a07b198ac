"""Salaries: from schema.org ``baseSalary``/``estimatedSalary``, ATS records or free text.

Every salary ends as min/max/currency (ISO 4217)/period (``year | month | week | day | hour``)
plus an annualised midpoint. Annualisation factors (full-time, documented for researchers):

* hour x 1820 (35 h x 52 weeks; EU full-time weeks are 35-40 h, UK ONS uses 37.5)
* day x 230 (working days a year after holidays), week x 52, month x 12.

Absurd values are kept out of the salary fields, with a warning: an annualised midpoint below
1,000 EUR-equivalent or above 1,000,000 EUR-equivalent (rough fixed rates below, only used for
this plausibility check, never to convert the published figures).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "ANNUAL_FACTORS",
    "Salary",
    "normalise_salary",
    "parse_salary_text",
    "salary_from_structured",
]

ANNUAL_FACTORS: dict[str, float] = {
    "hour": 1820.0,
    "day": 230.0,
    "week": 52.0,
    "month": 12.0,
    "year": 1.0,
}
ABSURD_LOW_EUR = 1_000.0
ABSURD_HIGH_EUR = 1_000_000.0

#: Rough EUR value of one unit, for the plausibility check only.
_EUR_RATE: dict[str, float] = {
    "EUR": 1.0,
    "USD": 0.92,
    "GBP": 1.17,
    "CHF": 1.04,
    "PLN": 0.23,
    "CZK": 0.04,
    "HUF": 0.0025,
    "RON": 0.2,
    "BGN": 0.51,
    "SEK": 0.088,
    "NOK": 0.086,
    "DKK": 0.134,
    "ISK": 0.0067,
    "CAD": 0.68,
    "AUD": 0.61,
    "NZD": 0.56,
    "JPY": 0.0062,
    "INR": 0.011,
    "BRL": 0.18,
    "MXN": 0.054,
    "ZAR": 0.05,
    "TRY": 0.028,
    "UAH": 0.023,
    "RSD": 0.0085,
    "ILS": 0.25,
    "SGD": 0.69,
    "HKD": 0.12,
    "CNY": 0.13,
    "KRW": 0.00068,
}

_PERIOD_WORDS: dict[str, str] = {
    "HOUR": "hour",
    "HOURLY": "hour",
    "DAY": "day",
    "DAILY": "day",
    "WEEK": "week",
    "WEEKLY": "week",
    "MONTH": "month",
    "MONTHLY": "month",
    "YEAR": "year",
    "YEARLY": "year",
    "ANNUAL": "year",
    "ANNUALLY": "year",
    "ANNUM": "year",
    "YEARLY_SALARY": "year",
    "PER_YEAR": "year",
    "PER_MONTH": "month",
    "PER_HOUR": "hour",
    "PER_DAY": "day",
    "PER_WEEK": "week",
    "SALARY": "year",
}

#: Period phrases in text (lower-cased, after the amount).
_TEXT_PERIODS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p, re.IGNORECASE), period)
    for p, period in (
        (
            r"(?:/|(?<![a-z])(?:per|an?|pro|par|al|por|za|na|all'|l'))\s*(?:hour|hr|h|stunde|std\.?|heure|hora|"
            r"ora|godz\w*)\b",
            "hour",
        ),
        (r"\bhourly\b|\bstündlich\b|stundenlohn|\bhoraire\b|/\s*h\b", "hour"),
        (
            r"(?:/|(?<![a-z])(?:per|an?|pro|par|al|por|za|na))\s*(?:day|tag|jour|día|dia|giorno|dzień)\b|"
            r"\bdaily\b|\btagessatz\b|\bper diem\b",
            "day",
        ),
        (
            r"(?:/|(?<![a-z])(?:per|an?|pro|par|por|za|na))\s*(?:week|woche|semaine|semana|settimana|tydzień)\b"
            r"|\bweekly\b",
            "week",
        ),
        (
            r"(?:/|(?<![a-z])(?:per|pr\.?|an?|pro|par|al|por|za|na))\s*(?:month|monat|mois|mes|mese|mies\w*|"
            r"miesiąc\w*|maand|měsíc|mo|mån|månad|måned|kuukausi|hó|lună|μήνα|mês|kk|kuukaudessa)(?!\w)|\bmonthly\b|"
            r"\bmonatlich\b|\bmensuel\w*\b|\bměsíčně\b|\bmesačne\b|\bi\s+månaden\b|"
            r"\bper\s+månad\b|\bmånedlig\w*|\bkuukaudessa\b|\bhavonta\b|\blunar\b|"
            r"\bμηνιαίως\b|\bbrutto\s*/\s*monat\b|\bmensais\b|\bal\s+mes\b|"
            r"\bmensual\b|\bmensile\b|\bmiesięcznie\b|\bmaandelijks\b",
            "month",
        ),
        (
            r"(?:/|(?<![a-z])(?:per|an?|pro|par|al|por|za|na))\s*(?:year|annum|yr|jahr|an|année|año|ano|anno|"
            r"rok|jaar|år|vuosi|év)\b|\bp\.?\s?a\.?(?![a-z])|\bannual(?:ly)?\b|\byearly\b|"
            r"\bjährlich\b|\bročně\b|\bpro\s+jahr\b|\blordi\s+annui\b|\bannui\b|\bpor\s+año\b|"
            r"\bper\s+år\b|\bårslön\b|\bvuodessa\b|\bévente\b|\banual\w*\b|"
            r"\bannuel\w*\b|\banual\b|\bannuo\b|\brocznie\b|\bjaarlijks\b|\bbrutto\s*/?\s*jahr",
            "year",
        ),
    )
]

_CURRENCY_TOKENS: list[tuple[str, str]] = [
    ("zł", "PLN"),
    ("zl", "PLN"),
    ("pln", "PLN"),
    ("kč", "CZK"),
    ("czk", "CZK"),
    ("chf", "CHF"),
    ("eur", "EUR"),
    ("euro", "EUR"),
    ("euros", "EUR"),
    ("€", "EUR"),
    ("gbp", "GBP"),
    ("£", "GBP"),
    ("usd", "USD"),
    ("us$", "USD"),
    ("$", "USD"),
    ("a$", "AUD"),
    ("au$", "AUD"),
    ("c$", "CAD"),
    ("ca$", "CAD"),
    ("nz$", "NZD"),
    ("hk$", "HKD"),
    ("s$", "SGD"),
    ("fr.", "CHF"),
    ("kr.", "DKK"),
    ("ron", "RON"),
    ("isk", "ISK"),
    ("sek", "SEK"),
    ("nok", "NOK"),
    ("dkk", "DKK"),
    ("kr", "SEK"),
    ("huf", "HUF"),
    ("ft", "HUF"),
    ("lei", "RON"),
    ("bgn", "BGN"),
    ("лв", "BGN"),
    ("cad", "CAD"),
    ("aud", "AUD"),
    ("inr", "INR"),
    ("₹", "INR"),
    ("jpy", "JPY"),
    ("¥", "JPY"),
    ("uah", "UAH"),
    ("₴", "UAH"),
    ("try", "TRY"),
    ("₺", "TRY"),
    ("brl", "BRL"),
    ("r$", "BRL"),
]
_CURRENCY_RE_PART = "|".join(
    re.escape(tok) for tok, _ in sorted(_CURRENCY_TOKENS, key=lambda t: -len(t[0]))
)
_CURRENCY_MAP = dict(_CURRENCY_TOKENS)

_NUM = r"\d{1,3}(?:[ \u00a0\u202f\u2009.,']\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?"
_AMOUNT = rf"(?:{_NUM})(?:\s*(?:k|tsd\.?|tys\.?)(?!\w))?"
_CUR = rf"(?:{_CURRENCY_RE_PART})"
_SEP = r"\s*(?:-|–|—|to|bis|à|a|do|até|tot|and)\s*"
_SALARY_RE = re.compile(
    rf"(?<![\w.,])(?P<c1>{_CUR})?\s*(?P<a1>{_AMOUNT})\s*(?P<c2>{_CUR})?"
    rf"(?:{_SEP}(?P<c3>{_CUR})?\s*(?P<a2>{_AMOUNT})\s*(?P<c4>{_CUR})?)?",
    re.IGNORECASE,
)
#: Salary words (no currency symbols): free text needs one of these before the amount.
_SALARY_WORD_RE = re.compile(
    r"salary|salaries|\bpay\b|paid|compensation|remuneration|wage|gehalt|vergütung|entgelt|"
    r"\blohn|bezahlung|salaire|rémunération|rémunéré|sueldo|salario|retribuzione|stipendio|"
    r"wynagrodzeni|pensj|zarobki|salaris|\bplat\b|mzda|fizetés|lön|løn|lønn|palkka",
    re.IGNORECASE,
)
#: Money that is not pay: budgets, bonuses, funding, turnover.
_NOT_SALARY_RE = re.compile(
    r"budget|bonus|prämie|zuschuss|zulage|funding|funded|raised|grant|förder|umsatz|revenue|"
    r"turnover|invest|million|mio\.?|mln|milliard|billion|allowance|stipend|subvention|"
    r"dotacj|dofinansow|premia|prime\b",
    re.IGNORECASE,
)
_UP_TO_RE = re.compile(r"(?:up to|bis zu|jusqu'à|hasta|fino a|do)\s*$", re.IGNORECASE)
_FROM_RE = re.compile(r"(?:from|ab|à partir de|desde|da|od|from just)\s*$", re.IGNORECASE)


@dataclass(slots=True)
class Salary:
    """A normalised salary; ``warnings`` explains anything left out."""

    min: float | None = None
    max: float | None = None
    currency: str | None = None
    period: str | None = None
    annual: float | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.min is None and self.max is None


def parse_number(text: str) -> float | None:
    """``"45,000"``, ``"45.000"``, ``"3 500"``, ``"1.234,56"``, ``"45k"`` -> float."""
    raw = text.strip().lower()
    mult = 1.0
    for suffix, m in (("tsd.", 1e3), ("tsd", 1e3), ("tys.", 1e3), ("tys", 1e3), ("k", 1e3)):
        if raw.endswith(suffix):
            raw, mult = raw[: -len(suffix)].strip(), m
            break
    raw = re.sub(r"[ \u00a0\u202f\u2009']", "", raw)
    if not raw or not re.fullmatch(r"[\d.,]+", raw):
        return None
    if "," in raw and "." in raw:
        dec = "," if raw.rfind(",") > raw.rfind(".") else "."
        thou = "." if dec == "," else ","
        raw = raw.replace(thou, "").replace(dec, ".")
    elif "," in raw or "." in raw:
        sep = "," if "," in raw else "."
        parts = raw.split(sep)
        if len(parts) > 2 or (len(parts[-1]) == 3 and parts[0] != "0"):
            raw = raw.replace(sep, "")  # thousands separators
        else:
            raw = raw.replace(sep, ".")
    try:
        value = float(raw) * mult
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _to_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        m = re.search(_AMOUNT, value, re.IGNORECASE)
        return parse_number(m.group(0)) if m else None
    return None


def currency_code(value: Any) -> str | None:
    """ISO 4217 code from a code or a symbol (``"€"``, ``"zł"``, ``"eur"``)."""
    if not isinstance(value, str):
        return None
    v = value.strip()
    if v.lower() in _CURRENCY_MAP:
        return _CURRENCY_MAP[v.lower()]
    if re.fullmatch(r"[A-Za-z]{3}", v):
        return v.upper()
    return None


#: Symbols several currencies share: resolved by the advert's country, else the default.
_AMBIGUOUS: dict[str, dict[str, str]] = {
    "$": {"US": "USD", "CA": "CAD", "AU": "AUD", "NZ": "NZD", "SG": "SGD", "HK": "HKD",
          "MX": "MXN", "AR": "ARS", "CL": "CLP", "CO": "COP"},
    "kr": {"SE": "SEK", "NO": "NOK", "DK": "DKK", "IS": "ISK", "FO": "DKK", "GL": "DKK"},
    "kr.": {"SE": "SEK", "NO": "NOK", "DK": "DKK", "IS": "ISK"},
}  # fmt: skip


def resolve_currency(token: str, country: str | None) -> str | None:
    """ISO code of a currency token; ``$``/``kr`` by the advert's country when it is known."""
    options = _AMBIGUOUS.get(token.strip().lower())
    if options and country and country.upper() in options:
        return options[country.upper()]
    return currency_code(token)


def period_code(value: Any) -> str | None:
    """``"YEAR"``, ``"per month"``, ``"Monat"`` -> year | month | week | day | hour."""
    if not isinstance(value, str) or not value.strip():
        return None
    key = re.sub(r"[\s-]+", "_", value.strip().upper())
    if key in _PERIOD_WORDS:
        return _PERIOD_WORDS[key]
    text = value.strip().lower()
    for pattern, period in _TEXT_PERIODS:
        if pattern.search(text) or pattern.search("/" + text):
            return period
    return None


def _eur(amount: float, currency: str | None) -> float | None:
    rate = _EUR_RATE.get(currency or "")
    return amount * rate if rate is not None else None


def normalise_salary(
    low: float | None,
    high: float | None,
    currency: str | None,
    period: str | None,
    *,
    infer_period: bool = True,
) -> Salary:
    """Order, annualise and check a salary; absurd values are dropped with a warning."""
    sal = Salary(currency=currency)
    low = float(low) if low is not None and low > 0 else None
    high = float(high) if high is not None and high > 0 else None
    values = [v for v in (low, high) if v is not None]
    if not values:
        sal.warnings.append("salary: not a positive amount")
        return Salary(warnings=sal.warnings)
    lo, hi = min(values), max(values)
    if low is not None and high is not None:
        low, high = lo, hi
    if period is None and infer_period:
        # an unqualified figure large enough to be a year's pay is taken as annual
        eur = _eur(hi, currency)
        if eur is not None and eur >= 12_000:
            period = "year"
    annual = None
    if period is not None:
        annual = (lo + hi) / 2 * ANNUAL_FACTORS[period]
        eur_annual = _eur(annual, currency)
        if eur_annual is not None and not ABSURD_LOW_EUR <= eur_annual <= ABSURD_HIGH_EUR:
            sal.warnings.append(
                f"salary: implausible amount {lo:g}-{hi:g} {currency or '?'} per {period} left out"
            )
            return Salary(warnings=sal.warnings)
    sal.min, sal.max, sal.period = low, high, period
    sal.annual = round(annual, 2) if annual is not None else None
    if period is None:
        sal.warnings.append("salary: period unknown, not annualised")
    return sal


def salary_from_structured(value: Any, *, default_currency: str | None = None) -> Salary | None:
    """A schema.org ``MonetaryAmount`` (or a bare number/string, as sites publish it)."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, list):
        value = next((v for v in value if v not in (None, "", {})), None)
        if value is None:
            return None
    if isinstance(value, str):
        parsed = parse_salary_text(value, default_currency=default_currency, require_context=False)
        if parsed is None:
            return Salary(warnings=[f"salary: unreadable {value[:60]!r}"])
        return parsed
    if isinstance(value, int | float) and not isinstance(value, bool):
        return normalise_salary(float(value), float(value), default_currency, None)
    if not isinstance(value, dict):
        return Salary(warnings=["salary: unexpected type"])
    currency = (
        currency_code(value.get("currency") or value.get("salaryCurrency")) or default_currency
    )
    inner = value.get("value", value)
    period = period_code(value.get("unitText"))
    low = high = None
    if isinstance(inner, dict):
        period = period_code(inner.get("unitText")) or period
        low = _to_number(inner.get("minValue"))
        high = _to_number(inner.get("maxValue"))
        single = _to_number(inner.get("value"))
        if low is None and high is None and single is not None:
            low = high = single
        if isinstance(inner.get("value"), str) and low is None and high is None:
            parsed = parse_salary_text(
                inner["value"], default_currency=currency, require_context=False
            )
            if parsed is not None:
                return parsed
    elif isinstance(inner, list):
        nums = [n for n in (_to_number(v) for v in inner) if n is not None]
        if nums:
            low, high = min(nums), max(nums)
    elif isinstance(inner, str):
        parsed = parse_salary_text(inner, default_currency=currency, require_context=False)
        if parsed is not None:
            if parsed.period is None and period is not None:
                return normalise_salary(parsed.min, parsed.max, parsed.currency, period)
            return parsed
    else:
        low = high = _to_number(inner)
    if low is None and high is None:
        low, high = _to_number(value.get("minValue")), _to_number(value.get("maxValue"))
    if low is None and high is None:
        return Salary(warnings=["salary: no amount"])
    return normalise_salary(low, high if high is not None else low, currency, period)


def parse_salary_text(
    text: str,
    *,
    default_currency: str | None = None,
    require_context: bool = True,
    country_hint: str | None = None,
) -> Salary | None:
    """The first salary mentioned in ``text``: ``"€45,000 – €55,000 a year"``,
    ``"45.000-55.000 EUR brutto/Jahr"``, ``"£30k"``, ``"3 500 zł/mies."``.

    With ``require_context`` (free description text) a match counts only with a currency and
    either a salary word before it or an explicit period after it. ``country_hint`` (ISO
    3166 alpha-2) resolves shared symbols: ``$`` in Canada is CAD, ``kr`` in Norway NOK.
    """
    if not text:
        return None
    for m in _SALARY_RE.finditer(text):
        cur_tok = next((m.group(g) for g in ("c1", "c2", "c3", "c4") if m.group(g)), None)
        currency = resolve_currency(cur_tok, country_hint) if cur_tok else default_currency
        a1 = parse_number(m.group("a1"))
        a2 = parse_number(m.group("a2")) if m.group("a2") else None
        if a1 is None:
            continue
        # "45-55k": the multiplier written once applies to both
        if a2 is not None and m.group("a2").strip().lower().endswith("k") and a1 < 1000 <= a2:
            a1 *= 1000
        tail = text[m.end() : m.end() + 40]
        period = None
        for pattern, code in _TEXT_PERIODS:
            pm = pattern.search(tail)
            if pm and pm.start() <= 12:
                period = code
                break
        if period is None:
            # "Mensuel de 2 300 à 2 600 euros", "Jahresgehalt: 60.000 EUR": the period word
            # leads the amount (a word, never a "/" that belongs to something else)
            lead = text[max(0, m.start() - 30) : m.start()]
            for pattern, code in _TEXT_PERIODS:
                pm = pattern.search(lead)
                if pm and not pm.group(0).lstrip().startswith("/"):
                    period = code
                    break
        before = text[max(0, m.start() - 80) : m.start()]
        if require_context:
            # free text: a currency, a salary word shortly before or an explicit period after,
            # and no budget/bonus/funding word around it
            near = before[-60:]
            if not cur_tok or (period is None and not _SALARY_WORD_RE.search(near)):
                continue
            if _NOT_SALARY_RE.search(near[-40:] + m.group(0) + tail[:40]):
                continue
        if a1 < 10 and a2 is None and not m.group("a1").lower().rstrip().endswith("k"):
            continue  # "1 position", "5 days": not money
        low: float | None = a1
        high: float | None = a2 if a2 is not None else a1
        if a2 is None:
            if _UP_TO_RE.search(before[-20:]):
                low = None
            elif _FROM_RE.search(before[-20:]):
                high = None
        return normalise_salary(low, high, currency, period)
    return None
