"""Per-document, per-actor, per-source and per-group tables, computed from the written parts at the end.

A document's sentences, stances and index row are always in the same chunk, so part ``k`` of each
table holds everything about the documents of chunk ``k``: the per-document tables are computed one
part at a time and streamed to disk; the corpus tables (one row per actor, per holder and target) are
held in memory, and ``groups`` keeps one small tally per (document, actor, holder kind).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from stancekit.errors import OutputError
from stancekit.labels import STANCE_LABELS
from stancekit.results import HOLDER_KINDS
from stancekit.schemas import (
    actor_schema,
    document_actor_schema,
    document_schema,
    group_schema,
    registry_schema,
    source_schema,
)
from stancekit.scoring.groups import GroupTally, doc_keys, key_name


def parts(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("part-*") if p.suffix in (".parquet", ".jsonl"))


def read_rows(path: Path) -> list[dict]:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    with path.open("r", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


class TableSink:
    """Rows appended batch by batch to ``stem``.parquet / .jsonl, renamed into place on success."""

    def __init__(self, stem: Path, fmt: str, schema) -> None:
        self.path = stem.with_suffix(".jsonl" if fmt == "jsonl" else ".parquet")
        self.tmp = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
        self.schema = schema
        self.rows = 0
        try:
            if fmt == "jsonl":
                self._fh = self.tmp.open("w", encoding="utf-8")
                self._pq = None
            else:
                import pyarrow.parquet as pq

                self._fh = None
                self._pq = pq.ParquetWriter(str(self.tmp), schema)
        except OSError as exc:
            self.tmp.unlink(missing_ok=True)
            raise OutputError(f"cannot write {self.path}: {exc.strerror or exc}") from exc

    def write(self, rows: list[dict]) -> None:
        if not rows:
            return
        self.rows += len(rows)
        if self._pq is not None:
            import pyarrow as pa

            self._pq.write_table(pa.Table.from_pylist(rows, schema=self.schema))
        else:
            self._fh.write("".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows))

    def close(self) -> None:
        if self._pq is not None:
            self._pq.close()
        else:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        try:
            if self._pq is not None:
                self._pq.close()
            else:
                self._fh.close()
        except Exception:  # noqa: BLE001 - the write already failed; the temporary file goes either way
            pass
        self.tmp.unlink(missing_ok=True)


def _tally_row(doc_id, actor, kind, hk) -> dict:
    return {
        "doc_id": doc_id,
        "actor": actor,
        "actor_kind": kind,
        "holder_kind": hk,
        "mentions": 0,
        **{lab: 0 for lab in STANCE_LABELS},
        "score_sum": 0.0,
    }


def chunk_tables(index: list[dict], sentences: list[dict], stances: list[dict], metadata: list[str]):
    """The documents rows of one chunk, and its (document, actor, holder kind) tallies with score sums."""
    docs: dict[str, dict] = {}
    for r in index:
        docs[r["doc_id"]] = {
            "doc_id": r["doc_id"],
            "language": r.get("language"),
            "sentences": 0,
            "editorial_sentences": 0,
            **{m: r.get(m) for m in metadata},
        }
    for r in sentences:
        d = docs.setdefault(r["doc_id"], {"doc_id": r["doc_id"], "sentences": 0, "editorial_sentences": 0})
        d["sentences"] += 1
        d["editorial_sentences"] += int(bool(r["editorial"]))
    tallies: dict[tuple, dict] = {}
    for r in stances:
        hk = r.get("holder_kind") or "author"
        a = tallies.get((r["doc_id"], r["actor"], r["actor_kind"], hk))
        if a is None:
            a = tallies[(r["doc_id"], r["actor"], r["actor_kind"], hk)] = _tally_row(
                r["doc_id"], r["actor"], r["actor_kind"], hk
            )
        a["mentions"] += 1
        a[r["label"]] += 1
        a["score_sum"] += r["p_positive"] - r["p_negative"]
    actors_per_doc: dict[str, set] = {}
    for doc_id, actor, kind, _ in tallies:
        actors_per_doc.setdefault(doc_id, set()).add((actor, kind))
    for d in docs.values():
        d["editorial_share"] = d["editorial_sentences"] / d["sentences"] if d["sentences"] else 0.0
        d["actors"] = len(actors_per_doc.get(d["doc_id"], ()))
    return list(docs.values()), list(tallies.values())


def _doc_actor_row(tally: dict) -> dict:
    row = {k: v for k, v in tally.items() if k != "score_sum"}
    row["mean_score"] = round(tally["score_sum"] / tally["mentions"], 6)
    return row


def _chunks(out: Path) -> Iterator[tuple[list[dict], list[dict], list[dict]]]:
    found = {t: {p.stem: p for p in parts(out / t)} for t in ("index", "sentences", "stances")}
    for stem in sorted(set().union(*(f.keys() for f in found.values()))):
        yield tuple(read_rows(found[t][stem]) if stem in found[t] else [] for t in ("index", "sentences", "stances"))


def _registry(out: Path, known_names: Iterable[str]):
    """The corpus actor registry, rebuilt from every written stance part (so a resumed job gets the same one)."""
    from collections import Counter

    from stancekit.text.registry import ActorRegistry

    registry = ActorRegistry(known_names=known_names)
    for path in parts(out / "stances"):
        per_doc: dict[tuple, Counter] = {}
        for r in read_rows(path):
            c = per_doc.setdefault((r["doc_id"], r["actor"], r["actor_kind"]), Counter())
            c[r["mention"] if r.get("resolved") != "coreference" else r["actor"]] += 1
        for (doc_id, actor, kind), surfaces in per_doc.items():
            registry.add(doc_id, actor, kind, surfaces)
    return registry


def aggregate(
    out: Path,
    fmt: str,
    metadata: list,
    group_by: list[tuple[str, str | None]] | None = None,
    *,
    seed: int = 0,
    bootstrap: int = 1000,
    known_names: Iterable[str] = (),
) -> dict[str, int]:
    """Write documents, document_actors, actors, sources and (with ``group_by``) groups; return row counts.

    ``metadata`` are the documents' metadata fields (``pa.Field``), in order.
    """
    import pyarrow as pa

    names = [f.name for f in metadata]
    types = {f.name: f.type for f in metadata}
    key_fields = [pa.field(key_name(c, u), pa.string() if u else types.get(c, pa.string())) for c, u in group_by or []]
    groups = GroupTally([f.name for f in key_fields], seed=seed, bootstrap=bootstrap) if group_by else None
    sinks = {
        "documents": TableSink(out / "documents", fmt, document_schema(metadata)),
        "document_actors": TableSink(out / "document_actors", fmt, document_actor_schema()),
    }
    registry = _registry(out, known_names)
    canon = registry.mapping()
    by_name = {name: target for (name, _), target in canon.items()}
    try:
        corpus: dict[tuple, dict] = {}
        sources: dict[tuple, dict] = {}
        for index, sentences, stances in _chunks(out):
            for r in stances:  # one identity per actor across the corpus (the parts keep each document's names)
                r["actor"], r["actor_kind"] = canon.get((r["actor"], r["actor_kind"]), (r["actor"], r["actor_kind"]))
                if r.get("holder_kind") == "source" and r.get("holder") in by_name:
                    r["holder"] = by_name[r["holder"]][0]
            doc_rows, tallies = chunk_tables(index, sentences, stances, names)
            sinks["documents"].write(doc_rows)
            da_rows = [_doc_actor_row(a) for a in tallies]
            sinks["document_actors"].write(da_rows)
            if groups is not None:
                keys = doc_keys(doc_rows, group_by)
                for row in da_rows:
                    if row["doc_id"] in keys:
                        groups.add(keys[row["doc_id"]], row)
            seen_docs: set[tuple] = set()
            for a in tallies:
                c = corpus.setdefault(
                    (a["actor"], a["actor_kind"]),
                    {"mentions": 0, **{lab: 0 for lab in STANCE_LABELS}, "score_sum": 0.0, "docs": set()}
                    | {f"{hk}_{x}": 0 for hk in HOLDER_KINDS for x in ("mentions", "score_sum")},
                )
                c["mentions"] += a["mentions"]
                for lab in STANCE_LABELS:
                    c[lab] += a[lab]
                c["score_sum"] += a["score_sum"]
                c["docs"].add(a["doc_id"])
                if a["holder_kind"] in HOLDER_KINDS:
                    c[f"{a['holder_kind']}_mentions"] += a["mentions"]
                    c[f"{a['holder_kind']}_score_sum"] += a["score_sum"]
            for r in stances:
                holder = r.get("holder") or "author"
                key = (holder, r.get("holder_kind") or "author", r["actor"], r["actor_kind"])
                s = sources.setdefault(key, {"mentions": 0, **{lab: 0 for lab in STANCE_LABELS}, "documents": 0})
                s["mentions"] += 1
                s[r["label"]] += 1
                if (key, r["doc_id"]) not in seen_docs:
                    seen_docs.add((key, r["doc_id"]))
                    s["documents"] += 1
        for sink in sinks.values():
            sink.close()
    except BaseException:
        for sink in sinks.values():
            sink.abort()
        raise
    actor_rows = [
        {
            "actor": actor,
            "actor_kind": kind,
            "mentions": c["mentions"],
            "documents": len(c["docs"]),
            **{f"share_{lab}": c[lab] / c["mentions"] for lab in STANCE_LABELS},
            "mean_score": round(c["score_sum"] / c["mentions"], 6),
            **{
                f"{hk}_{x}": (
                    c[f"{hk}_mentions"]
                    if x == "mentions"
                    else (round(c[f"{hk}_score_sum"] / c[f"{hk}_mentions"], 6) if c[f"{hk}_mentions"] else None)
                )
                for hk in HOLDER_KINDS
                for x in ("mentions", "mean_score")
            },
        }
        for (actor, kind), c in sorted(corpus.items(), key=lambda kv: (-kv[1]["mentions"], kv[0]))
    ]
    source_rows = [
        {"holder": h, "holder_kind": hk, "actor": a, "actor_kind": k, **s}
        for (h, hk, a, k), s in sorted(sources.items(), key=lambda kv: (-kv[1]["mentions"], kv[0]))
    ]
    registry_rows = [
        {**r, "surfaces": [{"form": f, "count": n} for f, n in r["surfaces"].items()]} for r in registry.table()
    ]
    tables = {
        "actors": (actor_schema(), actor_rows),
        "sources": (source_schema(), source_rows),
        "actor_registry": (registry_schema(), registry_rows),
    }
    if groups is not None:
        tables["groups"] = (group_schema(key_fields), groups.rows())
    else:
        for f in out.glob("groups.*"):
            f.unlink()
    counts = {name: sink.rows for name, sink in sinks.items()}
    for name, (schema, rows) in tables.items():
        sink = TableSink(out / name, fmt, schema)
        try:
            sink.write(rows)
            sink.close()
        except BaseException:
            sink.abort()
            raise
        counts[name] = len(rows)
    return counts
