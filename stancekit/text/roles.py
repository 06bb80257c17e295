"""Mention roles: does a name found in the text stand for an actor here, or for a place, a title or a thing?

Why cheap text cues and not a parser: the segmenter runs spaCy without tagger or parser for speed, and the
cues that decide these cases are local (the preposition before a name, the word after it, capitalisation of
the line). Every check looks at a bounded window around the mention, never at the whole text.

- places used as places are not actors ("in Paris", "from Madrid to Lisbon", "the Israel-Lebanon border",
  datelines such as "BERLIN —"); the same names used as agents are ("Paris said", "Washington's support");
- a nationality adjective stands for its state only before a word for the state acting ("Russian forces",
  "the Turkish government"), never inside a title ("German Chancellor ...") or on plain objects ("a British
  warship", "Japanese carmakers");
- title words ("Defense", "Interior" from "Defense Secretary"), products ("iPad"), events ("the Olympics") and
  fragments of headlines are never actors.
"""

from __future__ import annotations

import re


def _words(line: str) -> list[str]:
    return line.split()


#: Words that, before a name, make it a location: "in Paris", "across Bavaria".
LOCATIVE_PREPOSITIONS = frozenset(
    _words(
        "in at near across throughout outside inside around within into via through towards toward "
        "off onto along beyond between"
    )
)
#: "to"/"from" make a place only after a word of movement ("flew from Madrid", "fled to Lebanon").
MOTION_WORDS = frozenset(
    _words(
        "flew fly flies flying travel travels travelled traveled travelling traveling arrived arrive arrives "
        "returned return returns fled flee flees moved move moves drove drive sailed sail shipped ship exports "
        "export imports import trip trips visit visits flight flights journey road roads route routes train "
        "trains way came come comes went go goes going headed head heads back deported migrants refugees "
        "pipeline pipelines border crossing bus buses miles kilometres kilometers km"
    )
)
#: Verbs whose object is a place: "visit Montreal".
VISIT_VERBS = frozenset(_words("visit visits visited visiting toured tour touring"))
#: Nouns after a name that make the name a location modifier: "the Israel-Lebanon border".
PLACE_HEADS = frozenset(
    _words(
        "border borders frontier coast coastline region province city capital airport port sea river valley "
        "countryside streets street suburbs outskirts mountains desert"
    )
)
#: Nouns after a state or city name that make the name a modifier: "the Iowa caucuses", "a Texas senator".
MODIFIER_HEADS = frozenset(
    _words(
        "caucus caucuses primary primaries voters voter senator senators governor congressman congresswoman "
        "representative race races attack attacks shooting shootings residents resident delegation delegates "
        "contest election elections result results rally debate district county native natives born based "
        "lawmakers legislature democrats republicans"
    )
)
#: Spatial nouns before "of": "parts of Austria", "the north of England".
SPATIAL_OF = frozenset(
    _words(
        "parts part north south east west centre center outskirts city capital region regions streets coast "
        "rest heart edge interior provinces cities towns villages corner corners"
    )
)
#: Words after a nationality adjective that make it the state acting: "Russian forces".
STATE_AGENT_NOUNS = frozenset(
    _words(
        "hacking hackers interference meddling campaign interests influence involvement policy policies "
        "threat threats agents spies propaganda disinformation backing pressure demands "
        "government governments forces force troops army military navy officials official authorities "
        "negotiators negotiator diplomats diplomat ministry ministries embassy embassies strikes strike "
        "airstrikes bombing bombings bombardment attack attacks shelling soldiers police regime administration "
        "state leadership delegation delegations intelligence envoy envoys sanctions courts court parliament "
        "cabinet invasion occupation offensive aggression spokesman spokeswoman spokesperson side"
    )
)
#: Capitalised words that make a preceding name part of a title: "German Chancellor", "Defense Secretary".
TITLE_WORDS = frozenset(
    _words(
        "president vice prime minister ministers secretary chancellor premier king queen prince princess "
        "ambassador envoy general admiral senator governor mayor leader chief spokesman spokeswoman "
        "commissioner chairman chairwoman ceo judge justice deputy foreign defense defence interior home health "
        "finance economy justice treasury state opposition army navy"
    )
)
#: Government portfolio words that spaCy tags ORG on their own ("Defense" of "Defense Secretary").
PORTFOLIO_WORDS = frozenset(
    _words(
        "defense defence interior foreign health finance economy economic treasury justice home education "
        "energy environment transport labor labour trade commerce agriculture culture state"
    )
)
#: Last words that make an ORG-tagged name an event, a law or a work, never an actor.
THING_HEADS = frozenset(
    _words(
        "olympics games cup championship championships festival summit conference act treaty accord accords "
        "agreement war prize awards award expo marathon tour"
    )
)

