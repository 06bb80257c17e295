"""Resident memory of one ``score()`` job, chunk by chunk: does it drift?

    python benchmarks/scoring_memory.py --sentences 30000 [--no-tune-allocator] [--model news-small]

RSS is sampled every 50 ms in a thread; a sample belongs to the chunk being scored, i.e. the
number of part files already written. Prints, per chunk, the peak RSS while it was scored and
the RSS once it was written, then sentences/s and the job's peak. Documents are the synthetic
ones of ``scoring_scale.py``. ``--no-tune-allocator`` runs the job with glibc's default mmap
threshold and no trimming (``score(tune_allocator=False)``), for comparison.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from scoring_scale import write_documents  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sentences", type=int, default=30000)
    p.add_argument("--model", default=None)
    p.add_argument("--no-tune-allocator", dest="tune", action="store_false")
    args = p.parse_args()

    import stancekit

    an = stancekit.load(args.model)
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "docs.jsonl", Path(tmp) / "out"
        write_documents(src, args.sentences)
        peaks: dict[int, float] = {}
        after: dict[int, float] = {}
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                parts = out / "sentences"
                k = len(list(parts.glob("part-*"))) if parts.exists() else 0
                r = rss_mb()
                peaks[k] = max(peaks.get(k, 0.0), r)
                if k:
                    after.setdefault(k - 1, r)
                time.sleep(0.05)

        thread = threading.Thread(target=sample, daemon=True)
        thread.start()
        t = time.perf_counter()
        summary = an.score(src, out, id_column="id", progress=False, tune_allocator=args.tune)
        dt = time.perf_counter() - t
        stop.set()
        thread.join()
    chunks = max(after, default=-1) + 1
    print("chunk  peak_while_scoring_mb  rss_after_writing_mb")
    for k in range(chunks):
        print(f"{k:>5}  {peaks.get(k, float('nan')):>21.0f}  {after.get(k, float('nan')):>20.0f}")
    result = {
        "sentences": summary.sentences,
        "chunks": chunks,
        "tune_allocator": args.tune,
        "sentences_per_s": round(summary.sentences / dt, 1),
        "peak_rss_mb": round(max(peaks.values()), 1),
    }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
