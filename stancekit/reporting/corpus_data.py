"""The numbers behind the corpus view, read from a scored folder (``score()`` output).

Group x actor cells come from the folder's ``groups`` table when it holds the grouping asked
for, and are otherwise computed here from ``stances`` (with the group taken from the stance rows'
own metadata columns or from the ``documents`` table): the mean of P(positive) - P(negative) over
mentions with a 95% interval from a bootstrap over documents, as the ``groups`` table defines it.
Every list is capped (see the constants); the page says when a cap cut something.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from stancekit.errors import InputError

MAX_GROUPS = 25
MAX_HEAT_ACTORS = 15
MAX_TOP_ACTORS = 50
MAX_PERIODS = 24
EXAMPLES_PER_ACTOR = 4
BOOTSTRAP = 500
#: Metadata columns tried, in order, as the group when none is given.
GROUP_COLUMNS = ("outlet", "publisher", "source_name", "group", "domain")
DATE_COLUMNS = ("date", "published", "published_at", "timestamp")
ALL = "all documents"


@dataclass
class Cell:
    mean: float
    low: float | None
    high: float | None
    mentions: int
    documents: int


@dataclass
class CorpusSummary:
    folder: str
    documents: int
    sentences: int
    stances: int
    model: str
    group_by: str | None
    date_column: str | None
    groups: list[str]
    groups_total: int
    heat_actors: list[str]
    cells: dict[tuple[str, str], Cell]
    cells_from: str  # "groups table" or "computed from stances"
    periods: list[str]
    periods_total: int
    editorial: dict[tuple[str, str], tuple[float, int]]  # (group, period) -> (share, sentences)
    top_actors: list[dict]
    actors_total: int
    examples: dict[str, list[dict]] = field(default_factory=dict)
    holder_kinds: bool = False


def _table_paths(folder: Path, name: str) -> list[Path]:
    sub = folder / name
    if sub.is_dir():
        return sorted(p for p in sub.glob("part-*") if p.suffix in (".parquet", ".jsonl"))
    return [p for p in (folder / f"{name}.parquet", folder / f"{name}.jsonl") if p.is_file()]


def read_table(folder: Path, name: str, columns: list[str] | None = None):
    """A scored folder's table as a DataFrame (None when absent); ``columns`` keeps those present."""
    import pandas as pd

    frames = []
    for path in _table_paths(folder, name):
        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            have = pq.read_schema(path).names
            cols = None if columns is None else [c for c in columns if c in have]
            frames.append(pq.read_table(path, columns=cols).to_pandas())
        else:
            df = pd.read_json(path, lines=True, dtype=False) if path.stat().st_size else pd.DataFrame()
            if columns is not None:
                df = df[[c for c in columns if c in df.columns]]
            frames.append(df)
    if not frames:
        return None
    return pd.concat(frames, ignore_index=True)


def _columns(folder: Path, name: str) -> list[str]:
    paths = _table_paths(folder, name)
    if not paths:
        return []
    if paths[0].suffix == ".parquet":
        import pyarrow.parquet as pq

        return list(pq.read_schema(paths[0]).names)
    with paths[0].open("r", encoding="utf-8") as fh:
        line = fh.readline()
    return list(json.loads(line)) if line.strip() else []


