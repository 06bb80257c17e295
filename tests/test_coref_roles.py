"""Mention roles, NER repair and coreference on hand-made entity spans (no spaCy needed)."""

from conftest import ents

from stancekit.text.actors import ActorFinder, repair_entities
from stancekit.text.roles import demonym_stands_for_state, headline_lines, is_dateline, is_place_use
from stancekit.text.segmentation import Span


def sents(text):
    """Sentences split at '. ' (enough for these tests)."""
    out, start = [], 0
    for i, ch in enumerate(text):
        if ch == "." and (i + 1 == len(text) or text[i + 1] == " "):
            out.append(Span(start, i + 1, text[start : i + 1]))
            start = i + 2
    return out


def rows(text, *items, **kw):
    actors, mentions = ActorFinder().find(text, ents(text, *items), sentences=sents(text), **kw)
    return [(m.text, actors[m.actor].name, actors[m.actor].kind, m.resolved) for m in mentions]


def at(text, word, occurrence=1):
    pos = -1
    for _ in range(occurrence):
        pos = text.index(word, pos + 1)
    return pos, pos + len(word)


def test_places_as_places_and_as_agents():
    t = "Delegates met in Oslo. Oslo said the deal was fair. Trucks drove from Oslo to Bergen. Oslo's offer stands."
    assert is_place_use(t, *at(t, "Oslo"))
    assert not is_place_use(t, *at(t, "Oslo", 2))
    assert is_place_use(t, *at(t, "Oslo", 3)) and is_place_use(t, *at(t, "Bergen"))
    assert not is_place_use(t, *at(t, "Oslo", 4))
    t = "Clashes on the Peru-Chile border and in Lima and Cusco."
    assert is_place_use(t, *at(t, "Peru")) and is_place_use(t, *at(t, "Chile"))
    assert is_place_use(t, *at(t, "Cusco"))  # coordinated with a place


def test_datelines_are_not_actors():
    t = "MADRID — The talks failed.\nLIMA (AP) - Prices rose."
    assert is_dateline(t, *at(t, "MADRID")) and is_dateline(t, *at(t, "LIMA")) and is_dateline(t, *at(t, "AP"))
    assert rows(t, ("MADRID", "GPE"), ("LIMA", "GPE"), ("AP", "ORG")) == []


def test_nationality_adjectives_only_for_the_state_acting():
    t = "Spanish Prime Minister Ana Ruiz spoke. Spanish troops left. A Spanish frigate docked. Spanish and Dutch diplomats met."
    assert not demonym_stands_for_state(t, *at(t, "Spanish"))
    assert demonym_stands_for_state(t, *at(t, "Spanish", 2))
    assert not demonym_stands_for_state(t, *at(t, "Spanish", 3))
    assert demonym_stands_for_state(t, *at(t, "Spanish", 4))
    got = rows(t, ("Spanish", "NORP"), ("Ana Ruiz", "PERSON"), ("Spanish", "NORP"), ("Spanish", "NORP"))
    assert [(m, a) for m, a, _, _ in got if a == "Spain"] == [("Spanish", "Spain"), ("Spanish", "Spain")]


def test_titles_products_and_headline_fragments_are_never_actors():
    t = "Ruiz Wins Vote As Strikes Halt Trains\n\nDefense Secretary Ann Cole met eBay on Monday at the Winter Olympics."
    got = rows(
        t,
        ("Ruiz Wins", "PERSON"),
        ("Strikes Halt Trains", "ORG"),
        ("Defense", "ORG"),
        ("Ann Cole", "PERSON"),
        ("eBay", "ORG"),
        ("the Winter Olympics", "ORG"),
    )
    assert [(m, a, k) for m, a, k, _ in got] == [("Ruiz", "Ruiz", "person"), ("Ann Cole", "Ann Cole", "person")]
    assert headline_lines(t) == [(0, len("Ruiz Wins Vote As Strikes Halt Trains"))]


def test_ner_repair_particles_first_names_and_titles():
    t = "Ursula von der Leyen met Mayor Sadiq Khan and Premier Matteo Renzi. ein Versager sagte das."
    fixed = repair_entities(
        t,
        ents(
            t,
            ("Ursula von der", "PERSON"),
            ("Leyen", "GPE"),
            ("Khan", "PERSON"),
            ("Matteo Renzi", "ORG"),
            ("ein Versager", "PERSON"),
        ),
    )
    assert [(e.text, e.label) for e in fixed] == [
        ("Ursula von der Leyen", "PERSON"),
        ("Sadiq Khan", "PERSON"),
        ("Matteo Renzi", "PERSON"),
    ]


