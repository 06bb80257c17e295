"""User actors: case, surnames and possessives, kinds, files and their errors."""

import json

import pytest

from stancekit.errors import ActorSpecError, InputError
from stancekit.text.actors import (
    ActorFinder,
    ActorSpec,
    actors_from_options,
    default_kind,
    load_actors_file,
    parse_actor_specs,
)


def found(text, actors, **kw):
    actors_, mentions = ActorFinder().find(text, [], parse_actor_specs(actors), use_ner=False, **kw)
    return [(m.text, actors_[m.actor].name, actors_[m.actor].kind, m.resolved) for m in mentions]


def test_aliases_match_case_insensitively_by_default():
    got = found("The alliance is failing. THE ALLIANCE said no.", [{"name": "NATO", "aliases": ["the alliance"]}])
    assert [m for m, *_ in got] == ["The alliance", "THE ALLIANCE"]
    assert all(r == "user" for *_, r in got)


def test_case_sensitive_opt_out():
    spec = {"name": "Apple", "aliases": ["AAPL"], "case_sensitive": True}
    assert [m for m, *_ in found("apple pie and Apple shares, aapl and AAPL", [spec])] == ["Apple", "AAPL"]


def test_person_actor_matches_surname_and_possessive():
    got = found("Lena Moreau's plan failed. Moreau blamed the senate.", ["Lena Moreau"])
    assert [(m, a, k) for m, a, k, _ in got] == [
        ("Lena Moreau's", "Lena Moreau", "person"),
        ("Moreau", "Lena Moreau", "person"),
    ]


def test_shared_surname_of_two_person_actors_is_left_out():
    got = found("Tom Hale and Ann Hale spoke. Hale left.", ["Tom Hale", "Ann Hale"])
    assert [m for m, *_ in got] == ["Tom Hale", "Ann Hale"]


def test_default_kinds():
    assert default_kind("Lena Moreau") == "person"
    assert default_kind("Green Party") == "party"
    assert default_kind("European Central Bank") == "organization"
    assert default_kind("UNICEF") == "organization"
    assert default_kind("Russia") == "country"  # from the alias table
    assert default_kind("Kurds") == "group"
    assert parse_actor_specs([{"name": "Acme", "kind": "organization"}])[0].kind == "organization"
    assert ActorSpec("x").kind is None  # filled in by parse_actor_specs


@pytest.mark.parametrize(
    "bad, message",
    [
        ([{"name": "A", "aliases": ["x"]}, {"name": "B", "aliases": ["X"]}], "alias 'X' of entry 1"),
        ([{"name": "A", "kind": "place"}], "kind must be one of"),
        ([{"name": "  "}], "non-empty string 'name'"),
        ([{"name": "A", "case_sensitive": "yes"}], "case_sensitive"),
    ],
)
def test_bad_specs_name_the_entry_and_the_problem(bad, message):
    with pytest.raises(ActorSpecError, match=message) as info:
        parse_actor_specs(bad)
    assert isinstance(info.value, InputError)


def test_same_name_twice_is_one_actor():
    specs = parse_actor_specs(["NATO", {"name": "NATO", "aliases": ["the alliance"]}])
    assert len(specs) == 1 and specs[0].aliases == ("the alliance",)


def test_actors_files_json_and_yaml(tmp_path):
    js = tmp_path / "a.json"
    js.write_text(json.dumps({"actors": ["Lena Moreau", {"name": "NATO", "aliases": ["the alliance"]}]}))
    ym = tmp_path / "b.yaml"
    ym.write_text("- name: Green Party\n  aliases: [the Greens]\n  kind: party\n")
    specs = actors_from_options(["ECB=the central bank,Frankfurt"], [str(js), str(ym)])
    assert [(s.name, s.kind) for s in specs] == [
        ("ECB", "organization"),
        ("Lena Moreau", "person"),
        ("NATO", "organization"),
        ("Green Party", "party"),
    ]
    assert specs[0].aliases == ("the central bank", "Frankfurt")
    assert load_actors_file(ym)[0].aliases == ("the Greens",)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("bad.json", "{not json", "not valid JSON"),
        ("bad.yaml", "- name: [unclosed", "not valid YAML"),
        ("empty.json", "[]", "non-empty list"),
        ("entry.json", '[{"name": "A"}, {"name": ""}]', r"entry.json\[1\] needs a non-empty string 'name'"),
        ("clash.yaml", "- {name: A, aliases: [x]}\n- {name: B, aliases: [x]}\n", "clash.yaml: alias 'x' of entry 1"),
    ],
)
def test_bad_actors_files_name_file_entry_problem(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ActorSpecError, match=message) as info:
        load_actors_file(path)
    assert str(path.name) in str(info.value)


def test_missing_actors_file_and_empty_cli_name(tmp_path):
    with pytest.raises(ActorSpecError, match="no such actors file"):
        load_actors_file(tmp_path / "nope.json")
    with pytest.raises(ActorSpecError, match="empty"):
        actors_from_options(["=x"])
