"""Does segmenting ahead (spaCy in a worker while the encoder scores) speed up analyze()?

    python benchmarks/segment_ahead.py off thread process

Prints sentences/s of news-small analyze() on 2,000 NewsMTSC sentences grouped into articles, per
mode, with torch at 2 and at 1 intra-op threads.
"""

import sys

import torch

import stancekit
from stancekit.data.sources import load_rows
from stancekit.evaluation.speed import articles_from_sentences, measure_analyze

if __name__ == "__main__":
    sents = list(dict.fromkeys(r["text"] for r in load_rows("newsmtsc-train")))
    arts = articles_from_sentences(sents, min_sentences=2000)[:80]
    for threads in (2, 1):
        torch.set_num_threads(threads)
        for mode in sys.argv[1:]:
            an = stancekit.load(segment_ahead=mode)
            r = measure_analyze(an, arts)
            an.close()
            print(threads, mode, r["sentences_per_s"], flush=True)
