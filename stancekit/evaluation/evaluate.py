"""Score a model on labelled examples through the same batched inference path as users get."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from stancekit.data.examples import Example
from stancekit.modeling.inference import Predictor
from stancekit.modeling.inputs import IGNORE


def collect_logits(predictor: Predictor, examples: Sequence[Example]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """{"stance": (logits, labels), "editorial": (logits, labels)} over the labelled parts."""
    stance, editorial = predictor.logits([e.text for e in examples], [e.spans for e in examples])
    st_logits, st_labels, ed_logits, ed_labels = [], [], [], []
    for ex, s, ed in zip(examples, stance, editorial, strict=True):
        for lab, row in zip(ex.stance, s, strict=True):
            if lab != IGNORE:
                st_logits.append(row)
                st_labels.append(lab)
        if ex.editorial != IGNORE:
            ed_logits.append(ed)
            ed_labels.append(ex.editorial)
    n_st, n_ed = len(predictor.config.stance_labels), len(predictor.config.editorial_labels)
    return {
        "stance": (np.asarray(st_logits, dtype=np.float32).reshape(-1, n_st), np.asarray(st_labels, dtype=int)),
        "editorial": (np.asarray(ed_logits, dtype=np.float32).reshape(-1, n_ed), np.asarray(ed_labels, dtype=int)),
    }


def task_of_examples(examples: Sequence[Example]) -> str:
    return "editorial" if any(e.editorial != IGNORE for e in examples) else "stance"
