"""Actor extraction scored against a hand-annotated test set: mention- and actor-level precision/recall.

Why a separate evaluation: the stance model is only as useful as the actor rows it is given; a place or a
title word turned into an actor is a wrong row whatever the model says about it. No model is loaded here:
only the segmenter (spaCy) and the actor finder run, so it is cheap enough for every ``stancekit bench``.

The test set (``tests/data/actors_testset.jsonl``) holds one item per line::

    {"id", "category", "text", "actors": [{"name", "kind", "mentions": [{"start", "end", "text", "type"}],
     "also": [other acceptable names]}], "user_actors": [...], "use_ner": true}

A predicted mention is correct when it overlaps a gold mention of an actor whose name (or an ``also`` name)
equals the predicted actor's name, case-insensitively. Actor level compares the sets of names per item.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from stancekit.errors import DataError

#: where the project's actor test set lives (inside the repository, written for this project)
DEFAULT_TESTSET = Path(__file__).resolve().parents[2] / "tests" / "data" / "actors_testset.jsonl"


@dataclass(frozen=True, slots=True)
class PredictedMention:
    """One actor row a finder produced: canonical actor, its kind, the words, how it was resolved."""

    actor: str
    kind: str
    start: int
    end: int
    resolved: str = "name"


#: a finder: (text, user actors, use_ner) -> actor rows
Finder = Callable[[str, list, bool], list[PredictedMention]]


def load_testset(path: str | Path = DEFAULT_TESTSET) -> list[dict]:
    """Read and check the test set: every gold span must cover its text exactly."""
    items = []
    path = Path(path)
    for line_no, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"not JSON ({exc.msg})", path=str(path), line=line_no) from exc
        text = item.get("text")
        if not isinstance(text, str):
            raise DataError("needs a string 'text'", path=str(path), line=line_no, field="text")
        for actor in item.get("actors", []):
            for m in actor["mentions"]:
                if text[m["start"] : m["end"]] != m["text"]:
                    raise DataError(
                        f"span {m['start']}:{m['end']} is {text[m['start'] : m['end']]!r}, not {m['text']!r}",
                        path=str(path),
                        line=line_no,
                        field="actors",
                    )
        items.append(item)
    return items


def _names(actor: dict) -> set[str]:
    return {actor["name"].lower(), *(a.lower() for a in actor.get("also", []))}


def _prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "tp": tp,
        "pred": n_pred,
        "gold": n_gold,
    }


def score_items(items: Iterable[dict], predictions: Iterable[list[PredictedMention]]) -> dict:
    """Mention- and actor-level precision/recall, kind accuracy, recall by mention type and by category."""
    m_tp = m_pred = m_gold = 0
    a_tp = a_pred = a_gold = 0
    kind_ok = kind_n = 0
    by_type: dict[str, list[int]] = {}
    by_cat: dict[str, list[int]] = {}  # category -> [tp, pred, gold] at mention level
    errors: list[dict] = []
    for item, preds in zip(items, predictions, strict=True):
        gold = item.get("actors", [])
        gold_mentions = [(a, m) for a in gold for m in a["mentions"]]
        matched_gold: set[int] = set()
        tp = 0
        for p in preds:
            hit = None
            for j, (a, m) in enumerate(gold_mentions):
                if j not in matched_gold and p.start < m["end"] and m["start"] < p.end and p.actor.lower() in _names(a):
                    hit = j
                    break
            if hit is None:
                errors.append(
                    {
                        "id": item["id"],
                        "error": "spurious",
                        "actor": p.actor,
                        "kind": p.kind,
                        "mention": item["text"][p.start : p.end],
                    }
                )
                continue
            matched_gold.add(hit)
            tp += 1
        for j, (a, m) in enumerate(gold_mentions):
            counts = by_type.setdefault(m.get("type", "name"), [0, 0])
            counts[1] += 1
            if j in matched_gold:
                counts[0] += 1
            else:
                errors.append({"id": item["id"], "error": "missed", "actor": a["name"], "mention": m["text"]})
        m_tp += tp
        m_pred += len(preds)
        m_gold += len(gold_mentions)
        cat = by_cat.setdefault(item.get("category", ""), [0, 0, 0])
        cat[0] += tp
        cat[1] += len(preds)
        cat[2] += len(gold_mentions)
        # actor level: names per item
        gold_actors = [a for a in gold if a["mentions"]]
        pred_actors: dict[str, str] = {}
        for p in preds:
            pred_actors.setdefault(p.actor.lower(), p.kind)
        for a in gold_actors:
            found = [n for n in _names(a) if n in pred_actors]
            if found:
                a_tp += 1
                kind_n += 1
                kind_ok += pred_actors[found[0]] == a["kind"]
        a_pred += len(pred_actors)
        a_gold += len(gold_actors)
    return {
        "mentions": _prf(m_tp, m_pred, m_gold),
        "actors": _prf(a_tp, a_pred, a_gold),
        "kind_accuracy": round(kind_ok / kind_n, 4) if kind_n else None,
        "recall_by_mention_type": {t: round(c[0] / c[1], 4) for t, c in sorted(by_type.items())},
        "by_category": {c: _prf(*v) for c, v in sorted(by_cat.items())},
        "errors": errors,
    }


def analyzer_finder(segmenter, finder) -> Finder:
    """Adapt a Segmenter + ActorFinder pair (the one ``analyze()`` uses) to a :data:`Finder`."""
    from stancekit.text.actors import parse_actor_specs

    def find(text: str, user_actors: list, use_ner: bool) -> list[PredictedMention]:
        seg = segmenter.segment(text)
        specs = parse_actor_specs(user_actors or None)
        try:
            actors, mentions = finder.find(text, seg.entities, specs, use_ner=use_ner, sentences=seg.sentences)
        except TypeError:  # a finder without sentence input (the code before coreference)
            actors, mentions = finder.find(text, seg.entities, specs, use_ner=use_ner)
        return [
            PredictedMention(actors[m.actor].name, actors[m.actor].kind, m.start, m.end, getattr(m, "resolved", "name"))
            for m in mentions
        ]

    return find


def evaluate_actor_finder(find: Finder, items: list[dict] | None = None) -> dict:
    """Run ``find`` over the test set and score it."""
    items = load_testset() if items is None else items
    preds = [find(it["text"], it.get("user_actors", []), it.get("use_ner", True)) for it in items]
    report = score_items(items, preds)
    report["items"] = len(items)
    return report


def evaluate_analyzer_actors(analyzer, items: list[dict] | None = None) -> dict:
    """Score the actor rows an :class:`~stancekit.analyzer.Analyzer` would produce (no model pass)."""

    def find(text: str, user_actors: list, use_ner: bool) -> list[PredictedMention]:
        seg = analyzer.segment([text])[0]
        actors, mentions = analyzer.find_actors(text, seg, user_actors or None, use_ner=use_ner)
        return [
            PredictedMention(actors[m.actor].name, actors[m.actor].kind, m.start, m.end, m.resolved) for m in mentions
        ]

    return evaluate_actor_finder(find, items)


def _row(level: str, r: dict) -> str:
    counts = f"{r['tp']} / {r['pred']} / {r['gold']}"
    return f"| {level} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} | {counts} |"


def to_markdown(report: dict, title: str = "Actor extraction") -> str:
    """A small Markdown table of the figures (errors left out)."""
    m, a = report["mentions"], report["actors"]
    lines = [
        f"### {title} ({report.get('items', '?')} items)",
        "",
        "| level | precision | recall | F1 | correct / predicted / gold |",
        "|---|---|---|---|---|",
        _row("mentions", m),
        _row("actors", a),
        "",
        f"kind accuracy (matched actors): {report['kind_accuracy']}; mention recall by type: "
        + ", ".join(f"{k} {v:.3f}" for k, v in report["recall_by_mention_type"].items()),
        "",
        "| category | precision | recall | correct / predicted / gold |",
        "|---|---|---|---|",
    ]
    for cat, r in report["by_category"].items():
        lines.append(f"| {cat} | {r['precision']:.3f} | {r['recall']:.3f} | {r['tp']} / {r['pred']} / {r['gold']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """``python -m stancekit.evaluation.actors [--testset F] [--errors]``: print the figures."""
    import argparse

    from stancekit.text.actors import ActorFinder
    from stancekit.text.segmentation import Segmenter

    p = argparse.ArgumentParser(description=main.__doc__)
    p.add_argument("--testset", default=str(DEFAULT_TESTSET))
    p.add_argument("--errors", action="store_true", help="list every spurious and missed mention")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    report = evaluate_actor_finder(analyzer_finder(Segmenter(), ActorFinder()), load_testset(args.testset))
    if args.json:
        print(json.dumps({k: v for k, v in report.items() if k != "errors"}, indent=2))
    else:
        print(to_markdown(report))
    if args.errors:
        for e in report["errors"]:
            print(json.dumps(e, ensure_ascii=False))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
