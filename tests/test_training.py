import json

import pytest

import stancekit
from stancekit.errors import ConfigError
from stancekit.training.config import TrainConfig
from stancekit.training.trainer import recalibrate


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


def test_device_is_a_run_option_not_part_of_the_model(tmp_path, monkeypatch):
    """train.yaml never records the device; "auto" takes CUDA only when torch sees it; batches move whole."""
    import torch

    from stancekit.modeling.inputs import collate
    from stancekit.training.trainer import _device

    assert "device" not in TrainConfig(name="x", device="cuda:1").to_yaml()
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert _device("auto").type == "cpu"
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert _device("auto").type == "cuda" and _device("cpu").type == "cpu"

    from stancekit.modeling.inputs import EncodedItem

    item = EncodedItem(input_ids=[1, 5, 2], marker_types=[0, 0, 0], markers=[], mention_ids=[], source=0, weight=1)
    batch = collate([item], pad_id=0, stance_labels=[[]], editorial_labels=[1])
    assert batch.to("cpu") is batch
    moved = batch.to("meta")
    assert moved.input_ids.device.type == "meta" and moved.editorial_labels.device.type == "meta"
    assert moved.input_ids.shape == batch.input_ids.shape


def test_average_states_means_floats_and_keeps_integer_buffers():
    import torch

    from stancekit.training.trainer import average_states

    a = {"w": torch.tensor([1.0, 2.0], dtype=torch.float16), "ids": torch.tensor([0, 1])}
    b = {"w": torch.tensor([3.0, 6.0], dtype=torch.float16), "ids": torch.tensor([0, 1])}
    out = average_states([a, b])
    assert out["w"].dtype == torch.float16 and out["w"].tolist() == [2.0, 4.0]
    assert out["ids"] is b["ids"]
    with pytest.raises(ConfigError, match="average_last"):
        TrainConfig(name="x", average_last=1)
    with pytest.raises(ConfigError, match="soup"):
        TrainConfig(name="x", soup=0)


def test_a_kept_checkpoint_average_becomes_the_runs_state(monkeypatch):
    """A soup averages its runs' ``state``s: when a run kept its checkpoint average, that must be the average."""
    import torch

    from stancekit.training import trainer

    net = torch.nn.Linear(2, 1, bias=False)
    s1, s2 = {"weight": torch.tensor([[1.0, 3.0]])}, {"weight": torch.tensor([[3.0, 5.0]])}
    best = {"score": 0.5, "step": 2, "state": s2, "dev_logits": {}}
    for dev_mean, kept_weight in ((0.4, [[3.0, 5.0]]), (0.6, [[2.0, 4.0]])):
        monkeypatch.setattr(trainer, "_evaluate", lambda predictor, dev_ex, m=dev_mean: ({}, {}, m))
        record = trainer._try_average(net, [(1, s1), (2, s2)], None, {}, best)
        assert record["kept"] == (dev_mean > 0.5)
        assert best["state"]["weight"].tolist() == kept_weight
        assert net.weight.tolist() == kept_weight


def test_committed_configs_parse():
    from pathlib import Path

    for path in Path(__file__).parents[1].glob("models/*/train.yaml"):
        cfg = TrainConfig.from_yaml(path)
        assert cfg.name == path.parent.name


def test_tiny_model_folder_is_self_describing(tiny_model_path):
    cfg = json.loads((tiny_model_path / "stancekit_config.json").read_text())
    assert cfg["format"] == "stancekit-model" and cfg["weights"] == "full"
    assert cfg["stance_labels"] == ["negative", "neutral", "positive"]
    assert cfg["editorial_labels"] == ["reporting", "editorial"]
    assert "encoder_config" not in cfg  # the encoder's config is config.json, as transformers writes it
    encoder = json.loads((tiny_model_path / "config.json").read_text())
    assert encoder["model_type"] == "bert" and "format" not in encoder and "auto_map" not in encoder
    assert (tiny_model_path / "model.safetensors").stat().st_size > 1_000_000
    assert not list(tiny_model_path.glob("*.bin")) and not list(tiny_model_path.glob("*.pkl"))
    assert (tiny_model_path / "train.yaml").exists()


