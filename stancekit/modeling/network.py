"""The network: one transformer encoder, learned target markers, a stance and an editorial head.

Where a sentence's stance is computed: :meth:`StanceNetwork.forward` reads each mention's
start and end marker states (plus the pooled sentence) into the stance head; the editorial
head reads the pooled sentence. Both heads share the encoder, so one pass serves both.
"""

from __future__ import annotations

import torch
from torch import nn

from stancekit.modeling.inputs import END_MARK, START_MARK, Batch


class Head(nn.Module):
    """dropout -> dense -> tanh -> dropout -> linear: the usual classification head."""

    def __init__(self, in_dim: int, hidden: int, n_labels: int, dropout: float) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.Dropout(dropout),
            nn.Linear(in_dim, hidden),
            nn.Tanh(),
            nn.Dropout(dropout),
            nn.Linear(hidden, n_labels),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x)


class StanceNetwork(nn.Module):
    """Encoder + marker embeddings + stance head (3 labels) + editorial head (2 labels).

    ``n_conventions`` > 0 adds one learned vector per stance convention other than the default, added to every
    token's input embedding of an input that asks for it (as BERT's segment embeddings are): a training set
    labelled under another convention (NewsMTSC) is learnt under its own vector and does not pull the default.
    The default (convention 0) adds nothing, so a network without conventions computes what it always did.
    """

    def __init__(
        self, encoder: nn.Module, n_stance: int = 3, n_editorial: int = 2, dropout: float = 0.1, n_conventions: int = 0
    ) -> None:
        super().__init__()
        self.encoder = encoder
        hidden = encoder.config.hidden_size
        emb = encoder.get_input_embeddings().weight
        std = float(emb.detach().std())
        self.markers = nn.Parameter(torch.randn(2, hidden) * std)
        self.stance_head = Head(3 * hidden, hidden, n_stance, dropout)
        self.editorial_head = Head(hidden, hidden, n_editorial, dropout)
        # zero at first: a convention starts where the default is and learns only what its labels differ in
        self.conventions = nn.Parameter(torch.zeros(n_conventions, hidden)) if n_conventions else None
        # the article read-out (stancekit.modeling.stance_readout): fitted after training, kept in the model
        # folder's config, never in the weights file nor trained (non-persistent buffers)
        self.register_buffer("readout_weight", None, persistent=False)
        self.register_buffer("readout_bias", None, persistent=False)

    def set_readout(self, entry: dict | None, where: str = "stancekit_config.json") -> None:
        """Use a config's ``stance_readout`` entry for the default convention's stance logits (None: the head's);
        an entry of another width is a ConfigError naming ``where``."""
        if entry is None:
            self.readout_weight = self.readout_bias = None
            return
        from stancekit.modeling.stance_readout import check_width

        check_width(entry, self.markers.shape[1], self.stance_head.net[-1].out_features, where)
        device = self.markers.device
        self.readout_weight = torch.tensor(entry["weights"], dtype=torch.float32, device=device)
        self.readout_bias = torch.tensor(entry["bias"], dtype=torch.float32, device=device)

    def forward(self, batch: Batch, features: bool = False, readout: bool = True):
        """Return (stance logits per mention (M, 3), editorial logits per input (B, 2)).

        ``features=True`` also returns the stance head's input per mention (M, 3 * hidden): the holder probe
        (:mod:`stancekit.modeling.holder_probe`) reads it, so it costs no second pass. With a read-out set
        (:meth:`set_readout`) the default convention's mentions take its logits; ``readout=False`` gives the
        head's (what the read-out is fitted on)."""
        embeds = self.encoder.get_input_embeddings()(batch.input_ids)
        types = batch.marker_types.unsqueeze(-1)
        markers = self.markers.to(embeds.dtype)
        embeds = torch.where(types == START_MARK, markers[0], embeds)
        embeds = torch.where(types == END_MARK, markers[1], embeds)
        conv = batch.convention
        if self.conventions is not None and conv is not None and bool((conv > 0).any()):
            table = torch.cat([self.conventions.new_zeros(1, self.conventions.shape[1]), self.conventions])
            embeds = embeds + table.to(embeds.dtype)[conv].unsqueeze(1)
        hidden = self.encoder(inputs_embeds=embeds, attention_mask=batch.attention_mask).last_hidden_state
        # the pooling and heads run in float32 even when the encoder ran under bfloat16 autocast:
        # they cost little, and the logits (hence the scores users read) keep float32 resolution
        with torch.autocast(hidden.device.type, enabled=False):
            hidden = hidden.float()
            mask = batch.attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1.0)
            editorial = self.editorial_head(pooled)
            idx = batch.mention_index
            if idx.numel():
                rows, starts, ends = idx[:, 0], idx[:, 1], idx[:, 2]
                feats = torch.cat([hidden[rows, starts], hidden[rows, ends], pooled[rows]], dim=-1)
                stance = self.stance_head(feats)
                if readout and self.readout_weight is not None:
                    own = torch.cat([feats, stance], dim=-1) @ self.readout_weight.T + self.readout_bias
                    default = conv[rows] == 0 if conv is not None else None
                    stance = own if default is None else torch.where(default[:, None], own, stance)
            else:
                feats = hidden.new_zeros((0, 3 * hidden.shape[-1]))
                stance = hidden.new_zeros((0, self.stance_head.net[-1].out_features))
        return (stance, editorial, feats) if features else (stance, editorial)
