"""Text features that do not assume English: cleaning, char n-grams, word n-grams.

* ``clean_text`` makes any input safe to vectorise: control characters and binary junk removed,
  Unicode NFC, very long texts cut to ``max_chars`` (the head carries the title and summary).
* Character n-grams inside word boundaries (``char_wb``, 2-5) carry morphology across languages
  and survive the lost accents and "?" substitutions of the export; word uni/bi-grams carry
  phrases a curator can read. Accents are folded (``strip_accents="unicode"``) so "educación"
  and the export's "educacin" share most n-grams.
* Function words of twelve languages (``classifiers.stopwords``, hand-written) are dropped from
  the word n-grams, and -- with ``strip_stop_words=True`` (relevance) -- blanked before the char
  n-grams too, so "the", "für", "de" cannot drive a score or appear in an explanation.
  ``max_df`` drops terms in more than that share of the training texts.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from classifiers.stopwords import stop_word_list, strip_stop_words
from crawler.text import fold_accents

DEFAULT_MAX_CHARS = 20_000
#: relevance reads the head of a text (title, summary, first paragraphs), in training and scoring
RELEVANCE_CHARS = 2000
#: label tasks read at most this much at scoring time (DSI4EU texts are far shorter)
LABEL_CHARS = 2000
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")
_URL_RE = re.compile(r"https?://\S+|www\.\S+")
#: word tokens: letters (any script) and digits, 2+ characters, apostrophes inside words
TOKEN_PATTERN = r"(?u)\b\w[\w'’-]*\w\b"


_BINARY_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffd]")
_LETTER_RE = re.compile(r"[^\W\d_]")


def is_binaryish(text: str) -> bool:
    """True when a text looks like decoded binary rather than language."""
    if not text:
        return False
    sample = text[:4000]
    control = len(_BINARY_RE.findall(sample))
    letters = len(_LETTER_RE.findall(sample))
    return control / len(sample) > 0.05 or (len(sample) >= 40 and letters / len(sample) < 0.25)


def clean_text(text: Any, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Any value -> a text safe to vectorise (see module docstring)."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    text = str(text)
    if is_binaryish(text):
        return ""
    text = unicodedata.normalize("NFC", text[: max_chars * 2])
    text = _CONTROL_RE.sub(" ", text)
    text = _URL_RE.sub(" ", text)
    return str(text[:max_chars])


def clean_texts(texts: Iterable[Any], max_chars: int = DEFAULT_MAX_CHARS) -> list[str]:
    """Vectorised :func:`clean_text` for a sequence (or a one-column 2-D array) of texts."""
    arr = np.asarray(texts, dtype=object)
    if arr.ndim == 2:
        arr = (
            arr[:, 0]
            if arr.shape[1] == 1
            else np.array([" ".join(map(str, r)) for r in arr], dtype=object)
        )
    return [clean_text(t, max_chars) for t in arr.ravel()]


def fold_without_stop_words(text: str) -> str:
    """Preprocessor of the relevance char n-grams: folded, function words and numbers blanked."""
    return strip_stop_words(fold_accents(text))


def text_features(
    *,
    char_ngrams: tuple[int, int] = (2, 5),
    word_ngrams: tuple[int, int] = (1, 2),
    min_df: int = 2,
    max_df: float = 1.0,
    max_features: int | None = 200_000,
    stop_words: bool = True,
    strip_stop_words: bool = False,
) -> Pipeline:
    """Cleaner + union of word and char TF-IDF."""
    char_pre: Any = fold_without_stop_words if strip_stop_words else None
    parts: list[tuple[str, Any]] = [
        (
            "word",
            TfidfVectorizer(
                analyzer="word",
                token_pattern=TOKEN_PATTERN,
                ngram_range=word_ngrams,
                min_df=min_df,
                max_df=max_df,
                stop_words=stop_word_list() if stop_words else None,
                sublinear_tf=True,
                strip_accents="unicode",
                lowercase=True,
                max_features=max_features,
                dtype=np.float32,
            ),
        ),
        (
            "char",
            TfidfVectorizer(
                analyzer="char_wb",
                ngram_range=char_ngrams,
                min_df=min_df,
                max_df=max_df,
                preprocessor=char_pre,
                sublinear_tf=True,
                strip_accents="unicode",
                lowercase=True,
                max_features=max_features,
                dtype=np.float32,
            ),
        ),
    ]
    return Pipeline(
        [
            ("clean", FunctionTransformer(clean_texts, validate=False)),
            ("union", FeatureUnion(parts)),
        ]
    )


def baseline_features() -> Pipeline:
    """The plain baseline: word TF-IDF with sklearn's defaults (what we must beat)."""
    return Pipeline(
        [
            ("clean", FunctionTransformer(clean_texts, validate=False)),
            ("tfidf", TfidfVectorizer()),
        ]
    )
