"""Matching a predicted source against the annotated source words (the bench's source-name accuracy)."""

from __future__ import annotations

from stancekit.evaluation.holders import name_matches, source_matches


def test_resolved_pronoun_matches_the_same_annotated_pronoun():
    assert name_matches("Dana Whitlock", "she", "she")
    assert not source_matches("Dana Whitlock", "she")


def test_resolved_pronoun_does_not_match_another_source():
    assert not name_matches("Dana Whitlock", "she", "Brian Oduya")
    assert not name_matches("Dana Whitlock", "she", "he")


def test_names_still_match_by_their_words():
    assert name_matches("Dana Whitlock", "Mayor Dana Whitlock", "Whitlock")
    assert not name_matches("Brian Oduya", "Oduya", "Whitlock")


def test_canonical_holder_matches_the_annotated_words_of_its_mention():
    # the pipeline names the source by its canonical name; the annotator wrote the sentence's words
    assert name_matches("Democratic Party", "Senate Democrats", "Democrats")
    assert name_matches("United States", "the White House", "The White House")
    assert not name_matches("Democratic Party", "Senate Democrats", "Republicans")
