"""Which language a document is in, offline, because the models are English-only.

py3langid was chosen: it is maintained, ships its model inside the wheel (about 4.5 MB, numpy
arrays, no pickle, no download), reads 97 languages, and takes well under a millisecond for a
2,000-character prefix; lingua-language-detector is more accurate on single short sentences but
its wheel is tens of times larger, and fasttext-based detectors download their model at run time.
News documents are long enough that the faster detector is reliable on them; a guess below
``MIN_CONFIDENCE`` (short or mixed text, names only) counts as "not detected", never as foreign.
"""

from __future__ import annotations

import threading

#: Characters of a document read for detection (the start of an article says its language).
PREFIX_CHARS = 2000
#: Below this probability the language counts as not detected (None).
MIN_CONFIDENCE = 0.5

_lock = threading.Lock()
_identifier = None


def _get():
    global _identifier
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def detect(text: str) -> str | None:
    """The ISO 639-1 code of ``text``'s language (``"en"``), or None when it cannot be told."""
    sample = text[:PREFIX_CHARS]
    if sum(c.isalpha() for c in sample[:200]) < 3:
        return None
    lang, confidence = _get().classify(sample)
    if confidence < MIN_CONFIDENCE or lang in ("zxx", "und"):
        return None
    return lang
