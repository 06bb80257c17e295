"""The trainer's seams: injected example builder, teacher logits and fit hook, callbacks, selection helpers."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from stancekit.data.examples import Example
from stancekit.errors import ConfigError
from stancekit.labels import EDITORIAL_LABELS, STANCE_LABELS
from stancekit.modeling.inputs import IGNORE
from stancekit.training.config import TrainConfig
from stancekit.training.selection import average_states, interpolate_states, merge_lora_states
from stancekit.training.trainer import FitResult, Trainer, TrainerCallback, build_examples


def _ex(text: str, target: str | None, label: str, source: str) -> Example:
    if target is None:
        return Example(text, editorial=EDITORIAL_LABELS.index(label), source=source)
    start = text.index(target)
    return Example(text, [(start, start + len(target))], [STANCE_LABELS.index(label)], IGNORE, source)


# Our own sentences, keyed by set name: the builder hands them out, so no data file is read.
OWN_SETS = {
    "newsmtsc-train": [
        _ex("Rivals mocked Mayor Dale as a fraud.", "Dale", "negative", "newsmtsc-train"),
        _ex("Dale earned praise for the new bridge.", "Dale", "positive", "newsmtsc-train"),
        _ex("Dale arrives in Leeds on Friday.", "Dale", "neutral", "newsmtsc-train"),
        _ex("Voters cheered Ms Okafor's brave stand.", "Okafor", "positive", "newsmtsc-train"),
        _ex("Okafor was branded a liar by rivals.", "Okafor", "negative", "newsmtsc-train"),
    ],
    "checkthat-train": [
        _ex("This shameful budget insults every family.", None, "editorial", "checkthat-train"),
        _ex("The budget was published on Thursday.", None, "reporting", "checkthat-train"),
        _ex("Enough is enough: scrap this farce now.", None, "editorial", "checkthat-train"),
    ],
    "newsmtsc-rw-dev": [
        _ex("Critics slammed Dale for the delays.", "Dale", "negative", "newsmtsc-rw-dev"),
        _ex("Okafor will chair the hearing.", "Okafor", "neutral", "newsmtsc-rw-dev"),
    ],
    "checkthat-dev": [
        _ex("What a pathetic display by the council.", None, "editorial", "checkthat-dev"),
        _ex("The council met at nine.", None, "reporting", "checkthat-dev"),
    ],
}


def _cfg(tmp_path, name: str, **overrides) -> TrainConfig:
    return TrainConfig(
        **{
            "name": name,
            "output_dir": str(tmp_path / name),
            "train_sets": ["newsmtsc-train", "checkthat-train"],
            "dev_sets": ["newsmtsc-rw-dev", "checkthat-dev"],
            "report_sets": [],
            "marking": "target",
            "epochs": 2,
            "batch_size": 2,
            "evals_per_epoch": 2,
            "patience": 100,
            "progress": False,
            "calibration": "temperature",
            "device": "cpu",
            **overrides,
        }
    )


class Recorder(TrainerCallback):
    def __init__(self):
        self.evaluations, self.fits, self.ended = [], [], None

    def on_evaluate(self, trainer, ingredient, record):
        self.evaluations.append((ingredient, dict(record)))

    def on_fit_end(self, trainer, ingredient, fit):
        self.fits.append((ingredient, fit))

    def on_train_end(self, trainer, metrics):
        self.ended = metrics


@pytest.mark.slow
def test_injected_pieces_are_used_callbacks_see_each_evaluation_and_a_fit_hook_replays_an_ingredient(tmp_path):
    built, teacher_calls, fit_calls = [], [], []

    def examples(cfg, names):
        built.append(list(names))
        return {n: OWN_SETS[n] for n in names}

    def teacher(name, train_ex, device):
        teacher_calls.append((name, len(train_ex)))
        # a confident, fixed teacher: every mention's stance and every sentence's editorial flag
        stance = [np.tile(np.array([[0.0, 2.0, 0.0]], np.float32), (len(e.spans), 1)) for e in train_ex]
        return stance, np.tile(np.array([[1.0, 0.0]], np.float32), (len(train_ex), 1))

    def fit(ingredient, train):
        fit_calls.append(ingredient)
        return train(ingredient)

    rec = Recorder()
    state = (random.getstate(), np.random.get_state()[1].copy(), torch.get_rng_state())
    metrics = Trainer(
        _cfg(tmp_path, "soup", soup=2, teacher="no-such-teacher", gold_over_teacher=["newsmtsc-train"]),
        examples=examples,
        teacher_logits=teacher,
        fit=fit,
        callbacks=[rec],
    ).run()
    # the run seeds the global generators for itself and hands them back unchanged
    assert random.getstate() == state[0] and (np.random.get_state()[1] == state[1]).all()
    assert torch.equal(torch.get_rng_state(), state[2])

    assert built == [["newsmtsc-train", "checkthat-train"], ["newsmtsc-rw-dev", "checkthat-dev"], []]
    assert teacher_calls == [("no-such-teacher", 8)]
    assert fit_calls == [0, 1]
    assert set(metrics["dev"]) == {"newsmtsc-rw-dev", "checkthat-dev"}
    assert metrics["dev"]["checkthat-dev"]["n"] == 2  # the injected dev examples were scored
    # a callback sees every evaluation of every ingredient, in order, as the history records it
    for ingredient, history in enumerate(metrics["history"]):
        assert [r for i, r in rec.evaluations if i == ingredient] == history
    assert len(rec.evaluations) == sum(len(h) for h in metrics["history"]) >= 4
    assert [i for i, _ in rec.fits] == [0, 1] and all(isinstance(f, FitResult) for _, f in rec.fits)
    assert [f.history for _, f in rec.fits] == metrics["history"]
    assert rec.ended is metrics

    # the sweep's way of training ingredient 1 alone in another process: a soup: 1 run whose fit hook asks
    # for ingredient 1's random state gives the same evaluations as the soup's second ingredient
    alone = Trainer(
        _cfg(tmp_path, "alone", teacher="no-such-teacher", gold_over_teacher=["newsmtsc-train"]),
        examples=examples,
        teacher_logits=teacher,
        fit=lambda ingredient, train: train(1),
    ).run()
    assert alone["history"] == metrics["history"][1]


def test_build_examples_reads_named_sets_capped_and_marked_per_config(shared_data):
    cfg = TrainConfig(name="x", data_dir=str(shared_data), marking="target", max_examples_per_set=5)
    sets = build_examples(cfg, ["newsmtsc-rw-dev", "checkthat-dev"])
    assert list(sets) == ["newsmtsc-rw-dev", "checkthat-dev"]
    assert all(len(ex.spans) == 1 and ex.editorial == IGNORE for ex in sets["newsmtsc-rw-dev"])
    assert len(sets["checkthat-dev"]) == 5 and all(ex.editorial != IGNORE for ex in sets["checkthat-dev"])


def test_merged_lora_soup_is_the_mean_of_the_updates_and_factors_are_averaged_one_by_one():
    gen = torch.Generator().manual_seed(0)
    states = [
        {
            "enc.q.lora_A.default.weight": torch.randn(2, 5, generator=gen),
            "enc.q.lora_B.default.weight": torch.randn(4, 2, generator=gen),
            "head.weight": torch.randn(3, 4, generator=gen),
        }
        for _ in range(3)
    ]
    merged = merge_lora_states(states)
    update = merged["enc.q.lora_B.default.weight"] @ merged["enc.q.lora_A.default.weight"]
    want = torch.stack([s["enc.q.lora_B.default.weight"] @ s["enc.q.lora_A.default.weight"] for s in states]).mean(0)
    assert merged["enc.q.lora_A.default.weight"].shape == (6, 5)
    assert torch.allclose(update, want, atol=1e-6)
    plain = average_states(states)
    assert torch.allclose(merged["head.weight"], plain["head.weight"])
    factors = plain["enc.q.lora_B.default.weight"] @ plain["enc.q.lora_A.default.weight"]
    assert not torch.allclose(factors, want, atol=1e-3)  # why the merged form exists


def test_interpolated_states_mix_floats_toward_the_start_and_keep_the_rest():
    start = {"w": torch.zeros(2, 3), "steps": torch.tensor([1])}
    trained = {"w": torch.full((2, 3), 4.0), "steps": torch.tensor([9]), "new": torch.ones(2)}
    mixed = interpolate_states(start, trained, 0.25)
    assert torch.allclose(mixed["w"], torch.full((2, 3), 1.0))
    assert mixed["steps"].item() == 9  # integer buffers are not mixed
    assert torch.equal(mixed["new"], trained["new"])  # a weight the start lacks keeps its trained value
    assert torch.equal(interpolate_states(start, trained, 1.0)["w"], trained["w"])
    with pytest.raises(ValueError, match="alpha"):
        interpolate_states(start, trained, 0.0)


def test_teacher_logits_are_cached_per_teacher_and_example(tiny_model_path, tmp_path):
    """A rerun reads the teacher's logits from disk; a grown training mix sends only its new examples."""
    import numpy as np

    from stancekit.data.examples import Example
    from stancekit.training.distill import cached

    calls = []

    def teacher(name, examples, device):
        calls.append([ex.text for ex in examples])
        stance = [np.full((len(ex.spans), 3), float(len(ex.text)), dtype=np.float32) for ex in examples]
        return stance, np.array([[len(ex.text), -len(ex.text)] for ex in examples], dtype=np.float32)

    fetch = cached(teacher, tmp_path / "cache")
    examples = [Example("A said B.", [(0, 1), (7, 8)]), Example("No actor here."), Example("C won.", [(0, 1)])]
    first = fetch(str(tiny_model_path), examples, "cpu")
    again = fetch(str(tiny_model_path), examples, "cpu")
    assert len(calls) == 1  # the second call was read from the cache
    assert [a.tolist() for a in again[0]] == [a.tolist() for a in first[0]]
    assert again[1].tolist() == first[1].tolist() == [[9, -9], [14, -14], [6, -6]]
    assert [len(a) for a in again[0]] == [2, 0, 1]
    grown = [examples[2], Example("D lost to E.", [(0, 1), (10, 11)]), examples[0]]
    out = fetch(str(tiny_model_path), grown, "cpu")
    assert calls[1] == ["D lost to E."]  # only the new example went to the teacher
    assert [a[:, 0].tolist() for a in out[0]] == [[6.0], [12.0, 12.0], [9.0, 9.0]]  # in the order asked
    assert out[1][:, 0].tolist() == [6, 12, 9]
    same_spans_other_marks = [Example("A said B.", [(0, 1)])]  # another span set is another example
    fetch(str(tiny_model_path), same_spans_other_marks, "cpu")
    assert calls[2] == ["A said B."]
    assert len(list((tmp_path / "cache").glob("teacher-*.npz"))) == 1  # one file per teacher and device


