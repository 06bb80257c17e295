"""The holder probe: a linear read-out that decides author vs source for a polar stance row.

The attribution rules (:mod:`stancekit.text.attribution`) find who says what; read alone, they fit the
constructions they were written on better than news at large. The probe weighs the rules' decision
together with the stance model's own view of the (sentence, actor) pair: the stance head's input (the
actor's marker states and the pooled sentence), which the analyzer computes anyway, so the probe costs
no second pass. It is a logistic regression fitted on the article-stance train split and chosen on dev
(:func:`fit_holder_probe`); its weights live in the model folder's config (``holder_probe``), so the
resume fingerprint of a scoring job covers them. Measurements: ``benchmarks/results/holders-probe.md``.

Only polar rows (negative or positive) consult it: holder labels exist for those alone, and a neutral
row's holder is the rules'. When the probe says "source" where no rule holds the mention, the source is
the sentence's first attribution's; a sentence without one stays the author's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from stancekit.errors import ConfigError
from stancekit.modeling.entries import Projection, entry_fields, finite_numbers

FORMAT = "stancekit-holder-probe"

#: What the rules contribute, per mention of one sentence (see :func:`rule_features`).
RULE_FEATURES = (
    "rules_say_source",  # the rules' decision: an attribution's content holds the mention
    "held_direct",  # ... and that attribution is a direct quote
    "held_reported",  # ... reported speech
    "held_according_to",  # ... an "according to" phrase
    "held_continued",  # ... a quote continued from an earlier sentence
    "held_by_actor",  # ... whose source is a named actor
    "in_any_content",  # any attribution's content covers the mention (the speaker's own mention too)
    "in_source_span",  # the mention is (inside) a source's own mention: the speaker
    "sentence_attributed",  # the sentence has any attribution
    "sentence_quoted",  # the sentence has a double quotation mark
    "person",  # the mention's actor is a person
)
_KINDS = ("direct", "reported", "according_to", "continued")
_QUOTES = ('"', "\u201c", "\u201d")


def rule_features(sentence: str, attributions: Sequence, mentions: Sequence, holding: Sequence) -> np.ndarray:
    """(n_mentions, len(RULE_FEATURES)) features of one sentence's mentions (any offsets, used consistently).

    ``holding`` is :meth:`AttributionFinder.holding`'s answer for ``mentions``."""
    out = np.zeros((len(mentions), len(RULE_FEATURES)), dtype=np.float32)
    quoted = any(q in sentence for q in _QUOTES)
    for row, m, held in zip(out, mentions, holding, strict=True):
        if held is not None:
            row[0] = 1.0
            if held.kind in _KINDS:
                row[1 + _KINDS.index(held.kind)] = 1.0
            row[5] = held.source_actor is not None
        row[6] = any(a.content_start <= m.start and m.end <= a.content_end for a in attributions)
        row[7] = any(a.source_start <= m.start < a.source_end for a in attributions)
        row[8] = bool(attributions)
        row[9] = quoted
        row[10] = m.kind == "person"
    return out


def check_probe(data, where) -> None:
    """Structure of a config's ``holder_probe`` entry; raises ConfigError naming the field."""
    bad = entry_fields(data, where, "holder_probe", FORMAT)
    if list(data.get("rule_features", [])) != list(RULE_FEATURES):
        raise bad("rule_features", f"the names {list(RULE_FEATURES)} (this stancekit's rule features)")
    for name, n in (("weights", None), ("rule_weights", len(RULE_FEATURES))):
        w = data.get(name)
        if not isinstance(w, list) or not w or (n is not None and len(w) != n):
            raise bad(name, "a non-empty list of numbers" if n is None else f"a list of {n} numbers")
        if not finite_numbers(w):
            raise bad(name, "finite numbers within float32's range")
    if not finite_numbers([data.get("bias")]):
        raise bad("bias", "a finite number within float32's range")


