"""Per-document and per-actor corpus aggregates, computed from the written parts at the end.

A document's sentences and stances are always in the same chunk, so ``sentences/part-k`` and
``stances/part-k`` hold everything about the documents of chunk ``k``: the per-document tables are
computed one part at a time and streamed to disk, and only the corpus table (one row per actor)
is held in memory. Memory stays bounded whatever the size of the corpus.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from stancekit.labels import STANCE_LABELS


def _parts(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("part-*") if p.suffix in (".parquet", ".jsonl"))


def _rows(path: Path) -> list[dict]:
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.read_table(path).to_pylist()
    import json

    with path.open("r", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def _schemas():
    import pyarrow as pa

    counts = [pa.field(lab, pa.int64()) for lab in STANCE_LABELS]
    documents = pa.schema(
        [
            ("doc_id", pa.string()),
            ("sentences", pa.int64()),
            ("editorial_sentences", pa.int64()),
            ("editorial_share", pa.float64()),
            ("actors", pa.int64()),
        ]
    )
    document_actors = pa.schema(
        [
            ("doc_id", pa.string()),
            ("actor", pa.string()),
            ("actor_kind", pa.string()),
            ("mentions", pa.int64()),
            *counts,
            ("mean_score", pa.float64()),
        ]
    )
    actors = pa.schema(
        [
            ("actor", pa.string()),
            ("actor_kind", pa.string()),
            ("mentions", pa.int64()),
            ("documents", pa.int64()),
            *[pa.field(f"share_{lab}", pa.float64()) for lab in STANCE_LABELS],
            ("mean_score", pa.float64()),
        ]
    )
    return {"documents": documents, "document_actors": document_actors, "actors": actors}


class _TableSink:
    """Rows appended batch by batch to ``stem``.parquet / .jsonl, renamed into place on success."""

    def __init__(self, stem: Path, fmt: str, schema) -> None:
        self.path = stem.with_suffix(".jsonl" if fmt == "jsonl" else ".parquet")
        self.tmp = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}")
        self.schema = schema
        self.rows = 0
        if fmt == "jsonl":
            self._fh = self.tmp.open("w", encoding="utf-8")
            self._pq = None
        else:
            import pyarrow.parquet as pq

            self._fh = None
            self._pq = pq.ParquetWriter(str(self.tmp), schema)

    def write(self, rows: list[dict]) -> None:
        if not rows:
            return
        self.rows += len(rows)
        if self._pq is not None:
            import pyarrow as pa

            self._pq.write_table(pa.Table.from_pylist(rows, schema=self.schema))
        else:
            import json

            self._fh.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))

    def close(self) -> None:
        if self._pq is not None:
            self._pq.close()
        else:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()
        os.replace(self.tmp, self.path)


def _chunk_tables(sentences: list[dict], stances: list[dict]) -> tuple[list[dict], list[dict]]:
    """The documents rows of one chunk, and its (document, actor) tallies with their score sums."""
    docs: dict[str, dict] = {}
    for r in sentences:
        d = docs.setdefault(r["doc_id"], {"doc_id": r["doc_id"], "sentences": 0, "editorial_sentences": 0})
        d["sentences"] += 1
        d["editorial_sentences"] += int(bool(r["editorial"]))
    per_doc_actor: dict[tuple[str, str], dict] = {}
    for r in stances:
        a = per_doc_actor.setdefault(
            (r["doc_id"], r["actor"]),
            {
                "doc_id": r["doc_id"],
                "actor": r["actor"],
                "actor_kind": r["actor_kind"],
                "mentions": 0,
                **{lab: 0 for lab in STANCE_LABELS},
                "score_sum": 0.0,
            },
        )
        a["mentions"] += 1
        a[r["label"]] += 1
        a["score_sum"] += r["p_positive"] - r["p_negative"]
    actors_per_doc: dict[str, int] = {}
    for a in per_doc_actor.values():
        actors_per_doc[a["doc_id"]] = actors_per_doc.get(a["doc_id"], 0) + 1
    doc_rows = [
        {
            **d,
            "editorial_share": d["editorial_sentences"] / d["sentences"] if d["sentences"] else 0.0,
            "actors": actors_per_doc.get(d["doc_id"], 0),
        }
        for d in docs.values()
    ]
    return doc_rows, list(per_doc_actor.values())


def _doc_actor_row(tally: dict) -> dict:
    row = {k: v for k, v in tally.items() if k != "score_sum"}
    row["mean_score"] = tally["score_sum"] / tally["mentions"]
    return row


def _chunks(out: Path) -> Iterator[tuple[list[dict], list[dict]]]:
    sentence_parts = {p.stem: p for p in _parts(out / "sentences")}
    stance_parts = {p.stem: p for p in _parts(out / "stances")}
    for stem in sorted(sentence_parts.keys() | stance_parts.keys()):
        sentences = _rows(sentence_parts[stem]) if stem in sentence_parts else []
        stances = _rows(stance_parts[stem]) if stem in stance_parts else []
        yield sentences, stances


def aggregate(out: Path, fmt: str) -> dict[str, int]:
    """Write documents, document_actors and actors tables; return their row counts."""
    schemas = _schemas()
    sinks = {name: _TableSink(out / name, fmt, schemas[name]) for name in ("documents", "document_actors")}
    corpus: dict[str, dict] = {}
    for sentences, stances in _chunks(out):
        doc_rows, tallies = _chunk_tables(sentences, stances)
        sinks["documents"].write(doc_rows)
        sinks["document_actors"].write([_doc_actor_row(a) for a in tallies])
        for a in tallies:  # a document's rows for an actor are all in its chunk: one tally per document
            c = corpus.setdefault(
                a["actor"],
                {
                    "actor": a["actor"],
                    "actor_kind": a["actor_kind"],
                    "mentions": 0,
                    **{lab: 0 for lab in STANCE_LABELS},
                    "score_sum": 0.0,
                    "documents": 0,
                },
            )
            c["mentions"] += a["mentions"]
            for lab in STANCE_LABELS:
                c[lab] += a[lab]
            c["score_sum"] += a["score_sum"]
            c["documents"] += 1
    for sink in sinks.values():
        sink.close()
    actor_rows = [
        {
            "actor": c["actor"],
            "actor_kind": c["actor_kind"],
            "mentions": c["mentions"],
            "documents": c["documents"],
            **{f"share_{lab}": c[lab] / c["mentions"] for lab in STANCE_LABELS},
            "mean_score": c["score_sum"] / c["mentions"],
        }
        for c in sorted(corpus.values(), key=lambda c: -c["mentions"])
    ]
    actors = _TableSink(out / "actors", fmt, schemas["actors"])
    actors.write(actor_rows)
    actors.close()
    return {
        "documents": sinks["documents"].rows,
        "document_actors": sinks["document_actors"].rows,
        "actors": len(actor_rows),
    }
