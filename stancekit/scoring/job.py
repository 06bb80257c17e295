"""``score()``: a corpus in, Arrow-typed tables out, in bounded memory, resumable.

Output folder:
  sentences/part-*.parquet   doc_id, sentence, start, end, text, editorial, editorial_score
  stances/part-*.parquet     doc_id, sentence, actor, actor_kind, mention, start, end, label,
                             p_negative, p_neutral, p_positive
  errors/part-*.jsonl        source, location (line/row), doc_id, reason
  documents.parquet          doc_id, sentences, editorial_sentences, editorial_share, actors
  document_actors.parquet    doc_id, actor, actor_kind, mentions, negative, neutral, positive, mean_score
  actors.parquet             actor, actor_kind, mentions, documents, share_*, mean_score
  manifest.json              model, options, progress
(``fmt="jsonl"`` writes .jsonl instead of .parquet.)
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from stancekit.errors import InputError
from stancekit.scoring.memory import pin_mmap_threshold, release_free_memory
from stancekit.scoring.readers import Record, count_records, iter_records
from stancekit.scoring.writer import PartWriter

#: Longest document accepted, in characters (a 200-page report is about 600k).
MAX_DOC_CHARS = 5_000_000
#: A chunk closes at this many characters even before ``chunk_size`` documents, so memory is
#: bounded by text, not by document count (256 books would not fit; 256 tweets batch poorly).
CHUNK_CHARS = 1_000_000


@dataclass
class ScoreSummary:
    output: str
    documents: int
    failed: int
    sentences: int
    stances: int
    seconds: float
    resumed_chunks: int

    def __str__(self) -> str:
        return (
            f"scored {self.documents} documents ({self.sentences} sentences, {self.stances} actor stances) "
            f"into {self.output} in {self.seconds:.1f}s; {self.failed} failed (see errors/)"
            + (f"; resumed after {self.resumed_chunks} finished chunks" if self.resumed_chunks else "")
        )


def _check(record: Record, max_chars: int) -> str | None:
    if record.error:
        return record.error
    if not record.text.strip():
        return "empty document"
    if len(record.text) > max_chars:
        return f"document of {len(record.text)} characters exceeds max_chars={max_chars}"
    return None


def _chunks(records: Iterator[Record], chunk_size: int, chunk_chars: int) -> Iterator[list[Record]]:
    """Consecutive records, ``chunk_size`` at most and about ``chunk_chars`` characters at most.

    Boundaries depend only on the input and these two numbers, so a resumed job cuts the same
    chunks and can skip the finished ones by count.
    """
    chunk: list[Record] = []
    chars = 0
    for rec in records:
        n = len(rec.text) if isinstance(rec.text, str) else 0
        if chunk and (len(chunk) >= chunk_size or chars + n > chunk_chars):
            yield chunk
            chunk, chars = [], 0
        chunk.append(rec)
        chars += n
    if chunk:
        yield chunk


def score(
    analyzer,
    inputs,
    output,
    *,
    text_column: str = "text",
    id_column: str | None = None,
    fmt: str = "parquet",
    chunk_size: int = 256,
    chunk_chars: int = CHUNK_CHARS,
    overwrite: bool = False,
    progress: bool = True,
    max_chars: int = MAX_DOC_CHARS,
    actors=None,
    use_ner: bool = True,
    tune_allocator: bool = True,
) -> ScoreSummary:
    """Score every document of ``inputs`` into the folder ``output``; resume if it holds a partial job.

    ``tune_allocator`` pins glibc's mmap threshold for the process and trims the heap after each
    chunk, so that resident memory stays flat over long jobs (see :mod:`stancekit.scoring.memory`).
    """
    if fmt not in ("parquet", "jsonl"):
        raise InputError(f"fmt must be 'parquet' or 'jsonl', got {fmt!r}")
    if not isinstance(chunk_size, int) or chunk_size < 1:
        raise InputError("chunk_size must be a positive integer")
    if not isinstance(chunk_chars, int) or chunk_chars < 1:
        raise InputError("chunk_chars must be a positive integer")
    out = Path(output)
    described = [
        str(Path(i).resolve()) if isinstance(i, str | Path) else type(i).__name__
        for i in (inputs if isinstance(inputs, list | tuple) else [inputs])
    ]
    options = {
        "model": str(analyzer.model_path),
        "model_config": analyzer.config.__dict__,
        # a job resumed in other arithmetic would mix scores computed two ways
        "precision": analyzer.precision,
        "quantized": analyzer.quantized,
        "inputs": described,
        "text_column": text_column,
        "id_column": id_column,
        "fmt": fmt,
        "chunk_size": chunk_size,
        "chunk_chars": chunk_chars,
        "max_chars": max_chars,
        "actors": actors,
        "use_ner": use_ner,
    }
    writer = PartWriter(out, fmt, options, overwrite)
    if tune_allocator:
        pin_mmap_threshold()
    started = time.time()
    resumed = writer.done_chunks
    if writer.state.get("complete"):
        return writer.summary(0.0, resumed)
    chunks = _chunks(iter_records(inputs, text_column, id_column), chunk_size, chunk_chars)
    skip = sum(len(c) for c in itertools.islice(chunks, resumed))
    total = count_records(inputs) if progress else None
    bar = None
    if progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=total, initial=min(skip, total or skip), unit="doc", desc="scoring", dynamic_ncols=True)
    k = resumed
    sentences_done = 0
    for chunk in chunks:
        good, errors = [], []
        for rec in chunk:
            reason = _check(rec, max_chars)
            if reason:
                errors.append({"source": rec.source, "location": rec.location, "doc_id": rec.doc_id, "reason": reason})
            else:
                good.append(rec)
        docs = analyzer.analyze_many([r.text for r in good], actors, use_ner=use_ner) if good else []
        tables: dict[str, list[dict]] = {"sentences": [], "stances": [], "errors": errors}
        for rec, doc in zip(good, docs, strict=True):
            tables["sentences"].extend(doc.sentence_rows(rec.doc_id))
            tables["stances"].extend(doc.stance_rows(rec.doc_id))
        writer.write_chunk(k, tables, len(good))
        k += 1
        sentences_done += len(tables["sentences"])
        del docs, tables
        if tune_allocator:
            release_free_memory()
        if bar is not None:
            bar.update(len(chunk))
            elapsed = max(time.time() - started, 1e-9)
            bar.set_postfix(sent_s=f"{sentences_done / elapsed:.0f}", failed=writer.state["errors"])
    if bar is not None:
        bar.close()
    from stancekit.scoring.aggregate import aggregate

    aggregate(out, fmt)
    writer.finish()
    return writer.summary(round(time.time() - started, 2), resumed)
