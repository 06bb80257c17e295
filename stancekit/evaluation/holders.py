"""Holder accuracy on the annotated article-stance pairs: author vs source, and the source's name.

Each annotated sentence is attributed on its own (the annotators saw it alone). The annotated actor
mentions are the scored mentions, so the figures measure attribution, not actor finding; their names and
kinds, and the pronoun mentions coreference adds, come from the analyzer's own actor finding
(:class:`PipelineMentions`), so attribution sees what ``Analyzer.analyze()`` hands it. Only non-neutral
pairs carry a holder label. The trivial baseline says "author" for every pair.
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
    """The predicted source is the annotated one, by its name or by its own words in the sentence.

    Annotators write the sentence's words ("Democrats", "the White House", "she"); the holder is the source
    actor's canonical name ("Democratic Party", "Omar"). The words are those of the predicted source mention,
    so a resolved pronoun matches only the same pronoun, never another speaker's."""
    if source_matches(holder, gold):
        return True
    w = words.strip().lower()
    if w in _PRONOUNS:
        return w == gold.strip().lower()
    return bool(w) and source_matches(words, gold)


def predict_holders(pairs: list[dict], finder=None, actors=None) -> list[tuple[str, str]]:
    """(holder, holder_kind) for each pair, attributing each sentence once."""
    return [h for h, _ in predict_holders_with_words(pairs, finder, actors)]


class PipelineMentions:
    """The analyzer's own actor finding (NER, alias table, coreference) run on each annotated sentence, so the
    attribution step sees what ``Analyzer.analyze()`` hands it: every mention's canonical name and kind (a
    pronoun speaker resolves only to a person) and the pronoun and description mentions coreference adds."""

    def __init__(self, segmenter=None, actor_finder=None) -> None:
        self._segmenter = segmenter
        self._actor_finder = actor_finder

    def refs(self, texts: list[str], spans: list[list[tuple[int, int, str]]]) -> list[list]:
        """Per text, a reference for each annotated span (in order), then the found mentions no span overlaps.

        An annotated span takes the name and kind of the found mention it overlaps; one the finder missed
        keeps its own words and kind ``"unknown"`` (what the attribution step does with an unknown kind)."""
        from stancekit.text.actors import ActorFinder
        from stancekit.text.attribution import MentionRef
        from stancekit.text.segmentation import Segmenter, Span

        if self._segmenter is None:
            self._segmenter = Segmenter()
        if self._actor_finder is None:
            self._actor_finder = ActorFinder()
        out = []
        for text, seg, gold in zip(texts, self._segmenter.segment_many(texts), spans, strict=True):
            # the annotators saw one sentence: it stays one sentence for actor finding as for attribution
            found, mentions = self._actor_finder.find(text, seg.entities, sentences=[Span(0, len(text), text)])
            refs = []
            for start, end, words in gold:
                hit = next((m for m in mentions if m.start < end and start < m.end), None)
                name, kind = (found[hit.actor].name, found[hit.actor].kind) if hit else (words, "unknown")
                refs.append(MentionRef(start, end, name, kind))
            extra = [
                MentionRef(m.start, m.end, found[m.actor].name, found[m.actor].kind)
                for m in mentions
                if not any(m.start < e and s < m.end for s, e, _ in gold)
            ]
            out.append(refs + extra)
        return out


def attribute_sentences(pairs: list[dict], finder=None, actors=None):
    """Per annotated sentence: (its pairs' indices, text, mention references, attributions found).

    ``actors`` gives the mentions attribution sees: a :class:`PipelineMentions` (the default, as the analyzer
    does) or ``False`` for the annotated spans alone, named by their words, kind unknown. The first references
    are the pairs' own, in order."""
    from stancekit.text.attribution import AttributionFinder, MentionRef
    from stancekit.text.segmentation import Span

    finder = finder or AttributionFinder()
    if actors is None:
        actors = PipelineMentions()
    by_sentence: dict[str, list[int]] = defaultdict(list)
    for i, p in enumerate(pairs):
        by_sentence[p["sid"]].append(i)
    groups = list(by_sentence.values())
    texts = [pairs[idx[0]]["text"] for idx in groups]
    spans = [[(pairs[i]["start"], pairs[i]["end"], pairs[i]["mention"]) for i in idx] for idx in groups]
    if actors:
        all_refs = actors.refs(texts, spans)
    else:
        all_refs = [[MentionRef(s, e, w, "unknown") for s, e, w in sp] for sp in spans]
    for idx, text, refs in zip(groups, texts, all_refs, strict=True):
        yield idx, text, refs, finder.find(text, [Span(0, len(text), text)], [refs])[0]


def predict_holders_with_words(pairs: list[dict], finder=None, actors=None) -> list[tuple[tuple[str, str], str]]:
    """((holder, holder_kind), the source's own words in the sentence or "") for each pair (``actors``: see
    :func:`attribute_sentences`).

    The words let a resolved source ("she" -> Omar) be compared with annotators, who write the sentence's
    words ("she"), without crediting a wrong speaker: the words are those of the predicted source mention."""
    from stancekit.text.attribution import AttributionFinder

    finder = finder or AttributionFinder()
    out: list = [None] * len(pairs)
    for idx, text, refs, attrs in attribute_sentences(pairs, finder, actors):
        for i, a in zip(idx, finder.holding(attrs, refs[: len(idx)]), strict=True):
            if a is None:
                out[i] = (("author", "author"), "")
            else:
                out[i] = ((a.source, "source"), text[a.source_start : a.source_end] if a.source_start >= 0 else "")
    return out


def predict_holders_with_probe(pairs: list[dict], analyzer, finder=None, actors=None) -> list:
    """:func:`predict_holders_with_words` with the analyzer's holder probe weighing in on every pair (the
    evaluation's pairs are the annotated polar ones, so each counts as a polar row)."""
    from stancekit.modeling.holder_probe import HolderProbe, decisions, holder_of, probe_inputs

    probe = HolderProbe.from_config(analyzer.config.holder_probe)
    x, r, holding, sentences = probe_inputs(analyzer, pairs, actors, finder)
    said = decisions(probe, x, r, holding, sentences)
    return [holder_of(d, text) for d, (text, _, _) in zip(said, sentences, strict=True)]


def evaluate_holders(pairs: list[dict], finder=None, actors=None, analyzer=None) -> dict:
    """Holder-kind accuracy, source-name accuracy (on gold-source pairs), with the always-author baseline.

    With an ``analyzer`` whose model has a holder probe, the probe weighs in (see
    :mod:`stancekit.modeling.holder_probe`); otherwise the attribution rules alone decide."""
    items = [p for p in pairs if p.get("actor")]  # every actor mention is visible to attribution (speakers too)
    if analyzer is not None and analyzer.config.holder_probe:
        predicted = predict_holders_with_probe(items, analyzer, finder, actors)
    else:
        predicted = predict_holders_with_words(items, finder, actors)
    keep = [i for i, p in enumerate(items) if p.get("stance") in ("negative", "positive") and p.get("holder")]
    gold = [items[i] for i in keep]
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
