"""Dev sets read under each stance convention a model knows: does it follow the convention it is asked for?

    STANCEKIT_DATA=../shared/data PYTHONPATH=. python benchmarks/conventions.py MODEL [SET ...]

Prints raw and calibrated stance macro-F1 of each set (default: NewsMTSC rw/mt dev and articlestance-dev) under
the default convention and under each of the model's others (benchmarks/results/retraining-articlestance.md).
Dev sets only: the test splits are scored by the harness, never here.
"""

from __future__ import annotations

import sys

import stancekit
from stancekit.data.examples import build_examples
from stancekit.data.sources import load_rows
from stancekit.evaluation.evaluate import collect_logits
from stancekit.evaluation.metrics import macro_f1

DEFAULT_SETS = ["newsmtsc-rw-dev", "newsmtsc-mt-dev", "articlestance-dev"]


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit(__doc__)
    sets = argv[1:] or DEFAULT_SETS
    if any(s.endswith("-test") for s in sets):
        raise SystemExit("dev sets only: the test splits are scored by `stancekit bench`")
    an = stancekit.load(argv[0])
    cfg = an.config
    print(f"{argv[0]}: conventions {['article', *cfg.conventions]}")
    for name in sets:
        examples = build_examples({"stance": load_rows(name)}, cfg.marking, find_mentions=an.find_mentions)
        for conv in [None, *cfg.conventions]:
            logits, labels = collect_logits(an.new_predictor().with_convention(conv), examples)["stance"]
            calibrated = cfg.calibrated("stance", logits, conv)
            print(
                f"{name:20s} {conv or 'article':10s} raw {macro_f1(labels, logits.argmax(-1), 3):.3f} "
                f"calibrated {macro_f1(labels, calibrated.argmax(-1), 3):.3f} (n={len(labels)})",
                flush=True,
            )


if __name__ == "__main__":
    main(sys.argv[1:])
