"""From entity mentions to document-level actors.

A document names one actor in many ways. Resolution, in order:

1. user-given actors (name, aliases, kind), matched as whole words, case-insensitively unless asked
   otherwise, with surname and possessive forms for persons, win over anything else;
2. names keep only the mentions where they stand for an actor (:mod:`stancekit.text.roles`: no places used
   as places, datelines, nationality adjectives in titles, title words, products, headline fragments);
3. the alias table maps countries' names, demonyms, capitals and seats of government,
   parties and blocs to one canonical actor ("Moscow", "the Kremlin" -> "Russia");
4. people merge within a document: "François Hollande", "Hollande", "Hollande's" become one
   actor named by the fullest form; a surname shared by two full names stays ambiguous and
   is kept apart rather than guessed;
5. other organisations and groups are keyed by their cleaned surface form;
6. pronouns and descriptions of actors already named become mentions too (:mod:`stancekit.text.coref`).
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from stancekit.errors import ActorSpecError
from stancekit.text.aliases import AliasTable, clean_surface
from stancekit.text.roles import (
    LOCATIVE_PREPOSITIONS,
    PORTFOLIO_WORDS,
    demonym_stands_for_state,
    headline_lines,
    is_dateline,
    is_modifier_use,
    is_place_use,
    is_title_or_thing,
    trim_headline_name,
    word_before,
    words_after,
)
from stancekit.text.sanitize import clean_text
from stancekit.text.segmentation import ACTOR_ENTITY_TYPES, EntitySpan, Span

#: Titles stripped from the front of person mentions before merging.
PERSON_TITLES = frozenset(
    [
        "president",
        "vice",
        "prime",
        "minister",
        "secretary",
        "sen.",
        "senator",
        "rep.",
        "representative",
        "gov.",
        "governor",
        "mr.",
        "mrs.",
        "ms.",
        "dr.",
        "prof.",
        "mayor",
        "chancellor",
        "king",
        "queen",
        "prince",
        "princess",
        "pope",
        "judge",
        "justice",
        "general",
        "gen.",
        "gov",
        "former",
        "leader",
        "speaker",
        "attorney",
        "chairman",
        "chairwoman",
        "ceo",
        "sir",
        "dame",
        "lord",
        "lady",
        "rev.",
        "sheikh",
        "ayatollah",
        "premier",
        "foreign",
        "defense",
        "defence",
        "state",
        "the",
    ]
)


def _split(line: str) -> list[str]:
    return line.split()


#: Kinds an actor row can have; places, products, events and works are never actors.
ACTOR_KINDS = ("person", "country", "organization", "party", "group")
#: spaCy label -> kind of an actor it names when no table or rule says more. A GPE outside the alias
#: table that acts ("California sued") is a government: an organization.
_KIND_OF_ENTITY = {"PERSON": "person", "ORG": "organization", "GPE": "organization", "NORP": "group"}
#: Name particles kept inside person names: "Ursula von der Leyen", "Luis de Guindos".
NAME_PARTICLES = frozenset(_split("von van der den de da di del della la le du dos das ter ten bin ibn al el y"))
#: Words in a name that make it an organisation, not a person (for user actors' default kind).
ORG_WORDS = frozenset(
    _split(
        "bank party ministry council union group inc corp co ltd association department agency committee "
        "commission institute university news times post court senate house fund reserve army forces company "
        "airlines motors federation league alliance organization organisation foundation office service "
        "services authority board church network"
    )
)
_PERSON_NAME = re.compile(r"^[A-Z][\w'\u2019.-]+(?: (?:[a-z]{1,4} ){0,2}[A-Z][\w'\u2019.-]+){1,3}$")


@functools.lru_cache(maxsize=1)
def _default_table() -> AliasTable:
    return AliasTable.default()


def default_kind(name: str, aliases: AliasTable | None = None) -> str:
    """A user actor's kind when none is given: the alias table's, else a guess from the name's shape."""
    entry = (aliases if aliases is not None else _default_table()).get(name)
    if entry is not None:
        return entry.kind
    words = name.split()
    lowered = {w.lower().strip(".,") for w in words}
    if "party" in lowered:
        return "party"
    if lowered & ORG_WORDS or name.isupper():
        return "organization"
    if _PERSON_NAME.match(name):
        return "person"
    if len(words) == 1 and name[:1].isupper() and name.endswith("s"):
        return "group"  # "Republicans", "Kurds"
    return "organization"


