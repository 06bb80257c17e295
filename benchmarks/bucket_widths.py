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
    p.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    p.add_argument("--dev", action="store_true", help="also compare labels and macro-F1 on the dev sets")
    args = p.parse_args()

    import numpy as np

    import stancekit
    from stancekit.evaluation.speed import articles_from_sentences, unique_sentences
    from stancekit.modeling.inputs import length_batches

    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    an = stancekit.load(args.model, batch_size=args.batch_size, precision=args.precision)
    predictors = {name: an.new_predictor(batch_size=args.batch_size, buckets=SCHEMES[name]) for name in args.schemes}
    print(f"model {an.name}, precision {an.precision}, batch size {args.batch_size}")

    sents = unique_sentences("newsmtsc-train")
    articles = articles_from_sentences(sents[: args.sentences], args.per_article, min_sentences=args.sentences)
    inputs = article_inputs(an, articles)
    n_sent = sum(len(t) for t, _ in inputs)
    base = an.new_predictor()  # tokenizes as analyze() does
    per_doc = [[len(it) for it in base.encode(t, s)] for t, s in inputs]
    lengths = [n for doc in per_doc for n in doc]
    q = np.percentile(lengths, [10, 50, 90, 99])
    print(f"{len(articles)} articles, {n_sent} sentences; input tokens p10/p50/p90/p99 = {q.tolist()}")
    for name, pr in predictors.items():
        pad = sum(_width(pr, n) for n in lengths)
        calls = sum(len(length_batches(doc, args.batch_size, pr.buckets)) for doc in per_doc) / len(per_doc)
        print(
            f"  {name:22s} padded tokens / real tokens = {pad / sum(lengths):.2f}; "
            f"forward calls per article = {calls:.1f}"
        )

    if args.rounds:
        # wall seconds and this process's CPU seconds: on a shared CPU the latter varies less
        runs: dict[tuple[str, str, str], list[float]] = {}
        names = list(predictors)
        flat_t = [x for t_, _ in inputs for x in t_]
        flat_s = [x for _, s_ in inputs for x in s_]
        for name in names:  # warm-up: every shape once
            predictors[name].probabilities(*inputs[0])
        for r in range(args.rounds):
            order = names[r % len(names) :] + names[: r % len(names)]
            for name in order:
                pr = predictors[name]
                for mode, calls in (("per-article", inputs), ("batched", [(flat_t, flat_s)])):
                    t, c = time.perf_counter(), time.process_time()
                    for texts, spans in calls:
                        pr.probabilities(texts, spans)
                    runs.setdefault((name, mode, "wall"), []).append(time.perf_counter() - t)
                    runs.setdefault((name, mode, "cpu"), []).append(time.process_time() - c)
        ref = names[0]
        print(f"\nmodel pass only, median of {args.rounds} interleaved rounds; x = {ref} time / scheme time")
        print(f"{'scheme':22s} {'mode':12s} {'wall s':>8s} {'sent/s':>8s} {'x':>6s} {'cpu s':>8s} {'x cpu':>6s}")
        for mode in ("per-article", "batched"):
            for name in names:
                w, c = (statistics.median(runs[(name, mode, k)]) for k in ("wall", "cpu"))
                rw, rc = (statistics.median(runs[(ref, mode, k)]) for k in ("wall", "cpu"))
                print(f"{name:22s} {mode:12s} {w:8.2f} {n_sent / w:8.1f} {rw / w:6.2f} {c:8.2f} {rc / c:6.2f}")

    if args.dev:
        _dev(an, predictors)


def _width(predictor, n: int) -> int:
    from stancekit.modeling.inputs import bucket_width

    return bucket_width(n, predictor.buckets)


def _dev(an, predictors) -> None:
    import numpy as np

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
            spans = an.find_mentions(texts) if an.config.marking == "all" else [[]] * len(rows)
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
