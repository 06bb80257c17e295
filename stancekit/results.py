"""Typed results: Document, Sentence, ActorStance, Actor.

Plain dataclasses of strings, numbers, lists and dicts, so ``dataclasses.asdict`` gives JSON
directly, and the flat row views (:meth:`Document.sentence_rows`, :meth:`Document.stance_rows`)
match the Arrow schemas below that ``score()`` writes to Parquet.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from stancekit.labels import STANCE_LABELS


@dataclass(slots=True)
class ActorStance:
    """How one sentence treats one mention of an actor."""

    actor: str
    actor_kind: str
    mention: str
    start: int  # character offsets into the document
    end: int
    label: str  # negative | neutral | positive
    scores: dict[str, float]  # calibrated probabilities per label


@dataclass(slots=True)
class Sentence:
    index: int
    text: str
    start: int
    end: int
    editorial: bool
    editorial_score: float  # calibrated P(editorial)
    stances: list[ActorStance] = field(default_factory=list)


@dataclass(slots=True)
class Actor:
    """An actor resolved across the document, with how the document treats it overall."""

    name: str
    kind: str  # person | country | organization | party | group | place | custom
    mentions: int
    surfaces: list[str]
    counts: dict[str, int]  # mentions per stance label
    mean_score: float  # mean of P(positive) - P(negative) over mentions, in [-1, 1]


@dataclass(slots=True)
class Document:
    text: str
    sentences: list[Sentence]
    actors: list[Actor]
    model: str = ""

    @property
    def editorial_share(self) -> float:
        return sum(s.editorial for s in self.sentences) / len(self.sentences) if self.sentences else 0.0

    def to_dict(self) -> dict:
        data = asdict(self)
        data["editorial_share"] = self.editorial_share
        return data

    def to_json(self, **kwargs) -> str:
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)

    def sentence_rows(self, doc_id: str) -> list[dict]:
        return [
            {
                "doc_id": doc_id,
                "sentence": s.index,
                "start": s.start,
                "end": s.end,
                "text": s.text,
                "editorial": s.editorial,
                "editorial_score": s.editorial_score,
            }
            for s in self.sentences
        ]

    def stance_rows(self, doc_id: str) -> list[dict]:
        return [
            {
                "doc_id": doc_id,
                "sentence": s.index,
                "actor": st.actor,
                "actor_kind": st.actor_kind,
                "mention": st.mention,
                "start": st.start,
                "end": st.end,
                "label": st.label,
                **{f"p_{lab}": st.scores[lab] for lab in STANCE_LABELS},
            }
            for s in self.sentences
            for st in s.stances
        ]


def summarize_actors(names: list[tuple[str, str, list[str]]], stances: list[ActorStance]) -> list[Actor]:
    """Per-actor counts and mean score from the stances of a document (actors in first-seen order)."""
    out = []
    for name, kind, surfaces in names:
        mine = [st for st in stances if st.actor == name]
        counts = {lab: sum(st.label == lab for st in mine) for lab in STANCE_LABELS}
        mean = (sum(st.scores["positive"] - st.scores["negative"] for st in mine) / len(mine)) if mine else 0.0
        out.append(Actor(name, kind, len(mine), list(surfaces), counts, round(mean, 6)))
    return out


def sentence_schema():
    import pyarrow as pa

    return pa.schema(
        [
            ("doc_id", pa.string()),
            ("sentence", pa.int32()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("text", pa.string()),
            ("editorial", pa.bool_()),
            ("editorial_score", pa.float32()),
        ]
    )


def stance_schema():
    import pyarrow as pa

    return pa.schema(
        [
            ("doc_id", pa.string()),
            ("sentence", pa.int32()),
            ("actor", pa.string()),
            ("actor_kind", pa.string()),
            ("mention", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("label", pa.string()),
            *[(f"p_{lab}", pa.float32()) for lab in STANCE_LABELS],
        ]
    )
