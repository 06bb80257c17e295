"""Classic baselines, run on the same splits as our models.

* majority class (fit on train);
* TF-IDF + logistic regression trained on the same train split (for stance, the target is
  replaced by a placeholder and a window around it is added as features);
* TextBlob subjectivity with a threshold tuned on the train split (editorial);
* VADER compound score with two thresholds tuned on the train split (stance, sentence level).
"""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Sequence

import numpy as np

from stancekit.labels import EDITORIAL_LABELS, STANCE_LABELS


def _labels_for(task: str) -> tuple[str, ...]:
    return STANCE_LABELS if task == "stance" else EDITORIAL_LABELS


def stance_text(row: dict, window: int = 6) -> str:
    """The sentence with its target masked, plus the words around the target, as features."""
    text, s, e = row["text"], row["start"], row["end"]
    left = text[:s].split()[-window:]
    right = text[e:].split()[:window]
    return f"{text[:s]} TGT {text[e:]} || " + " ".join(f"L_{w}" for w in left) + " " + " ".join(f"R_{w}" for w in right)


class Baseline:
    name = "baseline"
    task: str = "both"

    def fit(self, rows: Sequence[dict], task: str) -> Baseline:
        raise NotImplementedError

    def predict(self, rows: Sequence[dict], task: str) -> np.ndarray:
        raise NotImplementedError


class Majority(Baseline):
    name = "majority class"

    def fit(self, rows, task):
        self.label = Counter(r["label"] for r in rows).most_common(1)[0][0]
        return self

    def predict(self, rows, task):
        labels = _labels_for(task)
        return np.full(len(rows), labels.index(self.label))


class TfidfLogReg(Baseline):
    name = "TF-IDF + logistic regression"

    def fit(self, rows, task):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline

        labels = _labels_for(task)
        x = [stance_text(r) if task == "stance" else r["text"] for r in rows]
        y = [labels.index(r["label"]) for r in rows]
        self.model = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
            LogisticRegression(max_iter=2000, C=4.0, class_weight="balanced"),
        )
        self.model.fit(x, y)
        return self

    def predict(self, rows, task):
        x = [stance_text(r) if task == "stance" else r["text"] for r in rows]
        return self.model.predict(x)


def best_threshold(scores: np.ndarray, y: np.ndarray) -> float:
    """The decision threshold on ``scores`` (higher: label 1) with the best macro-F1 on ``y``, over quantiles."""
    from stancekit.evaluation.metrics import macro_f1

    grid = np.quantile(scores, np.linspace(0.02, 0.98, 49))
    return float(max(grid, key=lambda t: macro_f1(y, (scores >= t).astype(int), 2)))


class TextBlobSubjectivity(Baseline):
    name = "TextBlob subjectivity (threshold tuned on train)"
    task = "editorial"

    @staticmethod
    def _scores(rows):
        from textblob import TextBlob

        return np.array([TextBlob(r["text"]).sentiment.subjectivity for r in rows])

    def fit(self, rows, task):
        y = np.array([EDITORIAL_LABELS.index(r["label"]) for r in rows])
        self.threshold = best_threshold(self._scores(rows), y)
        return self

    def predict(self, rows, task):
        return (self._scores(rows) >= self.threshold).astype(int)


class VaderCompound(Baseline):
    name = "VADER compound (thresholds tuned on train)"
    task = "stance"

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self.sia = SentimentIntensityAnalyzer()

    def _scores(self, rows):
        return np.array([self.sia.polarity_scores(r["text"])["compound"] for r in rows])

    def fit(self, rows, task):
        from stancekit.evaluation.metrics import macro_f1

        s = self._scores(rows)
        y = np.array([STANCE_LABELS.index(r["label"]) for r in rows])
        grid = np.linspace(-0.9, 0.9, 37)
        best = (-1.0, -0.05, 0.05)
        for lo in grid:
            for hi in grid[grid > lo]:
                f = macro_f1(y, self._apply(s, lo, hi), 3)
                if f > best[0]:
                    best = (f, lo, hi)
        _, self.lo, self.hi = best
        return self

    @staticmethod
    def _apply(s, lo, hi):
        return np.where(s <= lo, 0, np.where(s >= hi, 2, 1))

    def predict(self, rows, task):
        return self._apply(self._scores(rows), self.lo, self.hi)


def baselines_for(task: str) -> list[Baseline]:
    out: list[Baseline] = [Majority(), TfidfLogReg()]
    with contextlib.suppress(ImportError):  # the optional extra "baselines" may be missing
        out.append(TextBlobSubjectivity() if task == "editorial" else VaderCompound())
    return out


#: Published results, not run here: (dataset, system, macro-F1, split note, citation).
PUBLISHED = [
    (
        "newsmtsc-rw",
        "GRU-TSC (RoBERTa-base), NewsSentiment",
        0.831,
        "paper's rw test split",
        "Hamborg & Donnay, EACL 2021",
    ),
    (
        "newsmtsc-mt",
        "GRU-TSC (RoBERTa-base), NewsSentiment",
        0.825,
        "paper's mt test split",
        "Hamborg & Donnay, EACL 2021",
    ),
    (
        "checkthat-dev-test",
        "HYBRINFOX (best CheckThat! 2024 English)",
        0.744,
        "2024 test = dev_test_en.tsv",
        "CheckThat! 2024 Task 2 overview",
    ),
    (
        "babe",
        "BABE model (distant supervision + BERT)",
        0.804,
        "cross-validated on SG2",
        "Spinde et al., Findings of EMNLP 2021",
    ),
]