@dataclass(frozen=True, slots=True)
class ActorSpec:
    """An actor the user asks for: a name, the other ways a text may name it, its kind.

    Aliases match case-insensitively unless ``case_sensitive``; a person actor also matches its
    surname ("Trump" for "Donald Trump") and possessives ("Trump's"). ``kind`` is None until
    :func:`parse_actor_specs` fills in a default (see :func:`default_kind`).
    """

    name: str
    aliases: tuple[str, ...] = ()
    kind: str | None = None
    case_sensitive: bool = False

    @classmethod
    def parse(cls, value: object, index: int, where: str = "actors") -> ActorSpec:
        if isinstance(value, ActorSpec):
            return value
        if isinstance(value, str):
            if not value.strip():
                raise ActorSpecError(f"{where}[{index}] is an empty string")
            return cls(clean_text(value.strip())[0])
        if isinstance(value, Mapping):
            name = value.get("name")
            if not isinstance(name, str) or not name.strip():
                raise ActorSpecError(f"{where}[{index}] needs a non-empty string 'name', got {name!r}")
            aliases = value.get("aliases", ())
            if isinstance(aliases, str) or not isinstance(aliases, list | tuple):
                raise ActorSpecError(f"{where}[{index}] ({name!r}): 'aliases' must be a list of strings")
            for j, a in enumerate(aliases):
                if not isinstance(a, str) or not a.strip():
                    raise ActorSpecError(
                        f"{where}[{index}] ({name!r}): aliases[{j}] must be a non-empty string, got {a!r}"
                    )
            kind = value.get("kind")
            if kind is not None and kind not in ACTOR_KINDS:
                raise ActorSpecError(
                    f"{where}[{index}] ({name!r}): kind must be one of {', '.join(ACTOR_KINDS)}, got {kind!r}"
                )
            case_sensitive = value.get("case_sensitive", False)
            if not isinstance(case_sensitive, bool):
                raise ActorSpecError(f"{where}[{index}] ({name!r}): case_sensitive must be true or false")
            unknown = set(value) - {"name", "aliases", "kind", "case_sensitive"}
            if unknown:
                raise ActorSpecError(
                    f"{where}[{index}] ({name!r}) has unknown keys {sorted(unknown)}; "
                    "use name, aliases, kind, case_sensitive"
                )
            return cls(
                clean_text(name.strip())[0], tuple(clean_text(a.strip())[0] for a in aliases), kind, case_sensitive
            )
        raise ActorSpecError(
            f"{where}[{index}] must be a string or a mapping with 'name' and 'aliases', got {type(value).__name__}"
        )

    def surfaces(self) -> tuple[str, ...]:
        """The forms to look for: name, aliases and, for a person, the surname."""
        forms = (self.name, *self.aliases)
        if self.kind == "person" and len(self.name.split()) >= 2:
            forms += (self.name.split()[-1],)
        return forms


def parse_actor_specs(actors: object, aliases: AliasTable | None = None, where: str = "actors") -> list[ActorSpec]:
    """Validate the ``actors=`` argument of ``analyze``: fill in kinds, merge repeats, refuse colliding aliases.

    The same name given twice is one actor (aliases joined). An alias that two different actors claim
    raises :class:`ActorSpecError` naming both; a surname two person actors share is left out for both.
    """
    if actors is None:
        return []
    if isinstance(actors, str | Mapping) or not isinstance(actors, Iterable):
        raise ActorSpecError(f"{where} must be a list of names or {{'name': ..., 'aliases': [...]}} mappings")
    table = aliases if aliases is not None else _default_table()
    merged: dict[str, ActorSpec] = {}
    for i, value in enumerate(actors):
        spec = ActorSpec.parse(value, i, where)
        if spec.kind is None:
            spec = replace(spec, kind=default_kind(spec.name, table))
        if spec.name in merged:
            old = merged[spec.name]
            spec = replace(old, aliases=tuple(dict.fromkeys(old.aliases + spec.aliases)))
        merged[spec.name] = spec
    owner: dict[str, tuple[int, str]] = {}
    for i, spec in enumerate(merged.values()):
        for surface in (spec.name, *spec.aliases):
            key = surface if spec.case_sensitive else surface.lower()
            if key in owner and owner[key][1] != spec.name:
                raise ActorSpecError(
                    f"{where}: alias {surface!r} of entry {i} ({spec.name!r}) is also a name or alias of "
                    f"entry {owner[key][0]} ({owner[key][1]!r}); give it to one actor only"
                )
            owner[key] = (i, spec.name)
    return list(merged.values())


