"""The project's article-stance data: labels by ids + offsets, text from the shared data, checked by hash."""

from __future__ import annotations

import json

import pytest

from stancekit.data.articlestance import _split_of, agreement, cohen_kappa, load_pairs, text_hash
from stancekit.data.sources import load_rows
from stancekit.errors import DataError


def test_kappa_and_agreement_count_each_decision():
    assert cohen_kappa(["a", "b", "a", "b"], ["a", "b", "a", "b"]) == pytest.approx(1.0)
    items = [{"item": "x", "mentions": [{"m": 1}, {"m": 2}]}]
    p1 = {"x": [{"actor": True, "stance": "negative", "holder": "author"}, {"actor": False}]}
    p2 = {"x": [{"actor": True, "stance": "negative", "holder": "source", "source": "Y"}, {"actor": True}]}
    rep = agreement(items, p1, p2)
    assert rep["pairs"] == 2 and rep["actor_agreement"] == 0.5
    assert rep["stance_pairs"] == 1 and rep["holder_pairs"] == 1 and rep["holder_agreement"] == 0.0


def test_split_depends_on_the_id_only():
    assert _split_of("babe:1") == _split_of("babe:1")
    shares = [_split_of(f"babe:{i}") for i in range(3000)]
    assert 0.65 < shares.count("train") / 3000 < 0.75 and 0.1 < shares.count("test") / 3000 < 0.2


def test_shipped_labels_rebuild_text_and_offsets(shared_data):
    pairs = load_pairs(data_dir=shared_data)
    assert len([p for p in pairs if p["actor"]]) >= 2000
    for p in pairs:
        assert 0 <= p["start"] < p["end"] <= len(p["text"]) and p["mention"] == p["text"][p["start"] : p["end"]]
        if p["holder"] == "source" and p.get("source_start", -1) >= 0:
            assert p["source"] == p["text"][p["source_start"] : p["source_end"]]
    assert {p["split"] for p in pairs} == {"train", "dev", "test"}
    # sentences never cross splits
    split_of = {}
    for p in pairs:
        assert split_of.setdefault(p["sid"], p["split"]) == p["split"]
    rows = load_rows("articlestance-dev", shared_data)
    assert rows and {r["label"] for r in rows} <= {"negative", "neutral", "positive"}


def test_a_changed_sentence_is_refused_not_misread(shared_data, tmp_path):
    pairs = load_pairs(data_dir=shared_data)
    sid = pairs[0]["sid"]
    rec = {"sid": sid, "hash": text_hash("another text"), "split": "train", "opinion": False, "pairs": []}
    bad = tmp_path / "labels.jsonl"
    bad.write_text(json.dumps(rec) + "\n")
    with pytest.raises(DataError, match="changed since annotation"):
        load_pairs(data_dir=shared_data, labels=bad)
    rec["sid"] = "babe:999999999"
    bad.write_text(json.dumps(rec) + "\n")
    with pytest.raises(DataError, match="not found"):
        load_pairs(data_dir=shared_data, labels=bad)