def _short_real_run(name: str, out, shared_data, **overrides) -> TrainConfig:
    """A few steps on 48 real rows per set, per-pair form: cheap enough for CI, real enough to mean something."""
    return TrainConfig(
        **{
            "name": name,
            "output_dir": str(out),
            "data_dir": str(shared_data),
            "marking": "target",
            "epochs": 1,
            "batch_size": 16,
            "max_examples_per_set": 48,
            "evals_per_epoch": 2,
            "progress": False,
            "train_sets": ["newsmtsc-train", "checkthat-train"],
            "dev_sets": ["newsmtsc-rw-dev", "checkthat-dev"],
            "report_sets": ["checkthat-dev-test"],
            **overrides,
        }
    )


@pytest.mark.slow
def test_train_on_shared_data_per_pair_form_with_calibration(shared_data, tmp_path):
    """A short run on real data in the per-pair form: saves, reloads, predicts, calibrates."""
    out = tmp_path / "pp"
    metrics = stancekit.train(_short_real_run("pp", out, shared_data, average_last=2))
    assert set(metrics["dev"]) == {"newsmtsc-rw-dev", "checkthat-dev"}
    assert set(metrics["report"]) == {"checkthat-dev-test"}
    assert metrics["device"] in {"cpu", "cuda"}  # where it trained is recorded
    averaged = metrics["averaged"]  # the mean of the last two evaluated states, kept only if it wins on dev
    assert averaged["steps"] == [h["step"] for h in metrics["history"]][-2:]
    assert averaged["kept"] == (averaged["mean"] > averaged["best_single_mean"])
    assert set(averaged["dev_macro_f1"]) == {"newsmtsc-rw-dev", "checkthat-dev"}
    for task in ("stance", "editorial"):
        c = metrics["calibration"][task]
        assert c["temperature"] > 0 and c["n"] == 48
    cfg = json.loads((out / "stancekit_config.json").read_text())
    assert cfg["marking"] == "target"
    assert cfg["temperatures"]["stance"] == pytest.approx(metrics["calibration"]["stance"]["temperature"])
    an = stancekit.load(str(out))
    doc = an.analyze("Critics accused Senator Smith of lying. Smith met Jones in Ohio.")
    assert sum(len(s.stances) for s in doc.sentences) >= 2

    # refitting the calibration in another mode rewrites the folder's config, train.yaml and metrics alike;
    # the data folder given for the refit is this machine's, and stays out of the folder's train.yaml
    link = tmp_path / "data-here"
    link.symlink_to(shared_data, target_is_directory=True)
    refit = recalibrate(out, data_dir=str(link), mode="temperature")
    assert TrainConfig.from_yaml(out / "train.yaml").data_dir == str(shared_data)
    assert all(refit["calibration"][task]["bias"] is None for task in ("stance", "editorial"))
    assert json.loads((out / "stancekit_config.json").read_text())["biases"] == {}
    assert TrainConfig.from_yaml(out / "train.yaml").calibration == "temperature"
    assert json.loads((out / "training_metrics.json").read_text())["config"]["calibration"] == "temperature"


@pytest.mark.slow
def test_soup_trains_ingredients_from_one_start_and_keeps_the_average_only_if_it_wins(shared_data, tmp_path):
    """soup: 2 = two runs from the same initial weights; the first is the plain run of the same seed."""
    # temperature-only calibration keeps every argmax, so dev reports equal the selection scores
    small = dict(report_sets=[], calibration="temperature", device="cpu")
    plain = stancekit.train(_short_real_run("plain", tmp_path / "plain", shared_data, **small))
    metrics = stancekit.train(_short_real_run("soup", tmp_path / "soup", shared_data, soup=2, **small))
    first, second = metrics["history"]
    assert [h["dev_macro_f1"] for h in first] == [h["dev_macro_f1"] for h in plain["history"]]
    assert [h["dev_macro_f1"] for h in second] != [h["dev_macro_f1"] for h in first]  # another draw
    soup = metrics["soup"]
    assert [i["mean"] for i in soup["ingredients"]] == [max(h["mean"] for h in run) for run in (first, second)]
    assert soup["best_single_mean"] == max(i["mean"] for i in soup["ingredients"])
    assert soup["kept"] == (soup["mean"] > soup["best_single_mean"])
    if soup["kept"]:
        kept_scores = soup["dev_macro_f1"]
    else:
        run = max((first, second), key=lambda r: max(h["mean"] for h in r))
        kept_scores = max(run, key=lambda h: h["mean"])["dev_macro_f1"]
    assert {k: v["macro_f1"] for k, v in metrics["dev"].items()} == pytest.approx(kept_scores)
    assert TrainConfig.from_yaml(tmp_path / "soup" / "train.yaml").soup == 2
    stancekit.load(str(tmp_path / "soup")).predict_editorial(["The plan is a disgrace."])


