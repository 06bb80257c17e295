"""Model inputs: a sentence tokenized once, with every target mention marked.

A mention is wrapped in two marker positions (start, end) whose embeddings are learned
vectors injected at the input layer. The stance toward a mention is read from its own
markers, so one encoder pass serves every actor of a sentence and the editorial flag
(read from the pooled sentence). Marking a single mention per input gives the classic
per-pair form with the same code.

Tokenization happens here, once per sentence, outside the model's hot loop. A sentence
too long for the encoder is cut into windows that never split a mention.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, fields

import torch

NO_MARK, START_MARK, END_MARK = 0, 1, 2
IGNORE = -100
#: Padded widths (tokens) of inference inputs: each input is padded to the first that holds it.
#: Steps of ~1.5x: fewer forward calls per article than padding to a multiple of 8, less padding
#: than powers of two (benchmarks/results/speed-design.md).
WIDTH_BUCKETS = (16, 24, 32, 48, 64, 96, 128, 192, 256)
#: Beyond the widest bucket, inputs are padded to a multiple of this.
PAD_MULTIPLE = 8


@dataclass(slots=True)
class EncodedItem:
    """One encoder input: token ids (marker slots included) and where its mentions are."""

    input_ids: list[int]
    marker_types: list[int]
    markers: list[tuple[int, int]]  # (start marker position, end marker position) per mention
    mention_ids: list[int]  # index of each mention in the caller's list of spans
    source: int  # index of the caller's sentence
    weight: int  # content tokens in this window (to average windows of one sentence)
    convention: int = 0  # stance convention (0: the default; see StanceNetwork)

    def __len__(self) -> int:
        return len(self.input_ids)


class MarkerEncoder:
    """Turns (sentence, mention spans) into :class:`EncodedItem` windows."""

    def __init__(self, tokenizer, max_length: int = 256) -> None:
        if not getattr(tokenizer, "is_fast", False):
            raise TypeError("stancekit needs a fast (Rust) tokenizer for character offsets")
        # a shallow copy: we window long sentences ourselves, so its length limit is lifted here (silences
        # transformers' warning) without changing the tokenizer the caller passed in
        self.tokenizer = copy.copy(tokenizer)
        self.tokenizer.model_max_length = 10**9
        self.max_length = max_length
        self.cls_id = tokenizer.cls_token_id if tokenizer.cls_token_id is not None else tokenizer.bos_token_id
        self.sep_id = tokenizer.sep_token_id if tokenizer.sep_token_id is not None else tokenizer.eos_token_id
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        placeholder = tokenizer.mask_token_id if tokenizer.mask_token_id is not None else tokenizer.unk_token_id
        self.placeholder_id = placeholder if placeholder is not None else self.pad_id

    def encode_many(self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]) -> list[EncodedItem]:
        """Encode sentences with their mention spans; tokenizes all sentences in one call."""
        enc = self.tokenizer(list(texts), add_special_tokens=False, return_offsets_mapping=True)
        items: list[EncodedItem] = []
        for i, (ids, offsets) in enumerate(zip(enc["input_ids"], enc["offset_mapping"], strict=True)):
            items.extend(self._encode_one(i, ids, offsets, spans[i]))
        return items

    def _token_range(self, offsets, start: int, end: int) -> tuple[int, int]:
        first = next((k for k, (a, b) in enumerate(offsets) if b > start and b > a), len(offsets))
        last = first
        for k in range(first, len(offsets)):
            a, b = offsets[k]
            if a >= end:
                break
            if b > a:
                last = k + 1
        if last <= first:  # span inside a single token's gap: mark the nearest token
            last = min(first + 1, len(offsets))
            first = min(first, max(len(offsets) - 1, 0))
        return first, last

    def _encode_one(self, source: int, ids: list[int], offsets, spans) -> list[EncodedItem]:
        budget = self.max_length - 2
        ranges = [_fit_mention(self._token_range(offsets, s, e), budget) for s, e in spans]
        windows = _windows(len(ids), ranges, budget)
        out = []
        for lo, hi in windows:
            inside = [m for m, (a, b) in enumerate(ranges) if lo <= a and b <= hi]
            starts: dict[int, list[int]] = {}
            ends: dict[int, list[int]] = {}
            for m in inside:
                a, b = ranges[m]
                starts.setdefault(a, []).append(m)
                ends.setdefault(b, []).append(m)
            seq = [self.cls_id]
            types = [NO_MARK]
            pos: dict[int, list[int]] = {m: [0, 0] for m in inside}
            for k in range(lo, hi + 1):
                for m in ends.get(k, ()):
                    pos[m][1] = len(seq)
                    seq.append(self.placeholder_id)
                    types.append(END_MARK)
                for m in sorted(starts.get(k, ()), key=lambda m: -ranges[m][1]):
                    pos[m][0] = len(seq)
                    seq.append(self.placeholder_id)
                    types.append(START_MARK)
                if k < hi:
                    seq.append(ids[k])
                    types.append(NO_MARK)
            seq.append(self.sep_id)
            types.append(NO_MARK)
            out.append(EncodedItem(seq, types, [tuple(pos[m]) for m in inside], inside, source, max(hi - lo, 1)))
        return out


def _fit_mention(span: tuple[int, int], budget: int) -> tuple[int, int]:
    """A mention longer than a window keeps its first tokens, so it is still marked and scored.

    Why: a span that fits no window would get no markers and its stance would be the bias prior
    shown as a label. Its head (where a name begins) stays marked, with half a window of context.
    """
    a, b = span
    if b - a + 2 > budget:
        b = a + max(1, budget // 2)
    return a, b


def _windows(n: int, ranges: list[tuple[int, int]], budget: int) -> list[tuple[int, int]]:
    """Cut [0, n) into windows that fit ``budget`` with their markers and never cut a mention.

    Each mention must fit a window with its two markers (see :func:`_fit_mention`). Linear in the
    tokens and mentions per window, so a long text given to ``predict_stance`` stays cheap.
    """
    ending: dict[int, list[int]] = {}
    for a, b in ranges:
        ending.setdefault(b, []).append(a)
    if n + 2 * len(ranges) <= budget:
        return [(0, n)]
    windows = []
    lo = 0
    while lo < n:
        # grow the window one token at a time; a mention counts (2 markers) once it is wholly inside
        hi, cost = lo, 0
        while hi < n:
            step = 1 + 2 * sum(1 for a in ending.get(hi + 1, ()) if a >= lo)
            if cost + step > budget:
                break
            cost += step
            hi += 1
        hi = max(hi, lo + 1)
        # move the cut back so that it does not fall inside a mention
        for a, b in ranges:
            if a < hi < b and a > lo:
                hi = a
        windows.append((lo, hi))
        lo = hi
    return windows


@dataclass(slots=True)
class Batch:
    """Padded tensors for one forward pass."""

    input_ids: torch.Tensor
    attention_mask: torch.Tensor
    marker_types: torch.Tensor
    mention_index: torch.Tensor  # (M, 3): row in batch, start marker position, end marker position
    stance_labels: torch.Tensor | None = None  # (M,)
    editorial_labels: torch.Tensor | None = None  # (B,)
    convention: torch.Tensor | None = None  # (B,) stance convention per input; None: the default for all

    def to(self, device: torch.device | str) -> Batch:
        """The same batch on ``device`` (a no-op on the CPU, where inference and tests run)."""
        if torch.device(device).type == "cpu" and self.input_ids.device.type == "cpu":
            return self
        values = (getattr(self, f.name) for f in fields(self))
        return Batch(*(None if t is None else t.to(device, non_blocking=True) for t in values))


def collate(
    items: Sequence[EncodedItem],
    pad_id: int,
    stance_labels: Sequence[Sequence[int]] | None = None,
    editorial_labels: Sequence[int] | None = None,
    width: int | None = None,
) -> Batch:
    """Pad to the longest item in the batch (dynamic padding), or to ``width`` if given."""
    longest = max(len(it) for it in items)
    width = longest if width is None else max(width, longest)
    ids = torch.full((len(items), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(items), width), dtype=torch.long)
    types = torch.zeros((len(items), width), dtype=torch.long)
    index = []
    for r, it in enumerate(items):
        n = len(it)
        ids[r, :n] = torch.tensor(it.input_ids)
        mask[r, :n] = 1
        types[r, :n] = torch.tensor(it.marker_types)
        index.extend((r, s, e) for s, e in it.markers)
    mention_index = torch.tensor(index, dtype=torch.long).reshape(-1, 3)
    st = None
    if stance_labels is not None:
        st = torch.tensor([lab for labs in stance_labels for lab in labs], dtype=torch.long)
    ed = None
    if editorial_labels is not None:
        ed = torch.tensor(list(editorial_labels), dtype=torch.long)
    conv = None
    if any(it.convention for it in items):
        conv = torch.tensor([it.convention for it in items], dtype=torch.long)
    return Batch(ids, mask, types, mention_index, st, ed, conv)


def width_buckets(max_length: int, buckets: Sequence[int] = WIDTH_BUCKETS) -> tuple[int, ...]:
    """The buckets below a model's ``max_length``, then ``max_length`` itself (no input is longer)."""
    return tuple(sorted({w for w in buckets if 0 < w < max_length} | {max_length}))


def bucket_width(length: int, buckets: Sequence[int] = WIDTH_BUCKETS, multiple: int = PAD_MULTIPLE) -> int:
    """The padded width of an input of ``length`` tokens: the first bucket that holds it.

    An input longer than every bucket is padded to ``length`` rounded up to ``multiple``.
    """
    for w in buckets:
        if length <= w:
            return w
    return -(-length // multiple) * multiple


def length_batches(lengths: Sequence[int], batch_size: int, buckets: Sequence[int] = WIDTH_BUCKETS) -> list[list[int]]:
    """Indices grouped into batches of one :func:`bucket_width` each (stable sort: deterministic).

    Why buckets: an input's padded width then depends on its own length only, while a few wide
    buckets keep the batches of one article full (padding each input to its length rounded up to 8
    split a 20-sentence article into a dozen tiny batches). The rounding of a matrix product depends
    on the padded width and, much less, on the number of rows, so within one precision an input's
    scores move only by that last effect when other inputs share its batch (see :mod:`inference`).
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    width = None
    for i in order:
        w = bucket_width(lengths[i], buckets)
        if current and (len(current) == batch_size or w != width):
            batches.append(current)
            current = []
        current.append(i)
        width = w
    if current:
        batches.append(current)
    return batches
