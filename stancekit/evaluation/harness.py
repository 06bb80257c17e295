"""The benchmark harness: accuracy, calibration and speed of models and baselines, one command.

    stancekit bench --models news-small news-base --out results/     # everything
    stancekit bench --models news-small --quick --out results/       # a few hundred examples (CI)
    stancekit bench --models ./my-model --stance-file my.jsonl --editorial-file my.tsv --no-speed --out results/

Nothing here assumes a checkout: the output folder, the example articles and the commit to record are
arguments (``benchmarks/run.py`` fills them in from the checkout).

User files are scored as they come: raw NewsMTSC JSONL, CheckThat! TSV, or the common schema.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np

from stancekit.data.examples import build_examples
from stancekit.data.sources import load_rows, named_datasets
from stancekit.data.userfiles import read_editorial_file, read_stance_file
from stancekit.errors import DataError, InputError
from stancekit.evaluation.baselines import PUBLISHED, baselines_for
from stancekit.evaluation.evaluate import babe_labels_of, collect_logits, labelled_logits, reports
from stancekit.evaluation.metrics import classification_report
from stancekit.labels import EDITORIAL_LABELS, STANCE_LABELS

#: the README block that ``--readme`` replaces with the results
README_BEGIN = "<!-- bench:begin -->"
README_END = "<!-- bench:end -->"

DEFAULT_DATASETS = [
    "newsmtsc-rw-dev",
    "newsmtsc-mt-dev",
    "checkthat-dev",
    "checkthat-dev-test",
    "babe-dev",
    "articlestance-dev",
    "articlestance-test",
]
#: train split used by the baselines for each evaluation set
BASELINE_TRAIN = {
    "newsmtsc": "newsmtsc-train",
    "checkthat": "checkthat-train",
    "babe": "babe-train",
    "articlestance": "articlestance-train",
}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--models",
        nargs="+",
        default=["news-small"],
        help="model names or folders (NAME:int8 dynamic int8; NAME:fp32, NAME:bf16 that precision)",
    )
    p.add_argument("--datasets", nargs="*", default=None, help=f"named sets (default: {' '.join(DEFAULT_DATASETS)})")
    p.add_argument("--stance-file", action="append", default=[], help="a labelled stance file to score")
    p.add_argument("--editorial-file", action="append", default=[], help="a labelled editorial file to score")
    p.add_argument("--data-dir", default=None, help="shared data folder (default: STANCEKIT_DATA or ../shared/data)")
    p.add_argument(
        "--babe-labels",
        choices=("bias", "opinion"),
        default=None,
        help="BABE column to score (default: the one the models were trained on, from their train.yaml)",
    )
    p.add_argument("--out", required=True, help="output folder (benchmarks/run.py: benchmarks/results)")
    p.add_argument(
        "--articles",
        default=None,
        help="folder of .txt articles for the speed run when the shared data is missing (benchmarks/run.py: examples)",
    )
    p.add_argument("--commit", default="unknown", help="the code version to record in the results (e.g. a git hash)")
    p.add_argument("--quick", action="store_true", help="a few hundred examples per set, small speed run")
    p.add_argument("--no-speed", action="store_true", help="skip the speed measurements")
    p.add_argument("--no-baselines", action="store_true", help="skip the lexicon baselines")
    p.add_argument("--no-actors", action="store_true", help="skip the actor test set (tests/data/actors_testset.jsonl)")
    p.add_argument("--no-plots", action="store_true", help="write no PNG plots")
    p.add_argument("--speed-sentences", type=int, default=2000, help="sentences timed per model")
    p.add_argument("--naive-sentences", type=int, default=300, help="sentences timed one by one (unbatched)")
    p.add_argument("--tag", default="", help="suffix for the output file names (results-TAG.md)")
    p.add_argument("--write-cards", action="store_true", help="write each model folder's README.md from the results")
    p.add_argument(
        "--readme",
        default=None,
        help=f"a Markdown file whose block between {README_BEGIN} and {README_END} is replaced by the results",
    )


def resolve_babe_labels(args) -> str:
    """The BABE column every system is scored on: ``--babe-labels``, else the one the models were trained on."""
    if args.babe_labels:
        return args.babe_labels
    from stancekit.modeling.checkpoint import find_model

    found = {babe_labels_of(find_model(parse_model_spec(m)[0])) for m in args.models}
    if len(found) > 1:
        raise InputError(f"the models were trained on different BABE columns ({sorted(found)}): pass --babe-labels")
    return found.pop() if found else "bias"


def _eval_sets(args, babe_labels: str = "bias") -> dict[str, tuple[str, list[dict]]]:
    """{name: (task, rows)} for named sets and user files."""
    sets: dict[str, tuple[str, list[dict]]] = {}
    names = (
        args.datasets
        if args.datasets is not None
        else (DEFAULT_DATASETS if not (args.stance_file or args.editorial_file) else [])
    )
    tasks = named_datasets()
    for name in names:
        sets[name] = (tasks.get(name, "?"), load_rows(name, args.data_dir, babe_labels=babe_labels))
    for f in args.stance_file:
        sets[Path(f).name] = ("stance", read_stance_file(f))
    for f in args.editorial_file:
        sets[Path(f).name] = ("editorial", read_editorial_file(f))
    if args.quick:
        sets = {k: (t, _stratified_head(rows, 200)) for k, (t, rows) in sets.items()}
    return sets


def _stratified_head(rows: list[dict], n: int) -> list[dict]:
    """A deterministic, label-balanced-ish subsample (every k-th row)."""
    if len(rows) <= n:
        return rows
    step = len(rows) / n
    return [rows[int(i * step)] for i in range(n)]


def _model_examples(analyzer, sets) -> dict:
    """Each set's rows as model examples, with the analyzer's own actor finding (marking 'all')."""
    marking = analyzer.config.marking
    return {
        name: build_examples({task: rows}, marking, find_mentions=analyzer.find_mentions)
        for name, (task, rows) in sets.items()
    }


def evaluate_model(analyzer, sets, n_boot: int, examples: dict | None = None) -> dict:
    """The trainer's evaluation (:mod:`stancekit.evaluation.evaluate`) with the harness's details."""
    examples = examples if examples is not None else _model_examples(analyzer, sets)
    # a Predictor, so that a set labelled under a convention the model learnt apart is scored under it
    collected = labelled_logits(analyzer.new_predictor(), examples, {name: task for name, (task, _) in sets.items()})
    return reports(collected, analyzer.config, n_boot=n_boot, details=True)


def evaluate_default_convention(analyzer, sets, n_boot: int, examples: dict | None = None) -> dict:
    """The sets a model scores under another convention (NewsMTSC), scored under its default one instead.

    Why: a user's analyze() follows the default convention; these figures say what that costs on those sets."""
    from stancekit.data.sources import convention_of

    config = analyzer.config
    own = {n: v for n, v in sets.items() if convention_of(n) in config.conventions}
    if not own:
        return {}
    examples = examples if examples is not None else _model_examples(analyzer, own)
    predictor = analyzer.new_predictor().with_convention(None)
    collected = {name: (task, *collect_logits(predictor, examples[name])[task]) for name, (task, _) in own.items()}
    # the default convention's logits take the default's calibration, not the set's own convention's
    return reports(collected, config, n_boot=n_boot, conventions=dict.fromkeys(own))


