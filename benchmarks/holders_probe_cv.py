"""Does the holder probe generalize? Grouped 5-fold cross-validation over articlestance train + dev.

    STANCEKIT_DATA=... PYTHONPATH=. python benchmarks/holders_probe_cv.py MODEL [MODEL ...]

For each model: holder-kind accuracy on the polar pairs of the train and dev splits of the attribution rules
alone (written while reading these sentences, so an in-sample figure), of the probe without the rules'
features, and of the probe with them, each pair predicted by a probe fitted on the other folds (folds group
pairs by sentence) and decided as ``analyze()`` decides (:meth:`HolderProbe.decide`). The fitting is the
library's (:func:`stancekit.modeling.holder_probe._fit`), over every grid point of ``fit_holder_probe``.
The test split is not read. Results:
``benchmarks/results/holders-probe.md``.
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("models", nargs="+")
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
        for components in GRID_COMPONENTS:
            for c in GRID_C:
                cells = []
                for with_rules in (False, True):
                    pred = np.zeros(len(y), dtype=bool)
                    for f in range(5):
                        tr, te = fold != f, fold == f
                        rt, re = (r[tr], r[te]) if with_rules else (0 * r[tr], 0 * r[te])
                        probe = HolderProbe.from_config(_fit(x[tr], rt, y[tr], components, c))
                        idx = np.flatnonzero(te)
                        said = decisions(probe, x[te], re, [holding[i] for i in idx], [sentences[i] for i in idx])
                        pred[te] = [d is not None for d in said]
                    cells.append(f"{np.mean(pred == y):.3f}")
                print(f"  components={components} C={c}: probe alone {cells[0]}, probe + rules {cells[1]}")


if __name__ == "__main__":
    main()
