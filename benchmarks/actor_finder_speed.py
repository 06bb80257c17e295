"""Time the actor finder (roles, NER repair, coreference) against spaCy segmentation on the same texts.

    python benchmarks/actor_finder_speed.py [--copies 50] [--repeat 3]

Prints milliseconds per document for segmentation and for ``ActorFinder.find`` with coreference on and off,
so the finder's share of ``analyze()`` time can be read next to ``stancekit bench``'s speed table.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from stancekit.text.actors import ActorFinder
from stancekit.text.segmentation import Segmenter


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--copies", type=int, default=50, help="copies of each example article")
    p.add_argument("--repeat", type=int, default=3)
    args = p.parse_args()
    examples = sorted((Path(__file__).resolve().parents[1] / "examples").glob("*.txt"))
    texts = [f.read_text("utf-8") for f in examples] * args.copies
    seg = Segmenter()
    seg.segment(texts[0])  # load spaCy outside the timing
    t = time.perf_counter()
    segs = list(seg.segment_many(texts))
    seg_ms = (time.perf_counter() - t) * 1000 / len(texts)
    print(f"{len(texts)} documents ({sum(map(len, texts)) // len(texts)} chars each on average)")
    print(f"segmentation (spaCy senter + NER): {seg_ms:.2f} ms/doc")
    for coref in (False, True):
        finder = ActorFinder(coreference=coref)
        best = float("inf")
        for _ in range(args.repeat):
            t = time.perf_counter()
            for text, s in zip(texts, segs, strict=True):
                finder.find(text, s.entities, sentences=s.sentences)
            best = min(best, (time.perf_counter() - t) * 1000 / len(texts))
        print(f"ActorFinder.find, coreference={coref}: {best:.3f} ms/doc ({100 * best / seg_ms:.1f}% of segmentation)")


if __name__ == "__main__":
    main()