@pytest.mark.slow
def test_benchmark_harness_quick_mode(shared_data, tiny_model_path, tmp_path):
    """The harness end to end in --quick mode, so it never rots (numbers are not asserted)."""
    from stancekit.cli import main

    out = tmp_path / "bench"
    rc = main(
        [
            "bench",
            "--models",
            str(tiny_model_path),
            "--quick",
            "--out",
            str(out),
            "--data-dir",
            str(shared_data),
            "--stance-file",
            str(shared_data / "newsmtsc" / "paper_splits" / "newsmtsc-rw" / "dev.jsonl"),
            "--editorial-file",
            str(shared_data / "checkthat2025_subjectivity_en" / "dev_test_en.tsv"),
            "--datasets",
            "newsmtsc-rw-dev",
            "checkthat-dev",
        ]
    )
    assert rc == 0
    result = json.loads((out / "results-quick.json").read_text())
    model = next(iter(result["models"].values()))
    assert set(model["accuracy"]) == {"newsmtsc-rw-dev", "checkthat-dev", "dev.jsonl", "dev_test_en.tsv"}
    speed = model["speed"]
    assert speed["input_sentences"] >= 200 and speed["speedup_vs_naive"] > 0
    # analyze() re-segments the articles: about as many sentences come back as went in
    assert 0.8 * speed["input_sentences"] <= speed["analyze"]["sentences"] <= 1.2 * speed["input_sentences"]
    assert speed["analyze"]["characters_per_s"] > 0
    majority = result["baselines"]["majority class"]["newsmtsc-rw-dev"]["macro_f1"]
    tfidf = result["baselines"]["TF-IDF + logistic regression"]["newsmtsc-rw-dev"]["macro_f1"]
    assert majority < 0.3 and tfidf > majority
    assert (out / "results-quick.md").read_text().startswith("# stancekit benchmark")
    assert (out / "macro_f1-quick.png").exists() and (out / "reliability-quick.png").exists()

    # the model card is written from that result: measured scores, the BABE column it was trained on
    import shutil

    from stancekit.modeling.card import write_card

    folder = shutil.copytree(tiny_model_path, tmp_path / "card")
    card = write_card(folder, result, next(iter(result["models"]))).read_text()
    assert card.startswith("---\nlanguage: en") and "model-index:" in card
    f1 = model["accuracy"]["newsmtsc-rw-dev"]["macro_f1"]
    assert f"value: {f1:.4f}" in card and f"| {f1:.3f} [" in card
    assert "`label_bias`" in card and "non-commercial" in card
    assert "| NewsMTSC" not in card  # trained on its own files only: the data table says so
    assert "a labelled file of the trainer's own" in card

    # a model continued on the project's own data: the card names that data, its provenance and licenses
    import yaml

    cfg = yaml.safe_load((folder / "train.yaml").read_text())
    cfg.update(
        train_sets=["newsmtsc-train", "articlestance-train"],
        dev_sets=["newsmtsc-rw-dev", "articlestance-dev"],
        init_from="news-small",
        sentences_per_set={"newsmtsc-train": 100},
        interpolate_init=0.4,
    )
    (folder / "train.yaml").write_text(yaml.safe_dump(cfg))
    card = write_card(folder, result, next(iter(result["models"]))).read_text()
    assert "datasets: [fhamborg/news_sentiment_newsmtsc, stancekit-articlestance]" in card
    assert "docs/annotation/articlestance.md" in card and "AI model sessions" in card
    assert "type: newsmtsc-rw-dev, split: dev}" in card
    assert "| CheckThat! 2025" not in card
    assert "mean macro-F1 of `newsmtsc-rw-dev`, `articlestance-dev`" in card
    assert "Continued from the trained model `news-small`" in card
    assert "a = 0.4 (WiSE-FT)" in card
    assert "## Stance holders" not in card  # no holder probe in this folder

    # a folder with a holder probe: the card shows holder accuracy with the probe beside the rules alone
    from stancekit.modeling.holder_probe import FORMAT, RULE_FEATURES

    cfg_path = folder / "stancekit_config.json"
    own = json.loads(cfg_path.read_text())
    own["holder_probe"] = {"format": FORMAT, "rule_features": list(RULE_FEATURES), "weights": [0.0],
                           "rule_weights": [0.0] * len(RULE_FEATURES), "bias": 0.0, "components": 64, "C": 0.1,
                           "fitted_on": {"train": "articlestance-train", "chosen_on": "articlestance-dev"}}  # fmt: skip
    cfg_path.write_text(json.dumps(own))

    def held(kind, name):
        return {"articlestance-test": {"pairs": 10, "sentences": 8, "source_pairs": 4, "holder_kind_accuracy": kind,
                "source_name_accuracy": name, "baseline_always_author": {"holder_kind_accuracy": 0.6}}}  # fmt: skip

    key = next(iter(result["models"]))
    probed = {**result, "holders": held(0.8, 0.5), "models": {key: {**model, "holders": held(0.9, 0.75)}}}
    card = write_card(folder, probed, key).read_text()
    assert "## Stance holders" in card and "64 principal components and C = 0.1 chosen on `articlestance-dev`" in card
    assert "| articlestance-test | 10 | 0.800 | 0.900 | 0.600 | 0.500 | 0.750 |" in card

    # a folder with an article read-out: the card says how it was fitted and what it gave on dev, and the
    # training run's stance calibration (which the read-out's own temperature replaced) is not shown
    from stancekit.modeling.stance_readout import FORMAT as READOUT

    hidden = json.loads((folder / "config.json").read_text())["hidden_size"]
    own["stance_readout"] = {"format": READOUT, "weights": [[0.0] * (3 * hidden + 3)] * 3, "bias": [0.0] * 3,
                             "components": 16, "C": 0.1, "balance": 0.25,
                             "fitted_on": {"train": "articlestance-train", "chosen_on": "articlestance-dev"}}  # fmt: skip
    own["temperatures"]["stance"] = 1.25
    cfg_path.write_text(json.dumps(own))
    metrics_path = folder / "training_metrics.json"
    metrics = json.loads(metrics_path.read_text())
    metrics["stance_readout"] = {"dev_macro_f1_head": 0.6, "dev_macro_f1_readout": 0.7}
    metrics["calibration"]["stance"] = {"temperature": 3.0, "ece_before": 0.2, "ece_after": 0.1, "n": 9}
    metrics_path.write_text(json.dumps(metrics))
    card = write_card(folder, probed, key).read_text()
    assert "Article read-out (`stancekit.modeling.stance_readout`)" in card
    assert "16 principal components and C = 0.1 chosen on `articlestance-dev` (class balance 0.25" in card
    assert "articlestance-dev macro-F1 0.600 (the head) -> 0.700 (the best candidate on that split" in card
    assert "stance temperature 1.250, fitted on the read-out's dev logits" in card
    assert "- stance: temperature 3.000" not in card


