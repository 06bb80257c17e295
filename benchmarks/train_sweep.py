"""Train many variants of one config in parallel on a GPU machine that has neither spaCy nor the data.

Why: a 2-epoch news-small run takes ~37 min on our 2-core CPU and ~70 s on one GPU, and seed
alone moves NewsMTSC mt dev macro-F1 by five points (0.715-0.765), so choosing a model on dev
needs many runs. The GPU machines we are sometimes lent have torch and transformers but no
spaCy, ``datasets`` or network, and only 64 MiB travels per call. So:

1. ``prepare`` (here): build the training/dev/report examples once (spaCy marks every actor
   mention) and, with ``--teacher``, the teacher's logits for the training examples; pickle
   both into a git-ignored cache folder. They hold dataset text: never commit them.
2. ``run`` (there): each variant is ``Trainer(cfg, ...).run()`` -- the one training path -- in its
   own process, given the cached examples and teacher logits through the Trainer's parameters; a ranking by mean
   dev macro-F1 is printed and the best folder is tarred in pieces (files come back <= 16 MiB).

news-base's base encoder (all-mpnet-base-v2, 438 MB) does not fit in one call: cast it to float16
(219 MB), split it into four files under 64 MiB, carry one per call into the warm machine's ``/tmp``
(the carried folders themselves are replaced at every call; ``/tmp`` stays while the machine is held),
then join them there and cast back to float32 into ``$STANCEKIT_CACHE/all-mpnet-base-v2``, where the
encoder resolver looks first. The MiniLM base travels the same way in one piece.

Usage::

    python benchmarks/train_sweep.py prepare --config models/news-small/train.yaml --cache .devcarry \
        [--teacher models/news-base]
    python benchmarks/train_sweep.py run --config .devcarry/train.yaml --cache .devcarry --grid distill \
        --parallel 6 --launch-until 100 --kill-at 200 --out $OUT
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import subprocess
import sys
import time
from pathlib import Path

TEACHER = "models/news-base"
GRIDS: dict[str, list[tuple[str, dict]]] = {
    # sweep 1: epochs, learning rate, seeds, batch size, loss weights, dropout, marking
    "hyper": [
        ("ref", {}),
        ("e3", {"epochs": 3}),
        ("e3-lr5", {"epochs": 3, "learning_rate": 5e-5}),
        ("e2-s21", {"seed": 21}),
        ("e2-s42", {"seed": 42}),
        ("e4-lr5", {"epochs": 4, "learning_rate": 5e-5}),
        ("e3-s21", {"epochs": 3, "seed": 21}),
        ("e3-s42", {"epochs": 3, "seed": 42}),
        ("e3-lr12", {"epochs": 3, "learning_rate": 1.2e-4}),
        ("e3-ed2", {"epochs": 3, "editorial_loss_weight": 2.0}),
        ("e3-bs32", {"epochs": 3, "batch_size": 32, "learning_rate": 1.2e-4}),
        ("e4-ev4", {"epochs": 4, "evals_per_epoch": 4, "patience": 4}),
        ("e3-do2", {"epochs": 3, "dropout": 0.2}),
        ("e3-lr5-s21", {"epochs": 3, "learning_rate": 5e-5, "seed": 21}),
        ("e3-tgt", {"epochs": 3, "marking": "target"}),
        ("e3-s7", {"epochs": 3, "seed": 7}),
        ("e2-s7", {"seed": 7}),
        ("e3-ed05", {"epochs": 3, "editorial_loss_weight": 0.5}),
    ],
    # sweep 2: the committed recipe (2 epochs) under twelve more seeds
    "seeds": [(f"e2-s{s}", {"seed": s}) for s in (1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 14)],
    # sweep 3: distillation from news-base (weight, temperature, epochs, seeds)
    "distill": [
        (name, {"seed": s, "epochs": e, "teacher": TEACHER, "distill_weight": w, "distill_temperature": t})
        for name, s, e, w, t in [
            ("d1-e2-s42", 42, 2, 1.0, 2.0),
            ("d1-e2-s14", 14, 2, 1.0, 2.0),
            ("d1-e3-s42", 42, 3, 1.0, 2.0),
            ("d2-e2-s42", 42, 2, 2.0, 2.0),
            ("d1-e2-s21", 21, 2, 1.0, 2.0),
            ("d1-e3-s14", 14, 3, 1.0, 2.0),
            ("d05-e2-s42", 42, 2, 0.5, 2.0),
            ("d1t1-e2-s42", 42, 2, 1.0, 1.0),
            ("d2-e3-s14", 14, 3, 2.0, 2.0),
            ("d1-e2-s9", 9, 2, 1.0, 2.0),
            ("d2-e2-s14", 14, 2, 2.0, 2.0),
            ("d1-e2-s8", 8, 2, 1.0, 2.0),
        ]
    ],
    # sweep 4 (news-base's config, MPNet LoRA): epochs, LoRA rank, learning rate, seed, editorial loss weight
    "base": [
        ("b-e2", {"epochs": 2}),
        ("b-e3", {"epochs": 3}),
        ("b-e2-r32", {"epochs": 2, "lora": {"r": 32, "alpha": 64, "dropout": 0.05}}),
        ("b-e2-lr3", {"epochs": 2, "learning_rate": 3e-4}),
        ("b-e3-s14", {"epochs": 3, "seed": 14}),
        ("b-e2-ed15", {"epochs": 2, "editorial_loss_weight": 1.5}),
    ],
    # sweep 5 (news-small's config, distilled from the 3-epoch news-base): epochs, seeds, loss weights, lr
    "distill2": [
        (name, {**overrides, "teacher": TEACHER})
        for name, overrides in [
            ("s-e3", {"epochs": 3}),
            ("s-e4", {"epochs": 4}),
            ("s-e3-ed15", {"epochs": 3, "editorial_loss_weight": 1.5}),
            ("s-e3-s15", {"epochs": 3, "seed": 15}),
            ("s-e3-dw1", {"epochs": 3, "distill_weight": 1.0}),
            ("s2-e4-s15", {"epochs": 4, "seed": 15}),
            ("s2-e4-lr1e4", {"epochs": 4, "learning_rate": 1e-4}),
            ("s2-e4-ed15", {"epochs": 4, "editorial_loss_weight": 1.5}),
            ("s2-e5", {"epochs": 5}),
            ("s2-e4-dw3", {"epochs": 4, "distill_weight": 3.0}),
            ("s2-e4-lr6e5", {"epochs": 4, "learning_rate": 6e-5}),
        ]
    ],
    # sweep 6 (news-base's config): soups. Each ingredient of a ``soup: k`` run trains in its own process
    # (``_ingredient``), then one process per soup runs the trainer with ``soup: k`` on those fits
    # (``_assemble``, through the Trainer's ``fit`` hook): the same weights as the sequential soup, in the wall
    # time of one run.
    "soup": [
        *[(f"c3-i{i}", {"epochs": 3, "_ingredient": i}) for i in range(5)],
        *[(f"c4-i{i}", {"epochs": 4, "patience": 6, "_ingredient": i}) for i in range(3)],
        ("soup3-e3", {"epochs": 3, "soup": 3, "_assemble": ["c3-i0", "c3-i1", "c3-i2"]}),
        ("soup5-e3", {"epochs": 3, "soup": 5, "_assemble": [f"c3-i{i}" for i in range(5)]}),
        ("soup3-e4", {"epochs": 4, "patience": 6, "soup": 3, "_assemble": ["c4-i0", "c4-i1", "c4-i2"]}),
    ],
}


def pack_base(folder: Path, out: Path, pieces: list[int]) -> None:
    """Pack a float32 base encoder as float16 into pieces of the given sizes (MB) for the trip there.

    Float16 halves it; the high bytes (sign, exponent) compress by ~28 % with zlib, the low bytes
    not at all, so they travel apart: all-mpnet-base-v2 becomes 188 MB, three calls' worth.
    """
    import zlib

    import numpy as np
    from safetensors.torch import load_file, save_file

    state = load_file(str(folder / "model.safetensors"))
    floats = sorted(k for k, v in state.items() if v.is_floating_point())
    flat = np.concatenate([state[k].half().reshape(-1).numpy() for k in floats]).view(np.uint8).reshape(-1, 2)
    high = zlib.compress(flat[:, 1].tobytes(), 6)
    blob = high + flat[:, 0].tobytes()
    meta = {"floats": [[k, list(state[k].shape)] for k in floats], "high_bytes": len(high), "blob_bytes": len(blob)}
    out.mkdir(parents=True, exist_ok=True)
    small = out / "p0"
    small.mkdir(exist_ok=True)
    save_file({k: v for k, v in state.items() if not v.is_floating_point()}, str(small / "ints.safetensors"))
    (small / "meta.json").write_text(json.dumps(meta))
    shutil.copytree(folder, small / "files", ignore=shutil.ignore_patterns("model.safetensors"), dirs_exist_ok=True)
    start = 0
    for i, size in enumerate(pieces, 1):
        (out / f"p{i}").mkdir(exist_ok=True)
        end = len(blob) if i == len(pieces) else start + size * 1_000_000
        (out / f"p{i}" / "blob").write_bytes(blob[start:end])
        start = end
    print({p.name: sum(f.stat().st_size for f in p.rglob("*") if f.is_file()) for p in sorted(out.iterdir())})


def unpack_base(pieces: Path, target: Path) -> None:
    """Rebuild the float32 base from ``pack_base``'s pieces (p0 ... pN, gathered in one folder)."""
    import zlib

    import numpy as np
    import torch
    from safetensors.torch import load_file, save_file

    meta = json.loads((pieces / "p0" / "meta.json").read_text())
    blob = b"".join((pieces / f"p{i}" / "blob").read_bytes() for i in range(1, 100) if (pieces / f"p{i}").exists())
    assert len(blob) == meta["blob_bytes"], f"pieces hold {len(blob)} bytes, expected {meta['blob_bytes']}"
    high = np.frombuffer(zlib.decompress(blob[: meta["high_bytes"]]), np.uint8)
    low = np.frombuffer(blob[meta["high_bytes"] :], np.uint8)
    halves = torch.from_numpy(np.stack([low, high], 1).reshape(-1).view(np.float16).copy())
    state, at = load_file(str(pieces / "p0" / "ints.safetensors")), 0
    for key, shape in meta["floats"]:
        n = int(np.prod(shape)) if shape else 1
        state[key] = halves[at : at + n].reshape(shape).float()
        at += n
    shutil.copytree(pieces / "p0" / "files", target, dirs_exist_ok=True)
    save_file(state, str(target / "model.safetensors"), metadata={"format": "pt"})
    print("unpacked", target, len(state), "tensors")