def _user_pattern(specs: Sequence[ActorSpec]) -> tuple[re.Pattern | None, re.Pattern | None, list[int]]:
    """One case-insensitive and one case-sensitive regex for all user actors' forms; group i -> spec index."""
    return _compile_user_pattern(tuple(specs))


@functools.lru_cache(maxsize=64)
def _compile_user_pattern(specs: tuple[ActorSpec, ...]):
    surnames: dict[str, list[int]] = {}
    forms: list[tuple[str, int, bool]] = []
    for i, spec in enumerate(specs):
        for surface in (spec.name, *spec.aliases):
            forms.append((surface, i, spec.case_sensitive))
        if spec.kind == "person" and len(spec.name.split()) >= 2:
            surnames.setdefault(spec.name.split()[-1].lower(), []).append(i)
    claimed = {f.lower() for f, _, _ in forms}
    for last, owners in surnames.items():
        if len(owners) == 1 and last not in claimed:  # a shared surname is ambiguous: left out
            spec = specs[owners[0]]
            forms.append((spec.name.split()[-1], owners[0], spec.case_sensitive))
    lookup_ci: dict[str, int] = {}
    lookup_cs: dict[str, int] = {}
    for surface, i, cs in forms:
        (lookup_cs if cs else lookup_ci).setdefault(surface if cs else surface.lower(), i)

    def compile_(keys, flags):
        if not keys:
            return None
        alts = "|".join(map(re.escape, sorted(keys, key=len, reverse=True)))
        return re.compile(r"(?<!\w)(?:" + alts + r")(?:['\u2019]s)?(?!\w)", flags)

    return compile_(lookup_ci, re.IGNORECASE), compile_(lookup_cs, 0), lookup_ci, lookup_cs


@dataclass(slots=True)
class Mention:
    """One place where the text names an actor."""

    start: int
    end: int
    text: str
    actor: int  # index into the resolved actors
    resolved: str = "name"  # name | alias | coreference | user


@dataclass(slots=True)
class ResolvedActor:
    name: str
    kind: str
    surfaces: list[str] = field(default_factory=list)


def _person_tokens(surface: str) -> list[str]:
    tokens = clean_surface(surface).split()
    while len(tokens) > 1 and (tokens[0].lower() in PERSON_TITLES or tokens[0].lower() in PORTFOLIO_WORDS):
        tokens = tokens[1:]
    return tokens


