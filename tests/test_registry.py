"""The corpus actor registry: one identity per actor across documents."""

from collections import Counter

import pytest
from conftest import ents

from stancekit.errors import DataError
from stancekit.text.actors import ActorFinder
from stancekit.text.registry import ActorRegistry
from stancekit.text.segmentation import Span


def feed(reg, doc_id, text, *items):
    sentences = [Span(0, len(text), text)]
    actors, mentions = ActorFinder().find(text, ents(text, *items), sentences=sentences)
    for i, a in enumerate(actors):
        forms = Counter(m.text for m in mentions if m.actor == i and m.resolved != "coreference")
        reg.add(doc_id, a.name, a.kind, forms)
    return actors


def test_full_name_surname_possessive_and_pronoun_documents_give_one_actor():
    reg = ActorRegistry()
    # the surname-only documents come first: the mapping must not depend on order
    feed(reg, "d1", "Kessler's budget failed and he knows it.", ("Kessler's", "ORG"))
    feed(reg, "d2", "Kessler vetoed the plan.", ("Kessler", "ORG"))
    feed(reg, "d3", "Marta Kessler spoke. Kessler smiled.", ("Marta Kessler", "PERSON"), ("Kessler", "PERSON"))
    feed(reg, "d4", "Chancellor Marta Kessler left.", ("Chancellor Marta Kessler", "PERSON"))
    table = reg.table()
    kessler = [r for r in table if "Kessler" in r["actor"]]
    assert len(kessler) == 1, table
    row = kessler[0]
    assert (row["actor"], row["actor_kind"], row["documents"]) == ("Marta Kessler", "person", 4)
    assert {"Kessler's", "Kessler", "Marta Kessler"} <= set(row["surfaces"])
    assert reg.canonical("Kessler", "organization") == ("Marta Kessler", "person")


def test_title_words_and_middle_names_merge():
    reg = ActorRegistry()
    reg.add("a", "Friedrich Merz", "person", {"Friedrich Merz": 3})
    reg.add("b", "Bundeskanzler Friedrich Merz", "person", {"Bundeskanzler Friedrich Merz": 1})
    reg.add("c", "Merz", "organization", {"Merz": 2})
    assert {reg.canonical(n, k) for n, k in [("Bundeskanzler Friedrich Merz", "person"), ("Merz", "organization")]} == {
        ("Friedrich Merz", "person")
    }


def test_ambiguous_surname_is_not_merged():
    reg = ActorRegistry()
    reg.add("a", "Boris Johnson", "person", {"Boris Johnson": 1})
    reg.add("b", "Dustin Johnson", "person", {"Dustin Johnson": 1})
    reg.add("c", "Johnson", "person", {"Johnson": 1})
    assert reg.canonical("Johnson", "person") == ("Johnson", "person")
    assert len(reg) == 3


def test_countries_and_known_names_are_never_surnames():
    reg = ActorRegistry(known_names=["Jordan"])
    reg.add("a", "Michael Jordan", "person", {"Michael Jordan": 1})
    reg.add("b", "Jordan", "country", {"Jordan": 1})
    reg.add("c", "Jordan", "organization", {"Jordan": 1})
    assert reg.canonical("Jordan", "country") == ("Jordan", "country")
    assert reg.canonical("Jordan", "organization") == ("Jordan", "country")


def test_state_rows_round_trip_for_resume():
    reg = ActorRegistry()
    reg.add("a", "Donald Trump", "person", {"Donald Trump": 2})
    reg.add("b", "Trump", "organization", {"Trump": 1})
    again = ActorRegistry.from_state_rows(reg.state_rows())
    assert again.table() == reg.table()
    again.add("c", "Trump", "person", {"Trump's": 1})
    assert again.canonical("Trump", "person") == ("Donald Trump", "person")
    assert [r["documents"] for r in again.table()] == [3]


def test_bad_rows_and_names_are_typed_errors():
    with pytest.raises(DataError, match="line 1"):
        ActorRegistry.from_state_rows([{"name": "X"}], source="actors_state.parquet")
    with pytest.raises(DataError, match="non-empty name"):
        ActorRegistry().add("d", " ", "person")


def test_state_table_round_trip_through_parquet(tmp_path):
    import pyarrow.parquet as pq

    reg = ActorRegistry()
    reg.add("a", "Donald Trump", "person", {"Donald Trump": 2, "Trump's": 1})
    reg.add("b", "Trump", "organization", {"Trump": 1})
    pq.write_table(reg.state_table(), tmp_path / "actor_registry.parquet")
    again = ActorRegistry.from_state_table(pq.read_table(tmp_path / "actor_registry.parquet"))
    assert again.table() == reg.table()
    assert again.table()[0]["surfaces"] == {"Donald Trump": 2, "Trump's": 1, "Trump": 1}


def test_add_document_counts_surfaces_and_pronoun_mentions():
    from stancekit.results import ActorStance, Document, Sentence, summarize_actors

    scores = {"negative": 0.1, "neutral": 0.8, "positive": 0.1}
    text = "Ana Ruiz won. She smiled. Ruiz's aides cheered."
    stances = [
        ActorStance("Ana Ruiz", "person", "Ana Ruiz", 0, 8, "neutral", scores, resolved="name"),
        ActorStance("Ana Ruiz", "person", "She", 14, 17, "neutral", scores, resolved="coreference"),
        ActorStance("Ana Ruiz", "person", "Ruiz's", 26, 32, "neutral", scores, resolved="name"),
    ]
    sentences = [Sentence(0, text, 0, len(text), False, 0.1, stances)]
    doc = Document(text, sentences, summarize_actors([("Ana Ruiz", "person", ["Ana Ruiz", "Ruiz's"])], stances))
    reg = ActorRegistry()
    reg.add_document("d1", doc)
    reg.add("d2", "Ruiz", "organization", {"Ruiz": 1})
    (row,) = reg.table()
    assert row["actor"] == "Ana Ruiz" and row["actor_kind"] == "person"
    assert row["surfaces"] == {"Ana Ruiz": 1, "Ruiz's": 1, "Ruiz": 1}  # the pronoun is no surface form
    assert row["mentions"] == 4 and row["documents"] == 2
