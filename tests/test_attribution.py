"""Who holds a stance: quotes, reported speech, 'according to', scare quotes (text written for these tests)."""

from __future__ import annotations

import pytest

from stancekit.text.actors import ActorFinder
from stancekit.text.attribution import AttributionFinder, MentionRef
from stancekit.text.segmentation import Segmenter, Span


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


# ---------------------------------------------------------------- second round of holder rules


def _kind(rows, actor):
    return _holder_of(rows, actor)[1]


def test_a_possessors_claim_noun_holds_its_that_clause(tools):
    rows = holders(tools, "The delegates rejected Governor Ilse Brandt's assertion that Norway is a rogue state.")[0]
    assert _holder_of(rows, "Norway") == ("Ilse Brandt", "source")


def test_a_claim_noun_pushed_by_a_subject_is_the_subjects(tools):
    rows = holders(tools, "Opposition lawmakers pushed the claim that Norway had rigged the tender.")[0]
    holder, kind = _holder_of(rows, "Norway")
    assert kind == "source" and "lawmakers" in holder


def test_a_gerund_after_an_object_is_the_objects_act(tools):
    rows = holders(tools, "Senator Mara Quell criticized Tom Ardel for calling Norway a pariah state.")[0]
    assert _holder_of(rows, "Norway") == ("Tom Ardel", "source")


def test_a_passive_criticism_takes_the_speaker_of_its_with_phrase(tools):
    text = "Norway was criticized at the summit, with Premier Lotte Vance saying the dam deal was a swindle."
    assert _holder_of(holders(tools, text)[0], "Norway") == ("Lotte Vance", "source")


def test_a_passive_accusation_takes_the_author_of_the_book_it_is_made_in(tools):
    text = "Norway was accused of spying on its allies in a book by Senator Mara Quell."
    assert _holder_of(holders(tools, text)[0], "Norway") == ("Mara Quell", "source")


def test_an_object_relative_pronoun_stands_for_its_antecedent(tools):
    text = "The panel heard Premier Lotte Vance, whom Senator Mara Quell has mocked for months."
    assert _holder_of(holders(tools, text)[0], "Lotte Vance") == ("Mara Quell", "source")


def test_an_attitude_adjective_of_feeling_is_the_subjects(tools):
    rows = holders(tools, "Senator Mara Quell was furious with Norway over the fishing quotas.")[0]
    assert _holder_of(rows, "Norway") == ("Mara Quell", "source")


def test_an_expressed_feeling_noun_is_the_subjects(tools):
    rows = holders(tools, "Senator Mara Quell expressed dismay at Norway's handling of the spill.")[0]
    assert _holder_of(rows, "Norway") == ("Mara Quell", "source")


def test_an_announced_clause_stays_with_the_writer(tools):
    rows = holders(tools, "Premier Lotte Vance announced that Norway's corrupt regime would lose its seat.")[0]
    assert _kind(rows, "Norway") == "author"


def test_what_a_thing_reveals_is_the_writers_reading(tools):
    rows = holders(tools, "The leaked files reveal that Norway has lied to its allies for years.")[0]
    assert _kind(rows, "Norway") == "author"


def test_a_fronted_to_phrase_gives_the_viewpoint(tools):
    holder, kind = _holder_of(holders(tools, "To the striking miners, Norway is a bully.")[0], "Norway")
    assert kind == "source" and "miners" in holder


def test_a_fronted_in_the_eyes_of_phrase_gives_the_viewpoint(tools):
    holder, kind = _holder_of(holders(tools, "In the eyes of many farmers, Norway is a bully.")[0], "Norway")
    assert kind == "source" and "farmers" in holder


def test_a_claim_the_writer_introduces_with_as_is_the_writers(tools):
    text = "The critics were right, as Senator Mara Quell explained Norway had hidden the losses for years."
    rows = holders(tools, text)[0]
    assert _kind(rows, "Norway") == "author"


