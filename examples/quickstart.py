"""A short tour of the stancekit API on the example articles.

Run: python examples/quickstart.py
"""

from pathlib import Path

import stancekit

here = Path(__file__).parent
an = stancekit.load()  # the default model (news-small), offline

doc = an.analyze((here / "article_fisheries.txt").read_text("utf-8"))
print(f"{len(doc.sentences)} sentences, {doc.editorial_share:.0%} editorializing")
for s in doc.sentences:
    flag = "EDITORIAL" if s.editorial else "reporting"
    print(f"[{flag} {s.editorial_score:.2f}] {s.text}")
    for st in s.stances:
        print(f"    {st.actor} ({st.mention}): {st.label} {st.scores[st.label]:.2f}")

print("\nHow the article treats each actor (mean P(pos) - P(neg)):")
for actor in sorted(doc.actors, key=lambda a: a.mean_score):
    print(f"  {actor.name:<28} {actor.kind:<13} {actor.mean_score:+.2f}  {actor.counts}")

# Your own actors, with aliases, besides those found by NER:
doc = an.analyze(
    (here / "article_election.txt").read_text("utf-8"),
    actors=[{"name": "Lucinda Hartwell", "aliases": ["Hartwell", "the governor"]}],
)

# Sentence-level calls, for data you already have:
print(an.predict_stance([{"text": "Critics say Smith lied to voters.", "start": 12, "end": 17}]))
print(an.predict_editorial(["The senator is a disgrace.", "The senator voted against the bill."]))

# JSON out, no glue needed:
print(doc.to_json()[:200], "...")
