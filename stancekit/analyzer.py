"""The Analyzer: text in, typed results out. Orchestration only.

segment (sentences, entities) -> actors (resolved per document) -> one batched model pass
over every sentence with its mentions marked -> calibrated labels -> results. The spaCy
pipeline, tokenizer and network load once per Analyzer; nothing is re-loaded per call.
"""

from __future__ import annotations

import copy
import numbers
import os
import warnings
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np

from stancekit.errors import InputError, UnencodableTextWarning
from stancekit.labels import DEFAULT_CONVENTION
from stancekit.modeling.holder_probe import HolderProbe, holder_of, rule_features
from stancekit.results import ActorStance, Document, Sentence, summarize_actors


class Analyzer:
    """Scores sentences for stance toward actors and for editorializing.

    Build one with :func:`stancekit.load` (or :meth:`from_pretrained`). ``segment_ahead``
    (``"off"``, ``"thread"`` or ``"process"``) lets spaCy segment the next block of a large batch
    in a worker while the encoder scores the current one; results are the same either way. It is
    off by default because on 2 cores torch already keeps both busy: news-small analyze() (bfloat16)
    ran 210.3 sentences/s off, 193.9 with a thread, 185.1 with a process (2,000 harness sentences,
    2026-11-26, ``python benchmarks/segment_ahead.py off thread process``). Try it where cores
    outnumber torch's threads; ``"process"`` needs the usual ``if __name__ == "__main__":`` guard
    of multiprocessing's spawn start.

    ``precision`` is the encoder's arithmetic: ``"float32"``, ``"bfloat16"`` (autocast; pooling and
    heads stay float32), or ``"auto"`` (the default): bfloat16 where the CPU runs it natively
    (AVX512-BF16 or AMX; a CUDA GPU), float32 elsewhere. ``self.precision`` says which was chosen.
    Scores then differ from float32 by up to ~1e-2 (news-small; news-base 2.4e-2) and labels on a
    small share of inputs (``stancekit bench --models news-small news-small:fp32``; README, "Accuracy
    and speed").
    Within one precision, sentences, actors and mentions are identical whatever the batch size,
    document order, ``analyze`` or ``analyze_many``, or how ``score`` chunks a corpus, and scores agree
    within ``BATCHING_TOLERANCE`` (1e-5 in float32, 5e-3 in bfloat16; each input's padded width is
    set by its own length, but the rows sharing a batch still change rounding); labels are identical
    except where a score lies that close to a tie.
    """

    def __init__(
        self,
        network,
        tokenizer,
        config,
        *,
        model_path: Path | None = None,
        name: str | None = None,
        batch_size: int = 32,
        spacy_model: str | None = None,
        aliases=None,
        nlp=None,
        segment_ahead: str = "off",
        precision: str = "auto",
        quantized: bool = False,
        attribution: bool = True,
        coreference: bool = True,
        convention: str | None = None,
    ) -> None:
        from stancekit.modeling.inference import Predictor
        from stancekit.modeling.precision import resolve_precision
        from stancekit.text.actors import ActorFinder
        from stancekit.text.attribution import AttributionFinder
        from stancekit.text.prefetch import SegmentAhead
        from stancekit.text.segmentation import DEFAULT_SPACY_MODEL, Segmenter

        if not isinstance(batch_size, int) or batch_size < 1:
            raise InputError(f"batch_size must be a positive integer, got {batch_size!r}")
        if name is not None and not isinstance(name, str):
            raise InputError(f"name must be a string, got {type(name).__name__}")
        self._config = config
        self._model_path = model_path
        self._name = name if name is not None else config.name or (model_path.name if model_path else "")
        self._quantized = quantized  # int8 linear layers (from_pretrained(quantize=True))
        device = next(network.parameters()).device
        self._precision = resolve_precision(precision, device, quantized)
        if convention is not None and not isinstance(convention, str):
            raise InputError(f"convention must be a string or None, got {type(convention).__name__}")
        if convention == DEFAULT_CONVENTION:
            convention = None  # one name for the default, so that identities (and resumed jobs) agree
        # the stance convention (None: the article guidelines); a model trained with others names them in its config
        self._predictor = Predictor(
            network, tokenizer, config, batch_size=batch_size, precision=self._precision, convention=convention
        )
        table, self._aliases_sha256 = _alias_table(aliases)
        self._segmenter = Segmenter(nlp, spacy_model=spacy_model or DEFAULT_SPACY_MODEL)
        self._finder = ActorFinder(table, coreference=coreference)
        # quotes and reported speech give each stance its holder (author or source); False skips the parser
        self._attribution = AttributionFinder(spacy_model=spacy_model) if attribution else None
        # the model's holder probe, where its folder has one, weighs the rules' holder with the stance features
        self._holder_probe = HolderProbe.from_config(config.holder_probe) if config.holder_probe else None
        # spaCy segments the next block of a large batch while the encoder scores this one
        self._ahead = SegmentAhead(self._segmenter, segment_ahead)
        self._identity: dict | None = None  # computed on first use (it hashes the weights file)

    # ----------------------------------------------------------------- what it is
    @property
    def name(self) -> str:
        """The model's name in results (``Document.model``): ``load(..., name=...)``, else the folder's."""
        return self._name

    @property
    def config(self):
        """A copy of the model folder's :class:`~stancekit.modeling.checkpoint.ModelConfig` (labels, marking, ...)."""
        return copy.deepcopy(self._config)

    @property
    def model_path(self) -> Path | None:
        """The model folder this Analyzer was loaded from (None when built from objects in memory)."""
        return self._model_path

    @property
    def precision(self) -> str:
        """What the encoder computes in here: ``"float32"`` or ``"bfloat16"`` (``precision="auto"`` picks)."""
        return self._precision

    @property
    def quantized(self) -> bool:
        """Whether the linear layers run in dynamic int8 (``load(..., quantize=True)``)."""
        return self._quantized

    @property
    def known_names(self) -> frozenset[str]:
        """Every name and alias of the alias table (a country or party named so is never a person's surname)."""
        return frozenset(self._finder.aliases.surfaces)

    def identity(self) -> dict:
        """What produces this Analyzer's results, as JSON-able data (see :mod:`stancekit.identity`).

        Two Analyzers with equal identities give the same results for the same input and call options
        (``actors``, ``use_ner``); ``score()`` refuses to resume a job under another identity. The batch
        size is left out: it moves scores only within ``BATCHING_TOLERANCE``.
        """
        if self._identity is None:
            from stancekit.identity import analyzer_identity

            self._identity = analyzer_identity(
                name=self._name,
                model_path=self._model_path,
                config=self._config,
                network=self._predictor.network,
                precision=self._precision,
                quantized=self._quantized,
                segmenter=self._segmenter,
                options={
                    "attribution": self._attribution is not None,
                    "coreference": self._finder.coreference,
                    "aliases_sha256": self._aliases_sha256,
                    **({"convention": self._predictor.convention} if self._predictor.convention else {}),
                },
            )
        return copy.deepcopy(self._identity)

    @classmethod
    def from_pretrained(cls, model: str | os.PathLike | None = None, *, quantize: bool = False, **kwargs) -> Analyzer:
        """Load a model folder by name (``news-small``, ``news-base``) or path.

        ``quantize=True`` runs the linear layers in dynamic int8; ``precision`` (``"auto"``,
        ``"float32"``, ``"bfloat16"``) chooses the encoder's float format, see :class:`Analyzer`;
        ``name`` replaces the folder's model name in results.
        """
        from stancekit.modeling.checkpoint import find_model, load_model

        if model is not None and not isinstance(model, str | os.PathLike):
            raise InputError(f"model must be a name or a path, got {type(model).__name__}")
        folder = find_model(model)
        network, tokenizer, config = load_model(folder)
        if quantize:
            from stancekit.modeling.quantize import quantize_dynamic

            network = quantize_dynamic(network)
        return cls(network, tokenizer, config, model_path=folder, quantized=quantize, **kwargs)

    # ----------------------------------------------------------------- documents
    def analyze(self, text: str, actors: Sequence[str | Mapping] | None = None, *, use_ner: bool = True) -> Document:
        """Every sentence of ``text`` with its editorial flag and its stance toward each actor.

        ``actors`` (names or ``{"name", "aliases", "kind"}``) are found besides the NER actors,
        or instead of them with ``use_ner=False``.
        """
        return self.analyze_many([text], actors, use_ner=use_ner)[0]

    def analyze_many(
        self,
        texts: Iterable[str],
        actors: Sequence[str | Mapping] | None = None,
        *,
        use_ner: bool = True,
        check_language: bool = True,
    ) -> list[Document]:
        """Analyse many documents in one batched model pass (same results as one by one).

        Each document's language is detected (``Document.language``); the models are English-only,
        so a text detected as another language gets a :class:`~stancekit.errors.LanguageWarning`
        (``check_language=False`` skips both, as ``score()`` does, which reports languages itself).
        """
        from stancekit.text.actors import parse_actor_specs

        texts = list(texts) if not isinstance(texts, str) else None
        if texts is None:
            raise InputError("analyze_many takes a list of texts, not a single string")
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                raise InputError(f"text #{i} must be a str, got {type(t).__name__}")
        texts = [_clean(t, f"text #{i}") for i, t in enumerate(texts)]
        specs = parse_actor_specs(actors, self._finder.aliases)
        docs: list[Document] = []
        for block, segs in self._ahead.blocks(texts):
            docs.extend(self._analyze_block(block, segs, specs, use_ner))
        if check_language:
            _check_languages(docs)
        return docs

    def _analyze_block(self, texts, segmentations, specs, use_ner: bool) -> list[Document]:
        """Actors, one batched model pass over all sentences of ``texts``, then results."""
        plans = []
        flat_texts: list[str] = []
        flat_spans: list[list[tuple[int, int]]] = []
        for text, seg in zip(texts, segmentations, strict=True):
            found, mentions = self._finder.find(text, seg.entities, specs, use_ner=use_ner, sentences=seg.sentences)
            per_sentence = _assign(seg.sentences, mentions)
            first = len(flat_texts)
            for sent, ms in zip(seg.sentences, per_sentence, strict=True):
                flat_texts.append(sent.text)
                flat_spans.append(
                    [(max(m.start, sent.start) - sent.start, min(m.end, sent.end) - sent.start) for m in ms]
                )
            plans.append((text, seg.sentences, found, per_sentence, first))
        probe = self._holder_probe if self._attribution is not None else None
        stance_feats = None
        if not flat_texts:
            stance_p, editorial_p = [], None
        elif probe is not None:  # the stance head's input too: the holder probe reads it
            stance_p, editorial_p, stance_feats = self._predictor.probabilities(flat_texts, flat_spans, features=True)
        else:
            stance_p, editorial_p = self._predictor.probabilities(flat_texts, flat_spans)
        docs = []
        labels = self._config.stance_labels
        ed_index = self._config.editorial_labels.index("editorial")
        for text, sentences, found, per_sentence, first in plans:
            out_sentences = []
            all_stances = []
            attributions, refs = self._attributions(text, sentences, per_sentence, found)
            for k, (sent, ms) in enumerate(zip(sentences, per_sentence, strict=True)):
                probs = stance_p[first + k]
                stances = []
                for m, p in zip(ms, probs, strict=True):
                    actor = found[m.actor]
                    stances.append(
                        ActorStance(
                            actor.name,
                            actor.kind,
                            m.text,
                            m.start,
                            m.end,
                            labels[int(np.argmax(p))],
                            {lab: round(float(v), 6) for lab, v in zip(labels, p, strict=True)},
                            resolved=m.resolved,
                        )
                    )
                if self._attribution is not None:
                    holding = self._attribution.holding(attributions[k], refs[k])
                    if probe is not None and stances:
                        rules = rule_features(sent.text, attributions[k], refs[k], holding)
                        polar = [st.label != "neutral" for st in stances]
                        holding = probe.decide(attributions[k], refs[k], holding, stance_feats[first + k], rules, polar)
                    for st, decision in zip(stances, holding, strict=True):
                        (st.holder, st.holder_kind), _ = holder_of(decision)
                score = float(editorial_p[first + k][ed_index])
                out_sentences.append(
                    Sentence(
                        k, sent.text, sent.start, sent.end, score >= 0.5, round(score, 6), stances, attributions[k]
                    )
                )
                all_stances.extend(stances)
            summary = summarize_actors([(a.name, a.kind, a.surfaces) for a in found], all_stances)
            docs.append(Document(text, out_sentences, summary, self._name))
        return docs

    def _attributions(self, text, sentences, per_sentence, found) -> tuple[list[list], list[list]]:
        """Attributions per sentence, and the mention references they were found with (reused for holders)."""
        if self._attribution is None:
            return [[] for _ in sentences], []
        from stancekit.text.attribution import MentionRef

        refs = [
            [MentionRef(m.start, m.end, found[m.actor].name, found[m.actor].kind) for m in ms] for ms in per_sentence
        ]
        return self._attribution.find(text, sentences, refs), refs

    def explain(
        self,
        text: str,
        actors: Sequence[str | Mapping] | None = None,
        *,
        use_ner: bool = True,
        method: str = "integrated-gradients",
        n_steps: int = 32,
    ) -> Document:
        """:meth:`analyze`, plus word weights toward each predicted label (see :mod:`stancekit.explain`).

        ``method`` is ``"integrated-gradients"`` (needs the ``explain`` extra) or ``"occlusion"``.
        """
        from stancekit.explain import explain_documents

        doc = self.analyze(text, actors, use_ner=use_ner)
        return explain_documents(self, [doc], method=method, n_steps=n_steps)[0]

    def explain_sentences(
        self,
        texts: Sequence[str],
        spans: Sequence[Sequence[tuple[int, int]]],
        *,
        method: str = "integrated-gradients",
        n_steps: int = 32,
        targets: str = "both",
    ) -> list:
        """Word weights for sentences with the given mention spans marked (offsets into each sentence).

        One :class:`~stancekit.explain.attribution.SentenceExplanation` per sentence; ``targets``
        (``"both"``, ``"editorial"``, ``"stances"``) skips the other kind's work (integrated gradients).
        """
        from stancekit.explain.attribution import sentence_explanations

        return sentence_explanations(
            self._predictor,
            texts,
            spans,
            method=method,
            n_steps=n_steps,
            targets=targets,
            quantized=self._quantized,
        )

    def analyze_segmented(
        self,
        texts: Sequence[str],
        segmentations,
        actors: Sequence[str | Mapping] | None = None,
        *,
        use_ner: bool = True,
    ) -> list[Document]:
        """:meth:`analyze_many` for texts already split by the caller (``SegmentedText`` each, e.g. from spaCy)."""
        from stancekit.text.actors import parse_actor_specs

        texts = list(texts)
        segmentations = list(segmentations)
        if len(texts) != len(segmentations):
            raise InputError(f"{len(texts)} texts but {len(segmentations)} segmentations")
        docs = self._analyze_block(texts, segmentations, parse_actor_specs(actors, self._finder.aliases), use_ner)
        _check_languages(docs)  # as analyze_many does
        return docs

    # ----------------------------------------------------------------- sentences
    def predict_stance(self, items: Sequence[Mapping]) -> list[dict]:
        """Stance toward the span ``text[start:end]`` of each item ``{"text", "start", "end"}``."""
        if isinstance(items, (Mapping, str)):
            raise InputError("predict_stance takes a list of {'text', 'start', 'end'} mappings")
        texts, spans = [], []
        for i, it in enumerate(items):
            if not isinstance(it, Mapping):
                raise InputError(f"item {i} must be a mapping with text, start, end; got {type(it).__name__}")
            text = it.get("text")
            if not isinstance(text, str):
                raise InputError(f"item {i}: field 'text' must be a str, got {type(text).__name__}")
            start, end = it.get("start"), it.get("end")
            if not _is_offset(start) or not _is_offset(end):
                raise InputError(
                    f"item {i}: fields 'start' and 'end' must be integers, got "
                    f"{type(start).__name__} and {type(end).__name__}"
                )
            start, end, text = int(start), int(end), _clean(text, f"item {i}")
            if not 0 <= start < end <= len(text):
                raise InputError(f"item {i}: span {start}:{end} is not inside the text (length {len(text)})")
            texts.append(text)
            spans.append([(start, end)])
        if not texts:
            return []
        stance_p, _ = self._predictor.probabilities(texts, spans)
        labels = self._config.stance_labels
        return [
            {
                "label": labels[int(np.argmax(p[0]))],
                "scores": {lab: float(v) for lab, v in zip(labels, p[0], strict=True)},
            }
            for p in stance_p
        ]

    def predict_editorial(self, sentences: Sequence[str]) -> list[dict]:
        """``{"label": "editorial"|"reporting", "score": P(editorial)}`` per sentence.

        Single-pass models read the flag with the sentence's actors marked, as in training
        and in :meth:`analyze`; the actors are found here the same way.
        """
        if isinstance(sentences, str):
            raise InputError("predict_editorial takes a list of sentences, not a single string")
        sentences = list(sentences)
        for i, s in enumerate(sentences):
            if not isinstance(s, str):
                raise InputError(f"sentence {i} must be a str, got {type(s).__name__}")
            if not s.strip():
                # nothing to classify; analyze() gives such a text no sentence either
                raise InputError(f"sentence {i} is empty or only whitespace: there is nothing to classify")
        sentences = [_clean(s, f"sentence {i}") for i, s in enumerate(sentences)]
        if not sentences:
            return []
        spans = self.find_mentions(sentences) if self._config.marking == "all" else [[] for _ in sentences]
        _, editorial_p = self._predictor.probabilities(sentences, spans)
        idx = self._config.editorial_labels.index("editorial")
        return [{"label": "editorial" if p[idx] >= 0.5 else "reporting", "score": float(p[idx])} for p in editorial_p]

    # ----------------------------------------------------------------- the stages, one at a time
    # analyze() is segment -> find_actors -> probabilities -> results; these run one stage (harness, benchmarks)
    def segment(self, texts: Iterable[str]) -> list:
        """Sentences and entity mentions of each text (``SegmentedText``), split as :meth:`analyze` splits them."""
        if isinstance(texts, str):
            raise InputError("segment takes a list of texts, not a single string")
        return list(self._segmenter.segment_many(list(texts)))

    def find_actors(
        self,
        text: str,
        segmentation,
        actors: Sequence[str | Mapping] | None = None,
        *,
        use_ner: bool = True,
        within_sentences: bool = True,
    ) -> tuple[list, list]:
        """The actors of one segmented text and their mentions (``ResolvedActor``s; ``Mention``s by start).

        As :meth:`analyze` finds them: mentions kept inside sentences, pronouns and descriptions of named
        actors resolved. ``within_sentences=False`` looks at the text alone, as training's marking does.
        """
        from stancekit.text.actors import parse_actor_specs

        specs = parse_actor_specs(actors, self._finder.aliases)
        sentences = segmentation.sentences if within_sentences else None
        return self._finder.find(text, segmentation.entities, specs, use_ner=use_ner, sentences=sentences)

    def find_mentions(self, texts: Sequence[str]) -> list[list[tuple[int, int]]]:
        """The actor mention spans the model marks in each text on its own (as training and predict_editorial do)."""
        texts = list(texts)
        out = []
        for text, seg in zip(texts, self._segmenter.segment_many(texts), strict=True):
            _, mentions = self._finder.find(text, seg.entities)
            out.append([(m.start, m.end) for m in mentions])
        return out

    def logits(
        self,
        texts: Sequence[str],
        spans: Sequence[Sequence[tuple[int, int]]],
        features: bool = False,
        readout: bool = True,
    ):
        """Model outputs for sentences with the given mentions marked, before calibration.

        Returns (per sentence an ``(n_mentions, 3)`` stance array, an ``(n_sentences, 2)`` editorial array);
        columns follow ``config.stance_labels`` and ``config.editorial_labels``. ``features=True`` adds per
        sentence the stance head's input per mention, ``(n_mentions, 3 * hidden)``: what the holder probe reads.
        The stance logits are the model's article read-out's when it has one; ``readout=False`` gives the stance
        head's (:mod:`stancekit.modeling.stance_readout`).
        """
        return self._predictor.logits(texts, spans, features=features, readout=readout)

    def probabilities(self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]):
        """:meth:`logits` with the model's calibration applied: what :meth:`analyze` labels from."""
        return self._predictor.probabilities(texts, spans)

    def new_predictor(
        self, *, batch_size: int | None = None, buckets: Sequence[int] | None = None, marking: str | None = None
    ):
        """A new :class:`~stancekit.modeling.inference.Predictor` over this model, in this precision, batched otherwise.

        How benchmarks compare batching schemes (``buckets``, ``batch_size``) and the per-pair baseline
        (``marking="target"``) with this Analyzer's; the network is shared, not copied.
        """
        from dataclasses import replace

        from stancekit.modeling.inference import Predictor
        from stancekit.modeling.inputs import WIDTH_BUCKETS

        base = self._predictor
        config = replace(self._config, marking=marking) if marking is not None else self._config
        return Predictor(
            base.network,
            base.encoder.tokenizer,
            config,
            batch_size=batch_size if batch_size is not None else base.batch_size,
            precision=self._precision,
            buckets=buckets if buckets is not None else WIDTH_BUCKETS,
            convention=base.convention,
        )

    def score(self, inputs, output=None, **kwargs):
        """Score a corpus to Parquet/JSONL (see :func:`stancekit.scoring.job.score`)."""
        from stancekit.scoring.job import score

        return score(self, inputs, output, **kwargs)

    def close(self) -> None:
        """Stop the segmentation worker, if one was started (it also stops with the Analyzer)."""
        self._ahead.close()

    def __repr__(self) -> str:
        return (
            f"Analyzer(model={self._name!r}, marking={self._config.marking!r}, precision={self._precision!r}, "
            f"quantized={self._quantized}, path={str(self._model_path)!r})"
        )


