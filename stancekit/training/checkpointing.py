"""A training run's checkpoint: everything the trainer needs to continue a stopped run bit for bit.

Why: a long CPU run outlives a working session; with ``checkpoint_every`` the trainer writes
``<output_dir>/checkpoint/`` and ``resume`` continues from it to the very weights an uninterrupted run writes.
The folder holds ``state.json`` (step, soup ingredient, histories, scores, Python/numpy RNG states and the
fingerprints of the config and the data), ``weights.safetensors`` (the trainable parameters now, the best and
recent states, the finished ingredients' kept states) and ``trainer.pt`` (optimizer, LR scheduler, torch RNG
states, kept dev logits; read back with ``weights_only=True``, so it cannot run code).

A checkpoint is written to a temporary folder that then replaces the old one by renames; a kill between the
two renames leaves ``checkpoint.old/``, which :func:`read_checkpoint` takes when ``checkpoint/`` is missing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import torch

from stancekit.errors import CheckpointError, CheckpointNotFoundError

FORMAT = "stancekit-train-checkpoint/1"
FOLDER = "checkpoint"
#: config fields that do not decide the weights of a run (where it runs, how it reports, where files lie)
RUN_OPTIONS = ("checkpoint_every", "progress", "device", "data_dir", "output_dir", "teacher_cache")


@dataclass
class FitProgress:
    """The fit in progress, between two optimizer steps.

    ``epoch_rng`` is the batch-order generator's state at the start of the current epoch and ``batches_done``
    the number of that epoch's batches already trained: a resumed fit rebuilds the epoch's batch list from it
    and skips them, so it sees the batches in the order an uninterrupted fit would.
    """

    step: int
    epoch_rng: tuple
    batches_done: int
    history: list[dict]
    best: dict  # score, step, state (a state dict or None), dev_logits
    recent: list[tuple[int, dict]]
    bad_evals: int
    optimizer: dict
    scheduler: dict
    rng: dict = field(default_factory=dict)  # python, numpy, torch, cuda


@dataclass
class Checkpoint:
    """A whole run's state: the finished soup ingredients' results, then the fit in progress (if any)."""

    config_hash: str
    data_hash: str
    fits: list  # FitResult of each finished ingredient
    weights: dict[str, torch.Tensor]  # the network's trainable parameters now
    progress: FitProgress | None


def config_hash(cfg) -> str:
    """A hash of everything in the config that decides the weights (not :data:`RUN_OPTIONS`)."""
    data = {k: v for k, v in asdict(cfg).items() if k not in RUN_OPTIONS}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def data_hash(train_ex: Sequence, dev_ex: dict, soft=None) -> str:
    """A hash of the training and dev examples (text, spans, labels, source) and of the teacher's soft targets."""
    h = hashlib.sha256()
    for name, exs in [("", train_ex), *sorted(dev_ex.items())]:
        h.update(f"\0set {name}\0".encode())
        for ex in exs:
            h.update(json.dumps([ex.text, ex.spans, ex.stance, ex.editorial, ex.source], default=list).encode())
    if soft is not None:
        for arr in [*soft[0], soft[1]]:
            h.update(np.ascontiguousarray(arr).tobytes())
    return h.hexdigest()


def trainable_names(network: torch.nn.Module) -> list[str]:
    return [n for n, p in network.named_parameters() if p.requires_grad]


