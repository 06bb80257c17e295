"""Word attributions for the editorial flag and each stance, from layer integrated gradients or occlusion.

Integrated gradients come from Captum (``pip install stancekit[explain]``), the maintained PyTorch
attribution library, rather than hand-written: they are taken over the encoder's input embeddings,
from a baseline where every word is the padding token and the mention markers stay in place, toward
the log-probability of the predicted class. Occlusion needs nothing extra: a word's weight is how
much the predicted class's probability drops when the word is deleted. Subword pieces are summed into
words; offsets index the sentence here and the document in :func:`explain_documents`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from stancekit.errors import InputError, OptionalDependencyError
from stancekit.results import Document, TokenWeight

METHODS = ("integrated-gradients", "occlusion")
#: A word: letters/digits with inner apostrophes or hyphens, or one punctuation mark.
WORD = re.compile(r"\w+(?:['\u2019\-]\w+)*|[^\w\s]")
#: Explanation rows (one per editorial flag or stance) per forward pass of integrated gradients.
ROWS_PER_PASS = 8


@dataclass(slots=True)
class SentenceExplanation:
    """Attributions for one sentence: offsets are into the sentence."""

    editorial: list[TokenWeight]
    stances: list[list[TokenWeight]]  # one list per mention span, in the caller's order
    editorial_class: int
    stance_classes: list[int]


def words(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in WORD.finditer(text)]


def word_weights(
    text: str, token_spans: Sequence[tuple[int, int]], token_weights: Sequence[float]
) -> list[TokenWeight]:
    """Sum subword weights into the words of ``text`` that contain each piece's first character."""
    spans = words(text)
    starts = [a for a, _ in spans]
    total = [0.0] * len(spans)
    import bisect

    for (a, b), w in zip(token_spans, token_weights, strict=True):
        if b <= a:
            continue
        k = bisect.bisect_right(starts, a) - 1
        if k >= 0 and a < spans[k][1]:
            total[k] += float(w)
    return [TokenWeight(text[a:b], a, b, round(w, 6)) for (a, b), w in zip(spans, total, strict=True)]


def top_words(weights: Sequence[TokenWeight] | None, k: int = 5) -> list[TokenWeight]:
    """The ``k`` words that pushed hardest toward the predicted class (positive weights only)."""
    return sorted((w for w in weights or () if w.weight > 0), key=lambda w: -w.weight)[:k]


def delete_words(text: str, spans: Sequence[tuple[int, int]], remove: Sequence[tuple[int, int]]):
    """``text`` without the words ``remove`` (and one following space each), with ``spans`` moved to match.

    Words overlapping a span must not be removed (the caller checks); returns (text, spans).
    """
    cuts = []
    for a, b in sorted(remove):
        if b < len(text) and text[b] == " ":
            b += 1
        elif a > 0 and text[a - 1] == " ":
            a -= 1
        cuts.append((a, b))
    out, pos = [], 0
    for a, b in cuts:
        out.append(text[pos:a])
        pos = max(pos, b)
    out.append(text[pos:])

    def moved(x: int) -> int:
        return x - sum(min(b, x) - a for a, b in cuts if a < x)

    return "".join(out), [(moved(s), moved(e)) for s, e in spans]


def sentence_explanations(
    predictor,
    texts: Sequence[str],
    spans: Sequence[Sequence[tuple[int, int]]],
    *,
    method: str = "integrated-gradients",
    n_steps: int = 32,
    targets: str = "both",
    quantized: bool = False,
) -> list[SentenceExplanation]:
    """Attributions for sentences with their mention spans (offsets into each sentence).

    ``predictor`` is the :class:`~stancekit.modeling.inference.Predictor` to explain (``quantized``: its
    network runs in int8, which integrated gradients cannot differentiate); ``Analyzer.explain_sentences``
    calls this with its own.

    ``targets`` (``"both"``, ``"editorial"`` or ``"stances"``) skips the work for the other kind
    (integrated gradients only; its lists are left empty).
    """
    if method not in METHODS:
        raise InputError(f"method must be one of {', '.join(METHODS)}; got {method!r}")
    if targets not in ("both", "editorial", "stances"):
        raise InputError(f"targets must be 'both', 'editorial' or 'stances'; got {targets!r}")
    if not isinstance(n_steps, int) or n_steps < 2:
        raise InputError(f"n_steps must be an integer >= 2, got {n_steps!r}")
    if not texts:
        return []
    stance_p, editorial_p = predictor.probabilities(texts, spans)
    ed_classes = [int(np.argmax(p)) for p in editorial_p]
    st_classes = [[int(np.argmax(r)) for r in p] for p in stance_p]
    if method == "occlusion":
        return _occlusion(predictor, texts, spans, ed_classes, st_classes, editorial_p, stance_p)
    if quantized:
        raise InputError("integrated gradients need a float model: load it without quantize=True, or use occlusion")
    return _integrated_gradients(predictor, texts, spans, ed_classes, st_classes, n_steps, targets)