def test_pronouns_resolve_to_the_one_compatible_actor():
    t = "Ana Ruiz cut taxes. She said growth would follow. Her critics disagree."
    got = rows(t, ("Ana Ruiz", "PERSON"))
    assert [(m, a, r) for m, a, _, r in got] == [
        ("Ana Ruiz", "Ana Ruiz", "name"),
        ("She", "Ana Ruiz", "coreference"),
        ("Her", "Ana Ruiz", "coreference"),
    ]


def test_ambiguous_or_pleonastic_pronouns_give_no_row():
    t = "Ana Ruiz met Carla Diaz. She said little. It is hard to say why."
    got = rows(t, ("Ana Ruiz", "PERSON"), ("Carla Diaz", "PERSON"))
    assert all(r != "coreference" for *_, r in got)
    t = "Acme Corp missed targets. It said demand was weak. Ana Ruiz praised it."
    got = rows(t, ("Acme Corp", "ORG"), ("Ana Ruiz", "PERSON"))
    assert ("It", "Acme Corp", "organization", "coreference") in got
    assert not any(m == "it" for m, *_ in got)  # an object "it" is not resolved


def test_descriptions_follow_introduced_roles():
    t = "Chancellor Paul Weber met Ana Ruiz. The chancellor later left. Acme Corp rose. The company said so."
    got = rows(t, ("Paul Weber", "PERSON"), ("Ana Ruiz", "PERSON"), ("Acme Corp", "ORG"))
    assert ("The chancellor", "Paul Weber", "person", "coreference") in got
    assert ("The company", "Acme Corp", "organization", "coreference") in got
    t = "Ivan Petrov, the Gazprom spokesman, spoke. The spokesman was angry."
    got = rows(t, ("Ivan Petrov", "PERSON"), ("Gazprom", "ORG"))
    assert ("The spokesman", "Ivan Petrov", "person", "coreference") in got
    assert not any(m.startswith("the Gazprom") for m, *_ in got)  # an apposition is no extra row


def test_coreference_can_be_switched_off():
    t = "Ana Ruiz cut taxes. She said growth would follow."
    actors, mentions = ActorFinder(coreference=False).find(t, ents(t, ("Ana Ruiz", "PERSON")), sentences=sents(t))
    assert [m.text for m in mentions] == ["Ana Ruiz"]


def test_state_names_as_modifiers_are_not_actors():
    t = "Ohio voters backed the plan. The Ohio caucuses start today. Ohio sued the agency."
    got = rows(t, ("Ohio", "GPE"), ("Ohio", "GPE"), ("Ohio", "GPE"))
    # only the state that acts ("Ohio sued") is an actor: a state government is an organization
    assert [(m, k) for m, _, k, _ in got] == [("Ohio", "organization")]
    actors, mentions = ActorFinder().find(t, ents(t, ("Ohio", "GPE"), ("Ohio", "GPE"), ("Ohio", "GPE")))
    assert [m.start for m in mentions] == [t.index("Ohio sued")]


def test_empty_and_pronoun_only_texts():
    assert ActorFinder().find("", [], sentences=[]) == ([], [])
    t = "He said it. They left. She stayed."
    assert ActorFinder().find(t, [], sentences=sents(t)) == ([], [])


def test_a_headline_word_the_story_uses_as_a_common_noun_is_not_a_person():
    t = "Mayor Signs Housing Bill\n\nThe bill passed on Monday. Mayor Ana Ruiz praised the council."
    got = rows(t, ("Bill", "PERSON"), ("Ana Ruiz", "PERSON"))
    assert [(m, a) for m, a, _, _ in got] == [("Ana Ruiz", "Ana Ruiz")]
    # a headline name the story never uses as a word stays a person
    t = "Ruiz Signs Housing Law\n\nThe law passed on Monday."
    assert [(m, a) for m, a, _, _ in rows(t, ("Ruiz", "PERSON"))] == [("Ruiz", "Ruiz")]
