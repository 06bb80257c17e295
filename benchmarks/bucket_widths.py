"""Which padded-width buckets to batch inference inputs by: encoder time per article and labels on dev sets.

    STANCEKIT_DATA=/work/shared/data python benchmarks/bucket_widths.py --model news-small --rounds 5
    STANCEKIT_DATA=/work/shared/data python benchmarks/bucket_widths.py --model news-small --dev --rounds 0

Articles are NewsMTSC train sentences grouped ``--per-article`` to a text. Each article is
segmented and its actors found once, through ``analyze()``; then only the model pass is timed
(``Predictor.probabilities``, what the bucket scheme changes), per article (a loop, as a user
calling ``analyze()`` does) and for all articles at once (as ``analyze_many()`` does). The
schemes run interleaved, in a rotated order each round, and the median per scheme is printed with
its ratio to ``x8`` (each input padded to its length rounded up to 8; the previous scheme): on a
shared CPU the ratios are what to read. ``--dev`` compares each scheme's labels with ``x8``'s on
the dev sets and prints macro-F1.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # measure the checkout this script is in

SCHEMES = {
    "x8": tuple(range(8, 257, 8)),
    "16-256 x1.5": (16, 24, 32, 48, 64, 96, 128, 192, 256),
    "32/48/64/96/128/256": (32, 48, 64, 96, 128, 256),
    "32/64/128/256": (32, 64, 128, 256),
    "64/128/256": (64, 128, 256),
}


def article_inputs(analyzer, articles):
    """(sentence texts, mention spans) per article, exactly as analyze() hands them to the model."""
    out = []
    for doc in analyzer.analyze_many(articles):
        texts = [s.text for s in doc.sentences]
        spans = [[(st.start - s.start, st.end - s.start) for st in s.stances] for s in doc.sentences]
        out.append((texts, spans))
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="news-small")
    p.add_argument("--precision", default="auto")
    p.add_argument("--sentences", type=int, default=600)
    p.add_argument("--per-article", type=int, default=20)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--schemes", nargs="*", default=list(SCHEMES))
    p.add_argument("--dev", action="store_true", help="also compare labels and macro-F1 on the dev sets")
    args = p.parse_args()

    import numpy as np

    import stancekit
    from stancekit.data.sources import load_rows
    from stancekit.evaluation.speed import articles_from_sentences
    from stancekit.modeling.inference import Predictor

    an = stancekit.load(args.model, batch_size=args.batch_size, precision=args.precision)
    base = an.predictor
    predictors = {
        name: Predictor(base.network, base.encoder.tokenizer, an.config, args.batch_size, an.precision, SCHEMES[name])
        for name in args.schemes
    }
    print(f"model {an.name}, precision {an.precision}, batch size {args.batch_size}")

    seen, sents = set(), []
    for r in load_rows("newsmtsc-train"):
        if r["text"] not in seen:
            seen.add(r["text"])
            sents.append(r["text"])
    articles = articles_from_sentences(sents[: args.sentences], args.per_article, min_sentences=args.sentences)
    inputs = article_inputs(an, articles)
    n_sent = sum(len(t) for t, _ in inputs)
    lengths = [len(it) for t, s in inputs for it in base.encode(t, s)]
    q = np.percentile(lengths, [10, 50, 90, 99])
    print(f"{len(articles)} articles, {n_sent} sentences; input tokens p10/p50/p90/p99 = {q.tolist()}")
    for name, pr in predictors.items():
        pad = sum(pr_w for pr_w in (_width(pr, n) for n in lengths))
        print(f"  {name:22s} padded tokens / real tokens = {pad / sum(lengths):.2f}")

    if args.rounds:
        per_article: dict[str, list[float]] = {n: [] for n in predictors}
        batched: dict[str, list[float]] = {n: [] for n in predictors}
        names = list(predictors)
        for name in names:  # warm-up: every shape once
            predictors[name].probabilities(*inputs[0])
        for r in range(args.rounds):
            order = names[r % len(names) :] + names[: r % len(names)]
            for name in order:
                pr = predictors[name]
                t = time.perf_counter()
                for texts, spans in inputs:
                    pr.probabilities(texts, spans)
                per_article[name].append(time.perf_counter() - t)
                flat_t = [x for t_, _ in inputs for x in t_]
                flat_s = [x for _, s_ in inputs for x in s_]
                t = time.perf_counter()
                pr.probabilities(flat_t, flat_s)
                batched[name].append(time.perf_counter() - t)
        ref = names[0]
        print(f"\nmodel pass only, median of {args.rounds} interleaved rounds (ratio: {ref} time / scheme time)")
        head = ("per-article s", "sent/s", "x", "batched s", "sent/s", "x")
        print(f"{'scheme':22s} " + " ".join(f"{h:>{w}s}" for h, w in zip(head, (13, 8, 6, 10, 8, 6), strict=True)))
        for name in names:
            a, b = statistics.median(per_article[name]), statistics.median(batched[name])
            ra, rb = statistics.median(per_article[ref]), statistics.median(batched[ref])
            print(f"{name:22s} {a:13.2f} {n_sent / a:8.1f} {ra / a:6.2f} {b:10.2f} {n_sent / b:8.1f} {rb / b:6.2f}")

    if args.dev:
        _dev(an, predictors)


def _width(predictor, n: int) -> int:
    from stancekit.modeling.inputs import bucket_width

    return bucket_width(n, predictor.buckets)


def _dev(an, predictors) -> None:
    import numpy as np

    from stancekit.data.examples import detect_mentions
    from stancekit.data.sources import load_rows
    from stancekit.evaluation.metrics import macro_f1

    names = list(predictors)
    print("\ndev sets: share of labels identical to the first scheme; macro-F1 x100")
    for ds in ("newsmtsc-rw-dev", "newsmtsc-mt-dev", "checkthat-dev", "babe-dev"):
        rows = load_rows(ds)
        if "start" in rows[0]:
            texts, spans = [r["text"] for r in rows], [[(r["start"], r["end"])] for r in rows]
            labels_of = an.config.stance_labels

            def pick(pr, texts=texts, spans=spans, labels_of=labels_of):
                st, _ = pr.probabilities(texts, spans)
                return [labels_of[int(np.argmax(s[0]))] for s in st]
        else:
            texts = [r["text"] for r in rows]
            spans = detect_mentions(texts, an.segmenter, an.finder) if an.config.marking == "all" else [[]] * len(rows)
            ed = an.config.editorial_labels.index("editorial")

            def pick(pr, texts=texts, spans=spans, ed=ed):
                _, e = pr.probabilities(texts, spans)
                return ["editorial" if p[ed] >= 0.5 else "reporting" for p in e]

        gold = [r["label"] for r in rows]
        got = {n: pick(predictors[n]) for n in names}
        vocab = sorted(set(gold) | {x for g in got.values() for x in g})

        def f1(pred, gold=gold, vocab=vocab):
            ids = [np.array([vocab.index(x) for x in ys]) for ys in (gold, pred)]
            return 100 * macro_f1(ids[0], ids[1], len(vocab))

        cells = []
        for n in names:
            same = np.mean([a == b for a, b in zip(got[n], got[names[0]], strict=True)])
            cells.append(f"{n}: {same:.4f} / {f1(got[n]):.2f}")
        print(f"{ds} ({len(rows)}): " + "; ".join(cells))


if __name__ == "__main__":
    main()
