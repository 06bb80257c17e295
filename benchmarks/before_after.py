"""End-to-end analyze() speed of this checkout against another one (e.g. before a feature landed).

    STANCEKIT_DATA=/work/shared/data python benchmarks/before_after.py --before /path/to/old/checkout \
        [--variant "no attribution=attribution=False"] [--rounds 3] [--sentences 600]

Both checkouts score the same articles (NewsMTSC train sentences, ``--per-article`` to a text) through
the public API only, each variant in its own process per round, variants interleaved and rotated so a
drifting machine load hits all alike. Prints, per variant, the median sentences/s of a loop of
``analyze()`` (one call per article, as most users call it) and of one ``analyze_many()`` call, and the
ratio to ``before``. A variant ``label=kw=value,...`` runs this checkout with ``stancekit.load`` keyword
arguments (Python literals), e.g. ``"no attribution=attribution=False"``.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def _articles(n_sentences: int, per_article: int) -> list[str]:
    sys.path.insert(0, str(HERE))
    from stancekit.evaluation.speed import articles_from_sentences, unique_sentences

    sents = unique_sentences("newsmtsc-train")[:n_sentences]
    return articles_from_sentences(sents, per_article, min_sentences=n_sentences)


def child(path: str, model: str, kwargs: dict) -> dict:
    import stancekit

    articles = json.loads(Path(path).read_text())
    an = stancekit.load(model, **kwargs)
    an.analyze(articles[0])  # warm-up
    t = time.perf_counter()
    n = sum(len(an.analyze(a).sentences) for a in articles)
    per_article = n / (time.perf_counter() - t)
    t = time.perf_counter()
    m = sum(len(d.sentences) for d in an.analyze_many(articles))
    batched = m / (time.perf_counter() - t)
    return {"sentences": n, "per_article": per_article, "batched": batched, "precision": an.precision}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--before", help="the other checkout's root folder (required)")
    p.add_argument("--model", default="news-small")
    p.add_argument("--variant", action="append", default=[], help='"label=kw=value,..." run on this checkout')
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--sentences", type=int, default=600)
    p.add_argument("--per-article", type=int, default=20)
    p.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        path, model, kw = args.child
        print(json.dumps(child(path, model, json.loads(kw))))
        return 0
    if not args.before:
        p.error("--before is required")
    runs = {"before": (Path(args.before).resolve(), {}), "after": (HERE, {})}
    for v in args.variant:
        label, _, spec = v.partition("=")
        kw = {k: ast.literal_eval(val) for k, _, val in (item.partition("=") for item in spec.split(",") if item)}
        runs[label] = (HERE, kw)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "articles.json"
        path.write_text(json.dumps(_articles(args.sentences, args.per_article)))
        results: dict[str, list[dict]] = {k: [] for k in runs}
        order = list(runs)
        for r in range(args.rounds):
            for label in order[r % len(order) :] + order[: r % len(order)]:
                root, kw = runs[label]
                env = {**os.environ, "PYTHONPATH": str(root)}
                cmd = [sys.executable, __file__, "--child", str(path), args.model, json.dumps(kw)]
                out = subprocess.run(cmd, env=env, cwd=root, capture_output=True, text=True, check=True)
                results[label].append(json.loads(out.stdout.strip().splitlines()[-1]))
    base = {m: statistics.median(x[m] for x in results["before"]) for m in ("per_article", "batched")}
    first = results["after"][0]
    print(
        f"model {args.model}, precision {first['precision']}, {first['sentences']} sentences, "
        f"{args.per_article} per article, median of {args.rounds} rounds (processes interleaved)"
    )
    print(f"{'variant':<22} {'analyze() per article':>22} {'x before':>9} {'analyze_many()':>15} {'x before':>9}")
    for label, rows in results.items():
        pa = statistics.median(x["per_article"] for x in rows)
        ba = statistics.median(x["batched"] for x in rows)
        print(f"{label:<22} {pa:>22.1f} {pa / base['per_article']:>9.2f} {ba:>15.1f} {ba / base['batched']:>9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