def test_a_quote_the_writer_introduces_with_as_is_the_writers(tools):
    rows = holders(tools, "As Senator Mara Quell wrote, “Norway has betrayed every ally it ever had.”")[0]
    assert _kind(rows, "Norway") == "author"


def test_a_shouted_quote_is_the_shouters(tools):
    holder, kind = _holder_of(
        holders(tools, "A man at the back of the hall stood up and shouted “Norway is a nation of thieves!”")[0],
        "Norway",
    )
    assert kind == "source" and "man" in holder


def test_people_charged_with_a_crime_are_accused_by_an_unnamed_source(tools):
    rows = holders(tools, "Tom Ardel and Brian Oduya were charged with fraud and bribery.")[0]
    assert _holder_of(rows, "Tom Ardel") == ("unnamed source", "source")


def test_an_accusation_reported_by_a_named_speaker_is_the_speakers(tools):
    rows = holders(tools, "Brian Oduya was accused of fraud, said prosecutor Dana Whitlock.")[0]
    assert _holder_of(rows, "Brian Oduya") == ("Dana Whitlock", "source")


def test_brushed_aside_criticism_is_others_view_of_the_subject(tools):
    rows = holders(tools, "Norway brushed aside criticism of its whaling policy.")[0]
    assert _holder_of(rows, "Norway") == ("unnamed source", "source")


def test_coming_under_fire_is_others_view_of_the_subject(tools):
    rows = holders(tools, "Norway has come under fire for its whaling policy.")[0]
    assert _holder_of(rows, "Norway") == ("unnamed source", "source")


def test_interpreted_by_a_group_as_is_the_groups_view(tools):
    holder, kind = _holder_of(
        holders(tools, "Norway's silence was interpreted by the fishermen as an insult.")[0], "Norway"
    )
    assert kind == "source" and "fishermen" in holder


def test_a_widely_criticized_noun_phrase_is_others_view(tools):
    rows = holders(tools, "The widely criticized plan by Norway to drill in the Arctic went ahead.")[0]
    assert _holder_of(rows, "Norway") == ("unnamed source", "source")


def test_a_quote_takes_the_cue_whose_clause_holds_it(tools):
    text = (
        "Tom Ardel, whom Mara Quell has praised, said the plan was “a disgrace to Norway and to all who voted for it.”"
    )
    assert _holder_of(holders(tools, text)[0], "Norway") == ("Tom Ardel", "source")


def test_a_doubled_consonant_past_tense_is_a_cue(tools):
    rows = holders(tools, "Governor Ilse Brandt bragged that Norway had never been weaker.")[0]
    assert _holder_of(rows, "Norway") == ("Ilse Brandt", "source")


@pytest.mark.parametrize("close", ["\u201d", '"'])
def test_a_quote_closed_without_an_opening_mark_starts_at_its_paragraph(tools, close):
    """A quotation continued from an earlier paragraph holds its first word too (the opening mark is elsewhere)."""
    rows = holders(tools, f"Norway has been a disgrace to the whole region for a decade.{close}")[0]
    assert _holder_of(rows, "Norway") == ("unnamed source", "source")


def test_a_quote_continued_into_a_new_paragraph_keeps_its_speaker(tools):
    text = (
        "“Norway has lied to us for years,” said Senator Mara Quell.\n\n"
        "Norway will never be trusted again by anyone on this council.”"
    )
    per_sentence = holders(tools, text)
    assert _holder_of(per_sentence[-1], "Norway") == ("Mara Quell", "source")


def test_a_gerund_after_a_preposition_takes_the_name_before_it(tools):
    rows = holders(tools, "The long feud ended in Senator Mara Quell saying that Norway had cheated.")[0]
    assert _holder_of(rows, "Norway") == ("Mara Quell", "source")


def test_a_quoted_name_is_not_a_quotation(tools):
    rows = holders(tools, "Critics of the “Northern Fishing Alliance of Norway” have grown louder.")[0]
    assert _holder_of(rows, "Norway") == ("author", "author")


