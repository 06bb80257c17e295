"""Records from any input: JSONL, CSV, Parquet, a folder of .txt files, a DataFrame, a Dataset.

Every record carries where it came from (source, line or row), so a bad one can be reported
precisely, and a stable document id (the id column, or ``<source>:<line>`` when absent).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from stancekit.errors import InputError


@dataclass(slots=True)
class Record:
    source: str
    location: int  # line (JSONL, CSV) or row (Parquet, DataFrame, Dataset); 0 for a .txt file
    doc_id: str
    text: str | None  # None when the record is bad
    error: str | None = None


def _make(source: str, loc: int, rec, text_column: str, id_column: str | None) -> Record:
    default_id = f"{source}:{loc}"
    if not isinstance(rec, dict):
        return Record(source, loc, default_id, None, "record is not an object")
    doc_id = default_id
    if id_column:
        value = rec.get(id_column)
        if value is None or (isinstance(value, str) and not value.strip()):
            return Record(source, loc, default_id, None, f"missing id column {id_column!r}")
        doc_id = str(value)
    if text_column not in rec:
        return Record(source, loc, doc_id, None, f"missing text column {text_column!r}")
    text = rec[text_column]
    if not isinstance(text, str):
        return Record(source, loc, doc_id, None, f"text column {text_column!r} is {type(text).__name__}, not a string")
    return Record(source, loc, doc_id, text)


def _jsonl(path: Path, text_column: str, id_column: str | None) -> Iterator[Record]:
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield Record(path.name, lineno, f"{path.name}:{lineno}", None, f"undecodable bytes at {exc.start}")
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Record(path.name, lineno, f"{path.name}:{lineno}", None, f"malformed JSON ({exc.msg})")
                continue
            yield _make(path.name, lineno, rec, text_column, id_column)


def _csv(path: Path, text_column: str, id_column: str | None) -> Iterator[Record]:
    csv.field_size_limit(sys.maxsize)
    with path.open("r", encoding="utf-8", errors="surrogateescape", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t" if path.suffix.lower() == ".tsv" else ",")
        for rec in reader:
            r = _make(path.name, reader.line_num, rec, text_column, id_column)
            if r.text is not None:
                try:
                    r.text.encode("utf-8")
                except UnicodeEncodeError:
                    r = Record(r.source, r.location, r.doc_id, None, "undecodable bytes")
            yield r


def _parquet(path: Path, text_column: str, id_column: str | None) -> Iterator[Record]:
    import pyarrow.parquet as pq

    row = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
        for rec in batch.to_pylist():
            row += 1
            yield _make(path.name, row, rec, text_column, id_column)


def _txt_folder(folder: Path) -> Iterator[Record]:
    for path in sorted(folder.rglob("*.txt")):
        rel = str(path.relative_to(folder))
        try:
            yield Record(rel, 0, rel, path.read_bytes().decode("utf-8"))
        except UnicodeDecodeError as exc:
            yield Record(rel, 0, rel, None, f"undecodable bytes at {exc.start}")


def _rows(name: str, rows, text_column: str, id_column: str | None) -> Iterator[Record]:
    for i, rec in enumerate(rows, start=1):
        yield _make(name, i, rec, text_column, id_column)


def iter_records(inputs, text_column: str = "text", id_column: str | None = None) -> Iterator[Record]:
    """Records of all inputs in order (a path, a DataFrame, a Dataset, or a list of these)."""
    items = inputs if isinstance(inputs, list | tuple) else [inputs]
    for item in items:
        if isinstance(item, str | Path):
            path = Path(item)
            if path.is_dir():
                yield from _txt_folder(path)
            elif not path.is_file():
                raise InputError(f"input {path} does not exist")
            elif path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
                yield from _jsonl(path, text_column, id_column)
            elif path.suffix.lower() in (".csv", ".tsv"):
                yield from _csv(path, text_column, id_column)
            elif path.suffix.lower() == ".parquet":
                yield from _parquet(path, text_column, id_column)
            elif path.suffix.lower() == ".txt":
                yield from _txt_folder_file(path)
            else:
                raise InputError(
                    f"input {path}: unknown format {path.suffix!r} (jsonl, csv, tsv, parquet, txt, folder)"
                )
        elif type(item).__name__ == "DataFrame":
            yield from _rows("dataframe", item.to_dict("records"), text_column, id_column)
        elif type(item).__name__ in ("Dataset", "IterableDataset"):
            yield from _rows("dataset", item, text_column, id_column)
        else:
            raise InputError(f"unsupported input of type {type(item).__name__}")


def _txt_folder_file(path: Path) -> Iterator[Record]:
    try:
        yield Record(path.name, 0, path.name, path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        yield Record(path.name, 0, path.name, None, f"undecodable bytes at {exc.start}")


def count_records(inputs) -> int | None:
    """A cheap total for the progress bar (lines of text files, rows of tables), or None."""
    items = inputs if isinstance(inputs, list | tuple) else [inputs]
    total = 0
    for item in items:
        if isinstance(item, str | Path):
            path = Path(item)
            if path.is_dir():
                total += sum(1 for _ in path.rglob("*.txt"))
            elif path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
                with path.open("rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            elif path.suffix.lower() == ".parquet":
                import pyarrow.parquet as pq

                total += pq.ParquetFile(path).metadata.num_rows
            else:
                return None
        elif hasattr(item, "__len__"):
            total += len(item)
        else:
            return None
    return total
