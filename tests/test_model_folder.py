"""The model folder's layout: stancekit_config.json beside the encoder's own config.json; older folders still load."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict

import pytest

import stancekit
from stancekit.errors import ConfigError
from stancekit.modeling.checkpoint import load_model, read_config, save_model, write_config

TEXT = "Critics accused Senator Smith of lying to voters. Jones met the delegation on Monday."


def _legacy_copy(src, dst):
    """``src`` rewritten in the older layout: one config.json, the encoder's config nested in it."""
    shutil.copytree(src, dst)
    own = json.loads((dst / "stancekit_config.json").read_text("utf-8"))
    own["encoder_config"] = json.loads((dst / "config.json").read_text("utf-8"))
    (dst / "config.json").write_text(json.dumps(own, indent=2), "utf-8")
    (dst / "stancekit_config.json").unlink()
    return dst


def test_a_saved_folder_round_trips_in_the_new_layout(tmp_path, tiny_model_path):
    network, tokenizer, cfg = load_model(tiny_model_path)
    out = save_model(network, tokenizer, cfg, tmp_path / "again")
    own = json.loads((out / "stancekit_config.json").read_text("utf-8"))
    encoder = json.loads((out / "config.json").read_text("utf-8"))
    assert own["format"] == "stancekit-model" and "encoder_config" not in own
    assert encoder["model_type"] == "bert" and "format" not in encoder
    assert asdict(read_config(out)) == asdict(read_config(tiny_model_path))
    # fp16 weights read to float32 and written back are the same bytes
    assert (out / "model.safetensors").read_bytes() == (tiny_model_path / "model.safetensors").read_bytes()


def test_a_folder_of_the_older_layout_loads_and_gives_the_same_results(tmp_path, tiny_model_path, tiny_analyzer):
    legacy = _legacy_copy(tiny_model_path, tmp_path / "legacy")
    assert not (legacy / "stancekit_config.json").exists()
    assert asdict(read_config(legacy)) == asdict(read_config(tiny_model_path))
    old = stancekit.load(str(legacy), precision=tiny_analyzer.precision)
    assert old.analyze(TEXT).to_dict() == tiny_analyzer.analyze(TEXT).to_dict()
    assert old.identity() == tiny_analyzer.identity()  # a converted folder resumes its scoring jobs


def test_write_config_converts_an_older_folder(tmp_path, tiny_model_path):
    legacy = _legacy_copy(tiny_model_path, tmp_path / "legacy")
    write_config(read_config(legacy), legacy)
    assert json.loads((legacy / "stancekit_config.json").read_text("utf-8"))["format"] == "stancekit-model"
    assert (legacy / "config.json").read_text("utf-8") == (tiny_model_path / "config.json").read_text("utf-8")
    assert asdict(read_config(legacy)) == asdict(read_config(tiny_model_path))


def test_a_lora_folder_keeps_no_config_json(tmp_path, tiny_model_path):
    """A LoRA folder's encoder config comes with its base encoder, as a PEFT adapter folder's does."""
    folder = tmp_path / "lora"
    folder.mkdir()
    old = json.loads((tiny_model_path / "stancekit_config.json").read_text("utf-8"))
    old.update(weights="lora", lora={"r": 4, "alpha": 8, "dropout": 0.0}, encoder_config=None)
    (folder / "config.json").write_text(json.dumps(old), "utf-8")
    cfg = read_config(folder)
    assert cfg.weights == "lora" and cfg.encoder_config is None
    write_config(cfg, folder)
    assert not (folder / "config.json").exists()
    assert asdict(read_config(folder)) == asdict(cfg)


def test_with_both_files_the_stancekit_config_wins(tmp_path, tiny_model_path):
    folder = _legacy_copy(tiny_model_path, tmp_path / "both")
    own = json.loads((tiny_model_path / "stancekit_config.json").read_text("utf-8"))
    own["max_length"] = 64
    (folder / "stancekit_config.json").write_text(json.dumps(own), "utf-8")
    cfg = read_config(folder)
    assert cfg.max_length == 64 and read_config(tiny_model_path).max_length != 64
    # the older config.json still gives the encoder's config
    assert cfg.encoder_config == json.loads((tiny_model_path / "config.json").read_text("utf-8"))


def test_a_full_weight_folder_without_its_encoder_config_names_the_file(tmp_path, tiny_model_path):
    folder = tmp_path / "m"
    folder.mkdir()
    shutil.copy(tiny_model_path / "stancekit_config.json", folder / "stancekit_config.json")
    with pytest.raises(ConfigError, match=r"config\.json: no encoder config"):
        read_config(folder)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[1, 2]", "stancekit_config.json: must hold a JSON object"),
        ("{not json", "stancekit_config.json: invalid JSON"),
        ('{"format": "stancekit-model", "base_model": "x", "weights": "half"}', "field 'weights'"),
        ('{"format": "stancekit-model", "base_model": "x", "extra": 1}', "unknown keys in stancekit_config.json"),
    ],
)
def test_a_crafted_stancekit_config_is_a_typed_error(tmp_path, tiny_model_path, content, expected):
    folder = tmp_path / "m"
    folder.mkdir()
    shutil.copy(tiny_model_path / "config.json", folder / "config.json")
    (folder / "stancekit_config.json").write_text(content, "utf-8")
    with pytest.raises(ConfigError) as info:
        read_config(folder)
    assert expected in str(info.value) and "stancekit_config.json" in str(info.value)


@pytest.mark.parametrize(("field", "value"), [("encoder_config.model_type", None), ("encoder_config", ["bert"])])
def test_the_older_layout_is_still_validated_naming_the_field(tmp_path, tiny_model_path, field, value):
    folder = _legacy_copy(tiny_model_path, tmp_path / "legacy")
    data = json.loads((folder / "config.json").read_text("utf-8"))
    if "." in field:
        data["encoder_config"]["model_type"] = value
    else:
        data[field] = value
    (folder / "config.json").write_text(json.dumps(data), "utf-8")
    with pytest.raises(ConfigError) as info:
        read_config(folder)
    assert f"'{field}'" in str(info.value) and "config.json" in str(info.value)


def test_the_shipped_models_use_the_new_layout():
    from stancekit.modeling.checkpoint import shipped_models

    for name, weights in (("news-small", "full"), ("news-base", "lora")):
        folder = shipped_models() / name
        own = json.loads((folder / "stancekit_config.json").read_text("utf-8"))
        assert own["weights"] == weights and "encoder_config" not in own
        assert (folder / "config.json").exists() == (weights == "full")
