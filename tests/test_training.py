import json

import pytest

import stancekit
from stancekit.errors import ConfigError
from stancekit.training.config import TrainConfig


def test_yaml_round_trip_and_unknown_keys(tmp_path):
    cfg = TrainConfig(name="x", epochs=2, marking="target")
    path = tmp_path / "train.yaml"
    path.write_text(cfg.to_yaml())
    back = TrainConfig.from_yaml(path)
    assert back.epochs == 2 and back.marking == "target" and back.output_dir == "models/x"
    path.write_text("name: x\nepochz: 3\n")
    with pytest.raises(ConfigError, match="epochz"):
        TrainConfig.from_yaml(path)
    path.write_text("epochs: 3\n")
    with pytest.raises(ConfigError, match="name"):
        TrainConfig.from_yaml(path)
    with pytest.raises(ConfigError, match="marking"):
        TrainConfig(name="x", marking="some")


def test_committed_configs_parse():
    from pathlib import Path

    for path in Path(__file__).parents[1].glob("models/*/train.yaml"):
        cfg = TrainConfig.from_yaml(path)
        assert cfg.name == path.parent.name


def test_tiny_model_folder_is_self_describing(tiny_model_path):
    cfg = json.loads((tiny_model_path / "config.json").read_text())
    assert cfg["format"] == "stancekit-model" and cfg["weights"] == "full"
    assert cfg["stance_labels"] == ["negative", "neutral", "positive"]
    assert cfg["editorial_labels"] == ["reporting", "editorial"]
    assert (tiny_model_path / "model.safetensors").stat().st_size > 1_000_000
    assert not list(tiny_model_path.glob("*.bin")) and not list(tiny_model_path.glob("*.pkl"))
    assert (tiny_model_path / "train.yaml").exists()


@pytest.mark.slow
def test_train_on_shared_data_per_pair_form_with_calibration(shared_data, tmp_path):
    """A short run on real data in the per-pair form: saves, reloads, predicts, calibrates."""
    out = tmp_path / "pp"
    metrics = stancekit.train(TrainConfig(
        name="pp", output_dir=str(out), data_dir=str(shared_data), marking="target", epochs=1, batch_size=16,
        max_examples_per_set=48, evals_per_epoch=1, progress=False,
        train_sets=["newsmtsc-train", "checkthat-train"], dev_sets=["newsmtsc-rw-dev", "checkthat-dev"],
        report_sets=["checkthat-dev-test"]))
    assert set(metrics["dev"]) == {"newsmtsc-rw-dev", "checkthat-dev"}
    assert set(metrics["report"]) == {"checkthat-dev-test"}
    for task in ("stance", "editorial"):
        c = metrics["calibration"][task]
        assert c["temperature"] > 0 and c["n"] == 48
    cfg = json.loads((out / "config.json").read_text())
    assert cfg["marking"] == "target"
    assert cfg["temperatures"]["stance"] == pytest.approx(metrics["calibration"]["stance"]["temperature"])
    an = stancekit.load(str(out))
    doc = an.analyze("Critics accused Senator Smith of lying. Smith met Jones in Ohio.")
    assert sum(len(s.stances) for s in doc.sentences) >= 2
