"""CSV/TSV rows that cannot swallow each other: each row is checked, a bad one is reported by line.

Python's ``csv`` module reads an unbalanced quote to the end of the file (every later row becomes
one field) and needs a process-wide ``field_size_limit`` for long documents, so rows are cut here:
a record is the physical lines up to an even number of quote characters, split by a compiled
pattern (RFC 4180: ``"`` opens a field, ``""`` inside it is a quote). A record that does not parse,
or whose field count differs from the header's, is reported with its first line number and reading
starts again on the next line, so one bad quote costs one row, never the rest of the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

#: A record still open (odd quotes) after this many characters is a runaway quote, not a field.
MAX_RECORD_CHARS = 6_000_000


@dataclass(slots=True)
class CsvRow:
    line: int  # first physical line of the record (1-based, the header is line 1)
    fields: list[str] | None  # None when the record is bad
    error: str | None = None


def _field_pattern(delim: str) -> re.Pattern:
    d = re.escape(delim)
    # a quoted field (with "" escapes), or an unquoted one; then a delimiter or the end
    return re.compile(rf'(?:"((?:[^"]|"")*)"|([^"{d}\r\n]*))({d}|\r?\n?$)', re.DOTALL)


def split_record(text: str, delim: str, pattern: re.Pattern | None = None) -> list[str] | None:
    """The fields of one complete record (its lines joined), or None when it is not valid CSV."""
    pattern = pattern or _field_pattern(delim)
    fields: list[str] = []
    pos, n = 0, len(text)
    while True:
        m = pattern.match(text, pos)
        if m is None:
            return None
        quoted, plain, sep = m.group(1), m.group(2), m.group(3)
        fields.append(quoted.replace('""', '"') if quoted is not None else plain)
        pos = m.end()
        if sep != delim:
            return fields if pos >= n or not text[pos:].strip("\r\n") else None


def csv_rows(lines: Iterable[str], delim: str) -> Iterator[CsvRow]:
    """Records of ``lines`` (with their line ends), header included as the first row."""
    pattern = _field_pattern(delim)
    pending: list[tuple[int, str]] = []  # lines to read again after a bad record
    source = iter(enumerate(lines, start=1))

    def next_line() -> tuple[int, str] | None:
        if pending:
            return pending.pop()
        return next(source, None)

    while True:
        first = next_line()
        if first is None:
            return
        start, text = first
        if not text.strip("\r\n"):
            continue
        taken = [first]
        quotes = text.count('"')
        size = len(text)
        while quotes % 2 and size <= MAX_RECORD_CHARS:
            nxt = next_line()
            if nxt is None:
                break
            taken.append(nxt)
            quotes += nxt[1].count('"')
            size += len(nxt[1])
        if quotes % 2:
            pending.extend(reversed(taken[1:]))
            yield CsvRow(start, None, "unbalanced quote (the field never closes)")
            continue
        record = "".join(t for _, t in taken)
        fields = split_record(record, delim, pattern)
        if fields is None:
            pending.extend(reversed(taken[1:]))
            yield CsvRow(start, None, "malformed quoting (text after a closing quote)")
            continue
        yield CsvRow(start, fields)
