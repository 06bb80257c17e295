"""LoRA adapters (via ``peft``) for encoders whose full weights are too big to ship."""

from __future__ import annotations

#: Attention and feed-forward projections of BERT-like and MPNet encoders.
DEFAULT_TARGETS = ["query", "key", "value", "dense", "q", "k", "v", "o", "intermediate.dense", "output.dense"]


def attach_lora(encoder, spec: dict):
    """Wrap ``encoder`` with LoRA adapters described by ``spec`` (r, alpha, dropout, targets)."""
    from peft import LoraConfig, get_peft_model

    names = {n.split(".")[-1] for n, _ in encoder.named_modules()}
    targets = spec.get("target_modules") or sorted({t for t in DEFAULT_TARGETS if t.split(".")[-1] in names})
    config = LoraConfig(
        r=int(spec.get("r", 16)),
        lora_alpha=int(spec.get("alpha", 32)),
        lora_dropout=float(spec.get("dropout", 0.05)),
        target_modules=targets,
        bias="none",
    )
    return get_peft_model(encoder, config)
