"""Knowledge distillation: a trained stancekit model (the teacher) supplies soft targets.

Why: the small preset is capped by how little labelled news data there is. A stronger
teacher (news-base) labels *every* mention and sentence of the training set -- also the
mentions NewsMTSC leaves unlabelled and the editorial flag of NewsMTSC sentences, which
carry no editorial label -- so the student learns from more signal than the gold labels.
The student's loss adds ``weight * T^2 * KL(teacher_T || student_T)`` (Hinton et al., 2015)
to the usual cross-entropies.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from stancekit.data.examples import Example
from stancekit.evaluation.evaluate import convention_for

log = logging.getLogger("stancekit.training")


def teacher_logits(
    teacher: str, examples: Sequence[Example], device: torch.device | str = "cpu", batch_size: int = 64
) -> tuple[list[np.ndarray], np.ndarray]:
    """Raw logits of the teacher model (a name or folder) for each example: (stance per mention, editorial).

    An example of a set labelled under a convention the teacher learnt apart (NewsMTSC) gets the teacher's
    logits under that convention, as its gold labels would be read. The stance logits are the teacher's head's,
    without its article read-out (fitted after the teacher's training): a student learns what the teacher's
    network learnt and gets a read-out of its own, and a config that names a teacher reproduces its folder
    whether or not the teacher has since been given a read-out."""
    from stancekit.modeling.checkpoint import find_model, load_model
    from stancekit.modeling.inference import Predictor

    network, tokenizer, model_cfg = load_model(find_model(teacher))
    network.to(device)
    log.info("teacher %s: scoring %d training examples", teacher, len(examples))
    predictor = Predictor(network, tokenizer, model_cfg, batch_size=batch_size)
    groups: dict[str | None, list[int]] = {}
    for i, ex in enumerate(examples):
        groups.setdefault(convention_for(ex.source, model_cfg), []).append(i)
    stance: list = [None] * len(examples)
    editorial = np.zeros((len(examples), len(model_cfg.editorial_labels)), dtype=np.float32)
    for conv, idx in groups.items():
        st, ed = predictor.with_convention(conv).logits(
            [examples[i].text for i in idx], [examples[i].spans for i in idx], readout=False
        )
        for k, i in enumerate(idx):
            stance[i] = st[k]
        editorial[idx] = ed
    return stance, editorial


def _example_key(ex: Example, teacher_cfg=None) -> str:
    """The example's text and spans, and the convention the teacher reads it under (when not the default)."""
    key = [ex.text, [list(sp) for sp in ex.spans]]
    conv = convention_for(ex.source, teacher_cfg) if teacher_cfg is not None else None
    return hashlib.sha256(json.dumps(key if conv is None else [*key, conv]).encode()).hexdigest()[:32]


# what the folder's config holds but the teacher's raw logits never read: entries fitted after training (the
# calibration, the holder probe, the article read-out) and its training record
POST_HOC = ("temperatures", "biases", "holder_probe", "stance_readout")
NOT_READ = ("training_metrics.json",)


def teacher_digest(model_dir: Path, device: torch.device | str = "cpu") -> str:
    """What the teacher's raw logits depend on: its weights, tokenizer and config less :data:`POST_HOC`, and the
    device type. A read-out or holder probe refitted on the teacher (``stancekit fit-readout``) keeps the cache."""
    from stancekit.errors import ConfigError
    from stancekit.identity import file_sha256
    from stancekit.modeling.checkpoint import CONFIG_FILE

    digest = hashlib.sha256()
    for f in sorted(Path(model_dir).iterdir()):
        if not f.is_file() or f.suffix not in (".json", ".safetensors") or f.name in NOT_READ:
            continue
        if f.name == CONFIG_FILE:
            try:
                cfg = json.loads(f.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise ConfigError(f"{f}: not valid JSON ({exc})") from exc
            if not isinstance(cfg, dict):
                raise ConfigError(f"{f}: must hold a JSON object")
            cfg = {k: v for k, v in cfg.items() if k not in POST_HOC}
            digest.update(f"{f.name}:{json.dumps(cfg, sort_keys=True)}".encode())
        else:
            digest.update(f"{f.name}:{file_sha256(f)}".encode())
    digest.update(torch.device(device).type.encode())
    return digest.hexdigest()[:32]


def cached(fetch, folder: str | Path):
    """``fetch`` (a teacher-logits function) with a disk cache in ``folder``, kept per example.

    Why: on a CPU the teacher's pass over the training set is the slowest step before training starts
    (news-base over ~12k examples takes tens of minutes); a rerun with the same teacher reads the file, and a
    training mix that grows (new annotations, a different draw) sends only its new examples to the teacher.
    One file per teacher: its name is :func:`teacher_digest`; inside, each example's logits are keyed by a hash
    of its text and spans.
    """
    folder = Path(folder)

    def fetch_cached(teacher: str, examples: Sequence[Example], device="cpu"):
        from stancekit.modeling.checkpoint import find_model, read_config

        model_dir = Path(find_model(teacher))
        path = folder / f"teacher-{teacher_digest(model_dir, device)}.npz"
        stored: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        if path.is_file():
            with np.load(path) as z:
                keys, counts, stance, editorial = z["keys"], z["counts"], z["stance"], z["editorial"]
            bounds = np.concatenate([[0], np.cumsum(counts)])
            stored = {str(k): (stance[bounds[i] : bounds[i + 1]], editorial[i]) for i, k in enumerate(keys)}
        teacher_cfg = read_config(model_dir)
        wanted = [_example_key(ex, teacher_cfg) for ex in examples]
        missing = list(dict.fromkeys(k for k in wanted if k not in stored))
        if missing:
            first = {k: ex for k, ex in zip(wanted, examples, strict=True)}
            new_stance, new_editorial = fetch(teacher, [first[k] for k in missing], device)
            for k, st, ed in zip(missing, new_stance, new_editorial, strict=True):
                stored[k] = (np.asarray(st, dtype=np.float32).reshape(-1, 3), np.asarray(ed, dtype=np.float32))
            _write(path, stored)
        fresh = set(missing)
        log.info(
            "teacher %s: %d examples' logits read from %s, %d computed",
            teacher,
            sum(k not in fresh for k in wanted),
            path,
            len(missing),
        )
        return [stored[k][0] for k in wanted], np.stack([stored[k][1] for k in wanted]) if wanted else np.zeros((0, 2))

    return fetch_cached


def _write(path: Path, stored: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
    """All cached examples to ``path``, atomically (a stopped run leaves the previous file whole)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = list(stored)
    counts = np.array([len(stored[k][0]) for k in keys], dtype=np.int64)
    stance = np.concatenate([stored[k][0] for k in keys]) if counts.sum() else np.zeros((0, 3), np.float32)
    editorial = np.stack([stored[k][1] for k in keys])
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, keys=np.array(keys), counts=counts, stance=stance, editorial=editorial)
    tmp.replace(path)


def soft_loss(student: torch.Tensor, teacher: torch.Tensor, temperature: float) -> torch.Tensor:
    """``T^2 * KL(softmax(teacher/T) || softmax(student/T))``, averaged over rows (0 for no rows)."""
    if student.shape[0] == 0:
        return student.new_zeros(())
    t = temperature
    target = F.softmax(teacher / t, dim=-1)
    return F.kl_div(F.log_softmax(student / t, dim=-1), target, reduction="batchmean") * (t * t)
