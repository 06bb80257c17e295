"""What the article read-out trades: articlestance-dev against NewsMTSC dev read under the default convention.

    STANCEKIT_DATA=... PYTHONPATH=. python benchmarks/stance_readout_sweep.py MODEL [--newsmtsc 3000]

For a model folder: stance macro-F1 of its stance head (the read-out off) on articlestance-dev and on NewsMTSC
rw/mt dev read under the default convention (as ``analyze()`` reads them), then the same for read-outs fitted
(:func:`stancekit.modeling.stance_readout.fit_arrays`, classes unbalanced) on articlestance-train alone (weight 0)
and with a sample of NewsMTSC train pairs added at weights 0.25, 0.5 and 1, over the library's grid of components
and C; the read-out ``stancekit fit-readout`` chooses (:func:`~stancekit.modeling.stance_readout.choose_readout`); and
articlestance-dev split by the sentences' source (NewsMTSC vs BABE sentences, both annotated under the article
guidelines) for the head and the read-out fitted as ``stancekit fit-readout`` fits it. Then, for the model's own
read-out against its head: articlestance-dev's neutral pairs called neutral, its polar pairs found by holder (the
writer or a source) and the precision of positive calls (each sentence scored with its annotated actor pairs
marked). ``--holders-only`` prints
that part alone. Dev splits only; the test splits are not read. Results: ``benchmarks/results/stance-readout.md``.
"""

from __future__ import annotations

import argparse
import random

import numpy as np

import stancekit
from stancekit.data.articlestance import load_pairs, stance_rows
from stancekit.data.sources import load_rows
from stancekit.evaluation.metrics import macro_f1
from stancekit.modeling.stance_readout import (
    GRID_C,
    GRID_COMPONENTS,
    apply_arrays,
    choose_readout,
    fit_arrays,
    labelled_arrays,
)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("model")
    ap.add_argument("--newsmtsc", type=int, default=3000, help="NewsMTSC train rows drawn (seed 0)")
    ap.add_argument("--holders-only", action="store_true", help="only the by-holder figures of the model's read-out")
    args = ap.parse_args()
    an = stancekit.load(args.model, precision="float32")
    if args.holders_only:
        by_holder(an, args.model)
        return
    n = len(an.config.stance_labels)
    nm = load_rows("newsmtsc-train")
    random.Random(0).shuffle(nm)
    dev_rows = stance_rows("dev")
    sets = {
        "as-train": stance_rows("train"),
        "as-dev": dev_rows,
        "rw-dev": load_rows("newsmtsc-rw-dev"),
        "mt-dev": load_rows("newsmtsc-mt-dev"),
        "nm-train": nm[: args.newsmtsc],
        "as-dev newsmtsc sentences": [r for r in dev_rows if r["group"].startswith("newsmtsc")],
        "as-dev babe sentences": [r for r in dev_rows if r["group"].startswith("babe")],
    }
    data = {name: labelled_arrays(an, rows) for name, rows in sets.items()}
    shown = ("as-dev", "rw-dev", "mt-dev")

    def scores(entry) -> str:
        cells = []
        for name in shown:
            f, lg, y = data[name]
            out = lg if entry is None else apply_arrays(entry, f, lg)
            cells.append(f"{name} {macro_f1(y, out.argmax(1), n):.3f}")
        return ", ".join(cells)

    print(f"{args.model}: {', '.join(f'{k} {len(v[2])}' for k, v in data.items())} pairs")
    print(f"head (no read-out): {scores(None)}")
    ft, lt, yt = data["as-train"]
    fn, ln, yn = data["nm-train"]
    for w in (0.0, 0.25, 0.5, 1.0):
        f, lg, y = (ft, lt, yt) if w == 0 else (np.r_[ft, fn], np.r_[lt, ln], np.r_[yt, yn])
        sw = None if w == 0 else np.r_[np.ones(len(yt)), np.full(len(yn), w)]
        for components in GRID_COMPONENTS:
            for c in GRID_C:
                entry = fit_arrays(f, lg, y, components, c, n, sample_weight=sw)
                print(f"newsmtsc weight {w} components={components} C={c}: {scores(entry)}", flush=True)
    chosen, _, _ = choose_readout(data["as-train"], data["as-dev"], n)
    print(
        f"as fit-readout chooses (balance {chosen['balance']}, components {chosen['components']}, C {chosen['C']}): "
        f"{scores(chosen)}"
    )
    for name in ("as-dev newsmtsc sentences", "as-dev babe sentences"):
        f, lg, y = data[name]
        head = macro_f1(y, lg.argmax(1), n)
        read = macro_f1(y, apply_arrays(chosen, f, lg).argmax(1), n)
        gold = np.bincount(y, minlength=n).tolist()
        print(f"{name} ({len(y)} pairs, gold {gold}): head {head:.3f}, read-out {read:.3f}")
    by_holder(an, args.model)


def by_holder(an, model: str) -> None:
    """articlestance-dev with the model's own read-out off and on: neutral pairs called neutral, polar pairs right
    by holder kind (each sentence scored once with its annotated actor pairs marked)."""
    labels = an.config.stance_labels
    pairs = [p for p in load_pairs("dev") if p.get("actor") and p["stance"] in labels]
    groups: dict[str, list[int]] = {}
    for i, p in enumerate(pairs):
        groups.setdefault(p["sid"], []).append(i)
    texts = [pairs[g[0]]["text"] for g in groups.values()]
    spans = [[(pairs[i]["start"], pairs[i]["end"]) for i in g] for g in groups.values()]
    for readout in (False, True):
        stance, _ = an.logits(texts, spans, readout=readout)
        said = [""] * len(pairs)
        for g, rows in zip(groups.values(), stance, strict=True):
            for i, row in zip(g, rows, strict=True):
                said[i] = labels[int(row.argmax())]
        cells = []
        neutral = [i for i, p in enumerate(pairs) if p["stance"] == "neutral"]
        cells.append(f"neutral called neutral {np.mean([said[i] == 'neutral' for i in neutral]):.2f} ({len(neutral)})")
        for kind in ("author", "source"):
            idx = [i for i, p in enumerate(pairs) if p["stance"] != "neutral" and p.get("holder") == kind]
            cells.append(f"polar held by {kind} right {np.mean([said[i] == pairs[i]['stance'] for i in idx]):.2f} "
                         f"({len(idx)})")  # fmt: skip
        called = [i for i in range(len(pairs)) if said[i] == "positive"]
        cells.append(f"positive calls right {np.mean([pairs[i]['stance'] == 'positive' for i in called]):.2f} "
                     f"({len(called)})")  # fmt: skip
        print(f"{model} articlestance-dev, {'read-out' if readout else 'head'}: {', '.join(cells)}")


if __name__ == "__main__":
    main()
