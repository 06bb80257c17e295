"""The article read-out: its folded fit, its config checks, where the network applies it, and fitting a folder."""

import json
import shutil

import numpy as np
import pytest

from stancekit.errors import ConfigError, DataError
from stancekit.modeling.stance_readout import FORMAT, apply_arrays, check_readout, fit_arrays


def _data(n=300, width=20, seed=0):
    rng = np.random.default_rng(seed)
    feats = rng.normal(size=(n, width)).astype(np.float32) * rng.uniform(0.5, 3, size=width) + 2
    logits = rng.normal(size=(n, 3)).astype(np.float32) * 2
    y = (logits + 0.8 * feats[:, :3] + rng.normal(size=(n, 3))).argmax(1)
    return feats, logits, y


@pytest.mark.parametrize("components, balance", [(0, 0.0), (8, 0.0), (8, 0.5)])
def test_fit_folds_scaling_pca_and_regression_into_one_matrix(components, balance):
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression

    from stancekit.modeling.stance_readout import balanced_weights

    feats, logits, y = _data()
    weights = balanced_weights(y, 3, balance)
    assert (weights is None) == (balance == 0)
    entry = fit_arrays(feats, logits, y, components, 0.3, 3, sample_weight=weights)
    check_readout(entry, "here", 3)
    cols = [(logits - logits.mean(0)) / (logits.std(0) + 1e-6)]
    if components:
        z = (feats - feats.mean(0)) / (feats.std(0) + 1e-6)
        cols.insert(0, PCA(components, random_state=0).fit(z).transform(z))
    x = np.concatenate(cols, 1)
    want = LogisticRegression(C=0.3, max_iter=5000).fit(x, y, sample_weight=weights).decision_function(x)
    np.testing.assert_allclose(apply_arrays(entry, feats, logits), want, atol=1e-3)
    assert entry["components"] == components and len(entry["weights"][0]) == feats.shape[1] + 3


def test_fit_needs_every_label():
    feats, logits, y = _data()
    with pytest.raises(DataError, match="all 3 stance labels"):
        fit_arrays(feats, logits, np.where(y == 2, 1, y), 0, 0.3, 3)


@pytest.mark.parametrize(
    "change, field",
    [
        ({"format": "x"}, "stance_readout.format"),
        ({"weights": [[0.0] * 5] * 2}, "stance_readout.weights"),
        ({"weights": [[0.0] * 5, [0.0] * 5, [0.0] * 4]}, "stance_readout.weights"),
        ({"weights": [[0.0] * 3] * 3}, "stance_readout.weights"),
        ({"weights": [[0.0] * 4 + [float("inf")]] * 3}, "stance_readout.weights"),
        ({"weights": [[0.0] * 4 + [1e300]] * 3}, "stance_readout.weights"),  # inf once in float32
        ({"bias": [1e39, 0.0, 0.0]}, "stance_readout.bias"),
        ({"bias": [0.0, 0.0]}, "stance_readout.bias"),
        ({"bias": [0.0, "1", 0.0]}, "stance_readout.bias"),
    ],
)
def test_check_readout_names_the_bad_field(change, field):
    good = {"format": FORMAT, "weights": [[0.0] * 5] * 3, "bias": [0.0, 0.0, 0.0]}
    check_readout(good, "cfg.json", 3)
    with pytest.raises(ConfigError, match=field.replace(".", r"\.")):
        check_readout({**good, **change}, "cfg.json", 3)
    with pytest.raises(ConfigError, match="'stance_readout' must be a mapping"):
        check_readout([1], "cfg.json", 3)


def _with_readout(tiny_model_path, tmp_path, weights_of, bias):
    folder = tmp_path / "model"
    shutil.copytree(tiny_model_path, folder)
    cfg_path = folder / "stancekit_config.json"
    cfg = json.loads(cfg_path.read_text("utf-8"))
    hidden = json.loads((folder / "config.json").read_text("utf-8"))["hidden_size"]
    cfg["stance_readout"] = {"format": FORMAT, "weights": weights_of(3 * hidden), "bias": bias}
    cfg_path.write_text(json.dumps(cfg), "utf-8")
    return folder


