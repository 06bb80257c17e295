"""Fit a model folder's article read-out (:mod:`stancekit.modeling.stance_readout`) and write it into the folder.

Run after training (``stance_readout: true`` in train.yaml does it at the end of ``stancekit train``) or on a
finished folder: ``stancekit fit-readout MODEL``. Needs the article-stance train and dev splits.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)


def fit_readout(folder: str | Path, data_dir: str | None = None, labels: str | Path | None = None) -> dict:
    """Fit the read-out on the folder's own model in float32 (the head's logits, any earlier read-out ignored),
    refit the default convention's stance temperature on the read-out's dev logits, store both in
    stancekit_config.json and record the metrics in training_metrics.json (``stance_readout``); train.yaml says
    ``stance_readout: true`` afterwards, so rerunning the folder's config reproduces the folder. ``labels``:
    another articlestance labels file (tests). Returns the metrics."""
    import stancekit
    from stancekit.modeling.calibration import fit_temperature
    from stancekit.modeling.checkpoint import read_config, write_config
    from stancekit.modeling.stance_readout import fit_stance_readout

    folder = Path(folder)
    analyzer = stancekit.load(str(folder), precision="float32")
    entry, metrics, (dev_logits, dev_labels) = fit_stance_readout(analyzer, data_dir, labels=labels)
    cfg = read_config(folder)
    cfg.stance_readout = entry
    # the head's calibration no longer applies to the default convention's logits: the read-out's own temperature
    # (a positive scale: no label changes), and no class bias (the read-out has its own)
    cfg.temperatures["stance"] = fit_temperature(dev_logits, dev_labels)
    dropped = cfg.biases.pop("stance", None)
    metrics["stance_temperature"] = round(cfg.temperatures["stance"], 4)
    if dropped is not None:
        metrics["dropped_stance_bias"] = dropped
    log.info(
        "stance read-out: articlestance-dev macro-F1 %s (the head alone %s)",
        metrics["dev_macro_f1_readout"],
        metrics["dev_macro_f1_head"],
    )
    write_config(cfg, folder)
    record(folder, "stance_readout", metrics)
    return metrics


def record(folder: Path, key: str, metrics: dict) -> None:
    """Put a post-training step's metrics in training_metrics.json and switch its flag on in train.yaml."""
    from stancekit.training.config import TrainConfig

    metrics_path = folder / "training_metrics.json"
    recorded = json.loads(metrics_path.read_text("utf-8")) if metrics_path.exists() else {}
    recorded[key] = metrics
    yaml_path = folder / "train.yaml"
    if yaml_path.exists():
        train_cfg = TrainConfig.from_yaml(yaml_path)
        setattr(train_cfg, key, True)
        yaml_path.write_text(train_cfg.to_yaml(), "utf-8")
        if "config" in recorded:
            recorded["config"][key] = True
    metrics_path.write_text(json.dumps(recorded, indent=2) + "\n", "utf-8")
