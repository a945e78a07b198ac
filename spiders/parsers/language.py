"""Language of a text as an ISO 639-1 code (langdetect, deterministic, thread-safe).

``detect_language`` reads at most ``MAX_CHARS`` characters (langdetect's cost grows with the
text), trusts the text over the page's ``lang`` attribute (often wrong: templates say
``en`` on pages written in German), and falls back to that hint only for texts too short to
judge.
"""

from __future__ import annotations

import logging
import re
import threading

import pycountry
from langdetect import DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

logger = logging.getLogger(__name__)

__all__ = ["MAX_CHARS", "MIN_LETTERS", "detect_language", "normalise_language_code"]

#: Characters of input langdetect reads; more costs time and changes nothing in practice.
MAX_CHARS = 2000
#: Below this many letters the text alone is not trusted: the hint wins when there is one.
MIN_LETTERS = 40
#: Without a hint, texts with at least this many letters are still tried, but only a
#: confident answer (``SHORT_TEXT_MIN_PROB``) is returned.
MIN_LETTERS_NO_HINT = 15
SHORT_TEXT_MIN_PROB = 0.95

# Deterministic results: langdetect samples n-grams at random; every Detector seeds its own
# ``random.Random`` from this class attribute (so no global random state is touched).
DetectorFactory.seed = 0

_factory: DetectorFactory | None = None
_factory_lock = threading.Lock()

#: Deprecated or langdetect-specific codes -> ISO 639-1.
_CODE_ALIASES = {
    "iw": "he",
    "in": "id",
    "ji": "yi",
    "jw": "jv",
    "mo": "ro",
    "sh": "sr",
    "nb": "no",
    "nn": "no",
}
_TAG_SPLIT_RE = re.compile(r"[-_\s.;,]")
_URL_EMAIL_RE = re.compile(r"https?://\S+|www\.\S+|\S+@\S+\.\w+")


def _get_factory() -> DetectorFactory:
    """The profiles, loaded once (about 0.2 s) under a lock so threads share one factory."""
    global _factory
    if _factory is None:
        with _factory_lock:
            if _factory is None:
                from langdetect.detector_factory import PROFILES_DIRECTORY

                factory = DetectorFactory()
                factory.load_profile(PROFILES_DIRECTORY)
                factory.set_seed(0)
                _factory = factory
    return _factory


def normalise_language_code(code: str | None) -> str | None:
    """``"en-GB"``, ``"EN_us"``, ``"deu"``, ``"zh-cn"`` -> ``"en"``, ``"en"``, ``"de"``, ``"zh"``.

    None for anything that is not a known ISO 639 language (``"x-default"``, ``""``).
    """
    if not code or not isinstance(code, str):
        return None
    primary = _TAG_SPLIT_RE.split(code.strip().lower(), maxsplit=1)[0]
    if not primary.isascii() or not primary.isalpha():
        return None
    primary = _CODE_ALIASES.get(primary, primary)
    if len(primary) == 2:
        return primary if pycountry.languages.get(alpha_2=primary) is not None else None
    if len(primary) == 3:
        lang = pycountry.languages.get(alpha_3=primary)
        if lang is None:  # bibliographic codes: "ger", "fre", "dut"
            lang = pycountry.languages.get(bibliographic=primary)
        alpha_2 = getattr(lang, "alpha_2", None) if lang is not None else None
        return _CODE_ALIASES.get(alpha_2, alpha_2) if alpha_2 else None
    return None


def _sample(text: str) -> str:
    """The first ``MAX_CHARS`` characters, cut at a space, without URLs and e-mail addresses."""
    if len(text) > MAX_CHARS + 200:
        cut = text[: MAX_CHARS + 200]
        cut = _URL_EMAIL_RE.sub(" ", cut)
        text = cut[:MAX_CHARS]
        space = text.rfind(" ")
        if space > MAX_CHARS // 2:
            text = text[:space]
        return text
    return _URL_EMAIL_RE.sub(" ", text)


def _count_letters(text: str, stop: int) -> int:
    count = 0
    for ch in text:
        if ch.isalpha():
            count += 1
            if count >= stop:
                break
    return count


def detect_language(text: str, hint: str | None = None) -> str | None:
    """ISO 639-1 code of ``text`` (``"de"``, ``"zh"``), or None when it cannot be told.

    ``hint`` (an HTML ``lang`` attribute such as ``"en-GB"``) is used only when the text has
    fewer than ``MIN_LETTERS`` letters. Without a hint, short texts (``MIN_LETTERS_NO_HINT``
    letters or more) are answered only when langdetect is confident. Never raises.
    """
    if not text or not isinstance(text, str):
        return None
    sample = _sample(text)
    letters = _count_letters(sample, MIN_LETTERS)
    if letters == 0:
        return None
    short = letters < MIN_LETTERS
    if short:
        hinted = normalise_language_code(hint)
        if hinted is not None:
            return hinted
        if letters < MIN_LETTERS_NO_HINT:
            return None
    try:
        detector = _get_factory().create()
        detector.append(sample)
        candidates = detector.get_probabilities()
    except LangDetectException:
        return None
    except Exception:  # langdetect is not hardened against odd input
        logger.debug("langdetect failed on %r", sample[:80], exc_info=True)
        return None
    if not candidates:
        return None
    best = candidates[0]
    if short and best.prob < SHORT_TEXT_MIN_PROB:
        return None
    return normalise_language_code(str(best.lang))
