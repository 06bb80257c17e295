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
        "Turkey",
        "Recep Tayyip Erdogan",
        "Andrii Sybiha",
        "European Union",
        "United States",
        "United Nations",
    } <= names
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
