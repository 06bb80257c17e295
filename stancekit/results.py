"""Typed results: Document, Sentence, ActorStance, Actor, Attribution, TokenWeight.

The schema is written down in ``docs/schema.md`` (its version is ``SCHEMA_VERSION``).

Plain dataclasses of strings, numbers, lists and dicts, so ``dataclasses.asdict`` gives JSON
directly, and the flat row views (:meth:`Document.sentence_rows`, :meth:`Document.stance_rows`)
match the Arrow schemas in :mod:`stancekit.schemas` that ``score()`` writes to Parquet.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from stancekit.labels import STANCE_LABELS

#: Version of the results schema (``docs/schema.md``); recorded in every scored folder's manifest.
SCHEMA_VERSION = 2
#: What an actor can be. Places, products and events are never actors.
ACTOR_KINDS = ("person", "country", "organization", "party", "group")
HOLDER_KINDS = ("author", "source")


@dataclass(slots=True)
class TokenWeight:
    """One word's contribution to a prediction (from ``explain()``): offsets into the document."""

    token: str
    start: int
    end: int
    weight: float


@dataclass(slots=True)
class Attribution:
    """Who says what: a source, the cue that attributes, and the attributed content (document offsets).

    ``source_start``/``source_end`` are -1 when the source was named in an earlier sentence (a quote
    continued across sentences); ``cue_start``/``cue_end`` are -1 when there is no cue word.
    """

    source: str  # canonical actor name, or the source's own words ("officials")
    source_actor: str | None
    source_start: int
    source_end: int
    cue_start: int
    cue_end: int
    content_start: int
    content_end: int
    kind: str  # direct | reported | according_to | continued


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
    resolved: str = "name"  # name | alias | coreference | user
    holder: str = "author"  # "author", or the source's canonical name / words
    holder_kind: str = "author"  # author | source
    attributions: list[TokenWeight] | None = None  # only from explain()


@dataclass(slots=True)
class Sentence:
    index: int
    text: str
    start: int
    end: int
    editorial: bool
    editorial_score: float  # calibrated P(editorial)
    stances: list[ActorStance] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    editorial_attributions: list[TokenWeight] | None = None  # only from explain()


@dataclass(slots=True)
class Actor:
    """An actor resolved across the document, with how the document treats it overall."""

    name: str
    kind: str  # one of ACTOR_KINDS
    mentions: int
    surfaces: list[str]
    counts: dict[str, int]  # mentions per stance label
    mean_score: float  # mean of P(positive) - P(negative) over mentions, in [-1, 1]
    by_holder: dict[str, dict] = field(default_factory=dict)  # holder kind -> mentions, counts, mean_score


@dataclass(slots=True)
class Document:
    text: str
    sentences: list[Sentence]
    actors: list[Actor]
    model: str = ""
    id: str | None = None
    language: str | None = None
    metadata: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        head = self.text[:60].replace("\n", " ") + ("..." if len(self.text) > 60 else "")
        stances = sum(len(s.stances) for s in self.sentences)
        actors = ", ".join(a.name for a in self.actors[:5]) + (", ..." if len(self.actors) > 5 else "")
        parts = [f"id={self.id!r}"] if self.id is not None else []
        parts += [
            f"text={head!r}",
            f"sentences={len(self.sentences)}",
            f"editorial={sum(s.editorial for s in self.sentences)}",
            f"stances={stances}",
            f"actors=[{actors}]",
        ]
        if self.language is not None:
            parts.append(f"language={self.language!r}")
        if self.metadata:
            parts.append(f"metadata={list(self.metadata)}")
        return f"Document({', '.join(parts)})"

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

    def to_html(self, path=None, *, title: str | None = None) -> str:
        """The article view as one self-contained HTML page (written to ``path`` if given)."""
        from stancekit.reporting import report

        return report(self, path, title=title)

    def _repr_html_(self) -> str:
        from stancekit.reporting.article import article_fragment

        return article_fragment(self)

    def to_displacy(self) -> dict:
        """displaCy "span" data (mentions labelled with their stance) for ``displacy.render(..., manual=True)``."""
        from stancekit.reporting import to_displacy

        return to_displacy(self)

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
                "resolved": st.resolved,
                "holder": st.holder,
                "holder_kind": st.holder_kind,
                "label": st.label,
                **{f"p_{lab}": st.scores[lab] for lab in STANCE_LABELS},
            }
            for s in self.sentences
            for st in s.stances
        ]


def _tally(stances: list[ActorStance]) -> tuple[int, dict[str, int], float]:
    counts = {lab: sum(st.label == lab for st in stances) for lab in STANCE_LABELS}
    mean = sum(st.scores["positive"] - st.scores["negative"] for st in stances) / len(stances) if stances else 0.0
    return len(stances), counts, round(mean, 6)


def summarize_actors(names: list[tuple[str, str, list[str]]], stances: list[ActorStance]) -> list[Actor]:
    """Per-actor counts and mean score from the stances of a document (actors in first-seen order).

    Actors are keyed by (name, kind), so two actors that share a name keep their own counts.
    """
    by_actor: dict[tuple[str, str], list[ActorStance]] = {}
    for st in stances:
        by_actor.setdefault((st.actor, st.actor_kind), []).append(st)
    out = []
    for name, kind, surfaces in names:
        mine = by_actor.get((name, kind), [])
        n, counts, mean = _tally(mine)
        split = {}
        for hk in HOLDER_KINDS:
            hn, hc, hm = _tally([st for st in mine if st.holder_kind == hk])
            split[hk] = {"mentions": hn, "counts": hc, "mean_score": hm}
        out.append(Actor(name, kind, n, list(surfaces), counts, mean, split))
    return out
