"""Fit a model folder's holder probe (:mod:`stancekit.modeling.holder_probe`) and write it into the folder.

Run after training (``holder_probe: true`` in train.yaml does it at the end of ``stancekit train``) or on a
finished folder: ``stancekit fit-holders MODEL``. Needs the article-stance train and dev splits.
"""

from __future__ import annotations

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
    from stancekit.training.readout import record

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
    record(folder, "holder_probe", metrics)
    return metrics
