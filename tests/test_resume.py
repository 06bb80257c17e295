"""Checkpoint and resume: a run paused and resumed writes the very model an uninterrupted run writes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file
from test_trainer_seams import OWN_SETS, _cfg

from stancekit.errors import CheckpointError, CheckpointNotFoundError, ConfigError, TrainingPaused
from stancekit.training.config import TrainConfig
from stancekit.training.trainer import Trainer


def examples(cfg, names):
    return {n: OWN_SETS[n] for n in names}


def _trainer(cfg: TrainConfig, **kw) -> Trainer:
    return Trainer(cfg, examples=examples, **kw)


def _assert_same_model(a, b) -> None:
    wa, wb = load_file(str(a / "model.safetensors")), load_file(str(b / "model.safetensors"))
    assert wa.keys() == wb.keys() and len(wa) > 10
    for key in wa:
        assert torch.equal(wa[key], wb[key]), key
    ca, cb = (
        json.loads((a / "stancekit_config.json").read_text()),
        json.loads((b / "stancekit_config.json").read_text()),
    )
    assert ca["temperatures"] == cb["temperatures"]


def _run_in_slices(cfg: TrainConfig, slice_steps: int) -> tuple[dict, list[int]]:
    """Run ``cfg`` ``slice_steps`` optimizer steps at a time, each slice a fresh Trainer resuming the last."""
    paused_at, resume = [], False
    while True:
        try:
            return _trainer(cfg, resume=resume, max_steps=slice_steps).run(), paused_at
        except TrainingPaused as paused:
            assert (Path(paused.checkpoint) / "state.json").is_file()
            paused_at.append((paused.ingredient, paused.step))
            resume = True


@pytest.mark.slow
def test_a_run_paused_mid_epoch_and_resumed_writes_the_uninterrupted_runs_model(tmp_path):
    whole = _trainer(_cfg(tmp_path, "whole", save_dtype="float32", average_last=2)).run()
    cfg = _cfg(tmp_path, "sliced", save_dtype="float32", average_last=2, checkpoint_every=2)
    sliced, paused_at = _run_in_slices(cfg, 3)
    # 8 items in batches of 2: 4 steps an epoch, 8 in all; pauses at steps 3 and 6 fall inside epochs
    assert paused_at == [(0, 3), (0, 6)]
    assert sliced["history"] == whole["history"] and len(whole["history"]) == 4
    assert sliced["averaged"] == whole["averaged"] and sliced["best_step"] == whole["best_step"]
    assert sliced["dev"] == whole["dev"]
    _assert_same_model(tmp_path / "whole", tmp_path / "sliced")
    # the finished run leaves no checkpoint behind (and the uninterrupted one never wrote one)
    assert not list((tmp_path / "sliced").glob("*checkpoint*")) and not (tmp_path / "whole" / "checkpoint").exists()


@pytest.mark.slow
def test_a_soup_paused_in_its_second_ingredient_and_resumed_writes_the_same_soup(tmp_path):
    whole = _trainer(_cfg(tmp_path, "whole", soup=2, save_dtype="float32")).run()
    cfg = _cfg(tmp_path, "sliced", soup=2, save_dtype="float32", checkpoint_every=3)
    sliced, paused_at = _run_in_slices(cfg, 11)
    assert paused_at == [(1, 3)]
    assert sliced["history"] == whole["history"] and sliced["soup"] == whole["soup"]
    _assert_same_model(tmp_path / "whole", tmp_path / "sliced")


@pytest.fixture(scope="module")
def paused_run(tmp_path_factory):
    """A run paused after 3 steps: its config and output folder (copy it before changing it)."""
    tmp = tmp_path_factory.mktemp("paused")
    cfg = _cfg(tmp, "paused", checkpoint_every=2)
    with pytest.raises(TrainingPaused) as info:
        _trainer(cfg, max_steps=3).run()
    assert (info.value.ingredient, info.value.step) == (0, 3)
    return cfg


def _copy(cfg: TrainConfig, tmp_path) -> TrainConfig:
    out = tmp_path / "copy"
    shutil.copytree(cfg.output_dir, out)
    return TrainConfig(**{**cfg.__dict__, "output_dir": str(out)})


def test_a_changed_config_or_changed_data_is_refused_naming_the_file_and_field(paused_run, tmp_path):
    cfg = _copy(paused_run, tmp_path)
    changed = TrainConfig(**{**cfg.__dict__, "learning_rate": cfg.learning_rate * 2})
    with pytest.raises(CheckpointError, match="config_hash") as info:
        _trainer(changed, resume=True).run()
    assert info.value.field == "config_hash" and info.value.path.endswith("checkpoint/state.json")
    assert isinstance(info.value, ConfigError)

    def other_examples(c, names):
        sets = examples(c, names)
        return {n: exs[:-1] if n == "checkthat-train" else exs for n, exs in sets.items()}

    with pytest.raises(CheckpointError, match="data_hash"):
        Trainer(cfg, examples=other_examples, resume=True).run()
    # run options may change between sessions: the device, the progress bar, how often to checkpoint
    moved = TrainConfig(**{**cfg.__dict__, "checkpoint_every": 5, "progress": False, "device": "cpu"})
    with pytest.raises(TrainingPaused) as info:
        _trainer(moved, resume=True, max_steps=1).run()
    assert info.value.step == 4


def test_no_checkpoint_an_unreadable_one_or_an_unasked_restart_are_refused(paused_run, tmp_path):
    with pytest.raises(CheckpointNotFoundError, match="no checkpoint"):
        _trainer(_cfg(tmp_path, "never-ran"), resume=True).run()
    cfg = _copy(paused_run, tmp_path)
    # a fresh run over an unfinished run's checkpoint would throw its steps away: it must be asked for
    with pytest.raises(CheckpointError, match="--resume"):
        _trainer(cfg).run()
    weights = tmp_path / "copy" / "checkpoint" / "weights.safetensors"
    weights.write_bytes(weights.read_bytes()[:100])
    with pytest.raises(CheckpointError, match="unreadable") as info:
        _trainer(cfg, resume=True).run()
    assert info.value.path == str(weights)


@pytest.mark.slow
def test_a_kill_between_the_two_renames_leaves_the_previous_checkpoint_usable(paused_run, tmp_path):
    cfg = _copy(paused_run, tmp_path)
    folder = tmp_path / "copy" / "checkpoint"
    folder.rename(folder.with_name("checkpoint.old"))  # what a kill after the first rename leaves
    (tmp_path / "copy" / ".checkpoint.tmp-1").mkdir()  # and a half-written new one
    with pytest.raises(TrainingPaused) as info:
        _trainer(cfg, resume=True, max_steps=1).run()
    assert info.value.step == 4 and (folder / "state.json").is_file()
    assert not folder.with_name("checkpoint.old").exists()


def test_checkpoint_every_is_a_run_option_validated_and_left_out_of_train_yaml():
    assert "checkpoint_every" not in TrainConfig(name="x", checkpoint_every=50).to_yaml()
    for bad in (0, -3, 2.5):
        with pytest.raises(ConfigError, match="checkpoint_every"):
            TrainConfig(name="x", checkpoint_every=bad)
    with pytest.raises(ConfigError, match="max_steps"):
        Trainer(TrainConfig(name="x"), max_steps=0)


@pytest.mark.slow
def test_cli_pauses_with_max_steps_and_finishes_with_resume(tmp_path):
    import subprocess
    import sys

    import yaml
    from conftest import REPO, write_tiny_data

    stance, editorial = write_tiny_data(tmp_path)
    out = tmp_path / "model"
    config = tmp_path / "train.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "name": "cli-resume",
                "output_dir": str(out),
                "train_sets": [],
                "dev_sets": [],
                "report_sets": [],
                "stance_files": [str(stance)],
                "editorial_files": [str(editorial)],
                "marking": "target",
                "epochs": 1,
                "batch_size": 4,
                "evals_per_epoch": 1,
                "calibrate": False,
                "progress": False,
                "checkpoint_every": 1,
            }
        )
    )

    def train(*extra):
        cmd = [sys.executable, "-m", "stancekit.cli", "train", "--config", str(config), "--device", "cpu", *extra]
        return subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)

    done = train("--resume")
    assert done.returncode == 2 and "no checkpoint" in done.stderr and not out.exists()
    paused = train("--max-steps", "2")
    assert paused.returncode == 3, paused.stderr
    assert "paused at step 2" in paused.stdout and (out / "checkpoint" / "state.json").is_file()
    again = train()  # forgetting --resume does not throw the two steps away
    assert again.returncode == 2 and "--resume" in again.stderr
    done = train("--resume")
    assert done.returncode == 0, done.stderr
    assert (out / "model.safetensors").is_file() and not (out / "checkpoint").exists()
    assert json.loads((out / "training_metrics.json").read_text())["steps"] == 4
