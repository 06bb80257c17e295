"""Plain-text listing of the words behind each label, for ``stancekit analyze --explain``."""

from __future__ import annotations

import sys

from stancekit.explain.attribution import top_words


def print_top_words(doc, out=sys.stdout, k: int = 5) -> None:
    """Per sentence: the top words toward its editorial verdict, then toward each stance label."""
    out.write("top words (toward the predicted label):\n")
    for s in doc.sentences:
        verdict = "editorial" if s.editorial else "reporting"
        words = ", ".join(f"{w.token} {w.weight:+.2f}" for w in top_words(s.editorial_attributions, k))
        out.write(f"{s.index:>3}  {verdict}: {words or '-'}\n")
        for st in s.stances:
            words = ", ".join(f"{w.token} {w.weight:+.2f}" for w in top_words(st.attributions, k))
            out.write(f"       {st.actor} [{st.mention}] {st.label}: {words or '-'}\n")