def evaluate_baselines(sets, data_dir, n_boot: int, babe_labels: str = "bias") -> dict:
    results: dict[str, dict] = {}
    fitted: dict[tuple[str, str], list] = {}
    for name, (task, rows) in sets.items():
        prefix = name.split("-")[0]
        train_name = BASELINE_TRAIN.get(prefix) or ("newsmtsc-train" if task == "stance" else None)
        if task == "editorial" and train_name is None:
            train_rows = load_rows("checkthat-train", data_dir) + load_rows(
                "babe-train", data_dir, babe_labels=babe_labels
            )
            train_name = "checkthat-train+babe-train"
        else:
            train_rows = load_rows(train_name, data_dir, babe_labels=babe_labels)
        key = (task, train_name)
        if key not in fitted:
            fitted[key] = [b.fit(train_rows, task) for b in baselines_for(task)]
        labels = STANCE_LABELS if task == "stance" else EDITORIAL_LABELS
        y = np.array([labels.index(r["label"]) for r in rows])
        for b in fitted[key]:
            rep = classification_report(y, b.predict(rows, task), labels, n_boot=n_boot)
            rep["trained_on"] = train_name
            results.setdefault(b.name, {})[name] = rep
    return results


def speed_section(analyzer, args) -> dict:
    from stancekit.evaluation.speed import (
        articles_from_sentences,
        machine,
        measure_analyze,
        measure_components,
        measure_naive,
        measure_per_article,
        measure_startup,
        peak_rss_mb,
    )

    n = 200 if args.quick else args.speed_sentences
    try:
        sents = [r["text"] for r in load_rows("newsmtsc-train", args.data_dir)]
        source = "NewsMTSC train sentences grouped 25 per article"
    except Exception:  # no shared data: the example articles, repeated
        files = sorted(Path(args.articles).glob("*.txt")) if args.articles else []
        if not files:
            raise InputError(
                "the speed run needs sentences: pass --data-dir, or --articles DIR with .txt files"
            ) from None
        sents = []
        for seg in analyzer.segment([f.read_text("utf-8") for f in files]):
            sents.extend(s.text for s in seg.sentences)
        source = f"{args.articles}/*.txt sentences, repeated"
    seen, unique = set(), []
    for s in sents:
        if s not in seen:
            seen.add(s)
            unique.append(s)
    articles = articles_from_sentences(unique[: max(n, 25)], min_sentences=n)
    fast = measure_analyze(analyzer, articles)
    # per-article mode: the same sentences as 20-sentence articles, one analyze() call each
    single = measure_per_article(analyzer, articles_from_sentences(unique[: max(n, 20)], 20, min_sentences=n))
    n_naive = 40 if args.quick else args.naive_sentences
    naive_articles = articles_from_sentences(unique[:n_naive], min_sentences=n_naive)
    naive = measure_naive(analyzer, naive_articles)
    naive_fast = measure_analyze(analyzer, naive_articles)
    docs = analyzer.analyze_many(articles[: max(1, len(articles) // 4)])
    pairs = [
        {"text": s.text, "start": st.start - s.start, "end": st.end - s.start}
        for d in docs
        for s in d.sentences
        for st in s.stances
    ]
    comps = measure_components(analyzer, [s.text for d in docs for s in d.sentences], pairs)
    return {
        "articles": source,
        "input_sentences": n,  # joined into the articles; analyze() re-segments them
        "machine": machine(),
        "analyze": fast,
        "analyze_per_article": single,
        "naive_per_pair_bs1": naive,
        "analyze_on_naive_subset": naive_fast,
        "speedup_vs_naive": round(fast["sentences_per_s"] / max(naive["sentences_per_s"], 1e-9), 2),
        **comps,
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "startup_warm": measure_startup(
            str(analyzer.model_path), analyzer.quantized, analyzer.precision, runs=1 if args.quick else 2
        ),
    }


#: ``NAME:SUFFIX`` in ``--models``: how to load that variant of a model folder.
MODEL_VARIANTS: dict[str, dict] = {
    "int8": {"quantize": True},
    "fp32": {"precision": "float32"},
    "bf16": {"precision": "bfloat16"},
}


def parse_model_spec(spec: str) -> tuple[str, str, dict]:
    """``news-small:int8`` -> (``news-small``, ``int8``, load options); a plain name loads as the default."""
    name, sep, suffix = spec.rpartition(":")
    if sep and suffix in MODEL_VARIANTS:
        return name, suffix, dict(MODEL_VARIANTS[suffix])
    return spec, "", {}


def _float32_reference(models: dict, entry: dict) -> dict | None:
    """The float32, non-quantized run of the same model folder (what variants are compared with)."""
    for other in models.values():
        if other["path"] == entry["path"] and other.get("precision") == "float32" and not other.get("quantized"):
            return other
    return None


def run(args) -> dict:
    import stancekit

    started = time.time()
    babe_labels = resolve_babe_labels(args)
    sets = _eval_sets(args, babe_labels)
    n_boot = 200 if args.quick else 1000
    result = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "commit": args.commit,
        "command": "stancekit bench " + " ".join(sys.argv[2:] if sys.argv[1:2] == ["bench"] else sys.argv[1:]),
        "quick": bool(args.quick),
        "datasets": {k: {"task": t, "n": len(r)} for k, (t, r) in sets.items()},
        "babe_labels": babe_labels,
        "models": {},
        "baselines": {},
        "published": [
            {"dataset": d, "system": s, "macro_f1": f, "split": sp, "citation": c} for d, s, f, sp, c in PUBLISHED
        ],
    }
    for model in args.models:
        name, suffix, options = parse_model_spec(model)
        if suffix:  # the variant's own name in the results: the folder's model name and the suffix
            from stancekit.modeling.checkpoint import find_model, read_config

            folder = find_model(name)
            options["name"] = f"{read_config(folder).name or folder.name}-{suffix}"
        t = time.perf_counter()
        an = stancekit.load(name, **options)
        load_s = time.perf_counter() - t
        entry = {
            "path": str(an.model_path),
            "marking": an.config.marking,
            "precision": an.precision,
            "quantized": an.quantized,
            "load_seconds": round(load_s, 2),
        }
        examples = _model_examples(an, sets)
        entry["accuracy"] = evaluate_model(an, sets, n_boot, examples)
        if an.config.conventions:
            entry["default_convention"] = evaluate_default_convention(an, sets, n_boot, examples)
        if an.config.holder_probe:  # the model's holder probe weighs in on the rules' holders
            entry["holders"] = evaluate_holder_sets(args.data_dir, an)
        if not getattr(args, "no_actors", False):
            from stancekit.evaluation.actors import evaluate_analyzer_actors

            entry["actors"] = {k: v for k, v in evaluate_analyzer_actors(an).items() if k != "errors"}
        if not args.no_speed:
            entry["speed"] = speed_section(an, args)
        key = an.name or model
        if key in result["models"]:  # two folders of one model name (candidates): keep both, by path
            key = model
        result["models"][key] = entry
        del an
    for entry in result["models"].values():
        reference = _float32_reference(result["models"], entry)
        if reference is not None and reference is not entry:
            entry["agreement_with_fp32"] = {
                ds: float(np.mean(np.array(rep["predictions"]) == np.array(reference["accuracy"][ds]["predictions"])))
                for ds, rep in entry["accuracy"].items()
                if ds in reference["accuracy"]
            }
    if not args.no_baselines:
        result["baselines"] = evaluate_baselines(sets, args.data_dir, n_boot, babe_labels)
    result["holders"] = evaluate_holder_sets(args.data_dir)
    result["seconds"] = round(time.time() - started, 1)
    return result


def evaluate_holder_sets(data_dir, analyzer=None) -> dict:
    """Holder accuracy on the annotated article-stance dev and test splits (empty when not installed): the
    attribution rules alone, or with ``analyzer``'s holder probe."""
    from stancekit.data.articlestance import load_pairs
    from stancekit.evaluation.holders import PipelineMentions, evaluate_holders
    from stancekit.text.attribution import AttributionFinder

    finder = AttributionFinder()
    actors = PipelineMentions()  # the analyzer's actor finding: kinds, canonical names, coreference mentions
    out = {}
    for split in ("dev", "test"):
        try:
            pairs = load_pairs(split, data_dir)
        except (DataError, OSError):  # the shared datasets the pairs point into are not all there
            return {}
        out[f"articlestance-{split}"] = evaluate_holders(pairs, finder, actors, analyzer)
    return out


def _holder_rows(r: dict) -> list[tuple[str, dict]]:
    """(who decides, holder figures per set): the attribution rules alone, then each model's holder probe."""
    rows = [("rules", r["holders"])] if r.get("holders") else []
    rows += [(f"`{model}` (rules + probe)", m["holders"]) for model, m in r["models"].items() if m.get("holders")]
    return rows


def _holder_lines(r: dict) -> list[str]:
    rows = _holder_rows(r)
    if not rows:
        return []
    lines = [
        "",
        "## Stance holders (author vs quoted/reported source; non-neutral annotated pairs)",
        "",
        "The attribution rules alone, and with each model's holder probe (`stancekit.modeling.holder_probe`, "
        "fitted on articlestance-train, chosen on dev).",
        "",
        "| set | decided by | pairs (sentences) | holder kind | always author | source name | always author |",
        "|---|---|---|---|---|---|---|",
    ]
    for who, sets in rows:
        for name, h in sets.items():
            b = h["baseline_always_author"]
            lines.append(
                f"| {name} | {who} | {h['pairs']} ({h['sentences']}) | **{h['holder_kind_accuracy']:.3f}** | "
                f"{b['holder_kind_accuracy']:.3f} | **{h['source_name_accuracy']:.3f}** (n={h['source_pairs']}) | "
                f"{b['source_name_accuracy']:.3f} |"
            )
    return lines


def _default_convention_lines(r: dict, cell) -> list[str]:
    """Sets scored above under a convention the model learnt apart, scored again under the default."""
    rows = [(model, m["default_convention"]) for model, m in r["models"].items() if m.get("default_convention")]
    if not rows:
        return []
    lines = [
        "",
        'Scored above under their own stance convention (NewsMTSC\'s; `load(..., convention="newsmtsc")`); under the '
        'default convention, which `analyze()` follows (docs/schema.md, "Stance conventions"):',
        "",
        "| model | " + " | ".join(sorted({n for _, reps in rows for n in reps})) + " |",
        "|---|" + "---|" * len({n for _, reps in rows for n in reps}),
    ]
    names = sorted({n for _, reps in rows for n in reps})
    lines += [f"| stancekit `{model}` | " + " | ".join(cell(reps.get(n)) for n in names) + " |" for model, reps in rows]
    return lines


def to_markdown(r: dict) -> str:
    names = list(r["datasets"])
    lines = [
        f"# stancekit benchmark{' (quick)' if r['quick'] else ''}",
        "",
        f"- date: {r['date']}, commit: `{r['commit']}`",
        f"- command: `{r['command']}`",
        f"- BABE scored on `label_{r.get('babe_labels', 'bias')}` (the column the models were trained on)",
    ]
    speed_machine = next((m["speed"]["machine"] for m in r["models"].values() if "speed" in m), None)
    if speed_machine:
        lines.append(
            f"- machine: {speed_machine['cpus']} CPUs, torch {speed_machine['torch']} with "
            f"{speed_machine['torch_threads']} threads, Python {speed_machine['python']}"
        )
    lines += [
        "",
        "## Macro-F1 (95% bootstrap CI)",
        "",
        "| system | " + " | ".join(f"{n} (n={r['datasets'][n]['n']})" for n in names) + " |",
        "|---|" + "---|" * len(names),
    ]

    def cell(rep):
        if rep is None:
            return "–"
        lo, hi = rep["macro_f1_ci95"]
        return f"**{rep['macro_f1']:.3f}** [{lo:.3f}, {hi:.3f}]" if hi else f"{rep['macro_f1']:.3f}"

    for model, m in r["models"].items():
        lines.append(f"| stancekit `{model}` | " + " | ".join(cell(m["accuracy"].get(n)) for n in names) + " |")
    for b, reps in r["baselines"].items():
        lines.append(f"| {b} | " + " | ".join(cell(reps.get(n)) for n in names) + " |")
    lines += _default_convention_lines(r, cell)
    if r["published"]:
        lines += [
            "",
            "Published results (not run here; different or unavailable test splits):",
            "",
            "| dataset | system | macro-F1 | split | source |",
            "|---|---|---|---|---|",
        ]
        lines += [
            f"| {p['dataset']} | {p['system']} | {p['macro_f1']:.3f} | {p['split']} | {p['citation']} |"
            for p in r["published"]
        ]
    lines += _holder_lines(r)
    lines += [
        "",
        "## Calibration (expected calibration error, 10 bins)",
        "",
        "| model | dataset | ECE before calibration | ECE after | accuracy |",
        "|---|---|---|---|---|",
    ]
    for model, m in r["models"].items():
        for n, rep in m["accuracy"].items():
            lines.append(
                f"| `{model}` | {n} | {rep['ece_uncalibrated']:.3f} | {rep['ece']:.3f} | {rep['accuracy']:.3f} |"
            )
    agreements = [(model, m["agreement_with_fp32"]) for model, m in r["models"].items() if "agreement_with_fp32" in m]
    if agreements:
        lines += [
            "",
            "## Agreement with float32 (share of identical labels; bf16: bfloat16 autocast, int8: dynamic int8)",
            "",
            "| model | " + " | ".join(names) + " |",
            "|---|" + "---|" * len(names),
        ]
        for model, agr in agreements:
            lines.append(f"| `{model}` | " + " | ".join(f"{agr.get(n, float('nan')):.4f}" for n in names) + " |")
    lines += _actor_lines(r)
    speeds = [(model, m["speed"], m["load_seconds"]) for model, m in r["models"].items() if "speed" in m]
    if speeds:
        lines += [
            "",
            "## Speed",
            "",
            "| model | analyze_many() sentences/s | analyze() per article sentences/s | pairs/sentence | "
            "naive per-pair bs=1 sentences/s | speed-up | "
            "stance pairs/s | editorial sentences/s | load s (in run) | import + load s, fresh process (warm) | "
            "first analyze() s (loads spaCy) | peak RSS MB |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for model, s, load in speeds:
            lines.append(
                f"| `{model}` | {s['analyze']['sentences_per_s']} ({s['analyze']['sentences']} sentences) | "
                f"{s.get('analyze_per_article', {}).get('sentences_per_s', '–')} | "
                f"{s['analyze']['pairs_per_sentence']} | {s['naive_per_pair_bs1']['sentences_per_s']} "
                f"({s['naive_per_pair_bs1']['sentences']} sentences) | {s['speedup_vs_naive']}x | "
                f"{s['stance_pairs_per_s']} | {s['editorial_sentences_per_s']} | {load} | "
                f"{s.get('startup_warm', {}).get('import_and_load_s', '–')} | "
                f"{s.get('startup_warm', {}).get('first_analyze_s', '–')} | {s['peak_rss_mb']} |"
            )
        lines.append("")
        lines.append(
            f"Articles: {speeds[0][1]['articles']} for analyze_many() (one call over all), the same sentences 20 per "
            "article for analyze() (one call per article). End-to-end includes segmentation and NER."
        )
    return "\n".join(lines) + "\n"


#: actor figures of the code before issue 18, measured once (benchmarks/results/actors.md says how)
ACTORS_BEFORE = Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "actors-before.json"


def _actor_lines(r: dict) -> list[str]:
    """The actor test set's precision/recall per model, next to the figures of the code before."""
    rows = [(model, m["actors"]) for model, m in r["models"].items() if "actors" in m]
    if not rows:
        return []
    if ACTORS_BEFORE.is_file():
        rows.insert(0, ("before (main, recorded)", json.loads(ACTORS_BEFORE.read_text("utf-8"))))
    lines = [
        "",
        f"## Actors (project test set, {rows[-1][1]['items']} items; no model pass)",
        "",
        "| actor finder | mention P | mention R | actor P | actor R | kind accuracy | pronoun R | description R |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, a in rows:
        by_type = a["recall_by_mention_type"]
        lines.append(
            f"| {name} | {a['mentions']['precision']:.3f} | {a['mentions']['recall']:.3f} | "
            f"{a['actors']['precision']:.3f} | {a['actors']['recall']:.3f} | {a['kind_accuracy']} | "
            f"{by_type.get('pronoun', 0):.3f} | {by_type.get('description', 0):.3f} |"
        )
    return lines


def plots(r: dict, out: Path, tag: str) -> list[str]:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return []
    files = []
    names = list(r["datasets"])
    systems = [(f"stancekit {m}", v["accuracy"]) for m, v in r["models"].items()] + list(r["baselines"].items())
    fig, ax = plt.subplots(figsize=(max(8, 2 * len(names)), 4.5))
    width = 0.8 / max(1, len(systems))
    for i, (label, reps) in enumerate(systems):
        xs, ys, err = [], [], [[], []]
        for j, n in enumerate(names):
            if n in reps:
                rep = reps[n]
                xs.append(j + i * width)
                ys.append(rep["macro_f1"])
                lo, hi = rep["macro_f1_ci95"]
                err[0].append(max(0, rep["macro_f1"] - lo))
                err[1].append(max(0, hi - rep["macro_f1"]))
        ax.bar(xs, ys, width, yerr=err, capsize=2, label=label)
    ax.set_xticks([j + 0.4 - width / 2 for j in range(len(names))], names, rotation=15)
    ax.set_ylabel("macro-F1")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=7, loc="lower right")
    ax.set_title("Macro-F1 per dataset (95% bootstrap CI)")
    fig.tight_layout()
    f = out / f"macro_f1{tag}.png"
    fig.savefig(f, dpi=110)
    plt.close(fig)
    files.append(f.name)
    fig, axes = plt.subplots(1, 2, figsize=(9, 4))
    for ax, task in zip(axes, ("stance", "editorial"), strict=True):
        ax.plot([0, 1], [0, 1], "k:", lw=1)
        for model, m in r["models"].items():
            for n, rep in m["accuracy"].items():
                if rep["task"] == task and rep["reliability"]:
                    conf = [b[2] for b in rep["reliability"]]
                    acc = [b[1] for b in rep["reliability"]]
                    ax.plot(conf, acc, "o-", ms=3, label=f"{model} {n}")
        ax.set_title(f"Reliability: {task}")
        ax.set_xlabel("confidence")
        ax.set_ylabel("accuracy")
        ax.legend(fontsize=6)
    fig.tight_layout()
    f = out / f"reliability{tag}.png"
    fig.savefig(f, dpi=110)
    plt.close(fig)
    files.append(f.name)
    return files


def to_readme_markdown(r: dict) -> str:
    """The README's short block: macro-F1 of the models with intervals, holders, speed (the rest stays in
    ``results.md``)."""
    names = [n for n in r["datasets"] if any(n in m["accuracy"] for m in r["models"].values())]
    lines = [
        f"- date: {r['date'][:10]}; the code version and machine are in `benchmarks/results/results.md`",
        f"- command: `{r['command']}`",
        "",
        "| model | " + " | ".join(f"{n} (n={r['datasets'][n]['n']})" for n in names) + " |",
        "|---|" + "---|" * len(names),
    ]
    for model, m in r["models"].items():
        cells = []
        for n in names:
            rep = m["accuracy"].get(n)
            cells.append("–" if rep is None else f"{rep['macro_f1']:.3f}")
        lines.append(f"| `{model}` | " + " | ".join(cells) + " |")
    best = {}
    for reps in r.get("baselines", {}).values():
        for n, rep in reps.items():
            best[n] = max(best.get(n, 0.0), rep["macro_f1"])
    if best:
        lines.append("| best baseline | " + " | ".join(f"{best[n]:.3f}" if n in best else "–" for n in names) + " |")
    lines += [
        "",
        f"Macro-F1 on the dev splits (articlestance-test: the project's held-out article split; BABE on "
        f"`label_{r.get('babe_labels', 'bias')}`, the column the models were trained on).",
    ]
    own = [(model, m["default_convention"]) for model, m in r["models"].items() if m.get("default_convention")]
    for model, reps in own:
        lines.append(
            f'`{model}` scores NewsMTSC under NewsMTSC\'s own stance convention (`convention="newsmtsc"`); under '
            "the default one, which `analyze()` follows: "
            + ", ".join(f"{n} {rep['macro_f1']:.3f}" for n, rep in reps.items())
            + "."
        )
    rows = _holder_rows(r)
    if rows:
        first = rows[0][1]
        h = first.get("articlestance-test") or next(iter(first.values()))
        b = h["baseline_always_author"]
        lines += [
            "",
            f"Stance holders (articlestance-test, {h['pairs']} polar pairs, {h['source_pairs']} of them source-held; "
            f"always-author baseline: holder kind {b['holder_kind_accuracy']:.3f}):",
            "",
            "| decided by | holder kind accuracy | source name accuracy |",
            "|---|---|---|",
        ]
        for who, sets in rows:
            h = sets.get("articlestance-test") or next(iter(sets.values()))
            lines.append(f"| {who} | {h['holder_kind_accuracy']:.3f} | {h['source_name_accuracy']:.3f} |")
    speeds = [(model, m["speed"]) for model, m in r["models"].items() if "speed" in m]
    if speeds:
        lines += [
            "",
            "| model | analyze_many() sentences/s | analyze() per article sentences/s | peak RSS MB |",
            "|---|---|---|---|",
        ]
        for model, sp in speeds:
            lines.append(
                f"| `{model}` | {sp['analyze']['sentences_per_s']} | "
                f"{sp.get('analyze_per_article', {}).get('sentences_per_s', '–')} | {sp['peak_rss_mb']} |"
            )
    return "\n".join(lines) + "\n"


def write_readme_block(path: Path, md: str) -> None:
    """Replace the block between the bench markers of ``path`` with the results (headings one level down)."""
    text = path.read_text("utf-8")
    ok = text.count(README_BEGIN) == 1 and text.count(README_END) == 1
    if not ok or text.index(README_BEGIN) > text.index(README_END):
        raise InputError(f"{path}: needs exactly one {README_BEGIN} ... {README_END} block")
    body = "\n".join(
        line.replace("## ", "### ", 1) if line.startswith("## ") else line
        for line in md.splitlines()
        if not line.startswith("# stancekit benchmark")
    ).strip()
    head, rest = text.split(README_BEGIN)
    _, tail = rest.split(README_END)
    path.write_text(f"{head}{README_BEGIN}\n{body}\n{README_END}{tail}", "utf-8")


def main(args) -> int:
    if args.readme and not Path(args.readme).is_file():
        raise InputError(f"--readme {args.readme}: no such file")
    result = run(args)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    tag = f"-{args.tag.lstrip('-')}" if args.tag else ("-quick" if args.quick else "")
    (out / f"results{tag}.json").write_text(json.dumps(result, indent=1) + "\n", "utf-8")
    md = to_markdown(result)
    (out / f"results{tag}.md").write_text(md, "utf-8")
    if not args.no_plots:
        plots(result, out, tag)
    if args.write_cards:
        from stancekit.evaluation.card import write_card

        for key, entry in result["models"].items():
            # a folder's card reports its float32 run (variants share the folder)
            if entry.get("precision", "float32") == "float32" and not entry.get("quantized"):
                print("wrote", write_card(Path(entry["path"]), result, key))
    if args.readme:
        write_readme_block(Path(args.readme), to_readme_markdown(result))
        print("wrote the results block of", args.readme)
    print(md)
    return 0


def cli_main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        prog="benchmarks/run.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_arguments(p)
    return main(p.parse_args(argv))
