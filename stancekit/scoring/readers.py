"""Records from any input: JSONL, a JSON array, CSV/TSV, Parquet, a folder of .txt files, a DataFrame, a Dataset.

Every record carries where it came from (source, line or row), so a bad one can be reported
precisely, a stable document id (the id column, or ``<source>:<line>`` when absent), and the
input's other columns as ``metadata``. Whatever is wrong with one record (bad bytes, a lone
surrogate, JSON nested too deep, a wrong type) becomes that record's ``error``; only a problem
with a whole input (missing file, missing column) raises, and :func:`probe` raises it before
anything is written. Files are read by :mod:`stancekit.io.records` (the rules training files follow
too); this module adds ids, text and metadata checks, folders of .txt files and in-memory tables.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from stancekit.errors import InputError
from stancekit.io.records import (
    JSON_SUFFIXES,
    TABLE_SUFFIXES,
    decode_line,
    has_bad_strings,
    is_json_array,
    read_records,
    safe_text,
    unencodable,
)


@dataclass(slots=True)
class Record:
    source: str
    location: int  # line (JSONL, CSV), item (JSON array) or row (Parquet, DataFrame, Dataset); 0 for a .txt file
    doc_id: str
    text: str | None  # None when the record is bad
    error: str | None = None
    metadata: dict = field(default_factory=dict)

    def content_hash(self) -> str:
        """A hash of the text and metadata: what ``update`` compares to find changed documents."""
        payload = json.dumps([self.text, self.metadata], sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha1(payload.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass
class ReadOptions:
    text_column: str = "text"
    id_column: str | None = None
    encoding: str = "utf-8"
    rename: dict = field(default_factory=dict)  # metadata column -> name in the output tables


def _id_value(value) -> str | None:
    """A document id from a string or an integer column (integers are written in decimal)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if type(value).__module__ == "numpy" and hasattr(value, "dtype") and value.dtype.kind in "iu":
        return str(int(value))
    return None


def make_record(source: str, loc: int, rec, opts: ReadOptions) -> Record:
    """One record checked at the boundary: nothing below it sees a bad id, text or metadata string."""
    default_id = f"{source}:{loc}"
    if not isinstance(rec, dict):
        return Record(source, loc, default_id, None, "record is not an object")
    doc_id = default_id
    if opts.id_column:
        value = rec.get(opts.id_column)
        if value is None or (isinstance(value, str) and not value.strip()):
            return Record(source, loc, default_id, None, f"missing id column {opts.id_column!r}")
        doc_id = _id_value(value)
        if doc_id is None:
            return Record(
                source, loc, default_id, None, f"id is {type(value).__name__}; ids must be strings or integers"
            )
        bad = unencodable(doc_id)
        if bad is not None:
            return Record(
                source, loc, safe_text(doc_id), None, f"id has undecodable bytes or a lone surrogate at {bad}"
            )
    if opts.text_column not in rec:
        return Record(source, loc, doc_id, None, f"missing text column {opts.text_column!r}")
    text = rec[opts.text_column]
    if not isinstance(text, str):
        return Record(
            source, loc, doc_id, None, f"text column {opts.text_column!r} is {type(text).__name__}, not a string"
        )
    bad = unencodable(text)
    if bad is not None:
        return Record(source, loc, doc_id, None, f"text has undecodable bytes or a lone surrogate at {bad}")
    metadata = {}
    for k, v in rec.items():
        if k == opts.text_column or k == opts.id_column:
            continue
        if has_bad_strings(k) or has_bad_strings(v):
            return Record(source, loc, doc_id, None, f"column {safe_text(k)!r} has undecodable bytes")
        metadata[opts.rename.get(k, k)] = v
    return Record(source, loc, doc_id, text, metadata=metadata)