def repair_entities(text: str, entities: Sequence[EntitySpan]) -> list[EntitySpan]:
    """Fix spaCy's usual slips on names before they become actors.

    Particle and hyphenated names are made whole ("Ursula von der" + "Leyen"); a first name cut off after a
    title comes back ("Mayor Sadiq Khan" tagged "Khan"); a name tagged ORG/GPE right after a person title
    is a person; names with lowercase words in them ("ein Versager") are not names; a leading gerund
    ("Meeting X") is dropped.
    """
    out: list[EntitySpan] = []
    skip_until = -1
    for ent in entities:
        if ent.start < skip_until:
            continue
        start, end, label = ent.start, ent.end, ent.label
        words = ent.text.split()
        if (
            label in ("ORG", "GPE")
            and _after_person_title(text, start)
            and len(words) <= 3
            and all(w[:1].isupper() for w in words)
        ):
            label = "PERSON"  # "Premier Matteo Renzi" tagged ORG
        if label == "PERSON":
            # particles at the end, or just after: take the capitalised word that follows
            m = _PARTICLE_TAIL.match(text, end) if words[-1].lower() in NAME_PARTICLES else None
            m = m or _PARTICLE_NEXT.match(text, end)
            if m:
                end = m.end()
                skip_until = end
            # "Mayor Sadiq Khan" tagged "Khan": one capitalised first name between a title and the name
            m = _FIRST_NAME_BEFORE.search(text, max(0, start - 40), start)
            if len(words) == 1 and m and m.group(1).lower() in PERSON_TITLES:
                start = m.start(2)
            inner = text[start:end].split()
            if any(w[:1].islower() and w.split("-")[0].lower() not in NAME_PARTICLES for w in inner):
                continue  # "ein Versager": not a name
            if len(inner) > 1 and inner[0].endswith("ing") and inner[0].lower() not in _ING_NAMES:
                start = text.index(inner[1], start)
        out.append(EntitySpan(start, end, text[start:end], label))
    return out


_ING_NAMES = frozenset(["king", "ming", "xiaoping", "jing", "ting", "ying", "bing", "ling", "sterling", "fleming"])
_PARTICLE_TAIL = re.compile(
    r"(?:\s+(?:von|van|der|den|de|da|di|del|della|la|le|du|dos|das|ter|ten|bin|ibn|al|el))*\s+[A-Z][\w'\u2019-]+"
)
_PARTICLE_NEXT = re.compile(
    r"(?:\s+(?:von|van|der|den|de|da|di|del|della|la|le|du|dos|das|ter|ten|bin|ibn|al|el))+\s+[A-Z][\w'\u2019-]+"
)
_FIRST_NAME_BEFORE = re.compile(r"([A-Z][a-z]+\.?)\s+([A-Z][\w'\u2019-]+)\s+$")


def _after_person_title(text: str, start: int) -> bool:
    """True when a capitalised person title stands just before ``start`` ("Premier Matteo Renzi")."""
    word = word_before(text, start)
    before = text[max(0, start - 30) : start].rstrip()
    return bool(word) and word in PERSON_TITLES and word != "the" and before[-len(word) :][:1].isupper()


class _Containers:
    """Sorted spans answering "does a longer one hold [start, end)?" with two bisections on running maxima
    of their ends, so a long document's thousands of entities and alias hits stay linear-logarithmic."""

    def __init__(self, spans) -> None:
        spans = sorted(spans)
        self._starts = [s for s, _ in spans]
        self._reach, best = [], -1
        for _, t in spans:
            best = max(best, t)
            self._reach.append(best)

    def hold(self, start: int, end: int) -> bool:
        before = bisect.bisect_left(self._starts, start)  # starting strictly before: reaching the end is enough
        if before and self._reach[before - 1] >= end:
            return True
        upto = bisect.bisect_right(self._starts, start)  # starting at start: must reach past the end
        return bool(upto) and self._reach[upto - 1] > end


