"""The ``stancekit`` command: analyze, report, train, bench, score. Thin: parses, then calls the library."""

from __future__ import annotations

import argparse
import json
import os
import sys
import textwrap
from pathlib import Path

from stancekit.errors import StancekitError
from stancekit.modeling.precision import add_precision_argument
from stancekit.scoring.cli import add_convention_argument

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


def _holder_split(actor) -> str:
    """' (author -0.40 x3, sources +0.10 x2)' when some of the actor's stances are held by sources."""
    src = actor.by_holder.get("source", {})
    if not src.get("mentions"):
        return ""
    parts = []
    aut = actor.by_holder.get("author", {})
    if aut.get("mentions"):  # an actor only sources speak about has no author part to show
        parts.append(f"author {aut['mean_score']:+.2f} x{aut['mentions']}")
    parts.append(f"sources {src['mean_score']:+.2f} x{src['mentions']}")
    return "  (" + ", ".join(parts) + ")"


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
            held = f" — held by {st.holder}" if st.holder_kind == "source" else ""
            out.write(" " * 18 + f"{LABEL_MARK[st.label]} {st.actor} [{st.mention}]: {st.label} ({p:.2f}){held}\n")
    out.write("-" * width + "\n")
    out.write(f"editorial sentences: {sum(s.editorial for s in doc.sentences)}/{len(doc.sentences)}\n")
    if doc.actors:
        out.write("actors (mentions: negative/neutral/positive, mean P(pos)-P(neg)):\n")
        for a in sorted(doc.actors, key=lambda a: -a.mentions):
            c = a.counts
            out.write(
                f"  {a.name} ({a.kind}) x{a.mentions}: {c['negative']}/{c['neutral']}/{c['positive']}"
                f"  {a.mean_score:+.2f}{_holder_split(a)}\n"
            )


def cmd_analyze(args) -> int:
    import stancekit
    from stancekit.text.actors import actors_from_options

    texts = [_read_input(path) for path in args.files]  # bad input fails before the model loads
    actors = actors_from_options(args.actor, args.actors_file)
    an = stancekit.load(args.model, precision=args.precision, convention=args.convention)
    for i, (path, text) in enumerate(zip(args.files, texts, strict=True)):
        if args.explain:
            doc = an.explain(text, actors or None, use_ner=not args.no_ner, method=args.explain_method)
        else:
            doc = an.analyze(text, actors or None, use_ner=not args.no_ner)
        if args.json:
            sys.stdout.write(doc.to_json() + "\n")
        else:
            if len(args.files) > 1:
                sys.stdout.write(("\n" if i else "") + f"== {path}\n")
            print_document(doc)
            if args.explain:
                from stancekit.explain.display import print_top_words

                print_top_words(doc)
    return 0


def cmd_report(args) -> int:
    import stancekit

    explain = None if args.explain == "none" else args.explain
    html = stancekit.report(
        args.input,
        args.output,
        model=args.model,
        explain=explain,
        title=args.title,
        group_by=args.group_by,
        date_column=args.date_column,
        holder_kind=args.holder_kind,
    )
    print(f"wrote {args.output} ({len(html.encode()) / 1024:.0f} KiB)")
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
    from stancekit.errors import TrainingPaused

    try:
        metrics = stancekit.train(args.config, resume=args.resume, max_steps=args.max_steps, **overrides)
    except TrainingPaused as paused:
        print(f"{paused}\nrerun with --resume to continue")
        return 3
    summary = {name: round(r["macro_f1"], 4) for name, r in {**metrics["dev"], **metrics["report"]}.items()}
    print(json.dumps({"macro_f1": summary, "calibration": metrics["calibration"]}, indent=2))
    return 0


def cmd_calibrate(args) -> int:
    from stancekit.modeling.checkpoint import find_model
    from stancekit.training.trainer import recalibrate

    metrics = recalibrate(find_model(args.model), args.data_dir, args.mode)
    print(json.dumps(metrics["calibration"], indent=2))
    return 0


def cmd_fit_readout(args) -> int:
    from stancekit.modeling.checkpoint import find_model
    from stancekit.training.readout import fit_readout

    print(json.dumps(fit_readout(find_model(args.model), args.data_dir), indent=2))
    return 0


def cmd_fit_holders(args) -> int:
    from stancekit.modeling.checkpoint import find_model
    from stancekit.training.holders import fit_holders

    print(json.dumps(fit_holders(find_model(args.model), args.data_dir), indent=2))
    return 0


def cmd_bench(args) -> int:
    from stancekit.evaluation.harness import main as bench_main

    return bench_main(args)


def cmd_score(args) -> int:
    from stancekit.scoring.cli import main as score_main

    return score_main(args)


def cmd_compare(args) -> int:
    from stancekit.scoring.cli import compare_main

    return compare_main(args)


class _DefaultsFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Appends ``(default: X)`` to an option's help unless the help already says it or there is none to say."""

    def _get_help_string(self, action) -> str:
        text = action.help or ""
        if "default" in text or not action.option_strings or action.required:
            return text
        if action.default is False or action.default is argparse.SUPPRESS:
            return text
        if action.default is None:
            return text + " (default: none)"
        return super()._get_help_string(action)


