"""Atomic part files and a manifest: a killed job resumes with no lost and no duplicated rows.

Records are cut into chunks in input order (at most ``chunk_size`` records and about
``chunk_chars`` characters; the cut depends only on the input and those two numbers). Chunk ``k`` is
written as ``sentences/part-0000k``, ``stances/part-0000k``, ``errors/part-0000k`` and
``index/part-0000k``, each first to a temporary name and then renamed; the manifest (also renamed
into place) records which chunks are complete. A chunk finished on disk but not yet in the manifest
is simply written again under the same names on resume, so rows can never appear twice. A write that
fails (disk full, permissions) removes its temporary file and raises :class:`OutputError`.
"""

from __future__ import annotations

import io
import json
import os
import shutil
from pathlib import Path

from stancekit.errors import OutputError

TABLES = ("sentences", "stances", "errors", "index")
AGGREGATES = ("documents", "document_actors", "actors", "actor_registry", "sources", "groups")
MANIFEST = "manifest.json"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def remove_temp_files(out: Path) -> None:
    """Temporary files a killed job left (the caller holds the folder's lock, so none is live)."""
    for p in out.rglob(".*.tmp-*"):
        p.unlink(missing_ok=True)


def read_manifest(out: Path) -> dict | None:
    path = Path(out) / MANIFEST
    if not path.is_file():
        return None
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise OutputError(f"{path} cannot be read ({exc}); pass --overwrite / overwrite=True to start again") from exc


def holds_only_lock(out: Path) -> bool:
    """Whether ``out`` is empty but for a lock file and empty table folders (a job that never wrote)."""
    from stancekit.scoring.lock import LOCK_NAME

    for p in out.iterdir():
        if p.name == LOCK_NAME:
            continue
        if p.is_dir() and p.name in TABLES and not any(p.iterdir()):
            continue
        return False
    return True


def clear_folder(out: Path) -> None:
    """Remove what a stancekit job wrote (only called on a folder holding a stancekit manifest)."""
    for name in (*TABLES, *AGGREGATES):
        p = out / name
        if p.is_dir():
            shutil.rmtree(p)
        for f in out.glob(name + ".*"):
            f.unlink()
    (out / MANIFEST).unlink(missing_ok=True)


def _parquet_bytes(rows: list[dict], schema) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), buf)
    return buf.getvalue()


def _jsonl_bytes(rows: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows).encode("utf-8")


class PartWriter:
    """Writes chunk parts of the per-chunk tables and keeps the manifest (``state``)."""

    def __init__(self, out: Path, fmt: str, schemas: dict, state: dict) -> None:
        self.out = Path(out)
        self.fmt = fmt
        self.schemas = schemas
        self.state = state
        for t in TABLES:
            (self.out / t).mkdir(parents=True, exist_ok=True)

    def save(self) -> None:
        atomic_write_bytes(self.out / MANIFEST, json.dumps(self.state, indent=1, default=str).encode())

    @property
    def done_chunks(self) -> int:
        return int(self.state["done_chunks"])

    def part_path(self, table: str, k: int) -> Path:
        ext = "jsonl" if table == "errors" or self.fmt == "jsonl" else "parquet"
        return self.out / table / f"part-{k:06d}.{ext}"

    def write_table(self, table: str, k: int, rows: list[dict]) -> None:
        path = self.part_path(table, k)
        data = _jsonl_bytes(rows) if path.suffix == ".jsonl" else _parquet_bytes(rows, self.schemas[table])
        atomic_write_bytes(path, data)

    def write_chunk(self, k: int, tables: dict[str, list[dict]], n_docs: int) -> None:
        for table in TABLES:
            self.write_table(table, k, tables.get(table, []))
        self.state["done_chunks"] = k + 1
        self.state["documents"] += n_docs
        for table in ("sentences", "stances", "errors"):
            self.state[table] += len(tables.get(table, []))
        self.save()

    def finish(self, counts: dict) -> None:
        self.state["complete"] = True
        self.state["tables"] = counts
        self.save()
