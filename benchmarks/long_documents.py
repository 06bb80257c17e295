"""Time per MB of ``analyze()`` on one long document: is it flat from 0.1 to 10 MB?

    python benchmarks/long_documents.py --sizes 0.1 1 10 [--model news-small] [--parts] [--json FILE]

Each size runs in its own process (so peak RSS is that size's own), on one synthetic news
document built deterministically from sentence templates, made-up people, real countries and
organisations, in paragraphs. Prints characters, sentences, mentions, seconds, seconds per MB and
peak RSS (``ru_maxrss``) after the model loaded and at the end. ``--parts`` times only the
text side (segmentation, actor resolution, then attribution, without the model), which is where a super-linear
step would show first; the last line gives the ratio of the largest size's seconds per MB to the
smallest's (the target: under 2).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # measure the checkout this script is in

FIRST = ["Maria", "Tomas", "Aiko", "Kwame", "Elena", "Rahul", "Sofia", "Daniel", "Ingrid", "Omar", "Lucia", "Pavel"]
LAST = ["Hartwell", "Okafor", "Lindqvist", "Moreau", "Castellano", "Brennan", "Novak", "Takeda", "Abara", "Whitfield"]
TITLES = ["President", "Senator", "Minister", "Governor", "Mayor", ""]
COUNTRIES = ["Russia", "Ukraine", "France", "Germany", "Turkey", "Brazil", "India", "Japan", "Kenya", "Canada"]
ORGS = ["the United Nations", "NATO", "the European Union", "the World Bank", "Reuters", "the central bank"]
PLACES = ["Moscow", "Kyiv", "Paris", "Berlin", "Ankara", "Nairobi", "Ottawa", "Tokyo"]
TEMPLATES = [
    "{person} said on {day} that {country} would not accept the proposal.",
    "Critics accused {person} of misleading voters about the budget.",
    "{org} praised {country} for its handling of the crisis.",
    "Officials in {place} confirmed that talks with {country} had stalled.",
    "{person} met {person2} in {place} to discuss trade and energy.",
    "The plan, backed by {org}, was described by {person} as a disgrace.",
    "According to {org}, exports from {country} rose by {n} percent last year.",
    "{person2} dismissed the report as baseless, a spokesman for {org} said.",
    "Frankly, the decision by {country} is an embarrassment to everyone involved.",
    "Residents of {place} waited for hours as {n} buses were cancelled.",
    "{person}'s aides denied that {person2} had been told in advance.",
    "We cannot allow {org} to dictate policy to {country}, {person} wrote.",
]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def make_document(chars: int, seed: int = 23) -> str:
    """A news-like text of at least ``chars`` characters (the same for the same arguments)."""
    rng = random.Random(seed)
    people = [f"{f} {last}" for f in FIRST for last in LAST]
    parts: list[str] = []
    size = 0
    while size < chars:
        paragraph = []
        for _ in range(rng.randint(3, 6)):
            full = rng.choice(people)
            title = rng.choice(TITLES)
            # names come back as surnames later in a document, as in news text
            person = rng.choice([f"{title} {full}".strip(), full, full.split()[-1]])
            sentence = rng.choice(TEMPLATES).format(
                person=person,
                person2=rng.choice(people),
                country=rng.choice(COUNTRIES),
                org=rng.choice(ORGS),
                place=rng.choice(PLACES),
                day=rng.choice(DAYS),
                n=rng.randint(2, 90),
            )
            paragraph.append(sentence[0].upper() + sentence[1:])
        text = " ".join(paragraph)
        parts.append(text)
        size += len(text) + 2
    return "\n\n".join(parts)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _attribute(text, sentences, found, mentions) -> int:
    """Attribution as analyze() runs it (quotes, reported speech, the parser on cue sentences); the count."""
    import bisect

    from stancekit.text.attribution import AttributionFinder, MentionRef

    starts = [s.start for s in sentences]
    per_sentence = [[] for _ in sentences]
    for m in mentions:
        k = bisect.bisect_right(starts, m.start) - 1
        per_sentence[k].append(MentionRef(m.start, m.end, found[m.actor].name, found[m.actor].kind))
    return sum(len(a) for a in AttributionFinder().find(text, sentences, per_sentence))


def run_one(mb: float, model: str | None, parts: bool) -> dict:
    """Analyse one document of ``mb`` MB in this process; the figures as a dict."""
    import stancekit

    text = make_document(int(mb * 1_000_000))
    an = stancekit.load(model)
    an.analyze("Warm-up: the minister met reporters in Paris.")
    rss_loaded = peak_rss_mb()
    started = time.perf_counter()
    if parts:
        seg = an.segment([text])[0]
        segmented = time.perf_counter()
        found, mentions = an.find_actors(text, seg)
        resolved = time.perf_counter()
        attributed = _attribute(text, seg.sentences, found, mentions)
        done = time.perf_counter()
        n_sentences, n_mentions = len(seg.sentences), len(mentions)
        extra = {
            "segment_s": round(segmented - started, 3),
            "actors_s": round(resolved - segmented, 3),
            "attribution_s": round(done - resolved, 3),
            "attributions": attributed,
        }
    else:
        doc = an.analyze(text)
        done = time.perf_counter()
        n_sentences = len(doc.sentences)
        n_mentions = sum(len(s.stances) for s in doc.sentences)
        extra = {}
    seconds = done - started
    mbytes = len(text.encode("utf-8")) / 1_000_000
    return {
        "size_mb": mb,
        "chars": len(text),
        "sentences": n_sentences,
        "mentions": n_mentions,
        "seconds": round(seconds, 3),
        "seconds_per_mb": round(seconds / mbytes, 3),
        "rss_after_load_mb": round(rss_loaded, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        **extra,
    }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=float, nargs="+", default=[0.1, 1.0, 10.0], help="document sizes in MB")
    p.add_argument("--model", default=None, help="model name or folder (default: news-small)")
    p.add_argument("--parts", action="store_true", help="time segmentation and actor resolution only")
    p.add_argument("--json", default=None, help="also write the figures to this JSON file")
    p.add_argument("--one", type=float, default=None, help=argparse.SUPPRESS)  # child process: one size
    args = p.parse_args()

    if args.one is not None:
        print(json.dumps(run_one(args.one, args.model, args.parts)))
        return 0
    rows = []
    print(
        f"{'MB':>6} {'chars':>10} {'sentences':>9} {'mentions':>8} {'s':>8} {'s/MB':>7} {'RSS load':>8} {'RSS peak':>8}"
    )
    for mb in args.sizes:
        cmd = [sys.executable, __file__, "--one", str(mb)]
        cmd += ["--model", args.model] if args.model else []
        cmd += ["--parts"] if args.parts else []
        out = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if out.returncode != 0:
            print(out.stderr[-3000:], file=sys.stderr)
            return out.returncode
        row = json.loads(out.stdout.strip().splitlines()[-1])
        rows.append(row)
        print(
            f"{mb:>6g} {row['chars']:>10} {row['sentences']:>9} {row['mentions']:>8} {row['seconds']:>8.2f} "
            f"{row['seconds_per_mb']:>7.2f} {row['rss_after_load_mb']:>8.0f} {row['peak_rss_mb']:>8.0f}"
            + (
                f"   segment {row['segment_s']:.2f} s, actors {row['actors_s']:.2f} s, "
                f"attribution {row['attribution_s']:.2f} s"
                if args.parts
                else ""
            ),
            flush=True,
        )
    ratio = rows[-1]["seconds_per_mb"] / max(rows[0]["seconds_per_mb"], 1e-9)
    print(f"seconds per MB, {rows[-1]['size_mb']:g} MB / {rows[0]['size_mb']:g} MB: {ratio:.2f} (target < 2)")
    if args.json:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
        meta = {
            "date": time.strftime("%Y-%m-%d"),
            "commit": commit,
            "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
            "command": " ".join(["python", "benchmarks/long_documents.py", *sys.argv[1:]]),
        }
        Path(args.json).write_text(json.dumps({**meta, "rows": rows, "ratio": ratio}, indent=2) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