@dataclass(frozen=True)
class HolderProbe:
    """Weights over the stance head's input and over :data:`RULE_FEATURES`, and a bias."""

    weights: np.ndarray
    rule_weights: np.ndarray
    bias: float

    @classmethod
    def from_config(cls, data: dict) -> HolderProbe:
        return cls(
            np.asarray(data["weights"], dtype=np.float32),
            np.asarray(data["rule_weights"], dtype=np.float32),
            float(data["bias"]),
        )

    def logits(self, features: np.ndarray, rules: np.ndarray) -> np.ndarray:
        """Log-odds that each row's stance is a source's (> 0: source)."""
        if features.shape[1] != self.weights.shape[0]:
            raise ConfigError(
                f"holder_probe has {self.weights.shape[0]} weights but the network's stance features are "
                f"{features.shape[1]} wide: the probe was fitted on another model"
            )
        return features @ self.weights + rules @ self.rule_weights + self.bias

    def decide(self, attributions, mentions, holding, features, rules, polar) -> list:
        """Per mention: the attribution that holds its stance (as ``holding``), or None for the author. Rows
        that are not ``polar`` keep ``holding``.

        A source must be in the text: where the probe says "source" for a mention no rule holds, the sentence's
        first attribution holds it, and a sentence without attributions stays the author's (inventing an
        unnamed source there gained one dev pair in 297 and put plain editorials such as "X is a disgrace" on
        an unnamed source). The guidelines' rule stands over the probe: a speaker's own mention, and an actor's
        mention in its own statement, are the author's (the probe would make "X said ..." X's own stance)."""
        if not len(holding):
            return []
        source = self.logits(features, rules) > 0
        out = []
        for m, held, is_source, is_polar in zip(mentions, holding, source, polar, strict=True):
            if not is_polar or (held is not None) == bool(is_source):
                out.append(held)
            elif held is not None:  # the rules say source, the probe says author
                out.append(None)
            elif any(a.source_start <= m.start < a.source_end for a in attributions):
                out.append(None)  # the speaker itself
            else:  # the probe says source where no rule holds the mention: the sentence's first other source
                others = [a for a in attributions if a.source_actor is None or a.source_actor != m.actor]
                out.append(others[0] if others else None)
        return out


def holder_of(decision, text: str = "") -> tuple[tuple[str, str], str]:
    """((holder, holder_kind), the source's own words in ``text``) for one of :meth:`HolderProbe.decide`'s
    answers (an attribution or None); offsets are ``text``'s."""
    if decision is None:
        return ("author", "author"), ""
    words = text[decision.source_start : decision.source_end] if decision.source_start >= 0 else ""
    return (decision.source, "source"), words


# ---------------------------------------------------------------------------------------------------- fitting
#: Candidates tried on dev: principal components of the standardized features kept, and the inverse
#: regularization strength (``benchmarks/results/holders-probe.md`` has the cross-validated sweep).
GRID_COMPONENTS = (32, 64, 128)
GRID_C = (0.03, 0.1, 0.3)
#: The rule features are binary and few: scaled up so the regularization weighs them like the components.
RULE_SCALE = 3.0


def probe_inputs(analyzer, pairs: list[dict], actors=None, finder=None) -> tuple[np.ndarray, np.ndarray, list, list]:
    """Per annotated pair: stance features, rule features, the rules' holding, and (sentence, its attributions,
    the pair's mention reference).

    The sentences are attributed as the holder evaluation does (:func:`stancekit.evaluation.holders.
    attribute_sentences`, the analyzer's own actor finding) and scored with the annotated mentions marked."""
    from stancekit.evaluation.holders import attribute_sentences
    from stancekit.text.attribution import AttributionFinder

    finder = finder or AttributionFinder()
    feats: list = [None] * len(pairs)
    rules: list = [None] * len(pairs)
    holding: list = [None] * len(pairs)
    attrs_of: list = [None] * len(pairs)
    groups = list(attribute_sentences(pairs, finder, actors))
    _, _, stance_feats = analyzer.logits(
        [text for _, text, _, _ in groups],
        [[(r.start, r.end) for r in refs[: len(idx)]] for idx, _, refs, _ in groups],
        features=True,
    )
    for (idx, text, refs, attrs), f in zip(groups, stance_feats, strict=True):
        own = refs[: len(idx)]
        held = finder.holding(attrs, own)
        r = rule_features(text, attrs, own, held)
        for k, i in enumerate(idx):
            feats[i], rules[i], holding[i], attrs_of[i] = f[k], r[k], held[k], (text, attrs, own[k])
    return np.stack(feats), np.stack(rules), holding, attrs_of


