"""Editorial flag: does a TF-IDF model beside the transformer, or a decision threshold tuned on dev, help?

    STANCEKIT_DATA=... python benchmarks/editorial_gate.py [--models news-small news-base] [--cache DIR]

The CheckThat! 2025 subjectivity winner combined a transformer with TF-IDF features through a gate; tuning
the decision threshold on dev was the other common gain. This script measures both on our models without
retraining them:

- ``model``: the shipped model's calibrated editorial probability, argmax (what ``analyze()`` does);
- ``threshold``: the same probability with the macro-F1-best threshold on the dev sets (``--fit-on``);
- ``gate``: logistic regression on [the model's calibrated log-odds, a TF-IDF model's log-odds] fitted on the
  same dev sets, its threshold tuned there too. The TF-IDF model (word 1-2 grams and character 2-5 grams,
  logistic regression) is fitted on the train splits only.

Dev sets (checkthat-dev, babe-dev) choose everything; checkthat-dev-test is printed as the held-out check and
chooses nothing. The figures and the decision are in ``benchmarks/results/editorial-gate.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np

DEV = ["checkthat-dev", "babe-dev"]
HELD = ["checkthat-dev-test"]
TRAIN = ["checkthat-train", "babe-train"]


def model_logodds(model: str, sets: dict[str, list[dict]], cache: Path) -> dict[str, np.ndarray]:
    """The model's calibrated P(editorial) as log-odds per row, cached per model (its identity) and set."""
    import stancekit
    from stancekit.data.examples import build_examples
    from stancekit.evaluation.evaluate import labelled_logits

    analyzer = stancekit.load(model)
    # keyed by what produces the logits (weights, calibration), so a retrained model is scored afresh
    key = hashlib.sha256(json.dumps(analyzer.identity(), sort_keys=True, default=str).encode()).hexdigest()[:16]
    path = cache / f"{model.replace('/', '_')}-{key}.npz"
    if path.is_file():
        with np.load(path) as z:
            if set(z.files) >= set(sets):
                return {k: z[k] for k in sets}
    examples = {
        name: build_examples({"editorial": rows}, analyzer.config.marking, find_mentions=analyzer.find_mentions)
        for name, rows in sets.items()
    }
    collected = labelled_logits(analyzer.new_predictor(), examples, {n: "editorial" for n in sets})
    out = {}
    for name, (_, logits, _labels) in collected.items():
        p = analyzer.config.calibrated("editorial", logits, None)[:, 1]
        out[name] = np.log(np.clip(p, 1e-6, 1 - 1e-6) / np.clip(1 - p, 1e-6, 1))
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(path, **out)
    return out


def tfidf_logodds(train_rows: list[dict], sets: dict[str, list[dict]]) -> dict[str, np.ndarray]:
    from scipy.sparse import hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    words = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True)
    texts = [r["text"] for r in train_rows]
    x = hstack([words.fit_transform(texts), chars.fit_transform(texts)]).tocsr()
    y = np.array([r["label"] == "editorial" for r in train_rows], dtype=int)
    lr = LogisticRegression(max_iter=3000, C=2.0, class_weight="balanced").fit(x, y)
    out = {}
    for name, rows in sets.items():
        t = [r["text"] for r in rows]
        out[name] = lr.decision_function(hstack([words.transform(t), chars.transform(t)]).tocsr())
    return out


def f1(y: np.ndarray, pred: np.ndarray) -> float:
    from stancekit.evaluation.metrics import macro_f1

    return float(macro_f1(y, pred.astype(int), 2))


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    from stancekit.data.sources import load_rows
    from stancekit.evaluation.baselines import best_threshold

    ap = argparse.ArgumentParser()
    ap.add_argument("--models", nargs="+", default=["news-small", "news-base"])
    ap.add_argument("--cache", default="runs/editorial-gate")
    ap.add_argument(
        "--fit-on", nargs="+", default=DEV, choices=DEV, help="dev sets the threshold and gate are fitted on"
    )
    args = ap.parse_args()
    fit = args.fit_on

    rows = {n: load_rows(n, babe_labels="opinion") for n in DEV + HELD + TRAIN}
    labels = {n: np.array([r["label"] == "editorial" for r in rows[n]], dtype=int) for n in rows}
    tfidf = tfidf_logodds(rows["checkthat-train"] + rows["babe-train"], {n: rows[n] for n in DEV + HELD})
    for model in args.models:
        lo = model_logodds(model, {n: rows[n] for n in DEV + HELD}, Path(args.cache))
        y_dev = np.concatenate([labels[n] for n in fit])
        m_dev = np.concatenate([lo[n] for n in fit])
        t_dev = np.concatenate([tfidf[n] for n in fit])
        thr = best_threshold(m_dev, y_dev)
        gate = LogisticRegression(C=1.0).fit(np.c_[m_dev, t_dev], y_dev)
        g = {n: gate.decision_function(np.c_[lo[n], tfidf[n]]) for n in DEV + HELD}
        gthr = best_threshold(np.concatenate([g[n] for n in fit]), y_dev)
        rep = {
            "threshold": thr,
            "gate_weights": gate.coef_[0].tolist() + [float(gate.intercept_[0])],
            "gate_threshold": gthr,
        }
        for n in DEV + HELD:
            rep[n] = {
                "model": f1(labels[n], lo[n] > 0),
                "tfidf": f1(labels[n], tfidf[n] > 0),
                "threshold": f1(labels[n], lo[n] >= thr),
                "gate": f1(labels[n], g[n] > 0),
                "gate+threshold": f1(labels[n], g[n] >= gthr),
            }
        print(model, json.dumps(rep, indent=1))


if __name__ == "__main__":
    main()
