"""Pronouns and definite descriptions resolved to actors already named in the document.

Why rules and not a library: the maintained coreference components were checked and none installs offline
with its model here (coreferee's English model downloads from a GitHub release URL and needs spaCy's parser,
which the segmenter drops for speed; fastcoref loads ``biu-nlp/f-coref`` from the model hub; spaCy's
experimental coref needs spaCy < 3.8 and its model is a separate download). The resolver below is small and
measured on the project's actor test set (``benchmarks/results/actors.md``).

How it decides, precision first (an unresolvable reference gives no row, never a guess):

- agreement: he/his/him -> a person not known to be female, she/her -> not known to be male (gender comes
  from pronouns already resolved and from titles like Mr/Mrs/Queen); it/its -> an organisation or a country,
  and only "it" as a subject ("it said", "it would"), never "it is hard to ..."; they/their/them -> an
  organisation, party, group or country, never people;
- recency: pronouns look at the sentence so far and the one before (a resolved pronoun carries its actor on);
- uniqueness: exactly one compatible actor in that window, else no row;
- descriptions ("the chancellor", "the company", "the alliance", "the government", "the Turkish leader")
  match the roles an actor was introduced with (the title before a name, an apposition such as "Dmitry
  Peskov, the Kremlin spokesman") or, for generic ones, a unique actor of the right kind nearby.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

_PRONOUN = re.compile(
    r"\b(he|she|his|her|hers|him|himself|herself|they|their|theirs|them|themselves|it|its|itself)\b", re.I
)
_MALE = frozenset(["he", "his", "him", "himself"])
_FEMALE = frozenset(["she", "her", "hers", "herself"])
_PLURAL = frozenset(["they", "their", "theirs", "them", "themselves"])
_NEUTER = frozenset(["it", "its", "itself"])

#: role words of descriptions -> the kinds they can name
_ROLE_KINDS = {
    "chancellor": "person",
    "president": "person",
    "prime minister": "person",
    "premier": "person",
    "leader": "person",
    "minister": "person",
    "senator": "person",
    "governor": "person",
    "mayor": "person",
    "king": "person",
    "queen": "person",
    "pope": "person",
    "spokesman": "person",
    "spokeswoman": "person",
    "chief executive": "person",
    "secretary general": "person",
    "secretary-general": "person",
    "candidate": "person",
    "billionaire": "person",
    "company": "organization",
    "firm": "organization",
    "carmaker": "organization",
    "group": "organization",
    "bank": "organization",
    "central bank": "organization",
    "alliance": "organization",
    "bloc": "organization",
    "union": "organization",
    "party": "party",
    "government": "country",
    "administration": "country",
    "country": "country",
}
_DESCRIPTION = re.compile(
    r"\b[Tt]he\s+((?:[A-Z][\w'\u2019-]+\s+){0,2})("
    + "|".join(sorted(map(re.escape, _ROLE_KINDS), key=len, reverse=True))
    + r")\b(?!\s+of\b)(?!['\u2019]s\s)"
)
#: organisations that "the alliance" / "the bloc" name
_ALLIANCES = frozenset(["nato", "north atlantic treaty organization"])
_BLOCS = frozenset(["european union", "eu", "asean", "african union", "mercosur"])
#: words after "it" that make it a subject: "it said", "it would"
_SUBJECT_FOLLOW = frozenset(
    str.split(
        "said says will would has had could can should may might must plans planned wants wanted added announced "
        "argued blamed claimed denied insisted warned agreed refused rejected reported cut raised expects "
        "expected hopes believes intends does did also now still"
    )
)
_PLEONASTIC_FOLLOW = frozenset(["is", "was", "'s", "\u2019s", "seems", "seemed", "appears", "appeared", "remains"])
_TITLE_WORD = re.compile(r"((?:[A-Z][\w'\u2019.-]+\s+){1,3})$")
_APPOSITION = re.compile(r"^,\s+(?:the|a|an)\s+([^,.;:\n]{2,60}?)(?:,|\.|;|$)")
_GENDERED_TITLES = {
    "mr": "m",
    "mr.": "m",
    "king": "m",
    "prince": "m",
    "sir": "m",
    "lord": "m",
    "mrs": "f",
    "mrs.": "f",
    "ms": "f",
    "ms.": "f",
    "queen": "f",
    "princess": "f",
    "dame": "f",
    "lady": "f",
}


def resolve_references(text: str, sentences: Sequence, mentions: list, actors: list) -> list:
    """``mentions`` plus a ``resolved="coreference"`` mention for every pronoun or description resolved."""
    from stancekit.text.actors import Mention

    if not sentences or not mentions:
        return mentions
    starts = [s.start for s in sentences]

    def sentence_of(pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    roles, gender = _introductions(text, mentions, actors)
    taken = [(m.start, m.end) for m in mentions]
    candidates = sorted(
        [(m.start(), m.end(), m.group(1).lower(), "pronoun", None) for m in _PRONOUN.finditer(text)]
        + [
            (m.start(), m.end(), m.group(2).lower(), "description", m.group(1).split())
            for m in _DESCRIPTION.finditer(text)
        ]
    )
    chain = sorted((m.start, m.actor) for m in mentions)  # (position, actor) of every mention so far
    added: list = []
    ti = 0
    for start, end, word, form, modifiers in candidates:
        while ti < len(taken) and taken[ti][1] <= start:
            ti += 1
        if ti < len(taken) and taken[ti][0] < end:
            continue  # overlaps a name ("the Kremlin spokesman" holds "Kremlin")
        k = sentence_of(start)
        if form == "pronoun":
            actor = _pronoun_antecedent(text, start, end, word, k, sentences, chain, actors, gender)
        else:
            if _in_apposition(text, start, mentions):
                continue
            actor = _description_antecedent(word, modifiers or [], start, k, sentences, chain, actors, roles)
        if actor is None:
            continue
        added.append(Mention(start, end, text[start:end], actor, "coreference"))
        bisect.insort(chain, (start, actor))
        if form == "pronoun" and word in _MALE | _FEMALE and actors[actor].kind == "person":
            gender.setdefault(actor, "m" if word in _MALE else "f")
    if not added:
        return mentions
    return sorted(mentions + added, key=lambda m: m.start)


def _window(chain, start: int, lo: int) -> list[int]:
    """Actors mentioned in [lo, start), most recent last."""
    i = bisect.bisect_left(chain, (lo, -1))
    j = bisect.bisect_left(chain, (start, -1))
    return [a for _, a in chain[i:j]]


def _pronoun_antecedent(text, start, end, word, k, sentences, chain, actors, gender) -> int | None:
    if word in _NEUTER:
        follow = re.match(r"\s*([\w'\u2019]+)\s*([\w'\u2019]*)", text[end : end + 40])
        nxt = follow.group(1).lower() if follow else ""
        progressive = nxt in _PLEONASTIC_FOLLOW and follow.group(2).lower().endswith("ing")  # "it was reviewing"
        if word == "it" and not progressive and (nxt in _PLEONASTIC_FOLLOW or nxt not in _SUBJECT_FOLLOW):
            return None  # "it is hard to say", "dedicated it to": not an actor
        if word == "itself":
            return None
        kinds = ("organization", "country")
    elif word in _PLURAL:
        kinds = ("organization", "party", "group", "country")
    else:
        kinds = ("person",)
    lo = sentences[max(0, k - 1)].start
    seen = []
    for a in _window(chain, start, lo):
        if actors[a].kind not in kinds or a in seen:
            continue
        if word in _MALE and gender.get(a) == "f" or word in _FEMALE and gender.get(a) == "m":
            continue
        seen.append(a)
    return seen[0] if len(seen) == 1 else None


def _description_antecedent(role, modifiers, start, k, sentences, chain, actors, roles) -> int | None:
    kind = _ROLE_KINDS[role]
    mods = {m.lower() for m in modifiers}
    if kind == "person":
        everyone = list(dict.fromkeys(a for a in _window(chain, start, 0) if actors[a].kind == "person"))
        # the roles an actor was introduced with decide first: "the chancellor", "the Turkish leader"
        want = mods | ({role} if role not in ("leader", "candidate") else set())
        if want:
            fits = [a for a in everyone if want <= roles.get(a, set())]
            if len(fits) == 1:
                return fits[0]
            if fits or mods:
                return None
        near = list(dict.fromkeys(a for a in _window(chain, start, sentences[max(0, k - 1)].start)))
        people = [a for a in near if actors[a].kind == "person"]
        return people[0] if len(people) == 1 and not roles.get(people[0]) else None
    if role == "alliance":
        fits = [a for a in dict.fromkeys(_window(chain, start, 0)) if actors[a].name.lower() in _ALLIANCES]
        return fits[0] if len(fits) == 1 else None
    if role == "bloc":
        fits = [a for a in dict.fromkeys(_window(chain, start, 0)) if actors[a].name.lower() in _BLOCS]
        return fits[0] if len(fits) == 1 else None
    lo = sentences[max(0, k - 2)].start
    near = [a for a in dict.fromkeys(_window(chain, start, lo)) if actors[a].kind == kind]
    if mods:
        near = [a for a in near if mods & set(actors[a].name.lower().split())]
    return near[0] if len(near) == 1 else None


def _in_apposition(text: str, start: int, mentions) -> bool:
    """ "Dmitry Peskov, the Kremlin spokesman": the description is the name's apposition, not a new mention."""
    before = text[max(0, start - 3) : start]
    if not before.endswith(", "):
        return False
    return any(m.end == start - 2 for m in mentions)


