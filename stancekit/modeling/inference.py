"""The one batched inference path, used by analyze(), score(), the harness and training.

Sentences are tokenized once, sorted by length into batches, each input padded to its own
length rounded up to 8 tokens (so short and long sentences never share a padded width),
run under ``torch.inference_mode`` in the Predictor's precision, and their outputs put back
in the caller's order. Because an input's padded width depends on nothing else, its scores
are bit-identical whatever the batch size or the order of the inputs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import torch

from stancekit.modeling.checkpoint import ModelConfig
from stancekit.modeling.inputs import EncodedItem, MarkerEncoder, bucket_width, collate, length_batches
from stancekit.modeling.network import StanceNetwork
from stancekit.modeling.precision import autocast

Spans = Sequence[tuple[int, int]]


class Predictor:
    """Runs a :class:`StanceNetwork` over sentences with marked mentions.

    ``precision`` is ``"float32"`` or ``"bfloat16"`` (resolved; see
    :mod:`stancekit.modeling.precision`). Training evaluates in float32.
    """

    def __init__(
        self,
        network: StanceNetwork,
        tokenizer,
        config: ModelConfig,
        batch_size: int = 32,
        precision: str = "float32",
    ) -> None:
        self.network = network
        self.config = config
        self.encoder = MarkerEncoder(tokenizer, config.max_length)
        self.batch_size = batch_size
        self.precision = precision

    def encode(self, texts: Sequence[str], spans: Sequence[Spans]) -> list[EncodedItem]:
        """Inputs for the model's marking: all mentions at once, or one input per mention."""
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

    def logits(self, texts: Sequence[str], spans: Sequence[Spans]) -> tuple[list[np.ndarray], np.ndarray]:
        """Raw logits: (per sentence an (n_mentions, 3) array, (n_sentences, 2) array)."""
        items = self.encode(texts, spans)
        return self.logits_for_items(items, len(texts), [len(s) for s in spans])

    def logits_for_items(
        self, items: list[EncodedItem], n_sources: int, n_mentions: Sequence[int]
    ) -> tuple[list[np.ndarray], np.ndarray]:
        n_st = len(self.config.stance_labels)
        n_ed = len(self.config.editorial_labels)
        stance = [np.zeros((k, n_st), dtype=np.float32) for k in n_mentions]
        editorial = np.zeros((n_sources, n_ed), dtype=np.float64)
        weights = np.zeros(n_sources, dtype=np.float64)
        was_training = self.network.training
        self.network.eval()
        device = next(self.network.parameters()).device  # where training put it (a GPU, if any)
        with torch.inference_mode(), autocast(self.precision, device):
            for batch_idx in length_batches([len(it) for it in items], self.batch_size):
                batch_items = [items[i] for i in batch_idx]
                width = bucket_width(len(batch_items[-1]))  # sorted: the last is the longest
                st, ed = self.network(collate(batch_items, self.encoder.pad_id, width=width).to(device))
                st = st.float().cpu().numpy()
                ed = ed.float().cpu().numpy()
                row = 0
                for r, it in enumerate(batch_items):
                    for m in it.mention_ids:
                        stance[it.source][m] = st[row]
                        row += 1
                    if it.weight > 0:  # windows vote on the editorial flag by their length
                        editorial[it.source] += ed[r] * it.weight
                        weights[it.source] += it.weight
        self.network.train(was_training)
        editorial = editorial / np.maximum(weights, 1e-12)[:, None]
        return stance, editorial.astype(np.float32)

    def probabilities(self, texts: Sequence[str], spans: Sequence[Spans]) -> tuple[list[np.ndarray], np.ndarray]:
        """Calibrated probabilities (temperatures from the model folder)."""
        stance, editorial = self.logits(texts, spans)
        return (
            [self.config.calibrated("stance", s) if len(s) else s for s in stance],
            self.config.calibrated("editorial", editorial),
        )
