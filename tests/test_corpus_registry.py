"""One real actor is one actor across a scored corpus (full name, surname, possessive, pronoun)."""

from __future__ import annotations

import json

import stancekit

DOCS = [
    ("d1", "Senator Helena Marsh criticized the budget on Monday. Marsh said the plan would fail."),
    ("d2", "Marsh's office released a statement. She called the vote a disgrace."),
    ("d3", "Helena Marsh met Governor Tomas Ruiz in Denver. Ruiz praised her work."),
    ("d4", "Critics attacked Marsh for the delay."),
]


def test_one_identity_per_person_across_documents(tiny_model_path, tmp_path):
    corpus = tmp_path / "docs.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in DOCS))
    an = stancekit.load(tiny_model_path)
    an.score(corpus, tmp_path / "out", id_column="id", progress=False)
    scored = stancekit.read_scored(tmp_path / "out")
    actors = scored.actors
    marsh = actors[actors["actor"].str.contains("Marsh")]
    assert list(marsh["actor"]) == ["Helena Marsh"] and list(marsh["actor_kind"]) == ["person"]
    assert int(marsh["documents"].iloc[0]) == 4
    registry = scored.actor_registry
    row = registry[registry["actor"] == "Helena Marsh"].iloc[0]
    forms = {s["form"] for s in row["surfaces"]}
    assert {"Helena Marsh", "Marsh"} <= forms or {"Senator Helena Marsh", "Marsh"} <= forms
    # the per-document table uses the corpus names too
    da = scored.document_actors
    assert set(da[da["actor"].str.contains("Marsh")]["actor"]) == {"Helena Marsh"}
    # the parts keep each document's own names: nothing is lost
    stances = scored.stances
    assert set(stances[stances["doc_id"] == "d4"]["actor"]) >= {"Marsh"} or "Helena Marsh" in set(stances["actor"])
