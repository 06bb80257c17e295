"""The article read-out: a linear map that gives the default stance convention its final logits.

Why: the stance head learns from NewsMTSC, CheckThat!, BABE and the article-stance data together, and on article
text it still calls too many pairs polar (a participant of a bad event, a speaker's own speech act); a
logistic regression over what the head reads (the mention's marker states and the pooled sentence) and the
head's own logits, fitted on the article-stance train split alone, corrects that without retraining the encoder.
It is chosen on the dev split (:func:`fit_stance_readout`) and applies to the default convention only: a
convention the model learnt apart (NewsMTSC) keeps the head's logits. Scaling, principal components and the
regression fold into one matrix stored in the model folder's config (``stance_readout``), which
:class:`~stancekit.modeling.network.StanceNetwork` applies inside its forward pass, so analyze(), scoring, the
bench and explanations all read the same logits. Measurements: ``benchmarks/results/stance-readout.md``.
"""

from __future__ import annotations

import numpy as np

from stancekit.errors import ConfigError, DataError
from stancekit.modeling.entries import Projection, entry_fields, finite_numbers

FORMAT = "stancekit-stance-readout"

#: Candidates tried on dev: principal components of the standardized head input kept (0: the head's logits
#: alone), the inverse regularization strength, and how far the classes are balanced: each pair weighs
#: (1 / its label's share) ** BALANCE (0: as annotated, where positive pairs are few and a read-out fitted on
#: them alone gives up positive recall for neutral precision; ``benchmarks/results/stance-readout.md``).
GRID_COMPONENTS = (0, 16, 32, 64)
GRID_C = (0.01, 0.03, 0.1, 0.3)
GRID_BALANCE = (0.0, 0.25, 0.5)


def check_readout(data, where, n_labels: int) -> None:
    """Structure of a config's ``stance_readout`` entry; raises ConfigError naming the field."""
    bad = entry_fields(data, where, "stance_readout", FORMAT)
    w = data.get("weights")
    if not isinstance(w, list) or len(w) != n_labels or not all(isinstance(r, list) and r for r in w):
        raise bad("weights", f"a list of {n_labels} non-empty rows (one per stance label)")
    if len({len(r) for r in w}) != 1 or len(w[0]) <= n_labels:
        raise bad("weights", f"rows of one length, the head's input width + {n_labels}")
    b = data.get("bias")
    if not isinstance(b, list) or len(b) != n_labels:
        raise bad("bias", f"a list of {n_labels} numbers")
    for name, values in (("weights", [v for r in w for v in r]), ("bias", b)):
        if not finite_numbers(values):
            raise bad(name, "finite numbers within float32's range")


def check_width(entry: dict, hidden: int, n_labels: int, where) -> None:
    """The read-out's rows must span the stance head's input (3 x ``hidden``) and its logits; ConfigError otherwise."""
    want = 3 * hidden + n_labels
    if len(entry["weights"][0]) != want:
        raise ConfigError(
            f"{where}: field 'stance_readout.weights' has rows of {len(entry['weights'][0])} numbers, but this "
            f"model's stance head reads {3 * hidden} + {n_labels} logits = {want}: the read-out was fitted on another "
            "model"
        )


def fit_arrays(
    feats: np.ndarray,
    logits: np.ndarray,
    y: np.ndarray,
    components: int,
    c: float,
    n_labels: int,
    sample_weight: np.ndarray | None = None,
) -> dict:
    """Standardize -> PCA (``components``; 0: none) -> multinomial logistic regression over the components and the
    standardized head logits, folded into one ``(n_labels, width + n_labels)`` matrix over ``[feats, logits]``.
    ``sample_weight`` weighs the pairs in the regression (``benchmarks/stance_readout_sweep.py``)."""
    from sklearn.linear_model import LogisticRegression

    l_mean, l_std = logits.mean(0), logits.std(0) + 1e-6
    cols = [(logits - l_mean) / l_std]
    proj = Projection.fit(feats, components) if components else None
    if proj is not None:
        cols.insert(0, proj.transform(feats))
    if len(np.unique(y)) != n_labels:
        raise DataError(f"the stance read-out's training pairs must hold all {n_labels} stance labels")
    lr = LogisticRegression(C=c, max_iter=5000).fit(np.concatenate(cols, 1), y, sample_weight=sample_weight)
    coef, bias = lr.coef_, lr.intercept_.copy()
    k = proj.components if proj is not None else 0
    w_feat = np.zeros((n_labels, feats.shape[1]))
    if k:
        w_feat, offset = proj.fold(coef[:, :k])
        bias += offset
    w_logit = coef[:, k:] / l_std
    bias -= w_logit @ l_mean
    weights = np.concatenate([w_feat, w_logit], 1)
    return {
        "format": FORMAT,
        "weights": [[float(f"{v:.6g}") for v in row] for row in weights],
        "bias": [float(f"{v:.6g}") for v in bias],
        "components": int(k),
        "C": c,
    }


