"""Corpus scoring at growing sizes: sentences/s and peak RSS should stay flat.

    python benchmarks/scoring_scale.py --sizes 1000 10000 100000 [--model news-small] [--precision auto]
    python benchmarks/scoring_scale.py --sizes 10000 --metadata --group-by outlet,date:month   # the corpus path
    python benchmarks/scoring_scale.py --sizes 10000 --rounds 3 --group-by outlet,date:month   # both, interleaved

Each size runs in a fresh process (so peak RSS is that run's own) over synthetic documents made
of NewsMTSC train sentences (or the example articles without the shared data), 20 per document.
Prints one line per size and writes benchmarks/results/scoring_scale.json. With ``--rounds N`` each size
runs N times without metadata and N times with metadata and ``--group-by``, alternating (the order flips
every round, so a machine that slows down or speeds up during the run weighs on both alike), and the
medians and their ratio are printed: the cost of the corpus path measured against run-to-run noise.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _sentences() -> list[str]:
    try:
        from stancekit.data.sources import load_rows

        return list(dict.fromkeys(r["text"] for r in load_rows("newsmtsc-train")))
    except Exception:  # no shared data
        from stancekit.text.segmentation import Segmenter

        seg = Segmenter()
        return [s.text for f in sorted(Path("examples").glob("*.txt")) for s in seg.segment(f.read_text()).sentences]


def write_documents(path: Path, size: int, metadata: bool = False) -> None:
    """About ``size`` sentences as JSONL documents of 20 sentences, with ids ``d0``, ``d20``, ...

    ``metadata`` adds outlet, date and genre columns (three outlets, a year of dates, two genres).
    """
    sents = _sentences()
    with path.open("w") as fh:
        for d in range(0, size, 20):
            text = " ".join(sents[(d + i) % len(sents)] for i in range(20))
            row = {"id": f"d{d}", "text": text}
            if metadata:
                k = d // 20
                row |= {"outlet": f"outlet-{k % 3}", "date": f"2026-{k % 12 + 1:02d}-{k % 28 + 1:02d}"}
                row["genre"] = "opinion" if k % 4 == 0 else "news"
            fh.write(json.dumps(row) + "\n")


def one(size: int, model: str | None, precision: str = "auto", metadata: bool = False, group_by=None) -> dict:
    import resource

    import stancekit

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "docs.jsonl"
        write_documents(src, size, metadata)
        an = stancekit.load(model, precision=precision)
        t = time.perf_counter()
        summary = an.score(src, Path(tmp) / "out", id_column="id", progress=False, group_by=group_by)
        dt = time.perf_counter() - t
    return {
        "target_sentences": size,
        "metadata": metadata,
        "group_by": group_by,
        "precision": an.precision,
        "documents": summary.documents,
        "sentences": summary.sentences,
        "seconds": round(dt, 2),
        "sentences_per_s": round(summary.sentences / dt, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    p.add_argument("--model", default=None)
    p.add_argument("--precision", default="auto", choices=["auto", "float32", "bfloat16"])
    p.add_argument("--metadata", action="store_true", help="documents carry outlet, date and genre columns")
    p.add_argument("--group-by", default=None, help="also write a groups table (e.g. outlet,date:month)")
    p.add_argument("--rounds", type=int, default=0, help="interleave N runs without and N with metadata + group-by")
    p.add_argument("--one", type=int, help=argparse.SUPPRESS)
    p.add_argument("--out", default="benchmarks/results/scoring_scale.json")
    args = p.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.model, args.precision, args.metadata, args.group_by)))
        return 0
    rows = []

    def run(size: int, metadata: bool, group_by: str | None) -> dict:
        cmd = [sys.executable, __file__, "--one", str(size), "--precision", args.precision]
        cmd += ["--model", args.model] if args.model else []
        cmd += ["--metadata"] if metadata else []
        cmd += ["--group-by", group_by] if group_by else []
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1]
        r = json.loads(out)
        rows.append(r)
        print(
            f"{r['sentences']:>7} sentences ({r['precision']}, metadata={metadata}, group_by={group_by}): "
            f"{r['sentences_per_s']:>6} sentences/s, "
            f"peak RSS {r['peak_rss_mb']} MB",
            flush=True,
        )
        return r

    for size in args.sizes:
        if not args.rounds:
            run(size, args.metadata, args.group_by)
            continue
        plain, corpus = [], []
        for k in range(args.rounds):
            variants = [(plain, False, None), (corpus, True, args.group_by)]
            for acc, metadata, group_by in variants if k % 2 == 0 else variants[::-1]:
                acc.append(run(size, metadata, group_by)["sentences_per_s"])
        a, b = statistics.median(plain), statistics.median(corpus)
        print(
            f"{size} sentences, {args.rounds} rounds: median {a} sentences/s without metadata, {b} with metadata "
            f"and group_by={args.group_by} (x{b / a:.3f}); spread without {min(plain)}-{max(plain)}, "
            f"with {min(corpus)}-{max(corpus)}"
        )
    from stancekit.evaluation.speed import machine

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    meta = {"date": time.strftime("%Y-%m-%d"), "commit": commit, "model": args.model or "news-small", **machine()}
    Path(args.out).write_text(json.dumps({**meta, "runs": rows}, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