def prepare(config: str, cache: Path, teacher: str | None) -> None:
    from stancekit.training.config import TrainConfig
    from stancekit.training.distill import teacher_logits
    from stancekit.training.trainer import build_examples

    cfg = TrainConfig.from_yaml(config)
    cache.mkdir(parents=True, exist_ok=True)
    shutil.copy(config, cache / "train.yaml")
    examples = build_examples(cfg, [*cfg.train_sets, *cfg.dev_sets, *cfg.report_sets])
    (cache / "examples.pkl").write_bytes(pickle.dumps(examples))
    print({k: len(v) for k, v in examples.items()})
    if teacher:
        train_ex = [ex for name in cfg.train_sets for ex in examples[name]]
        stance, editorial = teacher_logits(teacher, train_ex)
        (cache / "teacher.pkl").write_bytes(pickle.dumps((len(train_ex), stance, editorial)))


def run_one(config: str, cache: Path, name: str, overrides: dict, out_root: Path) -> None:
    """One variant in this process: the trainer takes the cached examples and teacher logits as parameters."""
    from stancekit.training.config import TrainConfig
    from stancekit.training.trainer import Trainer

    examples = pickle.loads((cache / "examples.pkl").read_bytes())
    teacher = None
    if overrides.get("teacher"):
        n_train, stance, editorial = pickle.loads((cache / "teacher.pkl").read_bytes())

        def teacher(teacher_name, train_ex, device):
            assert len(train_ex) == n_train, "teacher cache built for other training examples"
            return stance, editorial

    ingredient, assemble = overrides.pop("_ingredient", None), overrides.pop("_assemble", None)
    fit = None
    if ingredient is not None:
        fit = _train_as_ingredient(ingredient, out_root / name / "fit.pt")
    if assemble is not None:
        fit = _replay_fits([out_root / n / "fit.pt" for n in assemble])
    cfg = TrainConfig.from_yaml(config)
    cfg.output_dir, cfg.progress = str(out_root / name), False
    for key, value in overrides.items():
        setattr(cfg, key, value)
    if ingredient is not None:
        cfg.soup = 1  # one ingredient per process
    trainer = Trainer(cfg, examples=lambda cfg, names: {n: examples[n] for n in names}, teacher_logits=teacher, fit=fit)
    m = trainer.run()
    print(name, {k: round(r["macro_f1"], 4) for k, r in {**m["dev"], **m["report"]}.items()}, m["train_seconds"])


