"""Records from JSONL, JSON-array, CSV/TSV and Parquet files, with one set of rules for every caller.

Training and evaluation files (:mod:`stancekit.data.userfiles`) and corpus inputs
(:mod:`stancekit.scoring.readers`) are read here, so they agree on encodings (any codec, a UTF-8 BOM
dropped), line numbers (1-based physical lines; a JSON array's item, a Parquet file's row), CSV rows
(checked one by one, see :mod:`stancekit.io.csvrows`) and JSON (a file that starts with ``[`` is one
array, anything else is JSON Lines). A problem with one record comes back as that record's ``error``
so each caller chooses its policy (scoring logs it, training stops); a problem with the whole file
raises :class:`~stancekit.errors.RecordFileError` naming the file and, where there is one, the line.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from stancekit.errors import RecordFileError
from stancekit.io.csvrows import csv_rows

JSON_SUFFIXES = (".jsonl", ".ndjson", ".json")
TABLE_SUFFIXES = (".csv", ".tsv")
FORMATS = ("json", "csv", "parquet")
#: A JSON array file larger than this is not read whole (JSON Lines streams; an array cannot).
MAX_JSON_ARRAY_BYTES = 512 * 1024 * 1024


@dataclass(slots=True)
class RawRecord:
    """One record of a file: where it is, its fields, or why it cannot be read."""

    location: int  # line (JSONL; a CSV row's first line), item (JSON array) or row (Parquet), from 1
    fields: dict | None  # None when the record is bad
    error: str | None = None


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


def has_bad_strings(value, depth: int = 0) -> bool:
    """Whether a string anywhere in ``value`` (keys included) holds undecodable bytes or a lone surrogate."""
    if isinstance(value, str):
        return unencodable(value) is not None
    if depth > 50:
        return False
    if isinstance(value, dict):
        return any(has_bad_strings(k, depth + 1) or has_bad_strings(v, depth + 1) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_bad_strings(v, depth + 1) for v in value)
    return False


def file_format(path: Path) -> str | None:
    """``json``, ``csv`` or ``parquet`` by the file's suffix (any case), or None for another suffix."""
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in TABLE_SUFFIXES:
        return "csv"
    if suffix == ".parquet":
        return "parquet"
    return None


def decode_line(raw: bytes, encoding: str, first: bool) -> str:
    """One line's text; a UTF-8 BOM at the start of the file is dropped."""
    line = raw.decode(encoding)
    return line[1:] if first and line.startswith("\ufeff") else line


def is_json_array(path: Path, encoding: str = "utf-8") -> bool:
    """Whether a .json/.jsonl file holds one JSON array rather than JSON Lines."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    try:
        text = head.decode(encoding, errors="ignore").lstrip("\ufeff \t\r\n")
    except LookupError:
        return False
    return text.startswith("[")


def _object(location: int, rec) -> RawRecord:
    return RawRecord(location, rec) if isinstance(rec, dict) else RawRecord(location, None, "record is not an object")


def _json_array(path: Path, encoding: str) -> Iterator[RawRecord]:
    if path.stat().st_size > MAX_JSON_ARRAY_BYTES:
        raise RecordFileError("a JSON array this large cannot be streamed; convert it to JSON Lines", path=str(path))
    try:
        items = json.loads(decode_line(path.read_bytes(), encoding, True))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise RecordFileError(f"a JSON array that cannot be read ({exc})", path=str(path)) from exc
    if not isinstance(items, list):
        raise RecordFileError("expected a JSON array of objects or JSON Lines", path=str(path))
    for i, rec in enumerate(items, start=1):
        yield _object(i, rec)


def _json_lines(path: Path, encoding: str) -> Iterator[RawRecord]:
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                line = decode_line(raw, encoding, lineno == 1)
            except UnicodeDecodeError as exc:
                yield RawRecord(lineno, None, f"undecodable bytes at {exc.start} ({encoding})")
                continue
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                yield RawRecord(lineno, None, f"malformed JSON ({exc.msg})")
                continue
            except RecursionError:
                yield RawRecord(lineno, None, "JSON nested too deeply")
                continue
            yield (
                RawRecord(lineno, rec) if isinstance(rec, dict) else RawRecord(lineno, None, "record is not an object")
            )


def _csv_lines(path: Path, encoding: str) -> Iterator[str]:
    # surrogateescape keeps undecodable bytes as lone surrogates, so the row that holds them can be named
    with path.open("r", encoding=encoding, errors="surrogateescape", newline="") as fh:
        for i, line in enumerate(fh):
            yield line[1:] if i == 0 and line.startswith("\ufeff") else line


def table_delimiter(path: Path) -> str:
    """The delimiter a table's suffix says: tab for .tsv, comma otherwise."""
    return "\t" if path.suffix.lower() == ".tsv" else ","


