"""Editorial flag: does a linear read-out that also learns from dev sentences beat the trained head?

    STANCEKIT_DATA=... python benchmarks/editorial_readout_cv.py MODEL [--cache DIR]

The editorial head was trained on CheckThat! and BABE train, which the fine-tuned encoder fits almost perfectly
(train accuracy 0.97-0.99), so a read-out fitted on train features sees cleaner features than new text gives
(``stance-readout.md``, "The same read-out for the editorial flag": no gain). Dev sentences are out of sample for
the encoder; this script asks whether a logistic regression over the head's input (the pooled sentence) and its
logits, fitted on train, on train + dev, or on dev alone, beats the head when dev is cross-validated:

- each of checkthat-dev and babe-dev is cut into 5 stratified folds; a fold is predicted by a read-out fitted on
  the other four folds plus the whole other dev set (and train, by mode), so every dev sentence is predicted out of
  sample; the criterion is the mean of the two sets' macro-F1, as for the other editorial trials;
- the grid: mode (train / train+dev with dev weighted 1 or 3 / dev), PCA components (0: none, 32, 128) after
  standardising, and the inverse regularisation C;
- the best cell is then fitted on train + all of dev (or dev alone, per its mode) and scored once on
  checkthat-dev-test, which chooses nothing.

Results and the decision: ``benchmarks/results/editorial-gate.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
from pathlib import Path

import numpy as np

TRAIN = ["checkthat-train", "babe-train"]
DEV = ["checkthat-dev", "babe-dev"]
HELD = "checkthat-dev-test"
MODES = [("train", 1.0), ("train+dev", 1.0), ("train+dev", 3.0), ("dev", 1.0)]
COMPONENTS = [0, 32, 128]
CS = [0.003, 0.01, 0.1, 1.0]


def pooled_features(model: str, cache: Path) -> tuple[dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]], object]:
    """{set: (pooled sentence (n, hidden), head logits (n, 2), labels (n,))}, cached per model identity.

    The pooled sentence is the editorial head's input, read with a forward hook on the head (a public PyTorch
    seam) while the predictor runs as ``analyze()`` does; windows of a long sentence vote by length as there."""
    import torch

    import stancekit
    from stancekit.data.examples import build_examples
    from stancekit.data.sources import load_rows
    from stancekit.modeling.inputs import bucket_width, collate, length_batches

    analyzer = stancekit.load(model, precision="float32")
    key = hashlib.sha256(json.dumps(analyzer.identity(), sort_keys=True, default=str).encode()).hexdigest()[:16]
    path = cache / f"{model.replace('/', '_')}-{key}-pooled.npz"
    names = TRAIN + DEV + [HELD]
    if path.is_file():
        with np.load(path) as z:
            return {n: (z[f"{n}:x"], z[f"{n}:l"], z[f"{n}:y"]) for n in names}, analyzer.config
    predictor = analyzer.new_predictor()
    net = predictor.network
    out = {}
    seen: list[tuple[np.ndarray, np.ndarray]] = []  # what the hook read in the last forward pass
    hook = net.editorial_head.register_forward_hook(
        lambda _m, args, logits: seen.append((args[0].float().cpu().numpy(), logits.float().cpu().numpy()))
    )
    marking = analyzer.config.marking
    was_training = net.training
    net.eval()
    try:
        for name in names:
            rows = load_rows(name, babe_labels="opinion")
            examples = build_examples({"editorial": rows}, marking, find_mentions=analyzer.find_mentions)
            items = predictor.encode([e.text for e in examples], [e.spans for e in examples])
            n = len(examples)
            pooled = logits = None
            weights = np.zeros(n)
            with torch.inference_mode():
                for idx in length_batches([len(it) for it in items], predictor.batch_size, predictor.buckets):
                    batch_items = [items[i] for i in idx]
                    width = bucket_width(len(batch_items[-1]), predictor.buckets)
                    net(collate(batch_items, predictor.encoder.pad_id, width=width))
                    p, lg = seen.pop()
                    if pooled is None:
                        pooled, logits = np.zeros((n, p.shape[1])), np.zeros((n, lg.shape[1]))
                    for r, it in enumerate(batch_items):
                        if it.weight > 0:
                            pooled[it.source] += p[r] * it.weight
                            logits[it.source] += lg[r] * it.weight
                            weights[it.source] += it.weight
            labels = np.array([e.editorial for e in examples])
            out[name] = (pooled / weights[:, None], logits / weights[:, None], labels)
    finally:
        hook.remove()
        net.train(was_training)
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(path, **{f"{n}:{k}": v for n, t in out.items() for k, v in zip("xly", t, strict=True)})
    return out, analyzer.config


def fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, components: int, c: float):
    """Standardise -> PCA (optional) -> logistic regression; returns a predict function."""
    from sklearn.decomposition import PCA
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(x)
    xs = scaler.transform(x)
    pca = PCA(components, random_state=0).fit(xs) if components else None
    lr = LogisticRegression(C=c, max_iter=3000).fit(pca.transform(xs) if pca else xs, y, sample_weight=w)

    def predict(q: np.ndarray) -> np.ndarray:
        qs = scaler.transform(q)
        return lr.predict(pca.transform(qs) if pca else qs)

    return predict


def training_rows(mode: str, dev_weight: float, train: tuple, dev_x: np.ndarray, dev_y: np.ndarray):
    """(features, labels, sample weights) a mode fits on: train, train + dev (dev weighted), or dev alone."""
    parts = ([(*train, 1.0)] if mode != "dev" else []) + ([(dev_x, dev_y, dev_weight)] if mode != "train" else [])
    x = np.vstack([p[0] for p in parts])
    y = np.concatenate([p[1] for p in parts])
    w = np.concatenate([np.full(len(p[1]), p[2]) for p in parts])
    return x, y, w


def main() -> None:
    from sklearn.model_selection import StratifiedKFold

    from stancekit.evaluation.metrics import macro_f1

    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--cache", default="runs/editorial-readout")
    args = ap.parse_args()

    data, config = pooled_features(args.model, Path(args.cache))
    feats = {n: np.c_[x, lg] for n, (x, lg, _y) in data.items()}
    labels = {n: y for n, (_x, _lg, y) in data.items()}
    train = (np.vstack([feats[n] for n in TRAIN]), np.concatenate([labels[n] for n in TRAIN]))

    def f1(y, p):
        return float(macro_f1(np.asarray(y), np.asarray(p, dtype=int), 2))

    head = {n: f1(labels[n], config.calibrated("editorial", data[n][1], None).argmax(1)) for n in DEV + [HELD]}
    print("head (calibrated, as shipped):", json.dumps({k: round(v, 4) for k, v in head.items()}), flush=True)
    print(f"head dev mean: {np.mean([head[n] for n in DEV]):.4f}", flush=True)

    cells = []
    for (mode, dev_weight), components, c in itertools.product(MODES, COMPONENTS, CS):
        scores = {}
        for held in DEV:
            other = [n for n in DEV if n != held]
            pred = np.zeros(len(labels[held]), dtype=int)
            folds = StratifiedKFold(5, shuffle=True, random_state=0).split(feats[held], labels[held])
            for fit_idx, test_idx in folds:
                dev_x = np.vstack([feats[held][fit_idx]] + [feats[n] for n in other])
                dev_y = np.concatenate([labels[held][fit_idx]] + [labels[n] for n in other])
                x, y, w = training_rows(mode, dev_weight, train, dev_x, dev_y)
                pred[test_idx] = fit(x, y, w, components, c)(feats[held][test_idx])
            scores[held] = f1(labels[held], pred)
        mean = float(np.mean(list(scores.values())))
        cells.append((mean, mode, dev_weight, components, c, scores))
        print(
            f"{mode:9s} dev x{dev_weight:g} comps {components:3d} C {c:<5g} "
            + " ".join(f"{n} {s:.4f}" for n, s in scores.items())
            + f" mean {mean:.4f}",
            flush=True,
        )
    best = max(cells, key=lambda cell: cell[0])
    mean, mode, dev_weight, components, c, _scores = best
    head_mean = np.mean([head[n] for n in DEV])
    dev_x = np.vstack([feats[n] for n in DEV])
    dev_y = np.concatenate([labels[n] for n in DEV])
    x, y, w = training_rows(mode, dev_weight, train, dev_x, dev_y)
    held = f1(labels[HELD], fit(x, y, w, components, c)(feats[HELD]))
    print(
        f"best cell: {mode} dev x{dev_weight:g}, comps {components}, C {c}: cross-validated dev mean {mean:.4f} "
        f"(head {head_mean:.4f}); refitted on all of it, {HELD} {held:.4f} (head {head[HELD]:.4f})"
    )


if __name__ == "__main__":
    main()
