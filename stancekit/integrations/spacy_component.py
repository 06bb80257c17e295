"""A spaCy pipeline component: ``nlp.add_pipe("stancekit", config={"model": "news-small"})``.

It fills ``Doc._.stancekit`` (the :class:`~stancekit.results.Document`), ``Doc._.stances`` (every
:class:`~stancekit.results.ActorStance`), ``Doc._.actors``, ``Span._.editorial`` /
``Span._.editorial_score`` on sentence spans (``doc.sents``), ``Span._.stance`` on actor mention spans
(all in ``doc.spans["stancekit"]``, labelled ``actor: stance``, for displaCy); the span attributes are
looked up from ``Doc._.stancekit`` by character offsets, whitespace aside, and are None elsewhere.

With a pipeline that already sets sentence boundaries and named entities (a parser or senter
plus NER, e.g. ``en_core_web_sm``) the component reuses them: no second spaCy pass. With a
blank pipeline, or one missing either annotation, it segments with stancekit's own spaCy
pipeline and writes its sentence boundaries onto docs that had none. ``nlp.pipe(texts,
batch_size=n)`` sends each batch of ``n`` docs through one batched model pass; results equal
``Analyzer.analyze()`` on the same text whenever the sentence and entity annotations are the ones
stancekit's own pipeline would make (always with a blank pipeline).

The factory is registered through the ``spacy_factories`` entry point and when this module is imported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch

SPAN_GROUP = "stancekit"


def _register_extensions() -> None:
    """Custom attributes (spaCy keeps these in its own registry, as every component does)."""
    for name in ("stancekit", "stances", "actors"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    getters = {"editorial": _editorial, "editorial_score": _editorial_score, "stance": _stance}
    for name, getter in getters.items():
        if not Span.has_extension(name):
            Span.set_extension(name, getter=getter)


def _bounds(span: Span) -> tuple[int, int]:
    text, a, b = span.doc.text, span.start_char, span.end_char
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _sentence(span: Span):
    """The stancekit sentence this span covers (whitespace aside), or None."""
    result = span.doc._.stancekit
    if result is None:
        return None
    a, b = _bounds(span)
    return next((s for s in result.sentences if s.start == a and s.end == b), None)


def _editorial(span: Span) -> bool | None:
    s = _sentence(span)
    return None if s is None else s.editorial


def _editorial_score(span: Span) -> float | None:
    s = _sentence(span)
    return None if s is None else s.editorial_score


def _stance(span: Span):
    """The ActorStance of the mention this span covers (the first, if two actors share it), or None."""
    stances = span.doc._.stances or []
    a, b = _bounds(span)
    hit = next((st for st in stances if st.start == a and st.end == b), None)
    if hit is None:  # a mention that does not end on a token boundary: the span expanded to cover it
        hit = next((st for st in stances if a <= st.start and st.end <= b and b - a <= st.end - st.start + 2), None)
    return hit


class StancekitComponent:
    """Runs an :class:`~stancekit.analyzer.Analyzer` over spaCy docs, a batch of docs per model pass."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        model: str | None = "news-small",
        batch_size: int = 32,
        use_ner: bool = True,
        actors: list | None = None,
        reuse_annotations: bool = True,
        analyzer=None,
    ) -> None:
        import stancekit

        _register_extensions()
        self.name = name
        self.analyzer = analyzer if analyzer is not None else stancekit.load(model)
        self.batch_size = batch_size
        self.use_ner = use_ner
        self.actors = list(actors) if actors else None
        self.reuse_annotations = reuse_annotations

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, stream: Iterable[Doc], batch_size: int | None = None) -> Iterator[Doc]:
        for batch in minibatch(stream, size=batch_size or self.batch_size):
            yield from self._process(list(batch))

    def _reusable(self, doc: Doc) -> bool:
        return self.reuse_annotations and doc.has_annotation("SENT_START") and doc.has_annotation("ENT_IOB")

    def _process(self, docs: list[Doc]) -> list[Doc]:
        from stancekit.text.segmentation import segmented_from_doc

        texts = [d.text for d in docs]
        if docs and all(self._reusable(d) for d in docs):
            segs = [segmented_from_doc(d) for d in docs]
            results = self.analyzer.analyze_segmented(texts, segs, self.actors, use_ner=self.use_ner)
        else:
            results = self.analyzer.analyze_many(texts, self.actors, use_ner=self.use_ner)
        for doc, result in zip(docs, results, strict=True):
            _fill(doc, result)
        return docs


def _fill(doc: Doc, result) -> None:
    doc._.stancekit = result
    doc._.stances = [st for s in result.sentences for st in s.stances]
    doc._.actors = result.actors
    if not doc.has_annotation("SENT_START") and len(doc):
        starts = set()
        for s in result.sentences:
            span = doc.char_span(s.start, s.end, alignment_mode="expand")
            if span is not None and len(span):
                starts.add(span.start)
        for tok in doc:
            tok.is_sent_start = tok.i == 0 or tok.i in starts
    group = []
    for st in doc._.stances:
        mention = doc.char_span(st.start, st.end, label=f"{st.actor}: {st.label}", alignment_mode="expand")
        if mention is not None:
            group.append(mention)
    doc.spans[SPAN_GROUP] = group


@Language.factory(
    "stancekit",
    default_config={
        "model": "news-small",
        "batch_size": 32,
        "use_ner": True,
        "actors": None,
        "reuse_annotations": True,
    },
)
def make_stancekit(
    nlp: Language,
    name: str,
    model: str | None,
    batch_size: int,
    use_ner: bool,
    actors: list | None,
    reuse_annotations: bool,
) -> StancekitComponent:
    return StancekitComponent(nlp, name, model, batch_size, use_ner, actors, reuse_annotations)