def _refs(text: str, mentions: list[tuple[str, str, str]]) -> list[MentionRef]:
    """Mention references by their words: (words, actor, kind), as the actor finder would hand them over."""
    return [MentionRef(text.index(w), text.index(w) + len(w), actor, kind) for w, actor, kind in mentions]


def test_a_pronoun_speaker_is_not_the_person_its_own_quote_names():
    text = '"Tomas Brenner has broken every promise he made," she said.'
    refs = _refs(text, [("Tomas Brenner", "Tomas Brenner", "person")])
    attr = AttributionFinder()
    found = attr.find(text, [Span(0, len(text), text)], [refs])[0]
    assert attr.holders(found, refs) == [("she", "source")]


def test_a_described_speaker_resolved_to_the_person_it_names_is_undone():
    # coreference took "The minister" for the only person in the sentence, the one the minister speaks of
    text = "The minister said Karla Vint had wrecked the budget."
    refs = _refs(text, [("The minister", "Karla Vint", "person"), ("Karla Vint", "Karla Vint", "person")])
    attr = AttributionFinder()
    found = attr.find(text, [Span(0, len(text), text)], [refs])[0]
    assert attr.holders(found, refs)[1] == ("The minister", "source")


def test_the_holder_evaluation_sees_the_kinds_the_analyzer_gives():
    # annotated spans alone have no kind, so "she" cannot resolve; the analyzer's actor finding says Carter is a person
    from stancekit.evaluation.holders import predict_holders

    text = "Helen Carter arrived late, and she accused the Korvan Bank of fraud."
    bank = text.index("the Korvan Bank")
    pairs = [
        {"sid": "s", "text": text, "start": 0, "end": 12, "mention": "Helen Carter"},
        {"sid": "s", "text": text, "start": bank, "end": bank + 15, "mention": "the Korvan Bank"},
    ]
    assert predict_holders(pairs, actors=False)[1] == ("she", "source")
    assert predict_holders(pairs)[1] == ("Helen Carter", "source")


def test_a_lawsuit_against_someone_is_the_filers_stance(tools):
    rows = holders(tools, "The Velonian Labour Party filed a lawsuit against Mayor Dana Pell over the budget.")[0]
    assert ("Dana Pell", "Velonian Labour Party", "source") in rows


def test_a_raised_passive_subject_speaks_through_its_infinitive(tools):
    rows = holders(tools, "Senator Alma Rizzo is expected to argue that the Velonian government wasted the grant.")[0]
    assert [r[1:] for r in rows if r[0] != "Alma Rizzo"] == [("Alma Rizzo", "source")]


def test_a_headline_verb_parsed_as_a_noun_keeps_its_subject(tools):
    # the parser reads "UNICEF launches" as a noun compound; "launches" has an object, so UNICEF is its subject
    rows = holders(tools, "UNICEF launches lawsuit against Mayor Dana Pell over permits")[0]
    assert ("Dana Pell", "UNICEF", "source") in rows


def test_the_writers_loaded_adjective_on_the_object_keeps_it_the_writers(tools):
    rows = holders(tools, "Senator Alma Rizzo slammed Mayor Dana Pell's reckless budget on Tuesday.")[0]
    assert all(r[1:] == ("author", "author") for r in rows)
    plain = holders(tools, "Senator Alma Rizzo slammed Mayor Dana Pell's budget on Tuesday.")[0]
    assert [r[1:] for r in plain if r[0] != "Alma Rizzo"] == [("Alma Rizzo", "source")]


def test_an_embedded_tweet_is_held_by_the_account_its_signature_names(tools):
    text = (
        "Huge win for Mayor Dana Pell tonight! > \u2014 Alma Rizzo (@almarizzo) March 3, 2019 "
        "The post was one of several about Pell."
    )
    rows = [r for sentence in holders(tools, text) for r in sentence if r[0] == "Dana Pell"]
    # the tweet's words (the segmenter may end a sentence inside the tweet), then the article's words after it
    assert [r[1:] for r in rows] == [("Alma Rizzo", "source"), ("author", "author")]