def explain_documents(analyzer, docs: Sequence[Document], **kwargs) -> list[Document]:
    """Copies of ``docs`` with ``editorial_attributions`` per sentence and ``attributions`` per stance."""
    docs = [copy.deepcopy(d) for d in docs]
    texts, spans, where = [], [], []
    for doc in docs:
        for sent in doc.sentences:
            texts.append(sent.text)
            spans.append([(st.start - sent.start, st.end - sent.start) for st in sent.stances])
            where.append(sent)
    for sent, ex in zip(where, analyzer.explain_sentences(texts, spans, **kwargs), strict=True):
        shift = sent.start
        sent.editorial_attributions = [
            TokenWeight(w.token, w.start + shift, w.end + shift, w.weight) for w in ex.editorial
        ]
        for st, ws in zip(sent.stances, ex.stances, strict=True):
            st.attributions = [TokenWeight(w.token, w.start + shift, w.end + shift, w.weight) for w in ws]
    return docs


# ---------------------------------------------------------------- occlusion
def _occlusion(predictor, texts, spans, ed_classes, st_classes, editorial_p, stance_p) -> list[SentenceExplanation]:
    """Delete each word that is not part of a mention; its weight is the drop in the predicted class."""
    var_texts, var_spans, owner = [], [], []
    for i, (text, ss) in enumerate(zip(texts, spans, strict=True)):
        for a, b in words(text):
            if any(a < e and s < b for s, e in ss):
                continue
            t, moved = delete_words(text, ss, [(a, b)])
            var_texts.append(t)
            var_spans.append(moved)
            owner.append((i, a, b))
    v_stance, v_ed = predictor.probabilities(var_texts, var_spans) if var_texts else ([], [])
    out = [SentenceExplanation([], [[] for _ in ss], ed_classes[i], st_classes[i]) for i, ss in enumerate(spans)]
    for v, (i, a, b) in enumerate(owner):
        token = texts[i][a:b]
        ex = out[i]
        c = ed_classes[i]
        ex.editorial.append(TokenWeight(token, a, b, round(float(editorial_p[i][c] - v_ed[v][c]), 6)))
        for m, c in enumerate(st_classes[i]):
            ex.stances[m].append(TokenWeight(token, a, b, round(float(stance_p[i][m][c] - v_stance[v][m][c]), 6)))
    return out


# ---------------------------------------------------------------- integrated gradients
@dataclass(slots=True)
class _Row:
    sentence: int
    item: int
    mention: int | None  # None: the editorial flag
    start: int  # marker positions (0 for editorial rows)
    end: int
    target: int


def _content_positions(item, ids: list[int]) -> list[int | None]:
    """For each input position, the index of the sentence's token it holds (None: special or marker)."""
    from stancekit.modeling.inputs import NO_MARK

    content = [p for p in range(1, len(item.input_ids) - 1) if item.marker_types[p] == NO_MARK]
    piece = [item.input_ids[p] for p in content]
    lo = 0
    n = len(piece)
    if ids[:n] != piece:  # a later window of a long sentence
        lo = next((k for k in range(len(ids) - n + 1) if ids[k : k + n] == piece), 0)
    out: list[int | None] = [None] * len(item.input_ids)
    for j, p in enumerate(content):
        out[p] = lo + j
    return out


