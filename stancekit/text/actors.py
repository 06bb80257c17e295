"""From entity mentions to document-level actors.

A document names one actor in many ways. Resolution, in order:

1. user-given actors (name + aliases), matched as whole words, win over anything else;
2. the alias table maps countries' names, demonyms, capitals and seats of government,
   parties and blocs to one canonical actor ("Moscow", "the Kremlin" -> "Russia");
3. people merge within a document: "François Hollande", "Hollande", "Hollande's" become one
   actor named by the fullest form; a surname shared by two full names stays ambiguous and
   is kept apart rather than guessed;
4. other organisations, places and groups are keyed by their cleaned surface form.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from stancekit.errors import ActorSpecError
from stancekit.text.aliases import AliasTable, clean_surface
from stancekit.text.sanitize import clean_text
from stancekit.text.segmentation import ACTOR_ENTITY_TYPES, EntitySpan

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
_KIND_OF_ENTITY = {"PERSON": "person", "ORG": "organization", "GPE": "place", "NORP": "group"}


@dataclass(frozen=True, slots=True)
class ActorSpec:
    """An actor the user asks for: a name and the other ways a text may name it."""

    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "custom"

    @classmethod
    def parse(cls, value: object, index: int) -> ActorSpec:
        if isinstance(value, ActorSpec):
            return value
        if isinstance(value, str):
            if not value.strip():
                raise ActorSpecError(f"actors[{index}] is an empty string")
            return cls(clean_text(value.strip())[0])
        if isinstance(value, Mapping):
            name = value.get("name")
            if not isinstance(name, str) or not name.strip():
                raise ActorSpecError(f"actors[{index}] needs a non-empty string 'name', got {name!r}")
            aliases = value.get("aliases", ())
            if isinstance(aliases, str) or not isinstance(aliases, list | tuple):
                raise ActorSpecError(f"actors[{index}]['aliases'] must be a list of strings")
            for j, a in enumerate(aliases):
                if not isinstance(a, str) or not a.strip():
                    raise ActorSpecError(f"actors[{index}]['aliases'][{j}] must be a non-empty string, got {a!r}")
            kind = value.get("kind", "custom")
            if not isinstance(kind, str):
                raise ActorSpecError(f"actors[{index}]['kind'] must be a string")
            unknown = set(value) - {"name", "aliases", "kind"}
            if unknown:
                raise ActorSpecError(f"actors[{index}] has unknown keys {sorted(unknown)}; use name, aliases, kind")
            return cls(clean_text(name.strip())[0], tuple(clean_text(a.strip())[0] for a in aliases), kind)
        raise ActorSpecError(
            f"actors[{index}] must be a string or a mapping with 'name' and 'aliases', got {type(value).__name__}"
        )


def parse_actor_specs(actors: object) -> list[ActorSpec]:
    """Validate the ``actors=`` argument of ``analyze``."""
    if actors is None:
        return []
    if isinstance(actors, str | Mapping) or not isinstance(actors, Iterable):
        raise ActorSpecError("actors must be a list of names or {'name': ..., 'aliases': [...]} mappings")
    return [ActorSpec.parse(a, i) for i, a in enumerate(actors)]


@dataclass(slots=True)
class Mention:
    """One place where the text names an actor."""

    start: int
    end: int
    text: str
    actor: int  # index into the resolved actors


@dataclass(slots=True)
class ResolvedActor:
    name: str
    kind: str
    surfaces: list[str] = field(default_factory=list)


def _person_tokens(surface: str) -> list[str]:
    tokens = clean_surface(surface).split()
    while len(tokens) > 1 and tokens[0].lower() in PERSON_TITLES:
        tokens = tokens[1:]
    return tokens


class ActorFinder:
    """Resolves entity mentions (and user-given actors) to document-level actors."""

    def __init__(self, aliases: AliasTable | None = None) -> None:
        self.aliases = aliases if aliases is not None else AliasTable.default()

    def find(
        self,
        text: str,
        entities: Sequence[EntitySpan],
        user_actors: Sequence[ActorSpec] = (),
        *,
        use_ner: bool = True,
        sentences: Sequence[tuple[int, int]] | None = None,
    ) -> tuple[list[ResolvedActor], list[Mention]]:
        """Return actors and their mentions (sorted by start, never overlapping).

        With ``sentences`` (sorted, disjoint ``(start, end)`` offsets), a mention never crosses
        a sentence: a name that runs over a boundary is cut to the sentence where it begins, so
        what is marked is what is scored.
        """
        actors: list[ResolvedActor] = []
        by_key: dict[str, int] = {}

        def actor_index(key: str, name: str, kind: str) -> int:
            if key not in by_key:
                by_key[key] = len(actors)
                actors.append(ResolvedActor(name, kind))
            return by_key[key]

        raw: list[tuple[int, int, int, int]] = []  # (priority, start, end, actor)

        # 1. user-given actors, whole-word matches of the name and every alias
        for spec in user_actors:
            idx = actor_index("user:" + spec.name, spec.name, spec.kind)
            for surface in (spec.name, *spec.aliases):
                key = clean_surface(surface)
                by_key.setdefault("alias:" + key, idx)
                pattern = r"(?<!\w)" + re.escape(surface) + r"(?!\w)"
                for m in re.finditer(pattern, text):
                    raw.append((0, m.start(), m.end(), idx))

        if use_ner:
            persons = [(e, _person_tokens(e.text)) for e in entities if e.label == "PERSON"]
            persons = [(e, t) for e, t in persons if t and e.text not in self.aliases]
            known = _PersonIndex([t for _, t in persons])
            people = list(persons)
            for ent in entities:
                if ent.label == "PERSON" and ent.text not in self.aliases:
                    continue
                entry = self.aliases.get(ent.text)
                if entry is not None:
                    idx = by_key.get("alias:" + clean_surface(entry.name))
                    if idx is None:
                        idx = actor_index("alias:" + clean_surface(entry.name), entry.name, entry.kind)
                    raw.append((1, ent.start, ent.end, idx))
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
            for m in self.aliases.finditer(text):
                if _standalone(text, m.start(), m.end()):
                    entry = self.aliases.get(m.group())
                    key = "alias:" + clean_surface(entry.name)
                    idx = by_key[key] if key in by_key else actor_index(key, entry.name, entry.kind)
                    raw.append((2, m.start(), m.end(), idx))
            wanted = [
                (surface, by_key[lookup])
                for surface, key in known.surfaces()
                if (lookup := "person:" + " ".join(key)) in by_key
            ]
            for start, end, idx in _find_surfaces(text, wanted):
                if _standalone(text, start, end):
                    raw.append((2, start, end, idx))

        if sentences is not None:
            raw = _inside_sentences(raw, sentences, text)
        mentions = _non_overlapping(raw, text)
        seen: set[tuple[int, str]] = set()  # a set, not a scan of the list: one actor can have many forms
        for m in mentions:
            if (m.actor, m.text) not in seen:
                seen.add((m.actor, m.text))
                actors[m.actor].surfaces.append(m.text)
        # keep only actors that have mentions, renumbered by first appearance
        order: dict[int, int] = {}
        for m in mentions:
            order.setdefault(m.actor, len(order))
        kept = [actors[i] for i in sorted(order, key=order.get)]
        for m in mentions:
            m.actor = order[m.actor]
        return kept, mentions

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

    def resolve(self, tokens: list[str]) -> tuple[str, str] | None:
        """The full-name key these tokens refer to, or None when unknown or ambiguous."""
        if len(tokens) >= 2:
            key = (tokens[0], tokens[-1])
            return key if key in self.full else None
        word = tokens[0]
        candidates = self.by_last.get(word) or self.by_first.get(word) or []
        return candidates[0] if len(candidates) == 1 else None


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
    raw: list[tuple[int, int, int, int]], sentences: Sequence[tuple[int, int]], text: str
) -> list[tuple[int, int, int, int]]:
    """Cut each candidate span to the sentence where it begins (dropping what is left empty)."""
    starts = [s for s, _ in sentences]
    out = []
    for priority, start, end, idx in raw:
        k = bisect.bisect_right(starts, start) - 1
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
    return out


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


_WORD = re.compile(r"\w+")


def _find_surfaces(text: str, wanted: Sequence[tuple[str, int]]) -> list[tuple[int, int, int]]:
    """Whole-word matches (an optional 's after) of each ``(surface, actor)`` in ``text``.

    One pass over the text's words with a table keyed by each surface's first word, rather than
    one scan of the whole text per surface: the number of names grows with a document's length.
    """
    by_first: dict[str, list[tuple[re.Pattern, int]]] = {}
    out: list[tuple[int, int, int]] = []
    for surface, idx in wanted:
        pattern = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?:['\u2019]s)?(?!\w)")
        first = _WORD.match(surface)
        if first is None:  # a surface that does not begin with a word character: scan for it alone
            out.extend((m.start(), m.end(), idx) for m in pattern.finditer(text))
        else:
            by_first.setdefault(first.group(), []).append((pattern, idx))
    if by_first:
        for word in _WORD.finditer(text):
            for pattern, idx in by_first.get(word.group(), ()):
                m = pattern.match(text, word.start())
                if m is not None:
                    out.append((m.start(), m.end(), idx))
    return out
