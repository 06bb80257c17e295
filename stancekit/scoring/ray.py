"""Scoring on a Ray cluster (optional extra: ``pip install 'stancekit[ray]'``).

:func:`score_with_ray` (``stancekit score --engine ray``) is the local job with the model in Ray
actors: the same folder, ``errors/``, resume and aggregate tables, for inputs the driver can read.

    from stancekit.scoring.ray import score_with_ray
    score_with_ray("articles.jsonl", "scored/", model="news-small", id_column="id", concurrency=8)

For a corpus in an object store, :func:`score_dataset` maps :class:`RayScorer` over a Ray Dataset
and writes ``sentences`` and ``stances`` with Ray's writers; bad records are not split out there
(clean the dataset with ``ds.filter`` first) and there are no aggregate tables.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from stancekit.errors import InputError
from stancekit.scoring.chunk import ChunkOptions, ChunkResult, score_chunk
from stancekit.scoring.job import ScoreSummary


class RayScorer:
    """``ds.map_batches(RayScorer, fn_constructor_kwargs=..., batch_format="pandas", concurrency=N)``.

    Each output row is one document: ``doc_id`` plus its sentence and stance rows as lists.
    """

    def __init__(
        self,
        model: str | None = None,
        text_column: str = "text",
        id_column: str = "id",
        batch_size: int = 32,
        precision: str = "auto",
    ) -> None:
        import stancekit

        self.analyzer = stancekit.load(model, batch_size=batch_size, precision=precision)
        self.text_column = text_column
        self.id_column = id_column

    def __call__(self, batch):
        import pandas as pd

        texts = [str(t) for t in batch[self.text_column]]
        ids = [str(i) for i in batch[self.id_column]]
        docs = self.analyzer.analyze_many(texts)
        return pd.DataFrame(
            {
                "doc_id": ids,
                "sentences": [d.sentence_rows(i) for i, d in zip(ids, docs, strict=True)],
                "stances": [d.stance_rows(i) for i, d in zip(ids, docs, strict=True)],
            }
        )


def _explode(column: str):
    def fn(row):
        return list(row[column])

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
    """Score a Ray Dataset into ``output``/sentences and ``output``/stances (Parquet)."""
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
    for table in ("sentences", "stances"):
        rows = scored.flat_map(_explode(table))
        counts[table] = rows.count()
        if counts[table]:
            rows.write_parquet(str(Path(output) / table) if "://" not in output else f"{output}/{table}")
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
