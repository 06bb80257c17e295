"""The public API on a tiny model trained in conftest through the real training path."""

import json
import os
from dataclasses import asdict

import numpy as np
import pytest

from stancekit.results import Document

TEXT = (
    "Critics accused Senator Smith of lying to voters. Smith was praised in Ohio for her courage. "
    "This disgraceful policy is a betrayal. The council voted 7 to 2 on Tuesday."
)


def test_analyze_shapes_and_labels(tiny_analyzer):
    doc = tiny_analyzer.analyze(TEXT)
    assert isinstance(doc, Document)
    assert len(doc.sentences) == 4
    for s in doc.sentences:
        assert TEXT[s.start : s.end] == s.text
        assert 0.0 <= s.editorial_score <= 1.0
        assert s.editorial == (s.editorial_score >= 0.5)
        for st in s.stances:
            assert st.label in ("negative", "neutral", "positive")
            assert set(st.scores) == {"negative", "neutral", "positive"}
            assert abs(sum(st.scores.values()) - 1) < 1e-4
            assert st.label == max(st.scores, key=st.scores.get)
            assert TEXT[st.start : st.end] == st.mention
    smith = [a for a in doc.actors if a.name == "Smith"]
    # "Senator Smith", "Smith" and "her" (resolved by coreference)
    assert smith and smith[0].mentions == 3 and smith[0].kind == "person"
    assert sum(smith[0].counts.values()) == 3 and -1 <= smith[0].mean_score <= 1
    rows = [(st.mention, st.resolved) for s in doc.sentences for st in s.stances if st.actor == "Smith"]
    assert [r for _, r in rows].count("coreference") == 1 and ("her", "coreference") in rows
    assert all(st.actor != "Ohio" for s in doc.sentences for st in s.stances)  # "in Ohio" is a place


def test_document_serialises_to_json_without_glue(tiny_analyzer):
    doc = tiny_analyzer.analyze(TEXT)
    data = json.loads(doc.to_json())
    assert data["sentences"][0]["text"] == doc.sentences[0].text
    assert data["actors"] == [asdict(a) for a in doc.actors]
    assert 0 <= data["editorial_share"] <= 1
    import pyarrow as pa

    from stancekit.schemas import sentence_schema, stance_schema

    assert pa.Table.from_pylist(doc.sentence_rows("d1"), schema=sentence_schema()).num_rows == 4
    assert pa.Table.from_pylist(doc.stance_rows("d1"), schema=stance_schema()).num_rows == sum(
        len(s.stances) for s in doc.sentences
    )


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_text(tiny_analyzer, text):
    doc = tiny_analyzer.analyze(text)
    assert doc.sentences == [] and doc.actors == []
    assert doc.to_dict()["editorial_share"] == 0.0


def test_non_ascii_and_long_text(tiny_analyzer):
    text = "Zoë Müller, the mayor of Zürich, was praised. “Quelle catastrophe”, said François Hollande 🙂. " * 60
    doc = tiny_analyzer.analyze(text)
    assert len(doc.sentences) >= 120
    for s in doc.sentences:
        assert text[s.start : s.end] == s.text


def test_user_actors_only(tiny_analyzer):
    doc = tiny_analyzer.analyze(TEXT, actors=[{"name": "The Council", "aliases": ["council"]}], use_ner=False)
    assert [a.name for a in doc.actors] == ["The Council"]
    # the name itself matches case-insensitively now ("The council"), and the row says it came from the user
    assert doc.sentences[3].stances[0].mention == "The council"
    assert doc.sentences[3].stances[0].resolved == "user"


def test_predict_stance_and_editorial_formats(tiny_analyzer):
    out = tiny_analyzer.predict_stance([{"text": "Critics accused Smith of lying.", "start": 16, "end": 21}])
    assert out[0]["label"] in ("negative", "neutral", "positive")
    assert abs(sum(out[0]["scores"].values()) - 1) < 1e-4
    ed = tiny_analyzer.predict_editorial(["The report was published on Monday.", "What a disgrace."])
    assert [e["label"] for e in ed] == ["editorial" if e["score"] >= 0.5 else "reporting" for e in ed]
    assert tiny_analyzer.predict_stance([]) == [] and tiny_analyzer.predict_editorial([]) == []


def test_tiny_model_learned_its_training_sentences(tiny_analyzer):
    """Proof that the real weights are used: the model fits the sentences it was trained on."""
    from tests.conftest import EDITORIAL_ROWS, STANCE_ROWS

    items = [{"text": t, "start": t.index(g), "end": t.index(g) + len(g)} for t, g, _ in STANCE_ROWS]
    got = [p["label"] for p in tiny_analyzer.predict_stance(items)]
    assert np.mean([g == lab for g, (_, _, lab) in zip(got, STANCE_ROWS, strict=True)]) >= 0.6
    ed = tiny_analyzer.predict_editorial([t for t, _ in EDITORIAL_ROWS])
    assert np.mean([e["label"] == lab for e, (_, lab) in zip(ed, EDITORIAL_ROWS, strict=True)]) >= 0.6


