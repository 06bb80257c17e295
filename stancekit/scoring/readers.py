"""Records from any input: JSONL, a JSON array, CSV/TSV, Parquet, a folder of .txt files, a DataFrame, a Dataset.

Every record carries where it came from (source, line or row), so a bad one can be reported
precisely, a stable document id (the id column, or ``<source>:<line>`` when absent), and the
input's other columns as ``metadata``. Whatever is wrong with one record (bad bytes, a lone
surrogate, JSON nested too deep, a wrong type) becomes that record's ``error``; only a problem
with a whole input (missing file, missing column) raises, and :func:`probe` raises it before
anything is written.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from stancekit.errors import InputError
from stancekit.scoring.csvrows import csv_rows

JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")
TABLE_SUFFIXES = (".csv", ".tsv")
#: A JSON array file larger than this is not read whole (JSON Lines streams; an array cannot).
MAX_JSON_ARRAY_BYTES = 512 * 1024 * 1024


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


def unencodable(value: str) -> int | None:
    """Index of the first character UTF-8 cannot encode (a lone surrogate), or None."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return exc.start
    return None


def safe_text(value) -> str:
    """``value`` as a string that can always be written (bad characters escaped)."""
    return str(value).encode("utf-8", "backslashreplace").decode("utf-8")


def _bad_strings(value, depth: int = 0) -> bool:
    if isinstance(value, str):
        return unencodable(value) is not None
    if depth > 50:
        return False
    if isinstance(value, dict):
        return any(_bad_strings(k, depth + 1) or _bad_strings(v, depth + 1) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_bad_strings(v, depth + 1) for v in value)
    return False


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
        if _bad_strings(k) or _bad_strings(v):
            return Record(source, loc, doc_id, None, f"column {safe_text(k)!r} has undecodable bytes")
        metadata[opts.rename.get(k, k)] = v
    return Record(source, loc, doc_id, text, metadata=metadata)


def _decode(raw: bytes, encoding: str, first: bool) -> str:
    line = raw.decode(encoding)
    if first and line.startswith("\ufeff"):
        line = line[1:]
    return line


def is_json_array(path: Path, encoding: str = "utf-8") -> bool:
    """Whether a .json/.jsonl file holds one JSON array rather than JSON Lines."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    try:
        text = head.decode(encoding, errors="ignore").lstrip("\ufeff \t\r\n")
    except LookupError:
        return False
    return text.startswith("[")


def _json_array(path: Path, opts: ReadOptions) -> Iterator[Record]:
    try:
        items = json.loads(_decode(path.read_bytes(), opts.encoding, True))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise InputError(f"{path}: a JSON array that cannot be read ({exc})") from exc
    if not isinstance(items, list):
        raise InputError(f"{path}: expected a JSON array of objects or JSON Lines")
    for i, rec in enumerate(items, start=1):
        yield make_record(path.name, i, rec, opts)


def _jsonl(path: Path, opts: ReadOptions) -> Iterator[Record]:
    if is_json_array(path, opts.encoding):
        yield from _json_array(path, opts)
        return
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                line = _decode(raw, opts.encoding, lineno == 1)
            except UnicodeDecodeError as exc:
                yield Record(
                    path.name,
                    lineno,
                    f"{path.name}:{lineno}",
                    None,
                    f"undecodable bytes at {exc.start} ({opts.encoding})",
                )
                continue
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield Record(path.name, lineno, f"{path.name}:{lineno}", None, f"malformed JSON ({exc.msg})")
                continue
            except RecursionError:
                yield Record(path.name, lineno, f"{path.name}:{lineno}", None, "JSON nested too deeply")
                continue
            yield make_record(path.name, lineno, rec, opts)


def _csv_lines(path: Path, encoding: str) -> Iterator[str]:
    # surrogateescape keeps undecodable bytes as lone surrogates, which make_record reports per row
    with path.open("r", encoding=encoding, errors="surrogateescape", newline="") as fh:
        for i, line in enumerate(fh):
            yield line[1:] if i == 0 and line.startswith("\ufeff") else line


def csv_header(path: Path, encoding: str) -> list[str]:
    for row in csv_rows(_csv_lines(path, encoding), _delimiter(path)):
        if row.fields is None:
            raise InputError(f"{path}, line {row.line}: the header is not valid CSV ({row.error})")
        return row.fields
    return []


def _delimiter(path: Path) -> str:
    return "\t" if path.suffix.lower() == ".tsv" else ","


def _csv(path: Path, opts: ReadOptions) -> Iterator[Record]:
    header: list[str] | None = None
    for row in csv_rows(_csv_lines(path, opts.encoding), _delimiter(path)):
        if header is None:
            if row.fields is None:
                raise InputError(f"{path}, line {row.line}: the header is not valid CSV ({row.error})")
            header = row.fields
            continue
        if row.fields is None:
            yield Record(path.name, row.line, f"{path.name}:{row.line}", None, row.error)
        elif len(row.fields) != len(header):
            yield Record(
                path.name,
                row.line,
                f"{path.name}:{row.line}",
                None,
                f"{len(row.fields)} fields where the header has {len(header)} (an unquoted delimiter?)",
            )
        else:
            yield make_record(path.name, row.line, dict(zip(header, row.fields, strict=True)), opts)


def _parquet(path: Path, opts: ReadOptions) -> Iterator[Record]:
    import pyarrow.parquet as pq

    row = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=1024):
        for rec in batch.to_pylist():
            row += 1
            yield make_record(path.name, row, rec, opts)


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
        text = _decode(path.read_bytes(), opts.encoding, True)
    except UnicodeDecodeError as exc:
        return Record(name, 0, safe_text(name), None, f"undecodable bytes at {exc.start} ({opts.encoding})")
    bad = unencodable(name)
    if bad is not None:
        return Record(safe_text(name), 0, safe_text(name), None, "file name has undecodable bytes")
    return Record(name, 0, name, text)


def _txt_folder(folder: Path, opts: ReadOptions) -> Iterator[Record]:
    for path in txt_files(folder)[0]:
        yield _txt_file(path, str(path.relative_to(folder)), opts)


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
            elif item.suffix.lower() in JSON_SUFFIXES:
                yield from _jsonl(item, opts)
            elif item.suffix.lower() in TABLE_SUFFIXES:
                yield from _csv(item, opts)
            elif item.suffix.lower() == ".parquet":
                yield from _parquet(item, opts)
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
