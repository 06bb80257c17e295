"""Are the explanations faithful? Delete the top-k attributed words vs k random words, on dev sets.

    python benchmarks/faithfulness.py                       # full run: writes benchmarks/results/faithfulness.md
    python benchmarks/faithfulness.py --limit 20 --out -    # a quick check, printed only

For each sentence of each dev set, the predicted class (editorial flag for CheckThat!, stance toward
the labelled target for NewsMTSC) is explained; then the k words with the largest weight toward that
class are deleted (mention words are never deleted), and separately k words drawn at random
(``--draws`` draws per sentence, seeded). A faithful explanation makes the predicted class's
probability drop more after the top-k deletion than after the random one. Also prints the seconds
per sentence an explanation takes (16 sentences per call; only the explained target is computed).
Occlusion's single-word weights are themselves deletion effects, so it is expected to win at k=1;
the comparison that matters is each method against random deletion.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

import stancekit
from stancekit.data.sources import load_rows, task_of
from stancekit.explain.attribution import delete_words

BATCH = 16


def _sample(rows: list[dict], limit: int, seed: int) -> list[dict]:
    rng = np.random.default_rng(seed)
    idx = sorted(rng.choice(len(rows), size=min(limit, len(rows)), replace=False))
    return [rows[i] for i in idx]


def run_set(an, name: str, method: str, ks: list[int], limit: int, draws: int, seed: int, n_steps: int) -> dict:
    rows = _sample(load_rows(name), limit, seed)
    texts = [r["text"] for r in rows]
    if task_of(name) == "stance":
        spans = [[(r["start"], r["end"])] for r in rows]
    elif an.config.marking == "all":
        spans = an.find_mentions(texts)
    else:
        spans = [[] for _ in texts]
    stance = task_of(name) == "stance"
    started = time.perf_counter()
    explanations = []
    for lo in range(0, len(texts), BATCH):
        explanations.extend(
            an.explain_sentences(
                texts[lo : lo + BATCH],
                spans[lo : lo + BATCH],
                method=method,
                n_steps=n_steps,
                targets="stances" if stance else "editorial",
            )
        )
    seconds = (time.perf_counter() - started) / max(len(texts), 1)
    variants_t, variants_s, keys = [], [], []
    for i, (text, ss, ex) in enumerate(zip(texts, spans, explanations, strict=True)):
        weights = ex.stances[0] if stance else ex.editorial
        free = [w for w in weights if not any(w.start < e and s < w.end for s, e in ss)]
        ranked = sorted(free, key=lambda w: -w.weight)
        rng = np.random.default_rng(seed * 100_003 + i)
        variants_t.append(text)
        variants_s.append(ss)
        keys.append((i, 0, "orig"))
        for k in ks:
            if len(free) < k:
                continue
            t, s2 = delete_words(text, ss, [(w.start, w.end) for w in ranked[:k]])
            variants_t.append(t)
            variants_s.append(s2)
            keys.append((i, k, "top"))
            for _ in range(draws):
                pick = rng.choice(len(free), size=k, replace=False)
                t, s2 = delete_words(text, ss, [(free[j].start, free[j].end) for j in pick])
                variants_t.append(t)
                variants_s.append(s2)
                keys.append((i, k, "random"))
    st_p, ed_p = an.probabilities(variants_t, variants_s)
    orig, drops = {}, {}
    for v, (i, k, kind) in enumerate(keys):
        ex = explanations[i]
        c = ex.stance_classes[0] if stance else ex.editorial_class
        p = float(st_p[v][0][c]) if stance else float(ed_p[v][c])
        if kind == "orig":
            orig[i] = p
        else:
            drops.setdefault((k, kind), {}).setdefault(i, []).append(orig[i] - p)
    curves = []
    for k in ks:
        top = drops.get((k, "top"), {})
        rand = drops.get((k, "random"), {})
        common = sorted(set(top) & set(rand))
        t = np.array([top[i][0] for i in common]) if common else np.zeros(0)
        r = np.array([np.mean(rand[i]) for i in common]) if common else np.zeros(0)
        curves.append(
            {
                "k": k,
                "n": len(common),
                "top": float(t.mean()) if len(t) else float("nan"),
                "random": float(r.mean()) if len(r) else float("nan"),
                "wins": float((t > r).mean()) if len(t) else float("nan"),
            }
        )
    return {"set": name, "method": method, "sentences": len(texts), "seconds": seconds, "curves": curves}


def to_markdown(results: list[dict], args) -> str:
    lines = [
        "# Faithfulness of explanations: deleting top-k attributed words vs k random words",
        "",
        f"Model `{args.model}`, {args.limit} sentences per dev set at most (seed {args.seed}), "
        f"{args.draws} random draws per sentence, integrated gradients with {args.n_steps} steps. "
        "Mean drop in the predicted class's calibrated probability after deleting the words "
        "(mention words are never deleted); `top > random` is the share of sentences where the top-k "
        "deletion dropped it more. Command: "
        f"`python benchmarks/faithfulness.py {' '.join(sys.argv[1:])}`.",
        "",
        "| set | method | s/sentence | k | n | drop, top-k | drop, random k | top > random |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        for c in r["curves"]:
            lines.append(
                f"| {r['set']} | {r['method']} | {r['seconds']:.3f} | {c['k']} | {c['n']} | {c['top']:.4f} | "
                f"{c['random']:.4f} | {c['wins']:.2f} |"
            )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--model", default="news-small")
    p.add_argument("--sets", nargs="+", default=["checkthat-dev", "newsmtsc-rw-dev"])
    p.add_argument("--methods", nargs="+", default=["integrated-gradients", "occlusion"])
    p.add_argument("--k", nargs="+", type=int, default=[1, 2, 3, 5])
    p.add_argument("--limit", type=int, default=300)
    p.add_argument("--draws", type=int, default=3)
    p.add_argument("--n-steps", type=int, default=32)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--out", default="benchmarks/results/faithfulness.md", help="markdown file, or - to only print")
    args = p.parse_args(argv)
    an = stancekit.load(args.model)
    results = []
    for name in args.sets:
        for method in args.methods:
            r = run_set(an, name, method, args.k, args.limit, args.draws, args.seed, args.n_steps)
            results.append(r)
            for c in r["curves"]:
                print(
                    f"{name:16} {method:21} {r['seconds']:.3f}s/sent k={c['k']} n={c['n']} "
                    f"top={c['top']:.4f} random={c['random']:.4f} wins={c['wins']:.2f}",
                    flush=True,
                )
    md = to_markdown(results, args)
    if args.out != "-":
        Path(args.out).write_text(md, "utf-8")
        print(f"wrote {args.out}")
    else:
        print(md)
    return 0


if __name__ == "__main__":
    sys.exit(main())