def test_lora_model_saves_small_and_reloads_identically(tmp_path):
    """The LoRA folder form (used by news-base): adapters + heads only, base resolved offline."""
    import numpy as np

    from stancekit.modeling.checkpoint import load_model
    from stancekit.modeling.inference import Predictor
    from tests.conftest import write_tiny_data

    stance, editorial = write_tiny_data(tmp_path)
    out = tmp_path / "lora"
    stancekit.train(
        TrainConfig(
            name="lora",
            output_dir=str(out),
            train_sets=[],
            dev_sets=[],
            report_sets=[],
            stance_files=[str(stance)],
            editorial_files=[str(editorial)],
            weights="lora",
            lora={"r": 4, "alpha": 8},
            epochs=1,
            batch_size=8,
            progress=False,
            calibrate=False,
            marking="target",
        )
    )
    assert (out / "model.safetensors").stat().st_size < 10_000_000  # no full encoder inside
    network, tok, cfg = load_model(out)
    assert cfg.weights == "lora" and not any("lora_" in n for n, _ in network.named_parameters())
    an = stancekit.load(str(out), precision="float32")  # the Predictor below computes in float32
    texts, spans = ["Critics accused Smith of lying."], [[(16, 21)]]
    a = an.logits(texts, spans)
    b = Predictor(network, tok, cfg).logits(texts, spans)
    assert np.allclose(a[0][0], b[0][0], atol=1e-5) and np.allclose(a[1], b[1], atol=1e-5)