def test_the_network_applies_the_folders_readout(tiny_model_path, tmp_path):
    """The read-out's matrix over [head input, head logits] gives the stance logits of analyze(), logits() and
    predict_stance(); ``readout=False`` gives the head's; the editorial flag and the config's fingerprint follow."""
    import stancekit

    # a read-out that swaps the head's negative and positive logits and adds 0.5 to neutral
    def swap(width):
        rows = [[0.0] * (width + 3) for _ in range(3)]
        rows[0][width + 2] = rows[1][width + 1] = rows[2][width] = 1.0
        return rows

    folder = _with_readout(tiny_model_path, tmp_path, swap, [0.0, 0.5, 0.0])
    plain = stancekit.load(str(tiny_model_path), precision="float32")
    read = stancekit.load(str(folder), precision="float32")
    texts = ["Critics accused Senator Smith of lying to voters.", "Brown was hailed as a hero by the crowd."]
    spans = [[(24, 29)], [(0, 5)]]
    head, ed = plain.logits(texts, spans)
    out, ed2 = read.logits(texts, spans)
    again, _ = read.logits(texts, spans, readout=False)
    for h, o, a in zip(head, out, again, strict=True):
        np.testing.assert_allclose(o, h[:, ::-1] + np.array([0.0, 0.5, 0.0]), atol=1e-4)
        np.testing.assert_allclose(a, h, atol=1e-6)
    np.testing.assert_allclose(ed2, ed, atol=1e-6)
    rows = read.predict_stance([{"text": texts[0], "start": 24, "end": 29}])
    want = read.config.calibrated("stance", out[0])[0]
    assert rows[0]["label"] == read.config.stance_labels[int(np.argmax(want))]
    doc = read.analyze(texts[0])
    smith = [st for s in doc.sentences for st in s.stances if st.actor.endswith("Smith")]
    assert smith and smith[0].label == rows[0]["label"]
    assert read.identity()["model"]["config_sha256"] != plain.identity()["model"]["config_sha256"]


def test_a_convention_learnt_apart_keeps_the_heads_logits(tiny_model_path, tmp_path):
    """Rows asking for another convention skip the read-out; default rows in the same batch take it."""
    import torch

    from stancekit.modeling.checkpoint import build_network, load_model
    from stancekit.modeling.inputs import collate

    network, tokenizer, cfg = load_model(tiny_model_path)
    cfg.conventions = ["newsmtsc"]
    width = 3 * network.encoder.config.hidden_size
    cfg.stance_readout = {"format": FORMAT, "weights": [[0.0] * (width + 3)] * 3, "bias": [0.0, 9.0, 0.0]}
    conv_net = build_network(cfg, network.encoder).eval()
    state = {k: v for k, v in network.state_dict().items()}
    conv_net.load_state_dict(state, strict=False)
    from stancekit.modeling.inference import Predictor

    pred = Predictor(conv_net, tokenizer, cfg)
    items = pred.encode(["Smith will visit Ohio."], [[(0, 5)]]) + pred.with_convention("newsmtsc").encode(
        ["Smith will visit Ohio."], [[(0, 5)]]
    )
    batch = collate(items, pred.encoder.pad_id)
    with torch.inference_mode():
        st, _ = conv_net(batch)
        head, _ = conv_net(batch, readout=False)
    np.testing.assert_allclose(st[0].numpy(), [0.0, 9.0, 0.0], atol=1e-5)
    np.testing.assert_allclose(st[1].numpy(), head[1].numpy(), atol=1e-6)


def test_fit_readout_writes_the_readout_into_the_folder(tiny_model_path, tmp_path, shared_data):
    """`stancekit fit-readout` on a small labels file: the folder's config (read-out and the default's refitted
    temperature), metrics and train.yaml record it, and the folder loads and analyzes with it."""
    import stancekit
    from stancekit.data.articlestance import LABELS_FILE
    from stancekit.modeling.checkpoint import read_config
    from stancekit.training.config import TrainConfig
    from stancekit.training.readout import fit_readout

    records = [json.loads(line) for line in LABELS_FILE.read_text("utf-8").splitlines()]
    keep = [r for r in records if r["split"] == "train"][:60] + [r for r in records if r["split"] == "dev"][:20]
    labels = tmp_path / "labels.jsonl"
    labels.write_text("".join(json.dumps(r) + "\n" for r in keep), "utf-8")
    folder = tmp_path / "model"
    shutil.copytree(tiny_model_path, folder)
    metrics = fit_readout(folder, str(shared_data), labels=labels)
    assert metrics["train_pairs"] >= 60 and metrics["dev_pairs"] >= 20 and len(metrics["sweep"]) == 48
    assert max(metrics["sweep"].values()) == metrics["dev_macro_f1_readout"]
    cfg = read_config(folder)
    assert cfg.stance_readout["fitted_on"] == {"train": "articlestance-train", "chosen_on": "articlestance-dev"}
    assert cfg.temperatures["stance"] == pytest.approx(metrics["stance_temperature"], abs=1e-4)
    assert json.loads((folder / "training_metrics.json").read_text("utf-8"))["stance_readout"] == metrics
    assert TrainConfig.from_yaml(folder / "train.yaml").stance_readout is True
    assert "stance" not in cfg.biases  # the read-out has its own bias
    an = stancekit.load(str(folder))
    assert an.config.stance_readout == cfg.stance_readout
    doc = an.analyze('"Smith has failed us," Jones said.')
    assert [len(s.stances) for s in doc.sentences] == [2]
    text, spans = ['"Smith has failed us," Jones said.'], [[(1, 6), (23, 28)]]
    own, head = an.logits(text, spans)[0][0], an.logits(text, spans, readout=False)[0][0]
    np.testing.assert_allclose(
        own, apply_arrays(cfg.stance_readout, an.logits(text, spans, features=True)[2][0], head), atol=1e-4
    )
    assert not np.allclose(own, head)
    # a second fit reads the head, not the first read-out: the same entry again
    assert fit_readout(folder, str(shared_data), labels=labels) == metrics
    assert read_config(folder).stance_readout == cfg.stance_readout

    # recalibrating the folder leaves the default convention's stance calibration to the read-out
    from stancekit.training.trainer import recalibrate

    yaml_path = folder / "train.yaml"
    yaml_path.write_text(
        TrainConfig(**{**TrainConfig.from_yaml(yaml_path).__dict__, "dev_sets": ["articlestance-dev"]}).to_yaml()
    )
    refit = recalibrate(folder, data_dir=str(shared_data), mode="temperature+bias")
    after = read_config(folder)
    assert "stance" not in refit["calibration"] and "stance" not in after.biases
    assert after.temperatures["stance"] == pytest.approx(metrics["stance_temperature"], abs=1e-4)


