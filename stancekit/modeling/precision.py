"""Which float format the encoder computes in: float32, or bfloat16 where the CPU has it natively.

Why: on a CPU with native bfloat16 instructions (AVX512-BF16 or AMX), autocasting the
encoder's matrix products to bfloat16 roughly halves news-small's encoder time on 2 cores,
while layer norms, softmax and the accumulations stay in float32 (``torch.autocast``). The
labels agree with float32 on 99.8-100% of each dev set (``stancekit bench --models news-small
news-small:fp32 news-base news-base:fp32``) and probabilities move by at most 1.1e-2 for news-small
and 2.4e-2 for news-base (785 NewsMTSC dev pairs, 1,055 CheckThat! / BABE dev sentences; the
models committed in f0a6ca8). Without native support bfloat16 is emulated and slower, so
``"auto"`` picks it only where it pays.
"""

from __future__ import annotations

import contextlib
import os
from typing import TYPE_CHECKING

from stancekit.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    import torch

PRECISIONS = ("auto", "float32", "bfloat16")


def add_precision_argument(parser) -> None:
    """``--precision`` for the ``analyze`` and ``score`` commands (torch stays unloaded while parsing)."""
    parser.add_argument(
        "--precision",
        choices=PRECISIONS,
        default="auto",
        help="encoder arithmetic: auto (bfloat16 where the CPU has it natively, else float32), float32, bfloat16",
    )


def native_bfloat16(device: torch.device | str = "cpu") -> bool:
    """True where bfloat16 matrix products run natively (a CUDA GPU, or AVX512-BF16 / AMX)."""
    import torch  # here, not at import: the command line reads PRECISIONS without loading torch

    device = torch.device(device)
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported()
    if device.type != "cpu":
        return False
    cpu = getattr(torch, "cpu", None)
    checks = ("_is_avx512_bf16_supported", "_is_amx_tile_supported")
    try:  # private helpers of torch.cpu: absent on some builds and platforms
        return any(bool(getattr(cpu, name)()) for name in checks if hasattr(cpu, name))
    except Exception:  # pragma: no cover - a torch build without the helpers' backend
        return False


def resolve_precision(precision: str, device: torch.device | str = "cpu", quantized: bool = False) -> str:
    """``"float32"`` or ``"bfloat16"`` for a requested precision on ``device``.

    ``"auto"`` means bfloat16 where it runs natively, float32 elsewhere and for int8 models
    (whose int8 kernels take float32 activations).
    """
    if precision not in PRECISIONS:
        raise InputError(f"precision must be one of {', '.join(PRECISIONS)}; got {precision!r}")
    if quantized:
        if precision == "bfloat16":
            raise InputError("precision='bfloat16' cannot be combined with quantize=True (int8 runs in float32)")
        return "float32"
    if precision == "auto":
        precision = "bfloat16" if native_bfloat16(device) else "float32"
    return precision


#: Primitives oneDNN keeps for bfloat16 on the CPU (its default is 1024; see :func:`bound_onednn_cache`).
ONEDNN_CACHE_CAPACITY = "32"


def bound_onednn_cache() -> None:
    """Cap oneDNN's primitive cache (``ONEDNN_PRIMITIVE_CACHE_CAPACITY``) unless the user set it.

    Why: in bfloat16 each (batch rows x padded width) shape gets its own cached oneDNN
    primitives, and over a long job the partial batches make hundreds of shapes: scoring 100k
    sentences peaked at 1,120 MB against 894 MB for 10k. With 32 primitives, 1,536 shapes cost
    857 MB instead of 2,005 MB, at no loss of speed (news-small analyze() on 1,939 sentences:
    215.4 and 215.8 sentences/s with caps of 32 and 128, 196.1-209.6 uncapped). oneDNN reads
    the variable when it first builds a primitive, so this acts only if called before the
    process's first oneDNN operation; a value already set is left alone.
    """
    os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", ONEDNN_CACHE_CAPACITY)


def autocast(precision: str, device: torch.device | str = "cpu") -> contextlib.AbstractContextManager:
    """A context in which the encoder computes in ``precision`` (resolved: float32 or bfloat16)."""
    if precision == "bfloat16":
        import torch

        return torch.autocast(torch.device(device).type, dtype=torch.bfloat16)
    return contextlib.nullcontext()