def test_a_headline_name_and_colon_attribute_the_claim_to_the_person(tools):
    rows = holders(tools, "Senator Alma Rizzo: Mayor Dana Pell is a menace to the city")[0]
    assert ("Dana Pell", "Alma Rizzo", "source") in rows
    assert ("Alma Rizzo", "author", "author") in rows
    # a label that is not a person ("Poll:") attributes nothing
    assert all(r[1:] == ("author", "author") for r in holders(tools, "Poll: Mayor Dana Pell holds narrow lead")[0])


def test_a_conjoined_attitude_adjective_shares_the_copulas_subject(tools):
    text = "Farmers were not happy with the tariffs and therefore not impressed with Mayor Dana Pell's speech."
    rows = holders(tools, text)[0]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("Farmers", "source")]


def test_a_subject_the_parser_split_keeps_its_name_and_drops_a_speaker_label():
    attr = AttributionFinder()
    text = "Velonian Labour co-founder Alma Rizzo told reporters that the Korvan Bank had lost its way."
    bank = text.index("the Korvan Bank")
    refs = [MentionRef(text.index("Alma"), text.index(" told"), "Alma Rizzo", "person")]
    refs.append(MentionRef(bank, bank + 15, "Korvan Bank", "organization"))
    found = attr.find(text, [Span(0, len(text), text)], [refs])[0]
    assert attr.holders(found, refs)[1] == ("Alma Rizzo", "source")
    text = "JOE VANCE, HOST:\nOur next guest says there is no doubt that the Korvan Bank should resign."
    bank = text.index("the Korvan Bank")
    refs = [MentionRef(bank, bank + 15, "Korvan Bank", "organization")]
    found = attr.find(text, [Span(0, len(text), text)], [refs])[0]
    assert attr.holders(found, refs)[0] == ("Our next guest", "source")


def test_a_loaded_object_between_a_time_phrase_and_a_clause_stays_the_writers(tools):
    # "on Friday" before the object and "warning ..." after it: the content must not span the object
    text = (
        "Former Defense Secretary Tom Reyes on Friday called out Governor Dana Pell\u2019s violent rhetoric about "
        "protesters, warning the state is \u201cleading us down a dark path.\u201d"
    )
    rows = holders(tools, text)[0]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("author", "author")]


def test_laying_the_blame_on_someone_is_the_blamers_stance(tools):
    rows = holders(tools, "Senator Alma Rizzo laid the blame for the flooding on Mayor Dana Pell.")[0]
    assert ("Dana Pell", "Alma Rizzo", "source") in rows
    # an evaluation noun that is also a cue verb's form ("attack") is handed over by its light verb too
    rows = holders(tools, "Senator Alma Rizzo mounted a fierce attack on Mayor Dana Pell in a radio interview.")[0]
    assert ("Dana Pell", "Alma Rizzo", "source") in rows


def test_a_relative_pronoun_parsed_as_a_subject_stands_for_its_antecedent(tools):
    # the parser makes "that accused" an adverbial clause with "that" as its subject; the mailer speaks for its sender
    text = (
        "At the same time that Dole released these ads, the Velonian Labour Party sent a new mailer, approved by "
        "Dole, that accused Reyes of wanting to \u201ctear down history while making life easier for big banks.\u201d"
    )
    rows = holders(tools, text)[0]
    assert [r[1:] for r in rows if r[0] == "Reyes"] == [("Velonian Labour Party", "source")]


def test_what_a_court_heard_is_reported_not_the_writers(tools):
    rows = holders(tools, "The jury heard that Mayor Dana Pell lied repeatedly to investigators.")[0]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("The jury", "source")]
    rows = holders(tools, "Mayor Dana Pell heard the news on Monday.")[0]
    assert all(r[1:] == ("author", "author") for r in rows)


