"""Screenshots of the HTML report for the README: docs/img/report-article.png and report-corpus.png.

    python scripts/screenshots.py [--chromium /usr/bin/chromium] [--model news-small]

Renders examples/article_election.txt (explained, one sentence's "why?" ticked, a tooltip shown)
and a small scored corpus of made-up outlets, then screenshots both in headless chromium.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import stancekit

REPO = Path(__file__).resolve().parents[1]
CORPUS = [
    ("Daily Ledger", "2026-01-12", "Mayor Ann Keller opened the new bridge on Monday. The project cost 40 million."),
    ("Daily Ledger", "2026-02-03", "Ann Keller's bungling council wasted another year. Senator Ravi Patel praised it."),
    ("Daily Ledger", "2026-03-09", "Senator Ravi Patel's reckless plan would gut the port. Ann Keller stayed silent."),
    ("Harbor Post", "2026-01-20", "Senator Ravi Patel was accused of lying about the budget. Ann Keller declined."),
    ("Harbor Post", "2026-02-14", "Ravi Patel won wide praise for his calm leadership. The vote is set for March."),
    ("Harbor Post", "2026-03-02", "Ann Keller, a tireless reformer, rescued the harbor fund. Critics were silent."),
    ("Valley Times", "2026-02-22", "The Harbor Authority said shipping resumed. Ann Keller thanked the crews."),
    ("Valley Times", "2026-03-18", "Senator Ravi Patel's shameful stunt embarrassed the state. Officials said little."),
]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    p.add_argument("--model", default="news-small")
    p.add_argument("--out", default=str(REPO / "docs" / "img"))
    args = p.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    an = stancekit.load(args.model)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        article = tmp / "article.html"
        stancekit.report(REPO / "examples" / "article_election.txt", article, analyzer=an)
        src = tmp / "corpus.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for i, (outlet, date, text) in enumerate(CORPUS):
                fh.write(json.dumps({"id": f"n{i}", "outlet": outlet, "date": date, "text": text}) + "\n")
        scored = tmp / "scored"
        an.score(str(src), str(scored), id_column="id", progress=False, tune_allocator=False)
        _add_metadata(scored)
        corpus = tmp / "corpus.html"
        stancekit.report(scored, corpus, title="Corpus report: three made-up outlets")

        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=args.chromium, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page(viewport={"width": 900, "height": 760}, device_scale_factor=1)
            page.goto(article.as_uri())
            ed = page.locator("span.s[data-editorial]").evaluate_all(
                "els => els.map(e => parseFloat(e.dataset.editorial))"
            )
            strongest = max(range(len(ed)), key=lambda i: ed[i])
            page.locator("label.why").nth(strongest).click()
            page.locator("mark.m").nth(2).hover()
            page.screenshot(path=str(out / "report-article.png"))
            page.goto(corpus.as_uri())
            page.screenshot(path=str(out / "report-corpus.png"))
            browser.close()
    for name in ("report-article.png", "report-corpus.png"):
        print(out / name, (out / name).stat().st_size // 1024, "KiB")
    return 0


def _add_metadata(scored: Path) -> None:
    """Give the documents table its outlet and date columns (schema v2 keeps input metadata there)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    docs = pq.read_table(scored / "documents.parquet")
    meta = {f"n{i}": (o, d) for i, (o, d, _) in enumerate(CORPUS)}
    ids = docs.column("doc_id").to_pylist()
    for k, col in enumerate(("outlet", "date")):
        if col not in docs.column_names:
            docs = docs.append_column(col, pa.array([meta[i][k] for i in ids]))
    pq.write_table(docs, scored / "documents.parquet")


if __name__ == "__main__":
    sys.exit(main())
