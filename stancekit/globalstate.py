"""Process-wide state stancekit may touch only when the user asks, and a guard for what libraries touch.

A library call must not change the caller's process: environment variables, allocator settings, the
global random generators. :func:`tune_process` is the one opt-in (the command line calls it);
:func:`preserved_random_state` wraps third-party calls that draw from the global generators (building
a network before loading its weights, loading a spaCy pipeline) so the caller's streams stay as they were.
"""

from __future__ import annotations

import contextlib
import random
from collections.abc import Iterator


def random_states(cuda: bool = False) -> dict:
    """Python's, numpy's and torch's global random states (with ``cuda``, every GPU's too)."""
    py = random.getstate()  # first: importing torch for the first time draws from Python's generator
    import numpy as np
    import torch

    gpus = torch.cuda.get_rng_state_all() if cuda and torch.cuda.is_available() else []
    return {"python": py, "numpy": np.random.get_state(), "torch": torch.random.get_rng_state(), "cuda": gpus}


def set_random_states(states: dict) -> None:
    """Put back states taken by :func:`random_states`."""
    import numpy as np
    import torch

    random.setstate(states["python"])
    np.random.set_state(states["numpy"])
    torch.random.set_rng_state(states["torch"])
    if states["cuda"] and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states["cuda"])


@contextlib.contextmanager
def preserved_random_state() -> Iterator[None]:
    """Restore Python's, numpy's and torch's (CPU) global random states on exit."""
    states = random_states()
    try:
        yield
    finally:
        set_random_states(states)


def tune_process() -> None:
    """Opt in to the process-wide settings stancekit's measurements favour (the CLI does this).

    Caps oneDNN's primitive cache for bfloat16 on the CPU (``ONEDNN_PRIMITIVE_CACHE_CAPACITY``, unless
    already set; it acts only before the first oneDNN operation). Why and the figures:
    ``docs/performance.md``. ``score(tune_allocator=True)`` is the allocator's opt-in.
    """
    from stancekit.modeling.precision import bound_onednn_cache

    bound_onednn_cache()
