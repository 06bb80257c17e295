"""``stancekit score INPUT... -o OUT`` and ``stancekit compare OUT --by COLUMN``."""

from __future__ import annotations

import argparse
import sys

from stancekit.errors import InputError
from stancekit.modeling.precision import add_precision_argument


def add_convention_argument(p: argparse.ArgumentParser) -> None:
    """``--convention`` for the ``analyze`` and ``score`` commands (the model checks the name when it loads)."""
    p.add_argument(
        "--convention",
        default=None,
        help="stance convention: the article guidelines by default; a model may know others (e.g. newsmtsc: "
        "a speaker marked by what they say, as NewsMTSC's annotators did); see docs/schema.md",
    )


def add_actor_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--actor",
        action="append",
        metavar="NAME[=ALIAS,...]",
        default=None,
        help="an actor to look for besides the NER actors (repeatable)",
    )
    p.add_argument(
        "--actors-file", action="append", metavar="FILE", default=None, help="actors from a JSON or YAML file"
    )
    p.add_argument("--no-ner", action="store_true", help="only the --actor / --actors-file actors, no NER")


def parse_actor_args(args: argparse.Namespace) -> list | None:
    """The actors of ``--actor`` and ``--actors-file`` (typed errors before any model loads)."""
    from stancekit.text.actors import actors_from_options

    return actors_from_options(args.actor, getattr(args, "actors_file", None)) or None


def add_arguments(p: argparse.ArgumentParser) -> None:
    from stancekit.scoring.job import CHUNK_CHARS, MAX_DOC_CHARS

    p.add_argument("inputs", nargs="+", help="JSONL (or a JSON array), CSV/TSV, Parquet files or folders of .txt files")
    p.add_argument("-o", "--output", required=True, help="output folder (created; one job at a time)")
    p.add_argument("--model", default=None, help="model name or folder (default: news-small)")
    p.add_argument("--text-column", default="text", help="column holding the document text")
    p.add_argument("--id-column", default=None, help="document id column (default: <file>:<line>)")
    p.add_argument("--encoding", default="utf-8", help="text encoding of the input files (utf-8 also skips a BOM)")
    p.add_argument(
        "--keep-columns",
        default="all",
        help="metadata columns copied onto every sentence and stance row: all, none, or a comma list "
        "(documents always get all of them)",
    )
    p.add_argument(
        "--group-by",
        default=None,
        metavar="COL[,COL:UNIT]",
        help="write a groups table by these columns; a date column takes :day, :week, :month, :quarter or :year",
    )
    p.add_argument(
        "--languages",
        default="en",
        help="languages scored (comma list of ISO codes); other documents go to errors/; 'any' scores all, warned",
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the bootstrap intervals in the groups table")
    p.add_argument("--format", choices=["parquet", "jsonl"], default="parquet", help="table file format")
    p.add_argument("--chunk-size", type=int, default=256, help="documents per output part (at most)")
    p.add_argument(
        "--chunk-chars", type=int, default=CHUNK_CHARS, help="characters per output part (about; bounds memory)"
    )
    p.add_argument("--max-chars", type=int, default=MAX_DOC_CHARS, help="longer documents go to errors/")
    p.add_argument("--batch-size", type=int, default=32, help="sentences per model batch")
    add_precision_argument(p)
    add_convention_argument(p)
    add_actor_arguments(p)
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--overwrite", action="store_true", help="clear OUT (only a folder stancekit wrote) and start again"
    )
    group.add_argument(
        "--update",
        action="store_true",
        help="input changed: score only new or changed documents (by id), keep the rest",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--engine", choices=["local", "ray"], default="local", help="where to run")
    p.add_argument("--workers", type=int, default=1, help="with --engine ray: Ray actors that run the model")


def main(args) -> int:
    import stancekit
    from stancekit.scoring.job import prepare

    options = dict(  # every option but the model's, for either engine
        text_column=args.text_column,
        id_column=args.id_column,
        fmt=args.format,
        chunk_size=args.chunk_size,
        chunk_chars=args.chunk_chars,
        max_chars=args.max_chars,
        overwrite=args.overwrite,
        update=args.update,
        progress=not args.quiet,
        actors=parse_actor_args(args),
        use_ner=not args.no_ner,
        group_by=args.group_by,
        keep_columns=args.keep_columns,
        languages=args.languages,
        encoding=args.encoding,
        seed=args.seed,
        tune_allocator=True,  # the command is its own process: keep resident memory flat (library default: off)
    )
    if args.engine == "ray":
        from stancekit.scoring.ray import score_with_ray

        if args.convention is not None:
            raise InputError("--convention is not supported with --engine ray; score with the local engine")

        summary = score_with_ray(
            args.inputs,
            args.output,
            model=args.model,
            batch_size=args.batch_size,
            precision=args.precision,
            concurrency=args.workers,
            **options,
        )
        print(summary, file=sys.stderr)
        return 1 if summary.failed else 0
    job = prepare(args.inputs, args.output, **options)  # every check that needs no model, before the model loads
    try:
        an = stancekit.load(
            args.model, batch_size=args.batch_size, precision=args.precision, convention=args.convention
        )
    except BaseException:
        job.close()
        raise
    summary = job.run(an)
    print(summary, file=sys.stderr)
    return 1 if summary.failed else 0


def add_compare_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("folder", help="a folder written by stancekit score")
    p.add_argument("--by", required=True, metavar="COL[,COL:UNIT]", help="metadata columns to compare")
    p.add_argument("--actor", default=None, help="only this actor (canonical name, any case); default: all")
    p.add_argument(
        "--holder", choices=["all", "author", "source"], default="all", help="whose stances: pooled, writer's, sources'"
    )
    p.add_argument("--seed", type=int, default=0, help="seed of the bootstrap intervals")
    p.add_argument("--csv", action="store_true", help="print CSV instead of a table")


def compare_main(args) -> int:
    from stancekit.scoring.read import read_scored

    frame = read_scored(args.folder).compare(args.by, args.actor, holder_kind=args.holder, seed=args.seed)
    if args.csv:
        frame.to_csv(sys.stdout, index=False)
        return 0
    if not len(frame):
        print("no stances to compare", file=sys.stderr)
        return 0
    keys = [c for c in frame.columns if c not in _VALUE_COLUMNS]
    width = max(len(" / ".join(str(r[k]) for k in keys)) for _, r in frame.iterrows()) + 2
    head = " / ".join(keys)
    print(f"{head:<{width}}{'actor':<24}{'docs':>5}{'ment':>6}  neg  neu  pos   mean  95% interval")
    for _, r in frame.iterrows():
        key = " / ".join(str(r[k]) for k in keys)
        print(
            f"{key:<{width}}{str(r['actor'])[:23]:<24}{r['documents']:>5}{r['mentions']:>6}"
            f" {r['share_negative']:>4.0%} {r['share_neutral']:>4.0%} {r['share_positive']:>4.0%}"
            f" {r['mean_score']:>+6.2f}  [{r['ci_low']:+.2f}, {r['ci_high']:+.2f}]"
        )
    return 0


_VALUE_COLUMNS = {
    "actor",
    "actor_kind",
    "holder_kind",
    "documents",
    "mentions",
    "share_negative",
    "share_neutral",
    "share_positive",
    "mean_score",
    "ci_low",
    "ci_high",
}