class ActorFinder:
    """Resolves entity mentions (and user-given actors) to document-level actors.

    ``coreference`` (on by default) adds pronoun and description mentions of actors already named
    (see :mod:`stancekit.text.coref`); it needs the sentences, so it runs when ``find`` gets them.
    """

    def __init__(self, aliases: AliasTable | None = None, *, coreference: bool = True) -> None:
        self.aliases = aliases if aliases is not None else AliasTable.default()
        self.coreference = coreference

    def find(
        self,
        text: str,
        entities: Sequence[EntitySpan],
        user_actors: Sequence[ActorSpec] = (),
        *,
        use_ner: bool = True,
        sentences: Sequence[Span] | None = None,
    ) -> tuple[list[ResolvedActor], list[Mention]]:
        """Return actors and their mentions (sorted by start, never overlapping)."""
        actors: list[ResolvedActor] = []
        by_key: dict[str, int] = {}

        def actor_index(key: str, name: str, kind: str) -> int:
            if key not in by_key:
                by_key[key] = len(actors)
                actors.append(ResolvedActor(name, kind))
            return by_key[key]

        raw: list[tuple[int, int, int, int]] = []  # (priority, start, end, actor)
        how: dict[tuple[int, int], str] = {}

        # 1. user-given actors: one scan for all their forms
        if user_actors:
            ci, cs, lookup_ci, lookup_cs = _user_pattern(user_actors)
            for pattern, lookup, fold in ((ci, lookup_ci, True), (cs, lookup_cs, False)):
                if pattern is None:
                    continue
                for m in pattern.finditer(text):
                    form = clean_surface(m.group()) if m.group()[-2:] in ("'s", "\u2019s") else m.group()
                    i = lookup.get(form.lower() if fold else form)
                    if i is None:
                        i = lookup.get(m.group()[:-2].lower() if fold else m.group()[:-2])
                    if i is None:
                        continue
                    spec = user_actors[i]
                    idx = actor_index("user:" + spec.name, spec.name, spec.kind or "organization")
                    for surface in (spec.name, *spec.aliases):
                        by_key.setdefault("alias:" + clean_surface(surface), idx)
                    raw.append((0, m.start(), m.end(), idx))
                    how[(m.start(), m.end())] = "user"
            for spec in user_actors:  # a user actor also claims its alias-table forms
                by_key.setdefault("alias:" + clean_surface(spec.name), by_key.get("user:" + spec.name, -1))
            by_key = {k: v for k, v in by_key.items() if v >= 0}

        if use_ner:
            self._ner_mentions(text, entities, actors, by_key, actor_index, raw, how)

        if sentences is not None:  # a mention never crosses its sentence
            raw, how = _inside_sentences(raw, [(x.start, x.end) for x in sentences], text, how)
        mentions = _non_overlapping(raw, text)
        for m in mentions:
            m.resolved = how.get((m.start, m.end), "name")
        if self.coreference and sentences is not None and mentions:
            from stancekit.text.coref import resolve_references

            mentions = resolve_references(text, sentences, mentions, actors)
        for m in mentions:
            if m.resolved != "coreference" and m.text not in actors[m.actor].surfaces:
                actors[m.actor].surfaces.append(m.text)
        # keep only actors that have mentions, renumbered by first appearance
        order: dict[int, int] = {}
        for m in mentions:
            order.setdefault(m.actor, len(order))
        kept = [actors[i] for i in sorted(order, key=order.get)]
        for m in mentions:
            m.actor = order[m.actor]
        return kept, mentions

    def _ner_mentions(self, text, entities, actors, by_key, actor_index, raw, how) -> None:
        """Mentions from NER and from the alias table, each kept only in an actor role."""
        headlines = headline_lines(text)

        heads = [a for a, _ in headlines]

        def in_headline(start: int) -> bool:
            k = bisect.bisect_right(heads, start) - 1
            return k >= 0 and start < headlines[k][1]

        alias_hits = [(m.start(), m.end(), m.group()) for m in self.aliases.finditer(text)]
        entities = repair_entities(text, entities)
        # an entity inside a longer alias form is that form ("Islamic" of "Islamic State")
        long_hits = [(s, t) for s, t, surface in alias_hits if " " in surface]
        if long_hits:
            containers = _Containers(long_hits)
            entities = [e for e in entities if not containers.hold(e.start, e.end)]
        if headlines:
            entities = [e for e in (self._headline_trim(e, in_headline) for e in entities) if e is not None]
            # a lone capitalised word of a title-case headline that the story uses as a lower-case word and never
            # as a name is that word ("Signs Voting Bill" when the story says "the bill"), not a person
            lone = [e for e in entities if e.label == "PERSON" and in_headline(e.start) and " " not in e.text]
            if lone:
                named = {
                    w for e in entities if e.label == "PERSON" and not in_headline(e.start) for w in e.text.split()
                }
                words = set(re.findall(r"\b[a-z][a-z'-]*\b", text))  # once per text: linear
                drop = {
                    id(e)
                    for e in lone
                    if e.text not in named and e.text not in self.aliases and e.text.lower() in words
                }
                entities = [e for e in entities if id(e) not in drop]
        entities = [e for e in entities if self._plays_actor(text, e.start, e.end, e.text, e.label, in_headline)]
        persons = [(e, _person_tokens(e.text)) for e in entities if e.label == "PERSON"]
        persons = [(e, t) for e, t in persons if t and e.text not in self.aliases]
        known = _PersonIndex([t for _, t in persons])
        people = [(e, t) for e, t in persons if not _misread_place(text, e, t, known)]
        for ent in entities:
            if ent.label == "PERSON" and ent.text not in self.aliases:
                continue
            entry = self.aliases.get(ent.text)
            if entry is not None:
                idx = by_key.get("alias:" + clean_surface(entry.name))
                if idx is None:
                    idx = actor_index("alias:" + clean_surface(entry.name), entry.name, entry.kind)
                raw.append((1, ent.start, ent.end, idx))
                how[(ent.start, ent.end)] = "alias" if clean_surface(ent.text) != entry.name else "name"
            elif ent.label in ACTOR_ENTITY_TYPES:
                # spaCy's small model often tags a lone surname as ORG or GPE: if the
                # document names that person in full, it is that person.
                tokens = _person_tokens(ent.text)
                if tokens and known.resolve(tokens) is not None:
                    people.append((ent, tokens))
                    continue
                name = clean_surface(ent.text)
                if not name:
                    continue
                idx = by_key.get("alias:" + name)
                if idx is None:
                    idx = actor_index("entity:" + name.lower(), name, _KIND_OF_ENTITY[ent.label])
                raw.append((1, ent.start, ent.end, idx))
        for ent, idx in self._merge_people(people, known, actors, by_key):
            raw.append((1, ent.start, ent.end, idx))
        # NER misses names (sentence-initial "Kyiv", a lone "Hartwell said"): look for the
        # alias table's forms and known people's names in the text as well, at lower priority.
        for start, end, surface in alias_hits:
            if not _standalone(text, start, end):
                continue
            entry = self.aliases.get(surface)
            label = "NORP" if self.aliases.is_demonym(surface) else ("GPE" if entry.kind == "country" else "ORG")
            if not self._plays_actor(text, start, end, surface, label, in_headline, known_alias=True):
                continue
            key = "alias:" + clean_surface(entry.name)
            idx = by_key[key] if key in by_key else actor_index(key, entry.name, entry.kind)
            raw.append((2, start, end, idx))
            how.setdefault((start, end), "alias" if clean_surface(surface) != entry.name else "name")
        pattern, keys = known.pattern()
        if pattern is not None:
            for m in pattern.finditer(text):
                key = keys.get(clean_surface(m.group()))
                lookup = "person:" + " ".join(key) if key else ""
                if lookup in by_key and _standalone(text, m.start(), m.end()):
                    raw.append((2, m.start(), m.end(), by_key[lookup]))

    def _plays_actor(self, text, start, end, surface, label, in_headline, known_alias: bool = False) -> bool:
        """Whether a name found at ``start:end`` stands for an actor here (see :mod:`stancekit.text.roles`)."""
        if is_dateline(text, start, end):
            return False
        demonym = self.aliases.is_demonym(surface) or (
            label == "NORP" and not known_alias and surface not in self.aliases and not surface.endswith("s")
        )
        if demonym:
            return demonym_stands_for_state(text, start, end)
        if label != "PERSON" and is_title_or_thing(clean_surface(surface), text, end):
            return False
        if label == "PERSON" and " " not in surface and word_before(text, start) == "the":
            after = words_after(text, end, 1)
            if not (after and after[0].islower()):
                return False  # "the Bosphorus": people are not named with an article ("the Trump campaign" is)
        entry = self.aliases.get(surface)
        placeable = label in ("GPE", "LOC", "FAC") or (entry is not None and entry.kind in ("country", "organization"))
        if label == "GPE" and entry is None and is_modifier_use(text, end):
            return False
        return not (placeable and is_place_use(text, start, end))

    @staticmethod
    def _headline_trim(ent: EntitySpan, in_headline) -> EntitySpan | None:
        """Headline fragments: "Macron Faces Revolt Over Pension" -> "Macron", "Strikes Halt" -> nothing."""
        if not in_headline(ent.start) or " " not in ent.text:
            return ent
        kept = trim_headline_name(ent.text)
        if kept is None:
            return None
        return ent if kept == ent.text else EntitySpan(ent.start, ent.start + len(kept), kept, ent.label)

    @staticmethod
    def _merge_people(people, known: _PersonIndex, actors: list[ResolvedActor], by_key: dict[str, int]):
        """Give each person mention its actor: full name, else a unique surname or first name."""
        for ent, tokens in people:
            key = known.resolve(tokens)
            if key is not None:
                name = " ".join(known.full[key])
                lookup = "person:" + " ".join(key)
            else:
                name = " ".join(tokens)
                lookup = "person-alone:" + name
            idx = by_key.get("alias:" + name)
            if idx is None:
                if lookup not in by_key:
                    by_key[lookup] = len(actors)
                    actors.append(ResolvedActor(name, "person"))
                idx = by_key[lookup]
            yield ent, idx


