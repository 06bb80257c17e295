"""Does the holder probe generalize? Grouped 5-fold cross-validation over articlestance train + dev.

    STANCEKIT_DATA=... PYTHONPATH=. python benchmarks/holders_probe_cv.py MODEL [MODEL ...]

For each model: holder-kind accuracy on the polar pairs of the train and dev splits of the attribution rules
alone (written while reading these sentences, so an in-sample figure), of the probe without the rules'
features, and of the probe with them, each pair predicted by a probe fitted on the other folds (folds group
pairs by sentence) and decided as ``analyze()`` decides (:meth:`HolderProbe.decide`). The fitting is the
library's (:func:`stancekit.modeling.holder_probe._fit`), over every grid point of ``fit_holder_probe``.
``--learning-curve`` instead fits the probe (rules included, 64 components, C 0.1) on a share of each fold's
training sentences (a quarter, a half, three quarters: three random draws each; all), to ask whether more annotated
pairs would move holder kind. The test split is not read. Results: ``benchmarks/results/holders-probe.md``.
"""

from __future__ import annotations

import argparse

import numpy as np

import stancekit
from stancekit.data.articlestance import load_pairs
from stancekit.evaluation.holders import PipelineMentions
from stancekit.modeling.holder_probe import GRID_C, GRID_COMPONENTS, HolderProbe, _fit, _polar, decisions, probe_inputs


def folds(groups: list[str], k: int = 5) -> list[np.ndarray]:
    """Fold index per pair: sentences dealt round-robin in order of first appearance."""
    order = {g: i % k for i, g in enumerate(dict.fromkeys(groups))}
    return np.array([order[g] for g in groups])


def cross_fitted(x, r, y, holding, sentences, fold, train_mask, components: int = 64, c: float = 0.1) -> np.ndarray:
    """Each pair's holder kind (True: source) from a probe fitted on the other folds' pairs that ``train_mask``
    keeps, decided as ``analyze()`` decides."""
    pred = np.zeros(len(y), dtype=bool)
    for f in np.unique(fold):
        tr, te = (fold != f) & train_mask, fold == f
        probe = HolderProbe.from_config(_fit(x[tr], r[tr], y[tr], components, c))
        idx = np.flatnonzero(te)
        said = decisions(probe, x[te], r[te], [holding[i] for i in idx], [sentences[i] for i in idx])
        pred[te] = [d is not None for d in said]
    return pred


def learning_curve(x, r, y, holding, sentences, sids: list[str]) -> None:
    fold = folds(sids)
    order = list(dict.fromkeys(sids))
    rng = np.random.default_rng(0)
    for share in (0.25, 0.5, 0.75, 1.0):
        accs = []
        for _ in range(3 if share < 1 else 1):
            kept = set(rng.permutation(order)[: int(round(share * len(order)))])
            mask = np.array([s in kept for s in sids])
            accs.append(float(np.mean(cross_fitted(x, r, y, holding, sentences, fold, mask) == y)))
        draws = ", ".join(f"{a:.3f}" for a in accs)
        print(f"  {share:.0%} of the training sentences: holder kind {np.mean(accs):.3f} ({draws})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("models", nargs="+")
    ap.add_argument("--learning-curve", action="store_true", help="holder kind against the share of training pairs")
    args = ap.parse_args()
    pairs = [p for split in ("train", "dev") for p in load_pairs(split) if p.get("actor")]
    actors = PipelineMentions()
    for model in args.models:
        an = stancekit.load(model, precision="float32")
        x, r, holding, sentences = probe_inputs(an, pairs, actors)
        keep = _polar(pairs)
        x, r = x[keep], r[keep]
        holding, sentences = [holding[i] for i in keep], [sentences[i] for i in keep]
        y = np.array([pairs[i]["holder"] == "source" for i in keep], dtype=int)
        fold = folds([pairs[i]["sid"] for i in keep])
        print(f"{model}: {len(y)} polar pairs; rules alone {np.mean(r[:, 0] == y):.3f}")
        if args.learning_curve:
            learning_curve(x, r, y, holding, sentences, [pairs[i]["sid"] for i in keep])
            continue
        every = np.ones(len(y), dtype=bool)
        for components in GRID_COMPONENTS:
            for c in GRID_C:
                cells = [
                    f"{np.mean(cross_fitted(x, rules, y, holding, sentences, fold, every, components, c) == y):.3f}"
                    for rules in (0 * r, r)
                ]
                print(f"  components={components} C={c}: probe alone {cells[0]}, probe + rules {cells[1]}")


if __name__ == "__main__":
    main()