def test_soft_loss_is_zero_for_the_teachers_own_logits_and_grows_with_disagreement():
    import torch

    from stancekit.training.distill import soft_loss

    teacher = torch.tensor([[2.0, 0.0, -1.0], [0.0, 3.0, 0.0]])
    assert soft_loss(teacher.clone(), teacher, 2.0).item() == pytest.approx(0.0, abs=1e-6)
    near = soft_loss(teacher + torch.tensor([0.0, 0.5, 0.0]), teacher, 2.0).item()
    far = soft_loss(teacher.flip(-1), teacher, 2.0).item()
    assert 0 < near < far
    assert soft_loss(torch.zeros((0, 3)), torch.zeros((0, 3)), 2.0).item() == 0.0


def test_distillation_trains_on_every_input_with_teacher_targets(tiny_model_path, tmp_path, caplog):
    """A student taught by the tiny model: unlabelled inputs are kept, the folder loads and predicts."""
    import logging

    from conftest import write_tiny_data

    stance, editorial = write_tiny_data(tmp_path)
    student = tmp_path / "student"
    with caplog.at_level(logging.INFO, logger="stancekit.training"):
        metrics = stancekit.train(
            TrainConfig(
                name="student",
                output_dir=str(student),
                train_sets=[],
                dev_sets=[],
                report_sets=[],
                stance_files=[str(stance)],
                editorial_files=[str(editorial)],
                epochs=1,
                batch_size=4,
                progress=False,
                calibrate=False,
                teacher=str(tiny_model_path),
                distill_weight=2.0,
            )
        )
    assert any("teacher" in r.getMessage() for r in caplog.records)
    assert metrics["config"]["teacher"] == str(tiny_model_path)
    assert "teacher:" in (student / "train.yaml").read_text()
    doc = stancekit.load(str(student)).analyze("Senator Smith praised the plan. Critics called Smith a liar.")
    assert len(doc.sentences) == 2
    with pytest.raises(ConfigError, match="distill_temperature"):
        TrainConfig(name="x", distill_temperature=0)


def test_inference_batches_never_mix_padded_widths():
    from stancekit.modeling.inputs import bucket_width, length_batches, width_buckets

    lengths = [3, 17, 9, 8, 16, 40, 1, 24, 25, 9, 9, 70, 33, 200]
    buckets = (32, 64, 128, 256)
    batches = length_batches(lengths, batch_size=4, buckets=buckets)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))  # each input once
    for b in batches:
        assert len(b) <= 4
        assert len({bucket_width(lengths[i], buckets) for i in b}) == 1
    assert [len(b) for b in batches] == [4, 4, 2, 2, 1, 1]  # 10 inputs fit 32 tokens, 2 fit 64
    widths = [bucket_width(n, buckets) for n in (1, 32, 33, 64, 65, 129, 256)]
    assert widths == [32, 32, 64, 64, 128, 256, 256]
    assert bucket_width(300, buckets) == 304  # past the widest bucket: rounded up to 8
    assert width_buckets(128, buckets) == (32, 64, 128) and width_buckets(512, buckets) == (32, 64, 128, 256, 512)
    # the default buckets: every input gets the first that holds it, batches still one width each
    assert [bucket_width(n) for n in (1, 16, 17, 25, 33, 49, 97, 129, 193)] == [16, 16, 24, 32, 48, 64, 128, 192, 256]
    assert all(len({bucket_width(lengths[i]) for i in b}) == 1 for b in length_batches(lengths, batch_size=4))


