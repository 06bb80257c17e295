"""Who holds a stance: quotes, reported speech, 'according to', scare quotes (text written for these tests)."""

from __future__ import annotations

import pytest

from stancekit.text.actors import ActorFinder
from stancekit.text.attribution import AttributionFinder, MentionRef
from stancekit.text.segmentation import Segmenter


@pytest.fixture(scope="module")
def tools():
    return Segmenter(), ActorFinder(), AttributionFinder()


def holders(tools, text: str) -> list[list[tuple[str, str, str]]]:
    """Per sentence: (actor, holder, holder_kind) for every actor mention."""
    seg, finder, attr = tools
    s = seg.segment(text)
    actors, ms = finder.find(text, s.entities)
    per = [
        [
            MentionRef(m.start, m.end, actors[m.actor].name, actors[m.actor].kind)
            for m in ms
            if x.start <= m.start < x.end
        ]
        for x in s.sentences
    ]
    found = attr.find(text, s.sentences, per)
    return [
        [(m.actor, *h) for m, h in zip(mentions, attr.holders(a, mentions), strict=True)]
        for mentions, a in zip(per, found, strict=True)
    ]


def test_accused_x_of_gives_the_accuser_as_holder(tools):
    rows = holders(tools, "Senator Alma Rizzo accused the Velonian government of rigging the vote.")[0]
    assert ("Alma Rizzo", "author", "author") in rows  # the speaker's own mention is the author's
    target = [r for r in rows if r[0] != "Alma Rizzo"]
    assert target and all(r[1:] == ("Alma Rizzo", "source") for r in target)


def test_according_to_gives_the_source(tools):
    rows = holders(tools, "According to Harwick Bank, Portugal has wrecked its own economy.")[0]
    assert ("Portugal", "Harwick Bank", "source") in [(r[0], r[1], r[2]) for r in rows if r[0] != "Harwick Bank"]


def test_multi_sentence_quote_keeps_its_speaker(tools):
    text = (
        "Mayor Dana Whitlock spoke for an hour. "
        "“Brian Oduya has lied to this city for years,” Whitlock said. "
        "“Oduya should resign. Nobody trusts Oduya any more.”"
    )
    per_sentence = holders(tools, text)
    oduya = [r for rows in per_sentence for r in rows if r[0] == "Brian Oduya"]
    assert len(oduya) == 3
    assert all(r[1:] == ("Dana Whitlock", "source") for r in oduya)


def test_quote_closed_by_he_said_takes_the_previous_speaker(tools):
    text = "“The Norwegian plan is a fraud, and Norway knows it,” said Pavel Drummond. “Norway cannot be trusted with a single euro,” he said."
    per_sentence = holders(tools, text)
    norway = [r for rows in per_sentence for r in rows if r[0] == "Norway"]
    assert len(norway) >= 2 and all(r[1:] == ("Pavel Drummond", "source") for r in norway)


def test_scare_quotes_stay_with_the_author(tools):
    rows = holders(tools, 'Premier Lotte Vance calls her cuts a "reform", but Vance is fooling nobody.')[0]
    assert rows and all(r[1:] == ("author", "author") for r in rows)


def test_unquoted_author_evaluation_is_the_authors(tools):
    rows = holders(tools, "Norway is playing a reckless game with its neighbours.")[0]
    assert rows == [("Norway", "author", "author")]


def test_source_words_when_the_source_is_not_an_actor(tools):
    rows = holders(tools, "Officials in the region said Velonia had broken every promise.")[0]
    velonia = [r for r in rows if r[0] == "Velonia"]
    assert velonia and velonia[0][2] == "source" and "Officials" in velonia[0][1]