def test_a_teachers_readout_is_not_a_distillation_target(tiny_model_path, tmp_path):
    """teacher_logits reads a teacher's stance head, not the read-out fitted after its training: a config naming
    a teacher reproduces its folder whether or not the teacher has since been given a read-out."""
    import stancekit
    from stancekit.data.examples import build_examples
    from stancekit.training.distill import teacher_logits

    folder = _with_readout(tiny_model_path, tmp_path, lambda width: [[0.0] * (width + 3)] * 3, [5.0, 0.0, 0.0])
    plain = stancekit.load(str(tiny_model_path), precision="float32")
    rows = [{"text": "Critics accused Senator Smith of lying to voters.", "start": 24, "end": 29, "label": "negative",
             "source": "checkthat-train"}]  # fmt: skip
    examples = build_examples({"stance": rows}, plain.config.marking, find_mentions=plain.find_mentions)
    st, _ = teacher_logits(str(folder), examples)
    head, _ = plain.logits([e.text for e in examples], [e.spans for e in examples])
    np.testing.assert_allclose(st[0], head[0], atol=1e-5)
    read, _ = stancekit.load(str(folder), precision="float32").logits([examples[0].text], [examples[0].spans])
    assert np.allclose(read[0][:, 0], 5.0)  # the folder itself does use its read-out


def test_a_readout_of_another_width_is_refused_at_load(tiny_model_path, tmp_path):
    """A read-out fitted on another model: a ConfigError naming the folder's config and the field, at load()."""
    import stancekit

    folder = _with_readout(tiny_model_path, tmp_path, lambda width: [[0.0] * 100] * 3, [0.0, 0.0, 0.0])
    with pytest.raises(ConfigError, match=r"stancekit_config\.json: field 'stance_readout\.weights' has rows of 100"):
        stancekit.load(str(folder))


def test_training_with_a_readout_reports_what_the_folder_computes(tmp_path, shared_data, monkeypatch):
    """``stance_readout: true``: after the read-out is written, the run's dev table is the folder's (read-out on),
    not the head's. The fit itself is stood in for by one that calls every pair neutral (the real fit is tested
    above), so the table's change is plain to see."""
    from conftest import write_tiny_data

    from stancekit.modeling.checkpoint import read_config, write_config
    from stancekit.training import readout
    from stancekit.training.config import TrainConfig
    from stancekit.training.trainer import Trainer

    def all_neutral(folder, data_dir=None, labels=None):
        cfg = read_config(folder)
        width = json.loads((folder / "config.json").read_text("utf-8"))["hidden_size"] * 3 + 3
        cfg.stance_readout = {"format": FORMAT, "weights": [[0.0] * width] * 3, "bias": [0.0, 9.0, 0.0]}
        write_config(cfg, folder)
        return {"dev_macro_f1_head": 0.0, "dev_macro_f1_readout": 0.0}

    monkeypatch.setattr(readout, "fit_readout", all_neutral)
    stance, editorial = write_tiny_data(tmp_path)
    cfg = TrainConfig(name="tiny", output_dir=str(tmp_path / "model"), train_sets=[], dev_sets=["articlestance-dev"],
                      report_sets=[], stance_files=[str(stance)], editorial_files=[str(editorial)], epochs=1,
                      batch_size=4, evals_per_epoch=1, patience=100, progress=False, calibrate=False,
                      stance_readout=True, data_dir=str(shared_data))  # fmt: skip
    metrics = Trainer(cfg).run()
    dev = metrics["dev"]["articlestance-dev"]
    recorded = json.loads((tmp_path / "model" / "training_metrics.json").read_text("utf-8"))
    assert recorded["dev"]["articlestance-dev"]["macro_f1"] == dev["macro_f1"]
    neutral_share = sum(r["label"] == "neutral" for r in _dev_rows(shared_data)) / len(_dev_rows(shared_data))
    assert dev["accuracy"] == pytest.approx(neutral_share, abs=1e-6)


def _dev_rows(data_dir):
    from stancekit.data.articlestance import stance_rows

    return stance_rows("dev", data_dir)
