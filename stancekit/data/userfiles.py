"""Readers for labelled files in the common schema, and for the raw source formats.

Stance files (JSONL, a JSON array, CSV, TSV, Parquet):
  * rows with ``text, start, end, label``, or ``text, target, label`` (the span is found);
  * raw NewsMTSC JSONL (``sentence_normalized`` + ``targets`` with ``from``/``to``/``polarity``).
Editorial files: ``text`` (or ``sentence``) and ``label`` (editorial/reporting or SUBJ/OBJ);
raw CheckThat! TSV works as is.

Files are read by :mod:`stancekit.io.records`, the same rules as corpus inputs for ``score`` (encoding,
BOM, line numbers, CSV rows); a table's delimiter is sniffed (tab, semicolon or comma), a ``.txt``
file is read as a table, and a row may leave out trailing columns (raw CheckThat! TSV does). Every
malformed row raises :class:`~stancekit.errors.DataError` naming file, line and field.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from stancekit.errors import DataError
from stancekit.io.records import TABLE_SUFFIXES, read_records, sniff_delimiter, unencodable
from stancekit.labels import normalize_editorial_label, normalize_stance_label


def _records(path: Path, encoding: str) -> Iterator[tuple[int, dict]]:
    """(line or row number, record); any record that cannot be read stops the file with its line."""
    table = path.suffix.lower() in (*TABLE_SUFFIXES, ".txt")
    delimiter = sniff_delimiter(path, encoding) if table and path.is_file() else None
    fmt = "csv" if table else None
    for raw in read_records(path, encoding=encoding, fmt=fmt, delimiter=delimiter, short_rows=True):
        if raw.error is not None:
            raise DataError(raw.error, path=str(path), line=raw.location)
        yield raw.location, raw.fields


def _text(rec: dict, path: Path, line: int, fields=("text", "sentence", "sentence_normalized")) -> str:
    for f in fields:
        if f in rec:
            value = rec[f]
            if not isinstance(value, str) or not value.strip():
                raise DataError("must be a non-empty string", path=str(path), line=line, field=f)
            bad = unencodable(value)
            if bad is not None:
                raise DataError(f"undecodable bytes or a lone surrogate at {bad}", path=str(path), line=line, field=f)
            return value
    raise DataError(f"missing text column (one of {', '.join(fields)})", path=str(path), line=line)


def read_stance_file(path: str | Path, source: str | None = None, *, encoding: str = "utf-8") -> list[dict]:
    """Rows ``{text, start, end, label, source, group}`` from a stance file."""
    path = Path(path)
    source = source or path.stem
    rows: list[dict] = []
    for line, rec in _records(path, encoding):
        if "targets" in rec and "sentence_normalized" in rec:
            text = _text(rec, path, line)
            targets = rec["targets"]
            if not isinstance(targets, list):
                raise DataError("must be a list", path=str(path), line=line, field="targets")
            group = str(rec.get("primary_gid", f"{source}:{line}"))
            for j, t in enumerate(targets):
                where = f"targets[{j}]"
                if not isinstance(t, dict):
                    raise DataError("must be an object", path=str(path), line=line, field=where)
                start, end = _span(t.get("from"), t.get("to"), text, path, line, where + ".from/to")
                label = normalize_stance_label(t.get("polarity"))
                if label is None:
                    raise DataError(
                        f"unknown polarity {t.get('polarity')!r} (2.0, 4.0, 6.0)",
                        path=str(path),
                        line=line,
                        field=where + ".polarity",
                    )
                rows.append(
                    {"text": text, "start": start, "end": end, "label": label, "source": source, "group": group}
                )
            continue
        text = _text(rec, path, line)
        if "label" not in rec and "polarity" not in rec:
            raise DataError("missing", path=str(path), line=line, field="label")
        raw_label = rec.get("label", rec.get("polarity"))
        if isinstance(raw_label, str):
            with contextlib.suppress(ValueError):
                raw_label = float(raw_label) if raw_label.strip() in ("2.0", "4.0", "6.0") else raw_label
        label = normalize_stance_label(raw_label)
        if label is None:
            raise DataError(
                f"unknown stance label {raw_label!r} (negative/neutral/positive or 2.0/4.0/6.0)",
                path=str(path),
                line=line,
                field="label",
            )
        if rec.get("start") not in (None, "") and rec.get("end") not in (None, ""):
            start, end = _span(rec["start"], rec["end"], text, path, line, "start/end")
        elif isinstance(rec.get("target"), str) and rec["target"].strip():
            start = text.find(rec["target"])
            if start < 0:
                raise DataError(
                    f"target {rec['target']!r} does not occur in the text", path=str(path), line=line, field="target"
                )
            end = start + len(rec["target"])
        else:
            raise DataError("needs start/end offsets or a target string", path=str(path), line=line, field="start")
        rows.append(
            {
                "text": text,
                "start": start,
                "end": end,
                "label": label,
                "source": source,
                "group": str(rec.get("id", rec.get("group", f"{source}:{line}"))),
            }
        )
    return rows


def _span(start, end, text: str, path: Path, line: int, field: str) -> tuple[int, int]:
    try:
        s, e = int(start), int(end)
    except (TypeError, ValueError) as exc:
        raise DataError(
            f"offsets must be integers, got {start!r}, {end!r}", path=str(path), line=line, field=field
        ) from exc
    if not (0 <= s < e <= len(text)):
        raise DataError(
            f"span {s}:{e} is outside the text (length {len(text)})", path=str(path), line=line, field=field
        )
    return s, e


def read_editorial_file(path: str | Path, source: str | None = None, *, encoding: str = "utf-8") -> list[dict]:
    """Rows ``{text, label, source}`` from an editorial file (raw CheckThat! TSV included)."""
    path = Path(path)
    source = source or path.stem
    rows = []
    for line, rec in _records(path, encoding):
        text = _text(rec, path, line, fields=("text", "sentence"))
        if "label" not in rec:
            raise DataError("missing", path=str(path), line=line, field="label")
        label = normalize_editorial_label(rec["label"])
        if label is None:
            raise DataError(
                f"unknown editorial label {rec['label']!r} (editorial/reporting or SUBJ/OBJ)",
                path=str(path),
                line=line,
                field="label",
            )
        rows.append({"text": text, "label": label, "source": source})
    return rows
