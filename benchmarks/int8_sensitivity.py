"""How many labels flip when only some linear layers of a model run in int8 (dynamic quantization).

Why: ``load(quantize=True)`` quantizes every nn.Linear and agrees with fp32 on only 91-97% of dev
labels, short of the 99% that would make it a default. This asks whether keeping some layers in
fp32 closes the gap. Usage: ``python benchmarks/int8_sensitivity.py [--model news-small]``.
"""

from __future__ import annotations

import argparse
import copy

import torch
from torch.ao.quantization import quantize_dynamic

from stancekit.data.sources import task_of
from stancekit.evaluation.evaluate import collect_logits
from stancekit.modeling.checkpoint import find_model, load_model
from stancekit.modeling.inference import Predictor
from stancekit.training.config import TrainConfig
from stancekit.training.trainer import build_examples


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", default="news-small")
    args = p.parse_args()
    folder = find_model(args.model)
    cfg = TrainConfig.from_yaml(folder / "train.yaml")
    sets = build_examples(cfg, cfg.dev_sets)
    net, tokenizer, model_cfg = load_model(folder)
    net.float().eval()

    def labels(network) -> dict:
        predictor = Predictor(network, tokenizer, model_cfg, batch_size=64)
        out = {}
        for name, examples in sets.items():
            task = task_of(name)
            logits, _ = collect_logits(predictor, examples)[task]
            out[name] = model_cfg.calibrated(task, logits).argmax(-1)
        return out

    reference = labels(net)
    linear = [n for n, m in net.named_modules() if isinstance(m, torch.nn.Linear)]
    heads = ("stance_head", "editorial_head")
    variants = {
        "every linear layer (what quantize=True does)": set(linear),
        "feed-forward layers only": {n for n in linear if ".intermediate." in n or n.endswith("output.dense")}
        - {n for n in linear if "attention" in n},
        "all but the last encoder layer and the heads": {
            n for n in linear if ".layer.5." not in n and not n.startswith(heads)
        },
        "one feed-forward layer (the first)": {next(n for n in linear if ".intermediate." in n)},
        "the two heads only": {n for n in linear if n.startswith(heads)},
    }
    print(f"{args.model}: share of dev labels identical to fp32")
    for label, spec in variants.items():
        quantized = quantize_dynamic(copy.deepcopy(net), spec, dtype=torch.qint8)
        got = labels(quantized)
        shares = ", ".join(f"{k} {float((got[k] == reference[k]).mean()):.4f}" for k in reference)
        print(f"- {label} ({len(spec)} layers): {shares}")


if __name__ == "__main__":
    main()
