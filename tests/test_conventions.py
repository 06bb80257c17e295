"""Stance conventions: a set labelled under another convention (NewsMTSC) is learnt under its own vector."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch

from stancekit.errors import ConfigError
from stancekit.modeling.checkpoint import ModelConfig
from stancekit.modeling.inputs import collate
from stancekit.modeling.network import StanceNetwork
from stancekit.training.config import TrainConfig


def _tiny_network(n_conventions: int) -> StanceNetwork:
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    enc = BertModel(
        BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32)
    )
    return StanceNetwork(enc, n_conventions=n_conventions).eval()


def _batch(conventions):
    from stancekit.modeling.inputs import END_MARK, NO_MARK, START_MARK, EncodedItem

    items = [
        EncodedItem(
            [1, 7, 0, 9, 0, 2], [NO_MARK, NO_MARK, START_MARK, NO_MARK, END_MARK, NO_MARK], [(2, 4)], [0], i, 3, c
        )
        for i, c in enumerate(conventions)
    ]
    return collate(items, pad_id=0)


def test_the_default_convention_computes_what_a_network_without_conventions_does():
    plain, with_conv = _tiny_network(0), _tiny_network(1)
    with_conv.load_state_dict(plain.state_dict(), strict=False)
    with torch.no_grad():
        # a learnt vector (not a constant one: the embeddings' LayerNorm removes that): it must touch only the
        # inputs that ask for it
        with_conv.conventions.copy_(torch.linspace(-1.0, 1.0, 16))
        st_plain, ed_plain = plain(_batch([0, 0]))
        st, ed = with_conv(_batch([0, 1]))
    assert _batch([0, 0]).convention is None  # default-only batches carry no convention tensor
    torch.testing.assert_close(st[0], st_plain[0])
    torch.testing.assert_close(ed[0], ed_plain[0])
    assert not torch.allclose(st[1], st_plain[1])


def test_config_names_conventions_and_rejects_unknown_ones():
    cfg = ModelConfig(base_model="x", conventions=["newsmtsc"])
    assert cfg.convention_index(None) == cfg.convention_index("article") == 0
    assert cfg.convention_index("newsmtsc") == 1
    with pytest.raises(ConfigError, match="no stance convention 'semeval'.*article, newsmtsc"):
        cfg.convention_index("semeval")
    for bad in (["newsmtsc", "newsmtsc"], ["article"], [""], "newsmtsc"):
        with pytest.raises(ConfigError, match="conventions"):
            ModelConfig(base_model="x", conventions=bad).validate("stancekit_config.json")
    with pytest.raises(ConfigError, match="conventions: each must be one of"):
        TrainConfig(name="x", conventions=["semeval"])


@pytest.mark.slow
def test_a_run_learns_newsmtsc_apart_and_scores_its_dev_sets_under_it(tmp_path):
    from test_trainer_seams import OWN_SETS, _cfg

    import stancekit
    from stancekit.evaluation.evaluate import collect_logits, labelled_logits
    from stancekit.training.trainer import Trainer

    cfg = _cfg(tmp_path, "conv", conventions=["newsmtsc"], epochs=1, learning_rate=1e-4, head_learning_rate=5e-3)
    Trainer(cfg, examples=lambda c, names: {n: OWN_SETS[n] for n in names}).run()
    folder = tmp_path / "conv"
    assert json.loads((folder / "stancekit_config.json").read_text())["conventions"] == ["newsmtsc"]

    default = stancekit.load(str(folder))
    newsmtsc = stancekit.load(str(folder), convention="newsmtsc")
    text = "Rivals mocked Mayor Dale as a fraud."
    item = [{"text": text, "start": text.index("Dale"), "end": text.index("Dale") + 4}]
    a, b = default.predict_stance(item)[0]["scores"], newsmtsc.predict_stance(item)[0]["scores"]
    assert a != b  # the NewsMTSC vector was trained (it starts at zero, where the default is)
    assert newsmtsc.identity() != default.identity()
    assert stancekit.load(str(folder), convention="article").identity() == default.identity()
    with pytest.raises(ConfigError, match="no stance convention"):
        stancekit.load(str(folder), convention="semeval")

    # evaluation scores a NewsMTSC set under the NewsMTSC convention, other sets under the default (in float32, as
    # training and the teacher below read it; "auto" is bfloat16 on CPUs that run it natively)
    pred = stancekit.load(str(folder), precision="float32").new_predictor()
    dev = {"newsmtsc-rw-dev": OWN_SETS["newsmtsc-rw-dev"], "checkthat-dev": OWN_SETS["checkthat-dev"]}
    got = labelled_logits(pred, dev)
    want = collect_logits(pred.with_convention("newsmtsc"), dev["newsmtsc-rw-dev"])["stance"][0]
    np.testing.assert_allclose(got["newsmtsc-rw-dev"][1], want, atol=1e-6)
    assert not np.allclose(got["newsmtsc-rw-dev"][1], collect_logits(pred, dev["newsmtsc-rw-dev"])["stance"][0])
    np.testing.assert_allclose(
        got["checkthat-dev"][1], collect_logits(pred, dev["checkthat-dev"])["editorial"][0], atol=1e-6
    )

    # as a teacher, the model reads a NewsMTSC example under the NewsMTSC convention, others under the default;
    # its cache keys the two readings of one sentence apart
    from stancekit.training import distill

    exs = [OWN_SETS["newsmtsc-train"][0], OWN_SETS["checkthat-train"][0]]
    st, _ = distill.teacher_logits(str(folder), exs)
    np.testing.assert_allclose(
        st[0], pred.with_convention("newsmtsc").logits([exs[0].text], [exs[0].spans])[0][0], atol=1e-5
    )
    np.testing.assert_allclose(st[1], pred.logits([exs[1].text], [exs[1].spans])[0][0], atol=1e-5)
    teacher_cfg = default.config
    as_default = type(exs[0])(exs[0].text, exs[0].spans, exs[0].stance, exs[0].editorial, "checkthat-train")
    assert distill._example_key(exs[0], teacher_cfg) != distill._example_key(as_default, teacher_cfg)

    # continuing from a folder that never learnt the convention: its vector starts at zero, where the default is,
    # whatever the network held before (the trainer's start, and benchmarks/interpolate_init.py's)
    import shutil

    from safetensors.torch import load_file, save_file

    from stancekit.modeling.checkpoint import load_initial_weights, load_model

    plain = shutil.copytree(folder, tmp_path / "plain")
    saved = json.loads((plain / "stancekit_config.json").read_text())
    plain_temperatures = {k: v for k, v in saved["temperatures"].items() if "@" not in k}
    plain_cfg = {**saved, "conventions": [], "temperatures": plain_temperatures, "biases": {}}
    (plain / "stancekit_config.json").write_text(json.dumps(plain_cfg))
    weights = {k: v for k, v in load_file(str(plain / "model.safetensors")).items() if k != "conventions"}
    save_file(weights, str(plain / "model.safetensors"), metadata={"format": "pt"})
    network, _, model_cfg = load_model(folder)
    assert bool(network.conventions.abs().sum() > 0)
    load_initial_weights(network, model_cfg, plain)
    assert not bool(network.conventions.any())
    assert distill._example_key(exs[0]) == distill._example_key(as_default)  # a teacher without it: one reading


def test_teacher_stance_sets_withhold_other_sets_stance_targets_and_newsmtsc_inputs_ask_for_its_convention(
    tiny_model_path,
):
    from transformers import AutoTokenizer

    from stancekit.data.examples import Example
    from stancekit.modeling.inputs import IGNORE, MarkerEncoder
    from stancekit.training.trainer import _fit_data

    examples = [
        Example("Dale spoke.", [(0, 4)], [1], IGNORE, "newsmtsc-train"),
        Example("What a farce, says Dale.", [(19, 23)], [IGNORE], 1, "checkthat-train"),
    ]
    soft = ([np.zeros((1, 3), np.float32), np.ones((1, 3), np.float32)], np.zeros((2, 2), np.float32))
    enc = MarkerEncoder(AutoTokenizer.from_pretrained(str(tiny_model_path), local_files_only=True), max_length=32)
    model_cfg = ModelConfig(base_model="x", conventions=["newsmtsc"])

    both = _fit_data(TrainConfig(name="t", conventions=["newsmtsc"]), examples, enc, soft, "cpu", model_cfg)
    assert [it.convention for it in both.items] == [1, 0]
    assert not np.isnan(np.concatenate(both.st_soft)).any()

    on_newsmtsc = TrainConfig(name="t", teacher_stance_sets=["newsmtsc-train"])
    data = _fit_data(on_newsmtsc, examples, enc, soft, "cpu", ModelConfig(base_model="x"))
    assert [it.convention for it in data.items] == [0, 0]  # the config learns no convention apart
    assert not np.isnan(data.st_soft[0]).any() and np.isnan(data.st_soft[1]).all()
    assert len(data.ed_soft) == 2  # the editorial flag is distilled on every sentence
    with pytest.raises(ConfigError, match="teacher_stance_sets"):
        TrainConfig(name="t", teacher_stance_sets="newsmtsc-train")


def test_each_convention_keeps_its_own_stance_calibration_fitted_on_its_own_dev_sets():
    from stancekit.modeling.calibration import softmax
    from stancekit.training.trainer import calibrate

    rng = np.random.default_rng(0)
    logits = rng.normal(size=(40, 3)).astype(np.float32)
    cfg = ModelConfig(
        base_model="x",
        conventions=["newsmtsc"],
        temperatures={"stance": 1.0, "editorial": 1.0, "stance@newsmtsc": 2.0},
        biases={"stance@newsmtsc": [0.0, 1.0, 0.0]},
    )
    cfg.validate("stancekit_config.json")
    np.testing.assert_allclose(cfg.calibrated("stance", logits, "newsmtsc"), softmax(logits, 2.0, [0.0, 1.0, 0.0]))
    np.testing.assert_allclose(cfg.calibrated("stance", logits), softmax(logits))
    np.testing.assert_allclose(cfg.calibrated("editorial", logits[:, :2], "newsmtsc"), softmax(logits[:, :2]))
    with pytest.raises(ConfigError, match="stance@<convention>"):
        ModelConfig(base_model="x", temperatures={"stance@newsmtsc": 2.0}).validate("stancekit_config.json")

    labels = rng.integers(0, 3, size=40)
    collected = {
        "newsmtsc-rw-dev": ("stance", logits[:25], labels[:25]),
        "articlestance-dev": ("stance", logits[25:], labels[25:]),
        "checkthat-dev": ("editorial", logits[:10, :2], labels[:10] % 2),
    }
    result = calibrate(collected, cfg)
    assert set(result) == {"stance", "stance@newsmtsc", "editorial"}
    assert result["stance"]["n"] == 15 and result["stance@newsmtsc"]["n"] == 25
    assert set(cfg.temperatures) == {"stance", "stance@newsmtsc", "editorial"}
    # reports take each set's own convention's calibration unless told the logits were read under another
    from stancekit.evaluation.evaluate import reports

    own = reports({"newsmtsc-rw-dev": collected["newsmtsc-rw-dev"]}, cfg, n_boot=0, details=True)
    default = reports(
        {"newsmtsc-rw-dev": collected["newsmtsc-rw-dev"]},
        cfg,
        n_boot=0,
        details=True,
        conventions={"newsmtsc-rw-dev": None},
    )
    x = collected["newsmtsc-rw-dev"][1]
    assert own["newsmtsc-rw-dev"]["predictions"] == cfg.calibrated("stance", x, "newsmtsc").argmax(-1).tolist()
    assert default["newsmtsc-rw-dev"]["predictions"] == cfg.calibrated("stance", x).argmax(-1).tolist()
    # a model without conventions pools every stance dev set, as before
    plain = ModelConfig(base_model="x")
    assert calibrate(collected, plain)["stance"]["n"] == 40 and set(plain.temperatures) == {"stance", "editorial"}