class _PersonIndex:
    """Full names seen in a document, keyed by (first, last) token, with surname look-ups."""

    def __init__(self, names: Iterable[list[str]]) -> None:
        self.full: dict[tuple[str, str], list[str]] = {}
        for tokens in names:
            if len(tokens) >= 2:
                key = (tokens[0], tokens[-1])
                if key not in self.full or len(tokens) > len(self.full[key]):
                    self.full[key] = tokens
        self.by_last: dict[str, list[tuple[str, str]]] = {}
        self.by_first: dict[str, list[tuple[str, str]]] = {}
        for key in self.full:
            self.by_last.setdefault(key[1], []).append(key)
            self.by_first.setdefault(key[0], []).append(key)

    def surfaces(self) -> list[tuple[str, tuple[str, str]]]:
        """Forms to look for in the text: full names, and surnames that are not ambiguous."""
        out = [(" ".join(tokens), key) for key, tokens in self.full.items()]
        out += [(last, keys[0]) for last, keys in self.by_last.items() if len(keys) == 1]
        return out

    def pattern(self) -> tuple[re.Pattern | None, dict[str, tuple[str, str]]]:
        """One regex for every form of :meth:`surfaces` (possessive allowed), and form -> key."""
        keys = dict(self.surfaces())
        if not keys:
            return None, keys
        alts = "|".join(map(re.escape, sorted(keys, key=len, reverse=True)))
        return re.compile(r"(?<!\w)(?:" + alts + r")(?:['\u2019]s)?(?!\w)"), keys

    def resolve(self, tokens: list[str]) -> tuple[str, str] | None:
        """The full-name key these tokens refer to, or None when unknown or ambiguous."""
        if len(tokens) >= 2:
            key = (tokens[0], tokens[-1])
            return key if key in self.full else None
        word = tokens[0]
        candidates = self.by_last.get(word) or self.by_first.get(word) or []
        return candidates[0] if len(candidates) == 1 else None


