"""Atomic part files and a manifest: a killed job resumes with no lost and no duplicated rows.

Records are cut into chunks in input order (at most ``chunk_size`` records and about
``chunk_chars`` characters; the cut depends only on the input and those two numbers). Chunk ``k`` is
written as ``sentences/part-0000k``, ``stances/part-0000k`` and ``errors/part-0000k``, each
first to a temporary name and then renamed; the manifest (also renamed into place) records
which chunks are complete. A chunk finished on disk but not yet in the manifest is simply
written again under the same names on resume, so rows can never appear twice.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from stancekit.errors import ResumeError

TABLES = ("sentences", "stances", "errors")
MANIFEST = "manifest.json"


def _atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with tmp.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def fingerprint(options: dict) -> str:
    return hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode()).hexdigest()[:16]


class PartWriter:
    """Writes chunk parts of the three tables and keeps the manifest."""

    def __init__(self, out: Path, fmt: str, options: dict, overwrite: bool) -> None:
        self.out = Path(out)
        self.fmt = fmt
        self.options = options
        self.fp = fingerprint(options)
        manifest = self.out / MANIFEST
        if manifest.exists():
            state = json.loads(manifest.read_text("utf-8"))
            if state.get("fingerprint") != self.fp and not overwrite:
                raise ResumeError(
                    f"{self.out} holds a job made with another model or other options "
                    f"({state.get('options')}); pass overwrite=True / --overwrite to start again"
                )
            if state.get("fingerprint") != self.fp or overwrite:
                self._clear()
                state = None
        else:
            if overwrite:
                self._clear()
            state = None
        self.state = state or {
            "fingerprint": self.fp,
            "options": options,
            "done_chunks": 0,
            "documents": 0,
            "sentences": 0,
            "stances": 0,
            "errors": 0,
            "complete": False,
        }
        for t in TABLES:
            (self.out / t).mkdir(parents=True, exist_ok=True)
        self._save()

    def _clear(self) -> None:
        import shutil

        for name in (*TABLES, MANIFEST, "documents", "document_actors", "actors"):
            p = self.out / name
            if p.is_dir():
                shutil.rmtree(p)
            else:
                for f in self.out.glob(name + ".*"):
                    f.unlink()
                if p.exists():
                    p.unlink()

    def _save(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        _atomic_write_bytes(self.out / MANIFEST, json.dumps(self.state, indent=1).encode())

    @property
    def done_chunks(self) -> int:
        return int(self.state["done_chunks"])

    def part_path(self, table: str, k: int) -> Path:
        ext = "jsonl" if table == "errors" or self.fmt == "jsonl" else "parquet"
        return self.out / table / f"part-{k:06d}.{ext}"

    def write_chunk(self, k: int, tables: dict[str, list[dict]], n_docs: int) -> None:
        from stancekit.results import sentence_schema, stance_schema

        schemas = {"sentences": sentence_schema(), "stances": stance_schema()}
        for table in TABLES:
            rows = tables.get(table, [])
            path = self.part_path(table, k)
            if path.suffix == ".jsonl":
                data = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows).encode("utf-8")
            else:
                import io

                import pyarrow as pa
                import pyarrow.parquet as pq

                buf = io.BytesIO()
                pq.write_table(pa.Table.from_pylist(rows, schema=schemas[table]), buf)
                data = buf.getvalue()
            _atomic_write_bytes(path, data)
        self.state["done_chunks"] = k + 1
        self.state["documents"] += n_docs
        for table in TABLES:
            self.state[table] += len(tables.get(table, []))
        self._save()

    def summary(self, seconds: float, resumed_chunks: int):
        from stancekit.scoring.job import ScoreSummary

        st = self.state
        return ScoreSummary(
            str(self.out), st["documents"], st["errors"], st["sentences"], st["stances"], seconds, resumed_chunks
        )

    def finish(self) -> None:
        self.state["complete"] = True
        self._save()
