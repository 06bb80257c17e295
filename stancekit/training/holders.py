"""Fit a model folder's holder probe (:mod:`stancekit.modeling.holder_probe`) and write it into the folder.

Run after training (``holder_probe: true`` in train.yaml does it at the end of ``stancekit train``) or on a
finished folder: ``stancekit fit-holders MODEL``. Needs the article-stance train and dev splits.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

log = logging.getLogger(__name__)


def fit_holders(folder: str | Path, data_dir: str | None = None, labels: str | Path | None = None) -> dict:
    """Fit the probe on the folder's own model in float32, store it in stancekit_config.json, and record its
    metrics in training_metrics.json (``holder_probe``); train.yaml says ``holder_probe: true`` afterwards, so
    rerunning the folder's config reproduces the folder. ``labels``: another articlestance labels file (tests).
    Returns the metrics."""
    import stancekit
    from stancekit.modeling.checkpoint import read_config, write_config
    from stancekit.modeling.holder_probe import fit_holder_probe
    from stancekit.training.config import TrainConfig

    folder = Path(folder)
    analyzer = stancekit.load(str(folder), precision="float32")
    entry, metrics = fit_holder_probe(analyzer, data_dir, labels=labels)
    log.info(
        "holder probe: dev holder-kind accuracy %s (rules alone %s)",
        metrics["dev_holder_kind_probe"],
        metrics["dev_holder_kind_rules"],
    )
    cfg = read_config(folder)
    cfg.holder_probe = entry
    write_config(cfg, folder)
    metrics_path = folder / "training_metrics.json"
    recorded = json.loads(metrics_path.read_text("utf-8")) if metrics_path.exists() else {}
    recorded["holder_probe"] = metrics
    yaml_path = folder / "train.yaml"
    if yaml_path.exists():
        train_cfg = TrainConfig.from_yaml(yaml_path)
        train_cfg.holder_probe = True
        yaml_path.write_text(train_cfg.to_yaml(), "utf-8")
        if "config" in recorded:
            recorded["config"]["holder_probe"] = True
    metrics_path.write_text(json.dumps(recorded, indent=2) + "\n", "utf-8")
    return metrics
