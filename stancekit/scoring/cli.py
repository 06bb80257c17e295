"""``stancekit score INPUT... -o OUT``."""

from __future__ import annotations

import argparse
import sys

from stancekit.modeling.precision import add_precision_argument


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("inputs", nargs="+", help="JSONL, CSV/TSV, Parquet files or folders of .txt files")
    p.add_argument("-o", "--output", required=True, help="output folder")
    p.add_argument("--model", default=None)
    p.add_argument("--text-column", default="text")
    p.add_argument("--id-column", default=None, help="document id column (default: <file>:<line>)")
    p.add_argument("--format", choices=["parquet", "jsonl"], default="parquet")
    p.add_argument("--chunk-size", type=int, default=256, help="documents per output part (at most)")
    p.add_argument(
        "--chunk-chars", type=int, default=1_000_000, help="characters per output part (about; bounds memory)"
    )
    p.add_argument("--batch-size", type=int, default=32, help="sentences per model batch")
    add_precision_argument(p)
    p.add_argument("--overwrite", action="store_true", help="start again even if OUT holds another job")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--engine", choices=["local", "ray"], default="local")


def main(args) -> int:
    import stancekit

    if args.engine == "ray":
        from stancekit.scoring.ray import score_with_ray

        summary = score_with_ray(args)
    else:
        an = stancekit.load(args.model, batch_size=args.batch_size, precision=args.precision)
        summary = an.score(
            args.inputs,
            args.output,
            text_column=args.text_column,
            id_column=args.id_column,
            fmt=args.format,
            chunk_size=args.chunk_size,
            chunk_chars=args.chunk_chars,
            overwrite=args.overwrite,
            progress=not args.quiet,
        )
    print(summary, file=sys.stderr)
    return 1 if summary.failed else 0
