"""Knowledge distillation: a trained stancekit model (the teacher) supplies soft targets.

Why: the small preset is capped by how little labelled news data there is. A stronger
teacher (news-base) labels *every* mention and sentence of the training set -- also the
mentions NewsMTSC leaves unlabelled and the editorial flag of NewsMTSC sentences, which
carry no editorial label -- so the student learns from more signal than the gold labels.
The student's loss adds ``weight * T^2 * KL(teacher_T || student_T)`` (Hinton et al., 2015)
to the usual cross-entropies.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

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


def soft_loss(student: torch.Tensor, teacher: torch.Tensor, temperature: float) -> torch.Tensor:
    """``T^2 * KL(softmax(teacher/T) || softmax(student/T))``, averaged over rows (0 for no rows)."""
    if student.shape[0] == 0:
        return student.new_zeros(())
    t = temperature
    target = F.softmax(teacher / t, dim=-1)
    return F.kl_div(F.log_softmax(student / t, dim=-1), target, reduction="batchmean") * (t * t)
