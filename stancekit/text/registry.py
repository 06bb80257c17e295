"""The corpus actor registry: one real actor, one canonical name and one kind across all documents.

Why: each document resolves its own actors ("Trump" in one article, "Donald Trump" in another, a surname
spaCy tagged ORG in a third); per-outlet comparisons need them to be one actor. The registry is fed
document by document, is saved as a table (so a resumed job rebuilds it exactly), and answers
``canonical(name, kind)`` from everything seen so far.

Merge rules (order-independent: the mapping is recomputed from all entries, not decided on arrival):

- names are compared case-insensitively, without a leading "the" or a possessive;
- a person's multi-word names merge when they share first and last word ("Donald Trump",
  "Donald J. Trump"), or when one ends with the other's full name after title-like words
  ("Bundeskanzler Friedrich Merz" -> "Friedrich Merz");
- a one-word name (any kind except country/party, and not a name the alias table knows) becomes the person
  whose surname it is only when exactly one person in the whole corpus has that surname: two Johnsons
  (say "Boris Johnson" and "Dustin Johnson") leave a lone "Johnson" as its own actor rather than guess;
- the canonical name is the cluster's most-mentioned multi-word form for people (longest on ties), the most
  mentioned form otherwise; the kind is person for a cluster holding a person's full name, else the kind
  with most mentions (ties: person, country, party, organization, group).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from stancekit.errors import DataError
from stancekit.text.aliases import clean_surface

_NEVER_SURNAME_KINDS = frozenset(["country", "party"])
#: ties between kinds go to the more specific one
_KIND_RANK = {"person": 5, "country": 4, "party": 3, "organization": 2, "group": 1}


@dataclass(slots=True)
class _Entry:
    """One (name, kind) as documents reported it."""

    name: str
    kind: str
    mentions: int = 0
    documents: set[str] = field(default_factory=set)
    surfaces: Counter = field(default_factory=Counter)


def _norm(name: str) -> str:
    return clean_surface(name).casefold()


class ActorRegistry:
    """Corpus-level actors built incrementally from per-document actors.

    >>> reg = ActorRegistry()
    >>> reg.add("d1", "Donald Trump", "person", {"Donald Trump": 2, "Trump": 1})
    >>> reg.add("d2", "Trump", "organization", {"Trump's": 1})
    >>> reg.canonical("Trump", "organization")
    ('Donald Trump', 'person')
    """

    def __init__(self, known_names: Iterable[str] = ()) -> None:
        self._entries: dict[tuple[str, str], _Entry] = {}
        #: names the alias table knows (countries, parties...): never read as a surname
        self._known = {_norm(n) for n in known_names}
        self._mapping: dict[tuple[str, str], tuple[str, str]] | None = None

    # ------------------------------------------------------------------ feeding
    def add(self, doc_id: str, name: str, kind: str, surfaces: Mapping[str, int] | Iterable[str] = ()) -> None:
        """Record that document ``doc_id`` names actor ``name`` of ``kind`` with these surface forms (counts)."""
        if not isinstance(name, str) or not name.strip():
            raise DataError(f"document {doc_id!r}: an actor needs a non-empty name, got {name!r}")
        key = (name, kind)
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry(name, kind)
        counts = Counter(surfaces) if not isinstance(surfaces, Mapping) else Counter(dict(surfaces))
        if not counts:
            counts[name] += 1
        entry.surfaces.update(counts)
        entry.mentions += sum(counts.values())
        entry.documents.add(str(doc_id))
        self._mapping = None

    def add_document(self, doc_id: str, document) -> None:
        """Record every actor of a :class:`~stancekit.results.Document` (surface counts from its rows).

        Pronoun rows (``resolved="coreference"``) count as mentions but not as surface forms.
        """
        counts: dict[tuple[str, str], Counter] = {}
        for sentence in document.sentences:
            for st in sentence.stances:
                c = counts.setdefault((st.actor, st.actor_kind), Counter())
                c[st.mention if st.resolved != "coreference" else ""] += 1
        for actor in document.actors:
            c = counts.get((actor.name, actor.kind)) or Counter({s: 1 for s in actor.surfaces})
            pronouns = c.pop("", 0)
            self.add(doc_id, actor.name, actor.kind, c or {actor.name: 1})
            self._entries[(actor.name, actor.kind)].mentions += pronouns

    # ------------------------------------------------------------------ answers
    def canonical(self, name: str, kind: str) -> tuple[str, str]:
        """The corpus-wide (name, kind) of a document's actor; unknown actors map to themselves."""
        return self.mapping().get((name, kind), (name, kind))

    def mapping(self) -> dict[tuple[str, str], tuple[str, str]]:
        """(document name, document kind) -> (canonical name, canonical kind), for every entry."""
        if self._mapping is None:
            self._mapping = self._resolve()
        return self._mapping

    def table(self) -> list[dict]:
        """One row per corpus actor: actor, actor_kind, surfaces (form -> count), documents, mentions, names."""
        rows: dict[tuple[str, str], dict] = {}
        for key, target in self.mapping().items():
            e = self._entries[key]
            row = rows.setdefault(
                target,
                {"actor": target[0], "actor_kind": target[1], "surfaces": Counter(), "docs": set(), "names": []},
            )
            row["surfaces"].update(e.surfaces)
            row["docs"] |= e.documents
            row["names"].append(e.name)
            row.setdefault("mentions", 0)
            row["mentions"] += e.mentions
        out = []
        for row in rows.values():
            out.append(
                {
                    "actor": row["actor"],
                    "actor_kind": row["actor_kind"],
                    "surfaces": dict(row["surfaces"].most_common()),
                    "documents": len(row["docs"]),
                    "mentions": row["mentions"],
                    "names": sorted(set(row["names"])),
                }
            )
        return sorted(out, key=lambda r: (-r["mentions"], r["actor"]))

    # ------------------------------------------------------------------ resume
    def state_rows(self) -> list[dict]:
        """Everything needed to rebuild the registry: one row per (name, kind) entry."""
        return [
            {
                "name": e.name,
                "kind": e.kind,
                "mentions": e.mentions,
                "documents": sorted(e.documents),
                "surfaces": dict(e.surfaces),
            }
            for e in self._entries.values()
        ]

    @classmethod
    def from_state_rows(cls, rows: Iterable[Mapping], known_names: Iterable[str] = (), source: str = "registry"):
        """Rebuild from :meth:`state_rows` (e.g. read back from Parquet/JSONL when a job resumes)."""
        reg = cls(known_names)
        for i, row in enumerate(rows):
            try:
                name, kind = row["name"], row["kind"]
                entry = _Entry(name, kind, int(row["mentions"]), set(row["documents"]), Counter(dict(row["surfaces"])))
            except (KeyError, TypeError, ValueError) as exc:
                raise DataError(f"malformed registry row ({exc})", path=source, line=i + 1) from exc
            if (name, kind) in reg._entries:
                raise DataError(f"duplicate registry entry {name!r} ({kind})", path=source, line=i + 1)
            reg._entries[(name, kind)] = entry
        return reg

    def state_table(self):
        """:meth:`state_rows` as an Arrow table (:func:`~stancekit.schemas.registry_state_schema`)."""
        import pyarrow as pa

        from stancekit.schemas import registry_state_schema

        rows = self.state_rows()
        for r in rows:
            r["surfaces"] = list(r["surfaces"].items())
        return pa.Table.from_pylist(rows, schema=registry_state_schema())

    @classmethod
    def from_state_table(cls, table, known_names: Iterable[str] = (), source: str = "registry"):
        """Rebuild from :meth:`state_table` (read back with ``pyarrow.parquet.read_table``)."""
        rows = table.to_pylist()
        for r in rows:
            if isinstance(r.get("surfaces"), list):
                r["surfaces"] = dict(r["surfaces"])
        return cls.from_state_rows(rows, known_names, source)

    def __len__(self) -> int:
        return len({v for v in self.mapping().values()})

    # ------------------------------------------------------------------ the rules
    def _resolve(self) -> dict[tuple[str, str], tuple[str, str]]:
        parent: dict[tuple[str, str], tuple[str, str]] = {k: k for k in self._entries}

        def find(k):
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        def union(a, b):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[rb] = ra

        # 1. same normalised name, any kind
        by_name: dict[str, tuple[str, str]] = {}
        for key in self._entries:
            n = _norm(key[0])
            if n in by_name:
                union(by_name[n], key)
            else:
                by_name[n] = key
        # 2. people's multi-word names: same (first, last), or a longer form ending with a known full name
        people = [k for k in self._entries if k[1] == "person" and len(_norm(k[0]).split()) >= 2]
        by_first_last: dict[tuple[str, str], tuple[str, str]] = {}
        full_names = {_norm(k[0]): k for k in people}
        for key in people:
            words = _norm(key[0]).split()
            fl = (words[0], words[-1])
            if fl in by_first_last:
                union(by_first_last[fl], key)
            else:
                by_first_last[fl] = key
            for i in range(1, len(words) - 1):
                tail = " ".join(words[i:])
                if tail in full_names:
                    union(full_names[tail], key)
                    break
        # 3. one-word names -> the one person with that surname (clusters, so "Donald J. Trump" counts once)
        surname_owner: dict[str, set] = {}
        for key in people:
            surname_owner.setdefault(_norm(key[0]).split()[-1], set()).add(find(key))
        for key in self._entries:
            words = _norm(key[0]).split()
            if len(words) != 1 or key[1] in _NEVER_SURNAME_KINDS or words[0] in self._known:
                continue
            owners = surname_owner.get(words[0], set())
            if len({find(o) for o in owners}) == 1:
                union(next(iter(owners)), key)
        # canonical name and kind per cluster
        clusters: dict[tuple[str, str], list[tuple[str, str]]] = {}
        for key in self._entries:
            clusters.setdefault(find(key), []).append(key)
        out: dict[tuple[str, str], tuple[str, str]] = {}
        for members in clusters.values():
            entries = [self._entries[k] for k in members]
            full_people = [e for e in entries if e.kind == "person" and len(e.name.split()) >= 2]
            if full_people:
                kind = "person"
                best = max(full_people, key=lambda e: (e.mentions, len(e.name), e.name))
            else:
                kinds = Counter()
                for e in entries:
                    kinds[e.kind] += e.mentions
                kind = max(kinds, key=lambda k: (kinds[k], _KIND_RANK.get(k, 0)))
                best = max(entries, key=lambda e: (e.kind == kind, e.mentions, len(e.name), e.name))
            for k in members:
                out[k] = (best.name, kind)
        return out
