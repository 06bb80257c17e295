"""The HTML report: article and corpus views, notebook display, displaCy data, the CLI."""

from __future__ import annotations

import subprocess
import sys

import pytest
from report_helpers import REPO, external_references, score_corpus, walk

import stancekit
from stancekit.errors import InputError

EXAMPLES = sorted((REPO / "examples").glob("*.txt"))


@pytest.fixture(scope="module")
def example_docs(default_analyzer):
    docs = [default_analyzer.analyze(p.read_text("utf-8")) for p in EXAMPLES]
    # one article with explanations (occlusion: fast), to check the highlights render
    docs[0] = default_analyzer.explain(EXAMPLES[0].read_text("utf-8"), method="occlusion")
    return docs


@pytest.fixture(scope="module")
def scored(default_analyzer, tmp_path_factory):
    return score_corpus(default_analyzer, tmp_path_factory.mktemp("corpus"))


def _check_article(html: str, doc) -> None:
    w = walk(html)
    assert html.startswith("<!DOCTYPE html>")
    assert external_references(html) == []
    for s in doc.sentences:
        assert "".join(w.sentences[f"s-{s.index}"]) == s.text
    assert len(w.sentences) == len(doc.sentences)
    rows = sorted((st.actor, st.label) for s in doc.sentences for st in s.stances)
    assert sorted((m["data-actor"], m["data-label"]) for m in w.mentions) == rows


def test_article_view_has_every_sentence_and_stance(example_docs):
    assert len(example_docs) >= 2
    for doc in example_docs:
        html = doc.to_html()
        _check_article(html, doc)
        for a in doc.actors:
            assert f"<td>{a.name}</td>" in html.replace("&#x27;", "'")


def test_article_view_explanations_and_tooltips(example_docs):
    doc = example_docs[0]
    html = doc.to_html()
    assert 'class="xt"' in html and "why?" in html
    # the tooltip of a mention names its label, probability and holder
    st = next(st for s in doc.sentences for st in s.stances)
    assert f"{st.scores[st.label]:.2f}" in html and "held by the author" in html
    # explained words are wrapped for highlighting, with their weight
    assert 'class="w toward"' in html or 'class="w away"' in html


def test_article_file_and_api(default_analyzer, tmp_path):
    text = "Senator Ravi Patel's disgraceful stunt embarrassed the whole chamber. The vote was held on Tuesday."
    src = tmp_path / "piece.txt"
    src.write_text(text, encoding="utf-8")
    out = tmp_path / "piece.html"
    html = stancekit.report(src, out, analyzer=default_analyzer, explain="occlusion")
    assert out.read_text("utf-8") == html
    doc = default_analyzer.analyze(text)
    w = walk(html)
    assert ["".join(w.sentences[f"s-{s.index}"]) for s in doc.sentences] == [s.text for s in doc.sentences]
    with pytest.raises(InputError, match="no such file"):
        stancekit.report(tmp_path / "missing.txt")
    with pytest.raises(InputError):
        stancekit.report(42)


def test_text_is_escaped(default_analyzer):
    doc = default_analyzer.analyze('Ravi Patel wrote <script>alert("x")</script> & left.')
    html = doc.to_html()
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    _check_article(html, doc)


def test_notebook_display_and_displacy(example_docs):
    doc = example_docs[1]
    frag = doc._repr_html_()
    assert "<script" not in frag and "<style>" in frag
    w = walk(frag)
    prefix = f"sk-{id(doc)}-"
    assert ["".join(w.sentences[f"{prefix}s-{s.index}"]) for s in doc.sentences] == [s.text for s in doc.sentences]
    data = doc.to_displacy()
    mentions = [st for s in doc.sentences for st in s.stances]
    assert len(data["spans"]) == len(mentions)
    for span, st in zip(data["spans"], mentions, strict=True):
        assert "".join(data["tokens"][span["start_token"] : span["end_token"]]) == "".join(st.mention.split())
        assert span["label"] == f"{st.actor}: {st.label}"
    from spacy import displacy

    rendered = displacy.render(data, style="span", manual=True, jupyter=False)
    assert mentions[0].actor in rendered


def test_corpus_view(scored):
    import pyarrow.parquet as pq

    html = stancekit.report(scored)
    assert external_references(html) == []
    walk(html)
    stances = pq.read_table(scored / "stances").to_pylist()
    docs = {r["doc_id"]: r["outlet"] for r in pq.read_table(scored / "documents.parquet").to_pylist()}
    assert "Daily Ledger" in html and "Harbor Post" in html and "2026-01" in html and "2026-02" in html
    assert "grouped by <b>outlet</b>" in html and "computed here from the stances table" in html
    # every actor of the corpus is in the top-actors table (the corpus is far below the caps)
    for actor in {r["actor"] for r in stances}:
        assert f">{actor}<" in html
    # a heatmap cell's mean is the mean of P(pos) - P(neg) over that outlet's mentions
    actor = max({r["actor"] for r in stances}, key=lambda a: sum(r["actor"] == a for r in stances))
    mine = [r for r in stances if r["actor"] == actor and docs[r["doc_id"]] == "Harbor Post"]
    mean = sum(r["p_positive"] - r["p_negative"] for r in mine) / len(mine)
    assert f"Harbor Post / {actor}: mean {mean:+.2f}" in html.replace("&#x27;", "'")