def build_parser() -> argparse.ArgumentParser:
    from stancekit import __version__

    fmt = _DefaultsFormatter
    parser = argparse.ArgumentParser(prog="stancekit", description=__doc__, formatter_class=fmt)
    parser.add_argument("--version", action="version", version=f"stancekit {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("analyze", help="per-sentence editorial flag and stance toward each actor", formatter_class=fmt)
    p.add_argument("files", nargs="+", help="text files, or - for standard input")
    p.add_argument("--model", default=None, help="model name or folder (default: news-small)")
    p.add_argument("--json", action="store_true", help="one JSON document per input")
    from stancekit.scoring.cli import add_actor_arguments

    add_actor_arguments(p)
    p.add_argument("--explain", action="store_true", help="also print the words behind each label")
    p.add_argument(
        "--explain-method",
        choices=["integrated-gradients", "occlusion"],
        default="integrated-gradients",
        help="how --explain weighs words (default: integrated-gradients, needs the explain extra)",
    )
    add_precision_argument(p)
    add_convention_argument(p)
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser(
        "report", help="a self-contained HTML report of an article (text file) or a scored folder", formatter_class=fmt
    )
    p.add_argument("input", help="a UTF-8 text file (article view) or a folder written by score (corpus view)")
    p.add_argument("-o", "--output", required=True, help="the .html file to write")
    p.add_argument("--model", default=None, help="model for an article (default: news-small)")
    p.add_argument(
        "--explain",
        choices=["integrated-gradients", "occlusion", "none"],
        default="integrated-gradients",
        help="word highlights for an article (default: integrated-gradients)",
    )
    p.add_argument("--title", default=None, help="page title (default: the file or folder name)")
    p.add_argument("--group-by", default=None, help="corpus: metadata column to group by (default: outlet, if present)")
    p.add_argument("--date-column", default=None, help="corpus: date column (default: date, if present)")
    p.add_argument("--holder-kind", choices=["author", "source"], default=None, help="corpus: only these stances")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("train", help="train a model from a train.yaml", formatter_class=fmt)
    p.add_argument("--config", required=True, help="the train.yaml to train from")
    p.add_argument("--output-dir", default=None, help="model folder to write (default: the config's output_dir)")
    p.add_argument("--data-dir", default=None, help="labelled data folder (default: $STANCEKIT_DATA)")
    p.add_argument("--device", default=None, help="torch device to train on (default: a CUDA GPU if visible, else cpu)")
    p.add_argument(
        "--resume", action="store_true", help="continue from <output_dir>/checkpoint/ (written with checkpoint_every)"
    )
    p.add_argument(
        "--max-steps",
        type=int,
        default=None,
        help="pause after this many steps in this call: write the checkpoint, exit with status 3",
    )
    p.set_defaults(func=cmd_train)

    p = sub.add_parser(
        "calibrate", help="refit a model's temperature (and biases) on its dev sets", formatter_class=fmt
    )
    p.add_argument("model", help="model name or folder")
    p.add_argument("--data-dir", default=None, help="labelled data folder (default: $STANCEKIT_DATA)")
    p.add_argument(
        "--mode", choices=["temperature+bias", "temperature"], default="temperature+bias", help="what is refitted"
    )
    p.set_defaults(func=cmd_calibrate)

    p = sub.add_parser(
        "fit-readout",
        help="fit a model's article read-out (the default convention's stance logits) on the article-stance "
        "train/dev splits",
        formatter_class=fmt,
    )
    p.add_argument("model", help="model name or folder (its stancekit_config.json is rewritten)")
    p.add_argument("--data-dir", default=None, help="labelled data folder (default: $STANCEKIT_DATA)")
    p.set_defaults(func=cmd_fit_readout)

    p = sub.add_parser(
        "fit-holders",
        help="fit a model's holder probe (author vs source) on the article-stance train/dev splits",
        formatter_class=fmt,
    )
    p.add_argument("model", help="model name or folder (its stancekit_config.json is rewritten)")
    p.add_argument("--data-dir", default=None, help="labelled data folder (default: $STANCEKIT_DATA)")
    p.set_defaults(func=cmd_fit_holders)

    from stancekit.evaluation.harness import add_arguments as add_bench_arguments

    p = sub.add_parser("bench", help="accuracy, calibration and speed against baselines", formatter_class=fmt)
    add_bench_arguments(p)
    p.set_defaults(func=cmd_bench)

    from stancekit.scoring.cli import add_arguments as add_score_arguments
    from stancekit.scoring.cli import add_compare_arguments

    p = sub.add_parser("score", help="score a corpus to Parquet/JSONL, resumably", formatter_class=fmt)
    add_score_arguments(p)
    p.set_defaults(func=cmd_score)

    p = sub.add_parser(
        "compare", help="compare groups (outlets, months) toward an actor from a scored folder", formatter_class=fmt
    )
    add_compare_arguments(p)
    p.set_defaults(func=cmd_compare)
    return parser


def main(argv: list[str] | None = None) -> int:
    from stancekit.errors import Interrupted

    args = build_parser().parse_args(argv)
    from stancekit.globalstate import tune_process

    tune_process()  # the command owns its process: opt in to the measured process settings
    try:
        return args.func(args)
    except Interrupted as exc:
        print(f"stancekit: {exc}", file=sys.stderr)
        return 130
    except KeyboardInterrupt:
        print("stancekit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`stancekit analyze ... | head`): stop quietly, as Unix tools do, and point stdout at
        # devnull so the interpreter's final flush cannot raise again (Python's documented recipe for SIGPIPE).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except StancekitError as exc:
        message = exc.cli_message() if hasattr(exc, "cli_message") else str(exc)
        print(f"stancekit: error: {message}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
