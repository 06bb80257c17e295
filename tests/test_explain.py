"""Explanations: word attributions with document offsets, and loaded words at the top."""

from __future__ import annotations

import pytest

from stancekit.errors import InputError
from stancekit.explain import top_words
from stancekit.explain.attribution import delete_words, word_weights

LOADED = "The spineless, dishonest senator Paul Crane shamelessly betrayed his voters."
LOADED_WORDS = {"spineless", "dishonest", "shamelessly", "betrayed"}


@pytest.fixture(scope="module")
def explained(default_analyzer):
    prefix = "The committee met on Thursday. "
    return default_analyzer.explain(prefix + LOADED)


def test_offsets_index_the_document(explained):
    doc = explained
    for s in doc.sentences:
        assert s.editorial_attributions
        for w in s.editorial_attributions:
            assert doc.text[w.start : w.end] == w.token and s.start <= w.start < w.end <= s.end
        for st in s.stances:
            assert st.attributions is not None
            assert [(w.start, w.end) for w in st.attributions] == [(w.start, w.end) for w in s.editorial_attributions]
    # the same labels and scores as analyze()
    assert explained.to_dict()["sentences"][1]["editorial_score"] == explained.sentences[1].editorial_score


def test_loaded_words_lead_the_editorial_explanation(explained, default_analyzer):
    s = explained.sentences[1]
    assert s.editorial
    assert {w.token for w in top_words(s.editorial_attributions, 4)} == LOADED_WORDS
    # the stance toward the senator is negative, and its top words are loaded words too
    (st,) = [st for st in s.stances if st.actor.endswith("Crane") and st.resolved != "coreference"]
    assert st.label == "negative"
    assert {w.token for w in top_words(st.attributions, 2)} <= LOADED_WORDS
    occl = default_analyzer.explain(LOADED, method="occlusion").sentences[0]
    assert {w.token for w in top_words(occl.editorial_attributions, 3)} <= LOADED_WORDS
    # a plain reporting sentence has tiny weights next to the loaded one
    plain = explained.sentences[0]
    assert not plain.editorial
    assert max(abs(w.weight) for w in plain.editorial_attributions) < 0.2 * max(
        w.weight for w in s.editorial_attributions
    )


def test_analyze_is_untouched(default_analyzer, explained):
    doc = default_analyzer.analyze(explained.text)
    assert all(s.editorial_attributions is None for s in doc.sentences)
    assert [s.editorial_score for s in doc.sentences] == [s.editorial_score for s in explained.sentences]


def test_word_merging_and_deletion():
    text = "Unbelievably, it's fine."
    merged = word_weights(text, [(0, 2), (2, 12), (12, 13), (14, 16), (16, 18), (19, 23)], [1, 2, 0.5, 1, 1, 3])
    assert [(w.token, w.weight) for w in merged] == [
        ("Unbelievably", 3),
        (",", 0.5),
        ("it's", 2),
        ("fine", 3),
        (".", 0),
    ]
    new, spans = delete_words("Critics say Ann Lee lied today.", [(12, 19)], [(0, 7), (20, 24)])
    assert new == "say Ann Lee today." and new[spans[0][0] : spans[0][1]] == "Ann Lee"


def test_bad_arguments(default_analyzer):
    with pytest.raises(InputError, match="method"):
        default_analyzer.explain("Ann Lee spoke.", method="attention")
    with pytest.raises(InputError, match="n_steps"):
        default_analyzer.explain("Ann Lee spoke.", n_steps=1)