#: The locative prepositions before which a lone capitalised word is a place, never a person ("the waters
#: around Svalbard"); those a person can follow are left out: "trust in Smith", "angry at Smith", "through Smith".
_PLACE_ONLY_PREPOSITIONS = LOCATIVE_PREPOSITIONS - frozenset(_split("in at between via through towards toward"))


def _misread_place(text: str, ent: EntitySpan, tokens: list[str], known: _PersonIndex) -> bool:
    """A one-word PERSON no full name in the document explains, after a place-only preposition.

    spaCy's small model tags some unfamiliar place names as people; a person named by one word
    is almost always named in full elsewhere, so only unexplained single words are dropped.
    """
    if len(tokens) != 1 or " " in ent.text or known.resolve(tokens) is not None:
        return False
    return word_before(text, ent.start) in _PLACE_ONLY_PREPOSITIONS


def _standalone(text: str, start: int, end: int) -> bool:
    """False when a capitalised word touches the match ("Washington Post", "New York Moscow")."""
    after = text[end : end + 30].lstrip(" ")
    if after[:1].isupper() and text[end : end + 1] not in "\n":
        return False
    before = text[max(0, start - 30) : start]
    stripped = before.rstrip(" ")
    if stripped and stripped != before and stripped[-1:].isalpha():
        word = stripped.split()[-1]
        if word[:1].isupper() and word.lower() not in _SENTENCE_STARTERS:
            # a capitalised word before it, unless that word begins a sentence
            prefix = stripped[: -len(word)].rstrip()
            if prefix and prefix[-1] not in '.!?"\u201c\n':
                return False
    return True


