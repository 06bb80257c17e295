"""Where an ``analyze()`` call on one article spends its time: spaCy (sentences + NER), the model pass, the rest.

    STANCEKIT_DATA=/work/shared/data python benchmarks/stage_costs.py --model news-small --sentences 400 --rounds 3

Articles are NewsMTSC train sentences grouped ``--per-article`` to a text, as in the harness's
per-article mode. Per round and article: the whole ``analyze(text)``, then spaCy alone
(``segmenter.segment``) and the model pass alone (``predictor.probabilities`` on the sentences and
mentions that ``analyze`` produced); the rest (actor resolution, attribution, results) is the
difference. Medians over rounds of wall and process CPU seconds; on a shared CPU read the CPU
shares, not the absolute seconds (torch's threads lose more wall time to other jobs than spaCy's one).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # measure the checkout this script is in


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="news-small")
    p.add_argument("--precision", default="auto")
    p.add_argument("--sentences", type=int, default=400)
    p.add_argument("--per-article", type=int, default=20)
    p.add_argument("--rounds", type=int, default=3)
    args = p.parse_args()

    import stancekit
    from stancekit.evaluation.speed import articles_from_sentences, unique_sentences

    an = stancekit.load(args.model, precision=args.precision)
    sents = unique_sentences("newsmtsc-train")
    articles = articles_from_sentences(sents[: args.sentences], args.per_article, min_sentences=args.sentences)
    an.analyze(articles[0])  # warm-up: loads spaCy
    keys = ("analyze", "spacy", "model")
    runs: dict[tuple[str, str], list[float]] = {}
    n_sent = 0
    for _ in range(args.rounds):
        spent = {(k, c): 0.0 for k in keys for c in ("wall", "cpu")}
        n_sent = 0
        for text in articles:
            for key in keys:
                t, c = time.perf_counter(), time.process_time()
                if key == "analyze":
                    doc = an.analyze(text)
                    texts = [s.text for s in doc.sentences]
                    spans = [[(a.start - s.start, a.end - s.start) for a in s.stances] for s in doc.sentences]
                elif key == "spacy":
                    an.segment([text])
                elif texts:
                    an.probabilities(texts, spans)
                spent[(key, "wall")] += time.perf_counter() - t
                spent[(key, "cpu")] += time.process_time() - c
            n_sent += len(texts)
        for k, v in spent.items():
            runs.setdefault(k, []).append(v)
    med = {k: statistics.median(v) for k, v in runs.items()}
    print(f"model {an.name}, precision {an.precision}; {len(articles)} articles, {n_sent} sentences")
    print(
        f"analyze() per article: {med[('analyze', 'wall')]:.2f} s, {n_sent / med[('analyze', 'wall')]:.1f} sentences/s"
    )
    print(f"{'stage':22s} {'wall s':>8s} {'share':>6s} {'cpu s':>8s} {'share':>6s}")
    for name, key in (("spaCy sentences + NER", "spacy"), ("model pass", "model"), ("rest", "rest")):
        cells = []
        for c in ("wall", "cpu"):
            total = med[("analyze", c)]
            sec = total - med[("spacy", c)] - med[("model", c)] if key == "rest" else med[(key, c)]
            cells.append(f"{sec:8.2f} {100 * sec / total:5.1f}%")
        print(f"{name:22s} " + " ".join(cells))


if __name__ == "__main__":
    main()
