"""One evaluation path: the trainer's dev figures are the harness's for the same model."""

from __future__ import annotations

import json

import pytest

from stancekit.training.config import TrainConfig
from stancekit.training.trainer import train

# our own sentences; BABE's two columns disagree on some of them, so the mapping decides the labels
TOWNS = ["Leeds", "Hull", "Bath", "York", "Derby", "Ely", "Wells", "Ripon"]
BABE_ROWS = [
    (f"The council in {town} {verb} the plan.", bias, opinion)
    for town in TOWNS
    for verb, bias, opinion in [
        ("shamefully rammed through", "Biased", "Expresses writer's opinion"),
        ("approved", "Non-biased", "Entirely factual"),
        ("sensibly backed", "Non-biased", "Somewhat factual but also opinionated"),
        ("recklessly squandered money on", "Biased", "Entirely factual"),
    ]
]
STANCE_ROWS = [
    ("Critics ridiculed Mayor Pike as a fraud.", "Pike", "negative"),
    ("Pike was applauded for the new library.", "Pike", "positive"),
    ("Pike visits Derby on Monday.", "Pike", "neutral"),
    ("Residents praised Ms Adeyemi's calm leadership.", "Adeyemi", "positive"),
    ("Adeyemi was accused of lying by rivals.", "Adeyemi", "negative"),
    ("Adeyemi opens the fair at noon.", "Adeyemi", "neutral"),
]


def _write_data(root):
    rw = root / "newsmtsc" / "paper_splits" / "newsmtsc-rw"
    rw.mkdir(parents=True)
    with (rw / "dev.jsonl").open("w") as fh:
        for text, target, label in STANCE_ROWS:
            fh.write(json.dumps({"text": text, "target": target, "label": label}) + "\n")
    (root / "babe").mkdir()
    lines = ["text;label_bias;label_opinion"] + [";".join(r) for r in BABE_ROWS]
    (root / "babe" / "final_labels_SG2.csv").write_text("\n".join(lines) + "\n", "utf-8")
    stance = root / "stance.jsonl"
    stance.write_text((rw / "dev.jsonl").read_text())
    return stance


@pytest.mark.slow
def test_trainer_and_harness_report_the_same_dev_figures(tmp_path):
    from stancekit.cli import main

    data = tmp_path / "data"
    stance = _write_data(data)
    dev_sets = ["newsmtsc-rw-dev", "babe-dev"]
    metrics = train(
        TrainConfig(
            name="same",
            output_dir=str(tmp_path / "model"),
            data_dir=str(data),
            train_sets=["babe-train"],
            stance_files=[str(stance)],
            dev_sets=dev_sets,
            report_sets=[],
            babe_labels="opinion",
            marking="target",
            epochs=1,
            batch_size=4,
            save_dtype="float32",
            progress=False,
        )
    )
    out = tmp_path / "bench"
    args = ["bench", "--models", f"{tmp_path / 'model'}:fp32", "--datasets", *dev_sets, "--data-dir", str(data)]
    assert main([*args, "--out", str(out), "--no-speed", "--no-baselines", "--no-plots"]) == 0
    result = json.loads((out / "results.json").read_text())
    assert result["babe_labels"] == "opinion"  # the column the model was trained on, stated
    (accuracy,) = [m["accuracy"] for m in result["models"].values()]
    for name in dev_sets:
        trainer_rep, harness_rep = metrics["dev"][name], accuracy[name]
        assert harness_rep["n"] == trainer_rep["n"] > 0
        assert harness_rep["macro_f1"] == pytest.approx(trainer_rep["macro_f1"], abs=1e-12)
        assert harness_rep["accuracy"] == pytest.approx(trainer_rep["accuracy"], abs=1e-12)
        assert harness_rep["ece"] == pytest.approx(trainer_rep["ece"], abs=1e-4)


def _folder(root, name: str, babe_labels: str | None):
    folder = root / name
    folder.mkdir()
    for f in ("config.json", "model.safetensors", "tokenizer.json"):
        (folder / f).write_text("{}")
    if babe_labels:
        (folder / "train.yaml").write_text(f"name: {name}\nbabe_labels: {babe_labels}\n")
    return str(folder)


def test_the_harness_scores_babe_on_the_models_column_and_asks_when_they_differ(tmp_path):
    import argparse

    from stancekit.errors import InputError
    from stancekit.evaluation.harness import add_arguments, resolve_babe_labels

    p = argparse.ArgumentParser()
    add_arguments(p)
    opinion, bias, old = _folder(tmp_path, "a", "opinion"), _folder(tmp_path, "b", "bias"), _folder(tmp_path, "c", None)
    assert resolve_babe_labels(p.parse_args(["--models", opinion, "--out", "x"])) == "opinion"
    assert resolve_babe_labels(p.parse_args(["--models", old, bias, "--out", "x"])) == "bias"  # no train.yaml: bias
    with pytest.raises(InputError, match="--babe-labels"):
        resolve_babe_labels(p.parse_args(["--models", opinion, bias, "--out", "x"]))
    args = p.parse_args(["--models", f"{opinion}:fp32", bias, "--babe-labels", "bias", "--out", "x"])
    assert resolve_babe_labels(args) == "bias"
    with pytest.raises(SystemExit):  # the output folder is an argument: no checkout is assumed
        p.parse_args(["--models", opinion])
