"""Holder accuracy on articlestance train and dev, and every error with what attribution found.

    STANCEKIT_DATA=... python benchmarks/holders_errors.py [--splits train dev] [--errors] [--kind source] [--gate N]
        [--sids FILE | --exclude-sids FILE]

Prints, per split, holder-kind accuracy (author vs source) and source-name accuracy against the
always-author baseline (the figures ``stancekit bench`` reports), then with ``--errors`` each wrong
pair: the sentence, the actor mention, the gold holder, the predicted one and the attributions found
(kind, source, cue and content). ``--sids`` / ``--exclude-sids`` keep or drop the sentences whose ids a file
lists (one id a line), so rules written on some sentences can be checked on others (e.g. one annotation
round's ids, ``benchmarks/results/articlestance-round4-sids.txt``). The test split is held back for the
bench: this script refuses it.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path

from stancekit.data.articlestance import load_pairs
from stancekit.data.paths import data_root
from stancekit.errors import DataError
from stancekit.evaluation.holders import (
    PipelineMentions,
    attribute_sentences,
    evaluate_holders,
    name_matches,
    predict_holders_with_words,
)
from stancekit.text.attribution import AttributionFinder, needs_parse

SPLITS = ("train", "dev")


def attributed(pairs: list[dict], finder: AttributionFinder, actors) -> list[tuple[tuple[str, str], str, list]]:
    """(holder, holder_kind), the source's words, and the sentence's attributions, per pair."""
    holders = predict_holders_with_words(pairs, finder, actors)
    out: list = [None] * len(pairs)
    for idx, _, _, attrs in attribute_sentences(pairs, finder, actors):
        for i in idx:
            out[i] = (*holders[i], attrs)
    return out


def _show(text: str, a) -> str:
    src = text[a.source_start : a.source_end] if a.source_start >= 0 else "-"
    cue = text[a.cue_start : a.cue_end] if a.cue_start >= 0 else "-"
    return f"{a.kind}: source={a.source!r} (span {src!r}) cue={cue!r} content={text[a.content_start : a.content_end]!r}"


def errors(pairs: list[dict], finder: AttributionFinder, actors) -> list[dict]:
    items = [p for p in pairs if p.get("actor")]
    out = []
    for p, ((holder, kind), words, attrs) in zip(items, attributed(items, finder, actors), strict=True):
        if p.get("stance") not in ("negative", "positive") or not p.get("holder"):
            continue
        if kind != p["holder"]:
            err = f"kind:{p['holder']}->{kind}"
        elif kind == "source" and not name_matches(holder, words, p.get("source") or ""):
            err = "source-name"
        else:
            continue
        out.append(
            {
                "error": err,
                "sid": p["sid"],
                "text": p["text"],
                "mention": p["mention"],
                "stance": p["stance"],
                "gold": p["source"] if p["holder"] == "source" else "author",
                "predicted": holder,
                "attributions": [_show(p["text"], a) for a in attrs],
            }
        )
    return out


def read_sids(path: str) -> set[str]:
    """Sentence ids listed one a line (blank lines skipped); an id has its dataset before a colon."""
    p = Path(path)
    if not p.is_file():
        raise DataError("sentence id list not found", path=str(p))
    out = set()
    for line_no, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        sid = line.strip()
        if not sid:
            continue
        if ":" not in sid:
            raise DataError(f"not a sentence id: {sid!r}", path=str(p), line=line_no)
        out.add(sid)
    return out


def gate_rate(n: int) -> tuple[int, int]:
    """(sentences the parser's gate passes, sentences) over the first ``n`` distinct NewsMTSC train sentences."""
    seen: dict[str, None] = {}
    with (data_root(None) / "newsmtsc" / "train.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            seen.setdefault(json.loads(line)["sentence_normalized"], None)
            if len(seen) >= n:
                break
    return sum(needs_parse(t) for t in seen), len(seen)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--splits", nargs="+", default=list(SPLITS), choices=SPLITS, help="articlestance splits")
    ap.add_argument("--errors", action="store_true", help="list each wrong pair")
    ap.add_argument("--kind", default=None, help="only errors whose kind starts with this ('kind:author', 'source')")
    ap.add_argument("--json", action="store_true", help="errors as JSON lines")
    ap.add_argument(
        "--annotated-only",
        action="store_true",
        help="attribute with the annotated spans alone (kind unknown), not the analyzer's actor finding",
    )
    ap.add_argument("--gate", type=int, default=0, help="also print the parser gate's pass rate on N sentences")
    sel = ap.add_mutually_exclusive_group()
    sel.add_argument("--sids", default=None, help="only the sentences whose ids this file lists (one a line)")
    sel.add_argument("--exclude-sids", default=None, help="all sentences but those whose ids this file lists")
    args = ap.parse_args()
    keep = read_sids(args.sids) if args.sids else None
    drop = read_sids(args.exclude_sids) if args.exclude_sids else None
    if args.gate:
        passed, total = gate_rate(args.gate)
        print(f"parser gate: {passed}/{total} NewsMTSC train sentences ({passed / total:.1%})")
    finder = AttributionFinder()
    actors = False if args.annotated_only else PipelineMentions()
    for split in args.splits:
        pairs = load_pairs(split)
        if keep is not None:
            pairs = [p for p in pairs if p["sid"] in keep]
        if drop is not None:
            pairs = [p for p in pairs if p["sid"] not in drop]
        r = evaluate_holders(pairs, finder, actors)
        b = r["baseline_always_author"]
        print(
            f"articlestance-{split}: {r['pairs']} polar pairs ({r['sentences']} sentences) | holder kind "
            f"{r['holder_kind_accuracy']:.3f} (always author {b['holder_kind_accuracy']:.3f}) | source name "
            f"{r['source_name_accuracy']:.3f} (n={r['source_pairs']})"
        )
        if not args.errors:
            continue
        errs = errors(pairs, finder, actors)
        counts: dict[str, int] = defaultdict(int)
        for e in errs:
            counts[e["error"]] += 1
        print("  errors:", dict(sorted(counts.items())))
        for e in errs:
            if args.kind and not e["error"].startswith(args.kind):
                continue
            if args.json:
                print(json.dumps(e, ensure_ascii=False))
                continue
            print(
                f"\n[{e['error']}] {e['sid']} {e['stance']} toward {e['mention']!r}: gold {e['gold']!r}, "
                f"predicted {e['predicted']!r}\n  {e['text']}"
            )
            for a in e["attributions"]:
                print("   ", a)


if __name__ == "__main__":
    main()
