"""The Analyzer's public surface: its stages one at a time, read-only facts, and its identity."""

from __future__ import annotations

import ast
import hashlib
import json
import shutil

import numpy as np
import pytest
from conftest import REPO

import stancekit
from stancekit.errors import OptionsChangedError

TEXT = "Critics accused Senator Smith of lying to voters. Governor Jones praised Smith for her courage."


# ----------------------------------------------------------------- no internals used as API
def _private_names() -> set[str]:
    """The underscore attributes an Analyzer sets on itself."""
    tree = ast.parse((REPO / "stancekit" / "analyzer.py").read_text("utf-8"))
    init = next(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef) and n.name == "__init__")
    targets = [t for node in ast.walk(init) for t in getattr(node, "targets", [getattr(node, "target", None)])]
    targets += [e for t in targets if isinstance(t, ast.Tuple) for e in t.elts]
    return {
        t.attr
        for t in targets
        if isinstance(t, ast.Attribute) and isinstance(t.value, ast.Name) and t.value.id == "self"
        if t.attr.startswith("_")
    }


def test_no_code_outside_the_analyzer_touches_its_private_attributes():
    private = _private_names()
    assert {"_predictor", "_segmenter", "_finder", "_config", "_name", "_aliases_sha256"} <= private
    # names that only the Analyzer uses are flagged on any object; common ones on analyzer-named variables
    unique = private - {"_config", "_name", "_precision", "_identity", "_attribution"}
    analyzer_names = {"an", "analyzer", "tiny_analyzer", "default_analyzer"}
    found = []
    for folder in ("stancekit", "benchmarks", "scripts", "tests"):
        for path in sorted((REPO / folder).rglob("*.py")):
            if path.name == "analyzer.py" and path.parent.name == "stancekit":
                continue
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if not isinstance(node, ast.Attribute) or not node.attr.startswith("_"):
                    continue
                base = node.value.id if isinstance(node.value, ast.Name) else ""
                if (node.attr in unique and base != "self") or base in analyzer_names:
                    found.append(f"{path.relative_to(REPO)}:{node.lineno}: {base}.{node.attr}")
    assert not found, found


def test_the_internals_are_not_public_and_facts_are_read_only(tiny_analyzer):
    for gone in ("predictor", "segmenter", "finder"):
        assert not hasattr(tiny_analyzer, gone)
    for fact in ("name", "config", "model_path", "precision", "quantized"):
        with pytest.raises(AttributeError):
            setattr(tiny_analyzer, fact, None)
    labels = tiny_analyzer.config.stance_labels
    tiny_analyzer.config.stance_labels.reverse()  # a copy: the Analyzer's own config is unchanged
    assert tiny_analyzer.config.stance_labels == labels


def test_a_display_name_is_given_when_loading(tiny_model_path):
    an = stancekit.load(str(tiny_model_path), name="tiny-variant")
    assert an.name == "tiny-variant" and an.analyze(TEXT).model == "tiny-variant"
    assert an.identity()["model"]["name"] == "tiny-variant"


# ----------------------------------------------------------------- the stages reproduce analyze()
def test_segment_find_actors_and_probabilities_reproduce_analyze(tiny_analyzer):
    doc = tiny_analyzer.analyze(TEXT)
    seg = tiny_analyzer.segment([TEXT])[0]
    assert [(s.start, s.end) for s in seg.sentences] == [(s.start, s.end) for s in doc.sentences]
    actors, mentions = tiny_analyzer.find_actors(TEXT, seg)
    assert [(m.start, m.end) for m in mentions] == [(st.start, st.end) for s in doc.sentences for st in s.stances]
    assert sorted({a.name for a in actors}) == sorted({a.name for a in doc.actors})
    texts = [s.text for s in doc.sentences]
    spans = [[(st.start - s.start, st.end - s.start) for st in s.stances] for s in doc.sentences]
    stance_p, editorial_p = tiny_analyzer.probabilities(texts, spans)
    labels = tiny_analyzer.config.stance_labels
    for s, probs, ed in zip(doc.sentences, stance_p, editorial_p, strict=True):
        assert s.editorial_score == pytest.approx(float(ed[1]), abs=1e-6)
        for st, p in zip(s.stances, probs, strict=True):
            assert [st.scores[lab] for lab in labels] == pytest.approx(p.tolist(), abs=1e-6)


def test_probabilities_are_the_calibrated_logits(tiny_analyzer):
    texts, spans = ["Critics accused Senator Smith of lying."], [[(24, 29)]]
    (st_logits,), ed_logits = tiny_analyzer.logits(texts, spans)
    (st_p,), ed_p = tiny_analyzer.probabilities(texts, spans)
    cfg = tiny_analyzer.config
    assert np.allclose(st_p, cfg.calibrated("stance", st_logits)) and np.allclose(
        ed_p, cfg.calibrated("editorial", ed_logits)
    )


def test_find_mentions_are_the_spans_predict_editorial_marks(tiny_analyzer):
    sentences = ["Smith praised Jones for the plan.", "The report was published on Monday."]
    spans = tiny_analyzer.find_mentions(sentences)
    assert [sentences[0][a:b] for a, b in spans[0]] == ["Smith", "Jones"] and spans[1] == []
    _, editorial_p = tiny_analyzer.probabilities(sentences, spans)
    got = [r["score"] for r in tiny_analyzer.predict_editorial(sentences)]
    assert got == pytest.approx(editorial_p[:, 1].tolist(), abs=1e-6)


