"""Weight averages of trained states (checkpoint averaging, soups, LoRA soups) and the rule that keeps one.

Why a module of its own: the trainer, the sweep tool and ``benchmarks/lora_soup.py`` average states the
same way, and the one rule for any average (the dev sets decide) should live in one place. Scoring is
passed in as ``evaluate``, a callable that scores the network's current weights, so nothing here knows
about data or predictors.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import torch

log = logging.getLogger("stancekit.training")

#: scores the network's current weights: (dev logits, dev macro-F1 per set, their mean or None without dev sets)
Evaluate = Callable[[], tuple[dict, dict[str, float], float | None]]


def cpu_state(network: torch.nn.Module) -> dict[str, torch.Tensor]:
    """A detached CPU copy of the network's weights."""
    return {k: v.detach().to("cpu", copy=True) for k, v in network.state_dict().items()}


def average_states(states: Sequence[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    """The element-wise mean of floating-point weights (integer buffers are taken from the last state)."""
    out = {}
    for key, last in states[-1].items():
        if last.is_floating_point():
            out[key] = torch.stack([s[key].float() for s in states]).mean(0).to(last.dtype)
        else:
            out[key] = last
    return out


def interpolate_states(
    initial: dict[str, torch.Tensor], trained: dict[str, torch.Tensor], alpha: float
) -> dict[str, torch.Tensor]:
    """``(1 - alpha) * initial + alpha * trained`` for floating-point weights (others from ``trained``).

    Why: a model continued on new data forgets part of what it knew; mixing its weights back toward the
    weights it started from (WiSE-FT, Wortsman et al. 2022) keeps most of the gain on the new data and most
    of the old skill, at no cost at inference time. Full weights only: LoRA factors do not mix linearly.
    """
    if not 0.0 < alpha <= 1.0:
        raise ValueError(f"alpha must be in (0, 1], got {alpha}")
    out = {}
    for key, value in trained.items():
        start = initial.get(key)
        if value.is_floating_point() and start is not None:
            out[key] = ((1.0 - alpha) * start.float() + alpha * value.float()).to(value.dtype)
        else:
            out[key] = value
    return out


def merge_lora_states(states: Sequence[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    """The exact mean of k LoRA updates as one adapter of rank k*r; every other weight is averaged.

    ``B = [B_1 ... B_k] / k`` and ``A = [A_1; ...; A_k]`` give ``B A = mean_i B_i A_i`` (the plain mean of the
    factors does not); the caller multiplies the adapter's rank and alpha by k so the scale alpha / r holds.
    """
    k = len(states)
    out = {}
    for key, first in states[0].items():
        values = [s[key].float() for s in states]
        if ".lora_A." in key:
            out[key] = torch.cat(values, 0).to(first.dtype)
        elif ".lora_B." in key:
            out[key] = (torch.cat(values, 1) / k).to(first.dtype)
        else:
            out[key] = torch.stack(values).mean(0).to(first.dtype)
    return out


def keep_average_if_better(network, states: Sequence[dict], evaluate: Evaluate, single: dict) -> tuple:
    """Load the mean of ``states`` and score it; if it does not beat ``single``, restore that state.

    The one rule for any weight average (checkpoints of one run, or several runs): the dev sets decide.
    Returns (kept, dev logits, dev macro-F1 per set, dev mean); the network ends in the kept state, in eval mode.
    """
    device = next(network.parameters()).device
    network.load_state_dict({k: v.to(device) for k, v in average_states(states).items()})
    network.eval()
    evaluated, scores, mean = evaluate()
    score = mean if mean is not None else -1.0
    kept = score > single["score"]
    if not kept and single["state"] is not None:
        network.load_state_dict({k: v.to(device) for k, v in single["state"].items()})
    return kept, evaluated, scores, score


def try_average(network, recent: Sequence[tuple[int, dict]], evaluate: Evaluate, best: dict) -> dict:
    """Score the mean of the last evaluated states; keep it (updating ``best``) only if it wins.

    Weight averaging of nearby checkpoints (as in checkpoint averaging / LAWA) smooths out the
    noise of the last steps at no cost at inference time; the dev sets decide, as for any state.
    """
    single = best["score"]
    kept, evaluated, scores, score = keep_average_if_better(network, [s for _, s in recent], evaluate, best)
    steps = [st for st, _ in recent]
    log.info("average of the states at steps %s: %s mean %.4f (kept: %s)", steps, scores, score, kept)
    if kept:
        # the kept state is the average: a soup takes its ingredients' ``state``, so it must be this one
        best.update(score=score, dev_logits=evaluated, state=cpu_state(network))
    return {"steps": steps, "dev_macro_f1": scores, "mean": score, "best_single_mean": single, "kept": kept}


def try_soup(network, fits: Sequence[dict], evaluate: Evaluate) -> tuple[dict, dict]:
    """Score the uniform average of the ingredients' kept states; keep it only if it wins.

    Why: ingredients share their initial weights and differ in batch order and dropout, so their
    weights average well (a "model soup", Wortsman et al. 2022); the average is one model, as
    fast as any ingredient, with less of the seed-to-seed spread that a single run carries.
    Returns (the kept state's ``best`` dict, a record of the soup's evaluation).
    """
    single = max(fits, key=lambda b: b["score"])
    kept, evaluated, scores, score = keep_average_if_better(network, [b["state"] for b in fits], evaluate, single)
    log.info("soup of %d ingredients: %s mean %.4f (kept: %s)", len(fits), scores, score, kept)
    record = {
        "ingredients": [{"step": b["step"], "mean": b["score"]} for b in fits],
        "dev_macro_f1": scores,
        "mean": score,
        "best_single_mean": single["score"],
        "kept": kept,
    }
    if kept:
        return {"score": score, "step": None, "state": None, "dev_logits": evaluated}, record
    return single, record
