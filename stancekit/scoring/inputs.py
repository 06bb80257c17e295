"""What a job's inputs are, checked before anything is written: columns, metadata types, fingerprints.

:func:`probe` reads each input's header (or first records) so a wrong column, a missing file or a
JSON array is reported at once, in one line, and infers the Arrow types of the metadata columns
(the input's other columns) so every part of a job writes the same schema. :func:`fingerprint`
describes each input by path, size, modification time, record count and a content hash, so that a
rerun can tell that its input changed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from stancekit.errors import InputError
from stancekit.io.records import JSON_SUFFIXES, TABLE_SUFFIXES, csv_header, is_json_array, read_records
from stancekit.scoring.readers import ReadOptions, input_items, txt_files

#: Records read from the start of a JSON Lines or CSV input to infer the metadata columns' types.
SAMPLE_RECORDS = 500
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass
class InputInfo:
    metadata: list[tuple[str, str]] = field(default_factory=list)  # (output column name, Arrow type name)
    rename: dict = field(default_factory=dict)  # input column -> output column (names taken by result columns)
    unknown_files: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


def _name(item) -> str:
    return item.name if isinstance(item, Path) else type(item).__name__


def _columns_error(where: str, what: str, column: str, found: list[str]) -> InputError:
    listed = ", ".join(found[:30]) + (", ..." if len(found) > 30 else "") if found else "none"
    return InputError(f"{where}: no {what} column {column!r}; columns found: {listed}")


def _check_columns(where: str, columns: list[str], opts: ReadOptions) -> None:
    if opts.text_column not in columns:
        raise _columns_error(where, "text", opts.text_column, columns)
    if opts.id_column and opts.id_column not in columns:
        raise _columns_error(where, "id", opts.id_column, columns)


def _json_sample(path: Path, opts: ReadOptions) -> list[dict]:
    """The first readable records of a JSON Lines file or JSON array (a broken array raises here)."""
    sample = (r.fields for r in read_records(path, encoding=opts.encoding, fmt="json") if r.fields is not None)
    return list(itertools.islice(sample, SAMPLE_RECORDS))


def _infer(values: list) -> str:
    """The Arrow type name for a column of JSON/CSV values (dates as ``YYYY-MM-DD`` become date32)."""
    kinds = {type(v) for v in values if v is not None}
    if not kinds:
        return "string"
    if kinds == {bool}:
        return "bool"
    if kinds == {int}:
        return "int64"
    if kinds <= {int, float}:
        return "double"
    if kinds == {str} and all(_DATE.match(v) for v in values if v is not None):
        return "date32[day]"
    return "string"


def _arrow_type_name(t) -> str:
    return str(t)


def probe(inputs, opts: ReadOptions, reserved: set[str]) -> InputInfo:
    """Check every input and infer the metadata schema; raises :class:`InputError` on the first problem."""
    import pyarrow as pa

    info = InputInfo()
    types: dict[str, str] = {}
    order: list[str] = []

    def add(name: str, type_name: str) -> None:
        if name in (opts.text_column, opts.id_column):
            return
        if name not in types:
            order.append(name)
            types[name] = type_name
        elif types[name] != type_name:
            numeric = {"int64", "double"}
            types[name] = "double" if {types[name], type_name} <= numeric else "string"

    items = input_items(inputs)
    if not items:
        raise InputError("no inputs given")
    for item in items:
        info.names.append(_name(item))
        if isinstance(item, Path):
            if not item.exists():
                raise InputError(f"input {item} does not exist")
            if not os.access(item, os.R_OK):
                raise InputError(f"input {item} is not readable")
            suffix = item.suffix.lower()
            if item.is_dir():
                _, other = txt_files(item)
                info.unknown_files += [str(p) for p in other]
                continue
            if suffix == ".txt":
                continue
            if opts.encoding:
                try:
                    "".encode(opts.encoding)
                except LookupError as exc:
                    raise InputError(f"unknown encoding {opts.encoding!r}") from exc
            if suffix in JSON_SUFFIXES:
                sample = _json_sample(item, opts)
                if sample:
                    _check_columns(str(item), list(sample[0]), opts)
                    cols: dict[str, list] = {}
                    for rec in sample:
                        for k, v in rec.items():
                            cols.setdefault(k, []).append(v)
                    for k, vals in cols.items():
                        add(k, _infer(vals))
            elif suffix in TABLE_SUFFIXES:
                header = csv_header(item, opts.encoding)
                if header:
                    _check_columns(str(item), header, opts)
                    for k in header:
                        add(k, "string")
            elif suffix == ".parquet":
                import pyarrow.parquet as pq

                try:
                    schema = pq.read_schema(item)
                except Exception as exc:  # pyarrow raises ArrowInvalid and OSError for a bad file
                    raise InputError(f"{item}: not a readable Parquet file ({exc})") from exc
                _check_columns(str(item), schema.names, opts)
                _check_id_type(str(item), schema, opts)
                for f in schema:
                    add(f.name, _arrow_type_name(f.type))
            else:
                raise InputError(
                    f"input {item}: unknown format {item.suffix!r} (jsonl, json, csv, tsv, parquet, txt, folder)"
                )
        elif type(item).__name__ == "DataFrame":
            columns = [str(c) for c in item.columns]
            _check_columns("the DataFrame", columns, opts)
            if len(item):
                schema = pa.Schema.from_pandas(item.head(SAMPLE_RECORDS), preserve_index=False)
                _check_id_type("the DataFrame", schema, opts)
                for f in schema:
                    add(f.name, _arrow_type_name(f.type))
        elif type(item).__name__ in ("Dataset", "IterableDataset"):
            columns = list(item.column_names or [])
            if columns:  # an IterableDataset may not know its columns before it is read
                _check_columns("the Dataset", columns, opts)
            schema = item.features.arrow_schema if item.features is not None else None
            if schema is not None:
                _check_id_type("the Dataset", schema, opts)
                for f in schema:
                    add(f.name, _arrow_type_name(f.type))
        else:
            raise InputError(f"unsupported input of type {type(item).__name__}")
    for name in order:
        out = f"input_{name}" if name in reserved else name
        if out != name:
            info.rename[name] = out
        info.metadata.append((out, types[name]))
    return info


def _check_id_type(where: str, schema, opts: ReadOptions) -> None:
    import pyarrow as pa

    if not opts.id_column or opts.id_column not in schema.names:
        return
    t = schema.field(opts.id_column).type
    if not (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_integer(t) or pa.types.is_null(t)):
        raise InputError(
            f"{where}: id column {opts.id_column!r} has type {t}; ids must be strings or integers "
            "(integers are written in decimal)"
        )


def arrow_type(name: str):
    """The Arrow type for a name written by :func:`probe` (``str(pa_type)``)."""
    import pyarrow as pa

    simple = {
        "string": pa.string(),
        "large_string": pa.large_string(),
        "int64": pa.int64(),
        "int32": pa.int32(),
        "int16": pa.int16(),
        "int8": pa.int8(),
        "uint8": pa.uint8(),
        "uint16": pa.uint16(),
        "uint32": pa.uint32(),
        "uint64": pa.uint64(),
        "double": pa.float64(),
        "float": pa.float32(),
        "bool": pa.bool_(),
        "date32[day]": pa.date32(),
        "null": pa.string(),
    }
    if name in simple:
        return simple[name]
    m = re.match(r"^timestamp\[(s|ms|us|ns)(?:, tz=(.+))?\]$", name)
    if m:
        return pa.timestamp(m.group(1), tz=m.group(2))
    return None  # nested or exotic: written as JSON text


def coerce(value, type_name: str):
    """``value`` in the column's type; raises ValueError when it does not fit."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN from a DataFrame
        return None if type_name not in ("double", "float") else value
    if type_name in ("string", "large_string", "null"):
        return value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
    if type_name == "bool":
        if isinstance(value, bool):
            return value
        raise ValueError(f"{value!r} is not a boolean")
    if type_name.startswith(("int", "uint")):
        if isinstance(value, bool) or not isinstance(value, int):
            if hasattr(value, "dtype") and value.dtype.kind in "iu":
                return int(value)
            raise ValueError(f"{value!r} is not an integer")
        return value
    if type_name in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            if hasattr(value, "dtype") and value.dtype.kind in "iuf":
                return float(value)
            raise ValueError(f"{value!r} is not a number")
        return float(value)
    if type_name == "date32[day]":
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str) and _DATE.match(value):
            return dt.date.fromisoformat(value)
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)")
    if type_name.startswith("timestamp"):
        if isinstance(value, dt.datetime):
            return value
        raise ValueError(f"{value!r} is not a timestamp")
    if arrow_type(type_name) is None:  # nested or dictionary-encoded: written as text
        return value if isinstance(value, str) else json.dumps(value, default=str, ensure_ascii=False)
    return value


