"""Would a learned holder-kind corrector beat the rules? 5-fold cross-validation over articlestance train+dev.

    STANCEKIT_DATA=... python benchmarks/holders_corrector_cv.py [--parse] [--C 1.0]

Each polar pair with a gold holder gets features the attribution step already has (the rules' decision, the
holding attribution's kind and cue word, whether the mention sits inside a quote, inside any attribution's
content, or in a source span, its position against a colon, headline shape) and, with ``--parse``, the
dependency label and head word of the mention in the parse the rules already run (gated sentences only). A
logistic regression (scikit-learn: a maintained, offline, deterministic linear model) predicts the holder kind;
folds are grouped by sentence so no sentence is both trained on and scored. Prints the rules' accuracy and the
corrector's, per fold and pooled. The test split is never read. This is a measurement, not a shipped model.
"""

from __future__ import annotations

import argparse

from stancekit.data.articlestance import load_pairs
from stancekit.evaluation.holders import PipelineMentions, attribute_sentences
from stancekit.text.attribution import AttributionFinder, needs_parse


def _features(text, ref, attrs, holder, doc) -> dict[str, float]:
    f: dict[str, float] = {"bias": 1.0}
    f["rule=source"] = float(holder is not None)
    if holder is not None:
        f[f"hold.kind={holder.kind}"] = 1.0
        cue = text[holder.cue_start : holder.cue_end].lower() if holder.cue_start >= 0 else "-"
        f[f"hold.cue={cue}"] = 1.0
        f["hold.unnamed"] = float(holder.source_start < 0)
    f["n_attrs"] = min(len(attrs), 3) / 3
    f["in_any_content"] = float(any(a.content_start <= ref.start and ref.end <= a.content_end for a in attrs))
    f["is_source"] = float(any(a.source_start <= ref.start < a.source_end for a in attrs))
    f["in_quote"] = float(
        any(a.kind in ("direct", "continued") and a.content_start <= ref.start < a.content_end for a in attrs)
    )
    colon = text.find(":")
    f["colon_before"] = float(0 <= colon < ref.start)
    f["colon_after"] = float(colon > ref.end)
    stripped = text.rstrip()
    f["headline"] = float(bool(stripped) and stripped[-1] not in ".!?\"'\u201d\u2019")
    f["at_start"] = float(ref.start == 0)
    f["rel_pos"] = ref.start / max(len(text), 1)
    f[f"kind={ref.kind}"] = 1.0
    if doc is not None:
        tok = next((t for t in doc if t.idx <= ref.start < t.idx + len(t)), None)
        if tok is not None:
            while tok.head.i != tok.i and tok.head.idx >= ref.start and tok.head.idx < ref.end:
                tok = tok.head  # the mention's own head
            f[f"dep={tok.dep_}"] = 1.0
            f[f"head={tok.head.lower_}"] = 1.0
            f[f"head.dep={tok.head.dep_}"] = 1.0
    return f


def dataset(parse: bool):
    finder = AttributionFinder()
    actors = PipelineMentions()
    rows, ys, rule, groups = [], [], [], []
    for split in ("train", "dev"):
        pairs = [p for p in load_pairs(split) if p.get("actor")]
        for idx, text, refs, attrs in attribute_sentences(pairs, finder, actors):
            doc = finder.nlp(text.replace("\u00a0", " ")) if parse and needs_parse(text) else None
            holding = finder.holding(attrs, refs[: len(idx)])
            for j, i in enumerate(idx):
                p = pairs[i]
                if p.get("stance") not in ("negative", "positive") or not p.get("holder"):
                    continue
                rows.append(_features(text, refs[j], attrs, holding[j], doc))
                ys.append(int(p["holder"] == "source"))
                rule.append(int(holding[j] is not None))
                groups.append(p["sid"])
    return rows, ys, rule, groups


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parse", action="store_true", help="add dependency features from the gated parse")
    ap.add_argument("--C", type=float, nargs="+", default=[0.1, 0.3, 1.0, 3.0], help="inverse regularisation")
    args = ap.parse_args()
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    rows, ys, rule, groups = dataset(args.parse)
    y, r = np.array(ys), np.array(rule)
    print(f"pairs {len(y)} (train+dev), sentences {len(set(groups))}, rules' kind accuracy {np.mean(r == y):.3f}")
    for c in args.C:
        pred = np.zeros_like(y)
        for tr, te in GroupKFold(n_splits=5).split(rows, y, groups):
            vec = DictVectorizer()
            xtr = vec.fit_transform([rows[i] for i in tr])
            model = LogisticRegression(C=c, max_iter=2000).fit(xtr, y[tr])
            pred[te] = model.predict(vec.transform([rows[i] for i in te]))
        flips = int(np.sum(pred != r))
        gain = int(np.sum(pred == y)) - int(np.sum(r == y))
        print(f"C={c}: corrector kind accuracy {np.mean(pred == y):.3f} | pairs flipped {flips}, net {gain:+d}")


if __name__ == "__main__":
    main()