def test_corpus_view_uses_groups_table(scored, tmp_path):
    import shutil

    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "with_groups"
    shutil.copytree(scored, folder)
    actor = pq.read_table(folder / "stances").column("actor").to_pylist()[0]
    rows = [
        {
            "outlet": "Daily Ledger",
            "actor": actor,
            "holder_kind": "all",
            "documents": 2,
            "mentions": 3,
            "mean_score": 0.25,
            "ci_low": -0.125,
            "ci_high": 0.375,
        },
    ]
    pq.write_table(pa.Table.from_pylist(rows), folder / "groups.parquet")
    html = stancekit.report(folder)
    assert "the scored folder&#x27;s groups table" in html
    assert "mean +0.25 [-0.12, +0.38]" in html or "mean +0.25 [-0.13, +0.38]" in html


def test_corpus_errors(scored, tmp_path):
    with pytest.raises(InputError, match="not a scored folder"):
        stancekit.report(tmp_path)
    with pytest.raises(InputError, match="no column 'desk'"):
        stancekit.report(scored, group_by="desk")


@pytest.mark.slow
def test_cli_report_and_explain(default_analyzer, scored, tmp_path):
    def run(*args, stdin=None):
        return subprocess.run(
            [sys.executable, "-m", "stancekit.cli", *args], capture_output=True, text=True, cwd=REPO, input=stdin
        )

    out = run("report", str(scored), "-o", str(tmp_path / "corpus.html"))
    assert out.returncode == 0, out.stderr
    assert "Harbor Post" in (tmp_path / "corpus.html").read_text("utf-8")
    text = "The spineless, dishonest senator Paul Crane shamelessly betrayed his voters."
    out = run("analyze", "--explain", "-", "--explain-method", "occlusion", stdin=text)
    assert out.returncode == 0, out.stderr
    assert "top words" in out.stdout and "Paul Crane" in out.stdout


def test_large_corpus_is_capped(tmp_path):
    """A synthetic scored folder (no model): 60 outlets, 300 actors, 30 months; the page stays small."""
    import json

    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from stancekit.schemas import sentence_schema, stance_schema

    rng = np.random.default_rng(3)
    folder = tmp_path / "big"
    (folder / "sentences").mkdir(parents=True)
    (folder / "stances").mkdir()
    n_docs = 3000
    sentences, stances, documents = [], [], []
    for d in range(n_docs):
        doc_id = f"doc{d}"
        documents.append(
            {
                "doc_id": doc_id,
                "outlet": f"Outlet {d % 60}",
                "date": f"{2023 + d // 60 % 30 // 12}-{d // 60 % 30 % 12 + 1:02d}-01",
            }
        )
        for s in range(3):
            sentences.append(
                {
                    "doc_id": doc_id,
                    "sentence": s,
                    "start": 0,
                    "end": 5,
                    "text": f"Sentence {s} of {doc_id}.",
                    "editorial": bool(rng.random() < 0.3),
                    "editorial_score": float(rng.random()),
                }
            )
            p = rng.dirichlet([1, 1, 1])
            stances.append(
                {
                    "doc_id": doc_id,
                    "sentence": s,
                    "actor": f"Actor {int(rng.integers(300))}",
                    "actor_kind": "person",
                    "mention": "x",
                    "start": 0,
                    "end": 1,
                    "resolved": "name",
                    "holder": "author",
                    "holder_kind": "author",
                    "label": ["negative", "neutral", "positive"][int(np.argmax(p))],
                    "p_negative": float(p[0]),
                    "p_neutral": float(p[1]),
                    "p_positive": float(p[2]),
                }
            )
    pq.write_table(
        pa.Table.from_pylist(sentences, schema=sentence_schema()), folder / "sentences" / "part-000000.parquet"
    )
    pq.write_table(pa.Table.from_pylist(stances, schema=stance_schema()), folder / "stances" / "part-000000.parquet")
    pq.write_table(pa.Table.from_pylist(documents), folder / "documents.parquet")
    (folder / "manifest.json").write_text(json.dumps({"complete": True}))
    html = stancekit.report(folder)
    walk(html)
    assert "the 25 largest of 60 groups" in html and "the top 50 actors in the table" in html
    assert "the last 24 of 30 months" in html
    assert len(html) < 600_000