def test_new_predictor_batches_otherwise_with_the_same_model(tiny_analyzer):
    from stancekit.modeling.inference import BATCHING_TOLERANCE

    texts = ["Critics accused Senator Smith of lying.", "Brown is a hero.", "The council met."]
    spans = [[(24, 29)], [(0, 5)], []]
    one = tiny_analyzer.new_predictor(batch_size=1, buckets=range(8, 64, 8))
    assert one.batch_size == 1 and one.precision == tiny_analyzer.precision
    a, b = tiny_analyzer.logits(texts, spans), one.logits(texts, spans)
    tol = BATCHING_TOLERANCE[tiny_analyzer.precision] * 10  # logits, before the softmax
    assert np.allclose(a[1], b[1], atol=tol) and all(
        np.allclose(x, y, atol=tol) for x, y in zip(a[0], b[0], strict=True)
    )
    assert tiny_analyzer.new_predictor(marking="target").config.marking == "target"
    assert tiny_analyzer.config.marking == "all"


def test_explain_sentences_weights_the_words_of_each_sentence(tiny_analyzer):
    texts, spans = ["Critics accused Senator Smith of lying."], [[(24, 29)]]
    (ex,) = tiny_analyzer.explain_sentences(texts, spans, method="occlusion")
    assert ex.editorial and len(ex.stances) == 1 and ex.stances[0]
    assert all(texts[0][w.start : w.end] == w.token for w in ex.editorial + ex.stances[0])
    assert "accused" in {w.token for w in ex.editorial}


# ----------------------------------------------------------------- identity
def test_identity_says_what_produces_the_results(tiny_analyzer, tiny_model_path, tmp_path):
    ident = tiny_analyzer.identity()
    assert json.loads(json.dumps(ident)) == ident
    weights = hashlib.sha256((tiny_model_path / "model.safetensors").read_bytes()).hexdigest()
    assert ident["model"]["weights_sha256"] == weights and ident["model"]["name"] == "tiny"
    assert ident["precision"] == tiny_analyzer.precision and ident["quantized"] is False
    assert ident["spacy"]["pipeline"] and ident["spacy"]["version"] and ident["spacy"]["spacy_version"]
    assert ident["stancekit_version"] == stancekit.__version__
    assert ident["options"]["attribution"] is True and ident["options"]["coreference"] is True
    ident["precision"] = "changed"  # a copy
    assert tiny_analyzer.identity()["precision"] == tiny_analyzer.precision
    # the same folder elsewhere is the same model
    moved = shutil.copytree(tiny_model_path, tmp_path / "moved")
    assert stancekit.load(str(moved), precision=tiny_analyzer.precision).identity() == tiny_analyzer.identity()


def test_identity_changes_with_what_changes_the_output(tiny_analyzer, tiny_model_path):
    base = tiny_analyzer.identity()
    other = "float32" if tiny_analyzer.precision == "bfloat16" else "bfloat16"
    assert stancekit.load(str(tiny_model_path), precision=other).identity()["precision"] == other
    for options, key in (({"attribution": False}, "attribution"), ({"coreference": False}, "coreference")):
        ident = stancekit.load(str(tiny_model_path), precision=tiny_analyzer.precision, **options).identity()
        assert ident["options"][key] is False and ident["model"] == base["model"]
    extra = stancekit.load(str(tiny_model_path), aliases={"Acme Corp": {"kind": "organization", "aliases": ["Acme"]}})
    assert extra.identity()["options"]["aliases_sha256"] != base["options"]["aliases_sha256"]


# ----------------------------------------------------------------- the resume fingerprint
def _input(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": "a", "text": TEXT}) + "\n", "utf-8")
    return path


def test_a_resume_under_other_options_or_an_older_manifest_is_refused(tiny_analyzer, tiny_model_path, tmp_path):
    src, out = _input(tmp_path), tmp_path / "out"
    tiny_analyzer.score(src, out, id_column="id", progress=False)
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["model"]["identity"] == tiny_analyzer.identity()
    # the same model from another folder resumes (the job is complete: nothing is scored twice)
    moved = shutil.copytree(tiny_model_path, tmp_path / "moved")
    again = stancekit.load(str(moved), precision=tiny_analyzer.precision).score(
        src, out, id_column="id", progress=False
    )
    assert again.documents == 1 and again.failed == 0 and again.seconds == 0.0
    no_holders = stancekit.load(str(tiny_model_path), precision=tiny_analyzer.precision, attribution=False)
    with pytest.raises(OptionsChangedError, match="attribution changed: True -> False"):
        no_holders.score(src, out, id_column="id", progress=False)
    renamed = stancekit.load(str(tiny_model_path), precision=tiny_analyzer.precision, name="other")
    with pytest.raises(OptionsChangedError, match="model changed: tiny -> other"):
        renamed.score(src, out, id_column="id", progress=False)
    manifest["model"]["identity"]["model"]["weights_sha256"] = "0" * 64
    (out / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    with pytest.raises(OptionsChangedError, match="tiny with another weights_sha256"):
        tiny_analyzer.score(src, out, id_column="id", progress=False)
    manifest["model"] = {"model": str(tiny_model_path), "precision": tiny_analyzer.precision}  # an older manifest
    (out / "manifest.json").write_text(json.dumps(manifest), "utf-8")
    with pytest.raises(OptionsChangedError, match="older stancekit"):
        tiny_analyzer.score(src, out, id_column="id", progress=False)
