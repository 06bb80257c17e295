"""The one batched inference path, used by analyze(), score(), the harness and training.

Sentences are tokenized once, grouped by padded width into batches (each input is padded to the
first of a few width buckets that holds it, so its width depends on its own length only), run
under ``torch.inference_mode`` in the Predictor's precision, and their outputs put back in the
caller's order. What else shares a batch changes only the number of rows of the matrix products,
whose rounding moves scores by at most :data:`BATCHING_TOLERANCE`.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import numpy as np
import torch

from stancekit.modeling.checkpoint import ModelConfig
from stancekit.modeling.inputs import (
    WIDTH_BUCKETS,
    EncodedItem,
    MarkerEncoder,
    bucket_width,
    collate,
    length_batches,
    width_buckets,
)
from stancekit.modeling.network import StanceNetwork
from stancekit.modeling.precision import autocast

Spans = Sequence[tuple[int, int]]

#: Most an input's scores move, within one precision, when different inputs share its batch (its
#: padded width is fixed by its own length; the number of rows still changes a matrix product's
#: rounding). Checked by ``tests/test_properties.py``; see :class:`stancekit.Analyzer`.
BATCHING_TOLERANCE = {"float32": 1e-5, "bfloat16": 5e-3}


class Predictor:
    """Runs a :class:`StanceNetwork` over sentences with marked mentions.

    ``precision`` is ``"float32"`` or ``"bfloat16"`` (resolved; see
    :mod:`stancekit.modeling.precision`). Training evaluates in float32. ``buckets`` are the padded
    widths (tokens) inputs are grouped by; the model's ``max_length`` is always added as the last.
    ``convention`` is the stance convention the inputs ask for (None: the model's default; see
    :class:`~stancekit.modeling.network.StanceNetwork`).
    """

    def __init__(
        self,
        network: StanceNetwork,
        tokenizer,
        config: ModelConfig,
        batch_size: int = 32,
        precision: str = "float32",
        buckets: Sequence[int] = WIDTH_BUCKETS,
        convention: str | None = None,
    ) -> None:
        self.network = network
        self.config = config
        self.encoder = MarkerEncoder(tokenizer, config.max_length)
        self.batch_size = batch_size
        self.precision = precision
        self.buckets = width_buckets(config.max_length, buckets)
        self.convention = convention
        self._convention_id = config.convention_index(convention)

    def with_convention(self, convention: str | None) -> Predictor:
        """The same network and settings, asking for another stance convention (checked against the model)."""
        if convention == self.convention:
            return self
        other = copy.copy(self)
        other.convention = convention
        other._convention_id = self.config.convention_index(convention)
        return other

    def encode(self, texts: Sequence[str], spans: Sequence[Spans]) -> list[EncodedItem]:
        """Inputs for the model's marking: all mentions at once, or one input per mention."""
        items = self._encode(texts, spans)
        if self._convention_id:
            for it in items:
                it.convention = self._convention_id
        return items

    def _encode(self, texts: Sequence[str], spans: Sequence[Spans]) -> list[EncodedItem]:
        if self.config.marking == "all":
            return self.encoder.encode_many(texts, spans)
        # per-pair form: one input without marks for the editorial flag, one per mention
        flat_texts, flat_spans, back = [], [], []
        for i, (t, ss) in enumerate(zip(texts, spans, strict=True)):
            flat_texts.append(t)
            flat_spans.append([])
            back.append((i, None))
            for m, sp in enumerate(ss):
                flat_texts.append(t)
                flat_spans.append([sp])
                back.append((i, m))
        items = self.encoder.encode_many(flat_texts, flat_spans)
        for it in items:
            source, mention = back[it.source]
            it.source = source
            # a long sentence is cut into windows: only the one that holds the mention carries it
            it.mention_ids = [mention] if mention is not None and it.mention_ids else []
            if mention is not None:
                it.weight = 0  # stance-only input: does not vote on the editorial flag
        return items

    def logits(self, texts: Sequence[str], spans: Sequence[Spans], features: bool = False, readout: bool = True):
        """Logits before calibration: (per sentence an (n_mentions, 3) array, (n_sentences, 2) array).

        ``features=True`` adds a third item: per sentence the stance head's input per mention, an
        (n_mentions, 3 * hidden) array (what the holder probe reads). The stance logits are the model's article
        read-out's where it has one (:mod:`stancekit.modeling.stance_readout`); ``readout=False``: the head's."""
        items = self.encode(texts, spans)
        return self.logits_for_items(items, len(texts), [len(s) for s in spans], features=features, readout=readout)

    def logits_for_items(
        self,
        items: list[EncodedItem],
        n_sources: int,
        n_mentions: Sequence[int],
        features: bool = False,
        readout: bool = True,
    ):
        n_st = len(self.config.stance_labels)
        n_ed = len(self.config.editorial_labels)
        stance = [np.zeros((k, n_st), dtype=np.float32) for k in n_mentions]
        feats: list[np.ndarray | None] = [None] * len(n_mentions)
        editorial = np.zeros((n_sources, n_ed), dtype=np.float64)
        weights = np.zeros(n_sources, dtype=np.float64)
        was_training = self.network.training
        self.network.eval()
        device = next(self.network.parameters()).device  # where training put it (a GPU, if any)
        with torch.inference_mode(), autocast(self.precision, device):
            for batch_idx in length_batches([len(it) for it in items], self.batch_size, self.buckets):
                batch_items = [items[i] for i in batch_idx]
                width = bucket_width(len(batch_items[-1]), self.buckets)  # one bucket per batch
                batch = collate(batch_items, self.encoder.pad_id, width=width).to(device)
                if features:
                    st, ed, ft = self.network(batch, features=True, readout=readout)
                    ft = ft.float().cpu().numpy()
                else:
                    st, ed = self.network(batch, readout=readout)
                st = st.float().cpu().numpy()
                ed = ed.float().cpu().numpy()
                row = 0
                for r, it in enumerate(batch_items):
                    for m in it.mention_ids:
                        stance[it.source][m] = st[row]
                        if features:
                            if feats[it.source] is None:
                                feats[it.source] = np.zeros((n_mentions[it.source], ft.shape[1]), dtype=np.float32)
                            feats[it.source][m] = ft[row]
                        row += 1
                    if it.weight > 0:  # windows vote on the editorial flag by their length
                        editorial[it.source] += ed[r] * it.weight
                        weights[it.source] += it.weight
        self.network.train(was_training)
        editorial = editorial / np.maximum(weights, 1e-12)[:, None]
        if features:
            width = next((f.shape[1] for f in feats if f is not None), 0)
            feats = [
                f if f is not None else np.zeros((k, width), dtype=np.float32)
                for f, k in zip(feats, n_mentions, strict=True)
            ]
            return stance, editorial.astype(np.float32), feats
        return stance, editorial.astype(np.float32)

    def probabilities(self, texts: Sequence[str], spans: Sequence[Spans], features: bool = False):
        """Calibrated probabilities (temperatures from the model folder); ``features``: see :meth:`logits`."""
        out = self.logits(texts, spans, features=features)
        stance, editorial = out[0], out[1]
        probs = (
            [self.config.calibrated("stance", s, self.convention) if len(s) else s for s in stance],
            self.config.calibrated("editorial", editorial, self.convention),
        )
        return (*probs, out[2]) if features else probs
