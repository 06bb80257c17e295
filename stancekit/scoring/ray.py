"""Scoring beyond one machine with Ray Data (optional extra: ``pip install 'stancekit[ray]'``).

Ray's own readers and writers do the I/O; :class:`RayScorer` is a ``map_batches``-ready callable
class that loads the model once per worker. Rows and schema are the local path's.

    import ray, stancekit.scoring.ray as skray
    ds = ray.data.read_json("s3://bucket/articles/")             # or read_parquet / read_csv
    skray.score_dataset(ds, "s3://bucket/scored/", model="news-small", id_column="id")

Bad records are not split out here as in the local path: clean the dataset with Ray first
(``ds.filter``), or use the local path, which logs them to ``errors/``.
"""

from __future__ import annotations

from pathlib import Path

from stancekit.errors import InputError


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


def score_with_ray(args):
    """``stancekit score --engine ray``: read with Ray's readers, score, write with its writers."""
    import ray

    from stancekit.scoring.job import ScoreSummary

    if not args.id_column:
        raise InputError("--engine ray needs --id-column: Ray's readers give no line numbers for stable ids")
    if not ray.is_initialized():
        ray.init(ignore_reinit_error=True)
    paths = [str(p) for p in args.inputs]
    suffixes = {Path(p).suffix.lower() for p in paths}
    if suffixes <= {".jsonl", ".json"}:
        ds = ray.data.read_json(paths, lines=True)
    elif suffixes <= {".parquet"}:
        ds = ray.data.read_parquet(paths)
    elif suffixes <= {".csv"}:
        ds = ray.data.read_csv(paths)
    else:
        raise InputError(f"--engine ray reads JSONL, Parquet or CSV; got {sorted(suffixes)}")
    import time

    t = time.time()
    counts = score_dataset(
        ds,
        args.output,
        model=args.model,
        text_column=args.text_column,
        id_column=args.id_column,
        batch_size=args.batch_size,
        precision=args.precision,
    )
    return ScoreSummary(
        args.output, ds.count(), 0, counts["sentences"], counts["stances"], round(time.time() - t, 2), 0
    )