_WORD_BEFORE = re.compile(r"([A-Za-z][\w.'\u2019-]*)\W*$")
_WORD_AFTER = re.compile(r"^\W*?([A-Za-z][\w'\u2019-]*)")
_WORDS_AFTER = re.compile(r"[A-Za-z][\w'\u2019-]*")
_COORDINATED = re.compile(
    r"\b([A-Za-z]+)\s+[A-Z][\w'\u2019-]*(?:\s+[A-Z][\w'\u2019-]*)*\s*(?:,\s*(?:and|or)?|and|or)\s*$"
)
_DATELINE_CREDIT = re.compile(r"^[A-Z][A-Z .,'-]+\($")
_DATELINE_END = re.compile(r"^[ \t]*(?:\([^)\n]{1,40}\)[ \t]*)?(?:[\u2014\u2013-]|,\s*[A-Z][a-z]{2,9}\.?\s+\d)")


def word_before(text: str, start: int) -> str:
    """The word just before ``start`` (lowercase), skipping spaces and punctuation, within 40 chars."""
    m = _WORD_BEFORE.search(text[max(0, start - 40) : start])
    return m.group(1).lower() if m else ""


def words_after(text: str, end: int, n: int = 2) -> list[str]:
    """Up to ``n`` words after ``end`` (original case), within 60 chars; stops at sentence punctuation."""
    window = text[end : end + 60]
    cut = re.search(r"[.;:!?\n]", window)
    if cut:
        window = window[: cut.start()]
    return _WORDS_AFTER.findall(window)[:n]


def is_possessive(text: str, end: int) -> bool:
    return text[end : end + 2] in ("'s", "\u2019s") or text[end - 2 : end] in ("'s", "\u2019s")


def is_dateline(text: str, start: int, end: int) -> bool:
    """A place at the start of a line followed by a dash or a date: "ISTANBUL —", "WARSAW, March 3 —"."""
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        # the agency credit of a dateline: "NEW DELHI (Reuters) -"
        return bool(_DATELINE_CREDIT.match(text[line_start:start])) and text[end : end + 1] == ")"
    return bool(_DATELINE_END.match(text[end : end + 50]))


def is_place_use(text: str, start: int, end: int) -> bool:
    """True when the name at ``start:end`` is used as a location, not as an agent."""
    if is_possessive(text, end):
        return False  # "Washington's support", "in Moscow's view"
    if is_dateline(text, start, end):
        return True
    if text[end : end + 1] in "-\u2013" and text[end + 1 : end + 2].isupper():
        return True  # "the Israel-Lebanon border"
    if text[start - 1 : start] in "-\u2013" and start > 1 and text[start - 2 : start - 1].isalpha():
        return True
    after = words_after(text, end, 1)
    if after and after[0].lower() in PLACE_HEADS and after[0].islower():
        return True
    before = word_before(text, start)
    if before == "the":  # "in the Netherlands", "a hotel on the Bosphorus"
        at = text.rfind("the", max(0, start - 8), start)
        before = word_before(text, at) if at >= 0 else ""
        if before == "on":
            return True
    if before in LOCATIVE_PREPOSITIONS or before in VISIT_VERBS:
        return True
    if before in ("and", "or") or text[max(0, start - 2) : start].strip() == ",":
        m = _COORDINATED.search(text[max(0, start - 80) : start])
        if m and (m.group(1).lower() in LOCATIVE_PREPOSITIONS or m.group(1).lower() in VISIT_VERBS):
            return True  # "in Florence and Venice", "visit Lyon, Nice"
    if before in ("to", "from"):
        gap = text[max(0, start - 60) : start]
        prev = _WORD_BEFORE.search(gap[: gap.lower().rfind(before)].rstrip())
        return bool(prev and prev.group(1).lower() in MOTION_WORDS) or _from_to(text, start, before)
    if before == "of":
        gap = text[max(0, start - 60) : start]
        prev = _WORD_BEFORE.search(gap[: gap.rfind("of")].rstrip())
        return bool(prev and prev.group(1).lower() in SPATIAL_OF)
    return False


