"""One chunk of records scored into its table rows: what the local job and every Ray worker run.

Each record is checked (its read error, an empty or too long text, its language, its metadata
types), the good ones are analyzed in one batch (one by one if the batch fails, so one bad document
costs one row), and the rows of ``sentences``, ``stances``, ``errors`` and ``index`` come back
together, so a chunk is written whole or not at all.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from stancekit.io.records import safe_text
from stancekit.scoring.inputs import coerce
from stancekit.scoring.readers import Record

log = logging.getLogger("stancekit.scoring")


@dataclass(frozen=True)
class ChunkOptions:
    """The job settings scoring a chunk depends on (plain data, so it travels to other processes)."""

    max_chars: int
    languages: tuple[str, ...] | str  # language codes scored, or "any"
    metadata: list[tuple[str, str]]  # (column, Arrow type name) of every metadata column, in order
    keep_columns: list[str]  # metadata columns copied onto sentence and stance rows
    actors: object = None
    use_ner: bool = True


@dataclass
class ChunkResult:
    """The rows of one chunk, table by table, with how many documents were scored and read."""

    tables: dict[str, list[dict]]
    documents: int  # scored documents (rows of index)
    records: int  # records in the chunk, failed ones included
    foreign: dict[str, int] = field(default_factory=dict)  # scored documents per language other than English


def check_record(record: Record, max_chars: int) -> str | None:
    """Why ``record`` cannot be scored, or None."""
    if record.error:
        return record.error
    if not record.text.strip():
        return "empty document"
    if len(record.text) > max_chars:
        return f"document of {len(record.text)} characters exceeds max_chars={max_chars}"
    return None


def score_chunk(analyzer, chunk: list[Record], options: ChunkOptions) -> ChunkResult:
    """The table rows of ``chunk``; every record is either scored (index row) or in ``errors``."""
    from stancekit.language import detect

    good: list[tuple[Record, str | None, dict]] = []
    errors: list[dict] = []
    foreign: dict[str, int] = {}

    def fail(rec: Record, reason: str) -> None:
        errors.append(
            {
                "source": safe_text(rec.source),
                "line": rec.location,
                "doc_id": safe_text(rec.doc_id),
                "reason": safe_text(reason),
            }
        )

    for rec in chunk:
        reason = check_record(rec, options.max_chars)
        if reason:
            fail(rec, reason)
            continue
        lang = detect(rec.text)
        if lang is not None and lang != "en":
            if options.languages != "any" and lang not in options.languages:
                fail(rec, f"language: {lang}")
                continue
            foreign[lang] = foreign.get(lang, 0) + 1
        try:
            meta = {n: coerce(rec.metadata.get(n), t) for n, t in options.metadata}
        except ValueError as exc:
            fail(rec, f"metadata: {exc}")
            continue
        good.append((rec, lang, meta))
    docs = _analyze(analyzer, good, fail, options)
    tables: dict[str, list[dict]] = {"sentences": [], "stances": [], "errors": errors, "index": []}
    n = 0
    for (rec, lang, meta), doc in zip(good, docs, strict=True):
        if doc is None:
            continue
        n += 1
        extra = {c: meta[c] for c in options.keep_columns}
        tables["sentences"].extend({**r, **extra} for r in doc.sentence_rows(rec.doc_id))
        tables["stances"].extend({**r, **extra} for r in doc.stance_rows(rec.doc_id))
        tables["index"].append(
            {
                "doc_id": rec.doc_id,
                "source": rec.source,
                "line": rec.location,
                "hash": rec.content_hash(),
                "language": lang,
                **meta,
            }
        )
    return ChunkResult(tables, n, len(chunk), foreign)


def _analyze(analyzer, good, fail, options: ChunkOptions) -> list:
    """Documents for ``good`` in one batch; if the batch fails, one by one, failures to errors/."""
    texts = [rec.text for rec, _, _ in good]
    if not texts:
        return []
    kwargs = {"use_ner": options.use_ner, "check_language": False}
    try:
        return analyzer.analyze_many(texts, options.actors, **kwargs)
    except Exception as exc:  # noqa: BLE001 - one bad document must not stop the job; retried alone below
        # said out loud: one document at a time batches badly, so a recurring failure here costs throughput
        log.warning(
            "a chunk of %d documents failed (%s: %s); analysing them one by one", len(texts), type(exc).__name__, exc
        )
    out = []
    for rec, _, _ in good:
        try:
            out.append(analyzer.analyze_many([rec.text], options.actors, **kwargs)[0])
        except Exception as exc:  # noqa: BLE001 - reported per record in errors/
            fail(rec, f"analysis failed: {type(exc).__name__}: {exc}")
            out.append(None)
    return out
