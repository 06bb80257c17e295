import pytest
from conftest import ents

from stancekit.errors import ActorSpecError, InputError
from stancekit.text.actors import ActorFinder, parse_actor_specs
from stancekit.text.aliases import AliasTable, clean_surface
from stancekit.text.segmentation import Segmenter


def names(actors, mentions):
    return [(m.text, actors[m.actor].name) for m in mentions]


def test_alias_table_maps_demonyms_capitals_and_seats_of_government():
    table = AliasTable.default()
    for surface, name in [
        ("Russian", "Russia"),
        ("Moscow", "Russia"),
        ("the Kremlin", "Russia"),
        ("Kremlin", "Russia"),
        ("Washington", "United States"),
        ("U.S.", "United States"),
        ("Turkish", "Turkey"),
        ("Ankara", "Turkey"),
        ("Brussels", "European Union"),
        ("Democrats", "Democratic Party"),
        ("GOP", "Republican Party"),
    ]:
        assert table.get(surface).name == name, surface
    assert table.get("Narnia") is None


def test_clean_surface():
    assert clean_surface("the Kremlin's") == "Kremlin"
    assert clean_surface("Hollande’s") == "Hollande"
    assert clean_surface("  Angela   Merkel ") == "Angela Merkel"


def test_country_aliases_merge_into_one_actor():
    text = "Russian troops left. Moscow said the Kremlin agreed. Russia denied it."
    actors, mentions = ActorFinder().find(
        text, ents(text, ("Russian", "NORP"), ("Moscow", "GPE"), ("Kremlin", "ORG"), ("Russia", "GPE"))
    )
    assert [a.name for a in actors] == ["Russia"]
    assert actors[0].kind == "country"
    assert len(mentions) == 4


def test_people_merge_on_surname_and_titles_are_stripped():
    text = "French President François Hollande spoke. Hollande's aides agreed, and Hollande left."
    actors, mentions = ActorFinder().find(
        text,
        ents(
            text,
            ("French", "NORP"),
            ("President François Hollande", "PERSON"),
            ("Hollande's", "PERSON"),
            ("Hollande", "ORG"),
        ),
    )
    assert names(actors, mentions) == [  # "French" inside the title is not France acting
        ("President François Hollande", "François Hollande"),
        ("Hollande's", "François Hollande"),
        ("Hollande", "François Hollande"),
    ]


def test_ambiguous_surname_is_not_guessed():
    text = "Hillary Clinton and Bill Clinton met. Clinton left."
    actors, mentions = ActorFinder().find(
        text, ents(text, ("Hillary Clinton", "PERSON"), ("Bill Clinton", "PERSON"), ("Clinton", "PERSON"))
    )
    assert [a.name for a in actors] == ["Hillary Clinton", "Bill Clinton", "Clinton"]


def test_one_word_person_after_a_place_preposition_is_a_place():
    """NER tags an unfamiliar island as a person; a person named in full elsewhere still counts."""
    text = (
        "Trawlers fished the waters around Kvaloya. Aides around Marta Lindqvist agreed; crowds near Lindqvist cheered."
    )
    actors, mentions = ActorFinder().find(
        text,
        ents(text, ("Kvaloya", "PERSON"), ("Marta Lindqvist", "PERSON"), ("Lindqvist", "PERSON")),
    )
    assert names(actors, mentions) == [
        ("Marta Lindqvist", "Marta Lindqvist"),
        ("Lindqvist", "Marta Lindqvist"),
    ]
    text = "Voters kept their trust in Haldane."  # "in" is not place-only: people are trusted in
    actors, _ = ActorFinder().find(text, ents(text, ("Haldane", "PERSON")))
    assert [a.name for a in actors] == ["Haldane"]


def test_user_actors_extend_and_replace_ner():
    text = "NATO met in Brussels. The alliance said Washington agreed, and the US paid."
    entities = ents(text, ("NATO", "ORG"), ("Brussels", "GPE"), ("Washington", "GPE"), ("US", "GPE"))
    specs = parse_actor_specs(
        [
            "NATO",
            {"name": "NATO", "aliases": ["The alliance"]},
            {"name": "United States", "aliases": ["US"], "kind": "country"},
        ]
    )
    actors, mentions = ActorFinder().find(text, entities, specs)
    got = names(actors, mentions)
    assert ("The alliance", "NATO") in got
    assert ("Washington", "United States") in got and ("US", "United States") in got
    assert ("Brussels", "European Union") not in got  # NER still on, but "in Brussels" is a place
    actors, mentions = ActorFinder().find(text, entities, specs, use_ner=False)
    assert {a.name for a in actors} == {"NATO", "United States"}
    assert ("Washington", "United States") not in names(actors, mentions)


def test_mentions_never_overlap_and_are_sorted():
    text = "The US Senate and the US agreed."
    entities = ents(text, ("US Senate", "ORG"), ("US", "GPE"))
    actors, mentions = ActorFinder().find(text, entities, parse_actor_specs(["US"]))
    spans = [(m.start, m.end) for m in mentions]
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


@pytest.mark.parametrize(
    "bad",
    [
        "NATO",
        {"aliases": ["x"]},
        [{"name": ""}],
        [{"name": "X", "aliases": "Y"}],
        [42],
        [{"name": "X", "aliasses": []}],
        [{"name": "X", "aliases": [None]}],
    ],
)
def test_bad_actor_specs_raise_typed_errors(bad):
    with pytest.raises(ActorSpecError) as info:
        parse_actor_specs(bad)
    assert isinstance(info.value, InputError)


def test_user_alias_table_extension():
    table = AliasTable.default().extended({"Acme Corp": {"kind": "organization", "aliases": ["Acme"]}})
    assert table.get("Acme").name == "Acme Corp"
    with pytest.raises(ActorSpecError):
        AliasTable({"X": {"aliases": "not a list"}})


def test_with_real_ner_on_example_article():
    from pathlib import Path

    text = (Path(__file__).parents[1] / "examples" / "article_fisheries.txt").read_text("utf-8")
    seg = Segmenter().segment(text)
    actors, mentions = ActorFinder().find(text, seg.entities)
    by_name = {a.name: a for a in actors}
    for expected in [
        "Russia",
        "Norway",
        "Ingrid Solberg",
        "Mikhail Orlov",
        "Daniel Okafor",
        "European Union",
        "United States",
    ]:
        assert expected in by_name, (expected, sorted(by_name))
    assert {"Moscow", "Kremlin"} <= set(by_name["Russia"].surfaces)
    assert "Oslo" in by_name["Norway"].surfaces
    assert "Brussels" in by_name["European Union"].surfaces
    assert by_name["Ingrid Solberg"].kind == "person"
    assert any(s.startswith("Solberg") for s in by_name["Ingrid Solberg"].surfaces)
    assert "Solberg" not in by_name and "Orlov" not in by_name
    # places used as places, and a country named only in a title ("Danish Fisheries Minister ...")
    assert not {"Barents Sea", "Bergen", "Tromso", "Denmark"} & set(by_name)
