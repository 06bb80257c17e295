"""HTML reports (article and corpus views) and displaCy data, as self-contained files.

>>> import stancekit
>>> html = stancekit.report("article.txt", "article.html")     # analyse, explain, render
>>> html = stancekit.report("scored/", "corpus.html")          # a folder written by score()
"""

from __future__ import annotations

import os
from pathlib import Path

from stancekit.errors import InputError
from stancekit.results import Document

__all__ = ["article_html", "corpus_html", "report", "to_displacy"]


def article_html(doc: Document, *, title: str | None = None) -> str:
    from stancekit.reporting.article import article_html as render

    return render(doc, title=title)


def corpus_html(folder, *, title: str | None = None, **options) -> str:
    """The corpus view of a scored folder; ``options`` go to :func:`~stancekit.reporting.corpus_data.summarize`."""
    from stancekit.reporting.corpus import corpus_html as render
    from stancekit.reporting.corpus_data import summarize

    return render(summarize(folder, **options), title=title)


def report(
    source,
    output: str | os.PathLike | None = None,
    *,
    analyzer=None,
    model: str | None = None,
    explain: str | None = "integrated-gradients",
    title: str | None = None,
    group_by: str | None = None,
    date_column: str | None = None,
    holder_kind: str | None = None,
) -> str:
    """Render ``source`` as one self-contained HTML page; write it to ``output`` if given, and return it.

    ``source`` is a :class:`~stancekit.results.Document` (rendered as is), a text file (analysed with
    ``analyzer`` or ``stancekit.load(model)``, explained with ``explain``: ``"integrated-gradients"``,
    ``"occlusion"`` or None), or a folder written by ``score()`` (the corpus view; ``group_by``,
    ``date_column`` and ``holder_kind`` choose what it groups and filters).
    """
    if isinstance(source, Document):
        html = article_html(source, title=title)
    elif isinstance(source, str | os.PathLike):
        path = Path(source)
        if path.is_dir():
            html = corpus_html(path, title=title, group_by=group_by, date_column=date_column, holder_kind=holder_kind)
        elif path.is_file():
            try:
                text = path.read_text("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
            if analyzer is None:
                import stancekit

                analyzer = stancekit.load(model)
            doc = analyzer.explain(text, method=explain) if explain else analyzer.analyze(text)
            doc.id = doc.id or path.name
            html = article_html(doc, title=title)
        else:
            raise InputError(f"{path}: no such file or folder")
    else:
        raise InputError(f"report takes a Document, a text file or a scored folder, got {type(source).__name__}")
    if output is not None:
        Path(output).write_text(html, "utf-8")
    return html


def to_displacy(doc: Document) -> dict:
    """displaCy "span" manual data: one span per actor mention, labelled ``ACTOR: stance``.

    Render with ``spacy.displacy.render(data, style="span", manual=True)``.
    """
    import re

    cuts = sorted({x for s in doc.sentences for st in s.stances for x in (st.start, st.end)})
    tokens, starts = [], []
    for m in re.finditer(r"\w+(?:['\u2019\-]\w+)*|[^\w\s]", doc.text):
        # words and punctuation, also cut at every mention edge so mentions line up with tokens
        edges = [m.start(), *(c for c in cuts if m.start() < c < m.end()), m.end()]
        for a, b in zip(edges, edges[1:], strict=False):
            tokens.append(doc.text[a:b])
            starts.append(a)
    ends = [s + len(t) for s, t in zip(starts, tokens, strict=True)]
    spans = []
    for sent in doc.sentences:
        for st in sent.stances:
            first = next((k for k, e in enumerate(ends) if e > st.start), None)
            last = next((k for k in range(len(starts) - 1, -1, -1) if starts[k] < st.end), None)
            if first is None or last is None or last < first:
                continue
            spans.append(
                {
                    "start_token": first,
                    "end_token": last + 1,
                    "label": f"{st.actor}: {st.label}",
                }
            )
    return {"text": doc.text, "tokens": tokens, "spans": spans, "title": doc.id}