def test_what_a_speaker_responds_to_is_not_what_the_speaker_says(tools):
    text = "Senator Alma Rizzo responded to a reporter's question about Mayor Dana Pell's corrupt deal."
    rows = holders(tools, text)[0]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("author", "author")]


def test_according_to_holds_the_clause_after_a_colon_not_the_sentence_before_it(tools):
    text = (
        "Mayor Dana Pell's attacks on the unions are a risk to her own career: two-thirds of voters distrust "
        "the council, according to polls, and the budget is late."
    )
    rows = holders(tools, text)[0]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("author", "author")]


def test_backing_someone_is_the_backers_stance_and_back_as_an_adverb_is_no_cue(tools):
    rows = holders(tools, "The Velonian Labour Party is backing Mayor Dana Pell in her fight with the board.")[0]
    assert ("Dana Pell", "Velonian Labour Party", "source") in rows
    rows = holders(tools, "Senator Alma Rizzo came back to praise nobody, and Mayor Dana Pell is a disgrace.")[0]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("author", "author")]


def test_a_participle_hung_on_a_prepositional_object_speaks_for_the_clauses_subject(tools):
    # the parser hangs "stating" on "voters"; the letter, and so its sender, states the clause
    rows = holders(tools, "Senator Alma Rizzo sent a letter to voters stating that Mayor Dana Pell had failed them.")[0]
    assert ("Dana Pell", "Alma Rizzo", "source") in rows


def test_a_cue_after_an_adjective_speaks_for_the_copulas_subject(tools):
    rows = holders(tools, "The Velonian Labour Party is sure to argue that Mayor Dana Pell wasted the grant.")[0]
    assert ("Dana Pell", "Velonian Labour Party", "source") in rows
    # "maintain" reports only with a clause
    rows = holders(tools, "The Velonian Labour Party was able to maintain its lead over Mayor Dana Pell's allies.")[0]
    assert all(r[1:] == ("author", "author") for r in rows)


def test_a_misparsed_cue_without_a_sentence_subject_takes_the_noun_phrase_before_it(tools):
    # the parser takes "hammered" for an adjective and gives the sentence "She" as its only subject
    text = (
        "In the weeks leading up to the Velonian Labour Party\u2019s primary election, a powerful interest group "
        "repeatedly hammered council candidate Dana Pell with an attack that in the past has proved devastating: "
        "She was soft on crime and unsupportive of the police."
    )
    rows = holders(tools, text)[0]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"][0] == ("a powerful interest group", "source")


def test_the_writers_epithet_on_a_name_leaves_it_out_of_reported_content(tools):
    text = (
        "Senator Alma Rizzo warned that thousands of families had fled a siege ordered by dictator Omar Valdez "
        "last spring."
    )
    rows = holders(tools, text)[0]
    assert [r[1:] for r in rows if r[0] == "Omar Valdez"] == [("author", "author")]
    # without the epithet the name stays in the reported clause
    text = "Senator Alma Rizzo warned that thousands of families had fled a siege ordered by Omar Valdez last spring."
    rows = holders(tools, text)[0]
    assert [r[1:] for r in rows if r[0] == "Omar Valdez"] == [("Alma Rizzo", "source")]
    # a direct quote keeps the epithet: the words are the speaker's
    rows = holders(tools, 'Senator Alma Rizzo said: "The people will not bow to dictator Omar Valdez."')[0]
    assert [r[1:] for r in rows if r[0] == "Omar Valdez"] == [("Alma Rizzo", "source")]


def test_a_headline_speaker_on_a_topic_before_a_colon_holds_the_quote(tools):
    rows = holders(tools, "Alma Rizzo on Mayor Dana Pell: \u201cShe has betrayed every voter in this state.\u201d")[0]
    assert ("Alma Rizzo", "author", "author") in rows
    assert ("Dana Pell", "Alma Rizzo", "source") in rows
    # a topic label is no speaker: the quote's speaker is not named
    rows = holders(tools, "More on the vote: \u201cMayor Dana Pell has betrayed every voter in this state.\u201d")[0]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("unnamed source", "source")]