def _integrated_gradients(
    predictor, texts, spans, ed_classes, st_classes, n_steps, targets="both"
) -> list[SentenceExplanation]:
    try:
        from captum.attr import LayerIntegratedGradients
    except ImportError as exc:  # pragma: no cover - captum is in the dev extra
        raise OptionalDependencyError(
            "integrated gradients need Captum: pip install 'stancekit[explain]' (or use method='occlusion')"
        ) from exc
    import torch

    network = predictor.network
    encoder = predictor.encoder
    tok = encoder.tokenizer(list(texts), add_special_tokens=False, return_offsets_mapping=True)
    items = predictor.encode(texts, spans)
    rows: list[_Row] = []
    for k, it in enumerate(items):
        if it.weight > 0 and targets != "stances":
            rows.append(_Row(it.source, k, None, 0, 0, ed_classes[it.source]))
        for m, (s, e) in zip(it.mention_ids, it.markers, strict=True):
            if targets == "editorial":
                break
            rows.append(_Row(it.source, k, m, s, e, st_classes[it.source][m]))

    def forward(input_ids, attention_mask, marker_types, is_stance, starts, ends, target):
        from stancekit.modeling.inputs import Batch

        rows_idx = torch.arange(input_ids.shape[0])
        index = torch.stack([rows_idx, starts, ends], dim=1)
        conv = predictor.config.convention_index(predictor.convention)
        convention = torch.full((input_ids.shape[0],), conv, dtype=torch.long) if conv else None
        st, ed = network(Batch(input_ids, attention_mask, marker_types, index, convention=convention))
        st = torch.log_softmax(st, dim=-1).gather(1, target[:, None].clamp(max=st.shape[1] - 1))[:, 0]
        ed = torch.log_softmax(ed, dim=-1).gather(1, target[:, None].clamp(max=ed.shape[1] - 1))[:, 0]
        return torch.where(is_stance, st, ed)

    lig = LayerIntegratedGradients(forward, network.encoder.get_input_embeddings())
    from stancekit.modeling.inputs import NO_MARK

    token_weights: dict[tuple[int, int | None, int], np.ndarray] = {}  # (sentence, mention, item) -> per token
    was_training = network.training
    network.eval()
    try:
        for lo in range(0, len(rows), ROWS_PER_PASS):
            chunk = rows[lo : lo + ROWS_PER_PASS]
            width = max(len(items[r.item]) for r in chunk)
            ids = torch.full((len(chunk), width), encoder.pad_id, dtype=torch.long)
            mask = torch.zeros((len(chunk), width), dtype=torch.long)
            types = torch.zeros((len(chunk), width), dtype=torch.long)
            for j, r in enumerate(chunk):
                it = items[r.item]
                ids[j, : len(it)] = torch.tensor(it.input_ids)
                mask[j, : len(it)] = 1
                types[j, : len(it)] = torch.tensor(it.marker_types)
            base = ids.clone()
            content = (types == NO_MARK) & (mask == 1)
            content[:, 0] = False
            for j, r in enumerate(chunk):
                content[j, len(items[r.item]) - 1] = False
            base[content] = encoder.pad_id
            extra = (
                mask,
                types,
                torch.tensor([r.mention is not None for r in chunk]),
                torch.tensor([r.start for r in chunk]),
                torch.tensor([r.end for r in chunk]),
                torch.tensor([r.target for r in chunk]),
            )
            attr = lig.attribute(ids, baselines=base, additional_forward_args=extra, n_steps=n_steps)
            attr = attr.sum(-1).detach().float().numpy()
            for j, r in enumerate(chunk):
                token_weights[(r.sentence, r.mention, r.item)] = attr[j]
    finally:
        network.train(was_training)

    out = [SentenceExplanation([], [[] for _ in ss], ed_classes[i], st_classes[i]) for i, ss in enumerate(spans)]
    pieces: dict[tuple[int, int | None], tuple[list, list]] = {}
    for (i, m, k), weights in token_weights.items():
        ids = tok["input_ids"][i]
        offsets = tok["offset_mapping"][i]
        spans_acc, w_acc = pieces.setdefault((i, m), ([], []))
        for p, t in enumerate(_content_positions(items[k], ids)):
            if t is not None:
                spans_acc.append(tuple(offsets[t]))
                w_acc.append(float(weights[p]))
    for (i, m), (sp, ws) in pieces.items():
        merged = word_weights(texts[i], sp, ws)
        if m is None:
            out[i].editorial = merged
        else:
            out[i].stances[m] = merged
    return out
