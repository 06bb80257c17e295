"""Classification metrics: macro-F1 (the headline), per class P/R/F1, confusion, ECE, bootstrap CI."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from stancekit.modeling.calibration import expected_calibration_error


def classification_report(
    y_true: Sequence[int],
    y_pred: Sequence[int],
    labels: Sequence[str],
    probs: np.ndarray | None = None,
    n_boot: int = 1000,
    seed: int = 0,
) -> dict:
    """All metrics for one dataset; computed by hand (checked against scikit-learn in tests)."""
    yt = np.asarray(y_true, dtype=int)
    yp = np.asarray(y_pred, dtype=int)
    k = len(labels)
    conf = np.zeros((k, k), dtype=int)
    np.add.at(conf, (yt, yp), 1)
    per_class = {}
    for i, lab in enumerate(labels):
        tp = conf[i, i]
        p = tp / conf[:, i].sum() if conf[:, i].sum() else 0.0
        r = tp / conf[i, :].sum() if conf[i, :].sum() else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        per_class[lab] = {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(conf[i, :].sum())}
    report = {
        "n": int(len(yt)),
        "macro_f1": macro_f1(yt, yp, k),
        "accuracy": float((yt == yp).mean()) if len(yt) else 0.0,
        "per_class": per_class,
        "confusion": conf.tolist(),
        "labels": list(labels),
    }
    lo, hi = bootstrap_ci(yt, yp, k, n_boot=n_boot, seed=seed)
    report["macro_f1_ci95"] = [lo, hi]
    if probs is not None:
        report["ece"] = expected_calibration_error(probs, yt)
    return report


def macro_f1(y_true: np.ndarray, y_pred: np.ndarray, n_labels: int) -> float:
    """Macro-F1 over all ``n_labels`` classes (a class absent from both counts as F1 0)."""
    if len(y_true) == 0:
        return 0.0
    conf = np.zeros((n_labels, n_labels), dtype=np.int64)
    np.add.at(conf, (y_true, y_pred), 1)
    tp = np.diag(conf).astype(float)
    pred = conf.sum(0).astype(float)
    true = conf.sum(1).astype(float)
    denom = pred + true
    f1 = np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)
    return float(f1.mean())


def bootstrap_ci(
    y_true: np.ndarray, y_pred: np.ndarray, n_labels: int, n_boot: int = 1000, seed: int = 0
) -> tuple[float, float]:
    """Percentile bootstrap 95% interval of macro-F1 (resampling examples)."""
    if len(y_true) == 0 or n_boot <= 0:
        return (0.0, 0.0)
    rng = np.random.default_rng(seed)
    n = len(y_true)
    scores = [macro_f1(y_true[idx], y_pred[idx], n_labels) for idx in (rng.integers(0, n, n) for _ in range(n_boot))]
    return float(np.percentile(scores, 2.5)), float(np.percentile(scores, 97.5))