def balanced_weights(y: np.ndarray, n_labels: int, balance: float) -> np.ndarray | None:
    """Per pair (1 / its label's share) ** ``balance``, scaled to mean 1 (None for 0: every pair weighs 1)."""
    if not balance:
        return None
    share = np.bincount(y, minlength=n_labels) / len(y)
    w = (1.0 / np.maximum(share[y], 1e-12)) ** balance
    return w / w.mean()


def apply_arrays(entry: dict, feats: np.ndarray, logits: np.ndarray) -> np.ndarray:
    """The read-out's logits for head inputs and head logits (what the network computes in torch)."""
    w = np.asarray(entry["weights"], dtype=np.float64)
    return np.concatenate([feats, logits], 1) @ w.T + np.asarray(entry["bias"], dtype=np.float64)


def labelled_arrays(analyzer, rows: list[dict]):
    """Head input, head logits (the read-out off) and gold label of every labelled stance row, the rows' sentences
    marked as the bench and training mark them (every mention the analyzer's actor finding sees, one pass per
    sentence)."""
    from stancekit.data.examples import IGNORE, build_examples

    examples = build_examples({"stance": rows}, analyzer.config.marking, find_mentions=analyzer.find_mentions)
    stance, _, feats = analyzer.logits(
        [e.text for e in examples], [e.spans for e in examples], features=True, readout=False
    )
    f, lg, y = [], [], []
    for ex, s, ft in zip(examples, stance, feats, strict=True):
        for k, lab in enumerate(ex.stance):
            if lab != IGNORE:
                f.append(ft[k])
                lg.append(s[k])
                y.append(lab)
    return np.asarray(f, dtype=np.float32), np.asarray(lg, dtype=np.float32), np.asarray(y, dtype=int)


def choose_readout(train: tuple, dev: tuple, n_labels: int) -> tuple[dict, dict, np.ndarray]:
    """Fit every grid point on ``train`` (head inputs, head logits, labels) and keep the best dev macro-F1.

    Returns (the entry, metrics: dev macro-F1 of the head alone, of every candidate and of the chosen one, the
    chosen read-out's dev logits)."""
    from stancekit.evaluation.metrics import macro_f1

    (ft, lt, yt), (fd, ld, yd) = train, dev
    sweep, best = {}, None
    for balance in GRID_BALANCE:
        weights = balanced_weights(yt, n_labels, balance)
        for components in GRID_COMPONENTS:
            for c in GRID_C:
                entry = fit_arrays(ft, lt, yt, components, c, n_labels, sample_weight=weights)
                entry["balance"] = balance
                out = apply_arrays(entry, fd, ld)
                score = macro_f1(yd, out.argmax(1), n_labels)
                sweep[f"balance={balance} components={components} C={c}"] = round(score, 4)
                if best is None or score > best[0]:  # ties keep the first: unbalanced, fewer components, smaller C
                    best = (score, entry, out)
    score, entry, out = best
    metrics = {
        "train_pairs": int(len(yt)),
        "dev_pairs": int(len(yd)),
        "dev_macro_f1_head": round(macro_f1(yd, ld.argmax(1), n_labels), 4),
        "dev_macro_f1_readout": round(score, 4),
        "sweep": sweep,
    }
    return entry, metrics, out


def fit_stance_readout(
    analyzer, data_dir=None, train: str = "train", dev: str = "dev", labels=None
) -> tuple[dict, dict, tuple]:
    """Fit the read-out on articlestance ``train``, choosing balance, components and C on ``dev`` by stance
    macro-F1 (:func:`choose_readout`).

    Returns (the config entry, metrics, (the chosen read-out's dev logits, dev labels) for refitting the default
    convention's temperature). The test split is never read. ``labels``: another labels file than the package's."""
    from stancekit.data.articlestance import stance_rows

    n = len(analyzer.config.stance_labels)
    train_arrays, dev_arrays = (
        labelled_arrays(analyzer, stance_rows(split, data_dir, labels=labels)) for split in (train, dev)
    )
    entry, metrics, out = choose_readout(train_arrays, dev_arrays, n)
    entry["fitted_on"] = {"train": f"articlestance-{train}", "chosen_on": f"articlestance-{dev}"}
    return entry, metrics, (out, dev_arrays[2])
