"""Dynamic int8 quantization of the linear layers for faster CPU inference (``load(quantize=True)``).

Not the default, for two measured reasons: its labels agree with float32 on only 91.6-96.6% of
the dev examples (``stancekit bench --models news-small:fp32 news-small:int8``), and it is not
batch-invariant: dynamic quantization picks one activation scale per tensor, i.e. per batch,
so an input's scores depend on what shares its batch (200 NewsMTSC rw dev pairs at batch size 1
vs 32: scores differ by up to 0.34, labels agree on 96%; measured 2026-11-26).
"""

from __future__ import annotations

import torch


def quantize_dynamic(network: torch.nn.Module) -> torch.nn.Module:
    """A copy of ``network`` whose nn.Linear layers run in int8 (weights) on CPU."""
    from torch.ao.quantization import quantize_dynamic as _qd

    return _qd(network, {torch.nn.Linear}, dtype=torch.qint8)
