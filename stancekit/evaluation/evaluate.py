"""The one evaluation path: the trainer's dev and report figures and the harness's accuracy table come from here.

Why one path: a model should have one dev figure per set, whoever measures it; the label mapping of
BABE (``label_bias`` or ``label_opinion``) is an explicit argument, read from the model's ``train.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

from stancekit.data.examples import Example
from stancekit.evaluation.metrics import classification_report, macro_f1
from stancekit.modeling.calibration import reliability_bins, softmax
from stancekit.modeling.inputs import IGNORE


class LogitSource(Protocol):
    """What evaluation needs of a model: a :class:`~stancekit.modeling.inference.Predictor` or an Analyzer."""

    @property
    def config(self): ...

    def logits(self, texts: Sequence[str], spans: Sequence) -> tuple[list[np.ndarray], np.ndarray]: ...


def collect_logits(predictor: LogitSource, examples: Sequence[Example]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{"stance": (logits, labels), "editorial": (logits, labels)} over the labelled parts."""
    stance, editorial = predictor.logits([e.text for e in examples], [e.spans for e in examples])
    st_logits, st_labels, ed_logits, ed_labels = [], [], [], []
    for ex, s, ed in zip(examples, stance, editorial, strict=True):
        for lab, row in zip(ex.stance, s, strict=True):
            if lab != IGNORE:
                st_logits.append(row)
                st_labels.append(lab)
        if ex.editorial != IGNORE:
            ed_logits.append(ed)
            ed_labels.append(ex.editorial)
    n_st, n_ed = len(predictor.config.stance_labels), len(predictor.config.editorial_labels)
    return {
        "stance": (np.asarray(st_logits, dtype=np.float32).reshape(-1, n_st), np.asarray(st_labels, dtype=int)),
        "editorial": (np.asarray(ed_logits, dtype=np.float32).reshape(-1, n_ed), np.asarray(ed_labels, dtype=int)),
    }


def task_of_examples(examples: Sequence[Example]) -> str:
    return "editorial" if any(e.editorial != IGNORE for e in examples) else "stance"


def labelled_logits(
    predictor: LogitSource, sets: Mapping[str, Sequence[Example]], tasks: Mapping[str, str] | None = None
) -> dict[str, tuple[str, np.ndarray, np.ndarray]]:
    """{set name: (task, raw logits, labels)} for the labelled part of each set.

    A set's task is ``tasks[name]`` when given (user files), else the named dataset's task. A named set
    labelled under a convention the model learnt apart (NewsMTSC) is scored under that convention.
    """
    from stancekit.data.sources import task_of

    out = {}
    for name, exs in sets.items():
        task = tasks[name] if tasks and name in tasks else task_of(name)
        conv = convention_for(name, predictor.config)
        source = predictor if conv is None else predictor.with_convention(conv)
        out[name] = (task, *collect_logits(source, exs)[task])
    return out


def dev_scores(collected: Mapping[str, tuple]) -> dict[str, float]:
    """Uncalibrated macro-F1 of each set (the trainer's early-stopping metric)."""
    return {
        name: macro_f1(labels, logits.argmax(-1), logits.shape[1]) if len(labels) else 0.0
        for name, (_, logits, labels) in collected.items()
    }


def reports(
    collected: Mapping[str, tuple],
    model_cfg,
    n_boot: int = 200,
    details: bool = False,
    conventions: Mapping[str, str | None] | None = None,
) -> dict[str, dict]:
    """Classification reports with the model's calibration applied (what the trainer and the harness report).

    A set's logits take the calibration of the convention they were computed under: the set's own (see
    :func:`labelled_logits`) unless ``conventions`` names another for it (None: the default).

    ``details`` adds what the harness tables and plots need: the task, the uncalibrated ECE, the
    reliability bins and the predicted label of each example.
    """
    out = {}
    for name, (task, logits, labels) in collected.items():
        conv = conventions[name] if conventions is not None and name in conventions else convention_for(name, model_cfg)
        probs = model_cfg.calibrated(task, logits, conv)
        names = model_cfg.stance_labels if task == "stance" else model_cfg.editorial_labels
        rep = classification_report(labels, probs.argmax(-1), names, probs, n_boot=n_boot)
        if details:
            rep["ece_uncalibrated"] = classification_report(
                labels, logits.argmax(-1), names, softmax(logits), n_boot=0
            )["ece"]
            rep["task"] = task
            rep["reliability"] = reliability_bins(probs, labels)
            rep["predictions"] = probs.argmax(-1).tolist()
        out[name] = rep
    return out


def convention_for(name: str, model_cfg) -> str | None:
    """The convention a named set is scored under by this model (None: the default)."""
    from stancekit.data.sources import convention_of

    conv = convention_of(name)
    return conv if conv in getattr(model_cfg, "conventions", ()) else None


def babe_labels_of(folder: str | Path) -> str:
    """The BABE column a model folder was trained on (its ``train.yaml``), "bias" when it does not say."""
    import yaml

    path = Path(folder) / "train.yaml"
    if not path.is_file():
        return "bias"
    data = yaml.safe_load(path.read_text("utf-8")) or {}
    return data.get("babe_labels", "bias") if isinstance(data, dict) else "bias"
