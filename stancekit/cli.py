"""The ``stancekit`` command: analyze, train, bench, score. Thin: parses, then calls the library."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path

from stancekit.errors import StancekitError
from stancekit.modeling.precision import add_precision_argument

LABEL_MARK = {"negative": "-", "neutral": "0", "positive": "+"}


def _read_input(path: str) -> str:
    if path == "-":
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:  # a text stream (already decoded) stands in for stdin
            return sys.stdin.read()
        data = stream.read()
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise StancekitError(f"<stdin>: not UTF-8 text (byte {exc.start})") from exc
    p = Path(path)
    if not p.is_file():
        raise StancekitError(f"{path}: no such file")
    try:
        return p.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise StancekitError(f"{path}: not UTF-8 text (byte {exc.start})") from exc


def print_document(doc, out=sys.stdout, width: int = 100) -> None:
    """A readable per-sentence table: E marks editorializing, then each actor and its label."""
    out.write(f"{'#':>3}  {'E?':<3} {'P(ed)':>5}  sentence / actor: stance\n")
    out.write("-" * width + "\n")
    for s in doc.sentences:
        mark = "E" if s.editorial else "."
        lines = textwrap.wrap(s.text, width - 16) or [""]
        out.write(f"{s.index:>3}  {mark:<3} {s.editorial_score:>5.2f}  {lines[0]}\n")
        for line in lines[1:]:
            out.write(" " * 16 + line + "\n")
        for st in s.stances:
            p = st.scores[st.label]
            out.write(" " * 18 + f"{LABEL_MARK[st.label]} {st.actor} [{st.mention}]: {st.label} ({p:.2f})\n")
    out.write("-" * width + "\n")
    out.write(f"editorial sentences: {sum(s.editorial for s in doc.sentences)}/{len(doc.sentences)}\n")
    if doc.actors:
        out.write("actors (mentions: negative/neutral/positive, mean P(pos)-P(neg)):\n")
        for a in sorted(doc.actors, key=lambda a: -a.mentions):
            c = a.counts
            out.write(
                f"  {a.name} ({a.kind}) x{a.mentions}: {c['negative']}/{c['neutral']}/{c['positive']}"
                f"  {a.mean_score:+.2f}\n"
            )


def cmd_analyze(args) -> int:
    import stancekit

    texts = [_read_input(path) for path in args.files]  # bad input fails before the model loads
    an = stancekit.load(args.model, precision=args.precision)
    actors = []
    for spec in args.actor or []:
        name, _, aliases = spec.partition("=")
        actors.append({"name": name, "aliases": [a for a in aliases.split(",") if a]})
    for i, (path, text) in enumerate(zip(args.files, texts, strict=True)):
        doc = an.analyze(text, actors or None, use_ner=not args.no_ner)
        if args.json:
            sys.stdout.write(doc.to_json() + "\n")
        else:
            if len(args.files) > 1:
                sys.stdout.write(("\n" if i else "") + f"== {path}\n")
            print_document(doc)
    return 0


def cmd_train(args) -> int:
    import logging

    import stancekit

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    overrides = {}
    if args.output_dir:
        overrides["output_dir"] = args.output_dir
    if args.data_dir:
        overrides["data_dir"] = args.data_dir
    if args.device:
        overrides["device"] = args.device
    metrics = stancekit.train(args.config, **overrides)
    summary = {name: round(r["macro_f1"], 4) for name, r in {**metrics["dev"], **metrics["report"]}.items()}
    print(json.dumps({"macro_f1": summary, "calibration": metrics["calibration"]}, indent=2))
    return 0


def cmd_calibrate(args) -> int:
    from stancekit.modeling.checkpoint import find_model
    from stancekit.training.trainer import recalibrate

    metrics = recalibrate(find_model(args.model), args.data_dir, args.mode)
    print(json.dumps(metrics["calibration"], indent=2))
    return 0


def cmd_bench(args) -> int:
    from stancekit.evaluation.harness import main as bench_main

    return bench_main(args)


def cmd_score(args) -> int:
    from stancekit.scoring.cli import main as score_main

    return score_main(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stancekit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("analyze", help="per-sentence editorial flag and stance toward each actor")
    p.add_argument("files", nargs="+", help="text files, or - for standard input")
    p.add_argument("--model", default=None, help="model name or folder (default: news-small)")
    p.add_argument("--json", action="store_true", help="one JSON document per input")
    p.add_argument("--actor", action="append", metavar="NAME[=ALIAS,...]", help="an actor to look for")
    p.add_argument("--no-ner", action="store_true", help="only the --actor actors, no NER")
    add_precision_argument(p)
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("train", help="train a model from a train.yaml")
    p.add_argument("--config", required=True)
    p.add_argument("--output-dir", default=None)
    p.add_argument("--data-dir", default=None)
    p.add_argument("--device", default=None, help="torch device to train on (default: a CUDA GPU if visible, else cpu)")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("calibrate", help="refit a model's temperature (and biases) on its dev sets")
    p.add_argument("model")
    p.add_argument("--data-dir", default=None)
    p.add_argument("--mode", choices=["temperature+bias", "temperature"], default="temperature+bias")
    p.set_defaults(func=cmd_calibrate)

    from stancekit.evaluation.harness import add_arguments as add_bench_arguments

    p = sub.add_parser("bench", help="accuracy, calibration and speed against baselines")
    add_bench_arguments(p)
    p.set_defaults(func=cmd_bench)

    from stancekit.scoring.cli import add_arguments as add_score_arguments

    p = sub.add_parser("score", help="score a corpus to Parquet/JSONL, resumably")
    add_score_arguments(p)
    p.set_defaults(func=cmd_score)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except StancekitError as exc:
        print(f"stancekit: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
