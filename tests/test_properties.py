"""Property-based checks of analyze() and predict_*: any Unicode string in, well-formed results or a typed error out.

Bounded (a fixed number of examples, derandomized) so the suite takes a minute or two in CI;
the model is the session's tiny model, loaded once.
"""

from __future__ import annotations

import warnings

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from stancekit.errors import StancekitError, UnencodableTextWarning
from stancekit.text.sanitize import clean_text

SETTINGS = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

ODD = ["\ud800", "\udfff", "\x00", "\x07", "\n", "\r", "\u2028", "\u200b", "\ufeff", "\u202e", "\U0010ffff", "\ufffd"]
WORDS = [
    "the",
    "minister",
    "said",
    "Critics",
    "attacked",
    "praised",
    "Smith",
    "Jones",
    "Maria Hartwell",
    "Hartwell's",
    "Russia",
    "Moscow",
    "the Kremlin",
    "NATO",
    "Ukraine",
    "on Monday",
    ".",
    ",",
    "!",
    "?",
    '"',
    "\n\n",
    "\u201c",
    "\u2019s",
]
any_char = st.one_of(st.characters(), st.sampled_from(ODD))
texts = st.one_of(
    st.text(any_char, max_size=300),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(any_char, max_size=8)), max_size=80).map(" ".join),
    st.text(st.sampled_from("ab \u00e9"), min_size=700, max_size=3000),  # long sentences, very long words
    st.builds(
        lambda w, n: " ".join([w] * n), st.text(st.sampled_from("xyz"), min_size=1, max_size=2000), st.integers(1, 3)
    ),
)


def _check_document(doc, text: str) -> None:
    cleaned, _ = clean_text(text)
    assert doc.text == cleaned and len(doc.text) == len(text)
    doc.to_json().encode("utf-8")
    last_end = 0
    for s in doc.sentences:
        assert last_end <= s.start < s.end <= len(text)
        assert doc.text[s.start : s.end] == s.text
        last_end = s.end
        assert 0.0 <= s.editorial_score <= 1.0
        assert s.editorial == (s.editorial_score >= 0.5) or abs(s.editorial_score - 0.5) < 1e-5
        for a in s.stances:
            assert s.start <= a.start < a.end <= s.end, "a mention stays inside its sentence"
            assert doc.text[a.start : a.end] == a.mention
            assert abs(sum(a.scores.values()) - 1.0) < 1e-4
            assert a.scores[a.label] >= max(a.scores.values()) - 1e-6, "the label is the argmax"
    stances = [a for s in doc.sentences for a in s.stances]
    keys = [(a.name, a.kind) for a in doc.actors]
    assert len(keys) == len(set(keys))
    assert sum(a.mentions for a in doc.actors) == len(stances)


@pytest.mark.slow
@SETTINGS
@given(text=texts)
def test_analyze_any_unicode(tiny_analyzer, text):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnencodableTextWarning)
        try:
            doc = tiny_analyzer.analyze(text)
        except StancekitError:
            return  # a typed error is an answer; anything else fails the test
    _check_document(doc, text)


@pytest.mark.slow
@SETTINGS
@given(batch=st.lists(texts, min_size=1, max_size=4), actor=st.text(any_char, min_size=1, max_size=12))
def test_analyze_many_with_user_actors(tiny_analyzer, batch, actor):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnencodableTextWarning)
        try:
            docs = tiny_analyzer.analyze_many(batch, actors=[actor, "Smith"])
        except StancekitError:
            return
    assert len(docs) == len(batch)
    for doc, text in zip(docs, batch, strict=True):
        _check_document(doc, text)


@pytest.mark.slow
@SETTINGS
@given(data=st.data(), text=st.text(any_char, min_size=1, max_size=400))
def test_predict_functions_any_unicode(tiny_analyzer, data, text):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnencodableTextWarning)
        try:
            (stance,) = tiny_analyzer.predict_stance([{"text": text, "start": start, "end": end}])
        except StancekitError:
            stance = None
        try:
            (editorial,) = tiny_analyzer.predict_editorial([text])
        except StancekitError:
            editorial = None
    if stance is not None:
        assert abs(sum(stance["scores"].values()) - 1.0) < 1e-4
        assert stance["scores"][stance["label"]] == max(stance["scores"].values())
    if editorial is not None:
        assert editorial["label"] == ("editorial" if editorial["score"] >= 0.5 else "reporting")


