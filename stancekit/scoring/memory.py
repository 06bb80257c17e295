"""Keeping a long scoring job's resident memory flat on glibc (Linux); a no-op elsewhere.

Why this exists: the encoder allocates and frees activation tensors of many sizes, one batch
after another. glibc serves large blocks with ``mmap`` at first, but each time such a block is
freed it raises its mmap threshold, so later tensors land on the heap, where they fragment and
are not handed back to the OS. Measured by tracing RSS every 50 ms through a 30k-sentence job
(news-small, six chunks of ~5k sentences; the method of ``benchmarks/scoring_memory.py``, the
threshold set with ``MALLOC_MMAP_THRESHOLD_``), peak RSS while each chunk was scored:

- glibc defaults: 1,052 → 1,169 → 1,222 → 1,292 → 1,295 → 1,300 MB (a 100k job peaked at 1,423 MB);
- threshold pinned at 16 MB: 1,302 → 1,440 MB; 8 MB: 912 → 1,046 MB;
- pinned at 4 MB (the default here): 800 → 889 → 900 → 915 → 915 → 893 MB, ~10% slower;
- pinned at 256 KB: 745 → 846 MB, 32% slower (system time for mapping pages).

``malloc_trim`` after each chunk also returns what the heap freed (without it RSS crept ~50 MB a
chunk).

Both are process-wide allocator settings: :func:`pin_mmap_threshold` is called by ``score()``
(the corpus job) only, leaves a user's own ``MALLOC_MMAP_THRESHOLD_`` alone, and can be turned
off with ``score(..., tune_allocator=False)``.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os

#: glibc's ``M_MMAP_THRESHOLD`` parameter number for ``mallopt``.
_M_MMAP_THRESHOLD = -3
#: Blocks at least this large are mmapped, and unmapped when freed (measurements above).
MMAP_THRESHOLD = 4 * 1024 * 1024


@functools.cache
def _libc():
    """The C library if it is glibc (has ``malloc_trim`` and ``mallopt``), else None."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim, libc.mallopt  # noqa: B018 - both must exist
        return libc
    except (OSError, AttributeError):
        return None


def release_free_memory() -> None:
    """Hand the heap's free pages back to the OS (called after each chunk)."""
    libc = _libc()
    if libc is not None:
        libc.malloc_trim(0)


def pin_mmap_threshold(nbytes: int = MMAP_THRESHOLD) -> bool:
    """Fix glibc's mmap threshold at ``nbytes`` (stopping its upward drift); True if set.

    Skipped when the user set ``MALLOC_MMAP_THRESHOLD_`` in the environment: theirs wins.
    """
    libc = _libc()
    if libc is None or "MALLOC_MMAP_THRESHOLD_" in os.environ:
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, int(nbytes)))