def _introductions(text: str, mentions, actors) -> tuple[dict[int, set[str]], dict[int, str]]:
    """Role words each person actor was introduced with (title before, apposition after), and gender cues."""
    roles: dict[int, set[str]] = {}
    gender: dict[int, str] = {}
    for m in mentions:
        if actors[m.actor].kind != "person":
            continue
        words: set[str] = set()
        before = _TITLE_WORD.search(text[max(0, m.start - 60) : m.start])
        if before:
            words |= {w.lower() for w in before.group(1).split()}
        # the mention's own leading title words ("President Emmanuel Macron" tagged whole)
        words |= {w.lower() for w in m.text.split()[:-1] if w.lower() in _TITLE_LOOKUP}
        after = _APPOSITION.match(text[m.end : m.end + 80])
        if after:
            words |= {w.lower().rstrip("'\u2019s") for w in after.group(1).split()}
        words = {w for w in words if w in _TITLE_LOOKUP or w[:1].isalpha()}
        if words:
            roles.setdefault(m.actor, set()).update(_normalise_roles(words))
            for w in words:
                if w in _GENDERED_TITLES:
                    gender.setdefault(m.actor, _GENDERED_TITLES[w])
    return roles, gender


_TITLE_LOOKUP = frozenset(_ROLE_KINDS) | frozenset(_GENDERED_TITLES) | frozenset(["prime", "secretary", "general"])


def _normalise_roles(words: set[str]) -> set[str]:
    out = set(words)
    if {"prime", "minister"} <= words:
        out.add("prime minister")
    if {"secretary", "general"} <= words:
        out.add("secretary general")
    if {"chief", "executive"} <= words:
        out.add("chief executive")
    return out
