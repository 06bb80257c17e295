"""stancekit's own article-stance data: (sentence, actor mention) pairs with stance and holder labels.

The labels live in the package as dataset ids and character offsets (``articlestance.jsonl``); the
sentences are read from the shared datasets' train splits at load time, so no text is copied here.
Guidelines: ``docs/annotation/guidelines.md``; data card: ``docs/annotation/articlestance.md``.

``python -m stancekit.data.articlestance items --out DIR`` writes the annotation batches (with text,
for annotators only; never committed).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import re
from collections.abc import Iterator
from pathlib import Path

from stancekit.data.paths import data_root
from stancekit.errors import DataError

LABELS_FILE = Path(__file__).with_name("articlestance.jsonl")
SEED = 13
#: Speech and cognition cues used only to over-sample attributed sentences for annotation.
_CUES = re.compile(
    r"[\"\u201c\u201d]|\b(said|says|told|according to|accus\w+|claim\w*|warn\w*|argu\w+|believ\w+|call\w* (?:on|for)|"
    r"criticis\w+|criticiz\w+|prais\w+|blam\w+|denounc\w+|insist\w*|wrote|tweet\w*)\b",
    re.IGNORECASE,
)


def text_hash(text: str) -> str:
    """Short content hash stored beside each id, so a changed source file is detected, not misread."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def source_sentences(data_dir: str | os.PathLike | None = None) -> Iterator[dict]:
    """Sentences of the train splits this data may draw from: ``{sid, text, dataset, opinion}``.

    Ids: ``checkthat:<sentence_id>``, ``babe:<row>`` (0-based data row of final_labels_SG2.csv, BABE
    train split only), ``newsmtsc:<primary_gid>``.
    """
    root = data_root(data_dir)
    with (root / "checkthat2025_subjectivity_en" / "train_en.tsv").open(encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            yield {
                "sid": "checkthat:" + rec["sentence_id"],
                "text": rec["sentence"],
                "dataset": "checkthat-train",
                "opinion": rec["label"] == "SUBJ",
            }
    from stancekit.data.sources import load_rows

    babe_train = {r["text"] for r in load_rows("babe-train", root)}
    with (root / "babe" / "final_labels_SG2.csv").open(encoding="utf-8-sig", newline="") as fh:
        for i, rec in enumerate(csv.DictReader(fh, delimiter=";")):
            text = rec["text"].strip()
            if text in babe_train:
                opinion = rec["label_opinion"].strip() not in ("Entirely factual", "No agreement")
                yield {"sid": f"babe:{i}", "text": text, "dataset": "babe-train", "opinion": opinion}
    with (root / "newsmtsc" / "train.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            yield {
                "sid": "newsmtsc:" + rec["primary_gid"],
                "text": rec["sentence_normalized"],
                "dataset": "newsmtsc-train",
                "opinion": False,
            }


def sentence_texts(data_dir: str | os.PathLike | None = None) -> dict[str, str]:
    return {s["sid"]: s["text"] for s in source_sentences(data_dir)}


def load_pairs(
    split: str | None = None, data_dir: str | os.PathLike | None = None, *, labels: str | os.PathLike | None = None
) -> list[dict]:
    """Adjudicated pairs with their sentence text: ``{sid, split, text, start, end, actor, stance, holder...}``.

    ``split`` is ``train``, ``dev`` or ``test`` (None: all). Raises DataError when a sentence is missing
    or its text no longer matches the stored hash.
    """
    path = Path(labels) if labels is not None else LABELS_FILE
    if not path.is_file():
        raise DataError("articlestance labels not found", path=str(path))
    texts = sentence_texts(data_dir)
    out = []
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            rec = json.loads(line)
            if split is not None and rec["split"] != split:
                continue
            text = texts.get(rec["sid"])
            if text is None:
                raise DataError(f"sentence {rec['sid']} not found in the shared data", path=str(path), line=line_no)
            if text_hash(text) != rec["hash"]:
                raise DataError(f"sentence {rec['sid']} changed since annotation", path=str(path), line=line_no)
            for pair in rec["pairs"]:
                ss, se = pair.get("source_start", -1), pair.get("source_end", -1)
                out.append(
                    {
                        "sid": rec["sid"],
                        "split": rec["split"],
                        "text": text,
                        "opinion": rec["opinion"],
                        "mention": text[pair["start"] : pair["end"]],
                        "source": text[ss:se] if ss >= 0 else ("?" if pair.get("holder") == "source" else None),
                        **pair,
                    }
                )
    return out


def stance_rows(
    split: str, data_dir: str | os.PathLike | None = None, *, labels: str | os.PathLike | None = None
) -> list[dict]:
    """Actor pairs of a split in the stance task's row schema (``{text, start, end, label, source, group}``);
    ``labels``: another labels file than the package's (as :func:`load_pairs`)."""
    return [
        {
            "text": p["text"],
            "start": p["start"],
            "end": p["end"],
            "label": p["stance"],
            "source": f"articlestance-{split}",
            "group": p["sid"],
        }
        for p in load_pairs(split, data_dir, labels=labels)
        if p["actor"] and p["stance"] in ("negative", "neutral", "positive")
    ]


# ----------------------------------------------------------------------------- annotation batches
def _candidates(texts: list[str]):
    """Candidate mentions per sentence from the actor finder (annotators reject non-actors)."""
    from stancekit.text.actors import ActorFinder
    from stancekit.text.segmentation import Segmenter

    segmenter, finder = Segmenter(), ActorFinder()
    for text, seg in zip(texts, segmenter.segment_many(texts), strict=True):
        actors, mentions = finder.find(text, seg.entities)
        yield [(m.start, m.end, m.text, actors[m.actor].kind) for m in mentions]


def make_items(
    out: Path, data_dir=None, *, target_pairs: int = 2100, batches: int = 4, opinion_only: bool = False
) -> dict:
    """Choose sentences (multi-actor, non-person, opinion and attributed ones over-sampled) and write batches.

    Sentences already in ``out``'s batches are skipped and new batches are numbered after them, so a
    second round adds items without touching the first."""
    existing = sorted(out.glob("items-B*.jsonl")) if out.is_dir() else []
    taken = {json.loads(line)["item"] for f in existing for line in f.open(encoding="utf-8") if line.strip()}
    first = len(existing)
    rng = random.Random(SEED)
    pool = list(source_sentences(data_dir))
    pool = [s for s in pool if 40 <= len(s["text"]) <= 400 and (s["opinion"] or not opinion_only)]
    rng.shuffle(pool)
    # one sentence per NewsMTSC primary text (the file repeats sentences for several targets)
    seen: set[str] = set()
    pool = [s for s in pool if not (s["text"] in seen or seen.add(s["text"]))]
    pool = pool[:6000]
    cands = list(_candidates([s["text"] for s in pool]))

    def weight(s, c) -> float:
        if not c or len(c) > 6:
            return 0.0
        w = 1.0
        w *= 2.5 if len(c) >= 2 else 1.0
        w *= 2.0 if any(k != "person" for *_, k in c) else 1.0
        w *= 4.0 if s["opinion"] else 1.0
        w *= 1.8 if _CUES.search(s["text"]) else 1.0
        w *= 0.5 if s["dataset"] == "newsmtsc-train" else 1.0
        return w

    scored = [(rng.random() ** (1.0 / w), s, c) for s, c in zip(pool, cands, strict=True) if (w := weight(s, c)) > 0]
    scored = [t for t in scored if t[1]["sid"] not in taken]
    scored.sort(key=lambda t: -t[0])  # weighted sampling without replacement (Efraimidis-Spirakis)
    chosen, pairs = [], 0
    for _, s, c in scored:
        if pairs >= target_pairs:
            break
        chosen.append((s, c))
        pairs += len(c)
    rng.shuffle(chosen)
    out.mkdir(parents=True, exist_ok=True)
    files = [(out / f"items-B{first + b + 1}.jsonl").open("w", encoding="utf-8") for b in range(batches)]
    for i, (s, c) in enumerate(chosen):
        item = {
            "item": s["sid"],
            "text": s["text"],
            "mentions": [{"m": j + 1, "start": a, "end": b, "text": t} for j, (a, b, t, _) in enumerate(c)],
        }
        files[i % batches].write(json.dumps(item, ensure_ascii=False) + "\n")
    for f in files:
        f.close()
    kinds = [k for _, c in chosen for *_, k in c]
    return {
        "sentences": len(chosen),
        "pairs": pairs,
        "multi_actor_share": sum(len(c) >= 2 for _, c in chosen) / len(chosen),
        "non_person_share": sum(k != "person" for k in kinds) / len(kinds),
        "opinion_share": sum(s["opinion"] for s, _ in chosen) / len(chosen),
        "cue_share": sum(bool(_CUES.search(s["text"])) for s, _ in chosen) / len(chosen),
        "by_dataset": {d: sum(s["dataset"] == d for s, _ in chosen) for d in sorted({s["dataset"] for s, _ in chosen})},
    }


# ----------------------------------------------------------------------------- agreement and adjudication
def read_pass(folder: Path) -> dict[str, list[dict]]:
    """item id -> label entries, from every batch file of one annotation pass."""
    out: dict[str, list[dict]] = {}
    for path in sorted(folder.glob("B*.jsonl")):
        out.update(read_pass_file(path))
    return out


def read_pass_file(path: Path) -> dict[str, list[dict]]:
    """item id -> label entries of one labels file."""
    out: dict[str, list[dict]] = {}
    with path.open(encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataError(f"malformed JSON ({exc.msg})", path=str(path), line=line_no) from exc
            out[rec["item"]] = rec["labels"]
    return out


def cohen_kappa(a: list, b: list) -> float:
    """Cohen's kappa of two label lists (same items, same order)."""
    from sklearn.metrics import cohen_kappa_score

    return float(cohen_kappa_score(a, b)) if a else float("nan")


def _norm(label: dict) -> dict:
    actor = bool(label.get("actor"))
    stance = label.get("stance") if actor else None
    holder = label.get("holder") if stance in ("negative", "positive") else None
    return {"actor": actor, "stance": stance, "holder": holder, "source": label.get("source") if holder else None}


def agreement(items: list[dict], p1: dict, p2: dict) -> dict:
    """Kappa for the actor flag, stance (pairs both call actors) and holder kind (pairs both call polar)."""
    act1, act2, st1, st2, h1, h2 = [], [], [], [], [], []
    for it in items:
        if it["item"] not in p1 or it["item"] not in p2:
            continue
        for a, b in zip(p1[it["item"]], p2[it["item"]], strict=False):
            a, b = _norm(a), _norm(b)
            act1.append(a["actor"])
            act2.append(b["actor"])
            if a["actor"] and b["actor"]:
                st1.append(a["stance"])
                st2.append(b["stance"])
                if a["holder"] and b["holder"]:
                    h1.append(a["holder"])
                    h2.append(b["holder"])
    return {
        "pairs": len(act1),
        "actor_kappa": cohen_kappa(act1, act2),
        "actor_agreement": sum(x == y for x, y in zip(act1, act2, strict=True)) / max(1, len(act1)),
        "stance_pairs": len(st1),
        "stance_kappa": cohen_kappa(st1, st2),
        "stance_agreement": sum(x == y for x, y in zip(st1, st2, strict=True)) / max(1, len(st1)),
        "holder_pairs": len(h1),
        "holder_kappa": cohen_kappa(h1, h2),
        "holder_agreement": sum(x == y for x, y in zip(h1, h2, strict=True)) / max(1, len(h1)),
    }


def _same(a: dict, b: dict) -> bool:
    a, b = _norm(a), _norm(b)
    return a["actor"] == b["actor"] and a["stance"] == b["stance"] and a["holder"] == b["holder"]


def disagreements(items: list[dict], p1: dict, p2: dict) -> list[dict]:
    """Items where the passes differ on any pair (actor flag, stance or holder kind), with both labels."""
    out = []
    for it in items:
        a, b = p1.get(it["item"]), p2.get(it["item"])
        if a is None or b is None:
            continue
        if len(a) != len(b) or not all(_same(x, y) for x, y in zip(a, b, strict=True)):
            out.append({**it, "pass1": a, "pass2": b})
    return out


def _split_of(sid: str) -> str:
    """Train/dev/test by sentence, from a hash of its id (70/15/15), so it never depends on the labels."""
    h = int(hashlib.sha1(("articlestance:" + sid).encode()).hexdigest(), 16) % 100
    return "train" if h < 70 else "dev" if h < 85 else "test"


def _source_offsets(text: str, source: str | None) -> tuple[int, int]:
    if not source or source.strip() == "?":
        return -1, -1
    i = text.lower().find(source.strip().lower())
    return (i, i + len(source.strip())) if i >= 0 else (-1, -1)


def build_labels(items: list[dict], p1: dict, p2: dict, adjudicated: dict, meta: dict[str, dict]) -> list[dict]:
    """Final records (ids + offsets): agreed labels, else the adjudicated ones; items missing either are left out."""
    records = []
    for it in items:
        a, b = p1.get(it["item"]), p2.get(it["item"])
        if a is None or b is None or len(a) != len(it["mentions"]) or len(b) != len(it["mentions"]):
            continue
        final = adjudicated.get(it["item"])
        if final is None:
            if not all(_same(x, y) for x, y in zip(a, b, strict=True)):
                continue  # disagreement not adjudicated: not used
            final = a
        pairs = []
        for m, lab in zip(it["mentions"], final, strict=True):
            n = _norm(lab)
            ss, se = _source_offsets(it["text"], n["source"])
            pair = {
                "start": m["start"],
                "end": m["end"],
                "actor": n["actor"],
                "stance": n["stance"],
                "holder": n["holder"],
            }
            if n["holder"] == "source":
                pair.update(source_start=ss, source_end=se)
            pairs.append(pair)
        sid = it["item"]
        records.append(
            {
                "sid": sid,
                "hash": text_hash(it["text"]),
                "split": _split_of(sid),
                "opinion": meta[sid]["opinion"],
                "dataset": meta[sid]["dataset"],
                "pairs": pairs,
            }
        )
    return records


def write_audit(path: Path, items: list[dict], p1: dict, p2: dict, adjudicated: dict) -> None:
    """Both passes and the adjudicated labels per mention, as ids + offsets (no text, no notes), so the
    agreement figures can be recomputed from the repository."""

    def compact(label: dict | None) -> list | None:
        if label is None:
            return None
        n = _norm(label)
        return [n["actor"], n["stance"], n["holder"]]

    with path.open("w", encoding="utf-8") as fh:
        for it in items:
            a, b, c = p1.get(it["item"]), p2.get(it["item"]), adjudicated.get(it["item"])
            rows = []
            for j, m in enumerate(it["mentions"]):
                rows.append(
                    {
                        "start": m["start"],
                        "end": m["end"],
                        "pass1": compact(a[j] if a and j < len(a) else None),
                        "pass2": compact(b[j] if b and j < len(b) else None),
                        "adjudicated": compact(c[j] if c and j < len(c) else None),
                    }
                )
            fh.write(json.dumps({"sid": it["item"], "hash": text_hash(it["text"]), "mentions": rows}) + "\n")


def _read_items(folder: Path) -> list[dict]:
    items = []
    for path in sorted(folder.glob("items-B*.jsonl")):
        with path.open(encoding="utf-8") as fh:
            items.extend(json.loads(line) for line in fh if line.strip())
    return items


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m stancekit.data.articlestance")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("items", help="write annotation batches (with text; never commit them)")
    p.add_argument("--out", type=Path, required=True, help="folder for items-B*.jsonl")
    p.add_argument("--data-dir", default=None, help="shared data folder (default: STANCEKIT_DATA or ../shared/data)")
    p.add_argument("--pairs", type=int, default=2100, help="target number of (sentence, mention) pairs (default 2100)")
    p.add_argument("--batches", type=int, default=4, help="number of batches (default 4)")
    p.add_argument("--opinion-only", action="store_true", help="draw only opinion sentences (default: all)")
    q = sub.add_parser("agreement", help="kappa of the two passes and the items to adjudicate")
    q.add_argument("folder", type=Path, help="folder with items-B*.jsonl, pass1/, pass2/")
    r = sub.add_parser("build", help="write the final labels file from both passes and the adjudication")
    r.add_argument("folder", type=Path, help="folder with items-B*.jsonl, pass1/, pass2/, adjudicated.jsonl")
    r.add_argument("--data-dir", default=None, help="shared data folder")
    r.add_argument(
        "--out", type=Path, default=LABELS_FILE, help=f"labels file (default {LABELS_FILE.name} in the package)"
    )
    r.add_argument(
        "--audit", type=Path, default=None, help="also write both passes and the adjudication (ids + offsets)"
    )
    args = ap.parse_args(argv)
    if args.cmd == "items":
        print(
            json.dumps(
                make_items(
                    args.out,
                    args.data_dir,
                    target_pairs=args.pairs,
                    batches=args.batches,
                    opinion_only=args.opinion_only,
                ),
                indent=1,
            )
        )
        return
    items = _read_items(args.folder)
    p1, p2 = read_pass(args.folder / "pass1"), read_pass(args.folder / "pass2")
    if args.cmd == "agreement":
        report = agreement(items, p1, p2)
        todo = disagreements(items, p1, p2)
        with (args.folder / "to_adjudicate.jsonl").open("w", encoding="utf-8") as fh:
            for d in todo:
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
        report["items_to_adjudicate"] = len(todo)
        print(json.dumps(report, indent=1))
        return
    adjudicated = {}
    for adj_path in sorted(args.folder.glob("adjudicated*.jsonl")):  # one file per adjudication round
        adjudicated.update(read_pass_file(adj_path))
    meta = {s["sid"]: s for s in source_sentences(args.data_dir)}
    records = build_labels(items, p1, p2, adjudicated, meta)
    with args.out.open("w", encoding="utf-8") as fh:
        for rec in records:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    if args.audit is not None:
        write_audit(args.audit, items, p1, p2, adjudicated)
    pairs = [p for r in records for p in r["pairs"] if p["actor"]]
    print(
        json.dumps(
            {
                "sentences": len(records),
                "actor_pairs": len(pairs),
                "by_split": {sp: sum(r["split"] == sp for r in records) for sp in ("train", "dev", "test")},
            }
        )
    )


if __name__ == "__main__":
    main()
