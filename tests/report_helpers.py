"""Shared helpers for the report tests: an HTML walker and a tiny scored corpus."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

# four short texts of our own, two outlets, two months
CORPUS = [
    (
        "d1",
        "Daily Ledger",
        "2026-01-12",
        "Mayor Ann Keller opened the new bridge on Monday. The project cost 40 million.",
    ),
    (
        "d2",
        "Daily Ledger",
        "2026-02-03",
        "Ann Keller's shameless, bungling council wasted another year. Senator Ravi Patel praised the rescue plan.",
    ),
    (
        "d3",
        "Harbor Post",
        "2026-01-20",
        "Senator Ravi Patel was accused of lying about the budget. Ann Keller declined to comment.",
    ),
    (
        "d4",
        "Harbor Post",
        "2026-02-14",
        "Ravi Patel won wide praise for his calm leadership. The vote is set for March.",
    ),
]


class Walker(HTMLParser):
    """Collects sentence texts (tooltips left out), mentions, external references and scripts."""

    VOID = {"input", "br", "meta", "link", "img", "hr", "wbr", "source", "col", "area", "base", "embed", "param"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict]] = []
        self.sentences: dict[str, list[str]] = {}
        self.mentions: list[dict] = []
        self.refs: list[str] = []
        self.in_style = False
        self.styles: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("src", "href", "action", "poster", "data"):
            if a.get(key):
                self.refs.append(a[key])
        if a.get("style"):
            self.styles.append(a["style"])
        if a.get("id"):
            self.ids.append(a["id"])
        if tag == "mark" and "m" in (a.get("class") or "").split():
            self.mentions.append(a)
        if tag == "span" and (a.get("class") or "") == "s":
            self.sentences[a["id"]] = []
        self.in_style = tag == "style"
        if tag not in self.VOID:
            self.stack.append((tag, a))

    def handle_endtag(self, tag):
        while self.stack:
            t, _ = self.stack.pop()
            if t == tag:
                break
        self.in_style = False

    def handle_data(self, data):
        if self.in_style:
            self.styles.append(data)
        if any("tip" in (a.get("class") or "").split() for _, a in self.stack):
            return
        sent = next((a["id"] for t, a in reversed(self.stack) if t == "span" and a.get("class") == "s"), None)
        if sent is not None:
            self.sentences[sent].append(data)


def walk(html: str) -> Walker:
    w = Walker()
    w.feed(html)
    w.close()
    assert not w.stack or [t for t, _ in w.stack] == [], f"unclosed tags: {[t for t, _ in w.stack]}"
    return w


URL_IN_CSS = re.compile(r"url\(\s*['\"]?\s*https?:", re.I)


def external_references(html: str) -> list[str]:
    """Every http(s) reference in a src/href attribute or a CSS url()."""
    w = walk(html)
    bad = [r for r in w.refs if re.match(r"\s*(https?:)?//", r, re.I)]
    bad += [s for s in w.styles if URL_IN_CSS.search(s)]
    return bad


def write_corpus(folder: Path) -> Path:
    path = folder / "corpus.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for doc_id, outlet, date, text in CORPUS:
            fh.write(json.dumps({"id": doc_id, "outlet": outlet, "date": date, "text": text}) + "\n")
    return path


def score_corpus(analyzer, folder: Path) -> Path:
    """Score the corpus, then give the documents table its metadata columns as schema v2 has them."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    out = folder / "scored"
    analyzer.score(str(write_corpus(folder)), str(out), id_column="id", progress=False, tune_allocator=False)
    docs = pq.read_table(out / "documents.parquet")
    meta = {d: (o, t) for d, o, t, _ in CORPUS}
    ids = docs.column("doc_id").to_pylist()
    if "outlet" not in docs.column_names:
        docs = docs.append_column("outlet", pa.array([meta[i][0] for i in ids]))
    if "date" not in docs.column_names:
        docs = docs.append_column("date", pa.array([meta[i][1] for i in ids]))
    pq.write_table(docs, out / "documents.parquet")
    return out
