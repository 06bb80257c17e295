"""Speed measurements: end-to-end analyze() per article and analyze_many(), stance pairs/s, editorial sentences/s,
the naive way.

Two end-to-end modes: batched (one ``analyze_many()`` over all articles, as a corpus job calls it)
and per article (a loop of ``analyze(text)``, one call per article, as most users call it).

The naive pipeline is what NewsSentiment does: one forward pass per (sentence, actor) pair
at batch size 1, plus one pass per sentence for the editorial flag, on the same model
(marking a single target per input). Both pipelines include segmentation and NER.
"""

from __future__ import annotations

import os
import platform
import resource
import time
from collections.abc import Sequence

import torch


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def machine() -> dict:
    return {
        "cpus": os.cpu_count(),
        "torch_threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def unique_sentences(dataset: str = "newsmtsc-train", data_dir=None) -> list[str]:
    """A named dataset's sentence texts, each once, in file order (the speed benchmarks' raw material)."""
    from stancekit.data.sources import load_rows

    return list(dict.fromkeys(r["text"] for r in load_rows(dataset, data_dir)))


def articles_from_sentences(sentences: Sequence[str], per_article: int = 25, min_sentences: int = 2000) -> list[str]:
    """Group sentences into articles of ``per_article`` paragraphs-worth of sentences."""
    sents = list(sentences)
    if not sents:
        return []
    while len(sents) < min_sentences:
        sents = sents + sents
    sents = sents[: max(min_sentences, len(sents) - len(sents) % per_article)]
    return [" ".join(sents[i : i + per_article]) for i in range(0, len(sents), per_article)]


def measure_analyze(analyzer, articles: Sequence[str], repeats: int = 1) -> dict:
    analyzer.analyze_many(articles[:2])  # warm-up
    best = None
    for _ in range(repeats):
        t = time.perf_counter()
        docs = analyzer.analyze_many(articles)
        dt = time.perf_counter() - t
        best = dt if best is None else min(best, dt)
    n_sent = sum(len(d.sentences) for d in docs)
    n_pairs = sum(len(s.stances) for d in docs for s in d.sentences)
    chars = sum(len(a) for a in articles)  # independent of how the segmenter cuts sentences
    return {
        **_rates(len(articles), n_sent, n_pairs, best),
        "pairs_per_sentence": round(n_pairs / max(n_sent, 1), 2),
        "characters_per_s": round(chars / best),
    }


def measure_per_article(analyzer, articles: Sequence[str]) -> dict:
    """A loop of ``analyze(text)``, one call per article: the model pass only ever sees one article."""
    analyzer.analyze(articles[0])  # warm-up
    n_sent = n_pairs = 0
    t = time.perf_counter()
    for text in articles:
        doc = analyzer.analyze(text)
        n_sent += len(doc.sentences)
        n_pairs += sum(len(s.stances) for s in doc.sentences)
    dt = time.perf_counter() - t
    return {
        **_rates(len(articles), n_sent, n_pairs, dt),
        "pairs_per_sentence": round(n_pairs / max(n_sent, 1), 2),
        "characters_per_s": round(sum(len(a) for a in articles) / dt),
    }


def measure_naive(analyzer, articles: Sequence[str]) -> dict:
    """Segmentation + NER as in analyze(), then batch size 1, one pass per pair and per sentence."""
    # the same network and arithmetic as the analyzer it is compared with, one input per pair, batch size 1:
    # each input padded to its own length, as before
    naive = analyzer.new_predictor(batch_size=1, buckets=range(8, analyzer.config.max_length, 8), marking="target")
    t = time.perf_counter()
    n_sent = n_pairs = 0
    for text, seg in zip(articles, analyzer.segment(articles), strict=True):
        _, mentions = analyzer.find_actors(text, seg, within_sentences=False)
        for sent in seg.sentences:
            spans = [
                (m.start - sent.start, m.end - sent.start)
                for m in mentions
                if sent.start <= m.start < sent.end and m.end <= sent.end
            ]
            naive.probabilities([sent.text], [[]])  # editorial pass
            for sp in spans:
                naive.probabilities([sent.text], [[sp]])
            n_sent += 1
            n_pairs += len(spans)
    return _rates(len(articles), n_sent, n_pairs, time.perf_counter() - t)


def _rates(documents: int, sentences: int, pairs: int, seconds: float) -> dict:
    return {
        "documents": documents,
        "sentences": sentences,
        "pairs": pairs,
        "seconds": round(seconds, 3),
        "sentences_per_s": round(sentences / seconds, 1),
    }


def measure_components(analyzer, sentences: Sequence[str], pairs: Sequence[dict]) -> dict:
    t = time.perf_counter()
    analyzer.predict_stance(pairs)
    st = time.perf_counter() - t
    t = time.perf_counter()
    analyzer.predict_editorial(sentences)
    ed = time.perf_counter() - t
    return {"stance_pairs_per_s": round(len(pairs) / st, 1), "editorial_sentences_per_s": round(len(sentences) / ed, 1)}


_STARTUP = """
import json, sys, time
t0 = time.perf_counter()
import stancekit
an = stancekit.load(sys.argv[1] or None, quantize=sys.argv[2] == "1", precision=sys.argv[3])
t1 = time.perf_counter()
an.analyze("Critics said Senator Smith lied to voters.")
t2 = time.perf_counter()
print(json.dumps({"import_and_load_s": round(t1 - t0, 2), "first_analyze_s": round(t2 - t1, 2)}))
"""


def measure_startup(model: str | None, quantize: bool = False, precision: str = "auto", runs: int = 2) -> dict:
    """``import stancekit`` + ``load()``, then the first ``analyze()`` (which loads spaCy), in a fresh process.

    Run ``runs`` times; the last run is reported, with the operating system's file cache warm, as a
    user sees it after the first start of the day.
    """
    import json
    import subprocess
    import sys

    out = {}
    for _ in range(runs):
        proc = subprocess.run(
            [sys.executable, "-c", _STARTUP, str(model or ""), "1" if quantize else "0", precision],
            capture_output=True,
            text=True,
            check=True,
        )
        out = json.loads(proc.stdout.strip().splitlines()[-1])
    return out
