"""Task rows -> model examples: a sentence, the spans to mark, and labels per span.

Single-pass models see every actor of a sentence marked at once, so training and
evaluation mark, besides the labelled targets, every mention the actor finder detects
(with no label: the loss ignores them). Per-pair models get one labelled target per input.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from stancekit.labels import EDITORIAL_LABELS, STANCE_LABELS
from stancekit.modeling.inputs import IGNORE


@dataclass
class Example:
    text: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    stance: list[int] = field(default_factory=list)  # label id per span, IGNORE when unlabelled
    editorial: int = IGNORE
    source: str = ""


def detect_mentions(texts: Sequence[str], segmenter, finder) -> list[list[tuple[int, int]]]:
    """Actor mention spans the inference pipeline would mark in each text."""
    out = []
    for text, seg in zip(texts, segmenter.segment_many(texts), strict=True):
        _, mentions = finder.find(text, seg.entities)
        out.append([(m.start, m.end) for m in mentions])
    return out


def _add_unlabelled(spans: list[tuple[int, int]], labels: list[int], extra: Sequence[tuple[int, int]]):
    for s, e in extra:
        if not any(s < b and a < e for a, b in spans):
            spans.append((s, e))
            labels.append(IGNORE)


def stance_examples(rows: Sequence[dict], marking: str, mentions: dict[str, list] | None = None) -> list[Example]:
    """Group stance rows by sentence; ``mentions`` maps text -> detected spans (marking 'all')."""
    label_id = {lab: i for i, lab in enumerate(STANCE_LABELS)}
    if marking == "target":
        return [Example(r["text"], [(r["start"], r["end"])], [label_id[r["label"]]], IGNORE, r["source"]) for r in rows]
    groups: dict[tuple[str, str], Example] = {}
    for r in rows:
        key = (r.get("group", ""), r["text"])
        ex = groups.get(key)
        if ex is None:
            ex = groups[key] = Example(r["text"], source=r["source"])
        span = (r["start"], r["end"])
        if any(span[0] < b and a < span[1] for a, b in ex.spans):
            # overlapping labelled targets cannot share one input: start another
            ex = groups[(key[0] + f"#{len(groups)}", key[1])] = Example(r["text"], source=r["source"])
        ex.spans.append(span)
        ex.stance.append(label_id[r["label"]])
    out = list(groups.values())
    if mentions is not None:
        for ex in out:
            _add_unlabelled(ex.spans, ex.stance, mentions.get(ex.text, ()))
    for ex in out:
        order = sorted(range(len(ex.spans)), key=lambda i: ex.spans[i])
        ex.spans = [ex.spans[i] for i in order]
        ex.stance = [ex.stance[i] for i in order]
    return out


def editorial_examples(rows: Sequence[dict], marking: str, mentions: dict[str, list] | None = None) -> list[Example]:
    label_id = {lab: i for i, lab in enumerate(EDITORIAL_LABELS)}
    out = []
    for r in rows:
        ex = Example(r["text"], editorial=label_id[r["label"]], source=r["source"])
        if marking == "all" and mentions is not None:
            _add_unlabelled(ex.spans, ex.stance, mentions.get(r["text"], ()))
            ex.spans.sort()
        out.append(ex)
    return out


def build_examples(
    rows_by_task: dict[str, Sequence[dict]], marking: str, segmenter=None, finder=None, *, find_mentions=None
) -> list[Example]:
    """Examples for stance and editorial rows; detects mentions when marking is 'all'.

    Mentions come from ``segmenter`` + ``finder``, or from ``find_mentions`` (texts -> spans per text,
    e.g. ``Analyzer.find_mentions``).
    """
    mentions = None
    if marking == "all":
        if find_mentions is None:
            if segmenter is None or finder is None:
                raise ValueError("marking='all' needs a segmenter and an actor finder, or find_mentions")

            def find_mentions(texts):
                return detect_mentions(texts, segmenter, finder)

        texts = sorted({r["text"] for rows in rows_by_task.values() for r in rows})
        mentions = dict(zip(texts, find_mentions(texts), strict=True))
    return stance_examples(rows_by_task.get("stance", []), marking, mentions) + editorial_examples(
        rows_by_task.get("editorial", []), marking, mentions
    )
