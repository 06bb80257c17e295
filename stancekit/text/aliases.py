"""The alias table: countries, capitals, seats of government, parties and blocs.

Why a table: news names one actor many ways ("Russia", "Russian", "Moscow", "the Kremlin"),
and metonymy (a capital for its government) is the norm in political reporting. The table
ships as ``aliases.json`` beside this module; users extend or override it with a mapping of
the same shape (``{"Canonical": {"kind": "country", "aliases": ["..."]}}``).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from stancekit.errors import ActorSpecError

_ARTICLES = ("the ", "The ")
_POSSESSIVES = ("'s", "\u2019s", "'", "\u2019")


def clean_surface(surface: str) -> str:
    """Normalise a mention for lookup: trim spaces, a leading 'the', a possessive ending."""
    s = " ".join(surface.split())
    for p in _POSSESSIVES:
        if s.endswith(p) and len(s) > len(p) + 1:
            s = s[: -len(p)]
            break
    for a in _ARTICLES:
        if s.startswith(a) and len(s) > len(a):
            s = s[len(a) :]
            break
    return s.strip(" ,.;:\"'\u201c\u201d")


@dataclass(frozen=True, slots=True)
class AliasEntry:
    name: str
    kind: str


class AliasTable:
    """Maps a cleaned surface form to its canonical actor; case-sensitive whole forms."""

    def __init__(self, entries: Mapping[str, Mapping[str, object]], demonyms: Iterable[str] = ()) -> None:
        self._lookup: dict[str, AliasEntry] = {}
        self.surfaces: set[str] = set()
        #: adjective forms ("Russian"): they stand for their country only when the state acts
        self.demonyms: frozenset[str] = frozenset(demonyms)
        for name, spec in entries.items():
            if not isinstance(spec, Mapping):
                raise ActorSpecError(f"alias table entry {name!r} must be a mapping, got {type(spec).__name__}")
            kind = str(spec.get("kind", "organization"))
            aliases = spec.get("aliases", [])
            if not isinstance(aliases, list | tuple) or not all(isinstance(a, str) for a in aliases):
                raise ActorSpecError(f"alias table entry {name!r}: 'aliases' must be a list of strings")
            entry = AliasEntry(name, kind)
            for surface in (name, *aliases):
                self._lookup[clean_surface(surface)] = entry
                self.surfaces.add(surface)
        self._pattern = None

    @classmethod
    def default(cls) -> AliasTable:
        data = json.loads(resources.files("stancekit.text").joinpath("aliases.json").read_text("utf-8"))
        return cls(data["actors"], data.get("demonyms", ()))

    @classmethod
    def from_file(cls, path: str | Path) -> AliasTable:
        data = json.loads(Path(path).read_text("utf-8"))
        return cls(data.get("actors", data))

    def extended(self, entries: Mapping[str, Mapping[str, object]]) -> AliasTable:
        """A new table with ``entries`` added (they win over existing aliases)."""
        table = AliasTable({}, self.demonyms)
        other = AliasTable(entries)
        table._lookup = {**self._lookup, **other._lookup}
        table.surfaces = self.surfaces | other.surfaces
        return table

    def is_demonym(self, surface: str) -> bool:
        return clean_surface(surface) in self.demonyms

    def finditer(self, text: str):
        """Whole-word, case-sensitive matches of every alias surface in ``text``."""
        import re

        if self._pattern is None:
            alts = sorted((s for s in self.surfaces if len(s) >= 2), key=len, reverse=True)
            self._pattern = re.compile(r"(?<![\w.])(?:" + "|".join(map(re.escape, alts)) + r")(?![\w])")
        return self._pattern.finditer(text)

    def get(self, surface: str) -> AliasEntry | None:
        return self._lookup.get(clean_surface(surface))

    def __contains__(self, surface: str) -> bool:
        return clean_surface(surface) in self._lookup

    def __len__(self) -> int:
        return len(self._lookup)