def txt_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """The .txt files of a folder (any case, sorted) and the other files in it (hidden ones aside)."""
    txt, other = [], []
    for p in sorted(folder.rglob("*")):
        if not p.is_file() or any(part.startswith(".") for part in p.relative_to(folder).parts):
            continue
        (txt if p.suffix.lower() == ".txt" else other).append(p)
    return txt, other


def _txt_file(path: Path, name: str, opts: ReadOptions) -> Record:
    try:
        text = decode_line(path.read_bytes(), opts.encoding, True)
    except UnicodeDecodeError as exc:
        return Record(name, 0, safe_text(name), None, f"undecodable bytes at {exc.start} ({opts.encoding})")
    bad = unencodable(name)
    if bad is not None:
        return Record(safe_text(name), 0, safe_text(name), None, "file name has undecodable bytes")
    return Record(name, 0, name, text)


def _txt_folder(folder: Path, opts: ReadOptions) -> Iterator[Record]:
    for path in txt_files(folder)[0]:
        yield _txt_file(path, str(path.relative_to(folder)), opts)


def _file_records(path: Path, opts: ReadOptions) -> Iterator[Record]:
    for raw in read_records(path, encoding=opts.encoding):
        if raw.error is not None:
            yield Record(path.name, raw.location, f"{path.name}:{raw.location}", None, raw.error)
        else:
            yield make_record(path.name, raw.location, raw.fields, opts)


def _rows(name: str, rows, opts: ReadOptions) -> Iterator[Record]:
    for i, rec in enumerate(rows, start=1):
        yield make_record(name, i, rec, opts)


def _frame_rows(df) -> Iterator[dict]:
    import pandas as pd

    for start in range(0, len(df), 1024):
        for rec in df.iloc[start : start + 1024].to_dict("records"):
            yield {k: (None if v is pd.NaT or v is pd.NA else v) for k, v in rec.items()}


def input_items(inputs) -> list:
    items = list(inputs) if isinstance(inputs, list | tuple) else [inputs]
    return [Path(i) if isinstance(i, str | os.PathLike) else i for i in items]


def iter_records(inputs, opts: ReadOptions | str = "text", id_column: str | None = None) -> Iterator[Record]:
    """Records of all inputs in order (a path, a DataFrame, a Dataset, or a list of these)."""
    if isinstance(opts, str):
        opts = ReadOptions(text_column=opts, id_column=id_column)
    for item in input_items(inputs):
        if isinstance(item, Path):
            if item.is_dir():
                yield from _txt_folder(item, opts)
            elif not item.is_file():
                raise InputError(f"input {item} does not exist")
            elif item.suffix.lower() in (*JSON_SUFFIXES, *TABLE_SUFFIXES, ".parquet"):
                yield from _file_records(item, opts)
            elif item.suffix.lower() == ".txt":
                yield _txt_file(item, item.name, opts)
            else:
                raise InputError(
                    f"input {item}: unknown format {item.suffix!r} (jsonl, json, csv, tsv, parquet, txt, folder)"
                )
        elif type(item).__name__ == "DataFrame":
            yield from _rows("dataframe", _frame_rows(item), opts)
        elif type(item).__name__ in ("Dataset", "IterableDataset"):
            yield from _rows("dataset", item, opts)
        else:
            raise InputError(f"unsupported input of type {type(item).__name__}")


def count_records(inputs) -> int | None:
    """A cheap total for the progress bar (lines of text files, rows of tables), or None."""
    total = 0
    for item in input_items(inputs):
        if isinstance(item, Path):
            if item.is_dir():
                total += len(txt_files(item)[0])
            elif item.suffix.lower() in JSON_SUFFIXES and not is_json_array(item):
                with item.open("rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            elif item.suffix.lower() == ".parquet":
                import pyarrow.parquet as pq

                total += pq.ParquetFile(item).metadata.num_rows
            elif item.suffix.lower() == ".txt":
                total += 1
            else:
                return None
        elif hasattr(item, "__len__"):
            total += len(item)
        else:
            return None
    return total