def _tiny_run(tmp_path, **extra) -> dict:
    """TrainConfig fields of a one-epoch CPU run on the tiny labelled files (no named sets, no calibration)."""
    from tests.conftest import write_tiny_data

    stance, editorial = write_tiny_data(tmp_path)
    return {
        "train_sets": [],
        "dev_sets": [],
        "report_sets": [],
        "stance_files": [str(stance)],
        "editorial_files": [str(editorial)],
        "epochs": 1,
        "batch_size": 8,
        "progress": False,
        "calibrate": False,
        "device": "cpu",
        **extra,
    }


def test_init_from_starts_the_run_from_a_trained_model_and_refuses_a_mismatch(tiny_model_path, tmp_path):
    """Continuing a trained model: with a zero learning rate the run writes back the weights it started from."""
    import torch
    from safetensors.torch import load_file

    common = _tiny_run(tmp_path)
    out = tmp_path / "continued"
    stancekit.train(
        TrainConfig(
            name="continued",
            output_dir=str(out),
            init_from=str(tiny_model_path),
            learning_rate=0.0,
            head_learning_rate=0.0,
            **common,
        )
    )
    before, after = load_file(str(tiny_model_path / "model.safetensors")), load_file(str(out / "model.safetensors"))
    assert before.keys() == after.keys()
    assert all(torch.equal(before[k], after[k]) for k in before)

    with pytest.raises(ConfigError, match="marking"):
        stancekit.train(
            TrainConfig(
                name="x", output_dir=str(tmp_path / "x"), init_from=str(tiny_model_path), marking="target", **common
            )
        )


def test_interpolate_init_writes_the_mix_of_the_start_and_the_trained_weights(tiny_model_path, tmp_path):
    """WiSE-FT: the same run with interpolate_init writes (1 - a) * start + a * its trained weights."""
    import torch
    from safetensors.torch import load_file

    common = _tiny_run(tmp_path, learning_rate=1e-3, save_dtype="float32", init_from=str(tiny_model_path))
    plain, mixed = tmp_path / "plain", tmp_path / "mixed"
    stancekit.train(TrainConfig(name="plain", output_dir=str(plain), **common))
    metrics = stancekit.train(TrainConfig(name="mixed", output_dir=str(mixed), interpolate_init=0.25, **common))
    assert metrics["interpolated"]["alpha"] == 0.25
    start = load_file(str(tiny_model_path / "model.safetensors"))
    trained, written = load_file(str(plain / "model.safetensors")), load_file(str(mixed / "model.safetensors"))
    moved = [k for k in trained if not torch.allclose(trained[k].float(), start[k].float())]
    assert moved  # the run did change weights, so the mix is not trivially the start
    for k in moved:
        want = 0.75 * start[k].float() + 0.25 * trained[k].float()
        assert torch.allclose(written[k].float(), want, atol=1e-3), k

    with pytest.raises(ConfigError, match="interpolate_init"):
        TrainConfig(name="x", interpolate_init=0.5)  # nothing to mix toward
    with pytest.raises(ConfigError, match="interpolate_init"):
        TrainConfig(name="x", init_from="m", interpolate_init=1.5)


def test_sentences_per_set_draws_whole_sentences_and_repeats_beyond_the_set():
    import random

    from stancekit.training.trainer import draw_sentences

    rows = [
        {"text": "A met B.", "group": "s1", "start": 0, "end": 1, "label": "neutral"},
        {"text": "A met B.", "group": "s1", "start": 6, "end": 7, "label": "neutral"},
        {"text": "C won.", "group": "s2", "start": 0, "end": 1, "label": "positive"},
        {"text": "D lost.", "group": "s3", "start": 0, "end": 1, "label": "negative"},
    ]
    two = draw_sentences(rows, 2, random.Random(0))
    keys = [(r["group"], r["text"]) for r in two]
    assert len(set(keys)) == 2
    # a drawn sentence keeps all its labelled targets
    assert keys.count(("s1", "A met B.")) in (0, 2)
    # 7 sentences of a 3-sentence set: two whole copies and one drawn sentence, copies kept apart
    seven = draw_sentences(rows, 7, random.Random(0))
    assert len({(r["group"], r["text"]) for r in seven}) == 7
    assert sorted(r["group"].split("#")[0] for r in seven if r["start"] == 0).count("s2") >= 2