def test_a_speaker_label_in_capitals_holds_what_follows_but_a_topic_label_does_not(tools):
    # the segmenter makes a sentence of the label alone: the sentence after it is the speaker's
    rows = [r for s in holders(tools, "RIZZO: Mayor Dana Pell has failed this city.") for r in s]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("RIZZO", "source")]
    rows = [r for s in holders(tools, "READ MORE: RIZZO: Mayor Dana Pell has failed this city.") for r in s]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("RIZZO", "source")]
    rows = [r for s in holders(tools, "WATCH: Mayor Dana Pell has failed this city.") for r in s]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("author", "author")]
    # a label kept in its sentence (pre-split text) speaks for the rest of it
    text = "SEE ALSO: RIZZO: the mayor has failed this city."
    i = text.index("the mayor")
    mentions = [MentionRef(i, i + 9, "the mayor", "person")]
    found = tools[2].find(text, [Span(0, len(text), text)], [mentions])[0]
    assert tools[2].holders(found, mentions) == [("RIZZO", "source")]
    # a dateline in capitals is a place, not a speaker
    rows = [r for s in holders(tools, "LONDON: Mayor Dana Pell has failed this city.") for r in s]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("author", "author")]


def test_a_headline_subject_with_a_cue_verb_holds_the_rest_of_the_headline(tools):
    rows = [r for s in holders(tools, "Velonian Labour Party Honors Mayor Dana Pell With City Medal") for r in s]
    assert ("Dana Pell", "Velonian Labour Party", "source") in rows
    rows = [r for s in holders(tools, "Senator Alma Rizzo to praise Mayor Dana Pell at the spring gala") for r in s]
    assert ("Dana Pell", "Alma Rizzo", "source") in rows
    # a verb that reports no stance, or a factive one, leaves the headline the writer's
    rows = [r for s in holders(tools, "Senator Alma Rizzo Meets Mayor Dana Pell In Capital") for r in s]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("author", "author")]
    # a name the actor finding may miss is the source by its own words, in a sentence-case headline
    rows = [r for s in holders(tools, "Kovalenko to award Mayor Dana Pell the city's highest honour") for r in s]
    assert ("Dana Pell", "Kovalenko", "source") in rows
    rows = [r for s in holders(tools, "The board to award Mayor Dana Pell the city's highest honour") for r in s]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("author", "author")]


def test_an_agencys_official_labelling_a_headline_holds_the_claim(tools):
    rows = [r for s in holders(tools, "NATO\u2019s Kovalenko: Mayor Dana Pell misled the alliance") for r in s]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("Kovalenko", "source")]
    # a person's possessive before the colon is a topic ("X's Ground Game:"), not a speaker
    rows = [r for s in holders(tools, "Alma Rizzo\u2019s Notebook: Mayor Dana Pell misled the council") for r in s]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("author", "author")]
    # an epithet after the name ("a Y notorious for ...") is the writer's too
    text = "Senator Alma Rizzo warned that the grant would go to a Velonian Labour Party notorious for waste."
    rows = holders(tools, text)[0]
    assert [r[1:] for r in rows if r[0] == "Velonian Labour Party"] == [("author", "author")]


def test_a_possessors_criticism_of_or_call_for_someone_is_the_possessors_stance(tools):
    rows = holders(tools, "Senator Alma Rizzo's criticism of Mayor Dana Pell dominated the debate.")[0]
    assert ("Dana Pell", "Alma Rizzo", "source") in rows
    assert ("Alma Rizzo", "author", "author") in rows
    rows = holders(tools, "Senator Alma Rizzo's call for Mayor Dana Pell to resign drew cheers.")[0]
    assert ("Dana Pell", "Alma Rizzo", "source") in rows
    # "calls" as a verb is the cue verb's rule, a noun without a possessor is nobody's
    rows = holders(tools, "The criticism of Mayor Dana Pell dominated the debate.")[0]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("author", "author")]


