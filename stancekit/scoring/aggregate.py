"""Per-document and per-actor corpus aggregates, computed from the written parts at the end."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from stancekit.labels import STANCE_LABELS


def _read(folder: Path):
    import pyarrow.dataset as ds

    files = sorted(p for p in folder.glob("part-*") if p.suffix in (".parquet", ".jsonl"))
    if not files:
        return []
    if files[0].suffix == ".parquet":
        for f in files:
            yield from ds.dataset(str(f), format="parquet").to_table().to_pylist()
    else:
        import json

        for f in files:
            with f.open("r", encoding="utf-8") as fh:
                for line in fh:
                    yield json.loads(line)


def aggregate(out: Path, fmt: str) -> dict[str, int]:
    """Write documents, document_actors and actors tables; return their row counts."""
    docs: dict[str, dict] = {}
    for r in _read(out / "sentences"):
        d = docs.setdefault(r["doc_id"], {"doc_id": r["doc_id"], "sentences": 0, "editorial_sentences": 0})
        d["sentences"] += 1
        d["editorial_sentences"] += int(bool(r["editorial"]))
    per_doc_actor: dict[tuple[str, str], dict] = {}
    corpus: dict[str, dict] = {}
    for r in _read(out / "stances"):
        key = (r["doc_id"], r["actor"])
        a = per_doc_actor.setdefault(
            key,
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
        c = corpus.setdefault(
            r["actor"],
            {
                "actor": r["actor"],
                "actor_kind": r["actor_kind"],
                "mentions": 0,
                **{lab: 0 for lab in STANCE_LABELS},
                "score_sum": 0.0,
                "docs": set(),
            },
        )
        c["mentions"] += 1
        c[r["label"]] += 1
        c["score_sum"] += r["p_positive"] - r["p_negative"]
        c["docs"].add(r["doc_id"])
    actors_per_doc: dict[str, int] = defaultdict(int)
    doc_actor_rows = []
    for a in per_doc_actor.values():
        actors_per_doc[a["doc_id"]] += 1
        doc_actor_rows.append(
            {**{k: v for k, v in a.items() if k != "score_sum"}, "mean_score": a["score_sum"] / a["mentions"]}
        )
    doc_rows = [
        {
            **d,
            "editorial_share": d["editorial_sentences"] / d["sentences"] if d["sentences"] else 0.0,
            "actors": actors_per_doc.get(d["doc_id"], 0),
        }
        for d in docs.values()
    ]
    actor_rows = [
        {
            "actor": c["actor"],
            "actor_kind": c["actor_kind"],
            "mentions": c["mentions"],
            "documents": len(c["docs"]),
            **{f"share_{lab}": c[lab] / c["mentions"] for lab in STANCE_LABELS},
            "mean_score": c["score_sum"] / c["mentions"],
        }
        for c in sorted(corpus.values(), key=lambda c: -c["mentions"])
    ]
    for name, rows in (("documents", doc_rows), ("document_actors", doc_actor_rows), ("actors", actor_rows)):
        _write_table(out / name, rows, fmt)
    return {"documents": len(doc_rows), "document_actors": len(doc_actor_rows), "actors": len(actor_rows)}


def _write_table(stem: Path, rows: list[dict], fmt: str) -> None:
    from stancekit.scoring.writer import _atomic_write_bytes

    if fmt == "jsonl":
        import json

        _atomic_write_bytes(
            stem.with_suffix(".jsonl"), "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode()
        )
    else:
        import io

        import pyarrow as pa
        import pyarrow.parquet as pq

        buf = io.BytesIO()
        pq.write_table(pa.Table.from_pylist(rows), buf)
        _atomic_write_bytes(stem.with_suffix(".parquet"), buf.getvalue())
