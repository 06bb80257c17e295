"""A scored folder as pandas DataFrames, read lazily through Arrow, with a group ``compare()`` helper.

>>> scored = stancekit.read_scored("out/")
>>> scored.documents            # read on first access, then kept
>>> scored.compare(by="outlet", actor="Mara Quill")
"""

from __future__ import annotations

import json
from pathlib import Path

from stancekit.errors import InputError
from stancekit.scoring.aggregate import parts
from stancekit.scoring.groups import BOOTSTRAP, doc_keys, group_rows, key_name, parse_group_by

TABLE_NAMES = (
    "documents",
    "sentences",
    "stances",
    "errors",
    "document_actors",
    "actors",
    "actor_registry",
    "sources",
    "groups",
    "index",
)


class Scored:
    """The tables of a scored folder; each is read the first time it is used."""

    def __init__(self, folder) -> None:
        self.folder = Path(folder)
        if not (self.folder / "manifest.json").is_file():
            raise InputError(f"{self.folder} is not a scored folder (no manifest.json)")
        self._tables: dict = {}
        self.summary = None  # the ScoreSummary when the tables come from score(..., output=None)

    @property
    def manifest(self) -> dict:
        if "manifest" not in self._tables:
            self._tables["manifest"] = json.loads((self.folder / "manifest.json").read_text("utf-8"))
        return self._tables["manifest"]

    def table(self, name: str):
        """One table as a pandas DataFrame (empty, with no rows, when the job wrote none)."""
        if name not in TABLE_NAMES:
            raise InputError(f"no table {name!r}; tables: {', '.join(TABLE_NAMES)}")
        if name not in self._tables:
            self._tables[name] = self._read(name)
        return self._tables[name]

    def _read(self, name: str):
        import pandas as pd
        import pyarrow as pa
        import pyarrow.parquet as pq

        folder = self.folder / name
        if folder.is_dir():
            files = parts(folder)
            pq_files = [f for f in files if f.suffix == ".parquet"]
            if pq_files:
                return pa.concat_tables([pq.read_table(f) for f in pq_files]).to_pandas()
            rows = [json.loads(line) for f in files for line in f.read_text("utf-8").splitlines() if line]
            return pd.DataFrame(rows)
        if (self.folder / f"{name}.parquet").is_file():
            return pq.read_table(self.folder / f"{name}.parquet").to_pandas()
        if (self.folder / f"{name}.jsonl").is_file():
            text = (self.folder / f"{name}.jsonl").read_text("utf-8")
            return pd.DataFrame([json.loads(line) for line in text.splitlines() if line])
        return pd.DataFrame()

    def __getattr__(self, name: str):
        if name in TABLE_NAMES:
            return self.table(name)
        raise AttributeError(name)

    def load(self) -> Scored:
        """Read every table now (so the object no longer needs the folder); returns self."""
        self.manifest  # noqa: B018 - read and kept
        for name in TABLE_NAMES:
            self.table(name)
        return self

    def compare(
        self,
        by,
        actor: str | None = None,
        *,
        holder_kind: str = "all",
        seed: int = 0,
        bootstrap: int = BOOTSTRAP,
    ):
        """Group keys x actor rows (documents, mentions, shares, mean score, 95% bootstrap interval).

        Computed from ``documents`` and ``document_actors``, so any metadata column works, not only
        the ``group_by`` the folder was scored with. ``actor`` matches the canonical name, ignoring case.
        """
        spec = parse_group_by(by)
        if not spec:
            raise InputError("compare needs at least one column to group by")
        docs = self.table("documents")
        missing = [c for c, _ in spec if c not in docs.columns]
        if missing:
            meta = [c for c in docs.columns if c not in _DOC_COLUMNS]
            raise InputError(f"no column {missing[0]!r} in documents; metadata columns: {', '.join(meta) or 'none'}")
        da = self.table("document_actors")
        if actor is not None and len(da):
            da = da[da["actor"].str.casefold() == actor.casefold()]
            if not len(da):
                names = self.table("actors")["actor"].head(10).tolist() if len(self.table("actors")) else []
                raise InputError(f"no actor {actor!r} in {self.folder}; most mentioned: {', '.join(names)}")
        keys = doc_keys(docs.to_dict("records"), spec)
        rows = group_rows(
            keys, da.to_dict("records"), [key_name(c, u) for c, u in spec], seed=seed, bootstrap=bootstrap
        )
        import pandas as pd

        frame = pd.DataFrame(rows)
        if holder_kind and len(frame):
            frame = frame[frame["holder_kind"] == holder_kind].reset_index(drop=True)
        return frame


_DOC_COLUMNS = {"doc_id", "language", "sentences", "editorial_sentences", "editorial_share", "actors"}


def read_scored(folder) -> Scored:
    """The tables of a folder written by ``score()``, as pandas DataFrames read on first use."""
    return Scored(folder)