def decisions(probe: HolderProbe, x: np.ndarray, r: np.ndarray, holding: list, sentences: list) -> list:
    """:meth:`HolderProbe.decide` for annotated pairs, each a polar row (inputs as :func:`probe_inputs` gives)."""
    return [
        probe.decide(attrs, [ref], [holding[i]], x[i : i + 1], r[i : i + 1], [True])[0]
        for i, (_, attrs, ref) in enumerate(sentences)
    ]


def _polar(pairs: list[dict]) -> list[int]:
    return [i for i, p in enumerate(pairs) if p.get("stance") in ("negative", "positive") and p.get("holder")]


def _fit(x: np.ndarray, r: np.ndarray, y: np.ndarray, components: int, c: float) -> dict:
    """Standardize -> PCA -> logistic regression (with the rule features), folded into one linear map."""
    from sklearn.linear_model import LogisticRegression

    proj = Projection.fit(x, components)
    lr = LogisticRegression(C=c, max_iter=5000).fit(np.c_[proj.transform(x), r * RULE_SCALE], y)
    k = proj.components
    weights, offset = proj.fold(lr.coef_[:, :k])
    weights, w_rule = weights[0], lr.coef_[0, k:] * RULE_SCALE
    bias = float(lr.intercept_[0] + offset[0])
    return {
        "format": FORMAT,
        "rule_features": list(RULE_FEATURES),
        "weights": [float(f"{v:.6g}") for v in weights],
        "rule_weights": [float(f"{v:.6g}") for v in w_rule],
        "bias": float(f"{bias:.6g}"),
        "components": int(k),
        "C": c,
    }


def fit_holder_probe(analyzer, data_dir=None, train: str = "train", dev: str = "dev", labels=None) -> tuple[dict, dict]:
    """Fit the probe on articlestance ``train``'s polar pairs, choosing components and C on ``dev``.

    Returns (the config entry, metrics: dev holder-kind accuracy of every candidate, of the rules alone and of
    the chosen probe). The test split is never read. ``labels``: another labels file than the package's."""
    from stancekit.data.articlestance import load_pairs
    from stancekit.evaluation.holders import PipelineMentions

    actors = PipelineMentions()
    data = {}
    for split in (train, dev):
        pairs = [p for p in load_pairs(split, data_dir, labels=labels) if p.get("actor")]
        x, r, holding, sentences = probe_inputs(analyzer, pairs, actors)
        keep = _polar(pairs)
        y = np.array([pairs[i]["holder"] == "source" for i in keep], dtype=int)
        data[split] = (x[keep], r[keep], y, [holding[i] for i in keep], [sentences[i] for i in keep])
    (xt, rt, yt, _, _), (xd, rd, yd, hd, sd) = data[train], data[dev]
    sweep = {}
    best = None
    for components in GRID_COMPONENTS:
        for c in GRID_C:
            entry = _fit(xt, rt, yt, components, c)
            said = decisions(HolderProbe.from_config(entry), xd, rd, hd, sd)
            acc = float(np.mean([(d is not None) == bool(g) for d, g in zip(said, yd, strict=True)]))
            sweep[f"components={components} C={c}"] = round(acc, 4)
            if best is None or acc > best[0]:  # ties keep the first: fewer components, stronger regularization
                best = (acc, entry)
    acc, entry = best
    metrics = {
        "train_pairs": int(len(yt)),
        "dev_pairs": int(len(yd)),
        "dev_holder_kind_rules": round(float((rd[:, 0] == yd).mean()), 4),
        "dev_holder_kind_probe": round(acc, 4),
        "sweep": sweep,
    }
    entry["fitted_on"] = {"train": f"articlestance-{train}", "chosen_on": f"articlestance-{dev}"}
    return entry, metrics