def full_state(network: torch.nn.Module, partial: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """A whole state dict: the network's frozen weights (which training never changes) with ``partial`` on top.

    State-dict names that alias one parameter (tied weights) all take that parameter's saved value.
    """
    live = network.state_dict(keep_vars=True)
    names_of: dict[int, list[str]] = {}
    for name, tensor in live.items():
        names_of.setdefault(id(tensor), []).append(name)
    out = {k: v.detach().to("cpu", copy=True) for k, v in live.items()}
    for name, value in partial.items():
        for alias in names_of.get(id(live[name]), [name]):
            out[alias] = value
    return out


def _pick(state: dict[str, torch.Tensor], names: Sequence[str]) -> dict[str, torch.Tensor]:
    return {n: state[n] for n in names}


def _logits_out(dev_logits: dict | None):
    if dev_logits is None:
        return None
    return {
        k: [task, torch.from_numpy(np.asarray(x)), torch.from_numpy(np.asarray(y))]
        for k, (task, x, y) in dev_logits.items()
    }


def _logits_in(saved):
    if saved is None:
        return None
    return {k: (task, x.numpy(), y.numpy()) for k, (task, x, y) in saved.items()}


class _Tensors(dict):
    """The tensors to save; one tensor kept in two states (the best state is often also a recent one) is
    stored once, and ``links`` maps its other names to the stored one."""

    def __init__(self) -> None:
        super().__init__()
        self.links: dict[str, str] = {}
        self._stored: dict[int, str] = {}

    def add(self, prefix: str, state: dict[str, torch.Tensor]) -> None:
        for name, value in state.items():
            key = f"{prefix}/{name}"
            if id(value) in self._stored:
                self.links[key] = self._stored[id(value)]
            else:
                self._stored[id(value)] = key
                self[key] = value


def _best_meta(best: dict, key: str, tensors: _Tensors, torch_part: dict, names: Sequence[str]) -> dict:
    if best.get("state") is not None:
        tensors.add(key, _pick(best["state"], names))
    torch_part[key] = _logits_out(best.get("dev_logits"))
    return {"score": best["score"], "step": best["step"], "has_state": best.get("state") is not None}


def write_checkpoint(folder: str | Path, network: torch.nn.Module, ckpt: Checkpoint) -> Path:
    """Write ``ckpt`` to ``folder`` atomically: the previous checkpoint stays usable until the new one is whole."""
    from safetensors.torch import save_file

    folder = Path(folder)
    names = trainable_names(network)
    tensors = _Tensors()
    tensors.add("weights", ckpt.weights)
    torch_part: dict = {}
    fits = []
    for i, fit in enumerate(ckpt.fits):
        fits.append(
            {
                "best": _best_meta(fit.best, f"fit{i}.best", tensors, torch_part, names),
                "history": fit.history,
                "averaged": fit.averaged,
                "steps": fit.steps,
            }
        )
    state = {
        "format": FORMAT,
        "config_hash": ckpt.config_hash,
        "data_hash": ckpt.data_hash,
        "fits": fits,
        "progress": None,
        "links": tensors.links,
    }
    p = ckpt.progress
    if p is not None:
        for i, (_, s) in enumerate(p.recent):
            tensors.add(f"recent{i}", _pick(s, names))
        torch_part.update(
            optimizer=p.optimizer, scheduler=p.scheduler, torch_rng=p.rng["torch"], cuda_rng=p.rng["cuda"]
        )
        state["progress"] = {
            "step": p.step,
            "epoch_rng": _jsonable(p.epoch_rng),
            "batches_done": p.batches_done,
            "history": p.history,
            "best": _best_meta(p.best, "progress.best", tensors, torch_part, names),
            "recent_steps": [s for s, _ in p.recent],
            "bad_evals": p.bad_evals,
            "python_rng": _jsonable(p.rng["python"]),
            "numpy_rng": _jsonable(p.rng["numpy"]),
        }
    tmp = folder.with_name(f".{folder.name}.tmp-{os.getpid()}")
    old = folder.with_name(f"{folder.name}.old")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    save_file({k: v.detach().to("cpu").contiguous() for k, v in tensors.items()}, str(tmp / "weights.safetensors"))
    torch.save(torch_part, tmp / "trainer.pt")
    (tmp / "state.json").write_text(json.dumps(state) + "\n", "utf-8")  # written last: its presence marks a whole one
    if folder.exists():
        shutil.rmtree(old, ignore_errors=True)
        folder.rename(old)
    tmp.rename(folder)
    shutil.rmtree(old, ignore_errors=True)
    return folder


def exists(folder: str | Path) -> Path | None:
    """The usable checkpoint folder at ``folder`` (or its ``.old`` twin after a kill mid-write), else None."""
    folder = Path(folder)
    for cand in (folder, folder.with_name(f"{folder.name}.old")):
        if (cand / "state.json").is_file():
            return cand
    return None


def remove(folder: str | Path) -> None:
    """Delete the checkpoint and any leftovers of an interrupted write."""
    folder = Path(folder)
    for cand in (folder, folder.with_name(f"{folder.name}.old"), *folder.parent.glob(f".{folder.name}.tmp-*")):
        shutil.rmtree(cand, ignore_errors=True)


def read_state(folder: str | Path, cfg_hash: str) -> tuple[Path, dict]:
    """The checkpoint folder found at ``folder`` and its ``state.json``, checked against the config's hash.

    Cheap (no weights are read): the trainer calls it before it builds examples or loads an encoder.
    """
    found = exists(folder)
    if found is None:
        raise CheckpointNotFoundError(
            "no checkpoint to resume (set checkpoint_every in the config to write one, or train without --resume)",
            path=str(folder),
        )
    state_path = found / "state.json"
    try:
        state = json.loads(state_path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise CheckpointError(f"unreadable checkpoint state ({exc})", path=str(state_path)) from exc
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise CheckpointError(f"not a {FORMAT} checkpoint", path=str(state_path), field="format")
    if state.get("config_hash") != cfg_hash:
        raise CheckpointError(
            f"the checkpoint was written for another training config (only {', '.join(RUN_OPTIONS)} "
            "may change between sessions)",
            path=str(state_path),
            field="config_hash",
        )
    return found, state


def read_checkpoint(folder: str | Path, network: torch.nn.Module, cfg_hash: str, dat_hash: str) -> Checkpoint:
    """The checkpoint at ``folder``, checked against the run's config and data fingerprints.

    Raises :class:`CheckpointNotFoundError` when there is none, :class:`CheckpointError` (naming the file and
    the field) when it is unreadable or was written for another config or other data.
    """
    from safetensors import SafetensorError
    from safetensors.torch import load_file

    from stancekit.training.trainer import FitResult

    found, state = read_state(folder, cfg_hash)
    state_path = found / "state.json"
    if state.get("data_hash") != dat_hash:
        raise CheckpointError(
            "the training or dev examples (or the teacher's soft targets) differ from the ones the checkpoint "
            "was trained on",
            path=str(state_path),
            field="data_hash",
        )
    try:
        tensors = load_file(str(found / "weights.safetensors"))
    except (OSError, SafetensorError) as exc:
        raise CheckpointError(f"unreadable weights ({exc})", path=str(found / "weights.safetensors")) from exc
    try:
        for link, stored in state.get("links", {}).items():
            tensors[link] = tensors[stored]
    except (KeyError, AttributeError) as exc:
        raise CheckpointError(f"a linked tensor is missing ({exc!r})", path=str(state_path), field="links") from exc
    try:
        torch_part = torch.load(found / "trainer.pt", map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 - torch raises many kinds for a broken file
        raise CheckpointError(f"unreadable trainer state ({exc})", path=str(found / "trainer.pt")) from exc

    def group(prefix: str) -> dict[str, torch.Tensor]:
        return {k[len(prefix) + 1 :]: v for k, v in tensors.items() if k.startswith(prefix + "/")}

    def best(meta: dict, key: str) -> dict:
        return {
            "score": meta["score"],
            "step": meta["step"],
            "state": full_state(network, group(key)) if meta["has_state"] else None,
            "dev_logits": _logits_in(torch_part.get(key)),
        }

    weights = group("weights")
    missing = sorted(set(trainable_names(network)) - set(weights))
    if missing:
        raise CheckpointError(
            f"the checkpoint lacks trainable weights {missing[:3]}", path=str(found / "weights.safetensors")
        )
    try:
        fits = [
            FitResult(best(f["best"], f"fit{i}.best"), f["history"], f["averaged"], f["steps"])
            for i, f in enumerate(state["fits"])
        ]
        progress = None
        p = state["progress"]
        if p is not None:
            progress = FitProgress(
                step=p["step"],
                epoch_rng=_tuples(p["epoch_rng"]),
                batches_done=p["batches_done"],
                history=p["history"],
                best=best(p["best"], "progress.best"),
                recent=[(s, full_state(network, group(f"recent{i}"))) for i, s in enumerate(p["recent_steps"])],
                bad_evals=p["bad_evals"],
                optimizer=torch_part["optimizer"],
                scheduler=torch_part["scheduler"],
                rng={
                    "python": _tuples(p["python_rng"]),
                    "numpy": _numpy_state(p["numpy_rng"]),
                    "torch": torch_part["torch_rng"],
                    "cuda": torch_part["cuda_rng"],
                },
            )
    except (KeyError, TypeError, ValueError) as exc:
        raise CheckpointError(f"incomplete checkpoint ({exc!r})", path=str(state_path)) from exc
    return Checkpoint(state["config_hash"], state["data_hash"], fits, weights, progress)


def _jsonable(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def _tuples(value):
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def _numpy_state(value) -> tuple:
    kind, keys, pos, has_gauss, cached = value
    return kind, np.asarray(keys, dtype=np.uint32), pos, has_gauss, cached