def test_extraposed_it_is_no_speaker(tools):
    # "It is hard to call ...": the "it" is expletive, the judgement is the writer's, whatever came before
    text = (
        "The European Union promised 30 million euros for new schools. "
        "It is difficult to call this anything but a failure for Governor Ada Hale, who told voters a year ago "
        "that the money was certain."
    )
    rows = holders(tools, text)[1]
    assert ("Ada Hale", "author", "author") in rows
    # a real subject before "is sure to argue" still speaks
    rows = holders(tools, "Senator Tom Reyes is sure to argue that Governor Ada Hale wasted the money.")[0]
    assert ("Ada Hale", "Tom Reyes", "source") in rows


def test_a_quote_opened_straight_and_closed_curly_ends_at_its_closing_mark(tools):
    # scraped pages mix straight and curly marks; the words after the closing mark are not the quote
    text = '"Norway has let every fisherman down,\u201d Senator Alma Rizzo said.'
    assert ("Norway", "Alma Rizzo", "source") in holders(tools, text)[0]
    text = '\u201cNorway has let every fisherman down," Senator Alma Rizzo said.'
    assert ("Norway", "Alma Rizzo", "source") in holders(tools, text)[0]


def test_an_as_clause_whose_cue_has_an_object_is_the_speakers_not_the_writers(tools):
    # a temporal "as" with an evaluated object reports; an "as X explained" with no object adopts (test above)
    text = "As Senator Alma Rizzo criticizes Mayor Dana Pell's budget, the council is likely to delay the vote."
    assert ("Dana Pell", "Alma Rizzo", "source") in holders(tools, text)[0]
    text = "As several senators grumbled that Mayor Dana Pell had caved, the council adjourned."
    assert _kind(holders(tools, text)[0], "Dana Pell") == "source"


def test_a_cue_the_writer_calls_right_is_the_writers(tools):
    text = "Senator Alma Rizzo rightly blamed Mayor Dana Pell for the losses."
    assert [r[1:] for r in holders(tools, text)[0] if r[0] == "Dana Pell"] == [("author", "author")]
    text = "Senator Alma Rizzo correctly laid the blame for the losses on Mayor Dana Pell."
    assert [r[1:] for r in holders(tools, text)[0] if r[0] == "Dana Pell"] == [("author", "author")]
    # without the adverb the blame is the senator's
    text = "Senator Alma Rizzo blamed Mayor Dana Pell for the losses."
    assert ("Dana Pell", "Alma Rizzo", "source") in holders(tools, text)[0]


def test_a_participle_on_comments_speaks_for_their_maker(tools):
    text = "Senator Alma Rizzo made new comments claiming that Mayor Dana Pell had lied about the budget."
    assert ("Dana Pell", "Alma Rizzo", "source") in holders(tools, text)[0]


def test_a_gerund_after_an_adjective_or_a_phrase_takes_the_clause_subject(tools):
    text = "Senator Alma Rizzo has been vocal about criticizing Mayor Dana Pell."
    assert ("Dana Pell", "Alma Rizzo", "source") in holders(tools, text)[0]
    text = "Senator Alma Rizzo spent most of her speech in the chamber on attacking Mayor Dana Pell."
    assert ("Dana Pell", "Alma Rizzo", "source") in holders(tools, text)[0]


def test_reports_that_are_the_source_of_their_clause(tools):
    holder, kind = _holder_of(
        holders(tools, "There were fresh media reports that Mayor Dana Pell had taken bribes.")[0], "Dana Pell"
    )
    assert kind == "source" and "reports" in holder
    # "the point that" is someone's only when someone makes it; a degree is the writer's
    text = "Senator Alma Rizzo made the point that Mayor Dana Pell had wasted the grant."
    assert ("Dana Pell", "Alma Rizzo", "source") in holders(tools, text)[0]
    text = "The feud with Mayor Dana Pell grew to the point that nobody spoke to her."
    assert [r[1:] for r in holders(tools, text)[0] if r[0] == "Dana Pell"] == [("author", "author")]