def test_teacher_cache_survives_post_hoc_fits_but_not_new_weights(tiny_model_path, tmp_path):
    """Refitting a teacher's read-out, probe or calibration leaves its raw logits, hence its cache, as they were;
    other weights or another device do not."""
    import json
    import shutil

    from stancekit.training.distill import POST_HOC, teacher_digest

    folder = tmp_path / "teacher"
    shutil.copytree(tiny_model_path, folder)
    before = teacher_digest(folder)
    cfg_path = folder / "stancekit_config.json"
    cfg = json.loads(cfg_path.read_text())
    for key in POST_HOC:
        cfg[key] = {"refitted": key}
    cfg_path.write_text(json.dumps(cfg))
    (folder / "training_metrics.json").write_text(json.dumps({"refit": True}))
    assert teacher_digest(folder) == before
    cfg["marking"] = "first" if cfg.get("marking") != "first" else "all"  # read by every forward pass
    cfg_path.write_text(json.dumps(cfg))
    assert teacher_digest(folder) != before
    shutil.copy(tiny_model_path / "stancekit_config.json", cfg_path)
    assert teacher_digest(folder) == before
    with (folder / "model.safetensors").open("ab") as f:
        f.write(b"\0")
    assert teacher_digest(folder) != before
    assert teacher_digest(tiny_model_path, "meta") != teacher_digest(tiny_model_path, "cpu")
    cfg_path.write_text("{not json")
    with pytest.raises(ConfigError, match="stancekit_config.json: not valid JSON"):
        teacher_digest(folder)
