"""The actor test set and its scoring."""

import json

import pytest

from stancekit.errors import DataError
from stancekit.evaluation.actors import PredictedMention, load_testset, score_items


def test_testset_is_large_valid_and_covers_the_cases():
    items = load_testset()
    assert len(items) >= 80
    cats = {it["category"] for it in items}
    assert {"place", "dateline", "nationality", "thing", "title", "hyphenated", "headline", "pronoun", "user"} <= cats
    types = {m["type"] for it in items for a in it["actors"] for m in a["mentions"]}
    assert types == {"name", "pronoun", "description"}


def test_bad_span_is_a_data_error(tmp_path):
    path = tmp_path / "t.jsonl"
    item = {
        "id": "x",
        "text": "Oslo said no.",
        "actors": [
            {"name": "Norway", "kind": "country", "mentions": [{"start": 0, "end": 3, "text": "Oslo", "type": "name"}]}
        ],
    }
    path.write_text(json.dumps(item) + "\n")
    with pytest.raises(DataError, match="line 1"):
        load_testset(path)


def test_scoring_counts_mentions_actors_and_kinds():
    items = [
        {
            "id": "a",
            "category": "c",
            "text": "Oslo said he left.",
            "actors": [
                {
                    "name": "Norway",
                    "kind": "country",
                    "mentions": [{"start": 0, "end": 4, "text": "Oslo", "type": "name"}],
                },
                {
                    "name": "Ola",
                    "kind": "person",
                    "mentions": [{"start": 10, "end": 12, "text": "he", "type": "pronoun"}],
                },
            ],
        }
    ]
    preds = [[PredictedMention("Norway", "organization", 0, 4), PredictedMention("Said", "person", 5, 9)]]
    r = score_items(items, preds)
    assert r["mentions"]["tp"] == 1 and r["mentions"]["pred"] == 2 and r["mentions"]["gold"] == 2
    assert r["actors"]["precision"] == 0.5 and r["actors"]["recall"] == 0.5
    assert r["kind_accuracy"] == 0.0 and r["recall_by_mention_type"] == {"name": 1.0, "pronoun": 0.0}


def test_finder_on_the_testset_beats_the_recorded_before_figures():
    from pathlib import Path

    from stancekit.evaluation.actors import analyzer_finder, evaluate_actor_finder
    from stancekit.text.actors import ActorFinder
    from stancekit.text.segmentation import Segmenter

    report = evaluate_actor_finder(analyzer_finder(Segmenter(), ActorFinder()))
    before = json.loads((Path(__file__).parents[1] / "benchmarks/results/actors-before.json").read_text())
    assert report["mentions"]["precision"] > before["mentions"]["precision"]
    assert report["mentions"]["recall"] > before["mentions"]["recall"]
    assert report["actors"]["precision"] > before["actors"]["precision"]
    assert report["recall_by_mention_type"]["pronoun"] > 0.5


def test_bench_markdown_shows_actor_figures_next_to_the_recorded_before():
    from stancekit.evaluation.harness import _actor_lines

    report = {
        "items": 3,
        "mentions": {"precision": 0.9, "recall": 0.8},
        "actors": {"precision": 1.0, "recall": 0.5},
        "kind_accuracy": 1.0,
        "recall_by_mention_type": {"name": 0.8, "pronoun": 0.5},
    }
    lines = _actor_lines({"models": {"m": {"actors": report}}})
    table = "\n".join(lines)
    assert "| m | 0.900 | 0.800 | 1.000 | 0.500 | 1.0 | 0.500 | 0.000 |" in table
    assert "before (main, recorded)" in table
    assert _actor_lines({"models": {"m": {}}}) == []