def test_to_blame_judges_its_subject_and_reports_no_speech(tools):
    text = "The fishermen of Norway are not to blame for the waste caused by the Velonian Labour Party."
    rows = holders(tools, text)[0]
    assert [r[1:] for r in rows if r[0] == "Velonian Labour Party"] == [("author", "author")]


def test_the_writers_loaded_adjective_keeps_the_object_author_held(tools):
    text = "Senator Alma Rizzo rejected Mayor Dana Pell's foolish plan for the harbour."
    assert [r[1:] for r in holders(tools, text)[0] if r[0] == "Dana Pell"] == [("author", "author")]


@pytest.mark.parametrize(
    ("text", "source_word"),
    [
        pytest.param(
            "The Daily Courier, which has been hostile towards Mayor Dana Pell, printed the letter.",
            "Courier",
            id="a_harsh_or_hostile_attitude_is_the_subjects",
        ),
        pytest.param(
            "Senators calling for an inquiry into Mayor Dana Pell's spending included two Democrats.",
            "Senators",
            id="a_participle_on_the_subject_noun_speaks_for_it",
        ),
        pytest.param(
            "At the rally, three council members were seen and heard insulting Mayor Dana Pell.",
            "members",
            id="a_raised_passive_subject_speaks_through_a_conjoined_perception_verb",
        ),
        pytest.param(
            "Mayor Dana Pell's harbour reform was framed by the Daily Courier as a gift to developers.",
            "Courier",
            id="framed_or_packaged_as_by_someone_is_their_view",
        ),
    ],
)
def test_the_source_holds_the_stance_toward_the_mayor(tools, text, source_word):
    """Constructions where someone other than the writer evaluates Mayor Dana Pell."""
    holder, kind = _holder_of(holders(tools, text)[0], "Dana Pell")
    assert kind == "source" and source_word in holder


def test_a_present_tense_tag_before_a_colon_names_the_quotes_speaker(tools):
    text = "Senator Alma Rizzo continues: \u201cMayor Dana Pell has misled this city for years.\u201d"
    assert ("Dana Pell", "Alma Rizzo", "source") in holders(tools, text)[0]


def test_a_headline_verb_followed_by_a_dash_has_no_content(tools):
    rows = holders(tools, "Alma Rizzo speaks \u2014 and the long feud with Dana Pell begins to end")[0]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("author", "author")]


def test_a_ruling_with_a_clause_is_its_issuers(tools):
    holder, kind = _holder_of(
        holders(tools, "The appeals court ruled that Mayor Dana Pell had broken the election law.")[0], "Dana Pell"
    )
    assert kind == "source" and "court" in holder
    # "ruled" without a clause reports an act, not a view
    rows = holders(tools, "Mayor Dana Pell ruled the harbour town for a decade.")[0]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("author", "author")]


def test_going_after_an_actor_is_the_subjects_attack(tools):
    text = "Senator Alma Rizzo went after Mayor Dana Pell for the harbour deal."
    assert ("Dana Pell", "Alma Rizzo", "source") in holders(tools, text)[0]
    rows = holders(tools, "Senator Alma Rizzo went after the vote to see Mayor Dana Pell.")[0]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("author", "author")]


def test_a_thing_an_actor_names_reveals_the_writers_reading(tools):
    rows = holders(tools, "A quick Google search reveals that Mayor Dana Pell has never lived in the town.")[0]
    assert [r[1:] for r in rows if r[0] == "Dana Pell"] == [("author", "author")]
    text = "Senator Alma Rizzo revealed that Mayor Dana Pell had never lived in the town."
    assert ("Dana Pell", "Alma Rizzo", "source") in holders(tools, text)[0]
    # people named by their employer still speak
    text = "White House officials revealed that Mayor Dana Pell had never lived in the town."
    assert _kind(holders(tools, text)[0], "Dana Pell") == "source"