_SENTENCE_STARTERS = frozenset(
    [
        "in",
        "on",
        "at",
        "and",
        "but",
        "the",
        "a",
        "an",
        "as",
        "by",
        "for",
        "from",
        "of",
        "to",
        "with",
        "after",
        "before",
        "since",
    ]
)


def _inside_sentences(
    raw: list[tuple[int, int, int, int]], sentences: Sequence[tuple[int, int]], text: str, how: dict
) -> tuple[list[tuple[int, int, int, int]], dict]:
    """Cut each candidate span to the sentence where it begins (dropping what is left empty)."""
    starts = [s for s, _ in sentences]
    out = []
    new_how = dict(how)
    for priority, start, end, idx in raw:
        k = bisect.bisect_right(starts, start) - 1
        s0, e0 = start, end
        if k < 0 or start >= sentences[k][1]:  # begins before the first sentence or between two
            k += 1
            if k >= len(sentences):
                continue
            start = max(start, sentences[k][0])
        end = min(end, sentences[k][1])
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((priority, start, end, idx))
            if (s0, e0) in how and (start, end) != (s0, e0):
                new_how[(start, end)] = how[(s0, e0)]
    return out, new_how


def _non_overlapping(raw: list[tuple[int, int, int, int]], text: str) -> list[Mention]:
    """Resolve overlaps: user actors first, then longer spans, then earlier ones.

    Chosen spans are marked in a byte map of the text, so each candidate is checked in time
    proportional to its own length, not to the number of mentions already chosen.
    """
    chosen: list[tuple[int, int, int]] = []
    taken = bytearray(len(text))
    for _, start, end, idx in sorted(raw, key=lambda r: (r[0], -(r[2] - r[1]), r[1])):
        if end <= start or taken.find(1, start, end) != -1:
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append((start, end, idx))
    chosen.sort()
    return [Mention(s, e, text[s:e], i) for s, e, i in chosen]


def load_actors_file(path: str | Path) -> list[ActorSpec]:
    """Actors from a JSON or YAML file: a list of names / ``{name, aliases, kind, case_sensitive}`` entries,
    or a mapping with such a list under ``actors``. Errors name the file, the entry and the problem."""
    path = Path(path)
    if not path.is_file():
        raise ActorSpecError(f"{path}: no such actors file")
    try:
        raw = path.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise ActorSpecError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml  # PyYAML: already a dependency, safe_load reads plain data only

        try:
            data = yaml.safe_load(raw)
        except yaml.YAMLError as exc:
            raise ActorSpecError(f"{path}: not valid YAML ({exc})") from exc
    else:
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ActorSpecError(f"{path}: not valid JSON (line {exc.lineno}: {exc.msg})") from exc
    if isinstance(data, Mapping) and set(data) == {"actors"}:
        data = data["actors"]
    if not isinstance(data, list) or not data:
        raise ActorSpecError(f"{path}: needs a non-empty list of actors (or {{'actors': [...]}})")
    return parse_actor_specs(data, where=str(path))


def actors_from_options(actor: Sequence[str] | None = (), actors_files: Sequence[str] | None = ()) -> list[ActorSpec]:
    """The actors of the CLI options ``--actor NAME[=ALIAS,...]`` (repeatable) and ``--actors-file F``."""
    entries: list = []
    for value in actor or ():
        name, _, aliases = value.partition("=")
        if not name.strip():
            raise ActorSpecError(f"--actor {value!r}: the name before '=' is empty")
        entries.append({"name": name.strip(), "aliases": [a.strip() for a in aliases.split(",") if a.strip()]})
    specs = parse_actor_specs(entries, where="--actor") if entries else []
    for path in actors_files or ():
        specs += load_actors_file(path)
    return parse_actor_specs(specs, where="--actor/--actors-file") if specs else []