def _alias_table(aliases):
    """The alias table for ``aliases`` (None, a mapping added to the default table, or a JSON file) and its hash."""
    import hashlib
    import json
    from importlib import resources

    from stancekit.text.aliases import AliasTable

    digest = hashlib.sha256(resources.files("stancekit.text").joinpath("aliases.json").read_bytes())
    table = AliasTable.default()
    if isinstance(aliases, str | os.PathLike):
        table = AliasTable.from_file(aliases)
        digest = hashlib.sha256(b"file\0" + Path(aliases).read_bytes())
    elif isinstance(aliases, Mapping):
        table = table.extended(aliases)
        digest.update(json.dumps(aliases, sort_keys=True, default=str).encode("utf-8"))
    elif aliases is not None:
        raise InputError("aliases must be a mapping {name: {kind, aliases}} or a path to a JSON file")
    return table, digest.hexdigest()


def _check_languages(docs: list[Document]) -> None:
    import warnings

    from stancekit.errors import LanguageWarning
    from stancekit.language import detect

    foreign: dict[str, int] = {}
    for d in docs:
        d.language = detect(d.text)
        if d.language is not None and d.language != "en":
            foreign[d.language] = foreign.get(d.language, 0) + 1
    if foreign:
        listed = ", ".join(f"{lang} ({n})" for lang, n in sorted(foreign.items()))
        warnings.warn(
            f"text detected as not English: {listed}; the models are English-only, so these labels are unreliable",
            LanguageWarning,
            stacklevel=4,
        )


def _assign(sentences, mentions):
    """Mentions per sentence (by start offset); sentences are sorted and disjoint."""
    out = [[] for _ in sentences]
    starts = [s.start for s in sentences]
    import bisect

    for m in mentions:
        k = bisect.bisect_right(starts, m.start) - 1
        if k >= 0 and m.start < sentences[k].end:
            out[k].append(m)
    return out


def _is_offset(value) -> bool:
    """An integer offset: ``int`` or a numpy integer, never a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool | np.bool_)


def _clean(text: str, where: str) -> str:
    """The text with unencodable characters replaced (same length); warns naming the item."""
    from stancekit.text.sanitize import clean_text

    cleaned, changed = clean_text(text)
    if changed:
        warnings.warn(
            f"{where}: unencodable characters (lone surrogates) replaced by U+FFFD; offsets are unchanged",
            UnencodableTextWarning,
            stacklevel=3,
        )
    return cleaned
