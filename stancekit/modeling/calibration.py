"""Temperature (and bias) scaling, and expected calibration error.

Why: users read a 0.44 versus a 0.41 as meaningful. One temperature per head, fitted on dev
logits by minimising negative log-likelihood, makes the scores honest without changing any
label (the argmax is invariant to a positive temperature). A per-class bias fitted the same
way (``fit_scaling``) also corrects a label prior learned from the training mix that the dev
sets do not share (the editorial head learns BABE's 50% "biased" rate, say); that one can move
labels, and is fitted on dev only.
"""

from __future__ import annotations

import numpy as np
import torch


def fit_temperature(logits: np.ndarray, labels: np.ndarray, max_iter: int = 200) -> float:
    """The temperature T > 0 minimising NLL of softmax(logits / T) on (logits, labels)."""
    if len(labels) == 0:
        return 1.0
    x = torch.as_tensor(np.asarray(logits), dtype=torch.float64)
    y = torch.as_tensor(np.asarray(labels), dtype=torch.long)
    log_t = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([log_t], lr=0.1, max_iter=max_iter, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(x / log_t.exp(), y)
        loss.backward()
        return loss

    opt.step(closure)
    return float(log_t.exp().item())


def fit_scaling(logits: np.ndarray, labels: np.ndarray, max_iter: int = 300) -> tuple[float, list[float]]:
    """(T, b) minimising NLL of softmax(logits / T + b) on dev; b[0] is fixed at 0."""
    if len(labels) == 0:
        return 1.0, [0.0] * np.asarray(logits).shape[-1]
    x = torch.as_tensor(np.asarray(logits), dtype=torch.float64)
    y = torch.as_tensor(np.asarray(labels), dtype=torch.long)
    log_t = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    free = torch.zeros(x.shape[1] - 1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([log_t, free], lr=0.1, max_iter=max_iter, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        bias = torch.cat([torch.zeros(1, dtype=torch.float64), free])
        loss = torch.nn.functional.cross_entropy(x / log_t.exp() + bias, y)
        loss.backward()
        return loss

    opt.step(closure)
    return float(log_t.exp().item()), [0.0, *[float(v) for v in free.detach()]]


def softmax(logits: np.ndarray, temperature: float = 1.0, bias=None) -> np.ndarray:
    z = np.asarray(logits, dtype=np.float64) / temperature
    if bias is not None:
        z = z + np.asarray(bias, dtype=np.float64)
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def expected_calibration_error(probs: np.ndarray, labels: np.ndarray, n_bins: int = 10) -> float:
    """ECE with equal-width confidence bins: sum over bins of |accuracy - confidence| * share."""
    probs = np.asarray(probs, dtype=np.float64)
    labels = np.asarray(labels)
    if len(labels) == 0:
        return 0.0
    conf = probs.max(axis=1)
    correct = (probs.argmax(axis=1) == labels).astype(np.float64)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    ece = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        sel = (conf > lo) & (conf <= hi) if lo > 0 else (conf >= lo) & (conf <= hi)
        if sel.any():
            ece += sel.mean() * abs(correct[sel].mean() - conf[sel].mean())
    return float(ece)


def reliability_bins(probs: np.ndarray, labels: np.ndarray, n_bins: int = 10):
    """(bin centre, accuracy, confidence, count) per non-empty bin, for reliability diagrams."""
    probs = np.asarray(probs, dtype=np.float64)
    conf = probs.max(axis=1)
    correct = (probs.argmax(axis=1) == np.asarray(labels)).astype(np.float64)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    rows = []
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        sel = (conf > lo) & (conf <= hi)
        if sel.any():
            rows.append(((lo + hi) / 2, float(correct[sel].mean()), float(conf[sel].mean()), int(sel.sum())))
    return rows