# ------------------------------------------------------------------------------------------ fingerprints
def _hash_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    lines = 0
    last = b"\n"
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            h.update(block)
            lines += block.count(b"\n")
            last = block[-1:]
    return h.hexdigest(), lines + (last != b"\n")


def fingerprint(inputs) -> list[dict]:
    """Path, size, modification time, record count and content hash of each input."""
    out = []
    for item in input_items(inputs):
        if isinstance(item, Path):
            if item.is_dir():
                files = txt_files(item)[0]
                h = hashlib.sha256()
                for p in files:
                    h.update(str(p.relative_to(item)).encode("utf-8", "surrogateescape") + b"\0")
                    h.update(_hash_file(p)[0].encode())
                out.append(
                    {
                        "name": item.name + "/",
                        "path": str(item.resolve()),
                        "records": len(files),
                        "sha256": h.hexdigest(),
                    }
                )
                continue
            st = item.stat()
            digest, lines = _hash_file(item)
            suffix = item.suffix.lower()
            if suffix == ".parquet":
                import pyarrow.parquet as pq

                records = pq.ParquetFile(item).metadata.num_rows
            elif suffix in TABLE_SUFFIXES:
                records = max(lines - 1, 0)
            elif suffix == ".txt":
                records = 1
            elif is_json_array(item):
                try:
                    records = len(json.loads(item.read_bytes().decode("utf-8", "replace").lstrip("\ufeff")))
                except (ValueError, TypeError, RecursionError):
                    records = None
            else:
                with item.open("rb") as fh:
                    records = sum(1 for line in fh if line.strip())
            out.append(
                {
                    "name": item.name,
                    "path": str(item.resolve()),
                    "size": st.st_size,
                    "mtime": st.st_mtime,
                    "records": records,
                    "sha256": digest,
                }
            )
        elif type(item).__name__ == "DataFrame":
            import pandas as pd

            h = hashlib.sha256(json.dumps([str(c) for c in item.columns]).encode())
            h.update(pd.util.hash_pandas_object(item, index=True).values.tobytes())
            out.append({"name": "DataFrame", "records": len(item), "sha256": h.hexdigest()})
        else:
            h = hashlib.sha256(json.dumps(list(item.column_names or [])).encode())
            for batch in item.with_format("arrow").iter(batch_size=4096):
                for col in batch.columns:
                    for chunk in col.chunks:
                        for buf in chunk.buffers():
                            if buf is not None:
                                h.update(buf)
            out.append({"name": type(item).__name__, "records": len(item), "sha256": h.hexdigest()})
    return out


def input_changes(old: list[dict], new: list[dict]) -> list[tuple[str, object, object]]:
    """What differs between two fingerprints, as ``(input, old, new)``; empty when the inputs are the same."""
    if [o.get("path", o["name"]) for o in old] != [n.get("path", n["name"]) for n in new]:
        return [("inputs", ", ".join(o["name"] for o in old), ", ".join(n["name"] for n in new))]
    changes = []
    for o, n in zip(old, new, strict=True):
        if o["sha256"] == n["sha256"]:
            continue
        unit = "files" if o["name"].endswith("/") else "records"
        if o.get("records") != n.get("records"):
            changes.append((o["name"], f"{o.get('records')}", f"{n.get('records')} {unit}"))
        else:
            changes.append((o["name"], f"{o.get('records')} {unit}", f"{n.get('records')} {unit} with other content"))
    return changes
