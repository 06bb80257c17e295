import json

import pytest

import stancekit
from stancekit.errors import ConfigError, InputError, ModelNotFoundError, StancekitError


def test_unknown_model_name_says_how_to_get_models():
    with pytest.raises(ModelNotFoundError) as info:
        stancekit.load("no-such-model")
    msg = str(info.value)
    assert "no-such-model" in msg and "STANCEKIT_MODELS" in msg and "stancekit train" in msg
    assert isinstance(info.value, StancekitError) and isinstance(info.value, FileNotFoundError)


def test_model_name_of_wrong_type():
    with pytest.raises(InputError):
        stancekit.load(42)


def test_folder_missing_weights_names_the_file(tmp_path, tiny_model_path):
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "config.json").write_text((tiny_model_path / "config.json").read_text())
    (folder / "tokenizer.json").write_text("{}")
    with pytest.raises(ModelNotFoundError, match="model.safetensors"):
        stancekit.load(str(folder))


def test_folder_with_foreign_config(tmp_path):
    folder = tmp_path / "foreign"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"model_type": "bert"}))
    (folder / "model.safetensors").write_bytes(b"")
    (folder / "tokenizer.json").write_text("{}")
    with pytest.raises(ModelNotFoundError, match="not a stancekit model"):
        stancekit.load(str(folder))


def test_bad_config_value(tmp_path, tiny_model_path):
    import shutil

    folder = tmp_path / "badcfg"
    shutil.copytree(tiny_model_path, folder)
    cfg = json.loads((folder / "stancekit_config.json").read_text())
    cfg["marking"] = "sometimes"
    (folder / "stancekit_config.json").write_text(json.dumps(cfg))
    with pytest.raises(ConfigError, match="marking"):
        stancekit.load(str(folder))


@pytest.mark.parametrize("bad", [None, 3, b"bytes", ["a list"]])
def test_non_string_text(tiny_analyzer, bad):
    with pytest.raises(InputError, match="must be a str"):
        tiny_analyzer.analyze(bad)


def test_bad_stance_items(tiny_analyzer):
    with pytest.raises(InputError, match="item 0"):
        tiny_analyzer.predict_stance([{"text": "abc", "start": 2, "end": 9}])
    with pytest.raises(InputError, match="'text'"):
        tiny_analyzer.predict_stance([{"text": 5, "start": 0, "end": 1}])
    with pytest.raises(InputError, match="integers"):
        tiny_analyzer.predict_stance([{"text": "abc", "start": "0", "end": 1}])
    with pytest.raises(InputError):
        tiny_analyzer.predict_stance({"text": "abc", "start": 0, "end": 1})


def test_bad_editorial_input(tiny_analyzer):
    with pytest.raises(InputError):
        tiny_analyzer.predict_editorial("a single string")
    with pytest.raises(InputError, match="sentence 1"):
        tiny_analyzer.predict_editorial(["fine", None])


def test_bad_actor_shape_through_analyze(tiny_analyzer):
    with pytest.raises(InputError, match=r"actors\[1\]"):
        tiny_analyzer.analyze("NATO met.", actors=["NATO", {"aliases": ["x"]}])


def test_import_is_light():
    import subprocess
    import sys

    code = "import sys, stancekit; print(int(any(m in sys.modules for m in ('torch', 'transformers', 'spacy'))))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