def sniff_delimiter(path: Path, encoding: str = "utf-8") -> str:
    """Tab, semicolon or comma, from the file's first 4 KB (for files whose suffix does not say)."""
    if path.suffix.lower() == ".tsv":
        return "\t"
    sample = "".join(line for _, line in zip(range(64), _csv_lines(path, encoding), strict=False))[:4096]
    if sample.count("\t") > sample.count(","):
        return "\t"
    first = sample.split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


def csv_header(path: Path, encoding: str = "utf-8", delimiter: str | None = None) -> list[str]:
    """The header row of a CSV/TSV file (empty for an empty file)."""
    for row in csv_rows(_csv_lines(path, encoding), delimiter or table_delimiter(path)):
        if row.fields is None:
            raise RecordFileError(f"the header is not valid CSV ({row.error})", path=str(path), line=row.line)
        return row.fields
    return []


def _csv(path: Path, encoding: str, delimiter: str, short_rows: bool) -> Iterator[RawRecord]:
    header: list[str] | None = None
    for row in csv_rows(_csv_lines(path, encoding), delimiter):
        if header is None:
            if row.fields is None:
                raise RecordFileError(f"the header is not valid CSV ({row.error})", path=str(path), line=row.line)
            header = row.fields
        elif row.fields is None:
            yield RawRecord(row.line, None, row.error)
        elif short_rows and len(row.fields) < len(header):
            yield RawRecord(row.line, dict(zip(header, row.fields, strict=False)))
        elif len(row.fields) != len(header):
            yield RawRecord(
                row.line,
                None,
                f"{len(row.fields)} fields where the header has {len(header)} (an unquoted delimiter?)",
            )
        else:
            yield RawRecord(row.line, dict(zip(header, row.fields, strict=True)))


def _parquet(path: Path) -> Iterator[RawRecord]:
    import pyarrow.parquet as pq

    try:
        reader = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises ArrowInvalid and OSError for a bad file
        raise RecordFileError(f"not a readable Parquet file ({exc})", path=str(path)) from exc
    row = 0
    for batch in reader.iter_batches(batch_size=1024):
        for rec in batch.to_pylist():
            row += 1
            yield RawRecord(row, rec)


def read_records(
    path,
    *,
    encoding: str = "utf-8",
    fmt: str | None = None,
    delimiter: str | None = None,
    short_rows: bool = False,
) -> Iterator[RawRecord]:
    """The records of one file in order; ``fmt`` overrides the suffix, ``delimiter`` the table's default.

    A CSV row with more fields than the header is always that record's error; one with fewer is too,
    unless ``short_rows`` (then its last columns are left out of the record, as labelled TSV files
    omit an empty last column).

    Raises :class:`~stancekit.errors.RecordFileError` for a missing file, an unknown format, a JSON
    array that cannot be parsed or a CSV header that is not valid CSV; every other problem is a record's.
    """
    path = Path(path)
    if not path.is_file():
        raise RecordFileError("file not found", path=str(path))
    try:
        codecs.lookup(encoding)
    except (LookupError, TypeError) as exc:
        raise RecordFileError(f"unknown encoding {encoding!r}", path=str(path)) from exc
    fmt = fmt or file_format(path)
    if fmt not in FORMATS:
        raise RecordFileError(
            f"unknown file type {path.suffix!r}; use .jsonl, .json, .csv, .tsv or .parquet", path=str(path)
        )
    if fmt == "json":
        yield from _json_array(path, encoding) if is_json_array(path, encoding) else _json_lines(path, encoding)
    elif fmt == "csv":
        yield from _csv(path, encoding, delimiter or table_delimiter(path), short_rows)
    else:
        yield from _parquet(path)
