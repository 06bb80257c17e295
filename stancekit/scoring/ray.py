"""Scoring on a Ray cluster (optional extra: ``pip install 'stancekit[ray]'``).

:func:`score_with_ray` (``stancekit score --engine ray``) is the local job with the model in Ray
actors: the same folder, ``errors/``, resume and aggregate tables, for inputs the driver can read.

    from stancekit.scoring.ray import score_with_ray
    score_with_ray("articles.jsonl", "scored/", model="news-small", id_column="id", concurrency=8)

For a corpus in an object store, :func:`score_dataset` maps :class:`RayScorer` over a Ray Dataset
and writes ``sentences``, ``stances`` and ``errors`` with Ray's writers (the same checks and rows,
named by id since Ray's readers give no line numbers); there are no aggregate tables, no manifest
and no resume there.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from stancekit.errors import InputError
from stancekit.scoring.chunk import ChunkOptions, ChunkResult, score_chunk
from stancekit.scoring.job import DEFAULT_LANGUAGES, MAX_DOC_CHARS, ScoreSummary, parse_languages
from stancekit.scoring.readers import ReadOptions, make_record


class RayScorer:
    """``ds.map_batches(RayScorer, fn_constructor_kwargs=..., batch_format="pandas", concurrency=N)``.

    Each batch of records is checked and scored by :func:`~stancekit.scoring.chunk.score_chunk`, as in
    the local path; each output row holds one batch's ``sentences``, ``stances`` and ``errors`` rows
    as JSON text (nested rows whose types differ between batches would not concatenate in Arrow).
    """

    def __init__(
        self,
        model: str | None = None,
        text_column: str = "text",
        id_column: str = "id",
        batch_size: int = 32,
        precision: str = "auto",
        max_chars: int = MAX_DOC_CHARS,
        languages=DEFAULT_LANGUAGES,
    ) -> None:
        import stancekit

        self.analyzer = stancekit.load(model, batch_size=batch_size, precision=precision)
        self.read = ReadOptions(text_column, id_column)
        langs = parse_languages(languages)
        self.options = ChunkOptions(max_chars=max_chars, languages=langs, metadata=[], keep_columns=[])

    def __call__(self, batch):
        import pandas as pd

        # Ray's readers give no line numbers: a record is named by its id (line 0)
        records = [make_record("dataset", 0, rec, self.read) for rec in batch.to_dict("records")]
        tables = score_chunk(self.analyzer, records, self.options).tables
        return pd.DataFrame({t: [json.dumps(tables[t], default=str)] for t in ("sentences", "stances", "errors")})


def _explode(column: str):
    def fn(row):
        return json.loads(row[column])

    return fn


def score_dataset(
    ds,
    output: str,
    *,
    model: str | None = None,
    text_column: str = "text",
    id_column: str = "id",
    batch_size: int = 32,
    concurrency: int = 1,
    docs_per_batch: int = 64,
    precision: str = "auto",
) -> dict:
    """Score a Ray Dataset into ``output``/sentences, ``output``/stances (Parquet) and ``output``/errors (JSONL)."""
    scored = ds.map_batches(
        RayScorer,
        fn_constructor_kwargs={
            "model": model,
            "text_column": text_column,
            "id_column": id_column,
            "batch_size": batch_size,
            "precision": precision,
        },
        batch_size=docs_per_batch,
        batch_format="pandas",
        concurrency=concurrency,
    ).materialize()
    counts = {}
    for table in ("sentences", "stances", "errors"):
        rows = scored.flat_map(_explode(table))
        counts[table] = rows.count()
        if counts[table]:
            path = str(Path(output) / table) if "://" not in output else f"{output}/{table}"
            if table == "errors":  # JSON Lines, as the local path writes them
                rows.write_json(path)
            else:
                rows.write_parquet(path)
    return counts


class ChunkWorker:
    """A Ray actor's state: one Analyzer, loaded once, scoring whole chunks with the local path's code."""

    def __init__(self, model: str, load_kwargs: dict, options: ChunkOptions) -> None:
        import stancekit

        self.analyzer = stancekit.load(model, **load_kwargs)
        self.options = options

    def score(self, chunk: list) -> ChunkResult:
        return score_chunk(self.analyzer, chunk, self.options)


def _ordered(actors: list, chunks: Iterable[list], in_flight: int) -> Iterator[ChunkResult]:
    """Each chunk's result, in input order, with at most ``in_flight`` chunks sent out (bounded memory)."""
    from ray.util import ActorPool

    pool = ActorPool(actors)
    pending = 0
    for chunk in chunks:
        pool.submit(lambda actor, c: actor.score.remote(c), chunk)
        pending += 1
        if pending >= in_flight:
            yield pool.get_next()
            pending -= 1
    while pool.has_next():
        yield pool.get_next()


def score_with_ray(
    inputs,
    output,
    *,
    model: str | None = None,
    batch_size: int = 32,
    precision: str = "auto",
    concurrency: int = 1,
    worker_cpus: float = 1,
    **kwargs,
) -> ScoreSummary:
    """:func:`stancekit.scoring.job.score` with the documents analyzed by ``concurrency`` Ray actors.

    Reading, checking, writing (``errors/`` included), resuming and the aggregate tables are the
    local job's, so the folder is the one the local path writes; only the model runs in the actors
    (``worker_cpus`` each). ``kwargs`` are :func:`~stancekit.scoring.job.prepare`'s, with the same
    names and defaults. Ray is started here if it is not running, and stopped again at the end.
    """
    import ray

    import stancekit
    from stancekit.scoring.job import prepare

    if output is None:
        raise InputError("score_with_ray writes to a folder: pass output (in-memory results are the local path's)")
    if not isinstance(concurrency, int) or isinstance(concurrency, bool) or concurrency < 1:
        raise InputError(f"concurrency must be a positive integer, got {concurrency!r}")
    job = prepare(inputs, output, **kwargs)  # every check that needs no model, before any model loads
    started_ray = False
    try:
        # the driver's Analyzer names the model in the manifest; the actors load the same folder
        analyzer = stancekit.load(model, batch_size=batch_size, precision=precision)
        if not ray.is_initialized():
            ray.init(include_dashboard=False)
            started_ray = True
        worker = ray.remote(num_cpus=worker_cpus)(ChunkWorker)
        load_kwargs = {"batch_size": batch_size, "precision": precision}
        actors = [worker.remote(str(analyzer.model_path), load_kwargs, job.chunk_options()) for _ in range(concurrency)]
    except BaseException:
        job.close()
        if started_ray:
            ray.shutdown()
        raise
    try:
        return job.run(analyzer, map_chunks=lambda chunks: _ordered(actors, chunks, 2 * concurrency))
    finally:
        for actor in actors:
            ray.kill(actor)
        if started_ray:
            ray.shutdown()