def _from_to(text: str, start: int, prep: str) -> bool:
    """ "from X to Y": both are places."""
    if prep == "from":
        return bool(re.match(r"[\w .'-]{1,40}?\bto\s+[A-Z]", text[start : start + 60]))
    return bool(re.search(r"\bfrom\s+[A-Z][\w .'-]{1,40}$", text[max(0, start - 60) : start - 3]))


def is_modifier_use(text: str, end: int) -> bool:
    """A place name before a noun it qualifies ("the Iowa caucuses", "a Texas senator") is no actor."""
    after = words_after(text, end, 1)
    return bool(after) and after[0].lower() in MODIFIER_HEADS and (after[0].islower() or after[0].istitle())


def demonym_stands_for_state(text: str, start: int, end: int) -> bool:
    """A nationality adjective is its state only before a word for the state acting ("Russian forces")."""
    after = words_after(text, end, 5)
    while len(after) >= 2 and after[0] in ("and", "or") and after[1][:1].isupper():
        after = after[2:]  # "Russian and Ukrainian negotiators"
    if not after:
        return False
    if after[0][:1].isupper():
        return False  # "German Chancellor Olaf Scholz", "French Foreign Minister"
    for w in after[:2]:
        if w.lower() in STATE_AGENT_NOUNS:
            return True
        if not w.islower():
            break
    return False


def is_title_or_thing(surface: str, text: str, end: int) -> bool:
    """Title words ("Defense" of "Defense Secretary"), products ("iPad") and events are never actors."""
    words = surface.split()
    if not words:
        return True
    if all(w.lower().strip(".") in PORTFOLIO_WORDS or w.lower().strip(".") in TITLE_WORDS for w in words):
        return True
    after = words_after(text, end, 1)
    if len(words) == 1 and words[0].lower() in PORTFOLIO_WORDS and after and after[0].lower() in TITLE_WORDS:
        return True
    if surface[:1].islower() and any(c.isupper() for c in surface[1:]):
        return True  # "iPad", "eBay"-like product names
    return words[-1].lower() in THING_HEADS


_HEADLINE_WORD = re.compile(r"[A-Za-z][\w'\u2019-]*")


def headline_lines(text: str) -> list[tuple[int, int]]:
    """Spans of lines that look like headlines: several words, mostly Title Case, no final full stop."""
    out = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped and stripped[-1] not in '.!?"\u201d:' and len(stripped) < 160:
            words = [w for w in _HEADLINE_WORD.findall(stripped) if len(w) > 3]
            if len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.75 * len(words):
                out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


#: Title-Case words that end a name inside a headline: its verbs and linking words ("Meloni Wins Backing").
HEADLINE_BREAKS = frozenset(
    _words(
        "says say said calls call wins win faces face slams slam blasts blast urges urge vows vow warns warn "
        "backs back rejects reject meets meet hits hit takes take gets get signs sign seeks seek picks pick "
        "selects select throws throw threatens threaten accuses accuse denies deny defends defend launches "
        "launch announces announce claims claim leaves leave quits quit resigns resign halts halt passes pass "
        "leads lead loses lose beats beat joins join plans plan pushes push opens open sues sue rips rip mocks "
        "mock praises praise attacks attack admits admit tells tell asks ask orders order names name nominates "
        "endorses endorse drops drop strikes strike shocks shock surges surge falls fall rises rise clash "
        "clashes ends end stalls stall collapses collapse fails fail soars soar plunges plunge sparks spark "
        "fuels fuel boosts boost cuts cut raises raise hikes hike bans ban blocks block "
        "is are was were will to over amid after against for with from as on "
        "in at into under of and or but by vs versus"
    )
)


def trim_headline_name(surface: str) -> str | None:
    """A name cut at the first headline verb or linking word: "Meloni Wins" -> "Meloni"; None when nothing
    name-like is left ("Strikes Halt" -> "Strikes": a lone plural is a noun, not a name)."""
    words = surface.split()
    for i, w in enumerate(words[1:], 1):
        if w.lower() in HEADLINE_BREAKS:
            kept = words[:i]
            if len(kept) == 1 and kept[0].endswith("s"):
                return None
            return " ".join(kept)
    return surface