def test_analyze_fills_holders_and_attributions(tiny_analyzer):
    doc = tiny_analyzer.analyze("Senator Alma Rizzo accused Governor Jones of lying. Jones is a disgrace.")
    first, second = doc.sentences
    assert first.attributions and first.attributions[0].source == "Alma Rizzo"
    jones = [st for st in first.stances if st.actor.endswith("Jones")]
    assert jones and jones[0].holder == "Alma Rizzo" and jones[0].holder_kind == "source"
    assert all(st.holder_kind == "author" for st in second.stances)
    actor = next(a for a in doc.actors if a.name.endswith("Jones"))
    assert actor.by_holder["source"]["mentions"] == 1 and actor.by_holder["author"]["mentions"] == 1
    assert '"holder_kind": "source"' in doc.to_json()


def _holder_of(rows, actor):
    found = [r[1:] for r in rows if r[0] == actor]
    assert found, f"{actor} not found among {rows}"
    return found[0]


def test_evaluation_noun_given_by_a_speaker_is_the_speakers(tools):
    rows = holders(tools, "Senator Mara Quell took a swipe at Norway's government over its tariffs.")[0]
    assert _holder_of(rows, "Norway") == ("Mara Quell", "source")
    assert _holder_of(rows, "Mara Quell") == ("author", "author")


def test_attitude_adjective_after_a_copula_is_the_subjects(tools):
    rows = holders(tools, "Governor Ilse Brandt was critical of Norway for its budget.")[0]
    assert _holder_of(rows, "Norway") == ("Ilse Brandt", "source")


def test_gerund_after_a_preposition_takes_the_main_verbs_speaker(tools):
    rows = holders(tools, "Mayor Tom Ardel ended the meeting by accusing Norway of fraud.")[0]
    assert _holder_of(rows, "Norway") == ("Tom Ardel", "source")


def test_cue_on_a_statement_speaks_for_whoever_issued_it(tools):
    rows = holders(tools, "Senator Mara Quell issued a statement calling Norway a rogue state.")[0]
    assert _holder_of(rows, "Norway") == ("Mara Quell", "source")


def test_seen_as_reports_an_unnamed_view(tools):
    rows = holders(tools, "Norway is widely seen as a bully by its neighbours.")[0]
    assert _holder_of(rows, "Norway")[1] == "source"


def test_fronted_adverbial_before_the_speaker_stays_with_the_author(tools):
    rows = holders(tools, "After Norway's disastrous summit, Premier Lotte Vance said the tariffs would stay.")[0]
    assert _holder_of(rows, "Norway") == ("author", "author")


def test_no_break_space_does_not_hide_reported_speech(tools):
    rows = holders(tools, "Senator Mara Quell said\u00a0that Norway had lied about the dam.")[0]
    assert _holder_of(rows, "Norway") == ("Mara Quell", "source")


def test_quote_speaker_is_the_parsed_subject_not_a_name_run(tools):
    text = 'Mara Quell met Denmark officials and says "Norway has betrayed every ally it had."'
    rows = holders(tools, text)[0]  # the name pattern alone would take "Mara Quell met Denmark officials and"
    assert _holder_of(rows, "Norway") == ("Mara Quell", "source")


def test_unquoted_speech_after_a_speech_verb_and_colon_is_the_speakers(tools):
    rows = holders(tools, "Premier Lotte Vance wrote: Norway has betrayed its allies again.")[0]
    assert _holder_of(rows, "Norway") == ("Lotte Vance", "source")


def test_a_colon_without_a_speech_verb_attributes_nothing(tools):
    rows = holders(tools, "The result was plain: Norway has betrayed its allies again.")[0]
    assert _holder_of(rows, "Norway") == ("author", "author")


def test_a_cue_whose_subject_is_the_sentence_root_does_not_stop_the_document(default_analyzer):
    """A parse where the subject phrase holds the root ("Nothing that ... suggested that X ...") once raised
    StopIteration, and score() then analysed every document of the chunk alone."""
    doc = default_analyzer.analyze("Nothing that has happened since suggested that Maria Lopez was destined to win.")
    assert [s.text for s in doc.sentences] == [
        "Nothing that has happened since suggested that Maria Lopez was destined to win."
    ]
    assert any(st.actor == "Maria Lopez" for s in doc.sentences for st in s.stances)
