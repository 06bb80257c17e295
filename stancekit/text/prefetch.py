"""Segmentation ahead of the encoder: spaCy reads the next block of documents while the model scores this one.

On a CPU, spaCy (one core) and the encoder take about the same time per sentence, so running them
one after the other leaves a core idle half the time. :class:`SegmentAhead` cuts a list of documents
into blocks of about ``block_chars`` characters and keeps the segmentation of the next blocks running
in a worker while the caller works on the current block. Results are the same as segmenting in the
caller: blocks come back in input order and each text is segmented by the same pipeline.

The worker is a thread (spaCy's parser and NER release the GIL in their inner loops, and the encoder
releases it in torch), or a separate process when ``mode="process"`` (which needs the pipeline by
name, as a process cannot share a loaded one). It is started on first use and belongs to the
:class:`SegmentAhead` object: no global state.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, Future

from stancekit.errors import InputError
from stancekit.text.segmentation import SegmentedText, Segmenter

#: Characters per block: enough sentences for well-filled length buckets, small enough to overlap.
BLOCK_CHARS = 40_000
MODES = ("thread", "process", "off")

_worker_segmenter: Segmenter | None = None  # only ever set inside a worker process


def _init_worker(spacy_model: str) -> None:
    global _worker_segmenter
    _worker_segmenter = Segmenter(spacy_model=spacy_model)


def _segment_in_worker(texts: list[str]) -> list[SegmentedText]:
    assert _worker_segmenter is not None
    return list(_worker_segmenter.segment_many(texts))


def blocks_of(texts: Sequence[str], block_chars: int) -> list[list[str]]:
    """Consecutive runs of texts with about ``block_chars`` characters each (one text at least)."""
    out: list[list[str]] = []
    block: list[str] = []
    size = 0
    for t in texts:
        if block and size + len(t) > block_chars:
            out.append(block)
            block, size = [], 0
        block.append(t)
        size += len(t)
    if block:
        out.append(block)
    return out


class SegmentAhead:
    """Yields ``(block of texts, their segmentations)`` with the next blocks segmented in a worker."""

    def __init__(self, segmenter: Segmenter, mode: str = "thread", *, block_chars: int = BLOCK_CHARS, depth: int = 2):
        if mode not in MODES:
            raise InputError(f"segment_ahead must be one of {', '.join(MODES)}, got {mode!r}")
        if mode == "process" and segmenter.spacy_model is None:
            raise InputError("segment_ahead='process' needs the spaCy pipeline by name, not a loaded nlp object")
        self.segmenter = segmenter
        self.mode = mode
        self.block_chars = block_chars
        self.depth = depth
        self._executor: Executor | None = None

    def _submit(self, block: list[str]) -> Future:
        if self._executor is None:
            if self.mode == "process":
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                self._executor = ProcessPoolExecutor(
                    1,
                    mp_context=multiprocessing.get_context("spawn"),  # never fork a process that holds torch threads
                    initializer=_init_worker,
                    initargs=(self.segmenter.spacy_model,),
                )
            else:
                from concurrent.futures import ThreadPoolExecutor

                self.segmenter.nlp  # noqa: B018 - load in this thread, not concurrently
                self._executor = ThreadPoolExecutor(1, thread_name_prefix="stancekit-segment")
        if self.mode == "process":
            return self._executor.submit(_segment_in_worker, block)
        return self._executor.submit(lambda b: list(self.segmenter.segment_many(b)), block)

    def blocks(self, texts: Sequence[str]) -> Iterator[tuple[list[str], list[SegmentedText]]]:
        if self.mode == "off" or sum(len(t) for t in texts) < 2 * self.block_chars:  # a worker would not pay off
            yield list(texts), list(self.segmenter.segment_many(texts))
            return
        todo = deque(blocks_of(texts, self.block_chars))
        running: deque[tuple[list[str], Future]] = deque()
        try:
            while todo or running:
                while todo and len(running) < self.depth:
                    block = todo.popleft()
                    running.append((block, self._submit(block)))
                block, fut = running.popleft()
                yield block, fut.result()
        finally:
            for _, fut in running:
                fut.cancel()

    def close(self) -> None:
        """Stop the worker (also done when the object is garbage collected)."""
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def __del__(self) -> None:
        # not contextlib.suppress: at interpreter shutdown module globals may already be gone
        try:  # noqa: SIM105
            self.close()
        except Exception:
            pass