# --------------------------------------------------------------------------- determinism of batching
ARTICLE_SENTENCES = [
    "Critics said Senator Maria Hartwell misled the committee about the contract.",
    "Hartwell rejected the claim on Monday.",
    "NATO officials praised the rescue effort in the harbour town.",
    "Smith met Jones in Ohio to discuss the budget.",
    "The union called the deal a shameful giveaway to Brown's donors, and Brown did not reply.",
    "This is, frankly, the worst plan the council has produced in a decade.",
    "Jones will travel to Moscow next week, the ministry said.",
    "\u201cWe will not back down,\u201d Smith told reporters outside the Kremlin.",
    "The report, which runs to 40 pages and was drafted over eight months by a panel of judges and "
    "economists, found that Ukraine had met every condition set by the lenders.",
    "Rain is expected.",
]
articles = st.lists(st.sampled_from(ARTICLE_SENTENCES), min_size=1, max_size=6).map(" ".join)
DET_SETTINGS = settings(SETTINGS, max_examples=12, phases=(Phase.explicit, Phase.reuse, Phase.generate))


@pytest.fixture(scope="module")
def batch_variants(tiny_model_path):
    """The tiny model at batch sizes 32, 3 and 1, in float32 and bfloat16 (emulated where not native)."""
    import stancekit

    return {
        (p, bs): stancekit.load(str(tiny_model_path), batch_size=bs, precision=p)
        for p in ("float32", "bfloat16")
        for bs in (32, 3, 1)
    }


def _assert_same_up_to(ref, other, tol: float) -> None:
    """Same sentences and mentions; scores within ``tol``; labels equal unless a score is within ``tol`` of a tie."""
    assert len(ref) == len(other)
    for da, db in zip(ref, other, strict=True):
        assert [(s.start, s.end) for s in da.sentences] == [(s.start, s.end) for s in db.sentences]
        for sa, sb in zip(da.sentences, db.sentences, strict=True):
            assert abs(sa.editorial_score - sb.editorial_score) <= tol
            if abs(sa.editorial_score - 0.5) > tol:
                assert sa.editorial == sb.editorial
            assert [(x.actor, x.start, x.end) for x in sa.stances] == [(y.actor, y.start, y.end) for y in sb.stances]
            for x, y in zip(sa.stances, sb.stances, strict=True):
                assert max(abs(x.scores[k] - y.scores[k]) for k in x.scores) <= tol
                top = sorted(x.scores.values())
                if top[-1] - top[-2] > 2 * tol:
                    assert x.label == y.label


@pytest.mark.slow
@pytest.mark.parametrize("precision", ["float32", "bfloat16"])
@DET_SETTINGS
@given(docs=st.lists(articles, min_size=1, max_size=4), seed=st.integers(0, 2**16))
def test_batching_moves_scores_only_within_the_stated_tolerance(batch_variants, precision, docs, seed):
    """The determinism statement of :class:`stancekit.Analyzer`: batch size, document order and
    analyze() vs analyze_many() change scores by at most BATCHING_TOLERANCE within one precision."""
    import random

    from stancekit.modeling.inference import BATCHING_TOLERANCE

    tol = BATCHING_TOLERANCE[precision]
    main = batch_variants[(precision, 32)]
    ref = main.analyze_many(docs)
    order = list(range(len(docs)))
    random.Random(seed).shuffle(order)
    back = sorted(range(len(docs)), key=order.__getitem__)
    _assert_same_up_to(ref, [main.analyze(t) for t in docs], tol)
    for bs in (3, 1):
        shuffled = batch_variants[(precision, bs)].analyze_many([docs[i] for i in order])
        _assert_same_up_to(ref, [shuffled[i] for i in back], tol)
