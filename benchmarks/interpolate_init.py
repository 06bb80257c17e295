"""Mix a continued model's weights back toward the model it started from, for several mixes, and score each on dev.

    STANCEKIT_DATA=../shared/data PYTHONPATH=. python benchmarks/interpolate_init.py RUN ALPHA [ALPHA ...]

RUN is a trained folder whose ``train.yaml`` names ``init_from`` (full weights). For each ALPHA (0 = the
starting model, 1 = RUN) it writes ``RUN-a<ALPHA>``: the weights ``(1 - a) * start + a * trained``
(:func:`stancekit.training.selection.interpolate_states`, what ``interpolate_init`` does at the end of a run),
the calibration refitted on the run's dev sets (:func:`stancekit.training.trainer.recalibrate`), and a
``train.yaml`` with ``interpolate_init: a``; then prints the calibrated macro-F1 of the dev sets and the run's
report sets. The mix is chosen on the dev sets (``benchmarks/results/retraining-articlestance.md``).
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from stancekit.modeling.checkpoint import load_initial_weights, load_model, save_model
from stancekit.training.config import TrainConfig
from stancekit.training.selection import cpu_state, interpolate_states
from stancekit.training.trainer import recalibrate


def starting_state(run: Path):
    """(network, tokenizer, model config, the run's weights, the weights it started from as the trainer set
    them up, the run's training config)."""
    cfg = TrainConfig.from_yaml(run / "train.yaml")
    if not cfg.init_from or cfg.weights != "full":
        raise SystemExit(f"{run}: needs a run with init_from and full weights")
    network, tokenizer, model_cfg = load_model(run)
    trained = cpu_state(network)
    load_initial_weights(network, model_cfg, cfg.init_from)
    return network, tokenizer, model_cfg, trained, cpu_state(network), cfg


def main(argv: list[str]) -> None:
    if len(argv) < 2:
        raise SystemExit(__doc__)
    run = Path(argv[0])
    network, tokenizer, model_cfg, trained, start, cfg = starting_state(run)
    for alpha in (float(a) for a in argv[1:]):
        out = run.with_name(f"{run.name}-a{alpha:g}")
        shutil.rmtree(out, ignore_errors=True)
        shutil.copytree(run, out)
        network.load_state_dict(start if alpha == 0 else interpolate_states(start, trained, alpha))
        save_model(network, tokenizer, model_cfg, out)
        cfg.interpolate_init = alpha or None
        cfg.output_dir = str(out)
        (out / "train.yaml").write_text(cfg.to_yaml(), "utf-8")
        metrics = recalibrate(out, mode=cfg.calibration)
        metrics["interpolated"] = {"alpha": alpha, "by": "benchmarks/interpolate_init.py"}
        (out / "training_metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", "utf-8")
        scores = {name: rep["macro_f1"] for name, rep in {**metrics["dev"], **metrics["report"]}.items()}
        print(f"alpha {alpha:g}: " + ", ".join(f"{k} {v:.3f}" for k, v in scores.items()), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
