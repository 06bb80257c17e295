"""Actor finder against NewsMTSC's annotated targets (train split): a check on text the rules were not written on.

    STANCEKIT_DATA=... python benchmarks/actors_newsmtsc.py [--rows 1000]

NewsMTSC marks, per sentence, the targets annotators judged (people, organisations, ...), and for many the
pronouns in the sentence that refer to them ("further_mentions"). Not every actor is annotated, so this gives:
- target recall: annotated target mentions overlapped by an actor row of the finder;
- pronoun recall: annotated further mentions that get a coreference row of the same actor as their target;
- pronoun precision: of the coreference rows that land on an annotated mention, the share with the right actor;
- rows per sentence: how many actor rows the finder makes (fewer, at equal recall, means fewer spurious rows).
Sentences are read alone, so pronouns can only resolve inside their own sentence.
"""

from __future__ import annotations

import argparse
import json

from stancekit.data.paths import data_root
from stancekit.evaluation.actors import analyzer_finder
from stancekit.text.actors import ActorFinder
from stancekit.text.segmentation import Segmenter


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=1000, help="first N sentences of the train split")
    args = p.parse_args()
    path = data_root() / "newsmtsc" / "train.jsonl"
    rows = [json.loads(line) for line, _ in zip(path.open(encoding="utf-8"), range(args.rows), strict=False)]
    find = analyzer_finder(Segmenter(), ActorFinder())
    t_hit = t_n = p_hit = p_n = c_right = c_on = n_rows = n_coref = 0
    for row in rows:
        text = row["sentence_normalized"]
        preds = find(text, [], True)
        n_rows += len(preds)
        n_coref += sum(m.resolved == "coreference" for m in preds)
        for target in row["targets"]:
            covering = [m for m in preds if m.start < target["to"] and target["from"] < m.end]
            t_n += 1
            t_hit += bool(covering)
            actors = {m.actor for m in covering}
            for fm in target.get("further_mentions", []):
                p_n += 1
                p_hit += any(
                    m.resolved == "coreference" and m.actor in actors and m.start < fm["to"] and fm["from"] < m.end
                    for m in preds
                )
        spans = []  # every annotated mention with the actor the finder gave its target
        for target in row["targets"]:
            actors = {m.actor for m in preds if m.start < target["to"] and target["from"] < m.end}
            for fm in [target, *target.get("further_mentions", [])]:
                spans.append((fm["from"], fm["to"], actors))
        for m in preds:
            if m.resolved != "coreference":
                continue
            on = [a for s, e, a in spans if m.start < e and s < m.end]
            if on:
                c_on += 1
                c_right += any(m.actor in a for a in on)
    print(f"{len(rows)} NewsMTSC train sentences, {t_n} targets, {p_n} annotated pronoun/further mentions")
    print(f"target recall: {t_hit / t_n:.3f}")
    print(f"pronoun recall (same actor as the target): {p_hit / max(p_n, 1):.3f}")
    print(f"pronoun precision on annotated mentions: {c_right / max(c_on, 1):.3f} ({c_on} coreference rows)")
    print(f"actor rows per sentence: {n_rows / len(rows):.3f} ({n_coref / len(rows):.3f} of them coreference)")


if __name__ == "__main__":
    main()
