"""Holder accuracy on the annotated article-stance pairs: author vs source, and the source's name.

Each annotated sentence is attributed on its own (the annotators saw it alone), with the annotated
actor mentions as the mentions, so the figures measure attribution, not actor finding. Only
non-neutral pairs carry a holder label. The trivial baseline says "author" for every pair.
"""

from __future__ import annotations

import re
from collections import defaultdict

_DROP = frozenset(["the", "a", "an", "of", "'s"])


def _tokens(s: str) -> set[str]:
    words = re.findall(r"[\w]+", s.lower().replace("\u2019", "'"))
    return {w for w in words if w not in _DROP and w != "s"}


def source_matches(predicted: str, gold: str) -> bool:
    """Gold source words ("Sybiha", "officials", "he") agree with the predicted holder (name or words)."""
    if gold.strip() == "?":
        return True
    g, p = _tokens(gold), _tokens(predicted)
    if not g or not p:
        return False
    return g <= p or p <= g or max(g, key=len) in p


_PRONOUNS = frozenset(["he", "she", "they", "him", "her", "them"])


def name_matches(holder: str, words: str, gold: str) -> bool:
    """The predicted source is the annotated one, by its name or words; or it is a pronoun the finder resolved
    to a name and the annotator wrote that same pronoun (gold "she", holder "Omar" from the word "she")."""
    if source_matches(holder, gold):
        return True
    return words.strip().lower() in _PRONOUNS and words.strip().lower() == gold.strip().lower()


def predict_holders(pairs: list[dict], finder=None) -> list[tuple[str, str]]:
    """(holder, holder_kind) for each pair, attributing each sentence once."""
    return [h for h, _ in predict_holders_with_words(pairs, finder)]


def predict_holders_with_words(pairs: list[dict], finder=None) -> list[tuple[tuple[str, str], str]]:
    """((holder, holder_kind), the source's own words in the sentence or "") for each pair.

    The words let a resolved source ("she" -> Omar) be compared with annotators, who write the sentence's
    words ("she"), without crediting a wrong speaker: the words are those of the predicted source mention."""
    from stancekit.text.attribution import AttributionFinder, MentionRef
    from stancekit.text.segmentation import Span

    finder = finder or AttributionFinder()
    by_sentence: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        by_sentence[p["sid"]].append(i)
    out: list = [None] * len(pairs)
    for idx in by_sentence.values():
        text = pairs[idx[0]]["text"]
        refs = [MentionRef(pairs[i]["start"], pairs[i]["end"], pairs[i]["mention"], "unknown") for i in idx]
        attrs = finder.find(text, [Span(0, len(text), text)], [refs])[0]
        for i, a in zip(idx, finder.holding(attrs, refs), strict=True):
            if a is None:
                out[i] = (("author", "author"), "")
            else:
                out[i] = ((a.source, "source"), text[a.source_start : a.source_end] if a.source_start >= 0 else "")
    return out


def evaluate_holders(pairs: list[dict], finder=None) -> dict:
    """Holder-kind accuracy, source-name accuracy (on gold-source pairs), with the always-author baseline."""
    actors = [p for p in pairs if p.get("actor")]  # every actor mention is visible to attribution (speakers too)
    predicted = predict_holders_with_words(actors, finder)
    keep = [i for i, p in enumerate(actors) if p.get("stance") in ("negative", "positive") and p.get("holder")]
    gold = [actors[i] for i in keep]
    pred = [predicted[i] for i in keep]
    kind_ok = sum(h[1] == g["holder"] for (h, _), g in zip(pred, gold, strict=True))
    sources = [(h, g) for h, g in zip(pred, gold, strict=True) if g["holder"] == "source"]
    name_ok = sum(h[1] == "source" and name_matches(h[0], words, g.get("source") or "") for (h, words), g in sources)
    n_author = sum(g["holder"] == "author" for g in gold)
    return {
        "pairs": len(gold),
        "sentences": len({g["sid"] for g in gold}),
        "source_pairs": len(sources),
        "holder_kind_accuracy": kind_ok / len(gold) if gold else 0.0,
        "source_name_accuracy": name_ok / len(sources) if sources else 0.0,
        "baseline_always_author": {
            "holder_kind_accuracy": n_author / len(gold) if gold else 0.0,
            "source_name_accuracy": 0.0,
        },
    }
