"""Text that cannot be encoded is made safe at the API boundary, keeping every offset.

A Python ``str`` can hold lone surrogates (``"\\ud800"``), which no encoding can write:
spaCy, the tokenizer and every file writer fail on them. They are replaced one for one by
U+FFFD (the replacement character), so the cleaned text has the same length and every
character offset still points into the caller's string. Nothing below the boundary (segmenter,
actor finder, tokenizer, writers) ever sees a surrogate.
"""

from __future__ import annotations

import re

from stancekit.errors import InputError

#: The character that stands in for each unencodable one.
REPLACEMENT = "\ufffd"
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> tuple[str, bool]:
    """``(text with each lone surrogate replaced by U+FFFD, whether anything was replaced)``.

    The result has the same length as ``text``, so offsets computed on it are offsets into the
    original. Callers that keep per-record flags (the scoring job) record ``changed``.
    """
    if not isinstance(text, str):
        raise InputError(f"clean_text takes a str, got {type(text).__name__}")
    if text.isascii():
        return text, False
    cleaned, count = _SURROGATE.subn(REPLACEMENT, text)
    return cleaned, count > 0