@pytest.mark.parametrize("precision", ["float32", "bfloat16"])
def test_results_do_not_depend_on_batch_size_or_order(tiny_model_path, precision):
    """Each input is padded to a width set by its own length: whatever shares its batch moves its
    scores by rounding only, within BATCHING_TOLERANCE (also in bfloat16)."""
    import stancekit
    from stancekit.modeling.inference import BATCHING_TOLERANCE

    tol = BATCHING_TOLERANCE[precision]
    texts = [TEXT, "Smith met Jones in Ohio. Jones was furious.", "Brown is a hero.", TEXT[:50]]
    a = stancekit.load(str(tiny_model_path), batch_size=1, precision=precision).analyze_many(texts)
    b = stancekit.load(str(tiny_model_path), batch_size=64, precision=precision).analyze_many(texts[::-1])[::-1]
    assert a[0].sentences[0].stances  # there is something to compare
    for da, db in zip(a, b, strict=True):
        for sa, sb in zip(da.sentences, db.sentences, strict=True):
            assert abs(sa.editorial_score - sb.editorial_score) <= tol
            assert [x.mention for x in sa.stances] == [y.mention for y in sb.stances]
            for x, y in zip(sa.stances, sb.stances, strict=True):
                assert max(abs(x.scores[k] - y.scores[k]) for k in x.scores) <= tol


def test_bfloat16_agrees_with_float32_and_keeps_float32_logits(tiny_model_path):
    """bfloat16 autocasts the encoder only: the heads return float32 logits close to float32's."""
    import stancekit

    texts, spans = ["Critics accused Senator Smith of lying to voters.", "Brown is a hero."], [[(24, 29)], [(0, 5)]]
    f32 = stancekit.load(str(tiny_model_path), precision="float32").logits(texts, spans)
    bf16 = stancekit.load(str(tiny_model_path), precision="bfloat16").logits(texts, spans)
    assert bf16[1].dtype == np.float32 and bf16[0][0].dtype == np.float32
    assert np.allclose(f32[1], bf16[1], atol=0.1) and np.allclose(f32[0][0], bf16[0][0], atol=0.1)
    assert not np.array_equal(f32[1], bf16[1])  # it did run in another precision


def test_precision_choices_and_errors(tiny_model_path):
    import stancekit
    from stancekit.errors import InputError
    from stancekit.modeling.precision import native_bfloat16, resolve_precision

    assert resolve_precision("auto") == ("bfloat16" if native_bfloat16("cpu") else "float32")
    assert resolve_precision("auto", quantized=True) == "float32"
    assert stancekit.load(str(tiny_model_path), quantize=True).precision == "float32"
    with pytest.raises(InputError, match="precision must be one of"):
        stancekit.load(str(tiny_model_path), precision="fp8")
    with pytest.raises(InputError, match="cannot be combined with quantize"):
        stancekit.load(str(tiny_model_path), precision="bfloat16", quantize=True)


def test_analyze_many_equals_one_by_one(tiny_analyzer):
    texts = [TEXT, "Brown was hailed as a hero by the crowd."]
    many = tiny_analyzer.analyze_many(texts)
    for t, d in zip(texts, many, strict=True):
        one = tiny_analyzer.analyze(t)
        assert [s.text for s in one.sentences] == [s.text for s in d.sentences]
        assert [round(s.editorial_score, 4) for s in one.sentences] == [
            round(s.editorial_score, 4) for s in d.sentences
        ]


@pytest.mark.parametrize("marking", ["all", "target"])
def test_a_sentence_longer_than_the_window_scores_every_mention(tiny_model_path, marking):
    """Both forms cut a long sentence into windows; each mention is scored once, from its window."""
    from stancekit.modeling.checkpoint import load_model
    from stancekit.modeling.inference import Predictor

    network, tok, cfg = load_model(tiny_model_path)
    cfg.marking = marking
    cfg.max_length = 24
    text = "Smith spoke first. " + "The long debate went on and on in the hall, " * 6 + "and then Jones left."
    spans = [(0, 5), (text.index("Jones"), text.index("Jones") + 5)]
    stance, editorial = Predictor(network, tok, cfg).logits([text], [spans])
    assert stance[0].shape == (2, 3) and editorial.shape == (1, 2)
    assert (np.abs(stance[0]).sum(axis=1) > 0).all()  # both mentions got logits


def test_onednn_cache_cap_is_opt_in_and_respects_the_user(monkeypatch):
    """A library call leaves the environment alone; tune_process() (the CLI calls it) sets the cap."""
    import stancekit
    from stancekit.modeling.precision import ONEDNN_CACHE_CAPACITY, resolve_precision

    monkeypatch.delenv("ONEDNN_PRIMITIVE_CACHE_CAPACITY", raising=False)
    assert resolve_precision("float32") == "float32"
    assert resolve_precision("bfloat16") == "bfloat16"
    assert "ONEDNN_PRIMITIVE_CACHE_CAPACITY" not in os.environ  # resolving a precision changes nothing
    stancekit.tune_process()
    assert os.environ["ONEDNN_PRIMITIVE_CACHE_CAPACITY"] == ONEDNN_CACHE_CAPACITY
    monkeypatch.setenv("ONEDNN_PRIMITIVE_CACHE_CAPACITY", "7")
    stancekit.tune_process()
    assert os.environ["ONEDNN_PRIMITIVE_CACHE_CAPACITY"] == "7"