def _train_as_ingredient(ingredient: int, save_to: Path):
    """A fit hook that makes a ``soup: 1`` run train as ingredient ``ingredient`` of a ``soup: k`` run, and saves it.

    The trainer's soup gives every ingredient the network's initial weights (drawn with ``seed``) and
    ingredient i's random state (``train(i)``); so does this, in a fresh process.
    """
    import torch

    def as_ingredient(_, train):
        out = train(ingredient)
        save_to.parent.mkdir(parents=True, exist_ok=True)
        torch.save(out, save_to)
        return out

    return as_ingredient


def _replay_fits(fits: list[Path]):
    """A fit hook that makes a ``soup: k`` run take its k fits from ingredient processes instead of training them."""
    import torch

    def replay(ingredient, _):
        return torch.load(fits[ingredient], weights_only=False)

    return replay


def sweep(args) -> None:
    t0, todo, running = time.time(), list(GRIDS[args.grid]), {}
    assemblies = {name for name, overrides in todo if "_assemble" in overrides}
    logs = args.work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    while todo or running:
        for name, proc in list(running.items()):
            if proc.poll() is not None:
                del running[name]
            elif time.time() - t0 > args.kill_at and name not in assemblies:
                proc.kill()
                del running[name]
                print("killed", name, flush=True)
        launching = time.time() - t0 < args.launch_until
        while todo and len(running) < args.parallel and (launching or todo[0][0] in assemblies):
            ready = [t for t in todo if not set(t[1].get("_assemble", [])) & (set(running) | {n for n, _ in todo})]
            if not ready:
                break
            name, overrides = ready[0]
            todo.remove(ready[0])
            if any(not (args.work / n / "fit.pt").exists() for n in overrides.get("_assemble", [])):
                print("skip", name, "(an ingredient did not finish)", flush=True)
                continue
            cmd = [sys.executable, __file__, "one", args.config, str(args.cache), name, json.dumps(overrides)]
            cmd.append(str(args.work))
            with open(logs / f"{name}.log", "w") as log:
                running[name] = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
            print(f"{time.time() - t0:.0f}s start {name}", flush=True)
        if time.time() - t0 >= args.launch_until:
            todo = [t for t in todo if t[0] in assemblies]  # soups of what finished still assemble
        time.sleep(2)
    rows = []
    for folder in sorted(args.work.iterdir()):
        path = folder / "training_metrics.json"
        if path.exists():
            m = json.loads(path.read_text())
            dev = {k: r["macro_f1"] for k, r in m["dev"].items()}
            report = {k: r["macro_f1"] for k, r in m["report"].items()}
            rows.append((sum(dev.values()) / len(dev), folder.name, dev, report, m["best_step"], m["steps"]))
    rows.sort(reverse=True)
    for mean, name, dev, report, best, steps in rows:
        scores = " ".join(f"{k} {v:.3f}" for k, v in {**dev, **report}.items())
        print(f"{name:12s} devmean {mean:.4f} {scores} best {best}/{steps}")
    out = args.out.resolve()
    subprocess.run(f"tar czf {out}/metrics.tgz */training_metrics.json */train.yaml logs", shell=True, cwd=args.work)
    for rank, row in enumerate(rows[: args.bring_back]):
        subprocess.run(
            f"tar cf - --exclude fit.pt {row[1]} | split -b 15m - {out}/best{rank}.tar.", shell=True, cwd=args.work
        )
    print("total", round(time.time() - t0), "s")


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "one":  # a worker: config cache name overrides work
        _, _, config, cache, name, overrides, work = sys.argv
        return run_one(config, Path(cache), name, json.loads(overrides), Path(work))
    if len(sys.argv) > 1 and sys.argv[1] == "pack-base":  # pack-base FOLDER OUT SIZE_MB [SIZE_MB ...]
        return pack_base(Path(sys.argv[2]), Path(sys.argv[3]), [int(x) for x in sys.argv[4:]])
    if len(sys.argv) > 1 and sys.argv[1] == "unpack-base":  # unpack-base PIECES TARGET
        return unpack_base(Path(sys.argv[2]), Path(sys.argv[3]))
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("prepare")
    a.add_argument("--config", required=True)
    a.add_argument("--cache", type=Path, required=True)
    a.add_argument("--teacher", default=None)
    b = sub.add_parser("run")
    b.add_argument("--config", required=True)
    b.add_argument("--cache", type=Path, required=True)
    b.add_argument("--grid", choices=sorted(GRIDS), required=True)
    b.add_argument("--parallel", type=int, default=6)
    b.add_argument("--launch-until", type=float, default=300, help="seconds after which no variant starts")
    b.add_argument("--kill-at", type=float, default=400, help="seconds after which running variants are killed")
    b.add_argument("--work", type=Path, default=Path("/tmp/sweep"))
    b.add_argument("--out", type=Path, required=True)
    b.add_argument("--bring-back", type=int, default=1, help="how many of the best folders to tar into --out")
    args = p.parse_args()
    if args.cmd == "prepare":
        prepare(args.config, args.cache, args.teacher)
    else:
        sweep(args)


if __name__ == "__main__":
    main()
