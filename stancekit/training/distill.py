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

log = logging.getLogger("stancekit.training")


def teacher_logits(
    teacher: str, examples: Sequence[Example], device: torch.device | str = "cpu", batch_size: int = 64
) -> tuple[list[np.ndarray], np.ndarray]:
    """Raw logits of the teacher model (a name or folder) for each example: (stance per mention, editorial)."""
    from stancekit.modeling.checkpoint import find_model, load_model
    from stancekit.modeling.inference import Predictor

    network, tokenizer, model_cfg = load_model(find_model(teacher))
    network.to(device)
    log.info("teacher %s: scoring %d training examples", teacher, len(examples))
    predictor = Predictor(network, tokenizer, model_cfg, batch_size=batch_size)
    return predictor.logits([ex.text for ex in examples], [ex.spans for ex in examples])


def cached(fetch, folder: str | Path):
    """``fetch`` (a teacher-logits function) with a disk cache in ``folder``.

    Why: on a CPU the teacher's pass over the training set is the slowest step before training starts
    (news-base over ~12k examples takes tens of minutes); a rerun with the same teacher and the same
    examples reads the file instead. The key hashes the teacher folder's files, the examples' text and
    spans, and the device type, so any change computes afresh.
    """
    folder = Path(folder)

    def fetch_cached(teacher: str, examples: Sequence[Example], device="cpu"):
        from stancekit.identity import file_sha256
        from stancekit.modeling.checkpoint import find_model

        digest = hashlib.sha256()
        model_dir = Path(find_model(teacher))
        for f in sorted(model_dir.iterdir()):
            if f.is_file() and f.suffix in (".json", ".safetensors"):
                digest.update(f"{f.name}:{file_sha256(f)}".encode())
        digest.update(torch.device(device).type.encode())
        for ex in examples:
            digest.update(json.dumps([ex.text, [list(s) for s in ex.spans]]).encode())
        path = folder / f"teacher-{digest.hexdigest()[:32]}.npz"
        if path.is_file():
            with np.load(path) as z:
                counts, stance, editorial = z["counts"], z["stance"], z["editorial"]
            log.info("teacher %s: %d examples' logits read from %s", teacher, len(examples), path)
            bounds = np.concatenate([[0], np.cumsum(counts)])
            return [stance[bounds[i] : bounds[i + 1]] for i in range(len(counts))], editorial
        per_example, editorial = fetch(teacher, examples, device)
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        counts = np.array([len(x) for x in per_example], dtype=np.int64)
        stance = np.concatenate(per_example) if len(per_example) and counts.sum() else np.zeros((0, 3), np.float32)
        np.savez(tmp, counts=counts, stance=stance, editorial=np.asarray(editorial))
        tmp.replace(path)
        return per_example, editorial

    return fetch_cached


def soft_loss(student: torch.Tensor, teacher: torch.Tensor, temperature: float) -> torch.Tensor:
    """``T^2 * KL(softmax(teacher/T) || softmax(student/T))``, averaged over rows (0 for no rows)."""
    if student.shape[0] == 0:
        return student.new_zeros(())
    t = temperature
    target = F.softmax(teacher / t, dim=-1)
    return F.kl_div(F.log_softmax(student / t, dim=-1), target, reduction="batchmean") * (t * t)
