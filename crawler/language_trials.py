"""langdetect's detection, faster, with exactly langdetect's answer.

langdetect guesses a language by seven random walks over the text's n-grams, each multiplying a
vector of 55 language probabilities, element by element in a Python loop, by every n-gram's
profile. :func:`probabilities` runs the same walks (the same random draws from the detector's
seeded generator, the same floating-point operations in the same order: sums are sequential as
Python's ``sum`` is) on numpy arrays. :func:`text_ngrams` gives the n-grams langdetect's
``append``, ``cleaning_text`` and ``_extract_ngrams`` give, in the same order, from whole-string
operations and the n-grams of each distinct word (kept, words recur). So
:func:`detect_probabilities` returns exactly what ``Detector.append(text)`` then
``Detector.get_probabilities()`` return, in a fraction of the time. Tests compare both on many
texts; they are what catches a change of langdetect's internals.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

__all__ = ["detect_probabilities", "probabilities", "text_ngrams"]

#: langdetect's ``cleaning_text``: "Latin" is ``'A' <= ch <= 'z'``; "non-Latin" is U+0300 and
#: above outside the Latin Extended Additional block.
_LATIN_RE = re.compile("[A-z]")
_NON_LATIN_RE = re.compile("[\u0300-\u1dff\u1f00-\U0010ffff]")
_SPACES_RE = re.compile(" {2,}")
#: Distinct words whose n-grams are kept (cleared when full).
_WORD_CACHE_SIZE = 50_000


class _Normalised(dict[int, str]):
    """``str.translate`` table of ``NGram.normalize``, filled as characters are met."""

    def __missing__(self, code: int) -> str:
        ch: str = NGram.normalize(chr(code))
        self[code] = ch
        return ch


_NORMALISE = _Normalised()
#: Profile rows as arrays, kept across texts (the common n-grams recur); cleared when full.
_ROW_CACHE_SIZE = 20_000
_rows: dict[str, Any] = {}
_rows_profiles: list[Any] = [None]
_word_grams: dict[tuple[str, bool], list[str]] = {}
_word_grams_profiles: list[Any] = [None]


def _grams_of_word(word: str, spaced: bool, profiles: Any) -> list[str]:
    """The n-grams ``_extract_ngrams`` takes from ``word`` (normalised, no spaces) after a
    space, and from the space after it when ``spaced``: ``NGram``'s buffer, unrolled."""
    pad = f" {word} " if spaced else f" {word}"
    out: list[str] = []
    for j in range(1, len(pad)):
        ch = pad[j]
        if ch.isupper() and pad[j - 1].isupper():
            continue  # NGram.capitalword
        window = pad[max(0, j - 2) : j + 1]
        for n in (1, 2, 3):
            if len(window) < n:
                break
            gram = window[-n:]
            if gram != " " and gram in profiles:
                out.append(gram)
    return out


def text_ngrams(text: str, profiles: Any, max_text_length: int = 10000) -> list[str]:
    """What ``Detector._extract_ngrams()`` returns after ``append(text)`` and
    ``cleaning_text()`` on a new detector (``profiles``: its ``word_lang_prob_map``)."""
    if _word_grams_profiles[0] is not profiles:
        _word_grams.clear()
        _word_grams_profiles[0] = profiles
    text = NGram.normalize_vi(_mail_free(text))[:max_text_length]
    text = _SPACES_RE.sub(" ", text)
    if len(_LATIN_RE.findall(text)) * 2 < len(_NON_LATIN_RE.findall(text)):
        text = _LATIN_RE.sub("", text)
    words = text.translate(_NORMALISE).split(" ")
    spaced_last = words[-1] == ""
    result: list[str] = []
    last = len(words) - 1
    for i, word in enumerate(words):
        if not word:
            continue
        spaced = i < last or spaced_last
        key = (word, spaced)
        grams = _word_grams.get(key)
        if grams is None:
            if len(_word_grams) >= _WORD_CACHE_SIZE:
                _word_grams.clear()
            grams = _word_grams[key] = _grams_of_word(word, spaced, profiles)
        result.extend(grams)
    return result


def _mail_free(text: str) -> str:
    from langdetect.detector import Detector

    cleaned: str = Detector.MAIL_RE.sub(" ", Detector.URL_RE.sub(" ", text))
    return cleaned


def detect_probabilities(detector: Any, text: str) -> list[Any]:
    """``detector.append(text)`` then ``detector.get_probabilities()``, for a new detector."""
    if detector.prior_map is not None or detector.langprob is not None or detector.text:
        detector.append(text)
        return list(detector.get_probabilities())
    ngrams = text_ngrams(text, detector.word_lang_prob_map, detector.max_text_length)
    return _trials(detector, ngrams)


def probabilities(detector: Any) -> list[Any]:
    """``detector.get_probabilities()`` for a detector whose text is appended (and which has
    no prior map: then langdetect's own method runs)."""
    if detector.prior_map is not None or detector.langprob is not None:
        return list(detector.get_probabilities())
    detector.cleaning_text()
    return _trials(detector, detector._extract_ngrams())


def _trials(detector: Any, ngrams: list[str]) -> list[Any]:
    if not ngrams:
        raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
    profiles = detector.word_lang_prob_map
    if _rows_profiles[0] is not profiles or len(_rows) >= _ROW_CACHE_SIZE:
        _rows.clear()
        _rows_profiles[0] = profiles
    rows = _rows
    size = len(detector.langlist)
    trials = detector.n_trial
    limit, converged = detector.ITERATION_LIMIT, detector.CONV_THRESHOLD
    langprob = np.zeros(size)
    draw = detector.random
    draw.seed(detector.seed)
    # a walk normalises and checks after draws 0, 5, 10, ...: the draws between two checks
    # are multiplied in as one block, row after row in order (a reduction along the first
    # axis multiplies sequentially, so every product is langdetect's own)
    block = np.empty((6, size))
    for _ in range(trials):
        prob = np.full(size, 1.0 / size)
        alpha = detector.alpha + draw.gauss(0.0, 1.0) * detector.ALPHA_WIDTH
        weight = alpha / detector.BASE_FREQ
        i = 0
        while True:
            block[0] = prob
            n = 0
            while True:
                word = draw.choice(ngrams)
                row = rows.get(word)
                if row is None:
                    row = rows[word] = np.array(profiles[word], dtype=np.float64)
                n += 1
                block[n] = row
                if i % 5 == 0:
                    break
                i += 1
            block[1 : n + 1] += weight
            prob = np.multiply.reduce(block[: n + 1], axis=0)
            prob /= np.cumsum(prob)[-1]
            if prob.max() > converged or i >= limit:
                break
            i += 1
        langprob += prob / trials
    detector.langprob = langprob.tolist()
    return list(detector.get_probabilities())