def _bootstrap(doc_sums: np.ndarray, doc_counts: np.ndarray, rng: np.random.Generator) -> tuple[float, float] | None:
    n = len(doc_sums)
    if n < 2:
        return None
    idx = rng.integers(0, n, size=(BOOTSTRAP, n))
    means = doc_sums[idx].sum(1) / np.maximum(doc_counts[idx].sum(1), 1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def summarize(
    folder, *, group_by: str | None = None, date_column: str | None = None, holder_kind: str | None = None
) -> CorpusSummary:
    """Read a scored folder into the capped numbers the corpus view draws."""
    import pandas as pd

    folder = Path(folder)
    if not (folder / "manifest.json").is_file() and not _table_paths(folder, "stances"):
        raise InputError(f"{folder}: not a scored folder (no manifest.json or stances/ parts)")
    if holder_kind not in (None, "author", "source"):
        raise InputError(f"holder_kind must be None, 'author' or 'source', got {holder_kind!r}")
    manifest = {}
    if (folder / "manifest.json").is_file():
        manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    model = manifest.get("model") or manifest.get("options", {}).get("model", "")
    if isinstance(model, dict):  # the manifest's model entry: its name, else where it was loaded from
        model = model.get("name") or model.get("path") or model.get("model") or ""
    model = str(model)
    st_cols, doc_cols = _columns(folder, "stances"), _columns(folder, "documents")
    meta_cols = set(st_cols) | set(doc_cols)
    if group_by is None:
        group_by = next((c for c in GROUP_COLUMNS if c in meta_cols), None)
    elif group_by not in meta_cols:
        raise InputError(f"{folder}: no column {group_by!r} in the stances or documents tables to group by")
    if date_column is None:
        date_column = next((c for c in DATE_COLUMNS if c in meta_cols), None)
    elif date_column not in meta_cols:
        raise InputError(f"{folder}: no column {date_column!r} in the stances or documents tables")

    base = [
        "doc_id",
        "sentence",
        "actor",
        "actor_kind",
        "label",
        "p_negative",
        "p_neutral",
        "p_positive",
        "holder_kind",
    ]
    stances = read_table(folder, "stances", base + [c for c in (group_by,) if c and c in st_cols])
    sentences = read_table(folder, "sentences", ["doc_id", "sentence", "editorial"])
    documents = read_table(folder, "documents", ["doc_id", *(c for c in (group_by, date_column) if c)])
    if stances is None or sentences is None:
        raise InputError(f"{folder}: the stances and sentences tables are missing")
    if holder_kind and "holder_kind" in stances.columns:
        stances = stances[stances["holder_kind"] == holder_kind]

    def with_keys(df):
        need = [c for c in (group_by, date_column) if c and c not in df.columns]
        if need and documents is not None and all(c in documents.columns for c in need):
            df = df.merge(documents[["doc_id", *need]].drop_duplicates("doc_id"), on="doc_id", how="left")
        df = df.copy()
        df["_group"] = df[group_by].astype("string").fillna("(none)") if group_by in df.columns else ALL
        if date_column and date_column in df.columns:
            dates = pd.to_datetime(df[date_column], errors="coerce", utc=True)
            df["_period"] = dates.dt.strftime("%Y-%m").fillna("(no date)")
        else:
            df["_period"] = "all"
        return df

    stances = with_keys(stances)
    sentences = with_keys(sentences)
    stances["_score"] = stances["p_positive"].astype(float) - stances["p_negative"].astype(float)
    n_docs = int(documents["doc_id"].nunique()) if documents is not None else int(sentences["doc_id"].nunique())

    docs_per_group = sentences.groupby("_group")["doc_id"].nunique().sort_values(ascending=False, kind="stable")
    groups = [str(g) for g in docs_per_group.index[:MAX_GROUPS]]
    by_actor = stances.groupby("actor").agg(
        kind=("actor_kind", "first"), mentions=("actor", "size"), documents=("doc_id", "nunique")
    )
    by_actor = by_actor.sort_values(["mentions", "documents"], ascending=False, kind="stable")
    heat_actors = [str(a) for a in by_actor.index[:MAX_HEAT_ACTORS]]

    cells, cells_from = _cells_from_groups_table(folder, group_by, holder_kind, groups, heat_actors)
    if cells is None:
        cells_from = "computed here from the stances table (interval: bootstrap over documents)"
        cells = {}
        rng = np.random.default_rng(0)
        sub = stances[stances["_group"].isin(groups) & stances["actor"].isin(heat_actors)]
        per_doc = sub.groupby(["_group", "actor", "doc_id"])["_score"].agg(["sum", "size"])
        for (g, a), part in per_doc.groupby(level=[0, 1]):
            sums, counts = part["sum"].to_numpy(float), part["size"].to_numpy(float)
            ci = _bootstrap(sums, counts, rng)
            cells[(str(g), str(a))] = Cell(
                float(sums.sum() / counts.sum()), *(ci or (None, None)), int(counts.sum()), len(part)
            )

    ed = sentences[sentences["_group"].isin(groups)].groupby(["_group", "_period"])["editorial"].agg(["mean", "size"])
    all_periods = sorted({str(p) for p in ed.index.get_level_values(1)})
    periods = all_periods[-MAX_PERIODS:]
    editorial = {(str(g), str(p)): (float(r["mean"]), int(r["size"])) for (g, p), r in ed.iterrows()}

    holder_kinds = "holder_kind" in stances.columns
    top = []
    for name, row in by_actor.head(MAX_TOP_ACTORS).iterrows():
        mine = stances[stances["actor"] == name]
        entry = {
            "actor": str(name),
            "kind": str(row["kind"]),
            "mentions": int(row["mentions"]),
            "documents": int(row["documents"]),
            "shares": {lab: float((mine["label"] == lab).mean()) for lab in ("negative", "neutral", "positive")},
            "mean_score": float(mine["_score"].mean()),
        }
        if holder_kinds:
            for hk in ("author", "source"):
                h = mine[mine["holder_kind"] == hk]
                entry[hk] = (len(h), float(h["_score"].mean()) if len(h) else 0.0)
        top.append(entry)
    examples = _examples(folder, stances, [t["actor"] for t in top])
    return CorpusSummary(
        str(folder),
        n_docs,
        len(sentences),
        len(stances),
        model,
        group_by,
        date_column,
        groups,
        len(docs_per_group),
        heat_actors,
        cells,
        cells_from,
        periods,
        len(all_periods),
        editorial,
        top,
        len(by_actor),
        examples,
        holder_kinds,
    )


def _cells_from_groups_table(folder, group_by, holder_kind, groups, actors):
    cols = _columns(folder, "groups")
    need = {"actor", "mean_score", "ci_low", "ci_high"}
    if not cols or not need <= set(cols) or (group_by or "") not in cols:
        return None, ""
    table = read_table(folder, "groups")
    if "holder_kind" in table.columns:
        want = holder_kind or "all"
        if want not in set(table["holder_kind"].astype(str)):
            return None, ""
        table = table[table["holder_kind"].astype(str) == want]
    cells = {}
    for _, r in table.iterrows():
        g, a = str(r[group_by]), str(r["actor"])
        if g in groups and a in actors:
            cells[(g, a)] = Cell(
                float(r["mean_score"]),
                float(r["ci_low"]),
                float(r["ci_high"]),
                int(r.get("mentions", 0) or 0),
                int(r.get("documents", 0) or 0),
            )
    return cells, "the scored folder's groups table"


def _examples(folder: Path, stances, actors: list[str]) -> dict[str, list[dict]]:
    """For each actor, its most negative and most positive mentions, with their sentence text."""
    picks = []
    half = EXAMPLES_PER_ACTOR // 2
    sub = stances[stances["actor"].isin(actors)]
    for name, mine in sub.groupby("actor"):
        neg = mine.nlargest(half, "p_negative")
        pos = mine.drop(neg.index).nlargest(EXAMPLES_PER_ACTOR - len(neg), "p_positive")
        for _, r in [*neg.iterrows(), *pos.iterrows()]:
            picks.append((str(name), str(r["doc_id"]), int(r["sentence"]), str(r["label"]), r))
    wanted = {(d, s) for _, d, s, _, _ in picks}
    texts: dict[tuple[str, int], str] = {}
    for path in _table_paths(folder, "sentences"):
        import pandas as pd

        if path.suffix == ".parquet":
            import pyarrow.parquet as pq

            df = pq.read_table(path, columns=["doc_id", "sentence", "text"]).to_pandas()
        else:
            df = pd.read_json(path, lines=True, dtype=False) if path.stat().st_size else None
        if df is None or df.empty:
            continue
        for d, s, t in zip(df["doc_id"].astype(str), df["sentence"].astype(int), df["text"], strict=True):
            if (d, s) in wanted:
                texts[(d, s)] = str(t)
    out: dict[str, list[dict]] = {}
    for name, d, s, label, r in picks:
        p = float(r.get(f"p_{label}", 0.0))
        holder = str(r["holder_kind"]) if "holder_kind" in r and isinstance(r["holder_kind"], str) else ""
        out.setdefault(name, []).append(
            {"doc_id": d, "sentence": s, "label": label, "p": p, "holder_kind": holder, "text": texts.get((d, s), "")}
        )
    return out
