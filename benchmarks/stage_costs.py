"""Where an ``analyze()`` call on one article spends its time: spaCy (sentences + NER), the model pass, the rest.

    STANCEKIT_DATA=/work/shared/data python benchmarks/stage_costs.py --model news-small --sentences 400 --rounds 3

Articles are NewsMTSC train sentences grouped ``--per-article`` to a text, as in the harness's
per-article mode. Per round and article: the whole ``analyze(text)``, then spaCy alone
(``segmenter.segment``) and the model pass alone (``predictor.probabilities`` on the sentences and
mentions that ``analyze`` produced); the rest (actor resolution, attribution, results) is the
difference. Medians over rounds; on a shared CPU read the shares, not the absolute seconds.
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
    from stancekit.data.sources import load_rows
    from stancekit.evaluation.speed import articles_from_sentences

    an = stancekit.load(args.model, precision=args.precision)
    seen, sents = set(), []
    for r in load_rows("newsmtsc-train"):
        if r["text"] not in seen:
            seen.add(r["text"])
            sents.append(r["text"])
    articles = articles_from_sentences(sents[: args.sentences], args.per_article, min_sentences=args.sentences)
    an.analyze(articles[0])  # warm-up: loads spaCy
    totals: dict[str, list[float]] = {"analyze": [], "spacy": [], "model": []}
    n_sent = 0
    for _ in range(args.rounds):
        t_all = t_spacy = t_model = 0.0
        n_sent = 0
        for text in articles:
            t = time.perf_counter()
            doc = an.analyze(text)
            t_all += time.perf_counter() - t
            t = time.perf_counter()
            an.segmenter.segment(text)
            t_spacy += time.perf_counter() - t
            texts = [s.text for s in doc.sentences]
            spans = [[(a.start - s.start, a.end - s.start) for a in s.stances] for s in doc.sentences]
            t = time.perf_counter()
            if texts:
                an.predictor.probabilities(texts, spans)
            t_model += time.perf_counter() - t
            n_sent += len(texts)
        totals["analyze"].append(t_all)
        totals["spacy"].append(t_spacy)
        totals["model"].append(t_model)
    med = {k: statistics.median(v) for k, v in totals.items()}
    rest = max(med["analyze"] - med["spacy"] - med["model"], 0.0)
    print(f"model {an.name}, precision {an.precision}; {len(articles)} articles, {n_sent} sentences")
    print(f"analyze() per article: {med['analyze']:.2f} s, {n_sent / med['analyze']:.1f} sentences/s")
    for name, sec in (("spaCy sentences + NER", med["spacy"]), ("model pass", med["model"]), ("rest", rest)):
        print(f"  {name:22s} {sec:7.2f} s  {100 * sec / med['analyze']:5.1f}%")


if __name__ == "__main__":
    main()
